"""Outlook's time-zone names in calendars without a VTIMEZONE block.

icalendar already resolves Olson ids and Windows zone ids ("W. Europe Standard Time", through
its CLDR table WINDOWS_TO_OLSON). Outlook also writes the zone's *display* name as the TZID,
"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", which icalendar leaves as a
floating time: imported in the rep's own zone, an hour or more off. Those are resolved here the
way Windows builds them, with icalendar's table and the zone database, not a table of our own:

1. "Pacific Time (US & Canada)" names the Windows id "Pacific Standard Time": looked up in
   icalendar's WINDOWS_TO_OLSON;
2. else the cities it lists, as the zone database names them (Europe/Amsterdam, Asia/Tokyo);
3. else the fixed offset in the brackets (right all year where there is no summer time).

A candidate counts only when its offset in January or July is the one in the brackets.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

_DISPLAY = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2}):?(\d{2}))?\s*\)\s*(.*)$",
                      re.IGNORECASE | re.DOTALL)
_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")


def resolve_display_zones(component: Any) -> None:
    """Give the floating times of a VEVENT whose TZID is a Windows display name their zone."""
    for name in _PROPERTIES:
        values = component.get(name)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            tzid = str(getattr(value, "params", {}).get("TZID", "") or "")
            if not tzid:
                continue
            try:
                props = getattr(value, "dts", None) or [value]
                for prop in props:
                    dt = prop.dt
                    if isinstance(dt, datetime) and dt.tzinfo is None:
                        zone = display_zone(tzid)
                        if zone is not None:
                            prop.dt = dt.replace(tzinfo=zone)
            except Exception:  # noqa: BLE001 - a broken time is the importer's to report, not ours
                continue


@functools.lru_cache(maxsize=64)
def display_zone(tzid: str) -> tzinfo | None:
    """The zone a Windows display name like "(UTC-05:00) Eastern Time (US & Canada)" means;
    None when ``tzid`` is not one."""
    m = _DISPLAY.match(tzid.strip().strip('"').strip())
    if m is None:
        return None
    sign, hours, minutes, rest = m.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    if sign == "-":
        offset = -offset
    if abs(offset) > timedelta(hours=14):
        return None  # no place on Earth: not a display name after all
    from zoneinfo import ZoneInfo

    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    base = re.sub(r"\s*\([^)]*\)", "", rest).strip()
    names = [base[:-len(" Time")] + " Standard Time"] if base.endswith(" Time") else []
    names.append(f"{base} Standard Time")
    for windows_id in names:
        olson = WINDOWS_TO_OLSON.get(windows_id)
        if olson and _keeps(ZoneInfo(olson), offset):
            return ZoneInfo(olson)
    cities = _zones_by_city()
    for city in rest.split(","):
        olson = cities.get(city.strip().replace(" ", "_").casefold())
        if olson and _keeps(ZoneInfo(olson), offset):
            return ZoneInfo(olson)
    return timezone(offset) if offset else UTC


def _keeps(zone: tzinfo, offset: timedelta) -> bool:
    return any(datetime(2025, month, 15, 12, tzinfo=zone).utcoffset() == offset
               for month in (1, 7))


@functools.lru_cache(maxsize=1)
def _zones_by_city() -> dict[str, str]:
    from zoneinfo import available_timezones

    by_city: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            by_city.setdefault(name.rsplit("/", 1)[1].casefold(), name)
    return by_city
