"""The vendor's promises, read with the standard library or SQLAlchemy alike.

`conn` is anything with ``exec_driver_sql(sql, params)`` returning rows: a Journal's
connection or a LiteJournal's. Every screen, command and report that counts promises reads them
here, so they all agree on what a promise is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from partnerdesk.domain.action_items import ItemState, Promise
from partnerdesk.store.timecodec import from_iso_day

# A promise is an action item the vendor owns (schema V_ACTION_ITEMS), whatever its state:
# open, snoozed, done, or dropped with its reason (Promise.broken reads the reason).
_SQL = ("SELECT vendor_id, id, interaction_id, what, due, state, closed_at, reason, created_at"
        " FROM action_item WHERE owner = 'vendor'")
_STATES = {s.value: s for s in ItemState}


def vendor_promises(conn: Any, vendor_ids: Sequence[int] | None = None) -> list[Promise]:
    """Every promise of the given vendors (all vendors when None), oldest due first."""
    sql = _SQL
    params: tuple[Any, ...] = ()
    if vendor_ids is not None:
        ids = [int(v) for v in vendor_ids]
        if not ids:
            return []
        sql += f" AND vendor_id IN ({','.join('?' * len(ids))})"
        params = tuple(ids)
    sql += " ORDER BY due, id"
    out: list[Promise] = []
    for vid, item_id, inter_id, what, due, state, closed, reason, created in conn.exec_driver_sql(
            sql, params):
        day = from_iso_day(due)
        if day is None:
            continue
        out.append(Promise(vendor_id=vid, item_id=item_id, interaction_id=inter_id, what=what,
                           due=day, state=_STATES[state], closed_at=closed, reason=reason,
                           created_at=created))
    return out
