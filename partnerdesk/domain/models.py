"""The journal's records as plain values, handed between store, services and faces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from partnerdesk.domain.vocab import (
    Channel,
    Direction,
    EventKind,
    FollowUpOwner,
    Role,
    Source,
    Tag,
)

SUMMARY_MAX = 500  # one line: longer text belongs in the notes
NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class Vendor:
    id: int
    name: str
    programme: str = ""
    tier: str = ""
    domains: tuple[str, ...] = ()
    notes: str = ""
    archived: bool = False
    acquirer_id: int | None = None
    acquirer_name: str | None = None
    acquired_on: date | None = None

    @property
    def display_name(self) -> str:
        """'Qwest (CenturyLink)' once Qwest has been bought."""
        return f"{self.name} ({self.acquirer_name})" if self.acquirer_name else self.name


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    vendor_id: int
    name: str
    role: Role = Role.OTHER
    email: str = ""
    phone: str = ""
    active_from: date | None = None
    active_to: date | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    due: date
    what: str = ""
    owner: FollowUpOwner = FollowUpOwner.ME
    done_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due < today


@dataclass(frozen=True, slots=True)
class InteractionDraft:
    """What a rep (or an importer) hands in to be logged; the store gives it an id."""

    vendor_id: int
    occurred_at: datetime  # timezone-aware
    summary: str
    tag: Tag
    channel: Channel = Channel.OTHER
    direction: Direction = Direction.OUTBOUND
    notes: str = ""
    quality: int | None = None
    topics: tuple[str, ...] = ()
    contact_ids: tuple[int, ...] = ()
    follow_up: FollowUp | None = None
    source: Source = Source.MANUAL
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class Interaction:
    id: int
    vendor_id: int
    vendor_name: str
    occurred_at: datetime  # timezone-aware, UTC as stored
    summary: str
    tag: Tag
    channel: Channel
    direction: Direction
    notes: str
    quality: int | None
    topics: tuple[str, ...]
    contacts: tuple[Contact, ...]
    follow_up: FollowUp | None
    source: Source
    source_id: str | None
    created_at: datetime
    updated_at: datetime

    def as_draft(self) -> InteractionDraft:
        return InteractionDraft(
            vendor_id=self.vendor_id,
            occurred_at=self.occurred_at,
            summary=self.summary,
            tag=self.tag,
            channel=self.channel,
            direction=self.direction,
            notes=self.notes,
            quality=self.quality,
            topics=self.topics,
            contact_ids=tuple(c.id for c in self.contacts),
            follow_up=self.follow_up,
            source=self.source,
            source_id=self.source_id,
        )


@dataclass(frozen=True, slots=True)
class VendorEvent:
    id: int
    vendor_id: int
    on: date
    kind: EventKind
    text: str


@dataclass(frozen=True, slots=True)
class InteractionFilter:
    """Which interactions a list or search shows. Empty means everything."""

    vendor_ids: tuple[int, ...] = ()
    tag: Tag | None = None
    channel: Channel | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    open_follow_up: bool = False
    text: str = ""
    extra: dict[str, str] = field(default_factory=dict)
