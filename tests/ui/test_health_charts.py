"""The health charts: gaps stay gaps, long series stay fast, hover says the period and value,
events are labelled markers, bars stack, and the colours follow the palette."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from partnerdesk.domain.health_types import Period
from partnerdesk.domain.models import VendorEvent
from partnerdesk.domain.vocab import EventKind
from partnerdesk.ui.charts import HealthChart, Series, StackedBars, epoch_days, link, period_label

pytest_plugins = ["tests.ui.conftest_health"]  # shared health fixtures

GAPPY = [55.0, 60.0, None, None, 72.0, None, 30.0, 35.0, None, 80.0]

def test_series_keeps_gaps_as_nan_not_zero(make_points):
    s = Series.of(make_points(GAPPY))
    assert len(s) == 10
    assert np.isnan(s.score[2]) and np.isnan(s.score[3]) and np.isnan(s.score[8])
    assert s.score[6] == 30.0
    # 72 and 80 have no scored neighbour: a line cannot draw them, so they get dots
    assert list(s.isolated()) == [4, 9]
    assert s.index_at(s.start[3] + 3600) == 3
    assert s.index_at(s.end[-1] + 1) is None


def test_epoch_days_are_utc_midnights():
    assert list(epoch_days([date(1970, 1, 1), date(2024, 3, 1)])) == [0.0, 19783 * 86400.0]


def test_health_chart_draws_a_broken_line_with_dots_for_lone_points(qtbot, make_points):
    chart = HealthChart()
    qtbot.addWidget(chart)
    chart.set_points(make_points(GAPPY))
    x, y = chart._line.getData()
    assert len(x) == 10 and np.isnan(y[2]) and y[4] == 72.0
    assert chart._line.opts["connect"] == "finite"
    assert len(chart._dots.data) == 6  # short series: every scored period has a dot
    assert not chart._empty.isVisible()


def test_hover_says_the_period_the_score_and_the_band(qtbot, make_points):
    chart = HealthChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.set_points(make_points(GAPPY))
    text = chart.hover_at(chart.series.mid[4])
    assert text is not None and text.startswith(period_label(chart.series.points[4]))
    assert "Score 72 · green" in text
    assert chart._tip.isVisible() and chart._vline.isVisible()
    assert "No score" in chart.hover_at(chart.series.mid[2])
    assert chart.hover_at(chart.series.end[-1] + 86400 * 30) is None
    assert not chart._tip.isVisible()


def test_hover_by_mouse_goes_through_the_signal_proxy(qtbot, make_points):
    chart = HealthChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_points(make_points(GAPPY))
    target = chart.vb.sceneBoundingRect().center()
    with qtbot.waitSignal(chart.hovered, timeout=1000) as got:
        chart.scene().sigMouseMoved.emit(target)
    assert got.args[0] is not None
    assert chart.hover_text.startswith(period_label(got.args[0]))


def test_events_are_labelled_markers_and_show_in_the_hover(qtbot, make_points):
    chart = HealthChart()
    qtbot.addWidget(chart)
    points = make_points([50.0] * 20)
    chart.set_points(points)
    events = [VendorEvent(1, 1, points[5].start, EventKind.ACQUISITION, "Acquired by CenturyLink"),
              VendorEvent(2, 1, points[12].start, EventKind.PROGRAMME_CHANGE, "x" * 60)]
    chart.set_events(events)
    assert len(chart._event_lines) == 2
    assert chart._event_lines[0].label.toPlainText() == "acquisition: Acquired by CenturyLink"
    assert chart._event_lines[1].label.toPlainText().endswith("…")  # long texts are cut
    assert chart._event_lines[0].value() == epoch_days([points[5].start])[0]
    assert "◆ acquisition: Acquired by CenturyLink" in chart.hover_at(chart.series.mid[5])
    chart.set_events(events[:1])  # replacing events removes the old markers
    assert len(chart._event_lines) == 1
    assert sum(1 for item in chart.getPlotItem().items if item in chart._event_lines) == 1


def test_long_series_are_drawn_and_hovered(qtbot, make_points):
    """Ten years of weeks, ten times over (5,200 periods), set and painted; above DENSE periods
    only lone points get a dot. (How fast is for benchmarks/bench_window.py, not a unit test.)"""
    scores = [None if i % 17 == 0 else 50 + 40 * math.sin(i / 9) for i in range(5200)]
    points = make_points(scores, start=date(1926, 1, 4))
    chart, bars = HealthChart(), StackedBars()
    for w in (chart, bars):
        qtbot.addWidget(w)
        w.resize(1200, 400)
        w.show()
    link([chart, bars])
    chart.set_points(points)
    bars.set_points(points)
    chart.grab()
    bars.grab()
    assert len(chart._dots.data) == 0  # every scored run here is longer than one period
    assert chart.hover_at(float(chart.series.mid[4000]))
    # zoomed to a year, the linked bars follow
    chart.vb.setXRange(chart.series.start[100], chart.series.start[152], padding=0)
    assert bars.vb.viewRange()[0] == pytest.approx(chart.vb.viewRange()[0])


def test_zoom_and_pan_stay_within_the_data(qtbot, make_points):
    chart = HealthChart()
    qtbot.addWidget(chart)
    chart.set_points(make_points([50.0] * 520))
    limits = chart.vb.state["limits"]
    assert limits["xLimits"][0] < chart.series.start[0] and limits["xLimits"][1] > chart.series.end[-1]
    assert chart.vb.state["mouseEnabled"] == [True, False]  # the score axis stays 0-100


def test_bars_stack_transactional_on_helpful(qtbot, make_points):
    bars = StackedBars()
    qtbot.addWidget(bars)
    points = make_points(GAPPY)
    bars.set_points(points)
    assert list(bars._helpful.opts["height"]) == [p.helpful for p in points]
    assert list(bars._trans.opts["y0"]) == [p.helpful for p in points]
    assert list(bars._trans.opts["height"]) == [p.transactional for p in points]
    text = bars.hover_at(bars.series.mid[0])
    assert f"{points[0].helpful} helpful · {points[0].transactional} transactional" in text
    assert [label.text for _sample, label in bars.legend.items] == ["helpful", "transactional"]


def test_empty_chart_says_so(qtbot):
    chart = HealthChart()
    qtbot.addWidget(chart)
    chart.show()
    chart.set_points([], empty_text="Nothing to score yet")
    assert chart._empty.isVisible() and chart._empty.text() == "Nothing to score yet"
    assert chart.hover_at(0.0) is None


def test_period_labels():
    from partnerdesk.domain.health_types import HealthPoint

    def p(period, d):
        return HealthPoint(1, period, d, d, None, None, None)

    assert period_label(p(Period.QUARTER, date(2024, 7, 1))) == "2024 Q3"
    assert period_label(p(Period.MONTH, date(2024, 3, 1))) == "March 2024"
    assert period_label(p(Period.WEEK, date(2024, 3, 4))) == "Week of 2024-03-04"


def test_charts_follow_the_palette(qtbot, make_points):
    app = QApplication.instance()
    saved = app.palette()
    chart, bars = HealthChart(), StackedBars()
    for w in (chart, bars):
        qtbot.addWidget(w)
        w.set_points(make_points(GAPPY))
    light_line = chart._line.opts["pen"].color().name()
    try:
        dark = QPalette(saved)
        dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
        dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
        app.setPalette(dark)
        qtbot.waitUntil(lambda: chart.backgroundBrush().color().name() == "#1e1e1e", timeout=2000)
        qtbot.waitUntil(lambda: bars.backgroundBrush().color().name() == "#1e1e1e", timeout=2000)
        assert chart._line.opts["pen"].color().name() == "#e6e6e6" != light_line
        assert chart.getPlotItem().getAxis("bottom").textPen().color().name() == "#e6e6e6"
    finally:
        app.setPalette(saved)
    qtbot.waitUntil(lambda: chart._line.opts["pen"].color().name() == light_line, timeout=2000)


def test_band_chip_says_the_band_and_recolours_once_for_a_dark_palette(qtbot):
    from partnerdesk.domain.health_types import Band
    from partnerdesk.ui.charts import BAND_COLOURS
    from partnerdesk.ui.health_common import BandChip

    app = QApplication.instance()
    saved = app.palette()
    chip = BandChip()
    qtbot.addWidget(chip)
    chip.show()
    chip.set_band(Band.GREEN)
    assert chip.text() == "green" and BAND_COLOURS[Band.GREEN][0] in chip.styleSheet()
    calls = []
    original = chip.set_band
    chip.set_band = lambda band: (calls.append(band), original(band))  # type: ignore[method-assign]
    try:
        dark = QPalette(saved)
        dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        app.setPalette(dark)
        qtbot.waitUntil(lambda: BAND_COLOURS[Band.GREEN][1] in chip.styleSheet(), timeout=2000)
        qtbot.wait(100)  # its own style sheet must not set off another round
        assert calls == [Band.GREEN]
    finally:
        app.setPalette(saved)
