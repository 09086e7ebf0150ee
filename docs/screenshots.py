#!/usr/bin/env python3
"""Take the README's window screenshots (and issue 11's proof set) under a real X server.

Opens the app on a journal as `partnerdesk` does, drives it through its own menu actions and
keys, and captures the whole screen (window manager frame included) with ImageMagick's
`import` after each step. Run it inside Xvfb with a window manager, one screen size at a time:

    Xvfb :64 -screen 0 1366x768x24 & DISPLAY=:64 openbox &
    DISPLAY=:64 XDG_CONFIG_HOME=$(mktemp -d) python docs/screenshots.py OUT --journal demo.sqlite3
    DISPLAY=:64 XDG_CONFIG_HOME=$(mktemp -d) python docs/screenshots.py OUT --journal new.sqlite3 \
        --shots empty
    # at 2x: Xvfb -screen 0 1600x1000x24 and QT_SCALE_FACTOR=2 in the environment

Shots: empty, main, search, dashboard, panels, quicklog, shortcuts, health (default: all but
empty). "health" is the README's health set on the demo's bought-out vendor: the dashboard and the
meeting brief maximised, and the portfolio floated along the top (1366x768 only).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

ALL = ["panels", "main", "search", "dashboard", "quicklog", "shortcuts", "health"]
BOUGHT_OUT = "Bluepeak Cloud"  # the demo's vendor bought by Meridian Telecom, then silent


def capture(path: Path, crop: str | None = None) -> None:
    """The whole screen, or its `crop` ('WxH+X+Y')."""
    QApplication.processEvents()
    subprocess.run(["import", "-window", "root", *(["-crop", crop] if crop else []), str(path)],
                   check=True)
    print(path)


def new_windows(w) -> list:  # noqa: ANN001
    return [t for t in QApplication.topLevelWidgets()
            if t is not w and t.isVisible() and t.isWindow()]


def maximised_shot(w, trigger: Callable[[], None], path: Path) -> None:  # noqa: ANN001
    """Open a window by its action, maximise it once its data is in, capture, close it."""
    trigger()
    wait(4000)  # computed on a worker
    for top in new_windows(w):
        top.showMaximized()
    wait(1500)
    capture(path)
    for top in new_windows(w):
        top.close()
    wait(300)


def wait(ms: int) -> None:
    # A local event loop, as the app's own: QTest.qWait keeps the GIL while it waits, which
    # starves the workers (a first dashboard sat on "Computing..." for all of a 12 s wait).
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def while_modal(then: Callable[[], None], shot: Path) -> None:
    """Capture `shot` once a modal dialog is up, then close it (exec() would block the script)."""
    def check() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(100, check)
            return
        QTimer.singleShot(700, lambda: (capture(shot), then(), box.close()))
    QTimer.singleShot(100, check)


def select_vendor(w, name: str) -> None:
    for row in range(w.vendor_model.rowCount()):
        if str(w.vendor_model.index(row).data()).startswith(name):
            w.vendor_view.setCurrentIndex(w.vendor_model.index(row))
            return


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--journal", type=Path, required=True)
    p.add_argument("--shots", nargs="+", default=ALL)
    p.add_argument("--suffix", default="", help="added to each file name, e.g. -2x")
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)

    from partnerdesk.ui.app import Launcher, make_app

    app = make_app()
    launcher = Launcher(app)
    if not launcher.open(a.journal):
        return 1
    w = launcher.window
    wait(2500)  # the first page, vendor counts, health dots
    name = lambda shot: a.out / f"{shot}{a.suffix}.png"  # noqa: E731

    if "empty" in a.shots:
        capture(name("empty-journal"))
    if "panels" in a.shots:
        select_vendor(w, "All vendors")
        w.act_followups.trigger()
        wait(1500)
        w.act_portfolio.trigger()
        wait(3000)
        capture(name("panels"))
        for dock in w.findChildren(QDockWidget):
            dock.close()
        wait(300)
    if "main" in a.shots:
        select_vendor(w, "Bluepeak Cloud")
        wait(800)
        w.table.setFocus()
        w.table.setCurrentIndex(w.timeline.index(0, 0))
        wait(500)
        capture(name("main-window"))
        QTest.keyClick(w.table, Qt.Key.Key_Return)  # Enter: the detail pane opens beside it
        wait(800)
        capture(name("main-window-detail"))
    if "search" in a.shots:
        select_vendor(w, "All vendors")
        w.filters.search.setFocus()
        QTest.keyClicks(w.filters.search, "residuals")
        w.filters.flush()
        wait(1200)
        capture(name("search-every-kind"))
        w.filters.search.clear()
        w.filters.flush()
        wait(500)
    if "dashboard" in a.shots:
        select_vendor(w, "Bluepeak Cloud")
        wait(500)
        w.act_dashboard.trigger()
        wait(12000)  # its scores are computed on a worker; a busy machine takes seconds
        capture(name("dashboard-from-menu"))
        for top in new_windows(w):
            top.close()
        wait(300)
    if "quicklog" in a.shots:
        select_vendor(w, "All vendors")
        wait(300)
        w.act_new.trigger()
        wait(500)
        form = w._quick_log.form
        form.vendor.setText("vant")
        form.summary.setText("Portal walkthrough with the new channel manager")
        form.set_tag("helpful")
        wait(300)
        capture(name("quick-log-typed"))
        done: list[bool] = []

        def answered() -> None:
            done.append(True)

        while_modal(answered, name("quick-log-unknown-vendor"))
        # Ctrl+Enter saves: the name is not in the journal, so "Which vendor?" asks first
        QTimer.singleShot(0, lambda: QTest.keyClick(w._quick_log, Qt.Key.Key_Return,
                                                      Qt.KeyboardModifier.ControlModifier))
        while not done:
            wait(100)
        wait(300)
        form.load_fields({"when": "now"})
        w._quick_log.hide()
    if "shortcuts" in a.shots:
        done2: list[bool] = []
        while_modal(lambda: done2.append(True), name("keyboard-shortcuts"))
        QTimer.singleShot(0, w.act_shortcuts.trigger)
        while not done2:
            wait(100)
    if "health" in a.shots:
        select_vendor(w, BOUGHT_OUT)
        wait(800)
        maximised_shot(w, w.act_dashboard.trigger, name("dashboard"))
        maximised_shot(w, w.act_brief.trigger, name("brief"))
        select_vendor(w, "All vendors")
        w.act_portfolio.trigger()
        wait(3000)
        for dock in w.findChildren(QDockWidget):
            if dock.isVisible() and "ortfolio" in dock.windowTitle():
                dock.setFloating(True)
                dock.setGeometry(0, 0, 1366, 392)
        wait(1500)
        capture(name("portfolio"), crop="1366x392+0+0")
        for dock in w.findChildren(QDockWidget):
            dock.close()
        wait(300)
    QMessageBox.question = lambda *_a, **_k: QMessageBox.StandardButton.Discard  # no ask at close
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
