"""The journal's time zone: the `timezone` setting, else the machine's; and its offsets.

Weeks, months and quarters in health and reports follow it. Read with the standard library
over any connection with ``exec_driver_sql``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from partnerdesk.store.settings import get_setting

TIMEZONE_KEY = "timezone"


def system_zone_name() -> str | None:
    """The machine's IANA zone name (TZ, else /etc/localtime's target), None if unknown."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return tz if _zone(tz) is not None else None
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    if marker in target:
        name = target.split(marker, 1)[1]
        return name if _zone(name) is not None else None
    return None


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def journal_zone(conn: Any) -> tzinfo:
    """The zone the journal's weeks, months and quarters follow: the `timezone` setting, else
    the system's; UTC when neither is known."""
    name = get_setting(conn, TIMEZONE_KEY) if _has_settings(conn) else None
    zone = _zone(name) if name else None
    if zone is None:
        system = system_zone_name()
        zone = _zone(system) if system else None
    if zone is None:  # no IANA name: the machine's fixed offset right now
        return datetime.now().astimezone().tzinfo or UTC
    return zone


def _has_settings(conn: Any) -> bool:
    return bool(conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'setting'").all())


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)


def zone_shifts(zone: tzinfo, first_year: int = 1970, last_year: int = 2100
                ) -> list[tuple[int, int]]:
    """(UTC second from which, offset seconds) for each change of the zone's offset, the first
    row from the beginning of time."""
    return list(_zone_shifts(zone, first_year, last_year))


@lru_cache(maxsize=16)
def _zone_shifts(zone: tzinfo, first_year: int, last_year: int) -> tuple[tuple[int, int], ...]:
    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    t = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    stop = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    out = [(-(2**62), offset(t))]
    step = 7 * 86400  # zones change offset at most a few times a year
    before = offset(t)
    while t < stop:
        nxt = t + step
        after = offset(nxt)
        if after != before:
            lo, hi = t, nxt  # find the first second of the new offset
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(mid) == before:
                    lo = mid
                else:
                    hi = mid
            out.append((hi, after))
        t, before = nxt, after
    return tuple(out)
