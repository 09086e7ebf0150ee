"""The partnership-questions panel: standard questions and the rep's own, dated answers newest
first, a changed answer shown as changed, adding answers and questions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from partnerdesk.domain.when import local_now
from partnerdesk.ui.questions_panel import QuestionsPanel

WAIT = 5000


def open_panel(qtbot, session, vendor_id) -> QuestionsPanel:
    panel = QuestionsPanel(session, vendor_id)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and panel.loader.idle, timeout=WAIT)
    return panel


def test_lists_the_standard_questions_unanswered(qtbot, session, qwest):
    panel = open_panel(qtbot, session, qwest)
    standard = [q for q in panel.model.questions if q.standard]
    assert len(standard) >= 5
    texts = " ".join(q.text.casefold() for q in standard)
    assert "partnership" in texts and "business model" in texts
    assert panel.model.index(0, 1).data() == "not answered yet"
    assert panel.summary.text() == f"0 of {len(standard)} answered"
    assert panel.current_question() is standard[0]  # the first one still to ask
    assert panel.no_answers.isVisible() and not panel.answers_view.isVisible()


def test_adding_an_answer_stores_it_with_its_date(qtbot, session, qwest, changes):
    panel = open_panel(qtbot, session, qwest)
    panel.view.selectRow(1)
    q = panel.current_question()
    assert panel.answer_date.date().toPython() == local_now().date()  # today by default
    assert not panel.add_answer.isEnabled()
    panel.answer_text.setPlainText("Joint planning every quarter, shared pipeline")
    panel.answer_date.setDate(QDate(2025, 3, 14))
    with qtbot.waitSignal(panel.answer_added, timeout=1000):
        qtbot.mouseClick(panel.add_answer, Qt.MouseButton.LeftButton)
    stored = session.store().questions.history(qwest, q.id)
    assert [(a.on, a.text) for a in stored] == [(date(2025, 3, 14),
                                                 "Joint planning every quarter, shared pipeline")]
    assert ("question", [qwest]) in changes
    assert panel.answer_text.toPlainText() == ""
    qtbot.waitUntil(lambda: bool(panel.model.questions[1].answers) and panel.loader.idle,
                    timeout=WAIT)
    assert panel.current_question().id == q.id  # the same question stays selected
    assert panel.model.index(1, 2).data() == "2025-03-14"
    assert panel.answers.rowCount() == 1 and panel.answers_view.isVisible()


def test_a_changed_answer_shows_newest_first_and_says_changed(qtbot, session, journal, qwest):
    q = journal.questions.for_vendor(qwest)[0]
    journal.questions.answer(qwest, q.id, "We are a partner-first company", on=date(2023, 1, 10))
    journal.questions.answer(qwest, q.id, "we are a  partner-first company", on=date(2024, 1, 10))
    journal.questions.answer(qwest, q.id, "Direct sales comes first now", on=date(2025, 6, 1))
    panel = open_panel(qtbot, session, qwest)
    assert panel.model.index(0, 2).data() == "2025-06-01 · changed"
    assert panel.model.index(0, 1).data() == "Direct sales comes first now"
    assert panel.model.index(0, 3).data() == "3"
    panel.view.selectRow(0)
    a = panel.answers
    assert [a.index(r, 1).data() for r in range(3)] == [
        "Direct sales comes first now", "we are a  partner-first company",
        "We are a partner-first company"]
    assert a.index(0, 0).data() == "2025-06-01\nlatest\nchanged"
    assert a.index(1, 0).data() == "2024-01-10"  # same words, different spacing: not a change
    assert a.index(2, 0).data() == "2023-01-10"


def test_adding_an_own_question(qtbot, session, journal, qwest):
    panel = open_panel(qtbot, session, qwest)
    count = panel.model.rowCount()
    assert not panel.add_question.isEnabled()
    panel.own.setText("Will the MDF budget survive the merger?")
    with qtbot.waitSignal(panel.question_added, timeout=1000) as got:
        qtbot.keyClick(panel.own, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == count + 1 and panel.loader.idle, timeout=WAIT)
    last = panel.model.questions[-1]
    assert last.id == got.args[0] and not last.standard
    assert panel.model.index(count, 0).data().endswith("(yours)")
    assert panel.current_question().id == last.id  # ready for its first answer
    # asked of this vendor only
    other = journal.vendors.resolve("CenturyLink").id
    assert all(q.text != last.text for q in journal.questions.for_vendor(other))


def test_a_bad_write_is_said_not_raised(qtbot, session, journal, qwest, monkeypatch):
    panel = open_panel(qtbot, session, qwest)
    panel.answer_text.setPlainText("Something")

    def boom(*_a, **_k):
        from partnerdesk.domain.errors import InvalidInput

        raise InvalidInput("The answer is empty; type what the vendor said.")

    monkeypatch.setattr(journal.questions, "answer", boom)
    panel.save_answer()
    assert panel.error.isVisible() and "empty" in panel.error.text()
    assert panel.answer_text.toPlainText() == "Something"  # nothing typed is lost
