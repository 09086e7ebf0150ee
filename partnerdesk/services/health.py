"""Relationship health: a 0-100 score per vendor and period, and what pulled it down.

The formula (docs/health.md has it with a worked example):

    score = sum(weight_i * value_i) / sum(weight_i)   over the components that have data

    helpfulness    40 %  share of helpful interactions over all history up to the period's end,
                         each interaction weighing half as much as one 90 days newer
    promises kept  25 %  share of the vendor's promises, due in the quarter-long window that ends
                         with the period (13 weeks, 3 months or the quarter itself), closed by
                         the end of their due date; promises still open and not yet due are left out
    quality        15 %  mean 1-5 rating of the period's rated interactions, 1 -> 0, 5 -> 100
    engagement     20 %  contacts in the period against the usual cadence: the median monthly
                         count over the 12 calendar months before the period's month (from the
                         vendor's first month; none before 3 months of history), scaled to the
                         period's length (to today, for the current one); capped at 100

A component without data is left out and the others' weights scaled up to sum to 1; it never
counts as zero. A period has a score when it holds an interaction, a vendor promise falls due in
it, or silence in it is news (the usual cadence expected at least one contact): otherwise it is
a gap. Periods are UTC calendar days; weeks start on Monday.

Everything reads the per-vendor weekly summary (vendor_week, see store/summary.py), never the
interaction table's million rows, except the few open promises not yet due, last contacts and
the before/after windows, which are index lookups.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.health_types import (
    Bands,
    BeforeAfter,
    BeforeAfterSide,
    Component,
    HealthPoint,
    Period,
    Trend,
    VendorHealth,
)
from partnerdesk.store.summary import EPOCH_ORDINAL

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from partnerdesk.store.journal import Journal

HELPFULNESS = "helpfulness"
PROMISES = "promises kept"
QUALITY = "quality"
ENGAGEMENT = "engagement"

# Default weights; they sum to 1. A missing component's weight is shared out pro rata.
WEIGHTS: dict[str, float] = {HELPFULNESS: 0.40, PROMISES: 0.25, QUALITY: 0.15, ENGAGEMENT: 0.20}
HALF_LIFE_DAYS = 90.0  # helpfulness: an interaction weighs half as much as one 90 days newer
BASELINE_MONTHS = 12  # engagement: the usual cadence is the median over this many months
BASELINE_MIN_MONTHS = 3  # ... once the vendor has this many months of history, not before
DAYS_PER_MONTH = 365.25 / 12  # 30.4375: turns a monthly cadence into a period's expectation
TREND_FLAT = 3.0  # a score within this many points of the previous one is flat
PROMISE_WINDOW = {Period.WEEK: 13, Period.MONTH: 3, Period.QUARTER: 1}  # periods, ~one quarter

_ORDER = (HELPFULNESS, PROMISES, QUALITY, ENGAGEMENT)
_DECAY = 0.5 ** (1 / HALF_LIFE_DAYS)  # weight kept per day of age


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


def _days(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL


def _date(n: int) -> date:
    return date.fromordinal(n + EPOCH_ORDINAL)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


@lru_cache(maxsize=4096)
def _month_start_days(index: int) -> int:
    year, month = divmod(index, 12)
    return _days(date(year, month + 1, 1))


# -- one vendor's summary, ready for range sums ----------------------------------------------
class _History:
    """A vendor's slices (start_day, n, helpful, quality_sum, quality_n, promises, kept) with
    prefix sums, so that any run of whole slices sums in two bisects."""

    __slots__ = ("starts", "n", "h", "qs", "qn", "p", "pk", "first_day", "first_month",
                 "_month_n", "_median")

    def __init__(self, slices: Sequence[Sequence[int]], undecided: dict[int, list[int]],
                 first_day: int | None = None):
        self.starts = [s[0] for s in slices]
        cols = list(zip(*slices, strict=True)) if slices else [()] * 7
        promises, kept = list(cols[5]), list(cols[6])
        if undecided:  # promises not yet decided on `today` count neither way
            for i, start in enumerate(self.starts):
                if start in undecided:
                    promises[i] -= undecided[start][0]
                    kept[i] -= undecided[start][1]
        self.n = [0, *accumulate(cols[1])]
        self.h = [0, *accumulate(cols[2])]
        self.qs = [0, *accumulate(cols[3])]
        self.qn = [0, *accumulate(cols[4])]
        self.p = [0, *accumulate(promises)]
        self.pk = [0, *accumulate(kept)]
        if first_day is None:  # the vendor's first interaction (slices may begin later)
            first_day = next((s[0] for s in slices if s[1] > 0), None)
        self.first_day = first_day
        self.first_month = None if first_day is None else _month_index(_date(first_day))
        self._month_n: dict[int, int] = {}
        self._median: dict[int, tuple[float, int] | None] = {}

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Slice indices i..j-1 of the slices starting in days [a, b)."""
        return bisect_left(self.starts, a), bisect_left(self.starts, b)

    def count(self, a: int, b: int) -> int:
        i, j = self.span(a, b)
        return self.n[j] - self.n[i]

    def month_count(self, index: int) -> int:
        got = self._month_n.get(index)
        if got is None:
            got = self._month_n[index] = self.count(_month_start_days(index),
                                                    _month_start_days(index + 1))
        return got

    def baseline(self, month: int) -> tuple[float, int] | None:
        """(median monthly count, months used) over the 12 months before `month`, from the
        vendor's first month on; None with fewer than 3 such months (no usual cadence yet)."""
        if month in self._median:
            return self._median[month]
        out: tuple[float, int] | None = None
        if self.first_month is not None and month - self.first_month >= BASELINE_MIN_MONTHS:
            counts = sorted(self.month_count(m)
                            for m in range(max(month - BASELINE_MONTHS, self.first_month), month))
            k = len(counts)
            median = counts[k // 2] if k % 2 else (counts[k // 2 - 1] + counts[k // 2]) / 2
            out = (float(median), k)
        self._median[month] = out
        return out


@dataclass(slots=True)
class _Raw:
    """What a period's score is computed from, kept for the sentences that explain it."""

    start: date
    end: date
    n: int
    helpful: int
    quality_sum: int
    quality_n: int
    window_start: date
    promises: int
    kept: int
    decayed_share: float | None
    baseline: tuple[float, int] | None
    expected: float | None
    values: dict[str, float]
    score: float | None


def _score(values: dict[str, float]) -> float | None:
    if not values:
        return None
    total = sum(WEIGHTS[k] for k in values)
    return round(sum(WEIGHTS[k] * v for k, v in values.items()) / total, 1)


@dataclass(frozen=True, slots=True)
class _Carry:
    """Decayed interaction counts of the slices before `at`, valued at `at`."""

    at: int
    n: float
    helpful: float


def _series(hist: _History, period: Period, first: date, last: date, today: date,
            carry: _Carry | None = None) -> list[_Raw]:
    """Raw scores for every period from the one starting at `first` to the one at `last`.
    Without a carry, `hist` must hold every slice up to `last`; with one, those from carry.at.
    Slices starting after `today` do not count (a report as of a past day, or entries dated
    ahead)."""
    out: list[_Raw] = []
    today_end = _days(today) + 1
    window = PROMISE_WINDOW[period]
    # Running decayed sums: every slice that started before the current period's end counts,
    # weighted by _DECAY ** (end - its start); moving the end on decays the sums as a whole.
    dh = dn = 0.0
    at: int | None = None  # the day the sums are valued at
    if carry is not None:
        dh, dn, at = carry.helpful, carry.n, carry.at
    k = 0  # next slice to take in
    starts, ns, hs = hist.starts, hist.n, hist.h
    start = first
    while start <= last:
        end = shift_period(start, period, 1)
        s, e = _days(start), _days(end)
        cut = min(e, today_end)  # slices from here on are after today
        if at is not None:
            factor = _DECAY ** (e - at)
            dh *= factor
            dn *= factor
        while k < len(starts) and starts[k] < cut:
            n_k = ns[k + 1] - ns[k]
            if n_k:
                w = _DECAY ** (e - starts[k])
                dn += w * n_k
                dh += w * (hs[k + 1] - hs[k])
            k += 1
        at = e
        i, j = hist.span(s, cut)
        n = ns[j] - ns[i]
        helpful = hs[j] - hs[i]
        qs = hist.qs[j] - hist.qs[i]
        qn = hist.qn[j] - hist.qn[i]
        period_promises = hist.p[j] - hist.p[i]
        window_start = shift_period(start, period, 1 - window)
        wi, _ = hist.span(_days(window_start), cut)
        promises = hist.p[j] - hist.p[wi]
        kept = hist.pk[j] - hist.pk[wi]
        base = hist.baseline(_month_index(start))
        expected = None
        if base is not None:
            expected = base[0] * (min(e, today_end) - s) / DAYS_PER_MONTH
        values: dict[str, float] = {}
        share = dh / dn if dn > 0 else None
        if n or period_promises or (expected is not None and expected >= 1):
            if share is not None:
                values[HELPFULNESS] = round(100 * share, 1)
            if promises > 0:
                values[PROMISES] = round(100 * kept / promises, 1)
            if qn:
                values[QUALITY] = round(100 * (qs / qn - 1) / 4, 1)
            if expected is not None and expected > 0:
                values[ENGAGEMENT] = round(100 * min(1.0, n / expected), 1)
            elif expected is not None and n:
                values[ENGAGEMENT] = 100.0  # usually silent most months; any contact is plenty
        out.append(_Raw(start, end, n, helpful, qs, qn, window_start, promises, kept, share, base,
                        expected, values, _score(values)))
        start = end
    return out


def _trend(score: float | None, previous: float | None) -> Trend | None:
    if score is None or previous is None:
        return None
    if score > previous + TREND_FLAT:
        return Trend.UP
    if score < previous - TREND_FLAT:
        return Trend.DOWN
    return Trend.FLAT


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _fmt_day(d: date) -> str:  # '1 Apr 2026', whatever the locale
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _detail(name: str, r: _Raw, period: Period) -> str:
    if name == HELPFULNESS:
        assert r.decayed_share is not None
        return (f"{r.helpful} of {r.n} helpful this {period.value}; "
                f"{100 * r.decayed_share:.0f}% with older ones fading "
                f"(half-life {HALF_LIFE_DAYS:.0f} days)")
    if name == PROMISES:
        last = r.end - timedelta(days=1)
        return (f"{r.kept} of {r.promises} vendor promises due {_fmt_day(r.window_start)}"
                f" to {_fmt_day(last)} kept by their due date")
    if name == QUALITY:
        return f"mean rating {r.quality_sum / r.quality_n:.1f} of 5 ({r.quality_n} rated)"
    assert r.baseline is not None and r.expected is not None
    median, months = r.baseline
    usual = f"median {median:g} a month over the previous {months} month{'s' * (months != 1)}"
    contacts = f"{r.n} contact{'s' * (r.n != 1)}"
    if r.expected <= 0:
        return f"{contacts}; usually silent most months ({usual})"
    return f"{contacts} against a usual {r.expected:.1f} ({usual})"


def _point(vendor_id: int, period: Period, r: _Raw, trend: Trend | None,
           bands: Bands) -> HealthPoint:
    total = sum(WEIGHTS[k] for k in r.values)
    comps = tuple(Component(name, r.values[name], WEIGHTS[name] / total, _detail(name, r, period))
                  for name in _ORDER if name in r.values)
    return HealthPoint(vendor_id, period, r.start, r.end, r.score, bands.band(r.score), trend,
                       comps, interactions=r.n, helpful=r.helpful, transactional=r.n - r.helpful,
                       promises_due=r.promises, promises_kept=r.kept)


# -- reading ---------------------------------------------------------------------------------
_SLICE_SQL = ("SELECT start_day, n, helpful, quality_sum, quality_n, promises, promises_kept"
              " FROM vendor_week WHERE vendor_id = ? ORDER BY start_day")
# Promises due today or later and not closed by the end of today are undecided on `today`
# (kept in the summary if closed in time later on). interaction_vendor_promise finds them.
_UNDECIDED_SQL = (
    "SELECT vendor_id, follow_up_due, coalesce(follow_up_done_at"
    " < CAST(strftime('%s', follow_up_due) AS INTEGER) + 129600, 0) FROM interaction"
    " WHERE follow_up_owner = 'vendor' AND follow_up_due >= :today"
    " AND (follow_up_done_at IS NULL OR follow_up_done_at >= :end)")


def _end_of(today: date) -> int:
    """Epoch seconds at the end of `today` (UTC), where 'after today' starts."""
    return (_days(today) + 1) * 86400


def _undecided(conn: Connection, today: date,
               vendor_id: int | None = None) -> dict[int, dict[int, list[int]]]:
    """Per vendor: slice start day -> [undecided promises, of them counted kept in the summary]."""
    sql = _UNDECIDED_SQL
    params: dict[str, Any] = {"today": today.isoformat(), "end": _end_of(today)}
    if vendor_id is not None:
        sql += " AND vendor_id = :vendor"
        params["vendor"] = vendor_id
    out: dict[int, dict[int, list[int]]] = {}
    for vid, due, kept in conn.exec_driver_sql(sql, params).all():
        try:
            day = date.fromisoformat(due)
        except (TypeError, ValueError):
            continue
        key = _days(max(day - timedelta(days=day.weekday()), day.replace(day=1)))
        counts = out.setdefault(vid, {}).setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += int(kept)
    return out


def _require_vendor(conn: Connection, vendor_id: int) -> None:
    if conn.exec_driver_sql("SELECT 1 FROM vendor WHERE id = ?", (vendor_id,)).scalar() is None:
        raise NotFound(f"Vendor #{vendor_id} does not exist (it may have been deleted).")


def _today(today: date | None) -> date:
    return today or date.today()


# -- the API ---------------------------------------------------------------------------------
def vendor_health(journal: Journal, vendor_id: int, period: Period = Period.MONTH,
                  since: date | None = None, until: date | None = None, today: date | None = None,
                  bands: Bands = Bands()) -> list[HealthPoint]:  # noqa: B008 (frozen)
    """One point per period, oldest first, from the period holding `since` (default: the
    vendor's first interaction) to the one holding `until` (default and at most: today).
    Periods without data have score None: a gap, not a zero."""
    period = Period(period)
    today = _today(today)
    last = period_start(min(until or today, today), period)
    with journal.reading() as conn:
        _require_vendor(conn, vendor_id)
        slices = conn.exec_driver_sql(_SLICE_SQL, (vendor_id,)).all()
        undecided = _undecided(conn, today, vendor_id).get(vendor_id, {})
    hist = _History(slices, undecided)
    if since is None:
        if hist.first_day is None or period_start(_date(hist.first_day), period) > last:
            return []  # nothing logged yet, or not by `until`
        since = _date(hist.first_day)
    first = period_start(since, period)
    if first > last:
        end = min(until or today, today)
        raise InvalidInput(f"{since.isoformat()} is after {end.isoformat()}; "
                           "give a start date on or before the end.")
    # Start at the vendor's first interaction even when `since` is later, so that the first
    # point shown has its trend against the period before it.
    compute_from = first
    if hist.first_day is not None:
        compute_from = min(first, period_start(_date(hist.first_day), period))
    raws = _series(hist, period, compute_from, last, today)
    points: list[HealthPoint] = []
    previous: float | None = None
    for r in raws:
        if r.start >= first:
            points.append(_point(vendor_id, period, r, _trend(r.score, previous), bands))
        if r.score is not None:
            previous = r.score
    return points


# Portfolio: slices before the checkpoint only feed the helpfulness decay, so SQL sums them,
# decayed to the checkpoint; the Python loop then runs over the last couple of years only.
_OLD_SQL = ("SELECT vendor_id, sum(n * pow(0.5, (:at - start_day) / :half)),"
            " sum(helpful * pow(0.5, (:at - start_day) / :half)),"
            " min(CASE WHEN n > 0 THEN start_day END)"
            " FROM vendor_week WHERE start_day < :at GROUP BY vendor_id")
_OLD_ROWS_SQL = ("SELECT vendor_id, start_day, n, helpful FROM vendor_week WHERE start_day < ?"
                 " ORDER BY vendor_id, start_day")
_RECENT_SQL = ("SELECT w.vendor_id, w.start_day, w.n, w.helpful, w.quality_sum, w.quality_n,"
               " w.promises, w.promises_kept FROM vendor v JOIN vendor_week w"
               " ON w.vendor_id = v.id AND w.start_day >= ? ORDER BY w.vendor_id, w.start_day")


def _old_carries(conn: Connection, at: int) -> dict[int, tuple[_Carry, int | None]]:
    """Per vendor: the decayed counts before day `at`, and its first interaction's slice."""
    rows: list[Sequence[Any]]
    try:
        rows = list(conn.exec_driver_sql(_OLD_SQL, {"at": at, "half": HALF_LIFE_DAYS}).all())
    except Exception as exc:  # sqlite3's or SQLAlchemy's OperationalError (LiteJournal or Journal)
        if "no such function" not in str(exc):
            raise
        # SQLite built without its math functions: the same sums, in Python.
        sums: dict[int, list[float | int | None]] = {}
        for vid, start, n, helpful in conn.exec_driver_sql(_OLD_ROWS_SQL, (at,)).all():
            acc = sums.setdefault(vid, [0.0, 0.0, None])
            w = 0.5 ** ((at - start) / HALF_LIFE_DAYS)
            acc[0] += n * w  # type: ignore[operator]
            acc[1] += helpful * w  # type: ignore[operator]
            if n and acc[2] is None:
                acc[2] = start
        rows = [(vid, *acc) for vid, acc in sums.items()]
    return {vid: (_Carry(at, float(n or 0.0), float(h or 0.0)), first)
            for vid, n, h, first in rows}


def portfolio(journal: Journal, today: date | None = None, period: Period = Period.QUARTER,
              bands: Bands = Bands(), include_archived: bool = False,  # noqa: B008
              spark_periods: int = 8) -> list[VendorHealth]:
    """Every active vendor (archived ones too if asked), in name order, scored for the period
    holding `today` and compared with the previous period that has a score. The sparkline holds
    the last `spark_periods` periods' scores, oldest first, None for gaps."""
    period = Period(period)
    today = _today(today)
    spark_periods = max(1, spark_periods)
    current = period_start(today, period)
    spark_from = shift_period(current, period, 1 - spark_periods)
    compute_from = min(spark_from, shift_period(current, period, -4))
    # Everything a score from compute_from on reads: its promise window and baseline months.
    checkpoint = _days(add_months(compute_from.replace(day=1), -BASELINE_MONTHS))
    vendors = journal.vendors.all(include_archived=include_archived)
    recent: dict[int, list[tuple[int, ...]]] = {}
    with journal.reading() as conn:
        carries = _old_carries(conn, checkpoint)
        for row in conn.exec_driver_sql(_RECENT_SQL, (checkpoint,)).all():
            recent.setdefault(row[0], []).append(row[1:])
        undecided = _undecided(conn, today)
        end = {"today": today.isoformat(), "end": _end_of(today)}
        overdue: dict[int, int] = dict(conn.exec_driver_sql(
            "SELECT vendor_id, count(*) FROM interaction WHERE follow_up_owner = 'vendor'"
            " AND +follow_up_due < :today AND (follow_up_done_at IS NULL"
            " OR follow_up_done_at >= :end) GROUP BY vendor_id", end).all())
        last_seen: dict[int, int | None] = dict(conn.exec_driver_sql(
            "SELECT v.id, (SELECT max(occurred_at) FROM interaction WHERE vendor_id = v.id"
            " AND occurred_at < :end) FROM vendor v", end).all())
        out: list[VendorHealth] = []
        for v in vendors:
            carry, first_day = carries.get(v.id, (None, None))
            hist = _History(recent.get(v.id, []), undecided.get(v.id, {}), first_day)
            raws: list[_Raw] = []
            if hist.first_day is not None:
                raws = _series(hist, period, compute_from, current, today, carry)
            now = raws[-1] if raws else None
            scored = [r.score for r in raws[:-1] if r.score is not None]
            previous = scored[-1] if scored else None
            if previous is None and first_day is not None and first_day < _days(compute_from):
                # Nothing scored lately: look further back, over the vendor's whole history.
                whole = _History(conn.exec_driver_sql(_SLICE_SQL, (v.id,)).all(),
                                 undecided.get(v.id, {}))
                older = _series(whole, period, period_start(_date(first_day), period),
                                shift_period(compute_from, period, -1), today)
                previous = next((r.score for r in reversed(older) if r.score is not None), None)
            score = now.score if now else None
            by_start = {r.start: r.score for r in raws}
            seen = last_seen.get(v.id)
            out.append(VendorHealth(
                vendor_id=v.id, display_name=v.display_name, score=score, band=bands.band(score),
                trend=_trend(score, previous),
                change=None if score is None or previous is None else round(score - previous, 1),
                interactions=now.n if now else 0,
                helpful_pct=round(100 * now.helpful / now.n, 1) if now and now.n else None,
                promises_kept_pct=(round(100 * now.kept / now.promises, 1)
                                   if now and now.promises else None),
                overdue_promises=int(overdue.get(v.id, 0)),
                last_contact=datetime.fromtimestamp(seen, UTC) if seen is not None else None,
                sparkline=tuple(by_start.get(shift_period(spark_from, period, i))
                                for i in range(spark_periods))))
    return out


def _side(conn: Connection, vendor_id: int, start: date, end: date, today: date,
          base: tuple[float, int] | None) -> BeforeAfterSide:
    end = max(start, min(end, today + timedelta(days=1)))  # nothing after today
    n, helpful, qs, qn = conn.exec_driver_sql(
        "SELECT count(*), coalesce(sum(tag = 'helpful'), 0), coalesce(sum(quality), 0),"
        " count(quality) FROM interaction WHERE vendor_id = ? AND occurred_at >= ?"
        " AND occurred_at < ?", (vendor_id, _days(start) * 86400, _days(end) * 86400)).all()[0]
    promises, kept = conn.exec_driver_sql(
        "SELECT count(*), coalesce(sum(follow_up_done_at IS NOT NULL AND follow_up_done_at"
        " < CAST(strftime('%s', follow_up_due) AS INTEGER) + 129600), 0) FROM interaction"
        " WHERE vendor_id = :vendor AND follow_up_owner = 'vendor' AND follow_up_due >= :start"
        " AND follow_up_due < :stop AND NOT (follow_up_due >= :today"
        " AND (follow_up_done_at IS NULL OR follow_up_done_at >= :end))",
        {"vendor": vendor_id, "start": start.isoformat(), "stop": end.isoformat(),
         "today": today.isoformat(), "end": _end_of(today)}).all()[0]
    days = (end - start).days
    expected = base[0] * days / DAYS_PER_MONTH if base is not None else None
    values: dict[str, float] = {}
    if n or promises or (expected is not None and expected >= 1):
        if n:
            values[HELPFULNESS] = 100 * helpful / n
        if promises:
            values[PROMISES] = 100 * kept / promises
        if qn:
            values[QUALITY] = 100 * (qs / qn - 1) / 4
        if expected is not None and expected > 0:
            values[ENGAGEMENT] = 100 * min(1.0, n / expected)
        elif expected is not None and n:
            values[ENGAGEMENT] = 100.0
    return BeforeAfterSide(
        start=start, end=end, interactions=n,
        helpful_pct=round(100 * helpful / n, 1) if n else None,
        promises_kept_pct=round(100 * kept / promises, 1) if promises else None,
        per_month=round(n * DAYS_PER_MONTH / days, 2) if days > 0 else 0.0,
        score=_score(values))


def before_after(journal: Journal, vendor_id: int, event_date: date, months: int = 6,
                 today: date | None = None) -> BeforeAfter:
    """The `months` before `event_date` (not counting it) against the months from it on (up to
    today). Each side is scored as one period: helpfulness is its plain helpful share, engagement
    its cadence against the usual one in the 12 months before the event's month."""
    if not 1 <= months <= 120:
        raise InvalidInput(f"Compare between 1 and 120 months around the event, not {months}.")
    today = _today(today)
    before_start = add_months(event_date, -months)
    after_end = max(event_date, min(add_months(event_date, months), today + timedelta(days=1)))
    with journal.reading() as conn:
        _require_vendor(conn, vendor_id)
        hist = _History(conn.exec_driver_sql(_SLICE_SQL, (vendor_id,)).all(), {})
        base = hist.baseline(_month_index(event_date))
        before = _side(conn, vendor_id, before_start, event_date, today, base)
        after = _side(conn, vendor_id, event_date, after_end, today, base)
    return BeforeAfter(vendor_id, event_date, months, before, after)


_NAMES = {HELPFULNESS: "Helpfulness", PROMISES: "Promises kept", QUALITY: "Quality",
          ENGAGEMENT: "Engagement"}
_MISSING = {
    HELPFULNESS: "No interactions yet: helpfulness is left out",
    PROMISES: "No vendor promises fell due in the window: promises kept is left out",
    QUALITY: "No ratings in this period: quality is left out",
    ENGAGEMENT: "No usual cadence yet (under 3 months of history): engagement is left out",
}


def explain(point: HealthPoint) -> list[str]:
    """Why the score is what it is: the components that cost the most points first (a
    component's cost is weight x (100 - value); the costs add up to 100 - score), then those at
    full marks, then those left out for want of data."""
    if point.score is None:
        return [f"No interactions, no vendor promises due and no contact expected this "
                f"{point.period.value}: no score (a gap, not a zero)."]
    costs = sorted(point.components,
                   key=lambda c: (-(c.weight * (100 - c.value)), _ORDER.index(c.name)))
    out = []
    for c in costs:
        cost = c.weight * (100 - c.value)
        name = _NAMES.get(c.name, c.name.capitalize())
        if cost >= 0.5:
            out.append(f"{name} cost {cost:.0f} point{'s' * (round(cost) != 1)} "
                       f"({c.value:.0f}/100, weight {100 * c.weight:.0f}%): {c.detail}.")
        else:
            out.append(f"{name} at {c.value:.0f}/100 (weight {100 * c.weight:.0f}%): {c.detail}.")
    present = {c.name for c in point.components}
    missing = [name for name in _ORDER if name not in present]
    for name in missing:
        out.append(f"{_MISSING[name]}; the other weights are scaled up.")
    return out

