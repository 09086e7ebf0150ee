"""Calendar files (.ics) from Google Calendar, Outlook, Apple Calendar and Thunderbird.

Parsing is icalendar's (VTIMEZONE blocks, TZID parameters incl. Windows zone names, folded
lines); recurring meetings are expanded by recurring-ical-events (RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides). Each series is expanded on its own, so one broken event is reported
and skipped while the rest of the file imports.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from partnerdesk.domain.vocab import Channel, Direction, Source
from partnerdesk.domain.when import attach_local, day_start
from partnerdesk.services.importers.common import (
    Found,
    Person,
    ReadProblem,
    clean_email,
    short,
    stable_hash,
)
from partnerdesk.services.importers.model import ImportFailed, Skipped, SkipReason

ALL_DAY_HOUR = 9  # an all-day event is logged at 09:00 local, like a bare date typed in the CLI
_SKIP_CUTYPES = {"ROOM", "RESOURCE"}


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last two years up to today."""
    today = today or date.today()
    try:
        start = today.replace(year=today.year - 2)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 2, day=28)
    return start, today


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    try:
        return str(value)
    except Exception:  # noqa: BLE001 - a broken property must not stop the file
        return ""


def _as_moment(value: Any) -> datetime:
    """An aware start time: TZID'd and UTC times as they are, floating times and all-day dates local."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return attach_local(value)
        return value
    if isinstance(value, date):
        return attach_local(datetime.combine(value, time(ALL_DAY_HOUR, 0)))
    raise ValueError(f"start is not a date or time ({type(value).__name__})")


def _rid_key(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return _text(value)


def _people(component: Any) -> tuple[tuple[Person, ...], str]:
    people: list[Person] = []
    organizer = ""
    org = component.get("ORGANIZER")
    if org is not None:
        organizer = clean_email(_text(org))
        if organizer:
            people.append(Person(name=_text(getattr(org, "params", {}).get("CN", "")), email=organizer))
    attendees = component.get("ATTENDEE")
    if attendees is None:
        attendees = []
    elif not isinstance(attendees, list):
        attendees = [attendees]
    for a in attendees:
        params = getattr(a, "params", {}) or {}
        if str(params.get("CUTYPE", "")).upper() in _SKIP_CUTYPES:
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        email = clean_email(_text(a))
        if not email or any(p.email == email for p in people):
            continue
        people.append(Person(name=_text(params.get("CN", "")), email=email))
    return tuple(people), organizer


def _notes(component: Any) -> str:
    parts = [_text(component.get("DESCRIPTION")).strip()]
    location = _text(component.get("LOCATION")).strip()
    if location:
        parts.append(f"Location: {location}")
    return "\n\n".join(p for p in parts if p)


def _found(component: Any, start: datetime, source_id: str, path: Path, what: str,
           rep_emails: frozenset[str], master: Any = None) -> Found:
    people, organizer = _people(component)
    if not people and master is not None:  # an overridden occurrence that does not repeat who comes
        people, organizer = _people(master)
    direction = None
    if organizer and rep_emails:
        direction = Direction.OUTBOUND if organizer in rep_emails else Direction.INBOUND
    summary = " ".join(_text(component.get("SUMMARY")).split()) or "(no title)"
    return Found(occurred_at=start, summary=summary, source=Source.CALENDAR, source_id=source_id,
                 what=what, path=str(path), notes=_notes(component), channel=Channel.MEETING,
                 direction=direction, people=people, sender=organizer)


def _is_cancelled(component: Any) -> bool:
    return _text(component.get("STATUS")).strip().upper() == "CANCELLED"


def parse_calendars(data: bytes, path: Path) -> list[Any]:
    import icalendar

    if not data.strip():
        raise ImportFailed(f"{path} is empty; there is nothing to import.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError and friends for non-calendars
        raise ImportFailed(f"{path} is not a calendar file icalendar can read ({short(str(exc), 80)}); "
                           "export it again as .ics.") from None
    calendars = [c for c in calendars if getattr(c, "name", "") == "VCALENDAR"]
    if not calendars:
        raise ImportFailed(f"{path} has no calendar in it (no BEGIN:VCALENDAR); export it again as .ics.")
    try:
        import x_wr_timezone

        calendars = [x_wr_timezone.to_standard(c) for c in calendars]
    except Exception:  # noqa: BLE001 - Google's X-WR-TIMEZONE is a nicety; floating times stay local
        pass
    return calendars


def read_ics(path: Path, data: bytes, rng: tuple[date, date],
             rep_emails: frozenset[str]) -> Iterator[Found | Skipped | ReadProblem]:
    import icalendar
    import recurring_ical_events

    lo, hi = day_start(rng[0]), day_start(rng[1] + timedelta(days=1))
    calendars = parse_calendars(data, path)
    for cal in calendars:
        method_cancel = _text(cal.get("METHOD")).upper() == "CANCEL"
        zones = [c for c in cal.subcomponents if getattr(c, "name", "") == "VTIMEZONE"]
        groups: dict[str, list[Any]] = {}
        for n, comp in enumerate(cal.walk("VEVENT"), 1):
            uid = _text(comp.get("UID")).strip()
            if not uid:
                raw = comp.to_ical() if hasattr(comp, "to_ical") else b""
                uid = stable_hash(raw)
            groups.setdefault(uid, []).append((n, comp))
        for uid, items in groups.items():
            yield from _read_series(uid, items, zones, lo, hi, path, method_cancel, rep_emails,
                                    icalendar, recurring_ical_events)


def _label(comp: Any, n: int) -> str:
    title = short(_text(comp.get("SUMMARY")), 50)
    return f"event {n} '{title}'" if title else f"event {n}"


def _read_series(uid: str, items: list[Any], zones: list[Any], lo: datetime, hi: datetime, path: Path,
                 method_cancel: bool, rep_emails: frozenset[str], icalendar: Any,
                 rie: Any) -> Iterator[Found | Skipped | ReadProblem]:
    masters = [(n, c) for n, c in items if c.get("RECURRENCE-ID") is None]
    overrides = [(n, c) for n, c in items if c.get("RECURRENCE-ID") is not None]
    first_n, first = (masters or overrides)[0]
    label = _label(first, first_n)
    if method_cancel or (masters and _is_cancelled(masters[0][1])):
        yield Skipped(SkipReason.CANCELLED, label, "the meeting was cancelled", str(path))
        return
    master = masters[0][1] if masters else None
    recurring = master is not None and (master.get("RRULE") is not None or master.get("RDATE") is not None)
    if not recurring:
        # One meeting (or overrides whose series is not in the file): each stands alone.
        for n, comp in (masters[:1] + overrides):
            what = _label(comp, n)
            if _is_cancelled(comp):
                yield Skipped(SkipReason.CANCELLED, what, "the meeting was cancelled", str(path))
                continue
            try:
                start = _as_moment(comp.start)
                rid = comp.get("RECURRENCE-ID")
                sid = uid if rid is None else f"{uid}#{_rid_key(rid.dt)}"
            except Exception as exc:  # noqa: BLE001 - icalendar: missing/broken DTSTART and the like
                yield ReadProblem(what, _reason(exc), str(path))
                continue
            if not lo <= start < hi:
                yield Skipped(SkipReason.OUT_OF_RANGE, what, f"on {start.date().isoformat()}", str(path))
                continue
            yield _found(comp, start, sid, path, what, rep_emails, master)
        return
    mini = icalendar.Calendar()
    for z in zones:
        mini.add_component(z)
    for _, comp in items:
        mini.add_component(comp)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            occurrences = list(rie.of(mini).between(lo, hi))
            exdates = _exdates(master, lo, hi)
    except Exception as exc:  # noqa: BLE001 - a broken series is skipped, not the file
        yield ReadProblem(label, _reason(exc), str(path))
        return
    for ex in exdates:
        yield Skipped(SkipReason.CANCELLED, f"{label} on {ex.date().isoformat()}",
                      "removed from the series by EXDATE", str(path))
    for occ in occurrences:
        try:
            start = _as_moment(occ.start)
            rid = occ.get("RECURRENCE-ID")
            key = _rid_key(rid.dt if rid is not None else occ.start)
        except Exception as exc:  # noqa: BLE001
            yield ReadProblem(label, _reason(exc), str(path))
            continue
        what = f"{_label(occ, first_n)} on {start.date().isoformat()}"
        if _is_cancelled(occ):
            yield Skipped(SkipReason.CANCELLED, what, "this occurrence was cancelled", str(path))
            continue
        yield _found(occ, start, f"{uid}#{key}", path, what, rep_emails, master)


def _exdates(master: Any, lo: datetime, hi: datetime) -> list[datetime]:
    ex = master.get("EXDATE")
    if ex is None:
        return []
    out = []
    for prop in ex if isinstance(ex, list) else [ex]:
        for d in getattr(prop, "dts", []):
            try:
                moment = _as_moment(d.dt)
            except ValueError:
                continue
            if lo <= moment < hi:
                out.append(moment)
    return sorted(set(out))


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "DTSTART" in text and ("No DTSTART" in text or "missing" in text.lower()):
        return "it has no start time (DTSTART)"
    if "DTSTART" in text:
        return f"its start time cannot be read ({short(text, 80)})"
    return short(text, 100) or type(exc).__name__
