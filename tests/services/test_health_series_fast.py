"""The weekly series' shortcuts give what the plain way gives, to the last digit.

A ten-year weekly series is 522 scores; to keep it under 20 ms (benchmarks/bench_health.py) the
engine scores all as-of days in one pass without a Reading each (score_series), rounds with
round1 instead of round(x, 1), reads a vendor's days as one string of code points (char()), and
pauses the cycle collector meanwhile. Each is checked here against the slow way on wide-open input.
"""

from __future__ import annotations

import gc
import sys
import threading
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerdesk.domain.health_types import Period
from partnerdesk.services import health_read
from partnerdesk.services.gc_pause import gc_paused
from partnerdesk.services.health import explain, register_component, vendor_health
from partnerdesk.services.health_engine import (
    PromiseFacts,
    PromiseIndex,
    VendorDays,
    round1,
    score_at,
    score_series,
)
from partnerdesk.services.health_read import DayReader
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal
from tests.health_sim import END


# -- round1 -------------------------------------------------------------------------------------
@settings(max_examples=3000, deadline=None)
@given(x=st.one_of(
    st.floats(0, 1e6), st.floats(-1e3, 1e12), st.floats(allow_nan=True, allow_infinity=True),
    # ties and their neighbours: n/10 + 0.05, a hair either side
    st.builds(lambda n, k: (n + 0.5) / 10 + k * 1e-12, st.integers(0, 10**6),
              st.integers(-3, 3)),
    st.builds(lambda n: n / 100, st.integers(0, 10**7)),
    st.integers(-1000, 1000), st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 5e-324])))
def test_round1_is_round_to_one_decimal(x):
    got, want = round1(x), round(x, 1)
    assert type(got) is type(want)
    assert repr(got) == repr(want)  # (the same digits, -0.0 and NaN included)


# -- score_series against score_at --------------------------------------------------------------
day_rows = st.dictionaries(
    st.integers(19000, 20500),  # the day
    st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6), st.integers(0, 3),
              st.integers(0, 3)),
    max_size=120)
facts = st.lists(st.builds(
    lambda due, after, outcome: PromiseFacts(due, None if outcome == "open" else due + after,
                                             outcome),
    st.integers(19000, 20500), st.integers(-100, 300),
    st.sampled_from(["open", "kept", "late", "broken", "void"])), max_size=20)


def _rows(drawn: dict[int, tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Day rows that hold together: helpful and inbound conversations no more than all."""
    out = []
    for day in sorted(drawn):
        conv, helpful, inbound, bcast, bcast_helpful = drawn[day]
        out.append((day, conv, min(helpful, conv), min(inbound, conv), bcast,
                    min(bcast_helpful, bcast)))
    return out


@settings(max_examples=150, deadline=None)
@given(rows=day_rows, promises=facts, first_as_of=st.integers(18990, 20600),
       step=st.sampled_from([1, 7, 30]), economics=st.booleans(), from_columns=st.booleans())
def test_score_series_is_score_at_at_every_day(rows, promises, first_as_of, step, economics,
                                               from_columns):
    table = _rows(rows)
    days = (VendorDays.from_columns(*(list(c) for c in zip(*table, strict=True)))
            if from_columns and table else VendorDays(table))
    index = PromiseIndex(promises)
    as_of = list(range(first_as_of, first_as_of + 40 * step, step))
    extras = [{"economics": (0.2, (d * 7919) % 1000 / 10, "why")} if economics and d % 3
              else {} for d in as_of]
    starts = [a - step + 1 for a in as_of]
    got = score_series(days, index, as_of, extras, starts)
    for a, e, s, (score, evidence, counted, overdue) in zip(as_of, extras, starts, got,
                                                            strict=True):
        r = score_at(days, index, a, e, s)
        assert score == (r.score if r.known else None)
        assert (evidence, counted, overdue) == (r.evidence, r.promises_counted,
                                                r.promises_overdue)


# -- reading the days as columns ----------------------------------------------------------------
def _vendor_ids(path) -> list[int]:
    with LiteJournal(path).reading() as conn:
        return [vid for (vid,) in conn.exec_driver_sql("SELECT id FROM vendor ORDER BY id")]


def _as_rows(reader: DayReader, vid: int, since=None, until=None) -> tuple[list[int], ...]:
    rows = reader.days(vid, since, until)
    return tuple(map(list, zip(*rows, strict=True))) if rows else ([],) * 6


def test_columns_are_the_days_rows(simulated):
    with LiteJournal(simulated).reading() as conn:
        fast, slow = DayReader(conn), DayReader(conn, zone=DayReader(conn).zone)
        assert fast.summary and not slow.summary  # the char() read, and the interactions' one
        for vid in _vendor_ids(simulated):
            want = _as_rows(fast, vid)
            assert want[0], vid
            assert fast.columns(vid) == want == slow.columns(vid)
            middle = want[0][len(want[0]) // 2]
            assert fast.columns(vid, middle, middle + 200) == _as_rows(fast, vid, middle,
                                                                       middle + 200)
        assert fast.columns(10**6) == ([],) * 6  # no such vendor: no days


def test_columns_fall_back_to_rows_for_what_char_cannot_carry(simulated, monkeypatch):
    vid = _vendor_ids(simulated)[0]
    with LiteJournal(simulated).reading() as conn:
        reader = DayReader(conn)
        want = _as_rows(reader, vid)
        sql = health_read._SUMMARY_CHARS_SQL
        # A number at or past the surrogates (a day after 2121, 55,296 contacts in a day).
        monkeypatch.setattr(health_read, "_CHAR_LIMIT", 3)
        assert reader.columns(vid) == want
        monkeypatch.undo()
        for changed in (sql.replace("char(day,", "char(day - 100000,"),  # a day before 1970
                        sql.replace("char(day,", "char(55296,"),  # a surrogate: no UTF-8
                        sql.replace("char(day,", "char(1114112,"),  # past Unicode: U+FFFD
                        # an aggregate that did not keep the days' order
                        sql.replace("FROM vendor_day WHERE vendor_id = ? AND day >= ? AND"
                                    " day < ?", "FROM (SELECT * FROM vendor_day WHERE"
                                    " vendor_id = ? AND day >= ? AND day < ? ORDER BY day"
                                    " DESC)")):
            assert changed != sql
            monkeypatch.setattr(health_read, "_SUMMARY_CHARS_SQL", changed)
            assert reader.columns(vid) == want
        # Any other error is not swallowed.
        monkeypatch.setattr(health_read, "_SUMMARY_CHARS_SQL", "SELECT * FROM no_such_table")
        with pytest.raises(Exception, match="no_such_table"):
            reader.columns(vid)
        monkeypatch.undo()
    # Through SQLAlchemy's connection as through the standard library's.
    journal = Journal.open(simulated)
    try:
        with journal.reading() as conn:
            assert DayReader(conn).columns(vid) == want
    finally:
        journal.close()


def test_a_series_explains_any_point_after_the_fact(simulated):
    """Points keep what their breakdown and "why" need, and not each other: the series can be
    dropped point by point (no cycles left for the collector)."""
    lite = LiteJournal(simulated)
    vid = _vendor_ids(simulated)[0]
    weeks = vendor_health(lite, vid, Period.WEEK, today=END)
    again = vendor_health(lite, vid, Period.WEEK, today=END)
    assert weeks == again
    known = [p for p in weeks if p.score is not None]
    assert known and len(known) < len(weeks)  # the first weeks are too early to judge
    for p in (weeks[0], known[0], known[len(known) // 2], weeks[-1]):
        assert explain(p) and explain(p) == explain(p)
        assert (len(p.components) > 0) == (p.score is not None)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        points = vendor_health(lite, vid, Period.WEEK, today=END)
        assert len(gc.get_objects()) > before + len(points)
        del points
        assert len(gc.get_objects()) < before + 200  # freed as they went, not left in cycles
    finally:
        gc.enable()


# -- the paused collector -----------------------------------------------------------------------
def test_gc_paused_restores_what_it_found():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one found it off and left it off
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("a failed computation")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # someone else's choice stays
    finally:
        gc.enable()


def test_gc_paused_from_many_threads_at_once_ends_on():
    """Pauses that overlap in every order leave the collector on: a thread that read "off"
    while another had it paused used to leave it off for good (8 runs in 20 here)."""
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        for _ in range(30):
            def pause() -> None:
                for _ in range(500):
                    with gc_paused():
                        pass

            threads = [threading.Thread(target=pause) for _ in range(3)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert gc.isenabled()
    finally:
        sys.setswitchinterval(switch)


def test_an_added_component_cannot_take_a_built_in_name():
    class Cadence:
        name, weight = "cadence", 0.2

        def values(self, conn, vendor_id, as_of):  # noqa: ANN001, ANN201
            return [None for _ in as_of]

    with pytest.raises(ValueError, match="cadence"):
        register_component(Cadence())


def test_gc_paused_in_two_threads_ends_on(simulated):
    lite = LiteJournal(simulated)
    vids = _vendor_ids(simulated)[:2]
    errors: list[BaseException] = []

    def series(vid: int) -> None:
        try:
            for _ in range(3):
                vendor_health(lite, vid, Period.WEEK, today=date(2024, 6, 1))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=series, args=(vid,)) for vid in vids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and gc.isenabled()
