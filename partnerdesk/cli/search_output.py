"""What `partnerdesk search` prints: interactions, then the other records that match (events,
answers, the ledger's records), every row saying its kind, in a table, JSON or CSV."""

from __future__ import annotations

from typing import Any

from partnerdesk.cli.commands import CSV_INTERACTION_COLUMNS, INTERACTION_COLUMNS, interaction_rows
from partnerdesk.cli.output import print_csv, print_json, print_table
from partnerdesk.services import serialize
from partnerdesk.store.search_all import KIND_LABELS, FoundRecord


def record_dict(r: FoundRecord) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": r.kind, "id": r.record_id, "vendor_id": r.vendor_id,
                           "vendor": r.vendor, "on": r.on or None, "text": r.text}
    if r.question_id is not None:
        row["question_id"] = r.question_id
    return row


def emit_search(items: list[Any], found: dict[int, list[Any]], others: list[FoundRecord],
                fmt: str, empty: str) -> None:
    """`found`: the interactions' action items by interaction id."""
    if fmt == "json":
        print_json([{"kind": "interaction", **serialize.interaction_dict(i, found.get(i.id, []))}
                    for i in items]
                   + [record_dict(r) for r in others])
    elif fmt == "csv":
        rows = [{"kind": "interaction", **serialize.interaction_flat(i, found.get(i.id, []))}
                for i in items]
        rows += [{"kind": r.kind, "id": r.record_id, "vendor": r.vendor, "occurred_at": r.on,
                  "summary": r.text} for r in others]
        print_csv(rows, ["kind", *CSV_INTERACTION_COLUMNS])
    elif not items and not others:
        print(empty)
    else:
        rows = [{"kind": KIND_LABELS["interaction"], **row}
                for row in interaction_rows(items, found)]
        rows += [{"kind": r.label, "id": r.record_id, "when": r.on, "vendor": r.vendor,
                  "summary": r.text} for r in others]
        print_table(rows, [("kind", "Kind"), *INTERACTION_COLUMNS], flexible="summary")
