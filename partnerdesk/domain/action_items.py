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
