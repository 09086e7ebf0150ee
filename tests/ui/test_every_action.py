"""Every action a rep can reach, triggered the way the rep would, in three situations.

The actions are found from the running window (menus, toolbars, context menus, shortcuts), so an
action added later is walked too. Each is triggered with a vendor selected, with "All vendors"
selected and on an empty journal; it must not raise, must not show an internal id or a
command-line flag, and must visibly do something: open a window or dialog, show a panel, or say
something in the status bar.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QAction, QKeySequence  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from partnerdesk.services.demo import generate  # noqa: E402
from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.ui.app import Launcher  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from tests.ui.action_walk import Watcher, bad_words, every_action  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")

# Actions whose whole effect is a change in place (the rep sees the list or the focus change).
IN_PLACE = {"Undo", "Redo", "Show archived vendors", "Find"}
# Actions this test cannot walk inside the window: Quit ends it (tested on its own below).
NOT_WALKED = {"Quit"}


def _plain(action: QAction) -> str:
    return action.text().replace("&", "").rstrip("…").strip()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    with Journal.open(path) as j:
        generate(j, interactions=300, vendors=4, seed=5, today=date(2026, 11, 20))
    return path


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    return tmp_path / "empty.sqlite3"


def _open(qtbot, qapp, path: Path) -> tuple[Launcher, MainWindow]:
    launcher = Launcher(qapp)
    assert launcher.open(path)
    win = launcher.window
    assert win is not None
    qtbot.addWidget(win)
    qtbot.waitUntil(win.isVisible)
    qtbot.wait(100)
    return launcher, win


def _close(launcher: Launcher, win: MainWindow) -> None:
    win.detail._dirty = False
    if win._quick_log is not None:
        win._quick_log.form.load_fields({"when": "now"})
        win._quick_log.hide()
    win.close()
    win.session.close()
    if launcher.guard is not None:
        launcher.guard.release()


def _activate(qtbot, win: MainWindow) -> None:
    """Keys go to the active window: bring the main window back after another one closed."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    win.table.setFocus()


def _walk(qtbot, win: MainWindow, situation: str, select_row: int | None) -> list[str]:
    problems: list[str] = []
    watcher = Watcher(win)
    try:
        for where, action in every_action(win):
            name = _plain(action)
            if name in NOT_WALKED or not action.isEnabled():
                continue
            if select_row is not None:
                win.vendor_view.setCurrentIndex(win.vendor_model.index(select_row))
            win.table.setFocus()
            with qtbot.captureExceptions() as exceptions:
                outcome = watcher.run(qtbot, action.trigger)
            if action.isCheckable() and action.isChecked():
                action.trigger()  # leave toggles as they were
            what = f"[{situation}] {where}"
            if exceptions:
                import traceback
                problems.append(f"{what}: raised {exceptions[0][1]!r}: "
                                + "".join(traceback.format_exception(*exceptions[0])[-6:]))
            bad = bad_words(outcome.all_words())
            if bad:
                problems.append(f"{what}: shows an internal id or a command-line flag: {bad}")
            if not outcome.anything() and name not in IN_PLACE and not action.isCheckable():
                problems.append(f"{what}: nothing visible happened")
            if situation == "vendor selected" and any("Pick a vendor" in m for m in outcome.messages):
                problems.append(f"{what}: asked to pick a vendor although one is selected")
            watcher.close_windows(qtbot)
            win.detail._dirty = False
    finally:
        watcher.stop()
    return problems


def test_every_action_with_a_vendor_selected_and_with_none(qtbot, qapp, demo_path):
    launcher, win = _open(qtbot, qapp, demo_path)
    try:
        problems = _walk(qtbot, win, "vendor selected", 1) + _walk(qtbot, win, "all vendors", 0)
    finally:
        _close(launcher, win)
    assert not problems, "\n".join(problems)


def test_every_action_on_an_empty_journal(qtbot, qapp, empty_path):
    launcher, win = _open(qtbot, qapp, empty_path)
    try:
        problems = _walk(qtbot, win, "empty journal", 0)
    finally:
        _close(launcher, win)
    assert not problems, "\n".join(problems)


def test_every_shortcut_reaches_its_action(qtbot, qapp, demo_path):
    """Pressing the keys triggers the action (no two actions share keys, none is swallowed)."""
    launcher, win = _open(qtbot, qapp, demo_path)
    watcher = Watcher(win)
    missed: list[str] = []
    try:
        keyed = [(w, a) for w, a in every_action(win) if a.shortcuts() and _plain(a) not in NOT_WALKED]
        assert len(keyed) >= 15
        seen_keys: dict[str, str] = {}
        for where, action in keyed:
            for seq in action.shortcuts():
                key = seq.toString(QKeySequence.SequenceFormat.PortableText)
                assert key not in seen_keys, f"{key} is both {seen_keys[key]} and {where}"
                seen_keys[key] = where
            if not action.isEnabled():
                continue
            win.vendor_view.setCurrentIndex(win.vendor_model.index(1))
            _activate(qtbot, win)
            fired: list[bool] = []
            action.triggered.connect(lambda *_a, f=fired: f.append(True))
            combo = action.shortcuts()[0][0]
            with qtbot.captureExceptions() as exceptions:
                watcher.run(qtbot, lambda c=combo: QTest.keyClick(
                    win.table, c.key(), c.keyboardModifiers()))
            assert not exceptions, f"{where}: raised {exceptions[0][1]!r}"
            if not fired:
                missed.append(f"{where} ({action.shortcut().toString()})")
            if action.isCheckable() and action.isChecked():
                action.trigger()
            watcher.close_windows(qtbot)
            win.detail._dirty = False
    finally:
        watcher.stop()
        _close(launcher, win)
    assert not missed, "shortcuts that did nothing: " + ", ".join(missed)


def test_dashboard_from_the_menu_shows_the_selected_vendor(qtbot, qapp, demo_path):
    from partnerdesk.ui.dashboard import VendorDashboard

    launcher, win = _open(qtbot, qapp, demo_path)
    watcher = Watcher(win)
    try:
        win.vendor_view.setCurrentIndex(win.vendor_model.index(2))
        chosen = win.selected_vendor_id()
        action = next(a for _w, a in every_action(win) if _plain(a) == "Dashboard")
        outcome = watcher.run(qtbot, action.trigger)
        boards = [w for w in outcome.windows if isinstance(w, VendorDashboard)]
        assert len(boards) == 1, outcome.describe()
        assert boards[0].vendor_id == chosen
        assert not outcome.dialogs
        watcher.close_windows(qtbot)
        _activate(qtbot, win)
        outcome = watcher.run(qtbot, lambda: QTest.keyClick(
            win.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        assert [type(w) for w in outcome.windows] == [VendorDashboard], outcome.describe()
        watcher.close_windows(qtbot)
    finally:
        watcher.stop()
        _close(launcher, win)


def test_quit_closes_the_window(qtbot, qapp, demo_path):
    launcher, win = _open(qtbot, qapp, demo_path)
    try:
        action = next(a for _w, a in every_action(win) if _plain(a) == "Quit")
        action.trigger()
        assert not win.isVisible()
    finally:
        _close(launcher, win)


def test_an_action_added_later_is_walked_too(qtbot, qapp, empty_path):
    """The walk reads the running window, not a list: an action another module adds to a menu,
    a submenu, a toolbar or a context menu (a QBR workspace, say) is found without editing
    this test."""
    from PySide6.QtWidgets import QToolBar

    launcher, win = _open(qtbot, qapp, empty_path)
    try:
        menu = next(a.menu() for a in win.menuBar().actions() if a.menu() is not None)
        in_menu = menu.addAction("Workspace added later")
        sub = menu.addMenu("A later submenu")
        in_sub = sub.addAction("Deep action added later")
        bar = win.findChild(QToolBar)
        in_bar = QAction("Toolbar action added later", win)
        bar.addAction(in_bar)
        in_context = QAction("Context action added later", win.vendor_view)
        win.vendor_view.addAction(in_context)
        found = {id(a) for _where, a in every_action(win)}
        for action in (in_menu, in_sub, in_bar, in_context):
            assert id(action) in found, action.text()
    finally:
        _close(launcher, win)
