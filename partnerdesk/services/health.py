"""Relationship health: a 0-100 score per vendor and period, what it rests on, and why.

The arithmetic is services/health_engine.py (docs/health.md has it in words, with a worked
example that tests/services/test_health_doc.py runs); reading the journal in its local days is
services/health_read.py. Here: periods, the series, the portfolio, before/after an event, and
the sentences. Everything takes a connection with ``exec_driver_sql`` (Journal or LiteJournal),
so the `health` command and the window's read paths never import SQLAlchemy.

A period's score is the score as of its last day (today for the current one). Below the
minimum evidence (3 interactions in the 12 months, and never in the vendor's first period) a
period has no score, band or trend: a gap that says how much it rests on, not a guess.
"""

from __future__ import annotations

import calendar
import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache, partial
from typing import Any, NamedTuple, Protocol

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.health_types import (
    Band,
    Bands,
    BeforeAfter,
    BeforeAfterSide,
    Component,
    Components,
    HealthPoint,
    Period,
    Trend,
    VendorHealth,
)
from partnerdesk.services import health_engine as engine
from partnerdesk.services.gc_pause import gc_paused
from partnerdesk.services.health_engine import (
    CADENCE,
    HELPFULNESS,
    INITIATIVE,
    MIN_EVIDENCE,
    PROMISES,
    WEIGHTS,
    Reading,
    VendorDays,
    score_at,
    score_series,
)
from partnerdesk.services.health_read import (
    EPOCH_ORDINAL,
    DayReader,
    day_number,
    from_day_number,
    journal_zone,
    overdue_as_of,
)

__all__ = ["WEIGHTS", "MIN_EVIDENCE", "vendor_health", "portfolio", "before_after", "explain",
           "period_start", "period_label", "shift_period", "add_months", "register_component"]

TREND_FLAT = 3.0  # a score within this many points of the previous one is flat
DAYS_PER_MONTH = 365.25 / 12
INCOME_EVENTS = ("compensation change", "programme change")  # named in the "why" for a year
Z80 = 1.2816  # the 80 % two-sided normal quantile, for the before/after intervals


# -- components added by other parts (economics) ---------------------------------------------
class ComponentSource(Protocol):
    """A further part of the score, e.g. deal registrations and payments. `values` returns, per
    as-of day, (value 0-100, plain-words detail) or None when it has no data then: a component
    joins the score when it has data and is left out (its weight shared out) when it has not.

    Optional: `values_many(conn, vendor_ids, as_of)` -> {vendor_id: the same list}, one call for
    the whole portfolio (every vendor at the same as-of days); used instead of one `values`
    call per vendor when the source has it. Its details may be '' but the last day's (the
    portfolio explains only its latest point).
    Optional: `values_deferred(conn, vendor_id, as_of)`, `values` with each detail a
    zero-argument function returning it, called only when the detail is read (_said)."""

    name: str
    weight: float

    def values(self, conn: Any, vendor_id: int, as_of: Sequence[date]
               ) -> list[tuple[float, str] | None]: ...

    # Optional: before_after(conn, vendor_id, before, after, today) -> [BeforeAfterMeasure],
    # its measures on each side ((start, end) days, end excluded) of an event.


_SOURCES: list[ComponentSource] = []
Extras = list[dict[str, tuple[float, float, Any]]]  # per as-of day: name -> (weight, value, why)


def register_component(source: ComponentSource) -> Callable[[], None]:
    """Add a component to every score from now on; returns a function that removes it. Its
    name must not be one of the score's own (the engine adds extras beside those)."""
    if source.name in WEIGHTS:
        raise ValueError(f"{source.name!r} is already a part of the health score")
    _SOURCES.append(source)
    return lambda: _SOURCES.remove(source)


def _extras(conn: Any, vendor_id: int, as_of: Sequence[date]) -> Extras:
    # One vendor's points each say why (any may be explained): `values`, not values_many.
    return _extras_many(conn, [vendor_id], as_of, batch=False)[vendor_id]


def _extras_many(conn: Any, vendor_ids: Sequence[int], as_of: Sequence[date],
                 batch: bool = True) -> dict[int, Extras]:
    out: dict[int, Extras] = {vid: [{} for _ in as_of] for vid in vendor_ids}
    for src in _SOURCES:
        many = getattr(src, "values_many", None) if batch else None
        if many is not None:
            got_all = many(conn, list(vendor_ids), list(as_of))
        else:
            one = getattr(src, "values_deferred", None) or src.values
            got_all = {vid: one(conn, vid, as_of) for vid in vendor_ids}
        for vid in vendor_ids:
            for i, got in enumerate(got_all.get(vid) or ()):
                if got is not None:
                    out[vid][i][src.name] = (src.weight, got[0], got[1])
    return out


# -- periods ---------------------------------------------------------------------------------
def period_start(day: date, period: Period) -> date:
    """The first day of the period holding `day` (weeks start on Monday)."""
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@lru_cache(maxsize=4096)
def shift_period(start: date, period: Period, k: int) -> date:
    """The start of the period k periods after the one starting at `start` (k may be negative)."""
    if period is Period.WEEK:
        return start + timedelta(days=7 * k)
    return add_months(start, k * (3 if period is Period.QUARTER else 1))


def add_months(day: date, k: int) -> date:
    """The same day k months on, clamped to the month's length (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + k
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_label(start: date, period: Period) -> str:
    """'2026-W05', '2026-01' or '2026Q1'."""
    if period is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period is Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    return f"{start.year}Q{(start.month - 1) // 3 + 1}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_day(d: date, year: bool = True) -> str:
    """'18 Oct 2026' (or '18 Oct'), whatever the locale."""
    return f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# -- one vendor ------------------------------------------------------------------------------
@dataclass(slots=True)
class _Vendor:
    days: VendorDays
    promises: list[Any]  # domain Promise objects
    facts: list[engine.PromiseFacts]  # by due date, as vendor_promises returns them
    due_days: list[int]
    index: engine.PromiseIndex
    events: list[tuple[date, str, str]]  # (on, kind, text), oldest first


def _events(conn: Any, vendor_ids: Sequence[int] | None) -> dict[int, list[tuple[date, str, str]]]:
    sql = "SELECT vendor_id, occurred_on, kind, text FROM vendor_event"
    params: tuple[int, ...] = ()
    if vendor_ids is not None:
        sql += f" WHERE vendor_id IN ({','.join('?' * len(vendor_ids))})"
        params = tuple(vendor_ids)
    out: dict[int, list[tuple[date, str, str]]] = {}
    for vid, on, kind, text in conn.exec_driver_sql(sql + " ORDER BY occurred_on", params):
        try:
            out.setdefault(vid, []).append((date.fromisoformat(on), kind, text))
        except (TypeError, ValueError):
            continue
    return out


def _require_vendor(conn: Any, vendor_id: int) -> None:
    if conn.exec_driver_sql("SELECT 1 FROM vendor WHERE id = ?", (vendor_id,)).scalar() is None:
        raise NotFound(f"Vendor #{vendor_id} does not exist (it may have been deleted).")


def local_today(conn: Any, zone: tzinfo | None = None) -> date:
    return datetime.now(zone or journal_zone(conn)).date()


def _trend(score: float | None, previous: float | None) -> Trend | None:
    if score is None or previous is None:
        return None
    if score > previous + TREND_FLAT:
        return Trend.UP
    if score < previous - TREND_FLAT:
        return Trend.DOWN
    return Trend.FLAT


def _periods(period: Period, first: date, last: date, today: date
             ) -> tuple[list[date], list[date], list[date]]:
    """The starts of the periods from the one starting at `first` to the one starting at
    `last`, the day after each (the next one's start), and the day each is scored as of (its
    last day, or today)."""
    if period is Period.WEEK:  # (ten years of weeks: 522 dates, by their ordinals)
        o = first.toordinal()
        n = max(0, (last.toordinal() - o) // 7 + 1)
        edges = [date.fromordinal(x) for x in range(o, o + 7 * n + 1, 7)]
        starts, ends = edges[:-1], edges[1:]
    else:
        starts = []
        start = first
        while start <= last:
            starts.append(start)
            start = shift_period(start, period, 1)
        ends = [*starts[1:], start] if starts else []
    day = timedelta(days=1)
    return starts, ends, [min(e - day, today) for e in ends]


def _series(v: _Vendor, conn: Any, vendor_id: int, period: Period, first: date, last: date,
            today: date, bands: Bands, details: bool = True, extras: Extras | None = None,
            light: bool = False) -> list[HealthPoint]:
    """Points for the periods starting at `first` to the one starting at `last`, each with its
    trend and band against the previous known one. `light`: all but the last point hold only
    their score, band and trend (what the portfolio's sparkline and trend need)."""
    starts, ends, as_of = _periods(period, first, last, today)
    if extras is None:
        extras = _extras(conn, vendor_id, as_of) if _SOURCES else [{} for _ in starts]
    s_days = [s.toordinal() - EPOCH_ORDINAL for s in starts]  # (day_number, inline)
    a_days = [a.toordinal() - EPOCH_ORDINAL for a in as_of]
    scores = score_series(v.days, v.index, a_days, extras, s_days)
    points: list[HealthPoint] = []
    previous: float | None = None
    previous_band: Band | None = None
    last_k = len(starts) - 1
    real_today = date.today()
    band = bands.band
    d = v.days
    days, conv, conv_h, bc, bc_h = d.days, d.conv, d.conv_h, d.bc, d.bc_h
    facts, due_days, no_comps = v.facts, v.due_days, ()
    shared = _Shared(v, period, starts, as_of, s_days, a_days, extras)
    for k, (score, evidence, counted, overdue) in enumerate(scores):
        start, end, a_date = starts[k], ends[k], as_of[k]
        b = band(score, previous_band)
        trend = _trend(score, previous)
        if score is not None:
            previous, previous_band = score, b
        if light and k < last_k:
            points.append(HealthPoint(vendor_id, period, start, end, score, b, trend,
                                      as_of=a_date))
            continue
        # The period's own counts, up to its as-of day (today for the current one).
        s, a = s_days[k], a_days[k]
        e = s_days[k + 1] if k < last_k else end.toordinal() - EPOCH_ORDINAL
        e = min(e, a + 1)
        i, j = bisect_left(days, s), bisect_left(days, e)
        n = conv[j] - conv[i] + bc[j] - bc[i]
        helpful = conv_h[j] - conv_h[i] + bc_h[j] - bc_h[i]
        due = facts[bisect_left(due_days, s):bisect_left(due_days, e)] if facts else ()
        kept = sum(1 for f in due if f.outcome == "kept" and f.closed is not None
                   and f.closed <= a) if due else 0
        # (a sparkline's older points need only their scores)
        detailed = score is not None and (details or k == last_k)
        later = _Later(shared, k, score, detailed)
        # Positional (the fields in order, as the comments name them): built for every point.
        point = HealthPoint(
            vendor_id, period, start, end, score, b, trend, later if detailed else no_comps,
            n, helpful, n - helpful,  # interactions, helpful, transactional
            len(due), kept, a_date,  # promises_due, promises_kept, as_of
            evidence, counted,  # evidence_interactions, evidence_promises
            _overdue(v, a_date, overdue, real_today), (), later)  # overdue, reasons, explainer
        points.append(point)
    return points


class _Shared(NamedTuple):
    """What a series' points have in common, for their _Later."""

    v: _Vendor
    period: Period
    starts: list[date]
    as_of: list[date]
    s_days: list[int]
    a_days: list[int]
    extras: Extras


class _Later(Components):
    """A point's breakdown (it is the point's `components`) and its "why" (its `explainer`),
    worked out from the point's whole reading when first read: a chart of ten years of weeks
    explains one point, if any. One small object a point, and none that points back at the
    point."""

    __slots__ = ("shared", "k", "score", "detailed", "_r")

    def __init__(self, shared: _Shared, k: int, score: float | None, detailed: bool):
        self.shared, self.k, self.score, self.detailed = shared, k, score, detailed
        self._items, self._r = None, None  # type: ignore[assignment]

    def reading(self) -> Reading:
        if self._r is None:
            sh, k = self.shared, self.k
            self._r = score_at(sh.v.days, sh.v.index, sh.a_days[k], sh.extras[k], sh.s_days[k])
        return self._r

    def _all(self) -> tuple[Component, ...]:
        if self._items is None:
            self._items = (tuple(_components(self.reading(), self.shared.v)) if self.detailed
                           else ())
        return self._items

    def __call__(self) -> tuple[str, ...]:
        sh, k = self.shared, self.k
        return tuple(_reasons(self.score, sh.starts[k], sh.as_of[k], self._all(), self.reading(),
                              sh.v, sh.period))


def _overdue(v: _Vendor, as_of: date, counted: int | None = None,
             real_today: date | None = None) -> int:
    """Overdue vendor promises as of `as_of`. As of the real today through THE definition
    (Promise.is_overdue); as of an earlier day (a report for a past quarter) by the same rule
    applied to each promise's state on that day (`counted`, when the score has it), so a
    promise closed since still counts."""
    if as_of >= (real_today or date.today()):
        return overdue_as_of(v.promises, as_of)
    if counted is None:
        counted = v.index.tally(day_number(as_of))[3]
    return counted


def _components(r: Reading, v: _Vendor) -> list[Component]:
    weights = dict(WEIGHTS)
    weights.update(r.extra_weights)
    total = sum(weights[k] for k in r.values) or 1.0
    return [Component(name, r.values[name], weights[name] / total, _detail(name, r, v))
            for name in [*engine.ORDER, *r.extra_details] if name in r.values]


def _load(reader: DayReader, conn: Any, vendor_ids: Sequence[int], since: int | None = None,
          until: int | None = None) -> dict[int, _Vendor]:
    promises = reader.promises(list(vendor_ids), since)
    events = _events(conn, list(vendor_ids))
    return {vid: _vendor(VendorDays.from_columns(*reader.columns(vid, since, until)),
                         promises.get(vid, []),
                         reader, events.get(vid, []))
            for vid in vendor_ids}


def _edges(starts: Sequence[date], as_of: Sequence[date]) -> list[int]:
    """Every day a window of the scores at `as_of` (and their periods) starts or ends on, from
    the first day the day-by-day reading reads (so that both see the same last contacts)."""
    edges: set[int] = {day_number(starts[0]) - 2 * engine.YEAR_DAYS - 1}
    for s, a in zip(starts, as_of, strict=True):
        end = day_number(a) + 1
        edges.update((day_number(s), end, end - engine.RECENT_DAYS, end - engine.YEAR_DAYS,
                      end - 2 * engine.YEAR_DAYS))
    return sorted(edges)


def _load_window(reader: DayReader, conn: Any, vendor_ids: Sequence[int],
                 starts: Sequence[date], as_of: Sequence[date],
                 firsts: dict[int, int | None]) -> dict[int, _Vendor]:
    """The vendors as the scores at `as_of` read them: from the summary, a few dozen buckets
    each (their edges every window's); else the days of the two years before, and since."""
    since = day_number(starts[0]) - 2 * engine.YEAR_DAYS - 1  # what a score reads
    until = day_number(as_of[-1]) + 1
    if not reader.summary:
        out = _load(reader, conn, vendor_ids, since=since, until=until)
        for vid, v in out.items():
            if firsts.get(vid) is not None:  # the window may start after the vendor's first day
                v.days.first = firsts[vid]
            v.days.since, v.days.exact = since, partial(reader.conv_days, vid)
        return out
    edges = _edges(starts, as_of)
    buckets = reader.buckets(vendor_ids, edges, [day_number(a) + 1 for a in as_of])
    promises = reader.promises(list(vendor_ids), since)
    events = _events(conn, list(vendor_ids))
    out = {}
    for vid in vendor_ids:
        days = VendorDays.from_buckets(edges, buckets[vid], firsts.get(vid),
                                       partial(reader.conv_days, vid))
        out[vid] = _vendor(days, promises.get(vid, []), reader, events.get(vid, []))
    return out


def _vendor(days: VendorDays, promises: list[Any], reader: DayReader,
            events: list[tuple[date, str, str]]) -> _Vendor:
    facts = reader.facts(promises)
    return _Vendor(days, promises, facts, [f.due for f in facts], engine.PromiseIndex(facts),
                   events)


def vendor_health(journal: Any, vendor_id: int, period: Period = Period.MONTH,
                  since: date | None = None, until: date | None = None, today: date | None = None,
                  bands: Bands = Bands()) -> list[HealthPoint]:  # noqa: B008 (frozen)
    """One point per period, oldest first, from the period holding `since` (default: the
    vendor's first interaction) to the one holding `until` (default and at most: today, in the
    journal's time zone)."""
    period = Period(period)
    with gc_paused(), journal.reading() as conn:
        _require_vendor(conn, vendor_id)
        reader = DayReader(conn)
        today = today or local_today(conn, reader.zone)
        last = period_start(min(until or today, today), period)
        v = _load(reader, conn, [vendor_id])[vendor_id]
        if v.days.first is None:
            return []
        first_day = from_day_number(v.days.first)
        if since is None:
            if period_start(first_day, period) > last:
                return []
            since = first_day
        first = period_start(since, period)
        if first > last:
            end = min(until or today, today)
            raise InvalidInput(f"{since.isoformat()} is after {end.isoformat()}; "
                               "give a start date on or before the end.")
        # Start a period before `first` when there is one, so that the first point shown has
        # its trend and band against the period before it.
        lead = max(period_start(first_day, period), shift_period(first, period, -1))
        points = _series(v, conn, vendor_id, period, min(lead, first), last, today, bands)
    return [p for p in points if p.start >= first]


# -- the portfolio ---------------------------------------------------------------------------
def portfolio(journal: Any, today: date | None = None, period: Period = Period.QUARTER,
              bands: Bands = Bands(), include_archived: bool = False,  # noqa: B008
              spark_periods: int = 8) -> list[VendorHealth]:
    """Every active vendor (archived ones too if asked), in name order, scored for the period
    holding `today` and compared with the previous period that has a score. The sparkline holds
    the last `spark_periods` periods' scores, oldest first, None for gaps."""
    period = Period(period)
    spark_periods = max(1, spark_periods)
    vendors = journal.vendors.all(include_archived=include_archived)
    out: list[VendorHealth] = []
    with gc_paused(), journal.reading() as conn:
        reader = DayReader(conn)
        today = today or local_today(conn, reader.zone)
        current = period_start(today, period)
        spark_from = shift_period(current, period, 1 - spark_periods)
        compute_from = min(spark_from, shift_period(current, period, -1))
        ids = [v.id for v in vendors]
        starts, _, as_of_days = _periods(period, compute_from, current, today)
        firsts = reader.first_days(ids)
        loaded = _load_window(reader, conn, ids, starts, as_of_days, firsts)
        extras = _extras_many(conn, ids, as_of_days) if _SOURCES else {}
        last_contacts = _last_contacts(conn, ids, today, reader.zone)
        for vend in vendors:
            v = loaded[vend.id]
            first_seen = firsts[vend.id]
            if first_seen is not None and v.days.empty:  # silent for years: read it all
                v = _load(reader, conn, [vend.id])[vend.id]
            points: list[HealthPoint] = []
            if v.days.first is not None:
                points = _series(v, conn, vend.id, period, compute_from, current, today, bands,
                                 details=False, extras=extras.get(vend.id), light=True)
            now = points[-1] if points else None
            earlier = [p.score for p in points[:-1] if p.score is not None]
            previous = earlier[-1] if earlier else None
            if previous is None and v.days.first is not None and now is not None \
                    and v.days.first < day_number(compute_from):
                previous = _older_score(reader, conn, vend.id, period, compute_from, today, bands)
            score = now.score if now else None
            by_start = {p.start: p.score for p in points}
            last = v.days.last_before(v.days.contact_days, day_number(today) + 1)
            last_any = last_contacts.get(vend.id)
            as_of = today
            out.append(VendorHealth(
                vendor_id=vend.id, display_name=vend.display_name, score=score,
                band=now.band if now else None, trend=_trend(score, previous),
                change=None if score is None or previous is None else round(score - previous, 1),
                interactions=now.interactions if now else 0,
                helpful_pct=(round(100 * now.helpful / now.interactions, 1)
                             if now and now.interactions else None),
                promises_kept_pct=(round(100 * now.promises_kept / now.promises_due, 1)
                                   if now and now.promises_due else None),
                overdue_promises=now.overdue_promises if now else _overdue(v, as_of),
                last_contact=last_any if last_any is not None else (
                    None if last is None else datetime.combine(
                        from_day_number(last), datetime.min.time(), UTC)),
                sparkline=tuple(by_start.get(shift_period(spark_from, period, i))
                                for i in range(spark_periods)),
                as_of=as_of,
                evidence_interactions=now.evidence_interactions if now else 0,
                evidence_promises=now.evidence_promises if now else 0,
                reasons=tuple(explain(now)) if now else ()))
    return out


def day_of(seconds: int, zone: tzinfo) -> int:
    return day_number(datetime.fromtimestamp(seconds, zone).date())


def _last_contacts(conn: Any, vendor_ids: Sequence[int], today: date, zone: tzinfo
                   ) -> dict[int, datetime]:
    """Each vendor's last interaction up to the end of `today` (none: left out)."""
    end = int(datetime.combine(today + timedelta(days=1), datetime.min.time(), zone).timestamp())
    out: dict[int, datetime] = {}
    for i in range(0, len(vendor_ids), 500):
        ids = list(vendor_ids[i:i + 500])
        for vid, t in conn.exec_driver_sql(
                "SELECT id, (SELECT max(occurred_at) FROM interaction WHERE vendor_id = vendor.id"
                f" AND occurred_at < ?) FROM vendor WHERE id IN ({','.join('?' * len(ids))})",
                (end, *ids)):
            if t is not None:
                out[vid] = datetime.fromtimestamp(t, UTC)
    return out


def _older_score(reader: DayReader, conn: Any, vendor_id: int, period: Period, before: date,
                 today: date, bands: Bands) -> float | None:
    """The newest known score before `before`, over the vendor's whole history (rare: only
    vendors with nothing scored lately)."""
    v = _load(reader, conn, [vendor_id])[vendor_id]
    if v.days.first is None:
        return None
    first = period_start(from_day_number(v.days.first), period)
    last = shift_period(before, period, -1)
    if first > last:
        return None
    points = _series(v, conn, vendor_id, period, first, last, today, bands)
    return next((p.score for p in reversed(points) if p.score is not None), None)


# -- before and after an event ---------------------------------------------------------------
def _wilson(hits: int, n: int) -> tuple[float, float] | None:
    """The 80 % Wilson interval of hits/n in percent, None below 3 observations."""
    if n < MIN_EVIDENCE:
        return None
    p = hits / n
    z2 = Z80 * Z80
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z80 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)


def _rate_range(count: int, days: int) -> tuple[float, float] | None:
    """The 80 % interval of a Poisson rate per month (normal approximation on the root)."""
    if count < MIN_EVIDENCE or days <= 0:
        return None
    scale = DAYS_PER_MONTH / days
    lo = max(0.0, math.sqrt(count) - Z80 / 2) ** 2
    hi = (math.sqrt(count) + Z80 / 2) ** 2
    return round(lo * scale, 2), round(hi * scale, 2)


def _side_end(start: date, end: date, today: date) -> date:
    return max(start, min(end, today + timedelta(days=1)))  # nothing after today


def _side(v: _Vendor, start: date, end: date, today: date,
          extra: dict[str, tuple[float, float, str]] | None = None) -> BeforeAfterSide:
    end = _side_end(start, end, today)
    s, e = day_number(start), day_number(end)
    conv, conv_h, conv_in, bc, bc_h, _ = v.days.sums(s, e)
    n, helpful = conv + bc, conv_h + bc_h
    decided = [f for f in v.facts if s <= f.due < e and (
        f.outcome in ("kept", "late", "broken")
        or (f.outcome == "open" and f.due < day_number(today)))]
    kept = sum(1 for f in decided if f.outcome == "kept")
    days = (end - start).days
    r = score_at(v.days, v.index, e - 1, extra) if e > s else None
    return BeforeAfterSide(
        start=start, end=end, interactions=n,
        helpful_pct=round(100 * helpful / n, 1) if n else None,
        promises_kept_pct=round(100 * kept / len(decided), 1) if decided else None,
        per_month=round(n * DAYS_PER_MONTH / days, 2) if days > 0 else 0.0,
        score=r.score if r is not None and r.known else None,
        helpful_range=_wilson(helpful, n), per_month_range=_rate_range(n, days),
        promises=len(decided), promises_kept_range=_wilson(kept, len(decided)),
        inbound_pct=round(100 * conv_in / conv, 1) if conv else None,
        extras=() if r is None else tuple((name, r.values[name], _said(why))
                                          for name, why in r.extra_details.items()))


def before_after(journal: Any, vendor_id: int, event_date: date, months: int = 6,
                 today: date | None = None) -> BeforeAfter:
    """The `months` before `event_date` (not counting it) against the months from it on (up to
    today): each measure with its 80 % interval, or none when there is too little data. Each
    side's score is the score as of its last day."""
    if not 1 <= months <= 120:
        raise InvalidInput(f"Compare between 1 and 120 months around the event, not {months}.")
    with journal.reading() as conn:
        _require_vendor(conn, vendor_id)
        reader = DayReader(conn)
        today = today or local_today(conn, reader.zone)
        v = _load(reader, conn, [vendor_id])[vendor_id]
        before_start = add_months(event_date, -months)
        after_end = max(event_date, min(add_months(event_date, months),
                                        today + timedelta(days=1)))
        # Each side's added components as of its last day (as _side scores it).
        ends = [_side_end(before_start, event_date, today) - timedelta(days=1),
                _side_end(event_date, after_end, today) - timedelta(days=1)]
        extras = _extras(conn, vendor_id, ends) if _SOURCES else [{}, {}]
        # Components that know their own measures (economics) compare those, with ranges.
        measures = tuple(m for src in _SOURCES if hasattr(src, "before_after")
                         for m in src.before_after(conn, vendor_id, (before_start, event_date),
                                                   (event_date, after_end), today))
    return BeforeAfter(vendor_id, event_date, months,
                       _side(v, before_start, event_date, today, extras[0]),
                       _side(v, event_date, after_end, today, extras[1]), measures)


def events_before_after(journal: Any, vendor_id: int, events: Sequence[Any], today: date,
                        months: int = 6) -> list[tuple[Any, BeforeAfter]]:
    """(event, before/after) for each event (anything with `.on`), oldest first."""
    return [(e, before_after(journal, vendor_id, e.on, months=months, today=today))
            for e in sorted(events, key=lambda e: e.on)]


def _range_text(rng: tuple[float, float] | None, unit: str = "%") -> str:
    if rng is None:
        return "too little data"
    return f"{rng[0]:.0f}–{rng[1]:.0f}{unit}" if unit == "%" else f"{rng[0]:.1f}–{rng[1]:.1f}"


def before_after_lines(ba: BeforeAfter) -> list[tuple[str, str, str, str]]:
    """(measure, before, after, verdict) rows in words, for the dashboard, brief and PDF.
    The verdict says "changed" only when the 80 % intervals do not overlap."""
    b, a = ba.before, ba.after

    def verdict(x: tuple[float, float] | None, y: tuple[float, float] | None) -> str:
        if x is None or y is None:
            return "too little data to tell"
        if y[1] < x[0]:
            return "down, beyond chance"
        if y[0] > x[1]:
            return "up, beyond chance"
        return "no clear change"

    def pct(v: float | None, rng: tuple[float, float] | None) -> str:
        if v is None:
            return "no data"
        return f"{v:.0f}% ({_range_text(rng)})"

    def rate(side: BeforeAfterSide) -> str:
        return f"{side.per_month:.1f}/month ({_range_text(side.per_month_range, '')})"

    def extra(v: float | None, rng: tuple[float, float] | None, unit: str) -> str:
        if v is None:
            return "no data"
        if unit == "%":
            return pct(v, rng)
        shown = "too little data" if rng is None else f"{rng[0]:g}–{rng[1]:g}"
        return f"{v:g}{unit} ({shown})"

    return [
        ("Helpful share", pct(b.helpful_pct, b.helpful_range), pct(a.helpful_pct, a.helpful_range),
         verdict(b.helpful_range, a.helpful_range)),
        ("Contacts a month", rate(b), rate(a), verdict(b.per_month_range, a.per_month_range)),
        ("Promises kept", pct(b.promises_kept_pct, b.promises_kept_range),
         pct(a.promises_kept_pct, a.promises_kept_range),
         verdict(b.promises_kept_range, a.promises_kept_range)),
        ("Score at the end", "no score" if b.score is None else f"{b.score:.0f}",
         "no score" if a.score is None else f"{a.score:.0f}", ""),
        *_extra_lines(b, a, skip={src.name for src in _SOURCES
                                  if hasattr(src, "before_after")}),
    ] + [(m.name, extra(m.before, m.before_range, m.unit), extra(m.after, m.after_range, m.unit),
          _days_verdict(verdict(m.before_range, m.after_range)) if m.unit == " days"
          else verdict(m.before_range, m.after_range)) for m in ba.extra]


def _days_verdict(verdict: str) -> str:
    """More days is worse: say slower or faster rather than up (green) or down (red)."""
    return verdict.replace("up,", "slower,").replace("down,", "faster,")


def _extra_lines(b: BeforeAfterSide, a: BeforeAfterSide, skip: set[str] = frozenset()
                 ) -> list[tuple[str, str, str, str]]:
    """A row for each component added to the score, with its plain-words detail (those in `skip`
    show their own measures instead)."""
    before = {name: (value, why) for name, value, why in b.extras if name not in skip}
    after = {name: (value, why) for name, value, why in a.extras if name not in skip}

    def cell(got: tuple[float, str] | None) -> str:
        return "no data" if got is None else f"{got[0]:.0f} ({got[1]})" if got[1] \
            else f"{got[0]:.0f}"

    names = [*before, *(n for n in after if n not in before)]
    return [(_NAMES.get(n, n.capitalize()), cell(before.get(n)), cell(after.get(n)), "")
            for n in names]


# -- the sentences ---------------------------------------------------------------------------
_NAMES = {HELPFULNESS: "Helpfulness", PROMISES: "Promises", CADENCE: "Cadence",
          INITIATIVE: "Who reaches out"}


def _detail(name: str, r: Reading, v: _Vendor) -> str:
    if name == HELPFULNESS:
        if not r.recent_n:
            text = (f"no contacts in the last 90 days, so it rests on the year's: "
                    f"{r.year_helpful} of {_plural(r.year_n, 'contact')} helped")
            if r.last_helpful is not None:
                text += f"; the last helpful one was {fmt_day(from_day_number(r.last_helpful))}"
            return text
        text = (f"{r.recent_helpful} of your {_plural(r.recent_n, 'contact')} in the last 90 "
                "days helped")
        if r.recent_bcast:
            text += f" ({_plural(r.recent_bcast, 'was a broadcast', 'were broadcasts')}, "
            text += "counted a quarter)"
        if r.last_helpful is not None:
            text += f"; the last helpful one was {fmt_day(from_day_number(r.last_helpful))}"
        return text
    if name == PROMISES:
        parts = [f"{r.promises_kept} kept"]
        if r.promises_late:
            parts.append(f"{r.promises_late} kept late")
        parts.append(f"{r.promises_broken} broken")
        text = ", ".join(parts[:-1]) + " and " + parts[-1] + " in the last 12 months"
        if r.promises_overdue:
            text += f"; {r.promises_overdue} still open past their due date"
        return text
    if name == CADENCE:
        return (f"you spoke on {_plural(r.recent_conv_days, 'day')} in the last 90, against "
                f"a usual {r.expected_recent or 0:.0f}")
    if name == INITIATIVE:
        if not r.recent_conv:
            return (f"no conversations in the last 90 days; over the year they reached out "
                    f"{r.year_in} of {r.year_conv} times")
        return f"they reached out {r.recent_in} of {r.recent_conv} times in the last 90 days"
    return _said(r.extra_details.get(name, ""))


def _said(detail: str | Callable[[], str]) -> str:
    """An added component's detail: a sentence, or a function writing it (values_deferred)."""
    return detail() if callable(detail) else detail


def _reasons(score: float | None, start: date, as_of: date, components: Sequence[Component],
             r: Reading, v: _Vendor, period: Period) -> list[str]:
    out: list[str] = []
    if score is None:
        first = v.days.first is not None and day_number(start) <= v.days.first
        if first:
            out.append(f"Too early to judge: this is the first {period.value} with this vendor "
                       f"({_plural(r.year_n, 'interaction')} so far).")
        elif r.year_n == 0 and r.silence_cap is None:
            out.append("Nothing logged in the last 12 months: no score (a gap, not a zero).")
        else:
            out.append(f"Too little to go on: {_plural(r.year_n, 'interaction')} in the last 12 "
                       f"months (a score needs {MIN_EVIDENCE}).")
        return out
    if r.silence_cap is not None and r.last_contact is not None:
        silent = day_number(as_of) - r.last_contact
        out.append(f"No conversation for {silent} days since "
                   f"{fmt_day(from_day_number(r.last_contact))}, against a usual gap of "
                   f"{r.usual_gap:.0f} days: the score is held at {r.silence_cap:.0f} until you "
                   "hear from them.")
    costs = sorted(components, key=lambda c: -(c.weight * (100 - c.value)))
    for c in costs:
        lost = c.weight * (100 - c.value)
        name = _NAMES.get(c.name, c.name.capitalize())
        if lost >= 1.5:
            out.append(f"{name}: {c.detail} (costs {lost:.0f} points).")
        else:
            out.append(f"{name}: {c.detail}.")
    if CADENCE not in r.values:
        out.append("Cadence is left out until there is a year of history to compare with.")
    if PROMISES not in r.values:
        out.append("No vendor promises came due in the last 12 months: promises are left out.")
    cutoff = as_of - timedelta(days=365)
    for on, kind, text in v.events:
        if kind in INCOME_EVENTS and cutoff < on <= as_of:
            out.append(f"Since {fmt_day(on)}: {kind}" + (f" — {text}" if text else "")
                       + ". Check what it does to your income.")
    return out


def explain(point: HealthPoint) -> list[str]:
    """Why the score is what it is, in a rep's words, the most important first."""
    if point.reasons:
        return list(point.reasons)
    if point.explainer is not None:
        return list(point.explainer())
    return ["No interactions yet: no score (a gap, not a zero)."]


def evidence_text(interactions: int, promises: int) -> str:
    """'rests on 14 interactions and 2 promises' — shown beside every score."""
    return f"rests on {_plural(interactions, 'interaction')} and {_plural(promises, 'promise')}"


# Economics (deal registrations and payments, services/economics_component.py) joins every
# score of a vendor that has ledger data: registered here so that every face that scores has it.
from partnerdesk.services.economics_component import install as _install_economics  # noqa: E402

_install_economics()
