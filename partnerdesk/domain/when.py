"""Reading the dates and times a person types, in their local time zone.

Local time follows the operating system's rules (``datetime.astimezone``), so an
interaction logged for a summer date gets the summer offset even in winter.
Everything leaves here timezone-aware.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.validation import FIRST_DAY_YEAR, FIRST_YEAR, LAST_YEAR

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TIME_RE = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?$", re.I)
_AGO_RE = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)\s+ago$", re.I)
_WHEN_HELP = (
    "use YYYY-MM-DD HH:MM, an ISO 8601 time, 'now', 'today 9:15', 'yesterday 15:00', "
    "'monday 10:00' or '2h ago'"
)
_DATE_HELP = "use YYYY-MM-DD, 'today', 'tomorrow', 'yesterday', a weekday or 'in 3 days'"


def local_now() -> datetime:
    return datetime.now().astimezone()


def to_local(moment: datetime) -> datetime:
    """An aware time shown in the machine's zone, with the offset right for that date."""
    return moment.astimezone()


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def attach_local(naive: datetime) -> datetime:
    """Read a wall-clock time as local time (DST-correct for that date)."""
    try:
        return naive.astimezone()
    except (OverflowError, OSError, ValueError):
        raise InvalidInput(f"{naive:%Y-%m-%d %H:%M} is out of range; give a date after 1970.") from None


def _parse_clock(text: str) -> time:
    m = _TIME_RE.match(text.strip())
    if not m:
        raise ValueError(text)
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    meridian = (m.group(4) or "").lower()
    if meridian:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if meridian == "pm" else 0)
    elif m.group(2) is None:
        raise ValueError(text)  # a bare number is too ambiguous to be a time
    return time(hour, minute, second)


def _relative_day(word: str, today: date, future: bool) -> date | None:
    word = word.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    if word == "tomorrow":
        return today + timedelta(days=1)
    for prefix in ("last ", "next ", ""):
        if word.startswith(prefix) and word[len(prefix):] in _WEEKDAYS:
            wanted = _WEEKDAYS.index(word[len(prefix):])
            if prefix == "next " or (prefix == "" and future):
                delta = (wanted - today.weekday()) % 7 or 7
                return today + timedelta(days=delta)
            delta = (today.weekday() - wanted) % 7 or 7
            return today - timedelta(days=delta)
    return None


def parse_when(text: str, now: datetime | None = None) -> datetime:
    """Read when something happened; raise InvalidInput with the accepted forms otherwise.
    Every form obeys the one range of domain.validation ('9999 weeks ago' is refused, not 1835)."""
    return _in_range(_parse_when, text, now, FIRST_YEAR, "a time")  # type: ignore[no-any-return]


def _parse_when(text: str, now: datetime | None) -> datetime | None:
    now = now or local_now()
    raw = " ".join(str(text).split())
    if not raw:
        raise InvalidInput(f"No time given; {_WHEN_HELP}.")
    low = raw.lower()
    if low == "now":
        return now
    m = _AGO_RE.match(low)
    if m:
        n, unit = int(m.group(1)), m.group(2)[0]
        step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
                "w": timedelta(weeks=1)}[unit]
        return now - n * step
    # "today 9:15", "yesterday", "last monday 3pm"
    words = low.split(" ")
    for split in (2, 1):
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        day = _relative_day(head, now.date(), future=False)
        if day is None:
            continue
        if not tail:
            clock = now.time().replace(microsecond=0) if day == now.date() else time(9, 0)
        else:
            try:
                clock = _parse_clock(tail)
            except ValueError:
                raise InvalidInput(f"'{text}' is not a time I can read; {_WHEN_HELP}.") from None
        return attach_local(datetime.combine(day, clock))
    try:
        parsed = datetime.fromisoformat(raw.replace(" T", "T"))
    except ValueError:
        parsed = None
    if parsed is None:
        # "2026-11-27 2:30pm"
        parts = raw.split(" ", 1)
        if len(parts) == 2:
            try:
                day = date.fromisoformat(parts[0])
                parsed = datetime.combine(day, _parse_clock(parts[1]))
            except ValueError:
                parsed = None
    if parsed is None:
        raise InvalidInput(f"'{text}' is not a time I can read; {_WHEN_HELP}.")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        return None  # out of range: said by parse_when, before attaching a zone could overflow
    if parsed.tzinfo is None:
        if len(raw) <= 10:  # a bare date: the working morning, not midnight
            parsed = datetime.combine(parsed.date(), time(9, 0))
        parsed = attach_local(parsed)
    return parsed


def parse_day(text: str, today: date | None = None) -> date:
    """Read a calendar date (follow-up due dates, events, acquisitions), in the one range of
    domain.validation ('in 9999 weeks' included)."""
    return _in_range(_parse_day, text, today, FIRST_DAY_YEAR, "a date")  # type: ignore[no-any-return]


def _in_range(parse: Any, text: str, now: Any, first_year: int, what: str) -> Any:
    """parse(text, now), refused in one sentence when it lies outside first_year..LAST_YEAR (or
    overflows on the way there, as '9999 weeks ago' can)."""
    try:
        got = parse(text, now)
    except OverflowError:
        got = None
    if got is None or not first_year <= got.year <= LAST_YEAR:
        raise InvalidInput(f"'{text}' is out of range; give {what} in the years {first_year} to {LAST_YEAR}.")
    return got


def _parse_day(text: str, today: date | None) -> date:
    today = today or local_now().date()
    raw = " ".join(str(text).split()).lower()
    if not raw:
        raise InvalidInput(f"No date given; {_DATE_HELP}.")
    m = re.match(r"^in (\d{1,4}) (day|days|week|weeks)$", raw)
    if m:
        n = int(m.group(1)) * (7 if m.group(2).startswith("week") else 1)
        return today + timedelta(days=n)
    rel = _relative_day(raw, today, future=True)
    if rel is not None:
        return rel
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date I can read; {_DATE_HELP}.") from None


def day_start(day: date) -> datetime:
    """Local midnight that opens a day, aware."""
    return attach_local(datetime.combine(day, time(0, 0)))
