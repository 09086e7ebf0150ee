"""Issue 9's properties of the health score, measured on journals with known behaviour.

Constant vendors at three helpfulness levels and three volumes (twice a month to three times a
week), vendors that turn or improve on 1 Jan 2023, vendors that go silent then: the numbers
below are the issue's. benchmarks/bench_health_simulation.py runs a larger journal.
"""

from __future__ import annotations

import pytest

from tests.health_sim import behaviours, build, measure


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    from partnerdesk.store.journal import Journal

    path = tmp_path_factory.mktemp("sim") / "journal.sqlite3"
    journal = Journal.open(path)
    try:
        items = behaviours(reps=2)
        ids = build(journal, items, seed=12)
        yield measure(journal, items, ids)
    finally:
        journal.close()


def test_steady_when_nothing_changes(figures):
    assert figures.band_change <= 0.10
    assert figures.median_move <= 5
    assert figures.false_alarms <= 0.05


def test_quick_when_a_vendor_turns(figures):
    assert figures.months_to_15_down <= 3
    assert figures.drop_6_months >= 20


def test_an_improvement_shows_the_same_way(figures):
    assert figures.months_to_15_up <= 3
    assert figures.rise_6_months >= 20


def test_silence_is_red_within_three_months(figures):
    assert figures.months_to_red <= 3
    assert figures.worst_months_to_red <= 3


def test_a_first_month_is_never_scored_as_if_known(figures):
    assert figures.unscored_first_months
