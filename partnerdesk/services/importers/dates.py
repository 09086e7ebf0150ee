"""Dates as CRMs and spreadsheets write them.

ISO 8601 (with or without time and zone), Y/m/d, US m/d/Y, European d.m.Y and d/m/Y (day first
when asked, or when the file shows it), month names ('4 Mar 2025', 'March 4, 2025'), RFC 2822,
and Excel serial day numbers. A time without a zone is local time; a date without a time is
09:00 local, as a bare date typed in the CLI is.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone

from partnerdesk.domain.validation import FIRST_YEAR, LAST_YEAR
from partnerdesk.domain.when import attach_local

BARE_DATE_HOUR = 9
_NUMERIC = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:(?:[ T,]+|T)(.*))?$")
_TIME = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2})(?:[.,]\d+)?)?\s*([ap]\.?m\.?)?\s*"
    r"(z|utc|gmt|[+-]\d{2}:?\d{2})?$", re.I)
_MONTHS = {m: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in names}
_DAY_MONTH = re.compile(r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{2,4})(?:[ T,]+(.*))?$", re.I)
_MONTH_DAY = re.compile(r"^(?:[a-z]+,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2,4})(?:[ T,]+(.*))?$", re.I)
_EXCEL = re.compile(r"^\d{5}(?:\.\d+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _year(text: str) -> int:
    y = int(text)
    if len(text) <= 2:
        y += 2000 if y < 70 else 1900
    return y


def _clock(text: str) -> tuple[time, timezone | None]:
    m = _TIME.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a time")
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    if m.group(2) is None and not m.group(4):
        raise ValueError(f"'{text}' is not a time")
    meridian = (m.group(4) or "").lower().replace(".", "")
    if meridian:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{text}' is not a time")
        hour = hour % 12 + (12 if meridian == "pm" else 0)
    zone = None
    z = (m.group(5) or "").lower()
    if z in ("z", "utc", "gmt"):
        zone = UTC
    elif z:
        digits = z.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        zone = timezone(offset if digits[0] == "+" else -offset)
    return time(hour, minute, second), zone


class DateReader:
    """Reads one file's dates; `day_first` None means month first unless the file shows otherwise."""

    def __init__(self, day_first: bool | None = None):
        self.day_first = day_first

    def learn(self, samples: Iterable[str]) -> bool | None:
        """Look at a file's dates: True if some read only day first (25/03/2025), False if some read
        only month first (03/25/2025), None if all could be either."""
        first_big = second_big = False
        for s in samples:
            m = _NUMERIC.match(s.strip())
            if not m or len(m.group(1)) == 4 or m.group(2) == ".":
                continue
            a, b = int(m.group(1)), int(m.group(3))
            first_big |= a > 12 >= b
            second_big |= b > 12 >= a
        if first_big and not second_big:
            return True
        if second_big and not first_big:
            return False
        return None

    def parse(self, text: str, time_text: str = "") -> datetime:
        raw = " ".join(str(text).split())
        if time_text and time_text.strip():
            raw = f"{raw} {' '.join(time_text.split())}"
        if not raw:
            raise ValueError("the date is empty")
        moment = self._parse(raw)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValueError(f"'{text}' is out of range (years {FIRST_YEAR} to {LAST_YEAR})")
        return moment

    def _parse(self, raw: str) -> datetime:
        if raw.isdigit() and len(raw) in (9, 10, 12, 13):
            # Unix time, as CRMs and databases export it: seconds (9-10 digits) or milliseconds
            # (12-13); 8 digits stay a date (20250304).
            return datetime.fromtimestamp(int(raw) / (1000 if len(raw) > 10 else 1), UTC)
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                if len(raw) <= 10:
                    parsed = datetime.combine(parsed.date(), time(BARE_DATE_HOUR))
                return attach_local(parsed)
            return parsed
        m = _NUMERIC.match(raw)
        if m:
            a, sep, b, c, rest = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
            if len(a) == 4:
                y, mo, d = int(a), int(b), int(c)
            elif sep == "." or self.day_first:
                d, mo, y = int(a), int(b), _year(c)
            else:
                mo, d, y = int(a), int(b), _year(c)
            if len(a) != 4 and len(c) not in (2, 4):
                raise ValueError(f"'{raw}' is not a date I can read")
            return self._combine(raw, y, mo, d, rest)
        m = _DAY_MONTH.match(raw)
        if m and m.group(2).lower() in _MONTHS:
            return self._combine(raw, _year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)), m.group(4))
        m = _MONTH_DAY.match(raw)
        if m and m.group(1).lower() in _MONTHS:
            return self._combine(raw, _year(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)), m.group(4))
        if _EXCEL.match(raw):
            serial = float(raw)
            if 20000 <= serial <= 80000:  # 1954 to 2119: a plausible Excel date cell
                moment = _EXCEL_EPOCH + timedelta(days=serial)
                if moment.hour == moment.minute == 0 and "." not in raw:
                    moment = moment.replace(hour=BARE_DATE_HOUR)
                return attach_local(moment.replace(microsecond=0))
        try:
            mail_date = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError, OverflowError):
            mail_date = None
        if mail_date is not None:
            return mail_date if mail_date.tzinfo else attach_local(mail_date)
        raise ValueError(f"'{raw}' is not a date I can read")

    def _combine(self, raw: str, y: int, mo: int, d: int, rest: str | None) -> datetime:
        try:
            day = date(y, mo, d)
        except ValueError:
            hint = "" if self.day_first else " (if it is day/month/year, use the day-first option)"
            raise ValueError(f"'{raw}' is not a real date{hint}") from None
        if rest and rest.strip():
            clock, zone = _clock(rest)
            moment = datetime.combine(day, clock)
            return moment.replace(tzinfo=zone) if zone else attach_local(moment)
        return attach_local(datetime.combine(day, time(BARE_DATE_HOUR)))
