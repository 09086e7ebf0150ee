"""Records as plain dicts for JSON and CSV output (times as ISO 8601 with their offset)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.models import Contact, Interaction, Vendor, VendorEvent
from partnerdesk.domain.when import to_local


def interaction_dict(i: Interaction, items: Sequence[ActionItem] = ()) -> dict[str, Any]:
    """An interaction's record with every action item of it (`items`: all of them, or none)."""
    fu = i.follow_up
    return {
        "id": i.id,
        "vendor": i.vendor_name,
        "occurred_at": to_local(i.occurred_at).isoformat(timespec="seconds"),
        "channel": i.channel.value,
        "direction": i.direction.value,
        "tag": i.tag.value,
        "quality": i.quality,
        "summary": i.summary,
        "notes": i.notes,
        "topics": list(i.topics),
        "contacts": [c.name for c in i.contacts],
        "follow_up": None if fu is None else {
            "due": fu.due.isoformat(),
            "what": fu.what,
            "owner": fu.owner.value,
            "done_at": to_local(fu.done_at).isoformat(timespec="seconds") if fu.done_at else None,
        },
        "source": i.source.value,
        "source_id": i.source_id,
        "action_items": action_item_dicts(items),
    }


def action_item_dicts(items: Sequence[ActionItem]) -> list[dict[str, Any]]:
    """An interaction's action items for its JSON record, in the order added.

    "follow_up" beside them keeps carrying the first item, for readers of older exports.
    """
    return [{
        "id": i.id,
        "what": i.what,
        "owner": i.owner,
        "due": i.due.isoformat(),
        "state": i.state.value,
        "closed_at": (datetime.fromtimestamp(i.closed_at, UTC).astimezone().isoformat(
            timespec="seconds") if i.closed_at is not None else None),
        "reason": i.reason,
        "snoozed_until": i.snoozed_until.isoformat() if i.snoozed_until else None,
    } for i in items]


def flat(d: dict[str, Any]) -> dict[str, Any]:
    """One CSV row from an interaction's record: lists joined with '; ', the first follow-up
    spread over the old columns (importers read them back), every action item in one cell."""
    fu = d.pop("follow_up") or {}
    items = d.pop("action_items", None) or []
    d["topics"] = "; ".join(d["topics"])
    d["contacts"] = "; ".join(d["contacts"])
    d["follow_up_due"] = fu.get("due")
    d["follow_up_what"] = fu.get("what")
    d["follow_up_owner"] = fu.get("owner")
    d["follow_up_done_at"] = fu.get("done_at")
    d["action_items"] = "; ".join(_item_cell(i) for i in items)
    return d


def _item_cell(i: dict[str, Any]) -> str:
    """'Send the quote (vendor, due 2026-01-10, dropped: vendor refused)'."""
    state = i["state"] + (f": {i['reason']}" if i["reason"] else "")
    if i["snoozed_until"]:
        state += f" until {i['snoozed_until']}"
    return f"{i['what']} ({i['owner']}, due {i['due']}, {state})"


def interaction_flat(i: Interaction, items: Sequence[ActionItem] = ()) -> dict[str, Any]:
    return flat(interaction_dict(i, items))


def vendor_dict(v: Vendor, stats: tuple[int, Any, int] | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": v.id,
        "name": v.name,
        "display_name": v.display_name,
        "programme": v.programme,
        "tier": v.tier,
        "domains": list(v.domains),
        "archived": v.archived,
        "acquired_by": v.acquirer_name,
        "acquired_on": v.acquired_on.isoformat() if v.acquired_on else None,
    }
    if stats is not None:
        n, last, overdue = stats
        d["interactions"] = n
        d["last_contact"] = to_local(last).isoformat(timespec="seconds") if last else None
        d["overdue_follow_ups"] = overdue
    return d


def contact_dict(c: Contact, vendor_name: str) -> dict[str, Any]:
    return {
        "id": c.id,
        "vendor": vendor_name,
        "name": c.name,
        "role": c.role.value,
        "email": c.email,
        "phone": c.phone,
        "active_from": c.active_from.isoformat() if c.active_from else None,
        "active_to": c.active_to.isoformat() if c.active_to else None,
    }


def event_dict(e: VendorEvent, vendor_name: str) -> dict[str, Any]:
    return {"id": e.id, "vendor": vendor_name, "on": e.on.isoformat(), "kind": e.kind.value, "text": e.text}
