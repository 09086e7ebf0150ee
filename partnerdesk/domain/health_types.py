"""What a relationship-health score is made of (the computation lives in services/health.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


class Band(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@dataclass(frozen=True, slots=True)
class Bands:
    """Scores below `amber_from` are red, below `green_from` amber, the rest green."""

    amber_from: float = 40.0
    green_from: float = 70.0

    def band(self, score: float | None) -> Band | None:
        if score is None:
            return None
        if score < self.amber_from:
            return Band.RED
        if score < self.green_from:
            return Band.AMBER
        return Band.GREEN


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the score: its 0-100 value, its weight after renormalising, and why."""

    name: str  # "helpfulness" | "promises kept" | "quality" | "engagement"
    value: float  # 0-100
    weight: float  # share of the score, the weights of present components sum to 1
    detail: str  # a sentence for "why is this amber?", e.g. "9 of 14 helpful (decayed: 61%)"


@dataclass(frozen=True, slots=True)
class HealthPoint:
    vendor_id: int
    period: Period
    start: date  # first day of the period (weeks start on Monday)
    end: date  # the day after the last day
    score: float | None  # None: no data in this period (a gap on the chart, not a zero)
    band: Band | None
    trend: Trend | None  # against the previous period that has a score
    components: tuple[Component, ...] = ()
    interactions: int = 0
    helpful: int = 0
    transactional: int = 0
    promises_due: int = 0
    promises_kept: int = 0


@dataclass(frozen=True, slots=True)
class VendorHealth:
    """A row of the portfolio view and of the quarterly report's overview table."""

    vendor_id: int
    display_name: str
    score: float | None
    band: Band | None
    trend: Trend | None
    change: float | None  # score now minus the previous period's
    interactions: int  # in the current period
    helpful_pct: float | None
    promises_kept_pct: float | None
    overdue_promises: int
    last_contact: datetime | None
    sparkline: tuple[float | None, ...] = field(default_factory=tuple)  # oldest first


@dataclass(frozen=True, slots=True)
class BeforeAfterSide:
    start: date
    end: date
    interactions: int
    helpful_pct: float | None
    promises_kept_pct: float | None
    per_month: float  # contact cadence
    score: float | None


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """The N months before an event against the N months after it (did the buyout hurt?)."""

    vendor_id: int
    event_date: date
    months: int
    before: BeforeAfterSide
    after: BeforeAfterSide
