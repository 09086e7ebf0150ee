"""The portfolio view: vendors side by side, sortable with unscored vendors last, a sparkline
per row, double-click opens a vendor; and the vendor list's health colours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from partnerdesk.domain.health_types import Band, Trend
from partnerdesk.ui import portfolio as portfolio_mod
from partnerdesk.ui.charts import band_colour
from partnerdesk.ui.portfolio import (
    COL_LAST,
    COL_SCORE,
    COL_SPARK,
    COL_TREND,
    COL_VENDOR,
    VENDOR_ID_ROLE,
    PortfolioView,
    health_colours,
)
from tests.ui.conftest_health import vendor_row

pytest_plugins = ["tests.ui.conftest_health"]  # shared health fixtures

ROWS = [
    vendor_row(1, "Qwest", 72.0, trend=Trend.UP, change=6.0, overdue_promises=2),
    vendor_row(2, "Avaya", 35.0, trend=Trend.DOWN, change=-12.0),
    vendor_row(3, "Nobody Yet", None, sparkline=()),
    vendor_row(4, "Mitel", 55.0, sparkline=(None, 40.0, None, 55.0)),
]

def names(view: PortfolioView) -> list[str]:
    p = view.proxy
    return [p.index(r, COL_VENDOR).data() for r in range(p.rowCount())]


def make_view(qtbot, session, monkeypatch, rows=ROWS) -> PortfolioView:
    monkeypatch.setattr(portfolio_mod, "load_portfolio", lambda *_a, **_k: list(rows))
    view = PortfolioView(session)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(rows), timeout=3000)
    return view


def test_sorted_weakest_first_and_unscored_last_both_ways(qtbot, session, monkeypatch):
    view = make_view(qtbot, session, monkeypatch)
    assert names(view) == ["Avaya", "Mitel", "Qwest", "Nobody Yet"]
    view.view.sortByColumn(COL_SCORE, Qt.SortOrder.DescendingOrder)
    assert names(view) == ["Qwest", "Mitel", "Avaya", "Nobody Yet"]
    view.view.sortByColumn(COL_VENDOR, Qt.SortOrder.AscendingOrder)
    assert names(view) == ["Avaya", "Mitel", "Nobody Yet", "Qwest"]
    view.view.sortByColumn(COL_TREND, Qt.SortOrder.DescendingOrder)
    assert names(view)[0] == "Qwest" and names(view)[-1] == "Nobody Yet"
    view.view.sortByColumn(COL_LAST, Qt.SortOrder.AscendingOrder)
    assert names(view)[-1] == "Nobody Yet"


def test_rows_say_band_and_trend_in_words(qtbot, session, monkeypatch):
    view = make_view(qtbot, session, monkeypatch)
    m = view.model
    row = m.row_of(2)
    assert m.index(row, 2).data() == "red"
    assert m.index(row, COL_TREND).data() == "▼ down 12"
    assert m.index(m.row_of(1), COL_TREND).data() == "▲ up 6"
    assert m.index(m.row_of(3), COL_SCORE).data() == "—"
    assert m.index(m.row_of(3), 2).data() == "no score"
    assert "3 vendors" not in view.summary.text() and view.summary.text().startswith("4 vendors")
    assert "1 red" in view.summary.text() and "1 without a score" in view.summary.text()


def test_double_click_and_enter_open_the_vendor(qtbot, session, monkeypatch):
    view = make_view(qtbot, session, monkeypatch)
    index = view.proxy.index(0, COL_SCORE)
    assert index.data(VENDOR_ID_ROLE) == 2
    with qtbot.waitSignal(view.open_vendor, timeout=1000) as got:
        view.view.doubleClicked.emit(index)
    assert got.args == [2]
    view.view.setCurrentIndex(view.proxy.index(1, 0))
    view.view.setFocus()
    with qtbot.waitSignal(view.open_vendor, timeout=1000) as got:
        qtbot.keyClick(view.view, Qt.Key.Key_Return)
    assert got.args == [4]


def test_filter_by_name(qtbot, session, monkeypatch):
    view = make_view(qtbot, session, monkeypatch)
    view.filter.setText("QW")
    assert names(view) == ["Qwest"]


def test_sparklines_paint_with_gaps(qtbot, session, monkeypatch):
    view = make_view(qtbot, session, monkeypatch)
    m = view.model
    assert m.index(m.row_of(4), COL_SPARK).data(portfolio_mod.SPARK_ROLE) == (None, 40.0, None, 55.0)
    assert "—, 40, —, 55" in m.index(m.row_of(4), COL_SPARK).data(Qt.ItemDataRole.ToolTipRole)
    image = view.view.viewport().grab().toImage()
    assert not image.isNull()


def test_health_colours_for_the_vendor_list():
    colours = health_colours(ROWS)
    assert set(colours) == {1, 2, 4}  # no score, no colour: the list keeps its grey dot
    assert all(isinstance(c, QColor) for c in colours.values())
    assert colours[2] == band_colour(Band.RED)
    assert colours[1] == band_colour(Band.GREEN)
