"""The tray: its menu and notifications with a fake clock, its actions, closing to the tray,
the settings dialog from the window's menu, and `partnerdesk quick` reaching a running window."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from partnerdesk.services import followups as fu  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.tray import install_followup_actions  # noqa: E402
from tests.helpers import draft  # noqa: E402

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
