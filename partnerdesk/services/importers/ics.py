"""Calendar files (.ics) from Google Calendar, Outlook, Apple Calendar and Thunderbird.

Parsing is icalendar's (VTIMEZONE blocks, TZID parameters incl. Windows zone names, folded
lines); recurring meetings are expanded by recurring-ical-events (RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides). Each series is expanded on its own, so one broken event is reported
and skipped while the rest of the file imports. Expansion is bounded (limits.py): a series whose
rule would walk too many steps (every second since 2015) is skipped before it is expanded, and
each series, and the import as a whole, take a bounded number of meetings.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from partnerdesk.domain.vocab import Channel, Direction, Source
from partnerdesk.domain.when import attach_local, day_start
from partnerdesk.services.importers import limits
from partnerdesk.services.importers.common import (
    Found,
    Person,
    ReadProblem,
    clean_email,
    short,
    stable_hash,
)
from partnerdesk.services.importers.ics_zones import resolve_display_zones
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
    """Organizer first, then attendees: each address once, at most PEOPLE_MAX (linear)."""
    people: dict[str, Person] = {}
    organizer = ""
    org = component.get("ORGANIZER")
    if org is not None:
        organizer = clean_email(_text(org))
        if organizer:
            people[organizer] = Person(name=_text(getattr(org, "params", {}).get("CN", "")), email=organizer)
    attendees = component.get("ATTENDEE")
    if attendees is None:
        attendees = []
    elif not isinstance(attendees, list):
        attendees = [attendees]
    for a in attendees:
        if len(people) >= limits.PEOPLE_MAX:
            break
        params = getattr(a, "params", {}) or {}
        if str(params.get("CUTYPE", "")).upper() in _SKIP_CUTYPES:
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            continue
        email = clean_email(_text(a))
        if not email or email in people:
            continue
        people[email] = Person(name=_text(params.get("CN", "")), email=email)
    return tuple(people.values()), organizer


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
    data = _without_alarms(data)
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


def _without_alarms(data: bytes) -> bytes:
    """The calendar without its VALARM blocks: reminders are nothing a journal keeps, and one
    broken alarm (TRIGGER:soon-ish) made icalendar refuse the whole file."""
    if b"BEGIN:VALARM" not in data.upper():
        return data
    out: list[bytes] = []
    inside = False
    for line in data.splitlines(keepends=True):
        head = line[:12].upper()
        if head.startswith(b"BEGIN:VALARM"):
            inside = True
        elif inside and head.startswith(b"END:VALARM"):
            inside = False
        elif not inside:
            out.append(line)
    return b"".join(out)


def _drop_broken_ends(component: Any) -> None:
    """A meeting whose DTEND or DURATION cannot be read is kept from its start (icalendar would
    refuse even its start otherwise); the end is not something the journal stores."""
    for name in ("DTEND", "DURATION"):
        prop = component.get(name)
        if prop is None:
            continue
        try:
            prop.dt  # noqa: B018 - reading it is the test
        except Exception:  # noqa: BLE001 - icalendar's BrokenCalendarProperty and friends
            del component[name]


def read_ics(path: Path, data: bytes, rng: tuple[date, date], rep_emails: frozenset[str],
             budget: limits.Budget | None = None) -> Iterator[Found | Skipped | ReadProblem]:
    import icalendar
    import recurring_ical_events

    budget = budget if budget is not None else limits.Budget()
    lo, hi = day_start(rng[0]), day_start(rng[1] + timedelta(days=1))
    calendars = parse_calendars(data, path)
    for cal in calendars:
        method_cancel = _text(cal.get("METHOD")).upper() == "CANCEL"
        zones = [c for c in cal.subcomponents if getattr(c, "name", "") == "VTIMEZONE"]
        groups: dict[str, list[Any]] = {}
        for n, comp in enumerate(cal.walk("VEVENT"), 1):
            _drop_broken_ends(comp)
            resolve_display_zones(comp)  # Outlook's "(UTC+01:00) Amsterdam, ..." (ics_zones.py)
            uid = _text(comp.get("UID")).strip()
            if not uid:
                raw = comp.to_ical() if hasattr(comp, "to_ical") else b""
                uid = stable_hash(raw)
            groups.setdefault(uid, []).append((n, comp))
        for uid, items in groups.items():
            yield from _read_series(uid, items, zones, lo, hi, path, method_cancel, rep_emails,
                                    icalendar, recurring_ical_events, budget)


def _label(comp: Any, n: int) -> str:
    title = short(_text(comp.get("SUMMARY")), 50)
    return f"event {n} '{title}'" if title else f"event {n}"


def _read_series(uid: str, items: list[Any], zones: list[Any], lo: datetime, hi: datetime, path: Path,
                 method_cancel: bool, rep_emails: frozenset[str], icalendar: Any,
                 rie: Any, budget: limits.Budget) -> Iterator[Found | Skipped | ReadProblem]:
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
            # A single meeting is history and is taken whatever its date: the range only bounds
            # how far repeating series are expanded.
            yield _found(comp, start, sid, path, what, rep_emails, master)
        return
    steps = series_steps(master, hi)
    if steps > limits.SERIES_STEPS_MAX:
        # Expand only as far as the step limit reaches: a daily series since 1990 still imports
        # up to there; one that repeats every second never reaches the range and is skipped.
        start = _as_moment(master.start)
        reach = start + (hi - start) * (limits.SERIES_STEPS_MAX / steps)
        if reach <= lo:
            yield Skipped(SkipReason.OVER_LIMIT, label, f"it repeats too often to be a meeting "
                          f"({_rule_words(master)}); it was not expanded", str(path))
            return
        hi = reach
        yield Skipped(SkipReason.OVER_LIMIT, f"{label} after {reach.date().isoformat()}",
                      f"it repeats too often to expand further ({_rule_words(master)})", str(path))
    left = min(limits.SERIES_OCCURRENCES_MAX, budget.occurrences_left())
    if left == 0:
        yield Skipped(SkipReason.OVER_LIMIT, label, f"the import already took "
                      f"{limits.IMPORT_OCCURRENCES_MAX:,} meetings from repeating series", str(path))
        return
    mini = icalendar.Calendar()
    for z in zones:
        mini.add_component(z)
    for _, comp in items:
        mini.add_component(comp)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            occurrences = _expand(rie.of(mini), lo, hi, left + 1)
            exdates = _exdates(master, lo, hi)
    except Exception as exc:  # noqa: BLE001 - a broken series is skipped, not the file
        yield ReadProblem(label, _reason(exc), str(path))
        return
    if len(occurrences) > left:
        occurrences = occurrences[:left]
        limit = ("the import's" if left < limits.SERIES_OCCURRENCES_MAX else "a series'")
        yield Skipped(SkipReason.OVER_LIMIT, f"{label} after {left:,} meetings",
                      f"the rest of the series was not taken ({limit} limit)", str(path))
    budget.occurrences += len(occurrences)
    moved = _this_and_future_shifts(overrides)
    for ex in exdates:
        yield Skipped(SkipReason.CANCELLED, f"{label} on {ex.date().isoformat()}",
                      "removed from the series by EXDATE", str(path))
    for occ in occurrences:
        try:
            start = _as_moment(occ.start)
            rid = occ.get("RECURRENCE-ID")
            key = _rid_key(rid.dt if rid is not None else occ.start)
            if key in moved:
                # recurring-ical-events gives every occurrence after a "this and all future"
                # change the change's RECURRENCE-ID: each is keyed by its own original slot
                # instead, or all of them collapsed into one as duplicates.
                key = _rid_key((start - moved[key]).astimezone(UTC))
        except Exception as exc:  # noqa: BLE001
            yield ReadProblem(label, _reason(exc), str(path))
            continue
        what = f"{_label(occ, first_n)} on {start.date().isoformat()}"
        if _is_cancelled(occ):
            yield Skipped(SkipReason.CANCELLED, what, "this occurrence was cancelled", str(path))
            continue
        yield _found(occ, start, f"{uid}#{key}", path, what, rep_emails, master)


def _this_and_future_shifts(overrides: list[Any]) -> dict[str, timedelta]:
    """RECURRENCE-ID key -> how far a RANGE=THISANDFUTURE change moved the occurrences from it on."""
    out: dict[str, timedelta] = {}
    for _, comp in overrides:
        rid = comp.get("RECURRENCE-ID")
        try:
            if str(rid.params.get("RANGE", "")).upper() == "THISANDFUTURE":
                out[_rid_key(rid.dt)] = _as_moment(comp.start) - _as_moment(rid.dt)
        except Exception:  # noqa: BLE001 - an unreadable change: its occurrences keep their keys
            continue
    return out


def _expand(query: Any, lo: datetime, hi: datetime, most: int) -> list[Any]:
    """At most `most` occurrences in [lo, hi), series by series, without building the rest."""
    series = getattr(query, "series", None)
    if series is None:  # another recurring-ical-events: its own (unbounded) list, cut after
        return list(query.between(lo, hi))[:most]
    out: list[Any] = []
    keep = getattr(query, "keep_recurrence_attributes", False)
    for one in series:
        for occurrence in one.between(lo, hi):
            out.append(occurrence.as_component(keep))
            if len(out) >= most:
                return out
    return out


# Seconds in one step of each frequency (a month and a year at their shortest, to over-count).
_STEP = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
         "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}
_FINER = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")


def series_steps(master: Any, hi: datetime) -> int:
    """An upper estimate of the dates the rule generates from DTSTART up to `hi` (the range end).

    dateutil walks a rule from its first occurrence, whatever range is asked for, so this is
    what expanding it costs; checked before expanding so that FREQ=SECONDLY never starts.
    """
    rules = master.get("RRULE")
    rules = rules if isinstance(rules, list) else ([] if rules is None else [rules])
    try:
        start = _as_moment(master.start)
    except Exception:  # noqa: BLE001 - no start: recurring-ical-events reports it
        return 0
    total = 0
    for rule in rules:
        freq = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
        interval = max(1, int((rule.get("INTERVAL") or [1])[0]))
        end = hi
        until = rule.get("UNTIL")
        if until:
            try:
                end = min(end, _as_moment(until[0]))
            except Exception:  # noqa: BLE001 - a broken UNTIL: count to the range end
                pass
        span = max(0.0, (end - start).total_seconds())
        steps = int(span // (_STEP.get(freq, 1) * interval)) + 2  # the range can cut two periods
        level = _FINER.index(freq) if freq in _FINER else len(_FINER) - 1
        expansion = 1
        for part, finer_than in (("BYMONTH", 0), ("BYWEEKNO", 0), ("BYYEARDAY", 0), ("BYMONTHDAY", 1),
                                 ("BYHOUR", 3), ("BYMINUTE", 4), ("BYSECOND", 5)):
            if level <= finer_than and rule.get(part):
                expansion *= len(rule.get(part)) * (7 if part == "BYWEEKNO" else 1)
        if level == 0 and rule.get("BYMONTHDAY") and not rule.get("BYMONTH"):
            expansion *= 12  # a yearly rule by day of month repeats in every month
        if rule.get("BYDAY") and level <= 2:
            expansion *= len(rule.get("BYDAY")) * (53 if level == 0 else 5 if level == 1 else 1)
        count = rule.get("COUNT")
        if count and expansion == 1 and not any(k.startswith("BY") for k in rule):
            steps = min(steps, int(count[0]))
        total += steps * expansion
    return total


def _rule_words(master: Any) -> str:
    rule = master.get("RRULE")
    rule = rule[0] if isinstance(rule, list) else rule
    try:
        return "RRULE:" + short(rule.to_ical().decode("ascii", "replace"), 60)
    except Exception:  # noqa: BLE001
        return "its RRULE"


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
