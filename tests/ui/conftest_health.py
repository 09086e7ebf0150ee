"""Fixtures for the health views: hand-made score series, and a demo journal to score for real.

Imported by the test modules that use them (tests/ui/conftest.py belongs to the window tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from partnerdesk.domain.health_types import (
    Bands,
    Component,
    HealthPoint,
    Period,
    Trend,
    VendorHealth,
)
from partnerdesk.store.journal import Journal
from partnerdesk.ui.session import JournalSession


def weekly_points(scores: Sequence[float | None], start: date = date(2016, 1, 4),
                  vendor_id: int = 1) -> list[HealthPoint]:
    """One HealthPoint a week; None scores are weeks without interactions."""
    bands = Bands()
    out = []
    prev: float | None = None
    for i, score in enumerate(scores):
        s = start + timedelta(weeks=i)
        n = 0 if score is None else 3 + i % 5
        helpful = 0 if score is None else round(n * score / 100)
        trend = None
        if score is not None and prev is not None:
            trend = Trend.UP if score > prev else Trend.DOWN if score < prev else Trend.FLAT
        comps = () if score is None else (
            Component("helpfulness", score, 0.6, f"{helpful} of {n} helpful"),
            Component("engagement", score, 0.4, f"{n} contacts against a usual 4"))
        out.append(HealthPoint(vendor_id, Period.WEEK, s, s + timedelta(days=7), score,
                               bands.band(score), trend, comps, n, helpful, n - helpful))
        if score is not None:
            prev = score
    return out


@pytest.fixture
def make_points() -> Callable[..., list[HealthPoint]]:
    return weekly_points


def vendor_row(vendor_id: int, name: str, score: float | None, **kw: Any) -> VendorHealth:
    bands = Bands()
    base: dict[str, Any] = dict(
        vendor_id=vendor_id, display_name=name, score=score, band=bands.band(score),
        trend=None if score is None else Trend.FLAT, change=None if score is None else 0.0,
        interactions=0 if score is None else 12,
        helpful_pct=None if score is None else score, promises_kept_pct=None, overdue_promises=0,
        last_contact=None if score is None else datetime(2026, 5, 1, 15, tzinfo=UTC),
        sparkline=(50.0, None, 60.0, score))
    base.update(kw)
    return VendorHealth(**base)


@pytest.fixture
def make_row() -> Callable[..., VendorHealth]:
    return vendor_row


@pytest.fixture
def demo_journal(journal: Journal) -> Journal:
    """3,000 interactions over 8 vendors and ten years up to today, seed 3."""
    from partnerdesk.services.demo import generate

    generate(journal, interactions=3000, vendors=8, seed=3)
    return journal


@pytest.fixture
def demo_session(demo_journal: Journal) -> Iterator[JournalSession]:
    s = JournalSession(demo_journal.path, journal=demo_journal)
    yield s
    s.reader.close()


@pytest.fixture
def vendor_with_events(demo_journal: Journal) -> int:
    """A demo vendor that has events (acquisitions, programme changes…) to compare around."""
    for v in demo_journal.vendors.all():
        if demo_journal.events.for_vendor(v.id):
            return v.id
    raise AssertionError("the demo has no vendor with events")
