"""Programme standing: tier changes, certifications and tier benefits (V_LEDGER rung).

Like store/ledger.py, every function takes a connection with ``exec_driver_sql``. Setting a tier
also copies the latest programme and tier into the vendor row, which older screens show.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

from partnerdesk.domain.errors import NotFound
from partnerdesk.domain.ledger import (
    Benefit,
    Certification,
    Target,
    TierChange,
    validate_benefit,
    validate_certification,
    validate_tier,
)
from partnerdesk.store.ledger import require_vendor
from partnerdesk.store.timecodec import now_epoch


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _ids(vendor_ids: Sequence[int] | None) -> tuple[str, tuple[int, ...]]:
    if vendor_ids is None:
        return "", ()
    ids = tuple(int(v) for v in vendor_ids)
    return f" WHERE vendor_id IN ({','.join('?' * len(ids)) or 'NULL'})", ids


# -- tiers ------------------------------------------------------------------------------------
def _tier(r: Sequence[Any]) -> TierChange:
    return TierChange(id=r[0], vendor_id=r[1], programme=r[2], tier=r[3],
                      changed_on=date.fromisoformat(r[4]), requirements=r[5],
                      targets=tuple(Target(str(n), int(v)) for n, v in json.loads(r[6] or "[]")))


_TIER_COLUMNS = "id, vendor_id, programme, tier, changed_on, requirements, targets"


def tier_history(conn: Any, vendor_ids: Sequence[int] | None = None) -> list[TierChange]:
    """Every tier change, oldest first per vendor."""
    where, params = _ids(vendor_ids)
    return [_tier(r) for r in conn.exec_driver_sql(
        f"SELECT {_TIER_COLUMNS} FROM tier_change{where} ORDER BY vendor_id, changed_on, id",
        params)]


def current_tier(conn: Any, vendor_id: int, as_of: date | None = None) -> TierChange | None:
    sql = f"SELECT {_TIER_COLUMNS} FROM tier_change WHERE vendor_id = ?"
    params: tuple[Any, ...] = (vendor_id,)
    if as_of is not None:
        sql += " AND changed_on <= ?"
        params += (as_of.isoformat(),)
    rows = conn.exec_driver_sql(sql + " ORDER BY changed_on DESC, id DESC LIMIT 1", params).all()
    return _tier(rows[0]) if rows else None


def _sync_vendor(conn: Any, vendor_id: int) -> None:
    latest = current_tier(conn, vendor_id)
    if latest is not None:
        conn.exec_driver_sql("UPDATE vendor SET programme = ?, tier = ?, updated_at = ? WHERE id = ?",
                             (latest.programme, latest.tier, now_epoch(), vendor_id))


def set_tier(conn: Any, t: TierChange, *, keep_id: bool = False) -> TierChange:
    """Record that the vendor put us on tier `t.tier` from `t.changed_on` on."""
    t = validate_tier(t)
    require_vendor(conn, t.vendor_id)
    values = (t.vendor_id, t.programme, t.tier, t.changed_on.isoformat(), t.requirements,
              json.dumps([[g.name, g.value] for g in t.targets], ensure_ascii=False), now_epoch())
    cols = "vendor_id, programme, tier, changed_on, requirements, targets, created_at"
    if keep_id and t.id is not None:
        cols, values = "id, " + cols, (t.id, *values)
    cur = conn.exec_driver_sql(f"INSERT INTO tier_change ({cols}) VALUES"
                               f" ({', '.join('?' * len(values))})", values)
    _sync_vendor(conn, t.vendor_id)
    return replace(t, id=int(cur.lastrowid))


def delete_tier_change(conn: Any, tier_id: int) -> TierChange:
    rows = conn.exec_driver_sql(f"SELECT {_TIER_COLUMNS} FROM tier_change WHERE id = ?",
                                (tier_id,)).all()
    if not rows:
        raise NotFound(f"Tier change #{tier_id} does not exist.")
    t = _tier(rows[0])
    conn.exec_driver_sql("DELETE FROM tier_change WHERE id = ?", (tier_id,))
    _sync_vendor(conn, t.vendor_id)
    return t


# -- certifications ---------------------------------------------------------------------------
_CERT_COLUMNS = "id, vendor_id, holder, name, expires_on, earned_on"


def _cert(r: Sequence[Any]) -> Certification:
    return Certification(id=r[0], vendor_id=r[1], holder=r[2], name=r[3], expires_on=_day(r[4]),
                         earned_on=_day(r[5]))


def certifications(conn: Any, vendor_ids: Sequence[int] | None = None,
                   expiring_by: date | None = None) -> list[Certification]:
    """Certifications, soonest expiry first (those that never expire last)."""
    where, params = _ids(vendor_ids)
    if expiring_by is not None:
        where += (" AND " if where else " WHERE ") + "expires_on <= ?"
        params += (expiring_by.isoformat(),)  # type: ignore[assignment]
    return [_cert(r) for r in conn.exec_driver_sql(
        f"SELECT {_CERT_COLUMNS} FROM certification{where}"
        " ORDER BY expires_on IS NULL, expires_on, holder, id", params)]


def get_certification(conn: Any, cert_id: int) -> Certification:
    rows = conn.exec_driver_sql(f"SELECT {_CERT_COLUMNS} FROM certification WHERE id = ?",
                                (cert_id,)).all()
    if not rows:
        raise NotFound(f"Certification #{cert_id} does not exist; list them with: "
                       "partnerdesk cert list")
    return _cert(rows[0])


def add_certification(conn: Any, c: Certification, *, keep_id: bool = False) -> Certification:
    c = validate_certification(c)
    require_vendor(conn, c.vendor_id)
    now = now_epoch()
    values = (c.vendor_id, c.holder, c.name, c.earned_on and c.earned_on.isoformat(),
              c.expires_on and c.expires_on.isoformat(), now, now)
    cols = "vendor_id, holder, name, earned_on, expires_on, created_at, updated_at"
    if keep_id and c.id is not None:
        cols, values = "id, " + cols, (c.id, *values)
    cur = conn.exec_driver_sql(f"INSERT INTO certification ({cols}) VALUES"
                               f" ({', '.join('?' * len(values))})", values)
    return replace(c, id=int(cur.lastrowid))


def update_certification(conn: Any, c: Certification) -> Certification:
    c = validate_certification(c)
    get_certification(conn, int(c.id or 0))
    conn.exec_driver_sql(
        "UPDATE certification SET holder = ?, name = ?, earned_on = ?, expires_on = ?,"
        " updated_at = ? WHERE id = ?",
        (c.holder, c.name, c.earned_on and c.earned_on.isoformat(),
         c.expires_on and c.expires_on.isoformat(), now_epoch(), c.id))
    return c


def delete_certification(conn: Any, cert_id: int) -> Certification:
    c = get_certification(conn, cert_id)
    conn.exec_driver_sql("DELETE FROM certification WHERE id = ?", (cert_id,))
    return c


# -- benefits ---------------------------------------------------------------------------------
_BENEFIT_COLUMNS = "id, vendor_id, text, since, met, checked_on"


def _benefit(r: Sequence[Any]) -> Benefit:
    return Benefit(id=r[0], vendor_id=r[1], text=r[2], since=date.fromisoformat(r[3]),
                   met=bool(r[4]), checked_on=_day(r[5]))


def benefits(conn: Any, vendor_ids: Sequence[int] | None = None) -> list[Benefit]:
    where, params = _ids(vendor_ids)
    return [_benefit(r) for r in conn.exec_driver_sql(
        f"SELECT {_BENEFIT_COLUMNS} FROM tier_benefit{where} ORDER BY vendor_id, since, id", params)]


def add_benefit(conn: Any, b: Benefit, *, keep_id: bool = False) -> Benefit:
    b = validate_benefit(b)
    require_vendor(conn, b.vendor_id)
    values = (b.vendor_id, b.text, b.since.isoformat(), int(b.met),
              b.checked_on and b.checked_on.isoformat(), now_epoch())
    cols = "vendor_id, text, since, met, checked_on, created_at"
    if keep_id and b.id is not None:
        cols, values = "id, " + cols, (b.id, *values)
    cur = conn.exec_driver_sql(f"INSERT INTO tier_benefit ({cols}) VALUES"
                               f" ({', '.join('?' * len(values))})", values)
    return replace(b, id=int(cur.lastrowid))


def set_benefit_met(conn: Any, benefit_id: int, met: bool, on: date) -> Benefit:
    rows = conn.exec_driver_sql(f"SELECT {_BENEFIT_COLUMNS} FROM tier_benefit WHERE id = ?",
                                (benefit_id,)).all()
    if not rows:
        raise NotFound(f"Benefit #{benefit_id} does not exist.")
    b = validate_benefit(replace(_benefit(rows[0]), met=met, checked_on=on))
    conn.exec_driver_sql("UPDATE tier_benefit SET met = ?, checked_on = ? WHERE id = ?",
                         (int(met), on.isoformat(), benefit_id))
    return b


def delete_benefit(conn: Any, benefit_id: int) -> None:
    conn.exec_driver_sql("DELETE FROM tier_benefit WHERE id = ?", (benefit_id,))


def benefit_promises(conn: Any, vendor_ids: Sequence[int] | None = None) -> list[Any]:
    """The tier's benefits as the vendor's standing promises, in the one Promise shape: met is
    kept (done when last checked), not met is open and due since it was promised, so it counts
    as overdue like any promise the vendor has not kept. store/promises.py's vendor_promises can
    add these to the interactions' and action items' promises."""
    from partnerdesk.domain.action_items import ItemState, Promise
    from partnerdesk.store.timecodec import to_epoch

    out = []
    for b in benefits(conn, vendor_ids):
        checked = b.checked_on or b.since
        closed = to_epoch(datetime.combine(checked, time(12), UTC)) if b.met else None
        out.append(Promise(vendor_id=b.vendor_id, item_id=-int(b.id or 0), interaction_id=None,
                           what=b.text, due=b.since,
                           state=ItemState.DONE if b.met else ItemState.OPEN, closed_at=closed,
                           reason="", created_at=to_epoch(datetime.combine(b.since, time(12), UTC))))
    return out
