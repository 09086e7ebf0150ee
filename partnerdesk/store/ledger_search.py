"""Full-text search over the ledger's records (ledger_fts, V_LEDGER rung).

A hit says what kind of record it is (registration, money, tier, certification, benefit), whose
vendor, and a one-line title, so that one search box can list them beside interactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from partnerdesk.store.fts_query import build_match
from partnerdesk.store.schema import LEDGER_FTS_KINDS

# kind -> (table, SQL for a one-line title)
_TITLES = {
    "registration": ("deal_registration",
                     "r.customer || CASE WHEN r.number <> '' THEN ' (' || r.number || ')' ELSE ''"
                     " END || ' — ' || r.status"),
    "money": ("money_owed", "r.kind || ' ' || r.currency || ' due ' || r.due_on"),
    "tier": ("tier_change", "trim(r.programme || ' ' || r.tier) || ' from ' || r.changed_on"),
    "certification": ("certification", "r.name || ' — ' || r.holder"),
    "benefit": ("tier_benefit", "r.text"),
}


@dataclass(frozen=True, slots=True)
class LedgerHit:
    kind: str
    record_id: int
    vendor_id: int
    vendor: str
    title: str


def search_ledger(conn: Any, text: str, vendor_ids: Sequence[int] | None = None,
                  limit: int = 50) -> list[LedgerHit]:
    """Ledger records matching `text` (the same syntax as interaction search), best first."""
    match = build_match(text)
    if match is None:
        return []
    # Vendor filtering happens after the join, so ask FTS for more than we will keep.
    want = limit if vendor_ids is None else limit * 20
    rowids = [r for (r,) in conn.exec_driver_sql(
        "SELECT rowid FROM ledger_fts WHERE ledger_fts MATCH ? ORDER BY rank LIMIT ?",
        (match, max(want, 1)))]
    by_kind: dict[str, list[int]] = {}
    for rowid in rowids:
        kind = LEDGER_FTS_KINDS.get(rowid % 8)
        if kind:
            by_kind.setdefault(kind, []).append(rowid // 8)
    found: dict[tuple[str, int], LedgerHit] = {}
    allowed = None if vendor_ids is None else set(vendor_ids)
    for kind, ids in by_kind.items():
        table, title = _TITLES[kind]
        for rec_id, vendor_id, vendor, line in conn.exec_driver_sql(
                f"SELECT r.id, r.vendor_id, v.name, {title} FROM {table} r"
                f" JOIN vendor v ON v.id = r.vendor_id WHERE r.id IN ({','.join('?' * len(ids))})",
                tuple(ids)):
            if allowed is None or vendor_id in allowed:
                found[(kind, rec_id)] = LedgerHit(kind, rec_id, vendor_id, vendor, line)
    ordered = [found[key] for key in ((LEDGER_FTS_KINDS[r % 8], r // 8) for r in rowids
                                      if r % 8 in LEDGER_FTS_KINDS) if key in found]
    return ordered[:limit]
