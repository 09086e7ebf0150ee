"""What a relationship-health score is made of (the computation lives in services/health.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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
    hysteresis: float = 4.0  # a band is left only when the score is this far past its edge

    def band(self, score: float | None, previous: Band | None = None) -> Band | None:
        """The band of `score`; with the previous period's band, that band is kept while the
        score stays within `hysteresis` points past its edge (no flicker on the line)."""
        if score is None:
            return None
        raw = (Band.RED if score < self.amber_from
               else Band.AMBER if score < self.green_from else Band.GREEN)
        if previous is None or raw is previous:
            return raw
        m = self.hysteresis
        if previous is Band.RED and score < self.amber_from + m:
            return Band.RED
        if previous is Band.GREEN and score >= self.green_from - m:
            return Band.GREEN
        if previous is Band.AMBER and self.amber_from - m <= score < self.green_from + m:
            return Band.AMBER
        return raw


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the score: its 0-100 value, its weight after renormalising, and why."""

    name: str  # "helpfulness" | "promises" | "cadence" | "who reaches out" | an added one
    value: float  # 0-100
    weight: float  # share of the score, the weights of present components sum to 1
    detail: str  # a sentence for "why is this amber?", e.g. "9 of 14 helpful (decayed: 61%)"


class Components(Sequence[Component]):
    """A point's components, worked out the first time they are read: a chart of ten years of
    weeks needs each point's score, the breakdown only the point the rep looks at. Reads,
    compares and prints like the tuple it stands for."""

    __slots__ = ("_make", "_items")

    def __init__(self, make: Callable[[], Iterable[Component]]):
        self._make: Callable[[], Iterable[Component]] | None = make
        self._items: tuple[Component, ...] = ()

    def _all(self) -> tuple[Component, ...]:
        if self._make is not None:
            self._items, self._make = tuple(self._make()), None
        return self._items

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Component]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Components):
            other = other._all()
        return self._all() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


# Not frozen (but hashable, and never changed once made): a frozen dataclass takes five times
# as long to build, and a weekly series over ten years builds 520 of these. Treat as read-only.
@dataclass(slots=True, unsafe_hash=True)
class HealthPoint:
    vendor_id: int
    period: Period
    start: date  # first day of the period (weeks start on Monday)
    end: date  # the day after the last day
    score: float | None  # None: too little evidence (a gap on the chart, not a zero)
    band: Band | None
    trend: Trend | None  # against the previous period that has a score
    components: Sequence[Component] = ()  # a tuple, or Components (worked out when read)
    interactions: int = 0  # in the period itself
    helpful: int = 0
    transactional: int = 0
    promises_due: int = 0  # vendor promises due in the period
    promises_kept: int = 0  # ... of them kept by their due date
    as_of: date | None = None  # the last day the score counts (the period's, or today)
    evidence_interactions: int = 0  # what the score rests on: interactions in the 12 months
    evidence_promises: int = 0  # ... and promises (resolved in the 12 months, or overdue)
    overdue_promises: int = 0  # open vendor promises due before as_of, whatever their age
    reasons: tuple[str, ...] = ()  # the plain-words "why" when computed; see explainer
    # Works the "why" out on demand (services/health.explain calls it): a weekly series over
    # ten years would otherwise spend most of its time writing sentences nobody reads.
    explainer: Callable[[], tuple[str, ...]] | None = field(default=None, compare=False,
                                                            repr=False)


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
    as_of: date | None = None  # overdue and the score are counted as of this day
    evidence_interactions: int = 0  # interactions in the 12 months the score rests on
    evidence_promises: int = 0
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BeforeAfterSide:
    start: date
    end: date
    interactions: int
    helpful_pct: float | None
    promises_kept_pct: float | None
    per_month: float  # contact cadence
    score: float | None
    # 80 % intervals (low, high), None with too little data (fewer than 3 interactions /
    # 3 promises); helpful share and cadence, and the promises kept share.
    helpful_range: tuple[float, float] | None = None
    per_month_range: tuple[float, float] | None = None
    promises: int = 0
    promises_kept_range: tuple[float, float] | None = None
    inbound_pct: float | None = None
    # Components added to the score (e.g. economics) as of the last day: (name, value, why).
    extras: tuple[tuple[str, float, str], ...] = ()


@dataclass(frozen=True, slots=True)
class BeforeAfterMeasure:
    """A further measure beside the interactions' (from an added component, e.g. economics'
    approval rate): each side's value and 80 % interval, None with too little data."""

    name: str
    unit: str  # "%" or " days"
    before: float | None
    after: float | None
    before_range: tuple[float, float] | None = None
    after_range: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """The N months before an event against the N months after it (did the buyout hurt?)."""

    vendor_id: int
    event_date: date
    months: int
    before: BeforeAfterSide
    after: BeforeAfterSide
    extra: tuple[BeforeAfterMeasure, ...] = ()  # added components' measures
