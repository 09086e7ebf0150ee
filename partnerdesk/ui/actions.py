"""Making the window's actions, one line each, so a menu module (ours or another engineer's) adds an
entry with `add_menu_action(window, "View", "&Deals…", slot, "Ctrl+Shift+L", "What it does")`.

Every slot is called with no arguments: `triggered(bool)` would otherwise hand its `checked` flag
to a slot that takes a vendor id or a list of paths (the old "Vendor #False" dashboard).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow

# Menus in the order they appear; a menu named elsewhere is created before Help.
MENU_TITLES = {"File": "&File", "Edit": "&Edit", "View": "&View", "Vendor": "V&endor", "Help": "&Help"}


def make_action(window: Any, text: str, slot: Callable[[], Any], shortcut: Any = None,
                tip: str = "") -> QAction:
    act = QAction(text, window)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    if tip:
        act.setStatusTip(tip)
        act.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})" if shortcut else tip)
    act.triggered.connect(lambda _checked=False: slot())
    return act


def menu_named(window: MainWindow, name: str) -> QMenu:
    """The top-level menu called `name` ("File", "Vendor", ...), created if it is not there yet."""
    bar = window.menuBar()
    for act in bar.actions():
        if act.menu() is not None and act.text().replace("&", "") == name:
            return act.menu()
    menu = QMenu(MENU_TITLES.get(name, name), window)
    help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    return menu


def add_menu_action(window: MainWindow, menu: str, text: str, slot: Callable[..., Any],
                    shortcut: Any = None, tip: str = "", *, vendor: bool = False) -> QAction:
    """An action at the end of `menu`. With vendor=True the slot gets the selected vendor's id
    (the rep is told to pick one when none is selected) and the action is also in the vendor
    list's context menu."""
    if vendor:
        def run() -> None:
            vid = window.vendor_or_warn()
            if vid is not None:
                slot(vid)
        act = make_action(window, text, run, shortcut, tip)
        window.vendor_view.addAction(act)
    else:
        act = make_action(window, text, slot, shortcut, tip)
    menu_named(window, menu).addAction(act)
    return act
