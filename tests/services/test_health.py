"""Health scores on small journals with hand-checked behaviour: evidence and the minimum,
debts that stay debts, the one definition of overdue, the partner's view (who reached out,
broadcasts, quality not counted), silence, income events in the "why", local time, an added
component, and before/after with its uncertainty.

Every journal is a real SQLite file; interactions go in through the store. The properties on
larger journals with known behaviour are in test_health_simulation.py; the docs' worked
example in test_health_doc.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.health_types import Band, Period, Trend
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Tag
from partnerdesk.services.health import (
    MIN_EVIDENCE,
    before_after,
    before_after_lines,
    explain,
    period_label,
    portfolio,
    register_component,
    vendor_health,
)
from partnerdesk.services.health_read import DayReader
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.local_days import set_journal_zone
from partnerdesk.store.promises import vendor_promises
from tests.helpers import draft

H, T = Tag.HELPFUL, Tag.TRANSACTIONAL


def at(y: int, m: int, d: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=UTC)


def log(j, vendor_id, when, tag=H, **kw):
    return j.interactions.add(draft(vendor_id, "Talked", at=when, tag=tag, **kw))


def promise(due: date, done: datetime | None = None) -> FollowUp:
    return FollowUp(due=due, what="Send the quote", owner=FollowUpOwner.VENDOR, done_at=done)


def weekly(j, vendor_id, start: date, weeks: int, tag=H, **kw) -> None:
    j.interactions.add_many([draft(vendor_id, f"Call {k}", tag=tag,
                                   at=datetime.combine(start + timedelta(days=7 * k),
                                                       datetime.min.time(), UTC)
                                   + timedelta(hours=14), **kw)
                             for k in range(weeks)], skip_existing=False)


@pytest.fixture
def vendor(journal):
    return journal.vendors.add("Acme Telecom").id


# -- evidence ---------------------------------------------------------------------------------
def test_first_period_and_thin_evidence_have_no_score_band_or_trend(journal, vendor):
    log(journal, vendor, at(2026, 1, 14))
    log(journal, vendor, at(2026, 2, 10), T)
    jan, feb, mar = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 3, 31))
    assert (jan.score, jan.band, jan.trend, jan.components) == (None, None, None, ())
    assert explain(jan)[0].startswith("Too early to judge: this is the first month")
    # Two interactions in the year: below the minimum of three, whatever the month.
    assert MIN_EVIDENCE == 3
    assert (feb.score, feb.band, feb.trend) == (None, None, None)
    assert feb.evidence_interactions == 2 and mar.evidence_interactions == 2
    assert explain(mar) == ["Too little to go on: 2 interactions in the last 12 months "
                            "(a score needs 3)."]
    log(journal, vendor, at(2026, 3, 3))
    mar = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 3, 31))[-1]
    assert mar.score is not None and mar.band is not None and mar.evidence_interactions == 3
    assert mar.trend is None  # nothing known before it to compare with


# -- debts stay debts; one definition of overdue -----------------------------------------------
def test_an_old_open_promise_keeps_weighing_and_overdue_is_one_definition(journal, vendor):
    weekly(journal, vendor, date(2024, 1, 1), 110, H)
    log(journal, vendor, at(2018, 5, 2), follow_up=promise(date(2018, 6, 1)))
    log(journal, vendor, at(2024, 3, 4), follow_up=promise(date(2024, 3, 20), at(2024, 3, 19)))
    today = date.today()
    point = vendor_health(journal, vendor, Period.MONTH)[-1]
    with journal.reading() as conn:
        promises = vendor_promises(conn, [vendor])
    assert point.overdue_promises == sum(p.is_overdue(today) for p in promises) == 1
    assert point.as_of == today
    prom = next(c for c in point.components if c.name == "promises")
    assert prom.value < 80 and "1 still open past their due date" in prom.detail
    row = portfolio(journal, period=Period.MONTH)[0]
    assert row.overdue_promises == 1 and row.as_of == today
    # Kept now, it no longer weighs; a report as of a past day still counts it as it was then.
    journal.interactions.set_follow_up_done(
        next(p.interaction_id for p in promises if p.due.year == 2018), datetime.now(UTC))
    assert vendor_health(journal, vendor, Period.MONTH)[-1].overdue_promises == 0
    past = vendor_health(journal, vendor, Period.MONTH, today=date(2025, 6, 30))[-1]
    assert past.overdue_promises == 1


# -- the partner's view -----------------------------------------------------------------------
def test_quality_is_not_counted_twice(journal, vendor):
    weekly(journal, vendor, date(2025, 1, 6), 30, H, quality=5)
    high = vendor_health(journal, vendor, Period.MONTH, today=date(2025, 7, 31))
    other = journal.vendors.add("Bluepeak").id
    weekly(journal, other, date(2025, 1, 6), 30, H, quality=1)
    low = vendor_health(journal, other, Period.MONTH, today=date(2025, 7, 31))
    assert [p.score for p in high] == [p.score for p in low]


def test_who_reached_out_counts_and_broadcasts_weigh_less(journal, vendor):
    weekly(journal, vendor, date(2025, 1, 6), 30, H, direction=Direction.INBOUND)
    out = journal.vendors.add("Outbound only").id
    weekly(journal, out, date(2025, 1, 6), 30, H, direction=Direction.OUTBOUND)
    inbound = vendor_health(journal, vendor, Period.MONTH, today=date(2025, 7, 31))[-1]
    outbound = vendor_health(journal, out, Period.MONTH, today=date(2025, 7, 31))[-1]
    assert inbound.score > outbound.score
    assert "they reached out 0 of" in next(
        c.detail for c in outbound.components if c.name == "who reaches out")
    # Helpful webinars move helpfulness a quarter as much as helpful calls.
    calls = journal.vendors.add("Calls").id
    casts = journal.vendors.add("Webinars").id
    for v, channel in ((calls, Channel.CALL), (casts, Channel.BROADCAST)):
        weekly(journal, v, date(2025, 1, 6), 20, T)
        weekly(journal, v, date(2025, 6, 2), 6, H, channel=channel)
    h = {v: next(c.value for c in vendor_health(journal, v, Period.MONTH,
                                                today=date(2025, 7, 15))[-1].components
                 if c.name == "helpfulness") for v in (calls, casts)}
    assert h[casts] < h[calls]
    assert Channel("broadcast") is Channel.BROADCAST


def test_income_cuts_are_named_in_the_why(journal, vendor):
    weekly(journal, vendor, date(2025, 1, 6), 40, H)
    journal.events.add(vendor, date(2025, 6, 1), "compensation change", "Residuals cut to 8%")
    point = vendor_health(journal, vendor, Period.MONTH, today=date(2025, 9, 30))[-1]
    assert ("Since 1 Jun 2025: compensation change — Residuals cut to 8%. Check what it does "
            "to your income.") in explain(point)


# -- silence ------------------------------------------------------------------------------------
def test_silence_turns_red_within_three_months_and_says_so(journal, vendor):
    weekly(journal, vendor, date(2024, 1, 1), 100, H)  # weekly, helpful, to late Nov 2025
    last = date(2024, 1, 1) + timedelta(days=7 * 99)
    points = vendor_health(journal, vendor, Period.MONTH, today=last + timedelta(days=92))
    assert points[-1].band is Band.RED
    assert points[-1].trend is Trend.DOWN
    assert explain(points[-1])[0].startswith("No conversation for ")
    assert "until you hear from them" in explain(points[-1])[0]
    assert any(line.startswith("Helpfulness: no contacts in the last 90 days, so it rests on "
                               "the year's: 39 of 39 contacts helped")
               for line in explain(points[-1]))


# -- local time ---------------------------------------------------------------------------------
def test_periods_follow_the_journals_time_zone_and_changing_it_recomputes(journal, vendor):
    # 31 March, 8 p.m. in New York is 1 April, 00:00 UTC.
    log(journal, vendor, datetime(2026, 4, 1, 0, 0, tzinfo=UTC))
    set_journal_zone(journal, "UTC")
    utc = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 4, 30))
    assert [(p.start, p.interactions) for p in utc] == [(date(2026, 4, 1), 1)]
    set_journal_zone(journal, "America/New_York")
    ny = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 4, 30))
    assert [(p.start, p.interactions) for p in ny] == [(date(2026, 3, 1), 1),
                                                       (date(2026, 4, 1), 0)]
    # Sydney: Monday 09:00 there is Sunday 22:00 UTC, and belongs to Monday's week.
    log(journal, vendor, datetime(2026, 5, 3, 23, 0, tzinfo=UTC))
    set_journal_zone(journal, "Australia/Sydney")
    weeks = vendor_health(journal, vendor, Period.WEEK, since=date(2026, 5, 1),
                          today=date(2026, 5, 10))
    assert [(w.start, w.interactions) for w in weeks] == [(date(2026, 4, 27), 0),
                                                          (date(2026, 5, 4), 1)]
    with pytest.raises(InvalidInput, match="not a time zone"):
        set_journal_zone(journal, "Mars/Olympus")


def test_the_summary_and_the_interactions_agree(journal, vendor, db_path):
    """vendor_day (kept by triggers, bulk inserts, edits, deletes) against a direct count."""
    set_journal_zone(journal, "Europe/Paris")
    weekly(journal, vendor, date(2025, 3, 24), 3000 // 7, H)  # bulk, across DST changes
    first = log(journal, vendor, at(2025, 3, 29, 23, 30), T, channel=Channel.BROADCAST)
    second = log(journal, vendor, at(2025, 10, 25, 22, 30), direction=Direction.INBOUND)
    journal.interactions.update(first.id, draft(vendor, "Edited", at=at(2025, 3, 30, 22, 30)))
    journal.interactions.delete(second.id)
    lite = LiteJournal(db_path)
    with lite.reading() as conn:
        fast = DayReader(conn)
        assert fast.summary
        slow = DayReader(conn, zone=fast.zone)
        assert not slow.summary
        assert fast.days(vendor) == slow.days(vendor)
        assert fast.days(vendor, 20200, 20300) == slow.days(vendor, 20200, 20300)


# -- an added component (economics, later) -----------------------------------------------------
def test_a_component_joins_when_it_has_data(journal, vendor):
    weekly(journal, vendor, date(2025, 1, 6), 30, H)

    class Deals:
        name, weight = "deals", 0.2

        def values(self, conn, vendor_id, as_of):
            return [(0.0, "no deal registered in 90 days") if d >= date(2025, 6, 1) else None
                    for d in as_of]

    remove = register_component(Deals())
    try:
        may, jun = vendor_health(journal, vendor, Period.MONTH, today=date(2025, 6, 30))[-2:]
        row = portfolio(journal, today=date(2025, 6, 30), period=Period.MONTH)[0]
        ba = before_after(journal, vendor, date(2025, 6, 1), months=1, today=date(2025, 6, 30))
    finally:
        remove()
    assert "deals" not in {c.name for c in may.components}
    deals = next(c for c in jun.components if c.name == "deals")
    assert deals.value == 0 and abs(sum(c.weight for c in jun.components) - 1) < 1e-9
    assert jun.score < may.score
    assert any("no deal registered" in line for line in explain(jun))
    assert row.score == jun.score and any("no deal registered" in r for r in row.reasons)
    # Before/after: the component's value and detail on each side it has data.
    assert ba.before.extras == () and ba.after.extras == (
        ("deals", 0.0, "no deal registered in 90 days"),)
    assert before_after_lines(ba)[-1] == ("Deals", "no data",
                                          "0 (no deal registered in 90 days)", "")
    assert ba.after.score < ba.before.score


def test_a_component_may_answer_for_every_vendor_at_once(journal, vendor):
    """values_many (optional): one call for the portfolio, the same scores as values."""
    other = journal.vendors.add("Bluepeak Cloud").id
    weekly(journal, vendor, date(2025, 1, 6), 30, H)
    weekly(journal, other, date(2025, 1, 6), 30, T)
    calls: list[tuple[str, int]] = []

    class Deals:
        name, weight = "deals", 0.2

        def values(self, conn, vendor_id, as_of):
            calls.append(("one", vendor_id))
            return [(40.0 if vendor_id == other else 90.0, f"{len(as_of)} days") for _ in as_of]

    class DealsAtOnce(Deals):
        def values_many(self, conn, vendor_ids, as_of):
            calls.append(("many", len(vendor_ids)))
            return {vid: self.values(conn, vid, as_of) for vid in vendor_ids}

    today = date(2025, 7, 31)
    results = []
    for source in (Deals(), DealsAtOnce()):
        calls.clear()
        remove = register_component(source)
        try:
            results.append(portfolio(journal, today=today, period=Period.MONTH))
        finally:
            remove()
        assert [c[0] for c in calls].count("many") == (1 if isinstance(source, DealsAtOnce)
                                                       else 0)
    assert results[0] == results[1]
    assert all(any(r.startswith("Deals: ") for r in row.reasons) for row in results[0])


# -- before and after -------------------------------------------------------------------------
def test_before_and_after_with_uncertainty(journal, vendor):
    weekly(journal, vendor, date(2024, 7, 1), 52, H)  # a helpful year to 23 Jun 2025
    journal.events.add(vendor, date(2025, 7, 1), "acquisition", "Bought by Mega Corp")
    weekly(journal, vendor, date(2025, 7, 7), 13, T)
    ba = before_after(journal, vendor, date(2025, 7, 1), months=3, today=date(2026, 1, 15))
    b, a = ba.before, ba.after
    assert (b.start, b.end, a.start, a.end) == (date(2025, 4, 1), date(2025, 7, 1),
                                                date(2025, 7, 1), date(2025, 10, 1))
    assert (b.interactions, b.helpful_pct, a.interactions, a.helpful_pct) == (12, 100.0, 13, 0.0)
    assert b.helpful_range[0] > a.helpful_range[1]  # apart: a real change
    rows = {r[0]: r for r in before_after_lines(ba)}
    assert rows["Helpful share"][3] == "down, beyond chance"
    assert rows["Contacts a month"][3] == "no clear change"
    assert rows["Promises kept"][1:] == ("no data", "no data", "too little data to tell")
    thin = before_after(journal, vendor, date(2026, 1, 10), months=1, today=date(2026, 1, 15))
    assert thin.after.helpful_range is None
    assert before_after_lines(thin)[0][2:] == ("no data", "too little data to tell")
    with pytest.raises(InvalidInput):
        before_after(journal, vendor, date(2025, 7, 1), months=0)
    with pytest.raises(NotFound):
        before_after(journal, 999, date(2025, 7, 1))


# -- the series' shape --------------------------------------------------------------------------
def test_series_bounds(journal, vendor):
    assert vendor_health(journal, vendor, today=date(2026, 1, 1)) == []  # no interactions yet
    log(journal, vendor, at(2026, 1, 29))  # Thursday
    log(journal, vendor, at(2026, 2, 1))  # Sunday of the same week, but February
    weeks = vendor_health(journal, vendor, Period.WEEK, today=date(2026, 2, 20))
    assert [w.start for w in weeks] == [date(2026, 1, 26), date(2026, 2, 2), date(2026, 2, 9),
                                        date(2026, 2, 16)]
    assert weeks[0].interactions == 2 and weeks[0].end == date(2026, 2, 2)
    months = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 20))
    assert [(m.start, m.end, m.interactions) for m in months] == [
        (date(2026, 1, 1), date(2026, 2, 1), 1), (date(2026, 2, 1), date(2026, 3, 1), 1)]
    q = vendor_health(journal, vendor, Period.QUARTER, since=date(2025, 8, 15),
                      until=date(2027, 1, 1), today=date(2026, 2, 20))
    assert [(p.start, p.end) for p in q] == [(date(2025, 7, 1), date(2025, 10, 1)),
                                             (date(2025, 10, 1), date(2026, 1, 1)),
                                             (date(2026, 1, 1), date(2026, 4, 1))]
    with pytest.raises(InvalidInput):
        vendor_health(journal, vendor, since=date(2026, 3, 1), today=date(2026, 2, 20))
    assert vendor_health(journal, vendor, until=date(2025, 12, 31), today=date(2026, 2, 20)) == []
    with pytest.raises(NotFound):
        vendor_health(journal, 999)


def test_period_labels():
    assert period_label(date(2026, 1, 26), Period.WEEK) == "2026-W05"
    assert period_label(date(2024, 12, 30), Period.WEEK) == "2025-W01"
    assert period_label(date(2026, 2, 1), Period.MONTH) == "2026-02"
    assert period_label(date(2026, 7, 1), Period.QUARTER) == "2026Q3"


def test_portfolio_matches_the_series(journal, vendor):
    weekly(journal, vendor, date(2023, 1, 2), 150, H)
    weekly(journal, vendor, date(2025, 11, 3), 12, T)
    journal.vendors.add("Silent Ltd")
    today = date(2026, 1, 20)
    rows = portfolio(journal, today=today, period=Period.MONTH)
    series = vendor_health(journal, vendor, Period.MONTH, today=today)
    acme = rows[0]
    assert acme.score == series[-1].score and acme.band == series[-1].band
    assert acme.sparkline == tuple(p.score for p in series[-8:])
    assert acme.evidence_interactions == series[-1].evidence_interactions
    assert acme.reasons == tuple(explain(series[-1]))
    assert rows[1].score is None and rows[1].evidence_interactions == 0
