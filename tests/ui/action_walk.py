"""Helpers that walk the window as a rep would: every action, every shortcut, every dialog closed.

A modal dialog would hang an offscreen test, so `Watcher` polls for the active modal widget,
records every word it shows and rejects it; windows an action opens are recorded and closed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDockWidget,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QWidget,
    QWidgetAction,
)

# An internal id shown to the rep ("Vendor #12", "#False") or a command-line flag ("--tag").
INTERNAL_ID = re.compile(r"#\s*(\d|False|True|None)")
CLI_FLAG = re.compile(r"(?<![\w-])--[a-z]")
TAGS = re.compile(r"<[^>]+>")


def words_of(widget: QWidget) -> list[str]:
    """Every sentence a widget shows: title, labels, message-box text, buttons, group titles."""
    texts = [widget.windowTitle()]
    if isinstance(widget, QMessageBox):
        texts += [widget.text(), widget.informativeText()]
    for label in widget.findChildren(QLabel):
        if label.isVisibleTo(widget):
            texts.append(label.text())
    for button in widget.findChildren(QAbstractButton):
        texts.append(button.text())
    for box in widget.findChildren(QGroupBox):
        texts.append(box.title())
    return [TAGS.sub("", t) for t in texts if t]


def bad_words(texts: list[str]) -> list[str]:
    return [t for t in texts if INTERNAL_ID.search(t) or CLI_FLAG.search(t)]


@dataclass
class Outcome:
    dialogs: list[list[str]] = field(default_factory=list)  # words of each modal dialog, in order
    windows: list[QWidget] = field(default_factory=list)
    window_words: list[str] = field(default_factory=list)
    docks: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # status-bar lines

    def anything(self) -> bool:
        return bool(self.dialogs or self.windows or self.docks or self.messages)

    def all_words(self) -> list[str]:
        return [w for d in self.dialogs for w in d] + self.window_words + self.messages

    def describe(self) -> str:
        return (f"dialogs={self.dialogs} windows={[type(w).__name__ for w in self.windows]} "
                f"docks={self.docks} messages={self.messages}")


class Watcher:
    """Closes modal dialogs as they appear (recording their words) while an action runs."""

    def __init__(self, window: QMainWindow):
        self.window = window
        self.outcome = Outcome()
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        # always on: a worker's late report (a backup's "Backed up" box) must not hang the test
        self.timer.start()
        window.statusBar().messageChanged.connect(self._message)

    def _message(self, text: str) -> None:
        if text:
            self.outcome.messages.append(text)

    def _tick(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            popup = QApplication.activePopupWidget()
            if isinstance(popup, QMenu):
                popup.close()
            return
        self.outcome.dialogs.append(words_of(modal))
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    def run(self, qtbot, trigger, settle_ms: int = 60) -> Outcome:
        """Trigger, let the event loop run a little, then record what opened and close it."""
        self.outcome = Outcome()
        self.window.statusBar().clearMessage()  # the same line said twice must be seen twice
        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        docks_before = {d.objectName() for d in self.window.findChildren(QDockWidget) if d.isVisible()}
        trigger()
        qtbot.wait(settle_ms)
        if not self.outcome.dialogs and not self.outcome.messages:
            # work on a worker (backup, check) reports when done: give it a few seconds
            self._wait_for_word(qtbot, before)
        new = [w for w in QApplication.topLevelWidgets()
               if w.isVisible() and id(w) not in before and not isinstance(w, QMenu)]
        if new:
            qtbot.wait(250)  # let a window's first worker report, so its failures show here
        for w in new:
            self.outcome.windows.append(w)
            self.outcome.window_words += words_of(w)
        self.outcome.docks = sorted(
            d.objectName() for d in self.window.findChildren(QDockWidget)
            if d.isVisible() and d.objectName() not in docks_before)
        return self.outcome

    def _wait_for_word(self, qtbot, before: set[int], seconds: float = 4.0) -> None:
        def something() -> bool:
            return bool(self.outcome.dialogs or self.outcome.messages or any(
                w.isVisible() and id(w) not in before and not isinstance(w, QMenu)
                for w in QApplication.topLevelWidgets()))
        try:
            qtbot.waitUntil(something, timeout=int(seconds * 1000))
        except Exception:
            pass  # the caller reports "nothing visible happened"

    def close_windows(self, qtbot) -> None:
        for w in self.outcome.windows:
            if w.isVisible():
                w.close()
        for d in self.window.findChildren(QDockWidget):
            d.hide()
        qtbot.wait(10)

    def stop(self) -> None:
        # Work an action started (a check, a backup) reports when done, often with a message
        # box: let it report while the timer still closes boxes, or it blocks the next test.
        from partnerdesk.ui import workers

        workers.settle()
        self.timer.stop()
        try:
            self.window.statusBar().messageChanged.disconnect(self._message)
        except (RuntimeError, TypeError):
            pass


def label(action: QAction, where: str) -> str:
    return f"{where} ▸ {action.text().replace('&', '')}"


def every_action(window: QMainWindow) -> list[tuple[str, QAction]]:
    """Each action a rep can reach: menus (with submenus filled as when opened), toolbars,
    context menus and shortcuts of any action that is a child of the window; each once."""
    found: list[tuple[str, QAction]] = []
    seen: set[int] = set()

    def add(action: QAction, where: str) -> None:
        if action.isSeparator() or isinstance(action, QWidgetAction) or id(action) in seen:
            return
        seen.add(id(action))
        if action.menu() is not None:
            walk(action.menu(), label(action, where))
            return
        if not action.text():
            return
        found.append((label(action, where), action))

    def walk(menu: QMenu, where: str) -> None:
        menu.aboutToShow.emit()  # menus filled on opening (Open recent) fill now
        for action in menu.actions():
            add(action, where)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.text().replace("&", ""))
    for bar in window.findChildren(QToolBar):
        for action in bar.actions():
            add(action, f"toolbar {bar.windowTitle()}")
    for widget in window.findChildren(QWidget):
        if widget.contextMenuPolicy() != Qt.ContextMenuPolicy.ActionsContextMenu:
            continue
        for action in widget.actions():
            add(action, f"{widget.accessibleName() or type(widget).__name__} context menu")
    for action in window.findChildren(QAction):
        if action.shortcuts():
            add(action, "shortcut")
    return found
