"""The timeline's Follow-up column shows every action item of an interaction, state by state,
read in one batched query per page."""

from __future__ import annotations

import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from partnerdesk.services import followups as fu  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.timeline_model import COL_FOLLOW  # noqa: E402
from tests.helpers import draft  # noqa: E402
from tests.three_items import DEMO, MDF, PRICES, QUOTE, ROADMAP, three_items  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


@pytest.fixture
def window(session, shown):
    win = shown(MainWindow(session))
    yield win
    win.close()


def cell(win, interaction_id, role=Qt.ItemDataRole.DisplayRole):
    model = win.timeline
    row = model.row_of(interaction_id)
    assert row >= 0
    return model.data(model.index(row, COL_FOLLOW), role)


def test_the_column_headlines_the_most_pressing_item_and_lists_all_in_its_tooltip(
        qtbot, journal, qwest, session):
    iid = three_items(journal, qwest)
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.timeline.rowCount() == 1, timeout=3000)
    assert cell(win, iid) == f"overdue 2025-01-10 · {QUOTE} (+4 more)"
    tip = cell(win, iid, Qt.ItemDataRole.ToolTipRole).split("\n")
    assert tip == [
        f"{QUOTE} — vendor's promise, overdue since 2025-01-10",
        f"{DEMO} — my to-do, due 2099-06-20",
        f"{ROADMAP} — vendor's promise, dropped: vendor refused",
        f"{PRICES} — my to-do, done",
        f"{MDF} — vendor's promise, overdue since 2025-03-01, snoozed until 2099-01-01",
    ]
    assert isinstance(cell(win, iid, Qt.ItemDataRole.ForegroundRole).color(), QColor)
    win.close()


def test_closing_items_from_the_follow_ups_list_updates_the_column(qtbot, journal, qwest, window):
    iid = three_items(journal, qwest)
    plain = journal.interactions.add(draft(qwest, "No asks")).id
    window.reload()
    qtbot.waitUntil(lambda: window.timeline.rowCount() == 2, timeout=3000)
    assert cell(window, plain) == ""
    assert cell(window, plain, Qt.ItemDataRole.ForegroundRole) is None
    open_ids = [i.id for i in fu.items_of(journal, iid) if i.is_open]
    fu.mark_done(journal, open_ids)
    window.session.notify("action_item", open_ids)  # what the follow-ups view says after a change
    # Every item closed: the first one added heads the cell, none is overdue any more.
    qtbot.waitUntil(lambda: cell(window, iid) == f"done · {QUOTE} (+4 more)", timeout=3000)
    assert cell(window, iid, Qt.ItemDataRole.ForegroundRole) is None
    assert "overdue" not in cell(window, iid, Qt.ItemDataRole.ToolTipRole)


def test_a_page_reads_its_action_items_in_one_query(qtbot, journal, qwest, window):
    for n in range(600):
        i = journal.interactions.add(draft(qwest, f"Call {n}"))
        if n % 3 == 0:
            fu.add_items(journal, i.id, [("Ask", i.occurred_at.date(), "me")] * 2)
    window.reload()
    qtbot.waitUntil(lambda: window.timeline.rowCount() == 600, timeout=5000)
    reader = window.session.reader
    seen: list[str] = []
    reader.conn.set_trace_callback(seen.append)
    try:
        window.timeline.refresh_rows()
        model = window.timeline
        texts = [model.data(model.index(r, COL_FOLLOW)) for r in range(0, 500)]
    finally:
        reader.conn.set_trace_callback(None)
    assert sum("FROM action_item" in s for s in seen) == 1
    assert sum(t.endswith("(+1 more)") for t in texts) >= 160


def test_the_detail_pane_lists_every_item_and_follows_changes(qtbot, journal, qwest, window):
    iid = three_items(journal, qwest)
    window.reload()
    qtbot.waitUntil(lambda: window.timeline.rowCount() == 1, timeout=3000)
    rect = window.table.visualRect(window.timeline.index(0, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.detail.item is not None and window.detail.item.id == iid)
    lines = window.detail.items.text().split("\n")
    assert lines[0] == "5 action items:"
    assert lines[1:] == [
        f"• {QUOTE} — vendor's promise, overdue since 2025-01-10",
        f"• {DEMO} — my to-do, due 2099-06-20",
        f"• {ROADMAP} — vendor's promise, dropped: vendor refused",
        f"• {PRICES} — my to-do, done",
        f"• {MDF} — vendor's promise, overdue since 2025-03-01, snoozed until 2099-01-01",
    ]
    demo = next(i.id for i in fu.items_of(journal, iid) if i.what == DEMO)
    fu.mark_done(journal, [demo])
    window.session.notify("action_item", [demo])
    assert f"• {DEMO} — my to-do, done" in window.detail.items.text()


def test_an_interaction_without_items_shows_no_item_list(qtbot, journal, qwest, window):
    journal.interactions.add(draft(qwest, "No asks"))
    window.reload()
    qtbot.waitUntil(lambda: window.timeline.rowCount() == 1, timeout=3000)
    rect = window.table.visualRect(window.timeline.index(0, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.detail.item is not None)
    assert window.detail.items.isHidden() and window.detail.items.text() == ""


def test_the_brief_opened_with_ctrl_b_shows_every_item_of_a_recent_interaction(
        qtbot, journal, qwest, window):
    from PySide6.QtWidgets import QApplication

    from partnerdesk.ui.brief_view import BriefView

    three_items(journal, qwest)
    window.reload()
    window.vendor_view.setCurrentIndex(window.vendor_model.index(window.vendor_model.row_of(qwest)))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)

    def brief():
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, BriefView) and w.data is not None), None)

    qtbot.waitUntil(lambda: brief() is not None, timeout=15000)
    view = brief()
    summary = view.recent.model.rows[0][3]
    assert summary.startswith("QBR with five asks — ")
    for text in (f"{QUOTE} — vendor's promise, overdue since 2025-01-10",
                 f"{ROADMAP} — vendor's promise, dropped: vendor refused",
                 f"{PRICES} — my to-do, done", "snoozed until 2099-01-01", DEMO):
        assert text in summary
    assert [r[1] for r in view.promises.model.rows] == [MDF, QUOTE]
    assert view.promises.model.marked == [True, True]
    assert "snoozed until" in view.promises.model.rows[0][0]
    assert [r[1] for r in view.todos.model.rows] == [DEMO]
    view.close()


def test_the_open_follow_ups_filter_reads_every_item_not_only_the_first(
        qtbot, journal, qwest, window):
    closed_first = journal.interactions.add(draft(qwest, "First done, second open")).id
    added = fu.add_items(journal, closed_first, [
        ("Already sent", date(2025, 1, 2), "me"),
        ("Still to do", date(2099, 1, 2), "vendor")]).after
    done = added[0].id
    fu.mark_done(journal, [done])
    snoozed_only = journal.interactions.add(draft(qwest, "Snoozed only")).id
    [s] = fu.add_items(journal, snoozed_only, [("Later", date(2025, 1, 2), "me")]).after
    fu.snooze(journal, [s.id], date(2099, 1, 1), date(2025, 6, 1))
    all_closed = journal.interactions.add(draft(qwest, "All closed")).id
    [c] = fu.add_items(journal, all_closed, [("Gone", date(2025, 1, 2), "me")]).after
    fu.drop(journal, [c.id], "superseded")
    journal.interactions.add(draft(qwest, "No asks"))
    window.reload()
    qtbot.waitUntil(lambda: window.timeline.rowCount() == 4, timeout=3000)
    qtbot.mouseClick(window.filters.open_follow, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.timeline.rowCount() == 2, timeout=3000)
    shown = {window.timeline.id_at(r) for r in range(2)}
    assert shown == {closed_first, snoozed_only}
