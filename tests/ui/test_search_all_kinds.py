"""The window's search lists events, answers and ledger records as rows that say what they are;
Down from the search box goes into them, Enter opens each where it lives."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from partnerdesk.domain.ledger import Certification, Registration, RegStatus  # noqa: E402
from partnerdesk.domain.vocab import EventKind  # noqa: E402
from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.store.ledger import add_registration  # noqa: E402
from partnerdesk.store.programme import add_certification  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.session import JournalSession  # noqa: E402
from tests.helpers import draft  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


@pytest.fixture
def window(qtbot, tmp_path: Path):
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        crest = j.vendors.add("Crestline").id
        harbor = j.vendors.add("Harbor Fiber").id
        j.events.add(crest, date(2025, 6, 1), EventKind.COMPENSATION_CHANGE,
                     "Residuals cut by half")
        j.questions.add(harbor, "Who is our channel manager?")  # unanswered: shown first otherwise
        q = j.questions.add(harbor, "Who approves residuals disputes?")
        j.questions.answer(harbor, q.id, "Dana Reyes approves residuals disputes",
                           on=date(2025, 7, 2))
        j.interactions.add(draft(crest, "Asked about the residuals letter"))
        with j.writing() as conn:
            add_registration(conn, Registration(None, harbor, "Residuals Holdings",
                                                RegStatus.APPROVED, submitted_on=date(2025, 8, 1),
                                                decided_on=date(2025, 8, 3)))
            add_certification(conn, Certification(None, crest, "Jo Park", "Residuals specialist",
                                                  earned_on=date(2024, 2, 2)))
    session = JournalSession(path, journal=Journal.open(path))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win
    for w in QApplication.topLevelWidgets():
        if w is not win and w.isVisible():
            w.close()
    win.close()
    session.close()


def _search(qtbot, win: MainWindow, text: str) -> None:
    win.activateWindow()
    win.filters.search.setFocus()
    qtbot.waitUntil(win.filters.search.hasFocus)
    QTest.keyClicks(win.filters.search, text)
    win.filters.flush()


def _rows(win: MainWindow) -> list[tuple[str, str, str]]:
    return [(r.label, r.vendor, r.on) for r in win.record_results.records()]


def test_typing_a_word_lists_every_kind_of_record_that_has_it(qtbot, window):
    win = window
    _search(qtbot, win, "residuals")
    qtbot.waitUntil(win.record_results.isVisible, timeout=5000)
    assert _rows(win) == [("Deal registration", "Harbor Fiber", "2025-08-03"),
                          ("Answer", "Harbor Fiber", "2025-07-02"),
                          ("Event", "Crestline", "2025-06-01"),
                          ("Certification", "Crestline", "2024-02-02")]
    view = win.record_results.view
    assert view.model().index(0, 0).data() == "Deal registration"  # the Kind column
    heading = win.record_results.heading.text()
    assert heading.startswith("Also found:") and "1 event" in heading and "1 answer" in heading
    assert win.timeline.rowCount() == 1  # the interaction stays in the timeline below
    win.vendor_view.setCurrentIndex(win.vendor_model.index(1))  # Crestline only
    qtbot.waitUntil(lambda: [r[1] for r in _rows(win)] == ["Crestline", "Crestline"])
    win.filters.search.clear()
    win.filters.flush()
    qtbot.waitUntil(lambda: not win.record_results.isVisible(), timeout=5000)


def _open_row(qtbot, win: MainWindow, label: str) -> None:
    """Down from the search box into the rows, Down to the one wanted, Enter."""
    QTest.keyClick(win.filters.search, Qt.Key.Key_Down)
    view = win.record_results.view
    qtbot.waitUntil(view.hasFocus)
    while view.currentIndex().data() != label:
        QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Return)


def test_enter_on_an_event_opens_the_vendor_page_on_it(qtbot, window):
    from partnerdesk.ui.vendor_page import VendorPage

    _search(qtbot, window, "residuals")
    qtbot.waitUntil(window.record_results.isVisible, timeout=5000)
    _open_row(qtbot, window, "Event")
    page = next(w for w in window.findChildren(VendorPage) if w.isVisible())
    assert page.vendor_id == window.record_results.records()[2].vendor_id
    row = page.events_view.currentIndex().row()
    assert "Residuals cut" in page.events_model.index(row, 2).data()


def test_enter_on_a_registration_opens_its_tab_with_it_selected(qtbot, window):
    from partnerdesk.ui.vendor_page import VendorPage

    _search(qtbot, window, "residuals")
    qtbot.waitUntil(window.record_results.isVisible, timeout=5000)
    _open_row(qtbot, window, "Deal registration")
    page = next(w for w in window.findChildren(VendorPage) if w.isVisible())
    assert page.ledger_tabs.currentWidget() is page.ledger_registrations
    panel = page.ledger_registrations
    assert panel.selected() is not None and panel.selected().customer == "Residuals Holdings"


def test_enter_on_an_answer_opens_its_question(qtbot, window):
    from partnerdesk.ui.questions_panel import QuestionsPanel

    _search(qtbot, window, "residuals")
    qtbot.waitUntil(window.record_results.isVisible, timeout=5000)
    _open_row(qtbot, window, "Answer")
    panel = next(w for w in window.findChildren(QuestionsPanel) if w.isVisible())
    qtbot.waitUntil(lambda: panel.current_question() is not None, timeout=5000)
    assert panel.current_question().text == "Who approves residuals disputes?"
    assert "Dana Reyes" in panel.answers.answers[0].text


def test_enter_on_a_certification_opens_the_ledger_on_it(qtbot, window):
    _search(qtbot, window, "residuals")
    qtbot.waitUntil(window.record_results.isVisible, timeout=5000)
    _open_row(qtbot, window, "Certification")
    dialog = window.ledger_window
    assert dialog.isVisible() and dialog.tabs.currentWidget() is dialog.certifications
    assert dialog.certifications.selected().holder == "Jo Park"


def test_down_past_the_last_record_goes_on_into_the_interactions(qtbot, window):
    win = window
    _search(qtbot, win, "residuals")
    qtbot.waitUntil(win.record_results.isVisible, timeout=5000)
    QTest.keyClick(win.filters.search, Qt.Key.Key_Down)
    view = win.record_results.view
    qtbot.waitUntil(view.hasFocus)
    for _ in range(len(win.record_results.records())):
        QTest.keyClick(view, Qt.Key.Key_Down)
    qtbot.waitUntil(win.table.hasFocus)
    assert win.selected_id() is not None
    QTest.keyClick(win.table, Qt.Key.Key_Up)  # nothing above the first interaction: stays
    win.record_results.view.setFocus()
    win.record_results.view.setCurrentIndex(win.record_results.model.index(0, 0))
    QTest.keyClick(win.record_results.view, Qt.Key.Key_Up)
    qtbot.waitUntil(win.filters.search.hasFocus)
