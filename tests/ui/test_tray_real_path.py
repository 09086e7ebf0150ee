"""The tray as the rep reaches it: turned on from View ▸ Reminders and tray…, its menu and
notifications driven by a fake clock, a menu entry opening the interaction, and the menu
following a snooze made in the Follow-ups view."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox  # noqa: E402

from partnerdesk.services import followups as fu  # noqa: E402
from partnerdesk.ui.followup_dialogs import DayDialog  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.reminder_settings import ReminderSettings  # noqa: E402
from partnerdesk.ui.tray import install_followup_actions  # noqa: E402
from tests.helpers import draft  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


class Clock:
    def __init__(self, moment: datetime):
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def window(qtbot, session, journal, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # start-at-login entries
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    v = journal.vendors.add("Arcwave")
    journal.interactions.add(draft(v.id, "Older call", at=datetime(2026, 2, 1, 10, tzinfo=UTC)))
    qbr = journal.interactions.add(draft(v.id, "QBR", at=datetime(2026, 3, 1, 10, tzinfo=UTC)))
    fu.add_items(journal, qbr.id, [
        ("Old promise", date(2026, 3, 5), "vendor"),
        ("Send the MDF form", date(2026, 3, 9), "me"),
        ("Later", date(2026, 4, 1), "me"),
    ])
    journal.interactions.add(draft(v.id, "Newest call", at=datetime(2026, 3, 8, 10, tzinfo=UTC)))
    win = MainWindow(session)
    install_followup_actions(win)  # what the app does on start; the tray stays off by default
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.qbr_id = qbr.id
    yield win
    tray = getattr(win, "reminder_tray", None)
    if tray is not None:
        tray.quitting = True
        tray.stop()
    win.close()


def texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def answer(kind, fill) -> None:
    def go():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, go)
            return
        fill(dialog)

    QTimer.singleShot(0, go)


def turn_on(window) -> None:
    def fill(d: ReminderSettings) -> None:
        d.tray.click()
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    answer(ReminderSettings, fill)
    window.act_reminders.trigger()


def test_turned_on_from_the_menu_then_menu_notifications_and_opening_an_item(qtbot, window):
    assert window.reminder_tray is None  # off until the rep turns it on
    turn_on(window)
    tray = window.reminder_tray
    assert tray is not None and tray.active
    tray.clock = Clock(datetime(2026, 3, 9, 7, 0))
    tray.shown.clear()
    tray.state.said.clear()
    tray.refresh()
    tray.tick()
    assert texts(tray.menu)[:3] == [
        "1 due today · 1 overdue",
        "Overdue: Old promise — Arcwave",
        "Today: Send the MDF form — Arcwave",
    ]
    assert [n.title for n in tray.shown] == ["Follow-up due today"]
    tray.tick()
    assert len(tray.shown) == 1  # once per item, not every minute
    # An item in the tray menu opens the follow-ups and the interaction it came from.
    next(a for a in tray.menu.actions() if a.text().startswith("Overdue: Old promise")).trigger()
    assert window._followups_dock is not None and window._followups_dock.isVisible()
    qtbot.waitUntil(lambda: window.detail.item is not None
                    and window.detail.item.id == window.qbr_id, timeout=3000)
    assert window.selected_id() == window.qbr_id


def test_a_snooze_in_the_follow_ups_view_leaves_the_tray_menu(qtbot, window):
    turn_on(window)
    tray = window.reminder_tray
    tray.clock = Clock(datetime(2026, 3, 9, 9, 0))
    tray.refresh()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window._followups_dock.widget()
    view.clock = lambda: date(2026, 3, 9)
    view.refresh()
    view.tree.setFocus()
    sel = view.tree.selectionModel()
    for index in view._item_indexes():
        if view.model.item(index).what == "Old promise":
            sel.select(index, sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)

    def snooze(d):
        d.edit.setDate(date(2026, 4, 1))
        d.accept()

    answer(DayDialog, snooze)
    qtbot.keyClick(view.tree, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: texts(tray.menu)[0] == "1 due today", timeout=3000)
    assert not any("Old promise" in t for t in texts(tray.menu))
    # Ctrl+Z in the window brings it back to the tray as well.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: texts(tray.menu)[0] == "1 due today · 1 overdue", timeout=3000)


def test_turned_off_again_the_tray_stops(qtbot, window):
    turn_on(window)
    assert window.reminder_tray.active
    turn_on(window)  # the same click unticks it
    assert not window.reminder_tray.active
    assert not window.reminder_tray.timer.isActive()
