"""Action items (schema V_ACTION_ITEMS): the v3 upgrade, the follow-up mirror, the weekly summary
and undo, against real journal files."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from partnerdesk.domain.action_items import ItemState
from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import FollowUpOwner
from partnerdesk.services import followups as fu
from partnerdesk.store import action_items as items_store
from partnerdesk.store import summary
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.promises import vendor_promises
from partnerdesk.store.schema import LATEST_VERSION
from tests.helpers import draft, sqlite_rows

V3_FIXTURE = Path(__file__).parent.parent / "fixtures" / "journal_v3.sqlite3"
EPOCH = date(1970, 1, 1)
T0 = 1_700_000_000
DAY = 86_400


def _slice(day: date) -> int:
    monday = day - timedelta(days=day.weekday())
    return (max(monday, day.replace(day=1)) - EPOCH).days


def promise_oracle(path: Path) -> list[tuple[int, int, int, int]]:
    """vendor_week's promise columns recomputed in Python from action_item."""
    c: Counter[tuple[int, int, str]] = Counter()
    for vid, due, state, closed, reason, owner in sqlite_rows(
            path, "SELECT vendor_id, due, state, closed_at, reason, owner FROM action_item"):
        if owner != "vendor" or (state == "dropped" and reason not in ("vendor refused", "vendor failed")):
            continue
        d = date.fromisoformat(due)
        deadline = datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp() + 36 * 3600
        c[(vid, _slice(d), "p")] += 1
        c[(vid, _slice(d), "k")] += state == "done" and closed < deadline
    keys = {(v, s) for v, s, _ in c}
    return sorted((v, s, c[(v, s, "p")], c[(v, s, "k")]) for v, s in keys)


def stored_promises(path: Path) -> list[tuple[object, ...]]:
    return sqlite_rows(path, "SELECT vendor_id, start_day, promises, promises_kept FROM vendor_week"
                             " WHERE promises > 0 ORDER BY 1, 2")


def assert_summary_right(journal: Journal) -> None:
    path = journal.path
    assert stored_promises(path) == promise_oracle(path)
    before = sqlite_rows(path, "SELECT * FROM vendor_week ORDER BY 1, 2")
    assert not [r for r in before if r[2] == 0 and r[6] == 0]  # no empty slices left behind
    with journal.writing() as conn:
        summary.rebuild(conn)
    assert sqlite_rows(path, "SELECT * FROM vendor_week ORDER BY 1, 2") == before


def mirror(path: Path, iid: int) -> tuple[object, ...]:
    return sqlite_rows(path, "SELECT follow_up_due, follow_up_text, follow_up_owner, follow_up_done_at"
                             " FROM interaction WHERE id = ?", (iid,))[0]


@pytest.fixture
def v3_copy(tmp_path: Path) -> Path:
    target = tmp_path / "old" / "journal.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(V3_FIXTURE, target)
    return target


def test_v3_fixture_upgrades_to_action_items(v3_copy):
    assert sqlite_rows(v3_copy, "PRAGMA user_version") == [(3,)]
    old_week = sqlite_rows(v3_copy, "SELECT * FROM vendor_week ORDER BY 1, 2")
    old_rows = sqlite_rows(v3_copy, "SELECT * FROM interaction ORDER BY id")
    old_fts = sqlite_rows(v3_copy, "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'roadmap OR renewal'")
    with Journal.open(v3_copy) as j:
        assert j.schema_version() == LATEST_VERSION
        assert j.upgrade_backup is not None and j.upgrade_backup.exists()
        with j.reading() as conn:
            got = items_store.list_items(conn)
    # Every follow-up with a due date, nothing else, fields carried over exactly.
    assert [(i.interaction_id, i.what, i.owner, i.due.isoformat(), i.state.value, i.closed_at)
            for i in sorted(got, key=lambda i: i.interaction_id)] == [
        (1, "Send the MDF claim form", "vendor", "2023-11-20", "done", T0 + 3 * DAY),
        (2, "Approve deal reg #4411", "vendor", "2023-11-16", "done", T0 + 10 * DAY),
        (3, "Share the roadmap deck", "vendor", "2023-12-01", "open", None),
        (4, "Draft the renewal quote", "me", "2024-01-15", "open", None),
        (5, "Book the follow-up demo", "me", "2023-11-30", "done", T0 + 5 * DAY),
        (6, "", "vendor", "2023-12-05", "open", None),
    ]
    assert {i.vendor_name for i in got} >= {"Arcwave", "Cobalt \u6771\u4eac"}
    # The interaction rows (and so the old API, exports, search) are untouched.
    assert sqlite_rows(v3_copy, "SELECT * FROM interaction ORDER BY id") == old_rows
    assert sqlite_rows(v3_copy, "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH"
                                " 'roadmap OR renewal'") == old_fts
    assert sqlite_rows(v3_copy, "SELECT * FROM vendor_week ORDER BY 1, 2") == old_week
    assert sqlite_rows(v3_copy, "SELECT value FROM setting WHERE key = 'timezone'") == [("Europe/Berlin",)]
    with Journal.open(v3_copy) as j:
        assert_summary_right(j)
        with j.reading() as conn:
            promises = vendor_promises(conn)
        assert [(p.interaction_id, p.state) for p in promises] == [
            (2, ItemState.DONE), (1, ItemState.DONE), (3, ItemState.OPEN), (6, ItemState.OPEN)]


def _journal(tmp_path: Path) -> tuple[Journal, int, int]:
    j = Journal.open(tmp_path / "j.sqlite3")
    v = j.vendors.add("Arcwave")
    w = j.vendors.add("Brightline")
    return j, v.id, w.id


def test_the_old_follow_up_api_edits_the_first_item_and_mirrors_it(tmp_path):
    j, v, w = _journal(tmp_path)
    with j:
        at = datetime(2026, 3, 2, 10, tzinfo=UTC)
        it = j.interactions.add(draft(v, "QBR", at=at, follow_up=FollowUp(
            date(2026, 3, 9), "Send pricing", FollowUpOwner.VENDOR)))
        first = fu.add_items(j, it.id, [])  # nothing asked, nothing written
        assert first.after == ()
        more = fu.add_items(j, it.id, [("Book the demo", date(2026, 3, 12), "me"),
                                       ("MDF plan", date(2026, 3, 20), "vendor")])
        with j.reading() as conn:
            items = items_store.items_of(conn, it.id)
        assert [i.what for i in items] == ["Send pricing", "Book the demo", "MDF plan"]
        assert mirror(j.path, it.id) == ("2026-03-09", "Send pricing", "vendor", None)
        assert_summary_right(j)
        # Closing through the old API closes the first item; reopening reopens it.
        done_at = datetime(2026, 3, 8, 9, tzinfo=UTC)
        j.interactions.set_follow_up_done(it.id, done_at)
        with j.reading() as conn:
            assert items_store.items_of(conn, it.id)[0].state is ItemState.DONE
        assert_summary_right(j)
        # Dropping the first item shows in the mirror as closed.
        first_id = items[0].id
        fu.reopen(j, [first_id])
        fu.drop(j, [first_id], "Vendor-Refused")
        with j.reading() as conn:
            dropped = items_store.get_items(conn, [first_id])[0]
        assert dropped.state is ItemState.DROPPED and dropped.reason == "vendor refused"
        assert mirror(j.path, it.id)[3] == dropped.closed_at
        assert_summary_right(j)
        # The form's edit (whole draft written back) keeps the drop and its reason.
        j.interactions.update(it.id, j.interactions.get(it.id).as_draft())
        with j.reading() as conn:
            assert items_store.get_items(conn, [first_id])[0].reason == "vendor refused"
        # Moving the interaction to another vendor moves all its items.
        moved = j.interactions.get(it.id).as_draft()
        from dataclasses import replace
        j.interactions.update(it.id, replace(moved, vendor_id=w))
        with j.reading() as conn:
            assert {i.vendor_id for i in items_store.items_of(conn, it.id)} == {w}
        assert_summary_right(j)
        # Clearing the follow-up in the form removes the first item; the next one is mirrored.
        j.interactions.update(it.id, replace(moved, vendor_id=w, follow_up=None))
        assert mirror(j.path, it.id) == ("2026-03-12", "Book the demo", "me", None)
        assert_summary_right(j)
        # Deleting the interaction takes its items along.
        j.interactions.delete(it.id)
        with j.reading() as conn:
            assert items_store.list_items(conn) == []
        assert_summary_right(j)
        assert more.count == 2


def test_done_drop_snooze_reschedule_and_undo_put_everything_back(tmp_path):
    j, v, _ = _journal(tmp_path)
    with j:
        at = datetime(2025, 1, 2, 10, tzinfo=UTC)
        it = j.interactions.add(draft(v, "Kickoff", at=at))
        added = fu.add_items(j, it.id, [(f"item {k}", date(2025, 1, 10 + k), "vendor" if k % 2 else "me")
                                        for k in range(6)])
        ids = [i.id for i in added.after]
        snapshot = sqlite_rows(j.path, "SELECT * FROM action_item ORDER BY id")
        week = sqlite_rows(j.path, "SELECT * FROM vendor_week ORDER BY 1, 2")
        today = date(2026, 1, 1)
        changes = [
            fu.mark_done(j, ids[:2]),
            fu.drop(j, ids[2:4], "superseded"),
            fu.snooze(j, ids[4:5], date(2026, 2, 1), today),
            fu.reschedule(j, ids[5:], date(2026, 3, 1)),
        ]
        assert [c.count for c in changes] == [2, 2, 1, 1]
        assert_summary_right(j)
        with j.reading() as conn:
            states = {i.id: i.state for i in items_store.list_items(conn)}
            assert items_store.needing_attention(conn, today) == []
            assert [i.id for i in items_store.needing_attention(conn, date(2026, 3, 1))] == ids[4:]
        assert [states[i] for i in ids] == ["done", "done", "dropped", "dropped", "snoozed", "open"]
        # Undo each, newest first: the rows and the summary are exactly as before.
        for c in reversed(changes):
            fu.undo(j, c)
        assert sqlite_rows(j.path, "SELECT * FROM action_item ORDER BY id") == snapshot
        assert sqlite_rows(j.path, "SELECT * FROM vendor_week ORDER BY 1, 2") == week
        for c in changes:
            fu.redo(j, c)
        assert_summary_right(j)
        fu.undo(j, added)  # undoing the add removes the items (ids of the add are gone)
        with j.reading() as conn:
            assert items_store.items_of(conn, it.id) == []
        fu.redo(j, added)
        with j.reading() as conn:
            assert len(items_store.items_of(conn, it.id)) == 6
        assert_summary_right(j)


def test_retire_overdue_drops_only_the_old_ones_with_one_reason(tmp_path):
    j, v, _ = _journal(tmp_path)
    with j:
        it = j.interactions.add(draft(v, "Call", at=datetime(2025, 1, 2, tzinfo=UTC)))
        today = date(2026, 1, 31)
        ch = fu.add_items(j, it.id, [("ancient", date(2025, 1, 1), "me"),
                                     ("old", date(2025, 12, 1), "vendor"),
                                     ("recent", date(2026, 1, 25), "me"),
                                     ("future", date(2026, 2, 25), "me")])
        assert [i.what for i in fu.overdue_by_more_than(j, 30, today)] == ["ancient", "old"]
        retired = fu.retire_overdue(j, 30, "no longer needed", today)
        assert retired.text == "Retire 2 follow-ups overdue by more than 30 days"
        assert {i.reason for i in retired.after} == {"no longer needed"}
        assert fu.retire_overdue(j, 30, "no longer needed", today).count == 0
        assert_summary_right(j)
        fu.undo(j, retired)
        with j.reading() as conn:
            assert [i.state for i in items_store.get_items(conn, [i.id for i in ch.after])] == ["open"] * 4


def test_bad_input_is_one_sentence_and_writes_nothing(tmp_path):
    j, v, _ = _journal(tmp_path)
    with j:
        it = j.interactions.add(draft(v, "Call", at=datetime(2025, 1, 2, tzinfo=UTC)))
        ok = fu.add_items(j, it.id, [("real", date(2025, 2, 1), "me")])
        with pytest.raises(InvalidInput, match="says nothing"):
            fu.add_items(j, it.id, [("fine", date(2025, 2, 1), "me"), ("   ", date(2025, 2, 1), "me")])
        with pytest.raises(InvalidInput, match="not an owner"):
            fu.add_items(j, it.id, [("fine", date(2025, 2, 1), "boss")])
        with pytest.raises(NotFound, match="Interaction #999"):
            fu.add_items(j, 999, [("fine", date(2025, 2, 1), "me")])
        with pytest.raises(NotFound, match="No follow-up with id 12345"):
            fu.mark_done(j, [ok.after[0].id, 12345])
        with pytest.raises(InvalidInput, match="Snooze until a day after today"):
            fu.snooze(j, [ok.after[0].id], date(2025, 1, 1), date(2025, 1, 5))
        with j.reading() as conn:
            assert [(i.what, i.state) for i in items_store.list_items(conn)] == [("real", ItemState.OPEN)]


def test_keep_in_touch_cadence_lists_vendors_gone_quiet(tmp_path):
    j, v, w = _journal(tmp_path)
    with j:
        j.interactions.add(draft(v, "Call", at=datetime(2026, 1, 1, tzinfo=UTC)))
        j.interactions.add(draft(w, "Call", at=datetime(2026, 1, 20, tzinfo=UTC)))
        with j.writing() as conn:
            items_store.set_cadence(conn, v, 21)
            items_store.set_cadence(conn, w, 21)
        lite = LiteJournal(j.path)
        with lite.reading() as conn:
            assert items_store.past_cadence(conn, date(2026, 1, 21)) == []
            due = items_store.past_cadence(conn, date(2026, 1, 22))
        assert [(d.vendor_name, d.due_since()) for d in due] == [("Arcwave", date(2026, 1, 22))]
        with j.writing() as conn:
            items_store.set_cadence(conn, v, None)
        with lite.reading() as conn:
            assert items_store.cadences(conn) == {w: 21}


def test_an_interaction_deleted_and_restored_gets_all_its_items_back(tmp_path):
    j, v, _ = _journal(tmp_path)
    with j:
        it = j.interactions.add(draft(v, "QBR", at=datetime(2026, 3, 2, tzinfo=UTC), follow_up=FollowUp(
            date(2026, 3, 9), "first", FollowUpOwner.VENDOR)))
        fu.add_items(j, it.id, [("second", date(2026, 3, 10), "me")])
        saved = fu.items_of(j, it.id)
        fu.snooze(j, [saved[1].id], date(2026, 4, 1), date(2026, 3, 1))
        saved = fu.items_of(j, it.id)
        before = sqlite_rows(j.path, "SELECT * FROM action_item ORDER BY id")
        gone = j.interactions.delete(it.id)
        back = j.interactions.restore(gone)
        fu.restore_items_of(j, back.id, saved)
        assert sqlite_rows(j.path, "SELECT * FROM action_item ORDER BY id") == before
        assert_summary_right(j)
