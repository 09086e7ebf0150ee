"""One way to read: a Journal, a LiteJournal and the window's TimelineReader answer alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from partnerdesk.domain.models import FollowUp, InteractionFilter
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.store.lite import LiteJournal, open_current
from partnerdesk.store.reading import VendorNotFound
from partnerdesk.store.timeline import TimelineReader
from tests.helpers import draft, sqlite_rows

BASE = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 6, 1)


@pytest.fixture
def filled(journal):
    a = journal.vendors.add("Meridian Telecom", domains=["meridian.example"])
    b = journal.vendors.add("Harbor Fiber")
    c = journal.vendors.add("Quiet Co")  # no interactions at all
    journal.vendors.set_acquirer(b.id, a.id, date(2025, 3, 1))
    drafts = []
    for n in range(60):
        fu = None
        if n % 7 == 0:
            fu = FollowUp(date(2026, 5, 1) + timedelta(days=n), f"promise {n}",
                          FollowUpOwner.VENDOR if n % 2 else FollowUpOwner.ME)
        summary = f"escalation call {n}" if n % 4 else f"row {n}"
        drafts.append(draft((a if n % 3 else b).id, summary, at=BASE + timedelta(days=n),
                            tag=Tag.HELPFUL if n % 2 else Tag.TRANSACTIONAL, follow_up=fu))
    journal.interactions.add_many(drafts)
    return journal, (a, b, c)


def test_lite_and_journal_read_alike(filled):
    journal, (a, b, _c) = filled
    lite = LiteJournal(journal.path)
    assert lite.vendors.all() == journal.vendors.all()
    assert lite.vendors.all(include_archived=False) == journal.vendors.all(include_archived=False)
    assert lite.vendors.resolve("harbor fiber") == journal.vendors.resolve("Harbor Fiber")
    with pytest.raises(VendorNotFound, match="Did you mean Meridian Telecom"):
        lite.vendors.resolve("Meridian Telekom")
    for f in (InteractionFilter(), InteractionFilter(vendor_ids=(b.id,)),
              InteractionFilter(tag=Tag.HELPFUL), InteractionFilter(text="escalation"),
              InteractionFilter(text="escalation", vendor_ids=(a.id,))):
        assert lite.interactions.list(f, limit=25) == journal.interactions.list(f, limit=25)
        assert lite.interactions.ids(f) == journal.interactions.ids(f)
        assert lite.interactions.count(f) == journal.interactions.count(f)
    assert (lite.interactions.search("meridian", limit=7)
            == journal.interactions.search("meridian", limit=7))
    for overdue_only in (False, True):
        assert (lite.interactions.follow_ups(TODAY, overdue_only)
                == journal.interactions.follow_ups(TODAY, overdue_only))
    assert lite.interactions.vendor_stats(TODAY) == journal.interactions.vendor_stats(TODAY)
    assert lite.interactions.topics() == journal.interactions.topics()


def test_vendor_stats_agree_with_a_direct_count_after_moves_and_deletes(filled):
    journal, (a, b, c) = filled
    items = journal.interactions.list(InteractionFilter(vendor_ids=(a.id,)), limit=5)
    moved = items[0]
    journal.interactions.update(moved.id, replace(moved.as_draft(), vendor_id=c.id))
    journal.interactions.delete(items[1].id)
    journal.interactions.set_follow_up_done(
        journal.interactions.follow_ups(TODAY, overdue_only=True)[0].id, BASE)
    expected = {}
    for (vid,) in sqlite_rows(journal.path, "SELECT id FROM vendor"):
        n, last = sqlite_rows(journal.path, "SELECT count(*), max(occurred_at) FROM interaction"
                                            f" WHERE vendor_id = {vid}")[0]
        # Overdue means the vendor's promises still open past due (Promise.is_overdue).
        overdue = sqlite_rows(journal.path, "SELECT count(*) FROM action_item WHERE vendor_id = ?"
                                            " AND owner = 'vendor' AND state IN ('open', 'snoozed')"
                                            " AND due < ?", (vid, TODAY.isoformat()))[0][0]
        expected[vid] = (n, last, overdue)
    reader = TimelineReader(journal.path)
    try:
        assert reader.vendor_stats(TODAY.isoformat()) == expected
    finally:
        reader.close()
    assert expected[c.id][0] == 1 and expected[b.id][0] == 20


def test_the_window_and_the_store_find_the_same_matches(filled):
    journal, (a, _b, _c) = filled
    reader = TimelineReader(journal.path)
    try:
        for f in (InteractionFilter(text="escalation"), InteractionFilter(text="escalation",
                                                                          vendor_ids=(a.id,))):
            window = reader.all_ids(f)
            assert window is not None and window.by_entry
            assert sorted(window.ids) == sorted(journal.interactions.ids(f))
            assert list(window.ids) == sorted(window.ids, reverse=True)  # newest entry first
            assert reader.count(f) == len(journal.interactions.ids(f))
        assert reader.all_ids(InteractionFilter(text='"')).ids.tolist() == []
    finally:
        reader.close()


def test_open_current_only_takes_a_journal_as_it_is(journal, tmp_path):
    assert isinstance(open_current(journal.path), LiteJournal)
    assert open_current(tmp_path / "none.sqlite3") is None  # Journal.open creates it
    assert not (tmp_path / "none.sqlite3").exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert open_current(empty) is None  # a fresh file: Journal.open initialises it
