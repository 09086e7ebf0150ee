"""A registration's status history in the window: the vendor page's Registrations tab shows it
on the status cell; a status change adds to it and undo takes exactly that entry away."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from partnerdesk.store.journal import Journal
from partnerdesk.store.registration_history import histories
from tests.ui.test_ledger_views import _close, _window, filled, vendor_page  # noqa: F401

pytestmark = pytest.mark.usefixtures("private_state_dir")
STATUS = 3  # the Status column


def _stored(path: Path) -> list[list[str]]:
    with Journal.open(path) as j, j.reading() as c:
        return [[ch.status.value for ch in h] for _, h in sorted(histories(c).items())]


def test_status_history_on_the_vendor_page_and_undo(qtbot, filled):  # noqa: F811
    win = _window(qtbot, filled)
    _, page = vendor_page(win, "Acme Networks")
    panel = page.ledger_registrations
    page.ledger_tabs.setCurrentWidget(panel)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    model = panel.model
    tip = model.index(0, STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Status history: submitted 5 Jan 2026"
    panel.view.setFocus()
    panel.view.selectRow(0)
    QTest.keyClick(panel.view, Qt.Key.Key_S)
    QTest.keyClick(panel.view, Qt.Key.Key_A)
    assert _stored(filled) == [["submitted", "approved"], ["submitted"]]
    qtbot.waitUntil(lambda: "→ approved" in (model.index(0, STATUS).data(
        Qt.ItemDataRole.ToolTipRole) or ""), timeout=3000)
    win.act_undo.trigger()
    assert _stored(filled) == [["submitted"], ["submitted"]]  # as it was, not a third entry
    qtbot.waitUntil(lambda: model.index(0, STATUS).data(Qt.ItemDataRole.ToolTipRole)
                    == "Status history: submitted 5 Jan 2026", timeout=3000)
    win.act_redo.trigger()
    assert _stored(filled) == [["submitted", "approved"], ["submitted"]]
    _close(win)
