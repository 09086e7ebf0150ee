"""Action items in the journal: reading and writing the action_item table (schema V_ACTION_ITEMS).

Every function takes `conn`, anything with ``exec_driver_sql(sql, params)``: a LiteJournal's
connection for reads (the `followups` command and the window stay clear of SQLAlchemy) or a
Journal's ``writing()`` connection for writes. The triggers of the rung keep vendor_week and the
interaction's follow_up_* mirror in step with every write made here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from partnerdesk.domain.action_items import ActionItem, ItemState, KeepInTouchDue
from partnerdesk.domain.errors import NotFound

COLUMNS = (
    "a.id, a.interaction_id, a.vendor_id, a.what, a.owner, a.due, a.state, a.closed_at,"
    " a.reason, a.snoozed_until, a.contact_id, a.created_at, a.updated_at, v.name"
)
FROM = " FROM action_item a JOIN vendor v ON v.id = a.vendor_id"
_STATES = {s.value: s for s in ItemState}
_fromiso = date.fromisoformat


def _item(r: Sequence[Any]) -> ActionItem:
    return ActionItem(
        id=r[0],
        interaction_id=r[1],
        vendor_id=r[2],
        what=r[3],
        owner=r[4],
        due=_fromiso(r[5]),
        state=_STATES[r[6]],
        closed_at=r[7],
        reason=r[8],
        snoozed_until=_fromiso(r[9]) if r[9] else None,
        contact_id=r[10],
        created_at=r[11],
        updated_at=r[12],
        vendor_name=r[13],
    )


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _where(
    states: Iterable[ItemState | str] | None,
    due_before: date | None,
    vendor_ids: Sequence[int] | None,
    owner: str | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if states is not None:
        wanted = sorted({ItemState(s).value for s in states})
        if len(wanted) == 1:  # "= ?" lets SQLite pick the state's partial index
            clauses.append(f"a.state = '{wanted[0]}'")
        else:
            clauses.append(f"a.state IN ({_marks(wanted)})")
            params.extend(wanted)
    if due_before is not None:
        clauses.append("a.due < ?")
        params.append(due_before.isoformat())
    if vendor_ids is not None:
        clauses.append(f"a.vendor_id IN ({_marks(vendor_ids)})")
        params.extend(int(v) for v in vendor_ids)
    if owner is not None:
        clauses.append("a.owner = ?")
        params.append(owner)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def list_items(
    conn: Any,
    *,
    states: Iterable[ItemState | str] | None = None,
    due_before: date | None = None,
    vendor_ids: Sequence[int] | None = None,
    owner: str | None = None,
    limit: int | None = None,
) -> list[ActionItem]:
    """Items soonest due first. `due_before` is exclusive: items due on an earlier day.

    With states and a limit, each state is read on its own (open items through their partial
    index, already in due order) and the runs merged: the soonest N of 36,000 open items cost
    what N rows cost, not a sort of them all.
    """
    if states is not None and limit is not None:
        runs: list[ActionItem] = []
        for state in sorted({ItemState(s).value for s in states}):
            where, params = _where((state,), due_before, vendor_ids, owner)
            runs.extend(
                _item(r)
                for r in conn.exec_driver_sql(
                    f"SELECT {COLUMNS}{FROM}{where} ORDER BY a.due, a.id LIMIT {int(limit)}",
                    tuple(params),
                )
            )
        runs.sort(key=lambda i: (i.due, i.id))
        return runs[: int(limit)]
    where, params = _where(states, due_before, vendor_ids, owner)
    sql = f"SELECT {COLUMNS}{FROM}{where} ORDER BY a.due, a.id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_item(r) for r in conn.exec_driver_sql(sql, tuple(params))]


def count_items(
    conn: Any,
    *,
    states: Iterable[ItemState | str] | None = None,
    due_before: date | None = None,
    vendor_ids: Sequence[int] | None = None,
    owner: str | None = None,
) -> int:
    """How many items match; state by state, so open ones are counted on their partial index."""
    total = 0
    for state in (None,) if states is None else sorted({ItemState(s).value for s in states}):
        where, params = _where(None if state is None else (state,), due_before, vendor_ids, owner)
        total += int(
            conn.exec_driver_sql(
                f"SELECT count(*) FROM action_item a{where}", tuple(params)
            ).scalar()
        )
    return total


def get_items(conn: Any, ids: Sequence[int]) -> list[ActionItem]:
    """These items in the order asked; ids that do not exist are left out."""
    found: dict[int, ActionItem] = {}
    for start in range(0, len(ids), 900):
        chunk = tuple(int(i) for i in ids[start : start + 900])
        for r in conn.exec_driver_sql(
            f"SELECT {COLUMNS}{FROM} WHERE a.id IN ({_marks(chunk)})", chunk
        ):
            found[r[0]] = _item(r)
    return [found[i] for i in ids if i in found]


def items_of(conn: Any, interaction_id: int) -> list[ActionItem]:
    return [
        _item(r)
        for r in conn.exec_driver_sql(
            f"SELECT {COLUMNS}{FROM} WHERE a.interaction_id = ? ORDER BY a.id", (interaction_id,)
        )
    ]


def items_by_interaction(conn: Any, interaction_ids: Sequence[int]) -> dict[int, list[ActionItem]]:
    """interaction id -> its items in the order they were added, for many interactions at once.

    One query per 900 ids on the action_item_interaction index: a timeline page, a brief's
    recent interactions or a report's key ones cost one round trip, not one per row.
    """
    out: dict[int, list[ActionItem]] = {}
    ids = [int(i) for i in interaction_ids]
    for start in range(0, len(ids), 900):
        chunk = tuple(ids[start : start + 900])
        for r in conn.exec_driver_sql(
            f"SELECT {COLUMNS}{FROM} WHERE a.interaction_id IN ({_marks(chunk)})"
            " ORDER BY a.interaction_id, a.id",
            chunk,
        ):
            out.setdefault(r[1], []).append(_item(r))
    return out


def open_items(conn: Any, vendor_ids: Sequence[int] | None = None) -> list[ActionItem]:
    """Every open or snoozed item (of these vendors), soonest due first.

    Read through the two partial indexes and filtered here: a vendor filter in SQL would make
    SQLite walk those vendors' whole history of items instead.
    """
    wanted = None if vendor_ids is None else {int(v) for v in vendor_ids}
    out = [
        _item(r)
        for state in ("open", "snoozed")
        for r in conn.exec_driver_sql(f"SELECT {COLUMNS}{FROM} WHERE a.state = '{state}'")
        if wanted is None or r[2] in wanted
    ]
    out.sort(key=lambda i: (i.due, i.id))
    return out


def needing_attention(conn: Any, today: date) -> list[ActionItem]:
    """Open items due today or earlier and snoozed ones whose snooze has ended: the reminders.

    Both halves read a partial index over open (or snoozed) items only, so the cost follows the
    number of open items, not the size of the journal.
    """
    day = today.isoformat()
    rows = conn.exec_driver_sql(
        f"SELECT {COLUMNS}{FROM} WHERE a.state = 'open' AND a.due <= ?"
        f" UNION ALL SELECT {COLUMNS}{FROM} WHERE a.state = 'snoozed' AND a.snoozed_until <= ?",
        (day, day),
    )
    return sorted((_item(r) for r in rows), key=lambda i: (i.due, i.id))


def overdue_by_vendor(conn: Any, today: date) -> dict[int, int]:
    """vendor id -> its overdue items (ActionItem.is_overdue: open or snoozed, due before today),
    read from the two partial indexes: what a vendor's overdue badge should count."""
    day = today.isoformat()
    counts: dict[int, int] = {}
    for state in ("open", "snoozed"):
        for vid, n in conn.exec_driver_sql(
            f"SELECT vendor_id, count(*) FROM action_item WHERE state = '{state}' AND due < ?"
            " GROUP BY vendor_id",
            (day,),
        ):
            counts[vid] = counts.get(vid, 0) + n
    return counts


# -- writing (conn from Journal.writing()) ------------------------------------------------------

_INSERT = (
    "INSERT INTO action_item (id, interaction_id, vendor_id, what, owner, due, state,"
    " closed_at, reason, snoozed_until, contact_id, created_at, updated_at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def insert_item(
    conn: Any,
    interaction_id: int,
    what: str,
    due: date,
    owner: str,
    now: int,
    contact_id: int | None = None,
) -> int:
    vendor = conn.exec_driver_sql(
        "SELECT vendor_id FROM interaction WHERE id = ?", (interaction_id,)
    ).scalar()
    if vendor is None:
        raise NotFound(f"Interaction #{interaction_id} does not exist (it may have been deleted).")
    cur = conn.exec_driver_sql(
        _INSERT,
        (
            None,
            interaction_id,
            vendor,
            what,
            owner,
            due.isoformat(),
            "open",
            None,
            "",
            None,
            contact_id,
            now,
            now,
        ),
    )
    return int(cur.lastrowid)


def _stored(i: ActionItem) -> tuple[Any, ...]:
    """An item's columns in _INSERT's order (id first)."""
    return (
        i.id,
        i.interaction_id,
        i.vendor_id,
        i.what,
        i.owner,
        i.due.isoformat(),
        i.state.value,
        i.closed_at,
        i.reason,
        i.snoozed_until.isoformat() if i.snoozed_until else None,
        i.contact_id,
        i.created_at,
        i.updated_at,
    )


def update_items(conn: Any, items: Iterable[ActionItem]) -> None:
    """Write these items' states, dates and texts as given (existing rows only)."""
    rows = [_stored(i) for i in items]
    if rows:
        conn.exec_driver_sql(
            "UPDATE action_item SET what = ?, owner = ?, due = ?, state = ?, closed_at = ?,"
            " reason = ?, snoozed_until = ?, contact_id = ?, updated_at = ? WHERE id = ?",
            [(*r[3:11], r[12], r[0]) for r in rows],
        )


def put_items(conn: Any, items: Sequence[ActionItem]) -> None:
    """Make these exact rows exist again (undo): updated in place, or re-inserted under their ids.

    Not INSERT OR REPLACE: its implicit delete would skip the delete triggers that keep the
    weekly summary right.
    """
    if not items:
        return
    existing = {
        r[0]
        for r in conn.exec_driver_sql(
            f"SELECT id FROM action_item WHERE id IN ({_marks(items)})", tuple(i.id for i in items)
        )
    }
    update_items(conn, [i for i in items if i.id in existing])
    for i in items:
        if i.id not in existing:
            conn.exec_driver_sql(_INSERT, _stored(i))


def delete_items(conn: Any, ids: Sequence[int]) -> None:
    if ids:
        conn.exec_driver_sql(f"DELETE FROM action_item WHERE id IN ({_marks(ids)})", tuple(ids))


# -- keep in touch ------------------------------------------------------------------------------


def cadences(conn: Any) -> dict[int, int]:
    """vendor id -> keep-in-touch cadence in days, for the vendors that have one."""
    return dict(conn.exec_driver_sql("SELECT vendor_id, every_days FROM keep_in_touch").all())


def set_cadence(conn: Any, vendor_id: int, every_days: int | None) -> None:
    if every_days is None:
        conn.exec_driver_sql("DELETE FROM keep_in_touch WHERE vendor_id = ?", (vendor_id,))
    else:
        conn.exec_driver_sql(
            "INSERT INTO keep_in_touch (vendor_id, every_days) VALUES (?, ?)"
            " ON CONFLICT (vendor_id) DO UPDATE SET every_days = excluded.every_days",
            (vendor_id, int(every_days)),
        )


def past_cadence(conn: Any, today: date) -> list[KeepInTouchDue]:
    """Vendors (not archived) whose last contact is older than their cadence, longest gap first.

    The last contact comes from the interaction_vendor_time index (max per vendor: one seek).
    """
    out: list[KeepInTouchDue] = []
    for vid, name, every, last in conn.exec_driver_sql(
        "SELECT k.vendor_id, v.name, k.every_days,"
        " (SELECT max(occurred_at) FROM interaction i WHERE i.vendor_id = k.vendor_id)"
        " FROM keep_in_touch k JOIN vendor v ON v.id = k.vendor_id WHERE v.archived = 0"
    ):
        last_day = date(1970, 1, 1) + timedelta(seconds=last) if last is not None else None
        if last_day is None or last_day + timedelta(days=every) <= today:
            out.append(
                KeepInTouchDue(
                    vendor_id=vid, vendor_name=name, every_days=every, last_contact=last_day
                )
            )
    out.sort(key=lambda d: d.last_contact or date.min)
    return out
