"""Fixtures shared by the services' tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerdesk.store.journal import Journal
from tests.health_sim import behaviours, build


@pytest.fixture(scope="module")
def simulated(tmp_path_factory) -> Path:
    """A journal of the health simulation's vendors (steady, turning, improving and silent,
    kept and broken promises, broadcasts), built once per test module."""
    path = tmp_path_factory.mktemp("simulated") / "journal.sqlite3"
    journal = Journal.open(path)
    try:
        build(journal, behaviours(reps=1, levels=(0.35, 0.85)), seed=5)
    finally:
        journal.close()
    return path
