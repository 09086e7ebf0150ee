"""The follow-ups view: vendor promises apart from own to-dos, overdue said in words, mark done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.domain.when import local_now
from partnerdesk.ui.followups_view import FollowUpsView

TODAY = local_now().date()


def log(store, vendor_id: int, summary: str, due: date | None, what: str = "",
        owner: FollowUpOwner = FollowUpOwner.ME, days_ago: int = 10):
    when = datetime.combine(TODAY - timedelta(days=days_ago), time(10, 0)).astimezone()
    fu = FollowUp(due=due, what=what, owner=owner) if due else None
    return store.interactions.add(InteractionDraft(vendor_id=vendor_id, occurred_at=when,
                                                   summary=summary, tag=Tag.HELPFUL, follow_up=fu))


@pytest.fixture
def items(session, qwest):
    store = session.store()
    century = store.vendors.resolve("CenturyLink").id
    store.vendors.set_acquirer(qwest, century, date(2011, 4, 1))
    return {
        "quote": log(store, qwest, "Pricing call", TODAY - timedelta(days=3),
                     "Send the revised quote", FollowUpOwner.VENDOR),
        "mdf": log(store, century, "QBR", TODAY + timedelta(days=5), "MDF approval",
                   FollowUpOwner.VENDOR),
        "chase": log(store, qwest, "Asked about deal registration", TODAY - timedelta(days=1)),
        "today": log(store, century, "Portal training", TODAY, "Book the session"),
        "none": log(store, qwest, "No follow-up here", None),
    }


def texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_promises_apart_from_todos(session, shown, items):
    view = shown(FollowUpsView(session))
    day = TODAY.isoformat
    assert texts(view.promises, 2) == ["Send the revised quote", "MDF approval"]
    # no "what" given: the interaction's summary stands in
    assert texts(view.todos, 2) == ["Asked about deal registration", "Book the session"]
    assert texts(view.promises, 1) == ["Qwest (CenturyLink)", "CenturyLink"]
    assert view.promises_label.text() == "&Vendor promises (2)"
    assert view.todos_label.text() == "My &to-dos (2)"
    assert view.summary.text() == "4 open · 2 overdue"
    assert texts(view.promises, 3)[0] == (TODAY - timedelta(days=10)).isoformat()  # "from"
    assert day() in texts(view.todos, 0)[1] and texts(view.todos, 0)[1].endswith("· today")


def test_overdue_in_words_and_red(session, shown, items):
    view = shown(FollowUpsView(session))
    overdue, later = view.promises.index(0, 0), view.promises.index(1, 0)
    assert overdue.data() == f"{(TODAY - timedelta(days=3)).isoformat()} · overdue"
    assert overdue.data(Qt.ItemDataRole.ToolTipRole) == "Overdue by 3 days"
    assert overdue.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "overdue" not in later.data()
    assert later.data(Qt.ItemDataRole.ForegroundRole) is None
    assert later.data(Qt.ItemDataRole.ToolTipRole) == "Due in 5 days"


def test_show_overdue_only(session, shown, items):
    view = shown(FollowUpsView(session))
    view.overdue_only.setFocus()
    QTest.keyClick(view.overdue_only, Qt.Key.Key_Space)
    assert texts(view.promises, 2) == ["Send the revised quote"]
    assert texts(view.todos, 2) == ["Asked about deal registration"]
    assert QSettings().value("followups/overdue_only", type=bool) is True
    again = FollowUpsView(session)  # remembered
    assert again.overdue_only.isChecked()


def test_mark_done_with_the_button(session, shown, items, changes):
    view = shown(FollowUpsView(session))
    assert not view.mark_done.isEnabled()
    view.todos_view.setFocus()
    view.todos_view.selectRow(0)
    assert view.mark_done.isEnabled()
    view.mark_done.click()
    chase = items["chase"]
    assert session.store().interactions.get(chase.id).follow_up.done_at is not None
    key = int(chase.occurred_at.timestamp())
    assert changes == [("interaction", {"updated": [(chase.id, key)]})]
    assert texts(view.todos, 2) == ["Book the session"]
    # the cursor stays put, so the next one is a key press away
    assert [i.row() for i in view.todos_view.selectionModel().selectedRows()] == [0]


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_mark_done_from_the_keyboard(session, shown, items, key):
    view = shown(FollowUpsView(session))
    view.promises_view.setFocus()
    QTest.keyClick(view.promises_view, Qt.Key.Key_Down)  # a row under the cursor is selected
    assert [i.row() for i in view.promises_view.selectionModel().selectedRows()] == [1]
    QTest.keyClick(view.promises_view, key)
    assert texts(view.promises, 2) == ["Send the revised quote"]
    assert session.store().interactions.get(items["mdf"].id).follow_up.done_at is not None


def test_tabbing_into_a_list_selects_the_row_space_will_mark(session, shown, items):
    view = shown(FollowUpsView(session))
    view.mark_done.setFocus()
    QTest.keyClick(view.mark_done, Qt.Key.Key_Tab)
    assert view.promises_view.hasFocus()
    assert [i.row() for i in view.promises_view.selectionModel().selectedRows()] == [0]
    QTest.keyClick(view.promises_view, Qt.Key.Key_Space)
    assert session.store().interactions.get(items["quote"].id).follow_up.done_at is not None


def test_one_list_at_a_time(session, shown, items):
    view = shown(FollowUpsView(session))
    view.promises_view.setFocus()
    view.promises_view.selectRow(0)
    view.todos_view.setFocus()
    view.todos_view.selectRow(1)
    assert not view.promises_view.selectionModel().hasSelection()
    view.mark_done.click()
    assert session.store().interactions.get(items["today"].id).follow_up.done_at is not None
    assert session.store().interactions.get(items["quote"].id).follow_up.done_at is None


def test_double_click_opens_the_interaction(session, shown, qtbot, items):
    view = shown(FollowUpsView(session))
    pos = view.todos_view.visualRect(view.todos.index(1, 2)).center()
    QTest.mouseClick(view.todos_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    with qtbot.waitSignal(view.open_interaction, timeout=1000) as got:
        QTest.mouseDClick(view.todos_view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert got.args == [items["today"].id]


def test_follows_changes_made_elsewhere(session, shown, qtbot, items, qwest):
    view = shown(FollowUpsView(session))
    new = log(session.store(), qwest, "Call back", TODAY + timedelta(days=1), "Send deck")
    session.notify("interaction", {"added": [(new.id, int(new.occurred_at.timestamp()))]})
    assert "Send deck" not in texts(view.todos, 2)  # not inside notify: the timeline goes first
    qtbot.waitUntil(lambda: "Send deck" in texts(view.todos, 2), timeout=1000)
    session.store().vendors.update(qwest, name="Qwest Corp")
    session.notify("vendor", [qwest])
    qtbot.waitUntil(lambda: texts(view.promises, 1)[0] == "Qwest Corp (CenturyLink)", timeout=1000)


def test_a_hidden_view_catches_up_when_shown(session, shown, qtbot, items, qwest):
    view = shown(FollowUpsView(session))
    view.hide()
    new = log(session.store(), qwest, "Call back", TODAY + timedelta(days=1), "Send deck")
    session.notify("interaction", {"added": [(new.id, int(new.occurred_at.timestamp()))]})
    qtbot.wait(100)
    assert "Send deck" not in texts(view.todos, 2)
    view.show()
    assert "Send deck" in texts(view.todos, 2)


def test_a_long_backlog_says_how_much_is_not_shown(session, shown, items, monkeypatch):
    monkeypatch.setattr("partnerdesk.ui.followups_view.LIMIT", 2)
    view = shown(FollowUpsView(session))
    assert view.summary.text() == "showing the 2 due soonest of 4 open"


def test_failure_is_shown_not_thrown(session, shown, items):
    view = shown(FollowUpsView(session))
    view.todos_view.setFocus()
    view.todos_view.selectRow(0)
    session.store().interactions.delete(items["chase"].id)  # gone behind the view's back
    view.mark_done.click()
    assert view.error.isVisible()
    assert view.error.text() == f"Interaction #{items['chase'].id} has no follow-up to mark."


def test_narrow_dock_keeps_what_visible(session, shown, items):
    view = shown(FollowUpsView(session))
    view.resize(360, 500)
    QTest.qWait(20)
    assert view.todos_view.isColumnHidden(3)  # "From" steps aside
    view.resize(900, 500)
    QTest.qWait(20)
    assert not view.todos_view.isColumnHidden(3)
