"""Economics in the health score: registrations decided and money due in the year before each
as-of day, judged by services/economics.judge, joined through health's register_component.

A vendor with no decision and no payment due in that year has no economics value that day, so
the component is left out and its weight shared out. services/health.py calls `install()` when
it loads, so every score (the window, `health`, the portfolio, the brief, the PDFs) has it; this
module imports health only inside functions, so either may be imported first.

Speed: health asks for a vendor's value on several as-of days at once (a series, the portfolio's
sparkline). `values` answers them all with one query over two covering indexes (rung 8), each
record read once (see _AGGREGATE). `values_many` is the batch hook health may call for many
vendors (not required by its protocol); it runs the same query per vendor.
benchmarks/bench_ledger.py times it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from partnerdesk.domain.health_types import BeforeAfterMeasure
from partnerdesk.services.economics import EconomicsMeasures, judge

NAME = "economics"
WEIGHT = 0.20  # beside helpfulness 0.50, promises 0.25, cadence 0.20, initiative 0.05
WINDOW_DAYS = 365
WINDOW_WORDS = "in the last 12 months"

# One query per vendor answers every window at once. The windows (a year to each as-of day)
# overlap, so their ends cut the time line into disjoint segments; each segment is a row of a
# VALUES table joined to an index range of the vendor's registrations (by decision day) and
# money (by due day), so SQLite reads each record once, counts in C, and Python adds up the
# segments of each window. Unclaimed MDF is not the vendor's lateness (as in ledger_measures);
# money due on a window's last day and unpaid is not late yet (hence `unpaid_at_end`).
_AGGREGATE = """
WITH w(k, lo, hi) AS (VALUES {segments})
SELECT 0, w.k, '', count(*), sum(r.status = 'rejected'),
       sum(r.status = 'rejected' AND r.reason = ''),
       group_concat(CAST(julianday(r.decided_on) - julianday(r.submitted_on) AS INTEGER)),
       0, 0, 0
  FROM w JOIN deal_registration r
    ON r.vendor_id = ? AND r.decided_on > w.lo AND r.decided_on <= w.hi
 GROUP BY w.k
UNION ALL
SELECT 1, w.k, m.currency, count(*),
       sum(m.paid_on <= m.due_on AND coalesce(m.paid_minor, 0) >= m.expected_minor),
       sum(m.paid_on > m.due_on), sum(m.paid_on IS NULL),
       sum(m.paid_on IS NULL AND m.due_on = w.hi),
       sum(coalesce(m.paid_minor, 0) < m.expected_minor AND m.paid_on IS NOT NULL),
       sum(CASE WHEN m.paid_on IS NOT NULL AND coalesce(m.paid_minor, 0) < m.expected_minor
                THEN m.expected_minor - coalesce(m.paid_minor, 0) ELSE 0 END)
  FROM w JOIN money_owed m
    ON m.vendor_id = ? AND m.due_on > w.lo AND m.due_on <= w.hi
   AND NOT (m.kind = 'mdf' AND m.claim_submitted_on IS NULL)
 GROUP BY w.k, m.currency
"""


@dataclass(slots=True)
class _Counts:
    """What one window (or one segment of the time line) holds for one vendor."""

    decided: int = 0
    rejected: int = 0
    no_reason: int = 0
    took: list[int] = field(default_factory=list)  # days from submission to decision
    judged: int = 0
    on_time: int = 0
    paid_late: int = 0
    unpaid: int = 0
    unpaid_at_end: int = 0  # unpaid and due on the segment's last day
    short: int = 0
    shortfall: dict[str, int] = field(default_factory=dict)  # currency -> minor units

    @property
    def late(self) -> int:
        return self.paid_late + self.unpaid - self.unpaid_at_end

    def add(self, o: _Counts, last: bool) -> None:
        self.decided += o.decided
        self.rejected += o.rejected
        self.no_reason += o.no_reason
        self.took += o.took
        self.judged += o.judged
        self.on_time += o.on_time
        self.paid_late += o.paid_late
        self.unpaid += o.unpaid
        self.unpaid_at_end += o.unpaid_at_end if last else 0
        self.short += o.short
        for cur, minor in o.shortfall.items():
            self.shortfall[cur] = self.shortfall.get(cur, 0) + minor

    def measures(self) -> EconomicsMeasures | None:
        return judge(approved=self.decided - self.rejected, rejected=self.rejected,
                     rejected_without_reason=self.no_reason,
                     median_days=statistics.median(self.took) if self.took else None,
                     judged=self.judged, on_time=self.on_time, late=self.late, short=self.short,
                     shortfall=sorted(self.shortfall.items()), window=WINDOW_WORDS)


def _counts(conn: Any, vendor_id: int, windows: Sequence[tuple[date, date]]) -> list[_Counts]:
    """Per window (after lo, up to and including hi), the vendor's counts, in one query."""
    if not windows:
        return []
    bounds = sorted({d.isoformat() for w in windows for d in w})
    segments = [_Counts() for _ in bounds[1:]]
    params: list[Any] = []
    for k in range(len(segments)):
        params += [k, bounds[k], bounds[k + 1]]
    sql = _AGGREGATE.format(segments=", ".join(["(?, ?, ?)"] * len(segments)))
    for kind, k, cur, n, a, b, c, d, e, f in conn.exec_driver_sql(
            sql, (*params, vendor_id, vendor_id)):
        o = segments[k]
        if kind == 0:
            o.decided, o.rejected, o.no_reason = n, a or 0, b or 0
            o.took = [t for t in map(int, c.split(",")) if t >= 0] if c else []
        else:
            o.judged += n
            o.on_time += a or 0
            o.paid_late += b or 0
            o.unpaid += c or 0
            o.unpaid_at_end += d or 0
            o.short += e or 0
            if f:
                o.shortfall[cur] = o.shortfall.get(cur, 0) + f
    index = {b: i for i, b in enumerate(bounds)}
    out = []
    for lo, hi in windows:
        total = _Counts()
        first, last = index[lo.isoformat()], index[hi.isoformat()]
        for k in range(first, last):
            total.add(segments[k], last=k == last - 1)
        out.append(total)
    return out


def _year_to(day: date) -> tuple[date, date]:
    return day - timedelta(days=WINDOW_DAYS), day


def _values(conn: Any, vendor_id: int, as_of: Sequence[date]
            ) -> list[tuple[float, str] | None]:
    out: list[tuple[float, str] | None] = []
    for c in _counts(conn, vendor_id, [_year_to(d) for d in as_of]):
        m = c.measures()
        out.append(None if m is None else (m.score, m.explanation.rstrip(".")))
    return out


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
        return statistics.median(c.took) if c.took else None

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

    def before_after(self, conn: Any, vendor_id: int, before: tuple[date, date],
                     after: tuple[date, date], today: date) -> list[BeforeAfterMeasure]:
        return before_after(conn, vendor_id, before, after, today)

    def values_many(self, conn: Any, vendor_ids: Sequence[int], as_of: Sequence[date]
                    ) -> dict[int, list[tuple[float, str] | None]]:
        """The same for many vendors and the same days (one index-range query per vendor)."""
        return {vid: _values(conn, vid, as_of) for vid in vendor_ids}


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

