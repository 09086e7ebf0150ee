"""The portfolio's fast reading gives the scores the slow one gives, to the last digit.

The portfolio reads buckets of days that SQLite adds up (services/health_read.DayReader.buckets);
each vendor's series, and the portfolio when the per-day summary was built for another time
zone, read every day. Both must agree: on the simulation's journal (steady, turning, improving
and silent vendors, kept and broken promises, broadcasts) at several dates and for every
period, and on small random journals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.health_types import Period
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Tag
from partnerdesk.services.health import explain, portfolio, vendor_health
from partnerdesk.services.health_engine import PromiseFacts, PromiseIndex
from partnerdesk.services.health_read import DayReader
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.local_days import ZONE_KEY
from partnerdesk.store.settings import set_setting
from tests.health_sim import CHANGE, END
from tests.helpers import draft

DATES = (date(2021, 5, 17), CHANGE + timedelta(days=40), END + timedelta(days=200),
         END + timedelta(days=2000))  # the last: every vendor silent for years


def both_readings(path: Path, today: date, period: Period):
    """The portfolio read through the buckets, then day by day (the summary marked as built
    for another zone, as after a time-zone change that has not been recounted yet)."""
    lite = LiteJournal(path)
    with lite.reading() as conn:
        assert DayReader(conn).summary
    fast = portfolio(lite, today=today, period=period)
    journal = Journal.open(path)
    try:
        with journal.writing() as conn:
            set_setting(conn, ZONE_KEY, "Somewhere/Else")
    finally:
        journal.close()
    with lite.reading() as conn:
        assert not DayReader(conn).summary
    slow = portfolio(lite, today=today, period=period)
    Journal.open(path).close()  # opening for writing recounts the summary for the zone
    return fast, slow


@pytest.mark.parametrize("period", list(Period))
def test_buckets_and_days_agree_on_the_simulated_journal(simulated, period):
    for today in DATES:
        fast, slow = both_readings(simulated, today, period)
        assert fast == slow, (today, period)
        assert any(r.score is not None for r in fast)


def test_the_portfolio_is_each_vendors_own_series(simulated):
    lite = LiteJournal(simulated)
    for today, period in ((CHANGE + timedelta(days=40), Period.MONTH),
                          (END + timedelta(days=200), Period.QUARTER)):
        for row in portfolio(lite, today=today, period=period):
            series = vendor_health(lite, row.vendor_id, period, today=today)
            assert row.score == series[-1].score and row.band == series[-1].band
            assert row.sparkline == tuple(p.score for p in series[-8:])
            assert row.evidence_interactions == series[-1].evidence_interactions
            assert row.reasons == tuple(explain(series[-1]))


# -- small random journals ----------------------------------------------------------------------
contact = st.tuples(
    st.integers(0, 1500),  # days after the start
    st.integers(0, 23),  # hour (UTC)
    st.sampled_from([Tag.HELPFUL, Tag.TRANSACTIONAL]),
    st.sampled_from([Channel.CALL, Channel.EMAIL, Channel.BROADCAST]),
    st.sampled_from([Direction.INBOUND, Direction.OUTBOUND]),
    st.one_of(st.none(), st.tuples(st.integers(-20, 60), st.one_of(st.none(),
                                                                    st.integers(-10, 90)))),
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(vendors=st.lists(st.lists(contact, max_size=60), min_size=1, max_size=3),
       offset=st.integers(0, 1900), period=st.sampled_from(list(Period)),
       zone=st.sampled_from(["UTC", "America/New_York", "Australia/Sydney"]))
def test_buckets_and_days_agree_on_random_journals(tmp_path_factory, vendors, offset, period,
                                                   zone):
    path = tmp_path_factory.mktemp("random") / "journal.sqlite3"
    start = date(2021, 1, 4)
    journal = Journal.open(path)
    try:
        from partnerdesk.store.local_days import set_journal_zone

        set_journal_zone(journal, zone)
        for n, contacts in enumerate(vendors):
            vid = journal.vendors.add(f"Vendor {n}").id
            drafts = []
            for k, (day, hour, tag, channel, direction, owed) in enumerate(contacts):
                when = datetime.combine(start + timedelta(days=day), datetime.min.time(),
                                        UTC) + timedelta(hours=hour, minutes=k)
                follow = None
                if owed is not None:
                    due = when.date() + timedelta(days=owed[0])
                    done = (None if owed[1] is None
                            else when + timedelta(days=owed[1]))
                    follow = FollowUp(due=due, what="Send the quote", owner=FollowUpOwner.VENDOR,
                                      done_at=done)
                drafts.append(draft(vid, f"Contact {k}", at=when, tag=tag, channel=channel,
                                    direction=direction, follow_up=follow))
            journal.interactions.add_many(drafts, skip_existing=False)
    finally:
        journal.close()
    fast, slow = both_readings(path, start + timedelta(days=offset), period)
    assert fast == slow


def test_components_worked_out_when_read_behave_like_a_tuple(simulated):
    lite = LiteJournal(simulated)
    row = portfolio(lite, today=END, period=Period.MONTH)[0]
    point = vendor_health(lite, row.vendor_id, Period.MONTH, today=END)[-1]
    again = vendor_health(lite, row.vendor_id, Period.MONTH, today=END)[-1]
    assert point == again and hash(point) == hash(again)
    comps = tuple(point.components)
    assert comps and point.components == comps and len(point.components) == len(comps)
    assert point.components[0] == comps[0] and repr(point.components) == repr(comps)
    assert {c.name for c in comps} >= {"helpfulness", "cadence"}


# -- the promise tally ----------------------------------------------------------------------------
promise_facts = st.builds(
    lambda due, closed_after, outcome: PromiseFacts(
        due, None if outcome == "open" else due + closed_after, outcome),
    st.integers(19000, 19400), st.integers(-400, 400),
    st.sampled_from(["open", "kept", "late", "broken", "void"]))


@settings(max_examples=200, deadline=None)
@given(facts=st.lists(promise_facts, max_size=25), as_of=st.integers(18900, 19900))
def test_the_promise_tally_counts_overdue_as_the_definition_does(facts, as_of):
    """Overdue on day a: due before a and not done or dropped by a (Promise.is_overdue), for
    promises closed on their due date, long before it, or never; never below zero."""
    overdue = sum(1 for f in facts if f.due < as_of and (f.closed is None or f.closed > as_of))
    assert PromiseIndex(facts).tally(as_of)[3] == overdue


def test_a_promise_kept_on_its_due_day_is_not_a_negative_debt(tmp_path):
    """It used to count as -1 overdue on that day: a promises value above 100."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal.open(path)
    try:
        vid = journal.vendors.add("Acme Telecom").id
        start = datetime(2025, 1, 6, 14, tzinfo=UTC)
        journal.interactions.add_many(
            [draft(vid, f"Call {k}", at=start + timedelta(days=7 * k)) for k in range(30)],
            skip_existing=False)
        journal.interactions.add(draft(
            vid, "Promised the quote", at=datetime(2025, 6, 2, 10, tzinfo=UTC),
            follow_up=FollowUp(due=date(2025, 6, 30), what="Send the quote",
                               owner=FollowUpOwner.VENDOR,
                               done_at=datetime(2025, 6, 30, 12, tzinfo=UTC))))
        june = vendor_health(journal, vid, Period.MONTH, today=date(2025, 7, 15))[-2]
    finally:
        journal.close()
    assert june.as_of == date(2025, 6, 30)
    assert june.overdue_promises == 0 and june.evidence_promises == 1
    assert all(0 <= c.value <= 100 for c in june.components)
