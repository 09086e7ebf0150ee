"""Reading interaction rows into domain values, shared by the store and the stdlib reader.

Takes an `execute(sql, params) -> rows` callable so that a SQLAlchemy connection and a plain
sqlite3 connection read exactly the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from partnerdesk.domain.models import Contact, FollowUp, Interaction
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Role, Source, Tag
from partnerdesk.store.timecodec import from_epoch, from_iso_day

COLUMNS = (
    "i.id, i.vendor_id, v.name, i.occurred_at, i.summary, i.tag, i.channel, i.direction, i.notes,"
    " i.quality, i.topics, i.follow_up_due, i.follow_up_text, i.follow_up_owner,"
    " i.follow_up_done_at, i.source, i.source_id, i.created_at, i.updated_at"
)
FROM = " FROM interaction i JOIN vendor v ON v.id = i.vendor_id"

Execute = Callable[[str, tuple[Any, ...]], Sequence[Sequence[Any]]]

# Dictionary lookups: calling the Enum class per row costs ~1 ms a page.
_TAGS: dict[str, Tag] = {t.value: t for t in Tag}
_CHANNELS: dict[str, Channel] = {c.value: c for c in Channel}
_DIRECTIONS: dict[str, Direction] = {d.value: d for d in Direction}
_ROLES: dict[str, Role] = {r.value: r for r in Role}
_SOURCES: dict[str, Source] = {s.value: s for s in Source}


def fetch_interactions(execute: Execute, ids: Sequence[int]) -> list[Interaction]:
    """Interactions for these ids, in the order asked; missing ids are left out."""
    if not ids:
        return []
    found: dict[int, Interaction] = {}
    contacts: dict[int, list[Contact]] = {}
    for start in range(0, len(ids), 900):
        chunk = tuple(ids[start:start + 900])
        marks = ",".join("?" * len(chunk))
        for r in execute(
                "SELECT ic.interaction_id, c.id, c.vendor_id, c.name, c.role, c.email, c.phone,"
                " c.active_from, c.active_to FROM interaction_contact ic JOIN contact c"
                f" ON c.id = ic.contact_id WHERE ic.interaction_id IN ({marks}) ORDER BY c.name", chunk):
            contacts.setdefault(r[0], []).append(Contact(
                id=r[1], vendor_id=r[2], name=r[3], role=_ROLES.get(r[4], Role.OTHER),
                email=r[5], phone=r[6], active_from=from_iso_day(r[7]), active_to=from_iso_day(r[8])))
        for r in execute(f"SELECT {COLUMNS}{FROM} WHERE i.id IN ({marks})", chunk):
            found[r[0]] = to_interaction(r, contacts.get(r[0], []))
    return [found[i] for i in ids if i in found]


def to_interaction(r: Sequence[Any], contacts: list[Contact]) -> Interaction:
    # follow_up is the interaction's FIRST action item, read from the follow_up_* mirror the
    # V_ACTION_ITEMS triggers keep: what the edit form changes and what the "follow_up" field of
    # exports carries for older readers. Anything that shows or counts follow-ups reads the
    # action items themselves (store/action_items.py, store/promises.py).
    due = from_iso_day(r[11])
    follow_up = None
    if due is not None:
        follow_up = FollowUp(due=due, what=r[12] or "",
                             owner=FollowUpOwner(r[13] or "me"),
                             done_at=from_epoch(r[14]) if r[14] is not None else None)
    return Interaction(
        id=r[0], vendor_id=r[1], vendor_name=r[2], occurred_at=from_epoch(r[3]), summary=r[4],
        tag=_TAGS[r[5]],
        channel=_CHANNELS.get(r[6], Channel.OTHER),
        direction=_DIRECTIONS[r[7]], notes=r[8], quality=r[9],
        topics=tuple(t for t in r[10].split("\n") if t), contacts=tuple(contacts),
        follow_up=follow_up,
        source=_SOURCES.get(r[15], Source.MANUAL),
        source_id=r[16], created_at=from_epoch(r[17]), updated_at=from_epoch(r[18]),
    )
