"""Rules every interaction, vendor and contact must meet before it is stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import NAME_MAX, SUMMARY_MAX, InteractionDraft

NOTES_MAX = 10_000_000  # 10 MB of notes on one interaction is a paste accident, not a note
TOPIC_MAX = 60
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _line_char(ch: str) -> str:
    if ch.isprintable():
        return ch
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp", "Zs"):
        return " "
    if category == "Cs":
        return "\ufffd"
    if ch == "\ufeff":
        return ""
    # Format characters (ZWJ in emoji, ZWNJ in Persian, RTL marks), private use and code points
    # newer than this Python's Unicode tables are text: dropping them would change what was typed.
    return ch


# The years a moment or a day may have, whatever path it comes in by (typed, a form, a file). Inside
# them a time shown in any zone stays a valid datetime (year 1 or 9999 overflowed in some zones).
FIRST_YEAR, LAST_YEAR = 1970, 9998
FIRST_DAY_YEAR = 1900  # days (acquisitions, events, contacts' dates) may be older than the epoch
# The same years as instants: local midnight of 1 January 1970 is 31 December 1969 in UTC east of
# Greenwich, so the bounds are a day wider than the years (and still a day inside datetime's).
_EARLIEST = datetime(FIRST_YEAR - 1, 12, 31, tzinfo=UTC)
_END = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)


def check_moment(moment: datetime, what: str = "The time") -> datetime:
    """The moment itself, or InvalidInput when it has no zone or lies outside FIRST_YEAR..LAST_YEAR."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise InvalidInput(f"{what} has no time zone; give a time with a zone or in local time.")
    if not _EARLIEST <= moment < _END:  # aware comparison: no conversion that could overflow
        raise InvalidInput(f"{what} is in the year {moment.year}; give a year from {FIRST_YEAR} to {LAST_YEAR}.")
    return moment


def check_day(day: date, what: str = "The date") -> date:
    if not FIRST_DAY_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(f"{what} is in the year {day.year}; give a year from {FIRST_DAY_YEAR} to {LAST_YEAR}.")
    return day


def check_acquirer(vendor_id: int, acquirer_id: int | None, acquirer_of: Callable[[int], int | None]) -> None:
    """Refuse a vendor acquired by itself, or by a company it (indirectly) owns: the names of an
    acquisition chain are followed to its top, which a cycle would never reach.
    acquirer_of(v) is v's current acquirer (None when it has none)."""
    if acquirer_id is None:
        return
    if acquirer_id == vendor_id:
        raise InvalidInput("A vendor cannot acquire itself; name the company that bought it.")
    seen = {vendor_id}
    cursor: int | None = acquirer_id
    while cursor is not None:
        if cursor in seen:
            raise InvalidInput("That would make the vendors own each other; check who bought whom.")
        seen.add(cursor)
        cursor = acquirer_of(cursor)


def clean_line(text: str) -> str:
    """Collapse a one-line field: no newlines, no control characters, no edge spaces."""
    if not text.isprintable():
        text = "".join(_line_char(ch) for ch in text)
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Free text (notes) as typed, but with Unix line ends, no NULs and no lone surrogates.

    Invalid UTF-8 in argv or stdin reaches Python as lone surrogates (surrogateescape); SQLite
    cannot store them, so each becomes U+FFFD instead of failing the whole write.
    """
    text = text.replace("\r\n", "\n").replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def clean_name(text: str, what: str) -> str:
    name = clean_line(text)
    if not name:
        raise InvalidInput(f"The {what} name is empty; type a name.")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"The {what} name is {len(name)} characters; keep it under {NAME_MAX}.")
    return name


def clean_domain(text: str) -> str:
    """'https://www.Example.com/partners' and '@example.com' both become 'example.com'."""
    d = text.strip().lower()
    d = re.sub(r"^[a-z]+://", "", d)
    d = d.split("/")[0].split("@")[-1].strip(".")
    if d.startswith("www."):
        d = d[4:]
    try:
        d = d.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidInput(f"'{text}' is not a domain; give one like example.com.") from None
    if not _DOMAIN_RE.match(d):
        raise InvalidInput(f"'{text}' is not a domain; give one like example.com.")
    return d


def clean_topics(topics: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Topics are lower-case labels; duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for t in topics:
        label = clean_line(t).lower()
        if not label:
            continue
        if len(label) > TOPIC_MAX:
            raise InvalidInput(f"The topic '{label[:30]}…' is too long; keep topics under {TOPIC_MAX} characters.")
        seen.setdefault(label, None)
    return tuple(seen)


def validate_draft(draft: InteractionDraft) -> InteractionDraft:
    """Return the draft with its text tidied, or raise InvalidInput saying what to fix."""
    from dataclasses import replace

    summary = clean_line(draft.summary)
    if not summary:
        raise InvalidInput("The summary is empty; say in one line what happened.")
    if len(summary) > SUMMARY_MAX:
        raise InvalidInput(
            f"The summary is {len(summary)} characters; keep it to one line "
            f"(under {SUMMARY_MAX}) and put the rest in the notes."
        )
    check_moment(draft.occurred_at)
    if draft.quality is not None and not (1 <= draft.quality <= 5):
        raise InvalidInput(f"Quality {draft.quality} is out of range; rate from 1 to 5.")
    notes = clean_text(draft.notes)
    if len(notes) > NOTES_MAX:
        raise InvalidInput(
            f"The notes are {len(notes):,} characters; keep them under {NOTES_MAX:,} "
            "(attach the document elsewhere and summarise it here)."
        )
    follow_up = draft.follow_up
    if follow_up is not None:
        check_day(follow_up.due, "The follow-up date")
        follow_up = replace(follow_up, what=clean_line(follow_up.what))
    return replace(
        draft,
        summary=summary,
        notes=notes,
        topics=clean_topics(draft.topics),
        contact_ids=tuple(dict.fromkeys(draft.contact_ids)),
        follow_up=follow_up,
    )
