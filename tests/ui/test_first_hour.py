"""A new rep's first hour: the empty journal says how to start, Help lists every shortcut and
explains the score, panels open at a usable size, vendor windows fit the screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QKeySequence  # noqa: E402
from PySide6.QtWidgets import QTableWidget, QTextBrowser  # noqa: E402

from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.session import JournalSession  # noqa: E402
from tests.ui.action_walk import Watcher, every_action  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


@pytest.fixture
def empty_window(qtbot, tmp_path: Path):
    path = tmp_path / "new.sqlite3"
    session = JournalSession(path, journal=Journal.open(path))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    session.close()


def _action(win: MainWindow, name: str):
    return next(a for _w, a in every_action(win) if a.text().replace("&", "").rstrip("…") == name)


def test_an_empty_journal_shows_the_ways_to_start(qtbot, empty_window):
    win = empty_window
    assert win.timeline_stack.currentWidget() is win.welcome
    words = win.welcome.findChild(type(win.count_label)).text()
    for hint in ("Ctrl+N", "Add vendor", "Import", "demo"):
        assert hint in words
    win.session.store().vendors.add("Crestline")
    win.session.notify("vendor")
    qtbot.waitUntil(lambda: win.timeline_stack.currentWidget() is win.empty_hint)
    assert "No interactions" in win.empty_hint.text()
    win.vendor_view.setCurrentIndex(win.vendor_model.index(1))
    qtbot.waitUntil(lambda: "Crestline" in win.empty_hint.text())


def test_keyboard_shortcuts_lists_every_shortcut_of_every_action(qtbot, empty_window):
    win = empty_window
    watcher = Watcher(win)
    shown: list[str] = []

    def read_table() -> None:
        from PySide6.QtWidgets import QApplication

        dialog = QApplication.activeModalWidget()
        table = dialog.findChild(QTableWidget, "shortcutTable")
        shown.extend(table.item(r, 0).text() for r in range(table.rowCount()))

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, read_table)
    outcome = watcher.run(qtbot, _action(win, "Keyboard shortcuts").trigger)
    watcher.stop()
    assert outcome.dialogs and "Keyboard shortcuts" in outcome.dialogs[0]
    listed = ", ".join(shown)
    for _where, act in every_action(win):
        for seq in act.shortcuts():
            assert seq.toString(QKeySequence.SequenceFormat.NativeText) in listed, act.text()


def test_getting_started_explains_helpful_and_the_score(qtbot, empty_window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    win = empty_window
    text: list[str] = []
    QTimer.singleShot(0, lambda: text.append(
        QApplication.activeModalWidget().findChild(QTextBrowser).toPlainText()))
    watcher = Watcher(win)
    watcher.run(qtbot, _action(win, "Getting started").trigger)
    watcher.stop()
    assert "Helpful" in text[0] and "Transactional" in text[0] and "0 to 100" in text[0]


def test_panels_open_tabbed_at_a_usable_height(qtbot, empty_window):
    win = empty_window
    win.resize(1366, 740)
    qtbot.wait(20)
    _action(win, "Portfolio").trigger()
    _action(win, "Follow-ups").trigger()
    qtbot.wait(50)
    portfolio, followups = win._portfolio_dock, win._followups_dock
    assert win.tabifiedDockWidgets(followups) == [portfolio]
    assert followups.height() > 0.3 * win.height()


def test_a_vendor_window_fits_inside_the_screen(qtbot, empty_window):
    from PySide6.QtWidgets import QWidget

    from partnerdesk.ui.placement import place_window

    area = QGuiApplication.primaryScreen().availableGeometry()
    big = QWidget()
    qtbot.addWidget(big)
    big.resize(area.width() * 2, area.height() * 2)
    empty_window.move(area.right() - 50, area.bottom() - 50)
    place_window(big, empty_window)
    assert area.contains(big.frameGeometry().topLeft())
    assert big.width() <= area.width() and big.height() <= area.height()
    assert area.contains(big.geometry())


def test_down_in_the_search_box_moves_into_the_results(qtbot, empty_window):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    win = empty_window
    j = win.session.store()
    j.vendors.add("Crestline")
    win.session.notify("vendor")
    win.quick_log()
    form = win._quick_log.form
    form.vendor.setText("Crestline")
    form.summary.setText("Deal reg approved within the hour, and a long tail of words " * 3)
    form.set_tag("helpful")
    assert win._quick_log.save() is not None
    win.activateWindow()
    win.filters.search.setFocus()
    qtbot.waitUntil(win.filters.search.hasFocus)
    QTest.keyClicks(win.filters.search, "deal")
    QTest.keyClick(win.filters.search, Qt.Key.Key_Down)
    qtbot.waitUntil(win.table.hasFocus)
    assert win.selected_id() is not None
    summary = win.detail.form.summary
    qtbot.waitUntil(lambda: summary.text().startswith("Deal reg"))
    assert summary.cursorPosition() == 0 and summary.toolTip().startswith("Deal reg")
