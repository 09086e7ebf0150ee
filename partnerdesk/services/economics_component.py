"""Economics in the health score: registrations decided and money due in the year before each
as-of day, judged by services/economics.judge, joined through health's register_component.

A vendor with no decision and no payment due in that year has no economics value that day, so
the component is left out and its weight shared out. services/health.py calls `install()` when
it loads, so every score (the window, `health`, the portfolio, the brief, the PDFs) has it; this
module imports health only inside functions, so either may be imported first.

Speed: health asks for a vendor's value on several as-of days at once (a series, the portfolio's
sparkline). `values_many` (the portfolio's batch: every vendor, one query) reads each record
once, as a letter an index keeps (schema rung V_ECONOMICS_CODES; see _AGGREGATE) and says why
only on the last day, the one the portfolio explains. One vendor (`values`, and
`values_deferred`, which health's series call) reads that vendor's few records and judges
each distinct year of them once (_series); values_deferred writes a sentence only when read.
benchmarks/bench_health.py --only ledger and benchmarks/bench_ledger.py time it.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import add, sub
from typing import Any

from partnerdesk.domain.health_types import BeforeAfterMeasure
from partnerdesk.services.economics import EconomicsMeasures, judge, score_of

NAME = "economics"
WEIGHT = 0.20  # beside helpfulness 0.50, promises 0.25, cadence 0.20, initiative 0.05
WINDOW_DAYS = 365
WINDOW_WORDS = "in the last 12 months"

# One query answers every vendor and every window at once. The windows (a year to each as-of
# day) overlap, so their ends cut the time line into disjoint segments; for each vendor and
# segment correlated subqueries read an index range of its registrations (by decision day) and
# money (by due day), so SQLite reads each record once. Each record is one letter of a string
# (group_concat with no separator), read from the index that stores it (store/schema.py's
# V_ECONOMICS_CODES says what each letter means) rather than worked out and summed per count;
# Python counts letters in C (str.count) and adds the segments of each window up from running
# totals. Registrations: the letters, a space, the days each decision took. Money: the letters,
# a space, each shortfall (currency and 19 digits). Apart (_UNPAID_ON), how many were unpaid and
# due on a segment's last day (not late yet when that is the window's last day).
_AGGREGATE = """
WITH w(k, lo, hi) AS (VALUES {segments}), v(id) AS (VALUES {vendors})
SELECT v.id, w.k,
  (SELECT group_concat(r.health_code, '') || ' ' || coalesce(group_concat(r.health_days), '')
     FROM deal_registration r INDEXED BY deal_registration_health
    WHERE r.vendor_id = v.id AND r.decided_on > w.lo AND r.decided_on <= w.hi),
  (SELECT group_concat(m.health_code, '') || ' ' || coalesce(group_concat(m.health_short, ''), '')
     FROM money_owed m INDEXED BY money_owed_health
    WHERE m.vendor_id = v.id AND m.due_on > w.lo AND m.due_on <= w.hi)
  FROM v, w
"""
# The first and last day any of these vendors' records can count on (index ends, per vendor).
_SPAN = """
WITH v(id) AS (VALUES {vendors})
SELECT min(a), max(b) FROM (
  SELECT (SELECT min(decided_on) FROM deal_registration INDEXED BY deal_registration_health
           WHERE vendor_id = v.id AND decided_on IS NOT NULL) AS a,
         (SELECT max(decided_on) FROM deal_registration INDEXED BY deal_registration_health
           WHERE vendor_id = v.id AND decided_on IS NOT NULL) AS b FROM v
  UNION ALL
  SELECT (SELECT min(due_on) FROM money_owed INDEXED BY money_owed_health WHERE vendor_id = v.id),
         (SELECT max(due_on) FROM money_owed INDEXED BY money_owed_health WHERE vendor_id = v.id)
    FROM v)
"""
# Unpaid and due on a segment's last day: an index seek per vendor and day.
_UNPAID_ON = """
SELECT vendor_id, due_on, count(*) FROM money_owed INDEXED BY money_owed_health
 WHERE vendor_id IN ({vendors}) AND due_on IN ({days}) AND health_code = 'u'
 GROUP BY vendor_id, due_on
"""


@dataclass(slots=True)
class _Counts:
    """What one window holds for one vendor."""

    decided: int = 0
    rejected: int = 0
    no_reason: int = 0
    took: list[int] = field(default_factory=list)  # days from submission to decision
    judged: int = 0
    on_time: int = 0
    late: int = 0  # paid late, or unpaid past the due day
    short: int = 0
    shortfall: dict[str, int] = field(default_factory=dict)  # currency -> minor units

    def measures(self) -> EconomicsMeasures | None:
        return judge(approved=self.decided - self.rejected, rejected=self.rejected,
                     rejected_without_reason=self.no_reason,
                     median_days=_median(self.took), judged=self.judged, on_time=self.on_time,
                     late=self.late, short=self.short,
                     shortfall=sorted(self.shortfall.items()), window=WINDOW_WORDS)


def _median(days: list[int]) -> float | None:
    """statistics.median's answer (the middle one, or the mean of the middle two)."""
    n = len(days)
    if not n:
        return None
    s = sorted(days)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


_SHORT = 3 + 19  # a shortfall: currency, minor units zero-padded
# Running totals per segment: decided, rejected, rejected without a reason, money judged, in
# full on time, paid late, unpaid, paid short.
_SUMS = 8


def _segment(regs: str | None, money: str | None, unpaid_at_end: int
             ) -> tuple[tuple[int, ...], list[int], int, list[tuple[str, int]]]:
    """One segment's counts (as _SUMS), decision days, unpaid due on its last day, shortfalls."""
    a = r = n = 0
    took: list[int] = []
    if regs:
        codes, _, days = regs.partition(" ")
        a, r, n = codes.count("a"), codes.count("r"), codes.count("n")
        if days:
            took = list(map(int, days.split(",")))
            if "-" in days:  # a decision recorded before its submission says nothing of speed
                took = [t for t in took if t >= 0]
            took.sort()  # sorted once here, a window's median sorts a few runs (merges them)
    o = lt = u = s = t = 0
    shorts: list[tuple[str, int]] = []
    if money:
        codes, _, short = money.partition(" ")
        o, lt, u = codes.count("o"), codes.count("l"), codes.count("u")
        if short:  # currency (3 characters) and shortfall (19 digits) each
            s, t = codes.count("s"), codes.count("t")
            shorts = [(short[i:i + 3], int(short[i + 3:i + _SHORT])) for i in
                      range(0, len(short), _SHORT)]
    return ((a + r + n, r + n, n, o + lt + u + s + t, o, lt + t, u, s + t), took, unpaid_at_end,
            shorts)


def _counts_many(conn: Any, vendor_ids: Sequence[int], windows: Sequence[tuple[date, date]],
                 explained_from: int = 0) -> dict[int, list[_Counts | float | None]]:
    """Per vendor, per window (after lo, up to and including hi), in one query: its counts from
    window `explained_from` on; before it only the score, which is all a sparkline's older
    points need (the sentence is most of the cost); None where nothing was decided or due."""
    bounds = sorted({d.isoformat() for w in windows for d in w})
    span = None
    if len(bounds) >= 2 and vendor_ids:
        vendors = ", ".join(["(?)"] * len(vendor_ids))
        span = conn.exec_driver_sql(_SPAN.format(vendors=vendors), tuple(vendor_ids)
                                    ).all()[0]
    if span is None or span[0] is None:
        return {vid: [None] * len(windows) for vid in vendor_ids}
    nseg = len(bounds) - 1
    params: list[Any] = []
    for k in range(nseg):  # only segments that can hold a record (a long series' early years)
        if bounds[k + 1] >= span[0] and bounds[k] < span[1]:
            params += [k, bounds[k], bounds[k + 1]]
    if not params:  # every record before the first window or after the last
        return {vid: [None] * len(windows) for vid in vendor_ids}
    sql = _AGGREGATE.format(segments=", ".join(["(?, ?, ?)"] * (len(params) // 3)),
                            vendors=vendors)
    at_end = {(vid, day): n for vid, day, n in conn.exec_driver_sql(
        _UNPAID_ON.format(vendors=", ".join(["?"] * len(vendor_ids)),
                          days=", ".join(["?"] * (len(params) // 3))),
        (*vendor_ids, *params[2::3]))}
    segs: dict[int, list[Any]] = {vid: [None] * nseg for vid in vendor_ids}
    for vid, k, regs, money in conn.exec_driver_sql(sql, (*params, *vendor_ids)):
        if regs or money:
            segs[vid][k] = _segment(regs, money, at_end.get((vid, bounds[k + 1]), 0))
    index = {b: i for i, b in enumerate(bounds)}
    spans = [(index[lo.isoformat()], index[hi.isoformat()]) for lo, hi in windows]
    zero = (0,) * _SUMS
    out: dict[int, list[_Counts | float | None]] = {}
    for vid in vendor_ids:
        row = segs[vid]
        if not any(row):
            out[vid] = [None] * len(windows)
            continue
        running = [zero]  # running[k]: the sums of segments before k
        days: list[int] = []  # every segment's decision days in a row; segment k's from at[k]
        at = [0]
        shorts = []  # the segments with a shortfall
        for k, seg in enumerate(row):
            total = running[-1]
            running.append(total if seg is None else tuple(map(add, total, seg[0])))
            if seg is not None:
                days += seg[1]
                if seg[3]:
                    shorts.append(k)
            at.append(len(days))
        counts: list[_Counts | float | None] = []
        for i, (first, last) in enumerate(spans):
            hi, lo = running[last], running[first]
            if hi == lo:  # nothing decided, nothing due
                counts.append(None)
                continue
            decided, rejected, no_reason, judged, on_time, paid_late, unpaid, short = map(
                sub, hi, lo)
            took = days[at[first]:at[last]]
            if i < explained_from:
                counts.append(score_of(decided - rejected, decided, _median(took), on_time,
                                       judged))
                continue
            c = _Counts(decided, rejected, no_reason, took, judged=judged, on_time=on_time,
                        short=short)
            end = row[last - 1] if last > first else None
            c.late = paid_late + unpaid - (end[2] if end is not None else 0)
            for k in shorts[bisect_left(shorts, first):bisect_left(shorts, last)]:
                for cur, minor in row[k][3]:
                    c.shortfall[cur] = c.shortfall.get(cur, 0) + minor
            counts.append(c)
        out[vid] = counts
    return out


def _counts(conn: Any, vendor_id: int, windows: Sequence[tuple[date, date]]) -> list[_Counts]:
    return [c if isinstance(c, _Counts) else _Counts()
            for c in _counts_many(conn, [vendor_id], windows)[vendor_id]]


def _year_to(day: date) -> tuple[date, date]:
    return day - timedelta(days=WINDOW_DAYS), day


def _values_many(conn: Any, vendor_ids: Sequence[int], as_of: Sequence[date],
                 explained_from: int = 0) -> dict[int, list[tuple[float, str] | None]]:
    out: dict[int, list[tuple[float, str] | None]] = {}
    for vid, counts in _counts_many(conn, vendor_ids, [_year_to(d) for d in as_of],
                                    explained_from).items():
        values: list[tuple[float, str] | None] = []
        for c in counts:
            if c is None or isinstance(c, float):
                values.append(None if c is None else (c, ""))
                continue
            m = c.measures()
            values.append(None if m is None else (m.score, m.explanation.rstrip(".")))
        out[vid] = values
    return out


# One vendor's records in the years a series asks about, oldest first: (day, letter, decision
# days) and (due day, letter, shortfall). A vendor holds a few hundred at most, so a long series
# reads them once and finds each window's by bisection instead of aggregating ~1,000 segments.
_REGS_OF = """
SELECT decided_on, health_code, health_days FROM deal_registration
  INDEXED BY deal_registration_health
 WHERE vendor_id = ? AND decided_on > ? AND decided_on <= ? ORDER BY decided_on
"""
_MONEY_OF = """
SELECT due_on, health_code, health_short FROM money_owed INDEXED BY money_owed_health
 WHERE vendor_id = ? AND due_on > ? AND due_on <= ? AND health_code IS NOT NULL ORDER BY due_on
"""


def _running(rows: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """out[i]: the sums of rows before i."""
    out = [(0,) * len(rows[0])] if rows else [()]
    for row in rows:
        out.append(tuple(map(add, out[-1], row)))
    return out


def _series(conn: Any, vendor_id: int, as_of: Sequence[date]) -> list[tuple[float, Any] | None]:
    """`values` for one vendor, each detail a zero-argument function that writes the sentence
    (health reads few of a long series' sentences). The same counts as _counts_many, a record
    at a time: windows holding the same records (and the same unpaid due on their last day)
    share one answer, so a weekly series judges each distinct year once."""
    if not as_of:
        return []
    first, last = min(as_of) - timedelta(days=WINDOW_DAYS), max(as_of)
    regs = conn.exec_driver_sql(_REGS_OF, (vendor_id, first.isoformat(), last.isoformat())).all()
    money = conn.exec_driver_sql(_MONEY_OF, (vendor_id, first.isoformat(), last.isoformat())
                                 ).all()
    if not regs and not money:
        return [None] * len(as_of)
    # Days as numbers (a window's ends are two subtractions, not two strings per as-of day);
    # the query compared them as text, and so does this for a day that is not plain ISO.
    rdays, mdays = _day_numbers([r[0] for r in regs]), _day_numbers([m[0] for m in money])
    if rdays is None or mdays is None:
        rdays, mdays = [r[0] for r in regs], [m[0] for m in money]
        windows = [(lo.isoformat(), hi.isoformat()) for lo, hi in map(_year_to, as_of)]
    else:
        windows = [(d - WINDOW_DAYS, d) for d in map(date.toordinal, as_of)]
    # A window ending before the first record or starting after the last holds nothing.
    lowest, highest = min(rdays[:1] + mdays[:1]), max(rdays[-1:] + mdays[-1:])
    # Per registration: decided, rejected, rejected without a reason; per payment: judged, in
    # full on time, paid late, unpaid, paid short (the letters of store/schema.py's
    # V_ECONOMICS_CODES, as _segment counts them).
    rsum = _running([(1, code != "a", code == "n") for _, code, _ in regs])
    msum = _running([(1, code == "o", code in "lt", code == "u", code in "st")
                     for _, code, _ in money])
    # The decisions' days in a row (one recorded before its submission says nothing of speed),
    # registration i's from at[i]: a window's are one slice.
    took: list[int] = []
    at = [0]
    for _, _, d in regs:
        if d is not None and int(d) >= 0:
            took.append(int(d))
        at.append(len(took))
    shorts = [(s[:3], int(s[3:_SHORT])) if s else None for _, _, s in money]
    seen: dict[tuple[int, int, int, int, int], tuple[float, Any] | None] = {}
    out: list[tuple[float, Any] | None] = []
    for lo, hi in windows:
        if hi < lowest or lo >= highest:
            out.append(None)
            continue
        ra, rb = bisect_right(rdays, lo), bisect_right(rdays, hi)
        ma, mb = bisect_right(mdays, lo), bisect_right(mdays, hi)
        if ra == rb and ma == mb:
            out.append(None)
            continue
        due_today = bisect_left(mdays, hi, ma, mb)  # unpaid and due on the last day: not late
        end = msum[mb][3] - msum[due_today][3]
        key = (ra, rb, ma, mb, end)
        got = seen.get(key, seen)
        if got is seen:
            got = seen[key] = _judged(rsum, msum, took[at[ra]:at[rb]], shorts, ra, rb, ma, mb,
                                          end)
        out.append(got)
    return out


def _day_numbers(days: list[Any]) -> list[int] | None:
    """ISO days ('2024-05-31') as ordinals, in the same order; None when one is not one."""
    try:
        return [date.fromisoformat(d).toordinal() for d in days if len(d) == 10] if all(
            isinstance(d, str) and len(d) == 10 for d in days) else None
    except ValueError:
        return None


def _judged(rsum: list[tuple[int, ...]], msum: list[tuple[int, ...]], took: list[int],
            shorts: list[tuple[str, int] | None], ra: int, rb: int, ma: int, mb: int, end: int
            ) -> tuple[float, Any]:
    decided, rejected, no_reason = map(sub, rsum[rb], rsum[ra]) if rb > ra else (0, 0, 0)
    judged, on_time, paid_late, unpaid, short = (map(sub, msum[mb], msum[ma]) if mb > ma
                                                 else (0, 0, 0, 0, 0))
    took.sort()
    score = score_of(decided - rejected, decided, _median(took), on_time, judged)

    def why() -> str:
        c = _Counts(decided, rejected, no_reason, took, judged=judged, on_time=on_time,
                    late=paid_late + unpaid - end, short=short)
        for s in shorts[ma:mb]:
            if s is not None:
                c.shortfall[s[0]] = c.shortfall.get(s[0], 0) + s[1]
        m = c.measures()
        return m.explanation.rstrip(".") if m is not None else ""

    return score, why


def _values(conn: Any, vendor_id: int, as_of: Sequence[date]
            ) -> list[tuple[float, str] | None]:
    return [None if v is None else (v[0], v[1]()) for v in _series(conn, vendor_id, as_of)]


def _median_range(days: list[int]) -> tuple[float, float] | None:
    """An 80 % interval of the median from the order statistics (no shape assumed), None
    below 3 decisions."""
    from partnerdesk.services.health import Z80

    n = len(days)
    if n < 3:
        return None
    half = Z80 * math.sqrt(n) / 2
    s = sorted(days)
    return float(s[max(0, math.floor(n / 2 - half))]), float(s[min(n - 1, math.ceil(n / 2 + half))])


def before_after(conn: Any, vendor_id: int, before: tuple[date, date], after: tuple[date, date],
                 today: date) -> list[BeforeAfterMeasure]:
    """Approval rate, median days to a decision and the share paid in full and on time on
    each side of an event ((start, end) days, end excluded; money judged once due by today),
    with 80 % intervals; nothing when neither side has ledger data."""
    from partnerdesk.services.health import _wilson as wilson

    def window(start: date, end: date) -> tuple[date, date]:
        return start - timedelta(days=1), max(start - timedelta(days=1),
                                              min(end - timedelta(days=1), today))

    b, a = _counts(conn, vendor_id, [window(*before), window(*after)])
    if not (b.decided or b.judged or a.decided or a.judged):
        return []

    def share(hits: int, n: int) -> float | None:
        return round(100 * hits / n, 1) if n else None

    def approved(c: _Counts) -> int:
        return c.decided - c.rejected

    def median(c: _Counts) -> float | None:
        return _median(c.took)

    return [
        BeforeAfterMeasure("Registrations approved", "%", share(approved(b), b.decided),
                           share(approved(a), a.decided), wilson(approved(b), b.decided),
                           wilson(approved(a), a.decided)),
        BeforeAfterMeasure("Days to a decision (median)", " days", median(b), median(a),
                           _median_range(b.took), _median_range(a.took)),
        BeforeAfterMeasure("Paid in full and on time", "%", share(b.on_time, b.judged),
                           share(a.on_time, a.judged), wilson(b.on_time, b.judged),
                           wilson(a.on_time, a.judged)),
    ]


class EconomicsSource:
    """health's ComponentSource for the ledger: registrations and payments."""

    name = NAME
    weight = WEIGHT

    def values(self, conn: Any, vendor_id: int, as_of: Sequence[date]
               ) -> list[tuple[float, str] | None]:
        return _values(conn, vendor_id, as_of)

    def values_deferred(self, conn: Any, vendor_id: int, as_of: Sequence[date]
                        ) -> list[tuple[float, Any] | None]:
        """`values` with each detail a zero-argument function that writes it: health calls
        it when a sentence is read (a weekly series over ten years reads few)."""
        return _series(conn, vendor_id, as_of)

    def before_after(self, conn: Any, vendor_id: int, before: tuple[date, date],
                     after: tuple[date, date], today: date) -> list[BeforeAfterMeasure]:
        return before_after(conn, vendor_id, before, after, today)

    def values_many(self, conn: Any, vendor_ids: Sequence[int], as_of: Sequence[date]
                    ) -> dict[int, list[tuple[float, str] | None]]:
        """The same for many vendors and the same days, in one query. Only the last day's
        value says why (the others' detail is ''): health's portfolio explains its latest
        point and shows the older ones' scores alone."""
        return _values_many(conn, vendor_ids, as_of, max(0, len(as_of) - 1))


def measures_at(conn: Any, vendor_id: int, as_of: date) -> EconomicsMeasures | None:
    """The economics of the year to `as_of` (what the score used that day)."""
    return _counts(conn, vendor_id, [_year_to(as_of)])[0].measures()


SOURCE = EconomicsSource()
_removers: list[Any] = []


def install() -> None:
    """Join economics to every health score from now on (once, however often it is called)."""
    if not _removers:
        from partnerdesk.services.health import register_component

        _removers.append(register_component(SOURCE))


def uninstall() -> None:
    while _removers:
        _removers.pop()()

