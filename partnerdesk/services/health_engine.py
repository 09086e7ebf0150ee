"""The health score's arithmetic over one vendor's days: pure Python, no SQL, no clock.

Input: the vendor's contact days (local day numbers with counts) and its promises; output: the
score at any as-of day. services/health.py reads the journal and feeds this; docs/health.md
has the formula in words with a worked example (tests/services/test_health_doc.py runs it).

Why windows and shrinking: a month holds two to a dozen interactions, too few to judge on
their own. Each share is read over the last 90 days and pulled toward the same share over the
last 12 months as far as the 90 days are thin (a vendor with 40 recent contacts stands on
them; one with 4 leans on its year). The year in turn is pulled toward an even 50 % when it
is thin. That keeps a steady vendor steady and still lets a real turn show within a quarter.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import or_
from typing import Any, NamedTuple

RECENT_DAYS = 90  # the recent window
YEAR_DAYS = 365  # the long window: the prior the recent window is pulled toward
BROADCAST_WEIGHT = 0.25  # a mass mail or webinar counts a quarter of a conversation
PRIOR_SHARE = 0.5  # where a thin year is pulled
YEAR_STRENGTH = 3.0  # ... as if it held this many extra interactions at PRIOR_SHARE
RECENT_STRENGTH = 2.0  # the recent window is pulled toward the year as if by this many
INBOUND_FULL = 0.5  # a vendor that starts half the conversations gets full marks
CADENCE_STRENGTH = 3.0  # counts added to both sides of the cadence ratio (thin = near 1)
CADENCE_ZERO, CADENCE_FULL = 0.35, 1.0  # recent/usual cadence ratio scored 0 and 100
PROMISE_PRIOR, PROMISE_STRENGTH = 0.8, 1.5  # promises: most are kept; pull toward that
SILENCE_MIN_DAYS, SILENCE_MAX_DAYS = 14, 45  # silence is news after 2.5 usual gaps, within
SILENCE_SPAN = 60  # ... and the score's ceiling falls from 100 to 0 over these many days
MIN_EVIDENCE = 3  # fewer interactions in the year: no score, no band, no trend

HELPFULNESS = "helpfulness"
INITIATIVE = "who reaches out"
CADENCE = "cadence"
PROMISES = "promises"
WEIGHTS: dict[str, float] = {HELPFULNESS: 0.50, PROMISES: 0.25, CADENCE: 0.20, INITIATIVE: 0.05}
ORDER = (HELPFULNESS, PROMISES, CADENCE, INITIATIVE)


# Buckets of days (VendorDays.from_buckets), a list a column, one entry a bucket: conv,
# conv_helpful, conv_in, bcast, bcast_helpful, days with a conversation; then the last day with
# a conversation and the last with a helpful interaction before each day scores are read at.
BucketColumns = tuple[list[int], list[int], list[int], list[int], list[int], list[int],
                      list[int], list[int]]


class DayRow(NamedTuple):
    """One local day of one vendor: conversations (not broadcast), broadcasts, and of each how
    many were helpful; of the conversations how many the vendor started. Plain tuples from SQL
    in this order serve as well."""

    day: int  # local days since 1970-01-01
    conv: int
    conv_helpful: int
    conv_in: int
    bcast: int
    bcast_helpful: int


@dataclass(frozen=True, slots=True)
class PromiseFacts:
    """A promise reduced to days: due, when it was closed (local day) and how it ended."""

    due: int  # local day number of the due date
    closed: int | None  # local day it was done or dropped; None while open
    outcome: str  # "kept" (done by its due date), "late" (done after it), "broken" (dropped as
    # refused or failed by the vendor), "void" (dropped for another reason), "open"


@dataclass(slots=True)
class Reading:
    """Everything a score at one as-of day rests on, kept for the sentences that explain it."""

    as_of: int  # the last day counted
    score: float | None
    values: dict[str, float] = field(default_factory=dict)
    known: bool = False  # enough evidence for a band and a trend
    year_n: int = 0  # interactions in the 365 days to as_of (the evidence)
    recent_n: int = 0
    recent_helpful: int = 0
    recent_bcast: int = 0
    recent_in: int = 0
    recent_conv: int = 0
    year_helpful: int = 0  # helpful interactions in the year (broadcasts included)
    year_in: int = 0  # conversations the vendor started in the year
    year_conv: int = 0
    year_conv_days: int = 0
    recent_conv_days: int = 0
    expected_recent: float | None = None  # conversation days the usual cadence predicts
    promises_kept: int = 0  # resolved in the year
    promises_broken: int = 0
    promises_late: int = 0  # done after their due date: counted half kept, half broken
    promises_overdue: int = 0  # open and due before as_of, whatever their age
    last_contact: int | None = None  # last conversation day up to as_of
    last_helpful: int | None = None
    usual_gap: float | None = None  # days between conversations, before the last one
    silence_cap: float | None = None  # the ceiling silence puts on the score, when it does
    before_silence: int = 0  # conversation days in the year before the last conversation
    base: float | None = None  # the score before the silence ceiling
    extra_details: dict[str, Any] = field(default_factory=dict)  # a sentence, or writes it
    extra_weights: dict[str, float] = field(default_factory=dict)

    @property
    def evidence(self) -> int:
        """The interactions the score rests on: the year's, or, when silence holds it down,
        the conversations of the year before the silence if those are more."""
        if self.silence_cap is not None:
            return max(self.year_n, self.before_silence)
        return self.year_n

    @property
    def promises_counted(self) -> int:
        return (self.promises_kept + self.promises_late + self.promises_broken
                + self.promises_overdue)


class VendorDays:
    """A vendor's day rows with prefix sums, so that any window sums in two bisects.

    Built from buckets instead (`from_buckets`: the portfolio's way), each row sums the days
    from its start to the next one's, and windows may only start and end on bucket edges; the
    one window that cannot (the conversations before a silence) is counted by `exact`, as it is
    when the rows start at `since` and that window starts before."""

    __slots__ = ("days", "conv", "conv_h", "conv_in", "bc", "bc_h", "conv_days", "helpful_days",
                 "first", "contact_days", "exact", "edges", "since")

    def __init__(self, rows: Sequence[Sequence[int]]):
        self._fill(*((list(c) for c in zip(*rows, strict=True)) if rows
                     else ([], [], [], [], [], [])))

    @classmethod
    def from_columns(cls, days: list[int], conv: list[int], conv_h: list[int],
                     conv_in: list[int], bc: list[int], bc_h: list[int]) -> VendorDays:
        """The same from DayRow's columns, each a list (DayReader.columns)."""
        v = cls.__new__(cls)
        v._fill(days, conv, conv_h, conv_in, bc, bc_h)
        return v

    def _fill(self, days: list[int], conv: list[int], conv_h: list[int], conv_in: list[int],
              bc: list[int], bc_h: list[int]) -> None:
        # (accumulate and compress: C loops over ten years of days, no Python step a day)
        self.days = days
        self.conv = [0, *accumulate(conv)]
        self.conv_h = [0, *accumulate(conv_h)]
        self.conv_in = [0, *accumulate(conv_in)]
        self.bc = [0, *accumulate(bc)]
        self.bc_h = [0, *accumulate(bc_h)]
        self.conv_days = [0, *accumulate(map(bool, conv))]
        self.contact_days = list(compress(days, conv))
        self.helpful_days = list(compress(days, map(or_, conv_h, bc_h)))
        self.first = days[0] if days else None
        self.exact: Callable[[int, int], int] | None = None
        self.edges: frozenset[int] = frozenset()
        self.since: int | None = None  # the rows start here (None: at the first interaction)

    @classmethod
    def from_buckets(cls, edges: Sequence[int], columns: BucketColumns, first: int | None,
                     exact: Callable[[int, int], int]) -> VendorDays:
        """Buckets [edges[k], edges[k+1]); `first`: the vendor's first day (it may be before
        the buckets); `exact(a, b)`: conversation days in [a, b). Scores may be read only at
        the as-of days the last conversation days were found for."""
        conv, conv_h, conv_in, bc, bc_h, conv_days, contact, helpful = columns
        v = cls(())
        v.days = list(edges[:-1])
        v.conv = [0, *accumulate(conv)]
        v.conv_h = [0, *accumulate(conv_h)]
        v.conv_in = [0, *accumulate(conv_in)]
        v.bc = [0, *accumulate(bc)]
        v.bc_h = [0, *accumulate(bc_h)]
        v.conv_days = [0, *accumulate(conv_days)]
        # The last conversation (helpful interaction) before each as-of edge: the last one
        # before such an edge is the newest of these below it.
        v.contact_days, v.helpful_days = contact, helpful
        v.first, v.exact, v.edges = first, exact, frozenset(edges)
        return v

    @property
    def empty(self) -> bool:
        """Nothing read: no interaction in the days (or buckets) loaded."""
        return not (self.conv[-1] or self.bc[-1])

    def _span(self, a: int, b: int) -> tuple[int, int]:
        """Indices into the prefix sums for days in [a, b)."""
        return bisect_left(self.days, a), bisect_left(self.days, b)

    def sums(self, a: int, b: int) -> tuple[int, int, int, int, int, int]:
        """(conv, conv_helpful, conv_in, bcast, bcast_helpful, conv_days) over days [a, b)."""
        i, j = self._span(a, b)
        return (self.conv[j] - self.conv[i], self.conv_h[j] - self.conv_h[i],
                self.conv_in[j] - self.conv_in[i], self.bc[j] - self.bc[i],
                self.bc_h[j] - self.bc_h[i], self.conv_days[j] - self.conv_days[i])

    def conv_days_between(self, a: int, b: int) -> int:
        """Days with a conversation in [a, b), whatever a and b."""
        if self.exact is not None and not (
                (a in self.edges and b in self.edges) if self.edges
                else self.since is None or a >= self.since):
            return self.exact(a, b)
        i, j = self._span(a, b)
        return self.conv_days[j] - self.conv_days[i]

    def last_before(self, days: list[int], end: int) -> int | None:
        k = bisect_left(days, end)
        return days[k - 1] if k else None


def round1(x: float) -> float:
    """round(x, 1), the same float, in a third of the time for the scores' sizes: the built-in
    goes through a decimal string, and a series rounds six numbers a point. Away from a tie,
    the nearest tenth of x*10 is the nearest tenth of x (x*10 is off by under 1e-6 below 1e9),
    and n / 10 is the float nearest to n tenths, which is what round() returns; near a tie
    (or out of range) the built-in decides."""
    y = x * 10.0
    if 0.0 < y < 1e9 and type(x) is float:  # (round keeps an int an int, and -0.0 negative)
        n = int(y)
        f = y - n  # (exact: y and its whole part share their leading bits)
        if f < 0.4999 or f > 0.5001:
            return (n + 1 if f > 0.5 else n) / 10
    return round(x, 1)


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def silence_ceiling(days_silent: int, usual_gap: float) -> tuple[float | None, int]:
    """The ceiling silence puts on the score (None: none yet) and the day count it starts at."""
    start = round(max(SILENCE_MIN_DAYS, min(SILENCE_MAX_DAYS, 2.5 * usual_gap)))
    if days_silent <= start:
        return None, start
    return round(100 * _clamp(1 - (days_silent - start) / SILENCE_SPAN), 1), start


class PromiseIndex:
    """A vendor's promises as sorted day lists, so that the tally at any as-of day is a few
    bisects: kept and broken ones by the day they were resolved; and, of those that ever were
    overdue (still open, or done or dropped after their due date), the day each became overdue
    and the day it stopped."""

    __slots__ = ("kept", "late", "broken", "due", "overdue_from", "overdue_until")

    def __init__(self, promises: Sequence[PromiseFacts]):
        self.kept = sorted(p.closed for p in promises
                           if p.outcome == "kept" and p.closed is not None)
        self.late = sorted(p.closed for p in promises
                           if p.outcome == "late" and p.closed is not None)
        self.broken = sorted(p.closed for p in promises
                             if p.outcome == "broken" and p.closed is not None)
        self.due = sorted(p.due for p in promises)
        # Overdue on day a: due before a and not closed by a, i.e. due + 1 <= a < closed.
        owing = [p for p in promises if p.closed is None or p.closed > p.due]
        self.overdue_from = sorted(p.due + 1 for p in owing)
        self.overdue_until = sorted(p.closed for p in owing if p.closed is not None)

    def __len__(self) -> int:
        return len(self.due)

    def tally(self, as_of: int) -> tuple[int, int, int, int]:
        """(kept, late, broken, overdue) as of the end of day `as_of`: promises resolved in the
        year, and the open ones due before as_of, whatever their age."""
        a = as_of - YEAR_DAYS + 1
        kept = bisect_right(self.kept, as_of) - bisect_left(self.kept, a)
        late = bisect_right(self.late, as_of) - bisect_left(self.late, a)
        broken = bisect_right(self.broken, as_of) - bisect_left(self.broken, a)
        overdue = (bisect_right(self.overdue_from, as_of)
                   - bisect_right(self.overdue_until, as_of))
        return kept, late, broken, overdue


def score_at(v: VendorDays, promises: PromiseIndex, as_of: int,
             extras: dict[str, tuple[float, float, Any]] | None = None,
             period_start: int | None = None) -> Reading:
    """The score at the end of local day `as_of`, with everything it rests on. `extras`:
    further components that have data (name -> (weight, value, detail)), e.g. economics;
    `period_start`: the first day of the period being scored (a relationship's first period is
    never known)."""
    return _readings(v, promises, (as_of,), (extras,), (period_start,), True)[0]  # type: ignore


# What a chart point needs of a reading (score_series), a plain tuple: the score when known
# (None: too little evidence), the interactions and the promises it rests on, the promises
# overdue.
Score = tuple[float | None, int, int, int]


def score_series(v: VendorDays, promises: PromiseIndex, as_of: Sequence[int],
                 extras: Sequence[dict[str, tuple[float, float, Any]] | None],
                 period_starts: Sequence[int | None]) -> list[Score]:
    """score_at's numbers at many as-of days (oldest first) in one pass, without a Reading for
    each: ten years of weeks are 522 readings nobody explains but the one looked at."""
    return _readings(v, promises, as_of, extras, period_starts, False)  # type: ignore


def _readings(v: VendorDays, promises: PromiseIndex, as_ofs: Sequence[int],
              extras_each: Sequence[dict[str, tuple[float, float, Any]] | None],
              period_starts: Sequence[int | None], full: bool) -> list[Reading] | list[Score]:
    """The one copy of the formula (score_at and score_series). Written as one loop over the
    as-of days, the arithmetic inline and the prefix sums in locals: this runs for every point
    of every chart, and a function call or an object a point was most of its time."""
    out: list[Any] = []
    days, first = v.days, v.first
    conv, conv_h, conv_in, bc, bc_h, cd = (v.conv, v.conv_h, v.conv_in, v.bc, v.bc_h,
                                           v.conv_days)
    contact_days, helpful_days = v.contact_days, v.helpful_days
    p_kept, p_late, p_broken = promises.kept, promises.late, promises.broken
    p_from, p_until = promises.overdue_from, promises.overdue_until
    w_h, w_p, w_c, w_i = WEIGHTS[HELPFULNESS], WEIGHTS[PROMISES], WEIGHTS[CADENCE], \
        WEIGHTS[INITIATIVE]
    for as_of, extras, period_start in zip(as_ofs, extras_each, period_starts, strict=True):
        end = as_of + 1
        j = bisect_left(days, end)
        y = bisect_left(days, end - YEAR_DAYS, 0, j)
        q = bisect_left(days, end - RECENT_DAYS, y, j)
        cj, cy, cq = conv[j], conv[y], conv[q]
        hj, ij, bj, bhj, dj = conv_h[j], conv_in[j], bc[j], bc_h[j], cd[j]
        yc, yh, yi, yb, ybh = cj - cy, hj - conv_h[y], ij - conv_in[y], bj - bc[y], bhj - bc_h[y]
        rc, rh, ri, rb, rbh = cj - cq, hj - conv_h[q], ij - conv_in[q], bj - bc[q], bhj - bc_h[q]
        dq, dy = cd[q], cd[y]
        older = dq - dy
        year_n = yc + yb
        k = bisect_left(contact_days, end)
        last_contact = contact_days[k - 1] if k else None
        # Promises (PromiseIndex.tally, inline): resolved in the year, and every open one
        # due before as_of, whatever its age.
        a = end - YEAR_DAYS
        kept = bisect_right(p_kept, as_of) - bisect_left(p_kept, a)
        late = bisect_right(p_late, as_of) - bisect_left(p_late, a)
        broken = bisect_right(p_broken, as_of) - bisect_left(p_broken, a)
        overdue = bisect_right(p_from, as_of) - bisect_right(p_until, as_of)
        r: Reading | None = None
        if full:
            k = bisect_left(helpful_days, end)
            r = Reading(as_of, None, {}, False, year_n, rc + rb, rh + rbh, rb, ri, rc, yh + ybh,
                        yi, yc, dj - dy, dj - dq, None, kept, broken, late, overdue,
                        last_contact, helpful_days[k - 1] if k else None)
            out.append(r)
        if first is None or first > as_of:
            if not full:
                out.append((None, year_n, kept + late + broken + overdue, overdue))
            continue
        # Helpfulness: broadcasts weigh a quarter; the recent share leans on the year's.
        # Each share is pulled toward a prior as (hits + strength * prior) / (n + strength),
        # written out here and below.
        year_share = ((yh + BROADCAST_WEIGHT * ybh + YEAR_STRENGTH * PRIOR_SHARE)
                      / (yc + BROADCAST_WEIGHT * yb + YEAR_STRENGTH))
        helpfulness = round1(100 * ((rh + BROADCAST_WEIGHT * rbh + RECENT_STRENGTH * year_share)
                                   / (rc + BROADCAST_WEIGHT * rb + RECENT_STRENGTH)))
        # The weighted mean of the values present, in ORDER (then the extras), added by sum():
        # from Python 3.12 it compensates, and a tenth either way moved 0.6 % of scores.
        weights, weighed = [w_h], [w_h * helpfulness]
        # Who reaches out: the share of conversations the vendor started, half or more is full.
        initiative = None
        if yc:
            year_in = (yi + YEAR_STRENGTH * (INBOUND_FULL / 2)) / (yc + YEAR_STRENGTH)
            share_in = (ri + RECENT_STRENGTH * year_in) / (rc + RECENT_STRENGTH)
            initiative = round1(100 * min(1.0, share_in / INBOUND_FULL))
        # Cadence: conversation days in the last 90 against the usual: the 275 days before
        # them, or the year before those when that was busier (a vendor that slows down is
        # compared with how it was, not with its new normal, for a year).
        cadence = expected = None
        history = end - first
        if history >= YEAR_DAYS and older:
            expected = older * RECENT_DAYS / (YEAR_DAYS - RECENT_DAYS)
            if history >= 2 * YEAR_DAYS:
                y2 = bisect_left(days, end - 2 * YEAR_DAYS, 0, y)
                expected = max(expected, (cd[y] - cd[y2]) * RECENT_DAYS / YEAR_DAYS)
            ratio = (dj - dq + CADENCE_STRENGTH) / (expected + CADENCE_STRENGTH)
            cadence = round1(100 * max(0.0, min(1.0, (ratio - CADENCE_ZERO)
                                                / (CADENCE_FULL - CADENCE_ZERO))))
        # Promises: kept against broken in the year, plus every open one past due.
        k_kept = kept + 0.5 * late
        k_broken = 0.5 * late + broken + overdue
        kept_share = None
        if k_kept + k_broken:
            kept_share = round1(100 * ((k_kept + PROMISE_STRENGTH * PROMISE_PRIOR)
                                      / (k_kept + k_broken + PROMISE_STRENGTH)))
        if initiative is not None:
            weights.append(w_i)
            weighed.append(w_i * initiative)
        if cadence is not None:
            weights.append(w_c)
            weighed.append(w_c * cadence)
        if kept_share is not None:
            weights.append(w_p)
            weighed.append(w_p * kept_share)
        if extras:
            for weight, value, _ in extras.values():
                weights.append(weight)
                weighed.append(weight * round1(value))
        score = base = round1(sum(weighed) / sum(weights))
        # Silence: days since the last conversation against the usual gap before it. Only a
        # silence longer than the shortest one that is news can cap the score; the usual gap
        # is worked out then (it is the one count the portfolio's buckets cannot give).
        regular = False  # at least MIN_EVIDENCE conversations in the year before the last one
        before = 0
        usual_gap = cap = None
        if last_contact is not None and as_of - last_contact > SILENCE_MIN_DAYS:
            start = max(first, last_contact - YEAR_DAYS)
            before = v.conv_days_between(start, last_contact + 1)
            regular = before >= MIN_EVIDENCE
            if before >= 2:
                usual_gap = round1((last_contact - start) / (before - 1))
                cap, _ = silence_ceiling(as_of - last_contact, usual_gap)
                if cap is not None and cap < score:
                    score = cap
                else:
                    cap = None
        # Evidence: interactions in the year, or regular contact before a silence.
        known = False
        if year_n or cap is not None:  # else nothing this year and no silence: unknown
            known = ((year_n >= MIN_EVIDENCE or (cap is not None and regular))
                     and not (period_start is not None and period_start <= first)
                     and as_of - first >= 28)
        if r is None:
            out.append((score if known else None,
                        max(year_n, before) if cap is not None else year_n,
                        kept + late + broken + overdue, overdue))
            continue
        values = {HELPFULNESS: helpfulness}
        if initiative is not None:
            values[INITIATIVE] = initiative
        if cadence is not None:
            r.expected_recent = round1(expected)  # type: ignore[arg-type]
            values[CADENCE] = cadence
        if kept_share is not None:
            values[PROMISES] = kept_share
        if extras:
            for name, (weight, value, detail) in extras.items():
                values[name] = round1(value)
                r.extra_details[name] = detail
                r.extra_weights[name] = weight
        r.base, r.values = base, values
        r.before_silence, r.usual_gap, r.silence_cap = before, usual_gap, cap
        if year_n or cap is not None:
            r.score, r.known = score, known
    return out
