"""Action items in exports and imports: the whole-journal document's "action_items" section, the
`followups` CSV/JSON list, and reading that section back (restore or merge).

The interaction's follow_up field in the document still carries its first item, for older
readers; the action_items section is the full truth and replaces what that field created.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from partnerdesk.domain.action_items import ActionItem, ItemState

STATES = {s.value for s in ItemState}
CSV_COLUMNS = [
    "id",
    "interaction_id",
    "vendor",
    "owner",
    "what",
    "due",
    "state",
    "closed_at",
    "reason",
    "snoozed_until",
    "contact",
    "summary",
]


def _iso(epoch: int | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat()


def document_rows(conn: Any) -> Iterator[dict[str, Any]]:
    for r in conn.exec_driver_sql(
        "SELECT id, interaction_id, vendor_id, what, owner, due, state, closed_at, reason,"
        " snoozed_until, contact_id, created_at, updated_at FROM action_item ORDER BY id"
    ):
        yield {
            "id": r[0],
            "interaction_id": r[1],
            "vendor_id": r[2],
            "what": r[3],
            "owner": r[4],
            "due": r[5],
            "state": r[6],
            "closed_at": _iso(r[7]),
            "reason": r[8],
            "snoozed_until": r[9],
            "contact_id": r[10],
            "created_at": _iso(r[11]),
            "updated_at": _iso(r[12]),
        }


def record(item: ActionItem, summary: str, contact: str | None = None) -> dict[str, Any]:
    """One item as the followups list shows it (CSV and JSON, command line and export alike)."""
    return {
        "id": item.id,
        "interaction_id": item.interaction_id,
        "vendor": item.vendor_name,
        "owner": item.owner,
        "what": item.what,
        "due": item.due.isoformat(),
        "state": item.state.value,
        "closed_at": _iso(item.closed_at),
        "reason": item.reason,
        "snoozed_until": item.snoozed_until.isoformat() if item.snoozed_until else None,
        "contact": contact,
        "summary": summary,
    }


def records(conn: Any, items: list[ActionItem]) -> Iterator[dict[str, Any]]:
    """record()s for these items, their interactions' summaries and contacts read in chunks."""
    for start in range(0, len(items), 900):
        chunk = items[start : start + 900]
        iids = sorted({i.interaction_id for i in chunk})
        summaries = dict(
            conn.exec_driver_sql(
                f"SELECT id, summary FROM interaction WHERE id IN ({','.join('?' * len(iids))})",
                tuple(iids),
            ).all()
        )
        cids = sorted({i.contact_id for i in chunk if i.contact_id is not None})
        names = (
            dict(
                conn.exec_driver_sql(
                    f"SELECT id, name FROM contact WHERE id IN ({','.join('?' * len(cids))})",
                    tuple(cids),
                ).all()
            )
            if cids
            else {}
        )
        for i in chunk:
            yield record(i, summaries.get(i.interaction_id, ""), names.get(i.contact_id))


def list_rows(journal: Any, vendor_ids: set[int]) -> Iterator[dict[str, Any]]:
    """Every action item, soonest due first, for `export --what followups` (CSV or JSON)."""
    from partnerdesk.store.action_items import list_items

    with journal.reading() as conn:
        items = list_items(conn, vendor_ids=sorted(vendor_ids) if vendor_ids else None)
        yield from records(conn, items)


# -- reading the document back ------------------------------------------------------------
def check_record(item: Any) -> dict[str, Any]:
    """A document record checked field by field; ValueError says what is wrong with it."""
    from partnerdesk.services.importers import journal_json as jj

    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    state = jj._choice(item.get("state"), STATES, "state", "open")
    closed = jj._epoch(item.get("closed_at"), "closed_at", False)
    if (state in ("done", "dropped")) != (closed is not None):
        raise ValueError(
            f"a {state} item needs closed_at"
            if closed is None
            else f"an item that is {state} has no closed_at"
        )
    snoozed = jj._day(item.get("snoozed_until"), "snoozed_until")
    if (state == "snoozed") != (snoozed is not None):
        raise ValueError("snoozed_until goes with the snoozed state only")
    due = jj._day(item.get("due"), "due")
    if due is None:
        raise ValueError("due is missing")
    what = " ".join(jj._str(item, "what").split())
    return {
        "id": jj._id(item),
        "interaction_id": jj._id(item, "interaction_id"),
        "what": what[:500],
        "owner": jj._choice(item.get("owner"), {"vendor", "me"}, "owner", "me"),
        "due": due,
        "state": state,
        "closed_at": closed,
        "reason": " ".join(jj._str(item, "reason").split())[:200],
        "snoozed_until": snoozed,
        "contact_id": jj._id(item, "contact_id", required=False),
        "created_at": jj._epoch(item.get("created_at"), "created_at", False),
        "updated_at": jj._epoch(item.get("updated_at"), "updated_at", False),
    }


def take(job: Any, row: dict[str, Any], what: str) -> None:
    """One action item into the journal the DocumentImport `job` is writing.

    The interactions were written first, and each follow_up field made a first item; those make
    way for the document's own items (all of them in a restore; in a merge, those of the
    interactions this import added). Items of interactions skipped as duplicates are skipped.
    """
    from partnerdesk.services.importers.model import SkipReason
    from partnerdesk.store.timecodec import now_epoch

    state = job.__dict__.setdefault("_items", {"cleared": set(), "started": False})
    if not state["started"]:
        state["started"] = True
        job._finish_vendors()
        if job.write:
            job._flush()
            if job.restore:
                job.conn.exec_driver_sql("DELETE FROM action_item")
    doc_interaction = row["interaction_id"]
    interaction = doc_interaction if job.restore else job.interaction_map.get(doc_interaction)
    if interaction is None or (
        job.restore and doc_interaction not in job._seen_ids["interactions"]
    ):
        job.skip(
            SkipReason.DUPLICATE if not job.restore else SkipReason.BROKEN,
            f"{what} '{row['what'][:50]}'",
            "its interaction is already in the journal"
            if not job.restore
            else f"its interaction #{doc_interaction} is not in the document",
        )
        return
    job.counts["action_items"] = job.counts.get("action_items", 0) + 1
    if not job.write:
        return
    conn = job.conn
    if not job.restore and interaction not in state["cleared"]:
        state["cleared"].add(interaction)
        conn.exec_driver_sql("DELETE FROM action_item WHERE interaction_id = ?", (interaction,))
    contact = job.contact_map.get(row["contact_id"]) if row["contact_id"] is not None else None
    now = now_epoch()
    conn.exec_driver_sql(
        "INSERT INTO action_item (id, interaction_id, vendor_id, what, owner, due, state,"
        " closed_at,"
        " reason, snoozed_until, contact_id, created_at, updated_at)"
        " SELECT ?, id, vendor_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM interaction WHERE id = ?",
        (
            row["id"] if job.restore else None,
            row["what"],
            row["owner"],
            row["due"],
            row["state"],
            row["closed_at"],
            row["reason"],
            row["snoozed_until"],
            contact,
            row["created_at"] or now,
            row["updated_at"] or now,
            interaction,
        ),
    )
