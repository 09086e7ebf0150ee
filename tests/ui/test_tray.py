"""The tray: its menu and notifications with a fake clock, its actions, closing to the tray,
the settings dialog from the window's menu (View ▸ Reminders and tray…), a menu entry opening
its interaction, and the menu following a snooze made in the Follow-ups view and its undo."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox  # noqa: E402

from partnerdesk.services import followups as fu  # noqa: E402
from partnerdesk.ui.followup_dialogs import DayDialog  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.reminder_settings import ReminderSettings  # noqa: E402
from partnerdesk.ui.tray import install_followup_actions  # noqa: E402
from tests.helpers import draft  # noqa: E402
from tests.ui.modal import answer  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


class Clock:
    def __init__(self, moment: datetime):
        self.now = moment

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def window(qtbot, session, journal):
    v = journal.vendors.add("Arcwave")
    it = journal.interactions.add(draft(v.id, "QBR", at=datetime(2026, 3, 1, 10, tzinfo=UTC)))
    fu.add_items(
        journal,
        it.id,
        [
            ("Old promise", date(2026, 3, 5), "vendor"),
            ("Send the MDF form", date(2026, 3, 9), "me"),
            ("Later", date(2026, 4, 1), "me"),
        ],
    )
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    tray = getattr(win, "reminder_tray", None)
    if tray is not None:
        tray.quitting = True
        tray.stop()
    win.close()


def texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_off_by_default(window):
    assert install_followup_actions(window) is None
    assert window.reminder_tray is None
    assert window.act_reminders.text() == "&Reminders and tray…"
    view_menu = next(
        a.menu()
        for a in window.menuBar().actions()
        if a.menu() and window.act_followups in a.menu().actions()
    )
    assert window.act_reminders in view_menu.actions()


def test_menu_and_notifications_follow_the_clock(qtbot, window):
    clock = Clock(datetime(2026, 3, 9, 7, 0))
    QSettings().setValue("tray/enabled", True)
    QSettings().setValue("tray/digest", True)
    QSettings().setValue("tray/digest_time", "08:30")
    tray = install_followup_actions(window, clock)
    assert tray is not None and window.reminder_tray is tray
    assert texts(tray.menu)[:3] == [
        "1 due today · 1 overdue",
        "Overdue: Old promise — Arcwave",
        "Today: Send the MDF form — Arcwave",
    ]
    assert "&Log an interaction…" in texts(tray.menu) and "Add a &follow-up…" in texts(tray.menu)
    assert [n.title for n in tray.shown] == ["Follow-up due today"]
    tray.tick()
    assert len(tray.shown) == 1  # once per item, not every minute
    clock.now = datetime(2026, 3, 9, 8, 31)
    tray.tick()
    assert [n.title for n in tray.shown][1:] == ["Good morning: 1 due today · 1 overdue"]
    # The next day: the item due yesterday is newly overdue and said once.
    clock.now = datetime(2026, 3, 10, 7, 0)
    tray.tick()
    assert (
        tray.shown[-1].title == "Overdue follow-up" and "Send the MDF form" in tray.shown[-1].body
    )
    assert texts(tray.menu)[0] == "2 overdue"
    # What was said survives a restart of the tray (kept in the settings).
    again = install_followup_actions(window, clock)
    assert again is tray
    from partnerdesk.ui.tray import ReminderTray

    fresh = ReminderTray(window, clock)
    assert fresh.state.said == tray.state.said


def test_tray_actions_open_the_quick_log_and_follow_ups(qtbot, window):
    QSettings().setValue("tray/enabled", True)
    tray = install_followup_actions(window, Clock(datetime(2026, 3, 9, 9, 0)))
    tray.act_add.trigger()
    dialog = window._quick_log
    assert dialog is not None and dialog.isVisible()
    assert dialog.focusWidget() is dialog.form.follow_due
    dialog.reject()
    next(a for a in tray.menu.actions() if a.text() == "Open f&ollow-ups").trigger()
    assert window._followups_dock is not None and window._followups_dock.isVisible()


def test_closing_the_window_keeps_the_tray_and_says_so_once(qtbot, window):
    QSettings().setValue("tray/enabled", True)
    tray = install_followup_actions(window, Clock(datetime(2026, 3, 9, 9, 0)))
    tray.tray_available = True  # offscreen has no tray; a desktop with one behaves like this
    before = len(tray.shown)
    window.close()
    assert not window.isVisible() and tray.active
    assert [n.title for n in tray.shown[before:]] == ["partnerdesk is still running"]
    tray.show_window()
    window.close()
    assert len(tray.shown) == before + 1  # said once
    tray.quitting = True  # what Quit in the tray menu sets before it closes the window for good
    tray.show_window()
    window.close()
    assert not window.isVisible() and len(tray.shown) == before + 1


# -- the rep's path: turned on from the menu, driven by a fake clock -------------------------


def turn_on(window) -> None:
    def fill(d: ReminderSettings) -> None:
        d.tray.click()
        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    answer(ReminderSettings, fill, accept=False)
    window.act_reminders.trigger()


def test_turned_on_from_the_menu_then_menu_notifications_and_opening_an_item(
        qtbot, window, journal, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # start-at-login entries
    vid = journal.vendors.resolve("Arcwave").id
    qbr = next(i.id for i in journal.interactions.list() if i.summary == "QBR")
    for summary, day in (("Older call", 1), ("Newest call", 8)):  # the QBR is not the only row
        journal.interactions.add(draft(vid, summary, at=datetime(2026, 3, day, 10, tzinfo=UTC)))
    window.reload()
    install_followup_actions(window)  # what the app does on start
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
                    and window.detail.item.id == qbr, timeout=3000)
    assert window.selected_id() == qbr


def test_a_snooze_in_the_follow_ups_view_leaves_the_tray_menu(qtbot, window, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    install_followup_actions(window)
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

    answer(DayDialog, lambda d: d.edit.setDate(date(2026, 4, 1)))
    qtbot.keyClick(view.tree, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: texts(tray.menu)[0] == "1 due today", timeout=3000)
    assert not any("Old promise" in t for t in texts(tray.menu))
    # Ctrl+Z in the window brings it back to the tray as well.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: texts(tray.menu)[0] == "1 due today · 1 overdue", timeout=3000)


def test_turned_off_again_the_tray_stops(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    install_followup_actions(window)
    turn_on(window)
    assert window.reminder_tray.active
    turn_on(window)  # the same click unticks it
    assert not window.reminder_tray.active
    assert not window.reminder_tray.timer.isActive()
