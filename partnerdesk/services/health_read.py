"""What health reads from the journal, in the journal's local days, over the standard library.

`conn` is anything with ``exec_driver_sql`` (a Journal or a LiteJournal connection). Local days
come from SQL: each interaction's UTC time plus the zone's offset at that instant, the offsets
written into the query as a CASE over the zone's transitions, so changing the journal's time zone
recomputes every score with nothing stored to rebuild. Promises come only through
store/promises.py (the one reader of vendor promises).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from partnerdesk.domain.action_items import ItemState, Promise
from partnerdesk.domain.vocab import Channel
from partnerdesk.services.health_engine import BucketColumns, DayRow, PromiseFacts
from partnerdesk.store.journal_zone import journal_zone, zone_name, zone_shifts
from partnerdesk.store.local_days import built_for
from partnerdesk.store.promises import vendor_promises

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
BROADCAST = Channel.BROADCAST.value


def day_number(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL


def from_day_number(n: int) -> date:
    return date.fromordinal(n + EPOCH_ORDINAL)


def local_day_sql(zone: tzinfo, first_year: int, last_year: int, column: str = "occurred_at"
                  ) -> str:
    """SQL for the local day number of epoch-seconds `column` in `zone`."""
    shifts = zone_shifts(zone, first_year, last_year)
    if len(shifts) == 1:
        return f"(({column} + {shifts[0][1]}) / 86400)"
    cases = " ".join(f"WHEN {column} >= {t} THEN {o}" for t, o in reversed(shifts[1:]))
    return f"(({column} + CASE {cases} ELSE {shifts[0][1]} END) / 86400)"


def local_day_of(seconds: int, zone: tzinfo) -> int:
    return day_number(datetime.fromtimestamp(seconds, zone).date())


def _year_range(conn: Any) -> tuple[int, int]:
    # Two statements: SQLite answers a lone min() or max() from the index, not both at once.
    lo = conn.exec_driver_sql("SELECT min(occurred_at) FROM interaction").scalar()
    hi = conn.exec_driver_sql("SELECT max(occurred_at) FROM interaction").scalar()
    this = date.today().year
    if lo is None:
        return this - 1, this + 1
    return (datetime.fromtimestamp(lo, UTC).year - 1,
            max(datetime.fromtimestamp(hi, UTC).year, this) + 1)


# -- interactions, by local day --------------------------------------------------------------
def _days_sql(day: str, bounded: bool) -> str:
    return (f"SELECT {day} AS d, sum(channel <> '{BROADCAST}'),"
            f" sum(channel <> '{BROADCAST}' AND tag = 'helpful'),"
            f" sum(channel <> '{BROADCAST}' AND direction = 'in'),"
            f" sum(channel = '{BROADCAST}'), sum(channel = '{BROADCAST}' AND tag = 'helpful')"
            " FROM interaction WHERE vendor_id = ?"
            + (" AND occurred_at >= ? AND occurred_at < ?" if bounded else "")
            + " GROUP BY d ORDER BY d")


_SUMMARY_SQL = ("SELECT day, conv, conv_helpful, conv_in, bcast, bcast_helpful FROM vendor_day"
                " WHERE vendor_id = ? AND day >= ? AND day < ? ORDER BY day")
# The same as one string, a character a number: char() writes each day's six numbers as code
# points, so the string's UTF-32 bytes are the numbers as 32-bit integers, and array slices part
# the columns with no Python step a value. Ten years of a busy vendor are ~3,000 days: ~0.5 ms
# this way, ~2 ms as row tuples. Only numbers from 0 to below U+D800 pass through char() as
# they are (days from 1970 to 2121, fewer than 55,296 interactions of one vendor in one day):
# it writes U+FFFD for the rest and surrogates that do not decode; either is read as rows.
# (No ORDER BY: the primary key's order, checked on arrival, costs nothing; a sorting
# subquery took a third longer.)
_CHAR_LIMIT = 0xD800
_SUMMARY_CHARS_SQL = (
    "SELECT group_concat(char(day, conv, conv_helpful, conv_in, bcast, bcast_helpful), '')"
    " FROM vendor_day WHERE vendor_id = ? AND day >= ? AND day < ?")
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_U32 = next((t for t in "IL" if array(t).itemsize == 4), None)  # array's 32-bit unsigned


# Per vendor and bucket, SQLite adds the days up into three numbers (30 bits each of two sums:
# 3 additions a row instead of 6; exact while a bucket holds fewer than 2**30 interactions of
# one vendor).
_BUCKETS_SQL = (
    "WITH bk(k, lo, hi) AS (VALUES {values}) SELECT vendor.id, bk.k, ("
    "SELECT sum(conv + (conv_helpful << 30)) || ' ' || sum(conv_in + (bcast << 30)) || ' ' ||"
    " sum(bcast_helpful + ((conv > 0) << 30))"
    " FROM vendor_day WHERE vendor_id = vendor.id AND day >= bk.lo AND day < bk.hi)"
    " FROM vendor, bk WHERE vendor.id IN ({ids})")
# ... and, before each as-of edge, the last day with a conversation and with a helpful
# interaction: a step or two back through the index each.
_LAST_DAYS_SQL = (
    "WITH e(x) AS (VALUES {values}) SELECT vendor.id,"
    " (SELECT day FROM vendor_day WHERE vendor_id = vendor.id AND day >= ? AND day < e.x"
    "  AND conv > 0 ORDER BY day DESC LIMIT 1),"
    " (SELECT day FROM vendor_day WHERE vendor_id = vendor.id AND day >= ? AND day < e.x"
    "  AND conv_helpful + bcast_helpful > 0 ORDER BY day DESC LIMIT 1)"
    " FROM vendor, e WHERE vendor.id IN ({ids})")
_EMPTY = "0 0 0"
_LOW = (1 << 30) - 1


def _columns(texts: list[str]) -> tuple[list[int], ...]:
    """The buckets' numbers as columns, unpacked a column at a time (no Python call a row)."""
    nums = list(map(int, " ".join(texts).split(" ")))
    a, b, c = nums[0::3], nums[1::3], nums[2::3]
    return ([x & _LOW for x in a], [x >> 30 for x in a], [x & _LOW for x in b],
            [x >> 30 for x in b], [x & _LOW for x in c], [x >> 30 for x in c])


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i:i + 500]) for i in range(0, len(ids), 500)]


class DayReader:
    """Reads vendors' local days: from the vendor_day summary when it was built for the
    journal's zone, else from the interactions (the zone's offsets written into the query)."""

    def __init__(self, conn: Any, zone: tzinfo | None = None):
        self.conn = conn
        self.zone = zone or journal_zone(conn)
        # (a summary deleted since it was built is read around until `check --repair`)
        self.summary = zone is None and built_for(conn) == zone_name(self.zone) and bool(
            conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'vendor_day'").all())
        self._years: tuple[int, int] | None = None  # the years _shift_rows covers
        self._shift_rows: tuple[list[tuple[int, int]], list[int]] = ([], [])
        if not self.summary:
            first, last = _year_range(conn)
            day = local_day_sql(self.zone, first, last)
            self._all = _days_sql(day, False)
            self._window = _days_sql(day, True)

    def days(self, vendor_id: int, since: int | None = None, until: int | None = None
             ) -> list[DayRow]:  # plain tuples in DayRow's order
        """The vendor's local days from day `since` (inclusive) to `until` (exclusive)."""
        if self.summary:
            lo = -(10**7) if since is None else since
            hi = 10**7 if until is None else until
            return self.conn.exec_driver_sql(_SUMMARY_SQL, (vendor_id, lo, hi)).all()
        if since is None and until is None:
            rows = self.conn.exec_driver_sql(self._all, (vendor_id,)).all()
        else:
            a = (since if since is not None else -(10**6)) * 86400 - 2 * 86400
            b = (until if until is not None else 10**7) * 86400 + 2 * 86400
            rows = [r for r in self.conn.exec_driver_sql(self._window, (vendor_id, a, b)).all()
                    if (since is None or r[0] >= since) and (until is None or r[0] < until)]
        return rows

    def columns(self, vendor_id: int, since: int | None = None, until: int | None = None
                ) -> tuple[list[int], list[int], list[int], list[int], list[int], list[int]]:
        """`days` as DayRow's six columns, a list each."""
        if self.summary and _U32 is not None:
            lo = -(10**7) if since is None else since
            hi = 10**7 if until is None else until
            try:
                text = self.conn.exec_driver_sql(_SUMMARY_CHARS_SQL, (vendor_id, lo, hi)).scalar()
            except Exception as e:  # a surrogate: "Could not decode to UTF-8 column ..."
                if "decode" not in str(e):
                    raise
                text = ""
            if text is None:
                return [], [], [], [], [], []
            numbers = array(_U32, text.encode(_UTF32))
            days = numbers[0::6].tolist()
            # (an aggregate's order is SQLite's choice: taken only when it is the days')
            if (numbers and max(numbers) < _CHAR_LIMIT and len(numbers) == 6 * len(days)
                    and days == sorted(days)):
                return (days, numbers[1::6].tolist(), numbers[2::6].tolist(),
                        numbers[3::6].tolist(), numbers[4::6].tolist(), numbers[5::6].tolist())
        rows = self.days(vendor_id, since, until)
        if not rows:
            return [], [], [], [], [], []
        return tuple(map(list, zip(*rows, strict=True)))  # type: ignore[return-value]

    def buckets(self, vendor_ids: Sequence[int], edges: Sequence[int], ends: Sequence[int]
                ) -> dict[int, BucketColumns]:
        """Per vendor, the sums of its days in each bucket [edges[k], edges[k+1]), and its last
        conversation and helpful interaction before each of `ends` (edges too), from the first
        edge on (needs the summary): the portfolio reads a few dozen buckets a vendor, not a
        thousand days."""
        n = len(edges) - 1
        texts: dict[int, list[str]] = {vid: [_EMPTY] * n for vid in vendor_ids}
        lasts: dict[int, tuple[set[int], set[int]]] = {vid: (set(), set()) for vid in vendor_ids}
        if n < 1:
            return {vid: ([], [], [], [], [], [], [], []) for vid in vendor_ids}
        values = ",".join("(?,?,?)" for _ in range(n))
        params = [x for k in range(n) for x in (k, edges[k], edges[k + 1])]
        for ids in _chunks(vendor_ids):
            marks = ",".join("?" * len(ids))
            sql = _BUCKETS_SQL.format(values=values, ids=marks)
            for vid, k, packed in self.conn.exec_driver_sql(sql, (*params, *ids)):
                if packed is not None:
                    texts[vid][k] = packed
            sql = _LAST_DAYS_SQL.format(values=",".join(["(?)"] * len(ends)), ids=marks)
            for vid, conv, helpful in self.conn.exec_driver_sql(
                    sql, (*ends, edges[0], edges[0], *ids)):
                if conv is not None:
                    lasts[vid][0].add(conv)
                if helpful is not None:
                    lasts[vid][1].add(helpful)
        return {vid: (*_columns(t), sorted(lasts[vid][0]), sorted(lasts[vid][1]))
                for vid, t in texts.items()}  # type: ignore[misc]

    def first_days(self, vendor_ids: Sequence[int]) -> dict[int, int | None]:
        """Each vendor's first local day with an interaction (None: none yet)."""
        if not self.summary:
            return {vid: self.first_day(vid) for vid in vendor_ids}
        out: dict[int, int | None] = {}
        for i in range(0, len(vendor_ids), 500):
            ids = list(vendor_ids[i:i + 500])
            out.update(self.conn.exec_driver_sql(
                "SELECT id, (SELECT min(day) FROM vendor_day WHERE vendor_id = vendor.id)"
                f" FROM vendor WHERE id IN ({','.join('?' * len(ids))})", tuple(ids)).all())
        return {vid: out.get(vid) for vid in vendor_ids}

    def conv_days(self, vendor_id: int, a: int, b: int) -> int:
        """Days with a conversation in [a, b)."""
        if not self.summary:
            return sum(1 for row in self.days(vendor_id, a, b) if row[1])
        return self.conn.exec_driver_sql(
            "SELECT count(*) FROM vendor_day WHERE vendor_id = ? AND day >= ? AND day < ?"
            " AND conv > 0", (vendor_id, a, b)).scalar()

    def first_day(self, vendor_id: int) -> int | None:
        if self.summary:
            return self.conn.exec_driver_sql("SELECT min(day) FROM vendor_day WHERE vendor_id = ?",
                                             (vendor_id,)).scalar()
        t = self.conn.exec_driver_sql(
            "SELECT min(occurred_at) FROM interaction WHERE vendor_id = ?", (vendor_id,)).scalar()
        return None if t is None else local_day_of(t, self.zone)

    def promises(self, vendor_ids: Sequence[int] | None, since: int | None = None
                 ) -> dict[int, list[Promise]]:
        """Per vendor, its promises; from local day `since` on, those closed before it are
        left out (they count in no score from then on: not in the year, never overdue)."""
        closed_since = None if since is None else (since - 2) * 86400
        out: dict[int, list[Promise]] = {}
        for p in vendor_promises(self.conn, vendor_ids, closed_since=closed_since):
            out.setdefault(p.vendor_id, []).append(p)
        return out

    def facts(self, promises: Sequence[Promise]) -> list[PromiseFacts]:
        shifts, starts = self._shifts(promises)
        return [promise_facts(p, shifts, starts) for p in promises]

    def _shifts(self, promises: Sequence[Promise]) -> tuple[list[tuple[int, int]], list[int]]:
        """The zone's offsets over the years these promises were closed in (kept for the next
        vendor's when they fall inside), not 1970-2100: a process that scores once (the
        `health` command) would spend ~7 ms on the rest."""
        closed = [p.closed_at for p in promises if p.closed_at is not None]
        if not closed:
            return [(-(2**62), 0)], [-(2**62)]
        first = datetime.fromtimestamp(min(closed), UTC).year
        last = datetime.fromtimestamp(max(closed), UTC).year
        years = self._years
        if years is None or first < years[0] or last > years[1]:
            # Room around the years asked for, so that most vendors' promises fall inside.
            years = (max(1970, min(first, date.today().year - 10)),
                     max(1970, last, date.today().year + 1))
            shifts = zone_shifts(self.zone, *years)
            self._years, self._shift_rows = years, (shifts, [t for t, _ in shifts])
        return self._shift_rows


def promise_facts(p: Promise, shifts: Sequence[tuple[int, int]], starts: list[int]
                  ) -> PromiseFacts:
    """A promise as the score sees it. Kept: done by the end of its due date (local time)."""
    due = p.due.toordinal() - EPOCH_ORDINAL
    if p.closed_at is None or p.state not in (ItemState.DONE, ItemState.DROPPED):
        return PromiseFacts(due, None, "open")
    t = p.closed_at
    closed = (t + shifts[bisect_right(starts, t) - 1][1]) // 86400
    if p.state is ItemState.DONE:
        return PromiseFacts(due, closed, "kept" if closed <= due else "late")
    return PromiseFacts(due, closed, "broken" if p.broken else "void")


def overdue_as_of(promises: Sequence[Promise], as_of: date) -> int:
    """How many are overdue on `as_of`: THE definition (Promise.is_overdue), nothing else."""
    return sum(1 for p in promises if p.is_overdue(as_of))


def end_of_day_utc(day: date, zone: tzinfo) -> datetime:
    """The first instant after local `day`, in UTC."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
