"""Logging an interaction from what a person typed: names and words in, a stored record out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import FollowUp, Interaction, InteractionDraft
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Tag, parse_choice
from partnerdesk.domain.when import local_now, parse_day, parse_when

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal


@dataclass
class LogRequest:
    """The fields of a log entry as text, the way the command line and quick log hold them."""

    vendor: str
    summary: str
    tag: str
    notes: str = ""
    channel: str = "other"
    direction: str = "out"
    at: str | None = None
    contacts: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    quality: int | str | None = None
    follow_up: str | None = None
    follow_up_text: str = ""
    vendor_promise: bool = False


def parse_quality(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        q = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"Quality '{value}' is not a number; rate from 1 to 5.") from None
    if not 1 <= q <= 5:
        raise InvalidInput(f"Quality {q} is out of range; rate from 1 to 5.")
    return q


def build_draft(journal: Journal, req: LogRequest, now: datetime | None = None) -> InteractionDraft:
    now = now or local_now()
    if not req.tag:
        raise InvalidInput("Say whether it was helpful or transactional (--tag helpful|transactional).")
    tag = parse_choice(Tag, req.tag, "tag")
    channel = parse_choice(Channel, req.channel or "other", "channel")
    direction = parse_choice(Direction, req.direction or "out", "direction")
    occurred = parse_when(req.at, now) if req.at else now
    quality = parse_quality(req.quality)
    vendor = journal.vendors.resolve(req.vendor)
    contact_ids = tuple(journal.contacts.resolve(vendor.id, name, vendor.name).id
                        for name in req.contacts if name.strip())
    follow_up = None
    if req.follow_up:
        follow_up = FollowUp(
            due=parse_day(req.follow_up, now.date()),
            what=req.follow_up_text,
            owner=FollowUpOwner.VENDOR if req.vendor_promise else FollowUpOwner.ME,
        )
    elif req.follow_up_text or req.vendor_promise:
        raise InvalidInput("A follow-up needs a due date; add --follow-up YYYY-MM-DD.")
    return InteractionDraft(
        vendor_id=vendor.id,
        occurred_at=occurred,
        summary=req.summary,
        tag=tag,
        channel=channel,
        direction=direction,
        notes=req.notes,
        quality=quality,
        topics=tuple(req.topics),
        contact_ids=contact_ids,
        follow_up=follow_up,
    )


def log_interaction(journal: Journal, req: LogRequest, now: datetime | None = None) -> Interaction:
    return journal.interactions.add(build_draft(journal, req, now))
