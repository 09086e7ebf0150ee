"""Action items: what someone committed to after an interaction, and how it ended.

An interaction may carry several. The vendor's items are its promises; the rep's are to-dos.
Health, follow-up lists, briefs and reports read promises through this one shape, so the
definition of "open", "overdue" and "broken" lives here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ItemState(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    SNOOZED = "snoozed"  # open, hidden from due lists until snoozed_until


# Why an item was dropped. Only the first two mean the vendor let the partner down: a dropped
# vendor promise counts as broken for health only with one of those.
class DropReason(StrEnum):
    VENDOR_REFUSED = "vendor refused"
    VENDOR_FAILED = "vendor failed"
    SUPERSEDED = "superseded"
    NO_LONGER_NEEDED = "no longer needed"
    OTHER = "other"


BROKEN_REASONS = frozenset({DropReason.VENDOR_REFUSED, DropReason.VENDOR_FAILED})


@dataclass(frozen=True, slots=True)
class Promise:
    """One vendor promise as health and reports see it."""

    vendor_id: int
    item_id: int
    interaction_id: int | None
    what: str
    due: date
    state: ItemState
    closed_at: int | None  # UTC seconds when done or dropped, else None
    reason: str  # drop reason ('' unless dropped)
    created_at: int  # UTC seconds

    @property
    def is_open(self) -> bool:
        return self.state in (ItemState.OPEN, ItemState.SNOOZED)

    @property
    def broken(self) -> bool:
        return self.state is ItemState.DROPPED and self.reason in BROKEN_REASONS

    def is_overdue(self, as_of: date) -> bool:
        """The one definition of overdue: still open and its due date is before `as_of`."""
        return self.is_open and self.due < as_of


WHAT_MAX = 500  # one line, like an interaction's summary
OWNERS = ("vendor", "me")  # FollowUpOwner's values: the vendor's promise, or the rep's own to-do


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One commitment made in an interaction, as the follow-ups list, the tray and the CLI see it."""

    id: int
    interaction_id: int
    vendor_id: int
    what: str
    owner: str  # "vendor" (a promise) or "me" (the rep's to-do)
    due: date
    state: ItemState
    closed_at: int | None = None  # UTC seconds, when done or dropped
    reason: str = ""  # why it was dropped
    snoozed_until: date | None = None
    contact_id: int | None = None
    created_at: int = 0
    updated_at: int = 0
    vendor_name: str = ""  # read along for display; not stored on the item

    @property
    def is_open(self) -> bool:
        return self.state in (ItemState.OPEN, ItemState.SNOOZED)

    def is_overdue(self, as_of: date) -> bool:
        """Overdue as Promise.is_overdue says (snoozing hides an item; it does not forgive it)."""
        return self.is_open and self.due < as_of

    def needs_attention(self, today: date) -> bool:
        """Due today or earlier, and not snoozed past today: what reminders and the tray show."""
        if self.state is ItemState.OPEN:
            return self.due <= today
        if self.state is ItemState.SNOOZED:
            return self.snoozed_until is not None and self.snoozed_until <= today
        return False

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days if self.is_overdue(today) else 0

    def as_promise(self) -> Promise:
        return Promise(vendor_id=self.vendor_id, item_id=self.id, interaction_id=self.interaction_id,
                       what=self.what, due=self.due, state=self.state, closed_at=self.closed_at,
                       reason=self.reason, created_at=self.created_at)


@dataclass(frozen=True, slots=True)
class KeepInTouchDue:
    """A vendor with a keep-in-touch cadence that has gone longer than it without contact."""

    vendor_id: int
    vendor_name: str
    every_days: int
    last_contact: date | None  # None: never

    def due_since(self) -> date | None:
        from datetime import timedelta

        return self.last_contact + timedelta(days=self.every_days) if self.last_contact else None


def drop_reason(text: str) -> str:
    """A drop reason as typed: one of DropReason's words when it matches one, else the text.

    The reason decides whether a dropped vendor promise counts as broken (BROKEN_REASONS), so
    'refused', 'Vendor Refused' and 'vendor-refused' all become 'vendor refused'.
    """
    raw = " ".join(text.replace("-", " ").replace("_", " ").split()).lower()
    for reason in DropReason:
        if raw in (reason.value, reason.value.removeprefix("vendor ")):
            return reason.value
    return " ".join(text.split())
