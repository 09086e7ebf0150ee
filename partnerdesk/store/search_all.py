"""Search over every record kind besides interactions: vendor events, question answers and the
ledger's records, as rows that say what kind of record each is.

One shape for the window's result rows and the command line's `search`: standard library read
path (a connection with `exec_driver_sql`, a Journal or a LiteJournal one). Interactions are
searched by their own index (store/reading.py); these tables are small, so this adds a few ms.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from partnerdesk.store.ledger_search import search_ledger
from partnerdesk.store.record_search import search_records

# kind -> what the rep calls it
KIND_LABELS = {
    "interaction": "Interaction",
    "event": "Event",
    "answer": "Answer",
    "registration": "Deal registration",
    "money": "Payment",
    "tier": "Tier change",
    "certification": "Certification",
    "benefit": "Tier benefit",
}

READ_AT_LEAST = 500

# the day a ledger record is dated by, per kind (table, SQL on alias r)
_LEDGER_DAYS = {
    "registration": ("deal_registration",
                     "COALESCE(r.decided_on, r.submitted_on, date(r.created_at, 'unixepoch'))"),
    "money": ("money_owed", "r.due_on"),
    "tier": ("tier_change", "r.changed_on"),
    "certification": ("certification", "COALESCE(r.earned_on, r.expires_on)"),
    "benefit": ("tier_benefit", "r.since"),
}


@dataclass(frozen=True, slots=True)
class FoundRecord:
    kind: str  # a key of KIND_LABELS
    record_id: int
    vendor_id: int
    vendor: str
    on: str  # YYYY-MM-DD, or '' when the record has no day
    text: str
    question_id: int | None = None  # an answer's question: where the window opens it

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.capitalize())


def search_other_records(conn: Any, text: str, vendor_ids: Sequence[int] | None = None,
                         limit: int = 50) -> list[FoundRecord]:
    """Events, answers and ledger records matching `text` (the interaction search's syntax),
    newest first; only these vendors' when `vendor_ids` is given. A journal from before an
    index existed simply has nothing of that kind to find."""
    allowed = None if vendor_ids is None else set(vendor_ids)
    # Every kind is read past `limit` (these tables hold thousands, not millions) so that the
    # newest `limit` of them all are kept, whichever index ranked them first.
    want = max(limit, READ_AT_LEAST)
    found: list[FoundRecord] = []
    try:
        hits = search_records(conn, text, limit=want if allowed is None else want * 20)
    except sqlite3.OperationalError:
        hits = []
    questions = _questions_of(conn, [h.ref_id for h in hits if h.kind == "answer"])
    for h in hits:
        if allowed is None or h.vendor_id in allowed:
            found.append(FoundRecord(h.kind, h.ref_id, h.vendor_id, h.vendor_name, h.on, h.text,
                                     questions.get(h.ref_id) if h.kind == "answer" else None))
    try:
        ledger = search_ledger(conn, text, vendor_ids=vendor_ids, limit=want)
    except sqlite3.OperationalError:
        ledger = []
    days = _ledger_days(conn, [(h.kind, h.record_id) for h in ledger])
    for h in ledger:
        found.append(FoundRecord(h.kind, h.record_id, h.vendor_id, h.vendor,
                                 days.get((h.kind, h.record_id), ""), h.title))
    found.sort(key=lambda r: r.on, reverse=True)
    return found[:limit]


def _questions_of(conn: Any, answer_ids: list[int]) -> dict[int, int]:
    if not answer_ids:
        return {}
    marks = ",".join("?" * len(answer_ids))
    return {int(a): int(q) for a, q in conn.exec_driver_sql(
        f"SELECT id, question_id FROM answer WHERE id IN ({marks})", tuple(answer_ids))}


def _ledger_days(conn: Any, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    by_kind: dict[str, list[int]] = {}
    for kind, rid in keys:
        by_kind.setdefault(kind, []).append(rid)
    out: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        if kind not in _LEDGER_DAYS:
            continue
        table, day = _LEDGER_DAYS[kind]
        marks = ",".join("?" * len(ids))
        for rid, on in conn.exec_driver_sql(
                f"SELECT r.id, {day} FROM {table} r WHERE r.id IN ({marks})", tuple(ids)):
            out[(kind, int(rid))] = str(on or "")
    return out
