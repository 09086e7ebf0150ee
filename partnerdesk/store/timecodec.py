"""How times and dates are kept in the file: UTC seconds and ISO dates."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def now_epoch() -> int:
    return int(time.time())


def to_iso_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def from_iso_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
