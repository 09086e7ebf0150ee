"""The weekly summary (vendor_week) always equals what the interaction table says.

The oracle below recomputes it in plain Python from the raw rows, independently of the SQL in
schema.py: a slice is the later of the UTC day's Monday and its month's 1st; a vendor's
promise (a vendor's action item, unless dropped for a reason that does not blame the vendor)
counts in its due date's slice and is kept when done before due-date 00:00 UTC + 36 h.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.action_items import BROKEN_REASONS
from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.services.demo import generate
from partnerdesk.store import summary
from partnerdesk.store.interactions import BULK_THRESHOLD, INSERT_SQL, bulk_insert, row_values
from partnerdesk.store.journal import Journal
from tests.helpers import draft, sqlite_rows

EPOCH = date(1970, 1, 1)


def _slice(day: date) -> int:
    monday = day - timedelta(days=day.weekday())
    return (max(monday, day.replace(day=1)) - EPOCH).days


def oracle(path: Path) -> list[tuple[int, ...]]:
    counts: dict[tuple[int, int], Counter[str]] = {}
    for vid, t, tag, quality in sqlite_rows(
            path, "SELECT vendor_id, occurred_at, tag, quality FROM interaction"):
        day = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=t)).date()
        c = counts.setdefault((vid, _slice(day)), Counter())
        c["n"] += 1
        c["helpful"] += tag == "helpful"
        if quality is not None:
            c["qs"] += quality
            c["qn"] += 1
    # Promises are the vendor's action items, except those dropped for a reason that does not
    # blame the vendor (superseded, no longer needed...); kept = done by the deadline.
    for vid, due, state, reason, closed in sqlite_rows(
            path, "SELECT vendor_id, due, state, reason, closed_at FROM action_item"
                  " WHERE owner = 'vendor'"):
        if state == "dropped" and reason not in BROKEN_REASONS:
            continue
        due_day = date.fromisoformat(due)
        p = counts.setdefault((vid, _slice(due_day)), Counter())
        p["p"] += 1
        midnight = datetime(due_day.year, due_day.month, due_day.day, tzinfo=UTC)
        deadline = midnight + timedelta(hours=36)
        p["pk"] += state == "done" and closed < deadline.timestamp()
    return sorted((vid, s, c["n"], c["helpful"], c["qs"], c["qn"], c["p"], c["pk"])
                  for (vid, s), c in counts.items())


def stored(path: Path) -> list[tuple[object, ...]]:
    return sqlite_rows(path, "SELECT * FROM vendor_week ORDER BY vendor_id, start_day")


def assert_in_sync(path: Path) -> None:
    assert stored(path) == oracle(path)


# -- hand-checked ------------------------------------------------------------------------------
def test_slices_split_weeks_at_month_starts(journal, db_path):
    v = journal.vendors.add("Acme").id
    for when in (datetime(2026, 1, 29, 23, 59, tzinfo=UTC),   # Thu: slice Mon 26 Jan
                 datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC),  # Sat: same slice
                 datetime(2026, 2, 1, 0, 0, tzinfo=UTC),  # Sun 1 Feb: a month begins mid-week
                 datetime(2026, 2, 2, 0, 0, tzinfo=UTC)):  # Mon: a new week
        journal.interactions.add(draft(v, "x", at=when))
    assert [(r[1], r[2]) for r in stored(db_path)] == [
        ((date(2026, 1, 26) - EPOCH).days, 2),
        ((date(2026, 2, 1) - EPOCH).days, 1),
        ((date(2026, 2, 2) - EPOCH).days, 1),
    ]
    assert summary.slice_start(date(2026, 2, 1)) == date(2026, 2, 1)
    assert summary.slice_start(date(2026, 2, 8)) == date(2026, 2, 2)
    assert summary.from_day_number(summary.day_number(date(2026, 2, 1))) == date(2026, 2, 1)
    assert_in_sync(db_path)


def test_before_1970_days_floor(journal, db_path):
    v = journal.vendors.add("Old Bell").id
    # 31 Dec 1969 23:00 UTC is -3600 s: day -1 (a Wednesday), slice Mon 29 Dec 1969.
    # (1 January 1970 typed east of Greenwich; older years are refused by the domain since issue 8.)
    journal.interactions.add(draft(v, "x", at=datetime(1969, 12, 31, 23, 0, tzinfo=UTC)))
    with pytest.raises(InvalidInput, match="1965"):
        journal.interactions.add(draft(v, "y", at=datetime(1965, 3, 1, 5, 0, tzinfo=UTC)))
    assert [r[1] for r in stored(db_path)] == [-3]
    assert_in_sync(db_path)


def test_edits_move_counts_between_slices_and_empty_slices_go(journal, db_path):
    a, b = journal.vendors.add("A").id, journal.vendors.add("B").id
    promise = FollowUp(date(2026, 3, 20), "quote", FollowUpOwner.VENDOR)
    item = journal.interactions.add(draft(a, "x", at=datetime(2026, 3, 4, tzinfo=UTC), quality=4,
                                          follow_up=promise))
    assert_in_sync(db_path)
    moved = draft(b, "x", at=datetime(2025, 7, 4, tzinfo=UTC), tag=Tag.TRANSACTIONAL, quality=2,
                  follow_up=FollowUp(date(2025, 7, 9), "quote", FollowUpOwner.VENDOR,
                                     datetime(2025, 7, 9, 18, tzinfo=UTC)))
    journal.interactions.update(item.id, moved)
    assert {r[0] for r in stored(db_path)} == {b}  # nothing left behind at A
    assert_in_sync(db_path)
    journal.interactions.set_follow_up_done(item.id, None)
    assert_in_sync(db_path)
    gone = journal.interactions.delete(item.id)
    assert stored(db_path) == []
    journal.interactions.restore(gone)
    assert_in_sync(db_path)
    with journal.writing() as conn:
        summary.rebuild(conn)
    assert_in_sync(db_path)


# -- bulk paths ---------------------------------------------------------------------------------
def _drafts(vendor_ids: list[int], n: int, start: datetime) -> list[InteractionDraft]:
    out = []
    for k in range(n):
        fu = None
        if k % 7 == 0:
            due = (start + timedelta(hours=11 * k)).date() + timedelta(days=k % 5)
            done = None if k % 3 == 0 else start + timedelta(hours=11 * k + 24 * (k % 4))
            fu = FollowUp(due, "promise", FollowUpOwner.VENDOR if k % 2 else FollowUpOwner.ME, done)
        out.append(draft(vendor_ids[k % len(vendor_ids)], f"bulk {k}",
                         at=start + timedelta(hours=11 * k),
                         tag=Tag.HELPFUL if k % 3 else Tag.TRANSACTIONAL,
                         quality=None if k % 4 == 0 else 1 + k % 5, follow_up=fu))
    return out


def test_bulk_add_counts_into_existing_slices(journal, db_path):
    ids = [journal.vendors.add(name).id for name in ("A", "B", "C")]
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    for d in _drafts(ids, 50, start):  # one by one, through the trigger
        journal.interactions.add(d)
    added, _ = journal.interactions.add_many(_drafts(ids, BULK_THRESHOLD + 500, start))
    assert added == BULK_THRESHOLD + 500
    assert_in_sync(db_path)
    with journal.reading() as conn:  # the trigger came back
        assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                    " AND name = 'vendor_week_insert'").scalar_one() == 1
    journal.interactions.add(_drafts(ids, 1, start)[0])
    assert_in_sync(db_path)


def test_bulk_insert_with_scattered_ids_keeps_the_trigger(journal, db_path):
    v = journal.vendors.add("A").id
    drafts = _drafts([v], BULK_THRESHOLD + 10, datetime(2024, 5, 1, tzinfo=UTC))
    rows = [row_values(d, "A", 1_700_000_000, new_id=3 * k + 1) for k, d in enumerate(drafts)]
    with journal.writing() as conn:
        bulk_insert(conn, rows)
    assert_in_sync(db_path)


def test_a_failed_bulk_insert_leaves_summary_and_triggers_as_they_were(journal, db_path):
    v = journal.vendors.add("A").id
    journal.interactions.add(draft(v, "first", at=datetime(2024, 5, 1, tzinfo=UTC)))
    before = stored(db_path)
    rows = [row_values(d, "A", 1_700_000_000, new_id=k + 10)
            for k, d in enumerate(_drafts([v], BULK_THRESHOLD, datetime(2024, 5, 1, tzinfo=UTC)))]
    rows.append(rows[0])  # a duplicate id: the whole transaction fails
    try:
        with journal.writing() as conn:
            bulk_insert(conn, rows)
    except Exception:
        pass
    assert stored(db_path) == before
    journal.interactions.add(draft(v, "after", at=datetime(2024, 5, 2, tzinfo=UTC)))
    assert_in_sync(db_path)


def test_demo_journal_is_in_sync(tmp_path):
    path = tmp_path / "demo.sqlite3"
    with Journal.open(path) as j:
        generate(j, interactions=5000, vendors=6, today=date(2026, 3, 1))
    assert_in_sync(path)


# -- property: any sequence of writes --------------------------------------------------------
times = st.datetimes(min_value=datetime(1969, 12, 31), max_value=datetime(2040, 12, 31),  # the domain's first day
                     timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
days = st.dates(min_value=date(1965, 1, 1), max_value=date(2041, 1, 31))
follow_ups = st.none() | st.builds(
    FollowUp, due=days, what=st.just("x"), owner=st.sampled_from(list(FollowUpOwner)),
    done_at=st.none() | times)
drafts = st.builds(
    lambda vendor, when, tag, quality, fu: (vendor, when, tag, quality, fu),
    st.integers(0, 1), times, st.sampled_from(list(Tag)), st.none() | st.integers(1, 5), follow_ups)
operations = st.lists(st.one_of(
    st.tuples(st.just("add"), drafts),
    st.tuples(st.just("update"), st.integers(0, 30), drafts),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("done"), st.integers(0, 30), st.none() | times),
), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_summary_matches_the_table_after_any_writes(ops):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "j.sqlite3"
        with Journal.open(path) as j:
            vendors = [j.vendors.add("A").id, j.vendors.add("B").id]

            def make(spec):
                vendor, when, tag, quality, fu = spec
                return draft(vendors[vendor], "x", at=when, tag=tag, quality=quality, follow_up=fu)

            live: list[int] = []
            for op in ops:
                if op[0] == "add":
                    live.append(j.interactions.add(make(op[1])).id)
                elif not live:
                    continue
                elif op[0] == "update":
                    j.interactions.update(live[op[1] % len(live)], make(op[2]))
                elif op[0] == "delete":
                    j.interactions.delete(live.pop(op[1] % len(live)))
                else:
                    target = j.interactions.get(live[op[1] % len(live)])
                    if target.follow_up is not None:
                        j.interactions.set_follow_up_done(target.id, op[2])
        assert_in_sync(path)
        # Raw SQL writes (another tool, the sqlite3 shell) keep it too.
        import sqlite3

        conn = sqlite3.connect(path)
        conn.execute("UPDATE interaction SET tag = 'helpful', follow_up_owner = 'vendor'"
                     " WHERE follow_up_due IS NOT NULL")
        conn.execute("DELETE FROM interaction WHERE id % 2 = 0")
        conn.execute(INSERT_SQL, (None, vendors[0], -86401, "call", "in", "helpful", 3, "raw", "",
                                  "", "", "2030-02-28", "", "vendor", 1900000000, "manual", None,
                                  0, 0))
        conn.commit()
        conn.close()
        assert_in_sync(path)
