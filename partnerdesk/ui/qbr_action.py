"""Vendor ▸ QBR workspace… (Ctrl+Shift+B): the menu entry, kept apart from the window so that
building the main window does not import the workspace (its charts pull in numpy and pyqtgraph,
~0.7 s) before the rep asks for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction

SHORTCUT = "Ctrl+Shift+B"  # the brief (Ctrl+B), grown up


def open_qbr(window: Any, vendor_id: int) -> None:
    from partnerdesk.ui.menus.vendor_menu import open_vendor_window
    from partnerdesk.ui.qbr_view import QbrWorkspace

    open_vendor_window(window, QbrWorkspace, vendor_id)


def install_qbr_action(window: Any) -> QAction:
    """The entry, beside the meeting brief it grows out of; window.act_qbr."""
    from partnerdesk.ui.actions import add_menu_action, menu_named

    act = add_menu_action(window, "Vendor", "QBR &workspace…", lambda vid: open_qbr(window, vid),
                          SHORTCUT, "Last time, the numbers, an agenda of asks to edit and print, "
                          "and what was agreed", vendor=True)
    menu = menu_named(window, "Vendor")
    after = getattr(window, "act_questions", None)
    if after is not None and after in menu.actions():
        menu.removeAction(act)
        menu.insertAction(after, act)
    window.act_qbr = act
    return act
