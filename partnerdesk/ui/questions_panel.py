"""Partnership questions for one vendor: the standard ones a reseller should ask before
committing to a programme, plus the rep's own, each with the vendor's dated answers.

Answers are never overwritten (the store keeps each one with its date), so when a vendor's
answer changes over time the panel shows both, newest first, and says which ones changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.questions import ANSWER_MAX, QUESTION_MAX, Answer, Question
from partnerdesk.domain.when import local_now
from partnerdesk.ui.form_dialog import dim_colour, error_line, error_text, make_date_edit, picked
from partnerdesk.ui.formatting import date_format
from partnerdesk.ui.health_common import BusyIndicator, Loader, RefreshOnChange, heading, journal_of
from partnerdesk.ui.table_models import RowsTableModel

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
REFRESH_ON = ("question", "vendor")


def _one_line(text: str, limit: int = 140) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def changed(answers: tuple[Answer, ...] | list[Answer]) -> bool:
    """Whether the latest answer says something different from the one before it."""
    return len(answers) > 1 and _norm(answers[-1].text) != _norm(answers[-2].text)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class QuestionsModel(RowsTableModel):
    """Standard questions first, then the rep's own; the latest answer and when it was given."""

    headers = ["Question", "Latest answer", "Answered", "Answers"]

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._dim = dim_colour()

    @property
    def questions(self) -> list[Question]:
        return self.rows

    def set_questions(self, questions: list[Question]) -> None:
        self._dim = dim_colour()
        self.set_rows(questions)

    def row_of(self, question_id: int | None) -> int:
        return next((i for i, q in enumerate(self.questions) if q.id == question_id), -1)

    def display(self, row: int, column: int) -> Any:
        q = self.questions[row]
        latest = q.latest
        if column == 0:
            return q.text if q.standard else f"{q.text}  (yours)"
        if column == 1:
            return _one_line(latest.text) if latest else "not answered yet"
        if column == 2:
            if latest is None:
                return ""
            day = latest.on.strftime(date_format()[1])
            return f"{day} · changed" if changed(q.answers) else day
        return str(len(q.answers)) if q.answers else ""

    def tooltip(self, row: int, column: int) -> Any:
        q = self.questions[row]
        if column == 0:
            return q.text + ("\n(your own question for this vendor)" if not q.standard else "")
        if column == 1 and q.latest is not None:
            return q.latest.text
        if column == 2 and changed(q.answers):
            return "The latest answer differs from the one before it"
        return None

    def foreground(self, row: int, column: int) -> Any:
        return self._dim if column == 1 and self.questions[row].latest is None else None

    def role_data(self, row: int, column: int, role: int) -> Any:
        q = self.questions[row]
        if role == Qt.ItemDataRole.FontRole:
            if (column == 1 and q.latest is None) or (column == 0 and not q.standard):
                font = QFont()
                font.setItalic(True)
                return font
            if column == 2 and changed(q.answers):
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return q.id
        return None


class AnswersModel(RowsTableModel):
    """One question's answers, newest first; an answer that differs from the one before it
    says so."""

    headers = ["Answered", "Answer"]

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._changed: list[bool] = []

    @property
    def answers(self) -> list[Answer]:
        """Newest first."""
        return self.rows

    def set_answers(self, oldest_first: tuple[Answer, ...] | list[Answer]) -> None:
        ordered = sorted(oldest_first, key=lambda a: (a.on, a.id))
        flags = [i > 0 and _norm(a.text) != _norm(ordered[i - 1].text) for i, a in enumerate(ordered)]
        self._changed = list(reversed(flags))
        self.set_rows(list(reversed(ordered)))

    def display(self, row: int, column: int) -> Any:
        a = self.answers[row]
        if column == 0:
            day = a.on.strftime(date_format()[1])
            if row == 0 and len(self.answers) > 1:
                day += "\nlatest"
            if self._changed[row]:
                day += "\nchanged"
            return day
        return a.text

    def tooltip(self, row: int, column: int) -> Any:
        if column != 0:
            return None
        older = "; differs from the answer before it" if self._changed[row] else ""
        return f"Answered on {self.answers[row].on.isoformat()}{older}"

    def role_data(self, row: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column == 0 and self._changed[row]:
            font = QFont()
            font.setBold(True)
            return font
        if role == ID_ROLE:
            return self.answers[row].id
        return None


class _Padded(QStyledItemDelegate):
    """Wrapped multi-line rows need air between them to read as separate rows."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 8)


class QuestionsPanel(QWidget):
    """Pick a question to see its answers over time; add an answer (dated, today by default)
    or a question of your own."""

    answer_added = Signal(int)  # the question id
    question_added = Signal(int)

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.setObjectName("questionsPanel")
        self.setWindowTitle("Partnership questions — partnerdesk")
        self._selected: int | None = None

        # -- questions ------------------------------------------------------------------
        self.model = QuestionsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Partnership questions")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setShowGrid(False)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.setItemDelegate(_Padded(self.view))
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.title = heading("Partnership questions", 1.3)
        self.title.setWordWrap(True)  # a long vendor name must not widen the window
        self.summary = QLabel()
        self.summary.setAccessibleName("Questions answered")
        self.busy = BusyIndicator("Loading…")
        self.own = QLineEdit()
        self.own.setPlaceholderText("Your own question for this vendor…")
        self.own.setMaxLength(QUESTION_MAX)
        self.own.setAccessibleName("Your own question")
        self.add_question = QPushButton("Add &question")
        self.add_question.setAutoDefault(False)
        self.add_question.clicked.connect(self.add_own_question)
        self.own.returnPressed.connect(self.add_own_question)
        self.own.textChanged.connect(lambda t: self.add_question.setEnabled(bool(t.strip())))
        self.add_question.setEnabled(False)
        own_row = QHBoxLayout()
        own_row.addWidget(self.own, 1)
        own_row.addWidget(self.add_question)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.view, 1)
        left_box.addLayout(own_row)

        # -- answers --------------------------------------------------------------------
        self.question = heading("")
        self.question.setWordWrap(True)
        self.question.setAccessibleName("Selected question")
        self.answers = AnswersModel(self)
        self.answers_view = QTableView()
        self.answers_view.setModel(self.answers)
        self.answers_view.setAccessibleName("Answers, newest first")
        self.answers_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.answers_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.answers_view.setAlternatingRowColors(True)
        self.answers_view.setWordWrap(True)
        self.answers_view.setShowGrid(False)
        self.answers_view.setTabKeyNavigation(False)
        self.answers_view.verticalHeader().hide()
        self.answers_view.setItemDelegate(_Padded(self.answers_view))
        self.answers_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        a_header = self.answers_view.horizontalHeader()
        a_header.setHighlightSections(False)
        a_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        a_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.no_answers = QLabel()
        self.no_answers.setWordWrap(True)
        self.no_answers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The history and the 'not answered yet' note take turns in the same room.
        history = QWidget()
        history_box = QVBoxLayout(history)
        history_box.setContentsMargins(0, 0, 0, 0)
        history_box.addWidget(self.answers_view, 1)
        history_box.addWidget(self.no_answers, 1)

        self.answer_date = make_date_edit(local_now().date())
        self.answer_date.setAccessibleName("Answered on")
        self.answer_text = QPlainTextEdit()
        self.answer_text.setPlaceholderText("What the vendor said…")
        self.answer_text.setAccessibleName("Answer")
        self.answer_text.setTabChangesFocus(True)
        self.answer_text.setMaximumHeight(self.fontMetrics().height() * 6)
        self.add_answer = QPushButton("Add &answer")
        self.add_answer.setAutoDefault(False)
        self.add_answer.setToolTip("Add this answer with its date; earlier answers stay (Ctrl+Enter)")
        self.add_answer.clicked.connect(self.save_answer)
        self.answer_text.textChanged.connect(self._update_buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self.answer_text, activated=self.save_answer,
                      context=Qt.ShortcutContext.WidgetShortcut)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        date_label = QLabel("Answered &on:")
        date_label.setBuddy(self.answer_date)
        text_label = QLabel("A&nswer:")
        text_label.setBuddy(self.answer_text)
        form.addRow(date_label, self.answer_date)
        form.addRow(text_label, self.answer_text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_answer)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.question)
        right_box.addWidget(history, 1)
        right_box.addLayout(form)
        right_box.addLayout(buttons)

        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        right.setMinimumWidth(320)
        split.setSizes([560, 420])

        self.error = error_line()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.busy)
        head.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)

        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_question(cur.row()))
        self.loader = Loader(self.busy, self.show_error, self)
        self._watch = RefreshOnChange(session, self, REFRESH_ON, self.refresh, delay_ms=50)
        self._show_question(-1)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(1000, 600)

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        session, vid = self.session, self.vendor_id

        def read() -> tuple[str, list[Question]]:
            journal = journal_of(session)
            return journal.vendors.get(vid).display_name, journal.questions.for_vendor(vid)

        self.loader.run(read, self._loaded)

    def _loaded(self, result: tuple[str, list[Question]]) -> None:
        name, questions = result
        self.show_error("")
        keep = self._selected
        self.setWindowTitle(f"{name}: partnership questions — partnerdesk")
        self.title.setText(f"Partnership questions: {name}")
        self.model.set_questions(questions)
        answered = sum(1 for q in questions if q.answers)
        self.summary.setText(f"{answered} of {len(questions)} answered")
        row = self.model.row_of(keep)
        if row < 0 and questions:
            # Start on the first question still waiting for an answer: that is what to ask.
            row = next((i for i, q in enumerate(questions) if not q.answers), 0)
        if row >= 0:
            self.view.selectRow(row)
            self.view.setCurrentIndex(self.model.index(row, 0))
            self._show_question(row)
        else:
            self._show_question(-1)

    def current_question(self) -> Question | None:
        row = self.view.currentIndex().row()
        return self.model.questions[row] if 0 <= row < len(self.model.questions) else None

    def _show_question(self, row: int) -> None:
        q = self.model.questions[row] if 0 <= row < len(self.model.questions) else None
        self._selected = q.id if q else None
        self.question.setText(q.text if q else "Pick a question to see its answers.")
        self.answers.set_answers(q.answers if q else ())
        has = bool(q and q.answers)
        self.answers_view.setVisible(has)
        self.no_answers.setVisible(q is not None and not has)
        self.no_answers.setText("Not answered yet. Ask it at the next meeting and note the answer "
                                "here, with the day it was given.")
        self.answer_date.setEnabled(q is not None)
        self.answer_text.setEnabled(q is not None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_answer.setEnabled(self.current_question() is not None
                                   and bool(self.answer_text.toPlainText().strip()))

    # -- writing -------------------------------------------------------------------------
    def save_answer(self) -> None:
        q = self.current_question()
        text = self.answer_text.toPlainText().strip()
        if q is None or not text:
            return
        if len(text) > ANSWER_MAX:
            self.show_error(f"The answer is {len(text):,} characters; keep it under {ANSWER_MAX:,}.")
            return
        try:
            self.session.store().questions.answer(self.vendor_id, q.id, text, on=picked(self.answer_date))
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.show_error("")
        self.answer_text.clear()
        self.answer_date.setDate(local_now().date())
        self.session.notify("question", [self.vendor_id])
        self.answer_added.emit(q.id)
        self.refresh()

    def add_own_question(self) -> None:
        text = self.own.text().strip()
        if not text:
            return
        try:
            q = self.session.store().questions.add(self.vendor_id, text)
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.show_error("")
        self.own.clear()
        self._selected = q.id  # show the new question, ready for its first answer
        self.session.notify("question", [self.vendor_id])
        self.question_added.emit(q.id)
        self.refresh()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
