"""A journal with the vendors the sample files talk about, and a helper to write samples."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from partnerdesk.store.journal import Journal

REP = "me@reseller.com"
RANGE = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def vendors(journal: Journal) -> Journal:
    """Acme (acme.com), Globex (globex.com, globex.co.jp) and Initech without domains."""
    journal.vendors.add("Acme", domains=["acme.com"])
    journal.vendors.add("Globex", domains=["globex.com", "globex.co.jp"])
    journal.vendors.add("Initech")
    return journal


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def put(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return put
