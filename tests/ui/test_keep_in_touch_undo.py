"""Keep-in-touch cadences set from the window (Vendor ▸ Keep in touch…, or the Follow-ups view's
button) are undone and redone with Edit ▸ Undo / Redo, as the rep would press them."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from partnerdesk.services import followups as fu  # noqa: E402
from partnerdesk.ui.followup_dialogs import KeepInTouchDialog  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from tests.helpers import draft, sqlite_rows  # noqa: E402
from tests.ui.modal import answer  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")
TODAY = date(2026, 6, 15)


@pytest.fixture
def window(session, journal, qwest, shown):
    century = journal.vendors.resolve("CenturyLink").id
    journal.interactions.add(draft(century, "Portal call", at=datetime(2026, 1, 5, tzinfo=UTC)))
    win = shown(MainWindow(session))
    yield win
    win.close()


def answer_cadence(days: int, vendor: str | None = None) -> list[str]:
    """Answer the next Keep in touch dialog as a rep would; returns the vendor it offered."""
    offered: list[str] = []

    def fill(dialog: KeepInTouchDialog) -> None:
        offered.append(dialog.vendor_box.currentText())
        if vendor is not None:
            dialog.vendor_box.setCurrentText(vendor)
        dialog.days_edit.setValue(days)

    answer(KeepInTouchDialog, fill)
    return offered


def cadences(db_path) -> list[tuple[str, int]]:
    return sqlite_rows(db_path, "SELECT v.name, k.every_days FROM keep_in_touch k"
                                " JOIN vendor v ON v.id = k.vendor_id ORDER BY v.name")


def select_vendor(win, vendor_id: int) -> None:
    win.vendor_view.setCurrentIndex(win.vendor_model.index(win.vendor_model.row_of(vendor_id)))


def press(qtbot, win, key, mods=Qt.KeyboardModifier.ControlModifier) -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    qtbot.keyClick(win, key, mods)


def test_set_from_the_vendor_menu_then_undo_and_redo(qtbot, window, db_path, qwest):
    select_vendor(window, qwest)
    offered = answer_cadence(21)
    window.act_keep_in_touch.trigger()
    assert offered == ["Qwest"]  # the selected vendor
    assert cadences(db_path) == [("Qwest", 21)]
    assert "Keep in touch with Qwest every 21 days" in window.statusBar().currentMessage()
    assert window.act_undo.text() == "&Undo Keep in touch with Qwest every 21 days"
    press(qtbot, window, Qt.Key.Key_Z)
    assert cadences(db_path) == []
    press(qtbot, window, Qt.Key.Key_Z,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert cadences(db_path) == [("Qwest", 21)]


def test_clearing_from_the_follow_ups_view_then_undo_brings_the_old_cadence_back(
        qtbot, window, journal, db_path):
    century = journal.vendors.resolve("CenturyLink").id
    fu.set_cadence(journal, century, 30)
    press(qtbot, window, Qt.Key.Key_F,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window._followups_dock.widget()
    view.clock = lambda: TODAY
    view.refresh()
    assert view.keep_in_touch.text() == "Time to get in touch: CenturyLink (every 30 days)"
    answer_cadence(0, "CenturyLink")
    view.touch_button.click()
    assert cadences(db_path) == []
    assert not view.keep_in_touch.isVisible()
    assert window.act_undo.text() == "&Undo Stop the keep-in-touch reminder for CenturyLink"
    press(qtbot, window, Qt.Key.Key_Z)
    assert cadences(db_path) == [("CenturyLink", 30)]
    qtbot.waitUntil(view.keep_in_touch.isVisible, timeout=3000)  # the view follows the undo


def test_changing_one_vendor_leaves_the_others_and_undo_restores_the_old_value(
        qtbot, window, journal, db_path, qwest):
    century = journal.vendors.resolve("CenturyLink").id
    fu.set_cadence(journal, qwest, 14)
    fu.set_cadence(journal, century, 30)
    select_vendor(window, century)
    answer_cadence(60)
    window.act_keep_in_touch.trigger()
    assert cadences(db_path) == [("CenturyLink", 60), ("Qwest", 14)]
    press(qtbot, window, Qt.Key.Key_Z)
    assert cadences(db_path) == [("CenturyLink", 30), ("Qwest", 14)]


def test_the_same_value_again_changes_nothing_and_adds_no_undo_step(
        qtbot, window, journal, db_path, qwest):
    fu.set_cadence(journal, qwest, 14)
    select_vendor(window, qwest)
    before = window.session.undo.count()
    answer_cadence(14)
    window.act_keep_in_touch.trigger()
    assert window.session.undo.count() == before
    assert cadences(db_path) == [("Qwest", 14)]


def test_with_no_vendor_selected_the_rep_is_asked_to_pick_one(qtbot, window, db_path):
    window.vendor_view.setCurrentIndex(window.vendor_model.index(0))  # All vendors
    before = window.session.undo.count()
    window.act_keep_in_touch.trigger()
    assert window.statusBar().currentMessage() == "Pick a vendor in the list on the left first."
    assert cadences(db_path) == [] and window.session.undo.count() == before
