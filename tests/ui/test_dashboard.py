"""The vendor dashboard on a scored demo journal: header, charts, "why is it amber?", the
before/after panel, the period selector, refreshes, and the busy indicator."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QSettings

from partnerdesk.domain.health_types import Period
from partnerdesk.domain.models import InteractionDraft
from partnerdesk.domain.vocab import Tag
from partnerdesk.ui import dashboard as dashboard_mod
from partnerdesk.ui.charts import period_label
from partnerdesk.ui.dashboard import MEASURES, VendorDashboard

pytest_plugins = ["tests.ui.conftest_health"]  # shared health fixtures

WAIT = 15000

def open_dashboard(qtbot, session, vendor_id) -> VendorDashboard:
    d = VendorDashboard(session, vendor_id)
    qtbot.addWidget(d)
    d.resize(1300, 800)
    d.show()
    qtbot.waitUntil(lambda: d.data is not None and d.loader.idle and d.ba_loader.idle, timeout=WAIT)
    return d


def test_dashboard_shows_score_trend_and_breakdown(qtbot, demo_session, vendor_with_events):
    d = open_dashboard(qtbot, demo_session, vendor_with_events)
    vendor = demo_session.store().vendors.get(vendor_with_events)
    assert d.title.text() == vendor.display_name
    assert vendor.display_name in d.windowTitle()
    assert d.score.text().isdigit()
    assert d.band.text() in ("red", "amber", "green")
    assert d.trend.text()[0] in "▲▼▶"  # an arrow and words, not colour alone
    assert d.why_title.text() == f"Why is it {d.band.text()}?"
    assert d.breakdown.rowCount() >= 1
    names = {d.breakdown.text(r, 0) for r in range(d.breakdown.rowCount())}
    assert names <= {"helpfulness", "promises", "cadence", "who reaches out", "economics"}
    weights = sum(d.selected.components[r].weight for r in range(d.breakdown.rowCount()))
    assert abs(weights - 1.0) < 1e-6
    assert d.explanation.text().count("<li>") >= 1
    assert len(d.chart.series) > 12 and len(d.bars.series) == len(d.chart.series)
    assert len(d.chart._event_lines) == len(demo_session.store().events.for_vendor(vendor_with_events))
    assert all(p.period is Period.MONTH for p in d.chart.series.points)  # the default


def test_clicking_a_period_explains_that_period(qtbot, demo_session, vendor_with_events):
    d = open_dashboard(qtbot, demo_session, vendor_with_events)
    scored = [p for p in d.chart.series.points if p.score is not None]
    gap = next((p for p in d.chart.series.points if p.score is None), None)
    d.chart.point_clicked.emit(scored[0])
    assert d.why_period.text().startswith(period_label(scored[0]))
    assert d.selected is scored[0]
    if gap is not None:
        d.chart.point_clicked.emit(gap)
        assert d.why_title.text() == "Why is there no score?"
        assert d.breakdown.rowCount() == 0


def test_before_after_shows_both_sides(qtbot, demo_session, vendor_with_events):
    d = open_dashboard(qtbot, demo_session, vendor_with_events)
    assert d.event.isEnabled() and d.event.count() >= 1
    assert d.months.value() == 6
    result = d.ba_model.result
    assert result is not None and result.months == 6
    ledger = ["Approved", "Days to decide", "Paid in full"] if result.extra else []
    assert [d.ba_model.text(r, 0) for r in range(d.ba_model.rowCount())] == (
        MEASURES[:-1] + ledger + MEASURES[-1:])  # economics' measures when there is a ledger
    by_label = {d.ba_model.text(r, 0): r for r in range(d.ba_model.rowCount())}
    row = by_label["Interactions"]
    assert d.ba_model.text(row, 1) == f"{result.before.interactions:,}"
    assert d.ba_model.text(row, 2) == f"{result.after.interactions:,}"
    assert "Before:" in d.ba_spans.text() and "After:" in d.ba_spans.text()
    assert all(r.isVisible() for r in d.chart._span)  # the two windows are shaded on the chart
    assert [label.toPlainText().strip() for label in d.chart._span_labels] == ["before", "after"]
    assert d.ba_summary.text()
    # Each measure with its 80 % range, or "too little data"; the change only "beyond chance"
    # when the ranges do not overlap.
    helpful = by_label["Helpful"]
    if result.before.interactions >= 3:
        assert "%" in d.ba_model.text(helpful, 1) and "–" in d.ba_model.text(helpful, 1)
    assert d.ba_model.text(helpful, 3) in ("▼ down", "▲ up", "▶ unclear", "too few")
    d.months.setValue(3)
    qtbot.waitUntil(lambda: d.ba_model.result is not None and d.ba_model.result.months == 3
                    and d.ba_loader.idle, timeout=WAIT)
    if d.event.count() > 1:
        d.event.setCurrentIndex(1)
        qtbot.waitUntil(lambda: d.ba_loader.idle and d.ba_model.result.event_date
                        == next(e.on for e in d.data.events if e.id == d.event.currentData()),
                        timeout=WAIT)


def test_period_selector_recomputes_and_is_remembered(qtbot, demo_session, vendor_with_events):
    d = open_dashboard(qtbot, demo_session, vendor_with_events)
    months = len(d.chart.series)
    d.period.setCurrentIndex(d.period.findData("week"))
    qtbot.waitUntil(lambda: d.loader.idle and d.chart.series.points
                    and d.chart.series.points[0].period is Period.WEEK, timeout=WAIT)
    assert len(d.chart.series) > months * 3
    assert QSettings().value("dashboard/period") == "week"
    d.period.setCurrentIndex(d.period.findData("quarter"))
    qtbot.waitUntil(lambda: d.loader.idle and d.chart.series.points[0].period is Period.QUARTER,
                    timeout=WAIT)
    assert d.as_of.text().startswith("for ") and " Q" in d.as_of.text()


def test_refreshes_when_the_journal_changes(qtbot, demo_session, vendor_with_events):
    d = open_dashboard(qtbot, demo_session, vendor_with_events)
    before = d.data
    total = sum(p.interactions for p in d.chart.series.points)
    store = demo_session.store()
    item = store.interactions.add(InteractionDraft(
        vendor_id=vendor_with_events, occurred_at=datetime.now(UTC) - timedelta(hours=1),
        summary="Helped with a quote", tag=Tag.HELPFUL))
    demo_session.notify("interaction", {"added": [(item.id, int(item.occurred_at.timestamp()))]})
    qtbot.waitUntil(lambda: d.data is not before and d.loader.idle, timeout=WAIT)
    assert sum(p.interactions for p in d.chart.series.points) == total + 1


def test_a_vendor_with_nothing_yet(qtbot, demo_session):
    v = demo_session.store().vendors.add("Brand New Vendor")
    d = open_dashboard(qtbot, demo_session, v.id)
    assert d.score.text() == "—"
    assert d.band.text() == "no score"
    assert d.breakdown.rowCount() == 0
    assert not d.event.isEnabled()
    assert "Record an event" in d.ba_summary.text()


def test_slow_work_shows_the_busy_indicator(qtbot, demo_session, vendor_with_events, monkeypatch):
    real = dashboard_mod.load_dashboard

    def slow(*args, **kwargs):
        time.sleep(0.9)
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard_mod, "load_dashboard", slow)
    d = VendorDashboard(demo_session, vendor_with_events)
    qtbot.addWidget(d)
    d.show()
    assert not d.busy.isVisible()  # nothing for the first half second
    qtbot.waitUntil(d.busy.isVisible, timeout=WAIT)
    qtbot.waitUntil(lambda: d.data is not None, timeout=WAIT)
    assert not d.busy.isVisible()


def test_before_after_model_reads_changes_in_words():
    from partnerdesk.domain.health_types import BeforeAfter, BeforeAfterSide

    day = date(2024, 1, 1)
    before = BeforeAfterSide(date(2023, 7, 1), day, 30, 60.0, 80.0, 5.0, 70.0,
                             helpful_range=(48.0, 71.0), per_month_range=(4.0, 6.2), promises=5,
                             promises_kept_range=(55.0, 94.0))
    after = BeforeAfterSide(day, date(2024, 7, 1), 12, 10.0, None, 2.0, 30.2,
                            helpful_range=(3.0, 27.0), per_month_range=(1.3, 2.9))
    model = dashboard_mod.BeforeAfterModel()
    model.set_result(BeforeAfter(1, day, 6, before, after))
    rows = {model.text(r, 0): [model.text(r, c) for c in (1, 2, 3)] for r in range(model.rowCount())}
    assert rows["Helpful"] == ["60% (48–71)", "10% (3–27)", "▼ down"]
    assert rows["Promises kept"] == ["80% (55–94)", "no data", "too few"]
    assert rows["Contacts/month"] == ["5.0 (4.0–6.2)", "2.0 (1.3–2.9)", "▼ down"]
    assert rows["Score"] == ["70", "30", ""]
    assert rows["Interactions"] == ["30", "12", ""]
    helpful = model.index(0, 3)
    from PySide6.QtCore import Qt

    assert helpful.data(Qt.ItemDataRole.ForegroundRole) is not None  # worse: highlighted
    assert model.index(2, 3).data(Qt.ItemDataRole.ForegroundRole) is None  # nothing to tell
    assert model.spans[0].startswith("2023-07-01")


def test_switching_to_a_dark_palette_restyles_charts_and_band(qtbot, demo_session, vendor_with_events):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from partnerdesk.ui.charts import band_colour

    d = open_dashboard(qtbot, demo_session, vendor_with_events)
    app = QApplication.instance()
    saved = app.palette()
    try:
        dark = QPalette(saved)
        dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
        app.setPalette(dark)
        qtbot.waitUntil(lambda: d.chart.backgroundBrush().color().name() == "#1e1e1e"
                        and d.bars.backgroundBrush().color().name() == "#1e1e1e", timeout=2000)
        assert band_colour(d.band.band, dark=True).name() in d.band.styleSheet()
    finally:
        app.setPalette(saved)
    qtbot.waitUntil(lambda: d.chart.backgroundBrush().color() == saved.color(QPalette.ColorRole.Base),
                    timeout=2000)
