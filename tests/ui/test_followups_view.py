"""The follow-ups view driven from the window as a rep would: open it with its shortcut, work the
list with the keyboard, answer its questions, undo."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from partnerdesk.domain.models import FollowUp  # noqa: E402
from partnerdesk.domain.vocab import FollowUpOwner  # noqa: E402
from partnerdesk.services import followups as fu  # noqa: E402
from partnerdesk.store import action_items as items_store  # noqa: E402
from partnerdesk.ui.followup_dialogs import DayDialog, DropDialog, RetireDialog  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from tests.helpers import draft, sqlite_rows  # noqa: E402
from tests.ui.modal import answer  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def filled(journal, qwest):
    century = journal.vendors.resolve("CenturyLink").id
    at = datetime(2026, 1, 5, 10, tzinfo=UTC)
    a = journal.interactions.add(
        draft(
            qwest,
            "QBR",
            at=at,
            follow_up=FollowUp(date(2026, 6, 1), "Send the revised quote", FollowUpOwner.VENDOR),
        )
    )
    fu.add_items(
        journal,
        a.id,
        [
            ("Book the demo", date(2026, 6, 20), "me"),
            ("Ancient ask", date(2025, 1, 10), "me"),
            ("Very old promise", date(2025, 3, 1), "vendor"),
        ],
    )
    b = journal.interactions.add(
        draft(
            century,
            "Portal call",
            at=at,
            follow_up=FollowUp(date(2026, 6, 15), "Renew certification", FollowUpOwner.ME),
        )
    )
    return a.id, b.id


@pytest.fixture
def window(qtbot, session, filled):
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def open_view(qtbot, win):
    """Ctrl+Shift+F, as the rep opens it; the view's day is pinned to TODAY."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    qtbot.keyClick(
        win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    view = win._followups_dock.widget()
    assert win._followups_dock.isVisible()
    view.clock = lambda: TODAY
    view.refresh()
    return view


def whats(view) -> list[str]:
    return [view.model.data(view.model.index(r, 4)) for r in range(view.model.rowCount())]


def select(qtbot, view, *texts: str) -> None:
    view.tree.setFocus()
    view.tree.clearSelection()
    sel = view.tree.selectionModel()
    for index in view._item_indexes():
        if view.model.item(index).what in texts:
            sel.select(index, sel.SelectionFlag.Select | sel.SelectionFlag.Rows)


def ctrl_z(qtbot, win) -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=2000)
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def states(db) -> dict[str, tuple[str, str]]:
    return {w: (s, r) for w, s, r in sqlite_rows(db, "SELECT what, state, reason FROM action_item")}


def test_the_list_sorts_by_due_says_overdue_and_groups(qtbot, window, db_path):
    view = open_view(qtbot, window)
    assert whats(view) == [
        "Ancient ask",
        "Very old promise",
        "Send the revised quote",
        "Renew certification",
        "Book the demo",
    ]
    state = [view.model.data(view.model.index(r, 1)) for r in range(5)]
    assert state == ["overdue", "overdue", "overdue", "due today", "open"]
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "Overdue by 521 days"
    assert view.summary.text() == "5 follow-ups open and snoozed · 3 overdue"
    view.group_box.setCurrentText("Vendor")
    groups = [view.model.index(r, 0).data() for r in range(view.model.rowCount())]
    assert groups == ["Qwest (4, 3 overdue)", "CenturyLink (1)"]
    view.group_box.setCurrentText("Owner")
    assert [view.model.index(r, 0).data() for r in range(view.model.rowCount())] == [
        "My to-do (3, 1 overdue)",
        "Vendor promise (2, 2 overdue)",
    ]
    # A selected group stands for all its items.
    view.tree.selectionModel().select(
        view.model.index(1, 0),
        view.tree.selectionModel().SelectionFlag.Select
        | view.tree.selectionModel().SelectionFlag.Rows,
    )
    assert {i.what for i in view.selected_items()} == {"Very old promise", "Send the revised quote"}


def test_done_drop_snooze_reschedule_from_the_keyboard_then_undo(qtbot, window, db_path):
    view = open_view(qtbot, window)
    before = sqlite_rows(db_path, "SELECT * FROM action_item ORDER BY id")
    select(qtbot, view, "Renew certification")
    qtbot.keyClick(view.tree, Qt.Key.Key_Space)
    assert states(db_path)["Renew certification"] == ("done", "")
    assert "Renew certification" not in whats(view)

    select(qtbot, view, "Send the revised quote")
    answer(DropDialog, lambda d: d.reason_edit.setCurrentText("vendor refused"))
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert states(db_path)["Send the revised quote"] == ("dropped", "vendor refused")

    select(qtbot, view, "Book the demo")
    answer(DayDialog, lambda d: d.edit.setDate(date(2026, 7, 1)))
    qtbot.keyClick(view.tree, Qt.Key.Key_S)
    assert sqlite_rows(
        db_path, "SELECT state, snoozed_until FROM action_item WHERE what = 'Book the demo'"
    ) == [("snoozed", "2026-07-01")]

    select(qtbot, view, "Ancient ask", "Very old promise")
    answer(DayDialog, lambda d: d.edit.setDate(date(2026, 8, 1)))
    qtbot.keyClick(view.tree, Qt.Key.Key_R)
    assert {
        r[0]
        for r in sqlite_rows(
            db_path, "SELECT due FROM action_item WHERE what IN ('Ancient ask', 'Very old promise')"
        )
    } == {"2026-08-01"}
    assert not view.error.isVisible()
    # Four changes, four undos (Ctrl+Z in the window), and everything is as it was.
    for _ in range(4):
        window.activateWindow()
        window.session.undo.undo()
    assert sqlite_rows(db_path, "SELECT * FROM action_item ORDER BY id") == before
    qtbot.waitUntil(lambda: "Renew certification" in whats(view), timeout=2000)
    window.session.undo.redo()
    assert states(db_path)["Renew certification"] == ("done", "")


def test_retire_everything_overdue_by_more_than_n_days_asks_once(qtbot, window, db_path):
    view = open_view(qtbot, window)
    seen: list[str] = []

    def fill(d):
        d.days_edit.setValue(60)
        seen.append(d.count.text())
        d.reason_edit.setCurrentText("no longer needed")

    answer(RetireDialog, fill)
    view.retire_button.click()
    assert seen == ["2 follow-ups will be dropped."]
    assert states(db_path)["Ancient ask"] == ("dropped", "no longer needed")
    assert states(db_path)["Very old promise"] == ("dropped", "no longer needed")
    assert states(db_path)["Send the revised quote"] == ("open", "")  # 14 days: kept
    assert window.session.undo.undoText().startswith("Retire 2 follow-ups")
    window.session.undo.undo()
    assert states(db_path)["Ancient ask"] == ("open", "")


def test_on_an_empty_journal_the_view_opens_and_does_nothing(qtbot, tmp_path):
    from partnerdesk.store.journal import Journal
    from partnerdesk.ui.session import JournalSession

    path = tmp_path / "empty.sqlite3"
    session = JournalSession(path, journal=Journal.open(path))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    view = open_view(qtbot, win)
    assert view.model.rowCount() == 0
    assert view.summary.text() == "0 follow-ups open and snoozed"
    assert not view.buttons["done"].isEnabled()
    qtbot.keyClick(view.tree, Qt.Key.Key_Space)  # nothing selected: nothing happens
    assert not view.error.isVisible()
    with session.store().reading() as conn:
        assert items_store.list_items(conn) == []
    win.close()
    session.close()


def test_three_follow_ups_in_one_quick_log_then_snooze_drop_retire_undo(qtbot, window, db_path):
    """The meeting flow end to end: Ctrl+N, type the interaction and three follow-ups (Enter keeps
    each one), Ctrl+Enter; then in the follow-ups view snooze one, drop one, retire the old."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window._quick_log
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    form = dialog.form
    form.vendor.setText("Qwest")
    form.summary.setFocus()
    qtbot.keyClicks(form.summary, "Partner QBR")
    qtbot.keyClick(form.summary, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    for due, what, vendor in (
        ("2026-06-20", "Send the MDF form", True),
        ("2026-06-25", "Share the roadmap", True),
        ("2026-07-01", "Book the exec sponsor call", False),
    ):
        form.follow_due.setFocus()
        qtbot.keyClicks(form.follow_due, due)
        qtbot.keyClick(form.follow_due, Qt.Key.Key_Tab)
        qtbot.keyClicks(form.follow_what, what)
        if vendor:
            form.vendor_promise.setChecked(True)
        if what != "Book the exec sponsor call":
            qtbot.keyClick(form.follow_what, Qt.Key.Key_Return)  # keep it, start the next
            assert form.follow_what.text() == "" and dialog.isVisible()
    assert "2 follow-ups kept" in dialog.more_follow_ups.label.text()
    qtbot.keyClick(form.follow_what, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible(), form.error.text()
    logged = sqlite_rows(db_path, "SELECT id FROM interaction WHERE summary = 'Partner QBR'")[0][0]
    assert sqlite_rows(
        db_path,
        "SELECT what, owner, due FROM action_item WHERE interaction_id = ? ORDER BY id",
        (logged,),
    ) == [
        ("Send the MDF form", "vendor", "2026-06-20"),
        ("Share the roadmap", "vendor", "2026-06-25"),
        ("Book the exec sponsor call", "me", "2026-07-01"),
    ]
    # One undo step for the whole entry.
    assert window.session.undo.undoText().startswith("Log “Partner QBR” with 3 follow-ups")

    view = open_view(qtbot, window)
    select(qtbot, view, "Share the roadmap")
    answer(DayDialog, lambda d: d.edit.setDate(date(2026, 9, 1)))
    qtbot.keyClick(view.tree, Qt.Key.Key_S)
    select(qtbot, view, "Send the MDF form")
    answer(DropDialog, lambda d: d.reason_edit.setCurrentText("superseded"))
    qtbot.keyClick(view.tree, Qt.Key.Key_X)
    answer(
        RetireDialog,
        lambda d: (d.days_edit.setValue(30), d.reason_edit.setCurrentText("no longer needed")),
    )
    view.retire_button.click()
    got = states(db_path)
    assert got["Share the roadmap"][0] == "snoozed"
    assert got["Send the MDF form"] == ("dropped", "superseded")
    assert got["Ancient ask"] == ("dropped", "no longer needed")
    assert got["Book the exec sponsor call"] == ("open", "")
    assert window.act_undo.text() == "&Undo Retire 2 follow-ups overdue by more than 30 days"
    for _ in range(3):  # Ctrl+Z in the window, as the rep undoes: retire, drop, snooze
        ctrl_z(qtbot, window)
    got = states(db_path)
    assert {got[w] for w in ("Share the roadmap", "Send the MDF form", "Ancient ask")} == {
        ("open", "")
    }
    ctrl_z(qtbot, window)  # the quick log entry itself, with its three follow-ups
    assert sqlite_rows(
        db_path, "SELECT count(*) FROM interaction WHERE summary = 'Partner QBR'"
    ) == [(0,)]
    assert sqlite_rows(
        db_path, "SELECT count(*) FROM action_item WHERE what LIKE 'Send the MDF%'"
    ) == [(0,)]


def test_keep_in_touch_cadence_shows_a_quiet_vendor(qtbot, window, db_path):
    from partnerdesk.ui.followup_dialogs import KeepInTouchDialog

    view = open_view(qtbot, window)
    assert not view.keep_in_touch.isVisible()

    def fill(d):
        d.vendor_box.setCurrentText("CenturyLink")
        d.days_edit.setValue(30)

    answer(KeepInTouchDialog, fill)
    view.touch_button.click()
    assert sqlite_rows(db_path, "SELECT every_days FROM keep_in_touch") == [(30,)]
    # Last contact 2026-01-05, today 2026-06-15: well past 30 days.
    assert view.keep_in_touch.isVisible()
    assert view.keep_in_touch.text() == "Time to get in touch: CenturyLink (every 30 days)"


def test_deleting_an_interaction_and_undoing_brings_back_all_its_follow_ups(
    qtbot, window, db_path, filled
):
    qa, _ = filled
    before = sqlite_rows(db_path, "SELECT * FROM action_item ORDER BY id")
    qtbot.waitUntil(lambda: window.timeline.row_of(qa) >= 0, timeout=3000)
    window.table.setCurrentIndex(window.timeline.index(window.timeline.row_of(qa), 0))
    assert window.selected_id() == qa
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert sqlite_rows(
        db_path, "SELECT count(*) FROM action_item WHERE interaction_id = ?", (qa,)
    ) == [(0,)]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sqlite_rows(db_path, "SELECT * FROM action_item ORDER BY id") == before


def test_esc_with_kept_follow_ups_asks_before_throwing_them_away(qtbot, window, monkeypatch):
    asked: list[str] = []

    def cancel(*args, **kwargs):
        asked.append(args[1])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    window.quick_log()
    dialog = window._quick_log
    form = dialog.form
    form.follow_due.setText("2026-07-01")
    form.follow_what.setText("Send the deck")
    dialog.more_follow_ups.keep_current()
    assert not form.has_typed_text() and dialog.more_follow_ups.items
    dialog.reject()
    assert asked == ["Discard this interaction?"] and dialog.isVisible()
    assert len(dialog.more_follow_ups.items) == 1
    dialog.more_follow_ups.clear()  # nothing left to ask about when the window closes
