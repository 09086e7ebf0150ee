"""Shared fixtures: a real journal file per test, a time-zone switch, and the CLI as a process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Qt must never look for a display in tests; set before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No per-example deadline: it is a timing assertion, and a busy machine broke one (a first call
# that loaded time-zone data took 299 ms against 200 in a clean-clone run). Speed is measured in
# benchmarks/; a test that hangs still fails, through pytest-timeout.
settings.register_profile("partnerdesk", deadline=None)
settings.load_profile("partnerdesk")

from partnerdesk.store.journal import Journal  # noqa: E402


@pytest.fixture(autouse=True)
def private_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts and the healthy-journal fingerprints (store/verified.py) stay in tmp_path, for
    this process and the CLI processes it starts."""
    if "PARTNERDESK_STATE_DIR" not in os.environ:
        monkeypatch.setenv("PARTNERDESK_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(db_path: Path) -> Iterator[Journal]:
    j = Journal.open(db_path)
    try:
        yield j
    finally:
        j.close()


@pytest.fixture
def local_tz() -> Iterator[Callable[[str], None]]:
    """Call with an IANA zone name to make it the process's local zone for this test."""
    saved = os.environ.get("TZ")

    def switch(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield switch
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()
