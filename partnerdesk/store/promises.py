"""The vendor's promises, read with the standard library or SQLAlchemy alike.

`conn` is anything with ``exec_driver_sql(sql, params)`` returning rows: a Journal's
connection or a LiteJournal's. Every screen, command and report that counts promises reads them
here, so they all agree on what a promise is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from partnerdesk.domain.action_items import ItemState, Promise
from partnerdesk.store.timecodec import from_iso_day

# Today a promise is the follow-up of an interaction owned by the vendor (one per interaction);
# the action-item rung replaces this query with one over its own table.
_SQL = (
    "SELECT vendor_id, id, id, follow_up_text, follow_up_due, follow_up_done_at, created_at"
    " FROM interaction WHERE follow_up_owner = 'vendor' AND follow_up_due IS NOT NULL"
)


def vendor_promises(conn: Any, vendor_ids: Sequence[int] | None = None,
                    open_only: bool = False, closed_since: int | None = None) -> list[Promise]:
    """Every promise of the given vendors (all vendors when None), oldest due first; with
    `open_only`, only those still open (what the overdue counts need, without the history);
    with `closed_since` (UTC seconds), those open or closed since then (health's window)."""
    sql = _SQL
    params: tuple[Any, ...] = ()
    if open_only:
        sql += " AND follow_up_done_at IS NULL"
    elif closed_since is not None:
        sql += " AND (follow_up_done_at IS NULL OR follow_up_done_at >= ?)"
        params = (int(closed_since),)
    if vendor_ids is not None:
        ids = [int(v) for v in vendor_ids]
        if not ids:
            return []
        sql += f" AND vendor_id IN ({','.join('?' * len(ids))})"
        params = (*params, *ids)
    sql += " ORDER BY follow_up_due, id"
    out: list[Promise] = []
    for vid, item_id, inter_id, what, due, done_at, created in conn.exec_driver_sql(sql, params):
        day = from_iso_day(due)
        if day is None:
            continue
        out.append(Promise(vendor_id=vid, item_id=item_id, interaction_id=inter_id, what=what,
                           due=day, state=ItemState.DONE if done_at is not None else ItemState.OPEN,
                           closed_at=done_at, reason="", created_at=created))
    return out


def overdue_by_vendor(conn: Any, as_of: date) -> dict[int, int]:
    """Per vendor, its promises overdue on `as_of` (Promise.is_overdue: THE definition); vendors
    with none are left out. The vendor list, `vendor list` and health all count with this."""
    out: dict[int, int] = {}
    for p in vendor_promises(conn, None, open_only=True):
        if p.is_overdue(as_of):
            out[p.vendor_id] = out.get(p.vendor_id, 0) + 1
    return out
