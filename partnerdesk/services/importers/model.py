"""What an import will do (the plan the window and `partnerdesk import` preview) and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from partnerdesk.domain.errors import PartnerdeskError
from partnerdesk.domain.vocab import Channel, Direction, Role, Source, Tag


class ImportFailed(PartnerdeskError):
    """A file cannot be imported at all (unreadable, empty, not that kind of file, changed since the
    preview). The message is one sentence naming the file and what to do. Nothing was written."""


class ImportCancelled(PartnerdeskError):
    """The user cancelled a running import; its transaction was rolled back."""


class SkipReason(StrEnum):
    DUPLICATE = "duplicate"  # already in the journal (an earlier import), or twice in these files
    NO_VENDOR = "no vendor"  # no vendor has the item's domains or name: ask, or pass a vendor
    CANCELLED = "cancelled"  # a cancelled meeting, or an occurrence removed from a series
    OUT_OF_RANGE = "out of range"  # a meeting outside the chosen date range
    BROKEN = "broken"  # a part of the file that cannot be read; `detail` says why
    OVER_LIMIT = "over a limit"  # beyond a bound of limits.py (a series repeating every second)


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: SkipReason
    what: str  # "event 'Weekly sync' (UID abc)", "row 12", "message 3 'Re: pricing'"
    detail: str = ""  # why, in words: "has no start time (DTSTART)"
    path: str = ""
    domains: tuple[str, ...] = ()  # NO_VENDOR: the mail domains seen, so the window can ask
    vendor_names: tuple[str, ...] = ()  # NO_VENDOR: company names as the file gives them

    def describe(self) -> str:
        text = f"{self.what}: {self.reason.value}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True, slots=True)
class PlannedInteraction:
    """One interaction the import will add (as the preview shows it)."""

    vendor: str
    occurred_at: datetime
    summary: str
    tag: Tag
    channel: Channel
    direction: Direction
    contacts: tuple[str, ...]
    source: Source
    source_id: str
    what: str  # where in the file it came from
    path: str = ""


@dataclass(frozen=True, slots=True)
class PlannedContact:
    """A contact the import will create (meeting attendees, mail correspondents, vCards, CSV names)."""

    vendor: str
    vendor_id: int
    name: str
    email: str = ""
    phone: str = ""
    role: Role = Role.OTHER
    what: str = ""


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    format: str  # ics, eml, mbox, csv, vcf, json
    size: int
    mtime_ns: int
    encoding: str = ""  # csv: the encoding it was read with
    delimiter: str = ""  # csv: the separator found


@dataclass
class ImportPlan:
    """Everything an import will add and skip, and why; `apply_import` writes it.

    Lists are for showing: `added` holds the first PREVIEW_LIMIT interactions (counts are exact),
    `skipped` the first SKIPPED_LIMIT skipped parts (`skipped_counts` has them all).
    """

    sources: list[SourceFile] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    added: list[PlannedInteraction] = field(default_factory=list)
    added_count: int = 0
    new_contacts: list[PlannedContact] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    skipped_counts: dict[SkipReason, int] = field(default_factory=dict)
    # domain -> how many items carried it, for items no vendor matched (the window asks for these)
    unmatched_domains: dict[str, int] = field(default_factory=dict)
    # company / account names from CSV rows and vCards that name no vendor in the journal
    unmatched_vendor_names: dict[str, int] = field(default_factory=dict)
    # CSV: header -> field ('' = not imported), the guess merged with the caller's corrections
    csv_mapping: dict[str, str] = field(default_factory=dict)
    default_tag: Tag = Tag.TRANSACTIONAL
    ics_range: tuple[date, date] | None = None
    notes: list[str] = field(default_factory=list)  # choices made for the user, in words
    # partnerdesk JSON only: 'restore' (an empty journal, ids kept) or 'merge'
    json_mode: str = ""
    json_counts: dict[str, int] = field(default_factory=dict)  # what the document adds, by kind
    # What apply_import writes: the settled records, in a temporary file (see spill.py).
    _spill: Any = field(default=None, repr=False)

    def close(self) -> None:
        """Drop the plan's temporary file (also done when the plan is collected)."""
        if self._spill is not None:
            self._spill.close()

    @property
    def unmatched_count(self) -> int:
        return self.skipped_counts.get(SkipReason.NO_VENDOR, 0)

    @property
    def nothing_to_do(self) -> bool:
        return not self.added_count and not self.new_contacts and not any(self.json_counts.values())

    def summary_line(self) -> str:
        parts = [f"{self.added_count:,} interaction{'s' if self.added_count != 1 else ''} to add"]
        contacts = self.json_counts.get("contacts", len(self.new_contacts))
        if contacts:
            parts.append(f"{contacts:,} new contact{'s' if contacts != 1 else ''}")
        for kind in ("vendors", "events", "questions", "answers"):
            n = self.json_counts.get(kind, 0)
            if n:
                parts.append(f"{n:,} {kind if n != 1 else kind[:-1]}")
        parts += ledger_words(self.json_counts)
        total_skipped = sum(self.skipped_counts.values())
        if total_skipped:
            detail = ", ".join(f"{n:,} {r.value}" for r, n in self.skipped_counts.items() if n)
            parts.append(f"{total_skipped:,} skipped ({detail})")
        return "; ".join(parts) + "."


def ledger_words(counts: dict[str, int]) -> list[str]:
    """The ledger's records of a whole-journal document in words ('1 money item', …)."""
    from partnerdesk.services.section_words import count_phrase

    return [count_phrase(n, k) for k in ("registrations", "money", "tiers", "certifications",
                                         "benefits") if (n := counts.get(k, 0))]


@dataclass(frozen=True)
class ImportResult:
    added: int = 0  # interactions
    skipped_duplicates: int = 0  # found already present while writing
    contacts_added: int = 0
    vendors_added: int = 0
    events_added: int = 0
    questions_added: int = 0
    answers_added: int = 0
    backup: Path | None = None
    seconds: float = 0.0
    ledger_added: dict[str, int] = field(default_factory=dict)  # a document's ledger, by section

    def summary_line(self) -> str:
        parts = [f"Imported {self.added:,} interaction{'s' if self.added != 1 else ''}"]
        for n, word in ((self.contacts_added, "contact"), (self.vendors_added, "vendor"),
                        (self.events_added, "event"), (self.questions_added, "question"),
                        (self.answers_added, "answer")):
            if n:
                parts.append(f"{n:,} {word}{'s' if n != 1 else ''}")
        parts += ledger_words(self.ledger_added)
        text = ", ".join(parts)
        if self.skipped_duplicates:
            text += f" ({self.skipped_duplicates:,} already there)"
        return text + "."
