"""The meeting brief window: overdue is their promises as of today, the score says what it rests
on, and each recent event carries its before/after."""

from __future__ import annotations

from datetime import date

from partnerdesk.services.brief import brief_data
from partnerdesk.ui import brief_view
from tests.services.test_health_reports import _journal


def test_brief_window_dates_overdue_and_measures_events(qtbot, session, journal, monkeypatch):
    vid = _journal(journal)
    today = date(2026, 11, 27)
    monkeypatch.setattr(brief_view, "load_brief",
                        lambda s, v: brief_data(s.store(), v, today=today))
    view = brief_view.BriefView(session, vid)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=20000)
    assert view.overdue.text() == "1 of their promises overdue as of 2026-11-27"
    assert "the score rests on" in view.quarter.text()
    row = view.events.model.rows[0]
    assert "since then: helpful share" in row[2] and "down, beyond chance" in row[2]
