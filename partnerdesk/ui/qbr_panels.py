"""The QBR workspace's two working panels: the agenda the rep edits before printing, and the
outcome recorded after the meeting (services.qbr.record_outcome, undoable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.ui.form_dialog import error_colour
from partnerdesk.ui.health_common import heading
from partnerdesk.ui.messages import plural
from partnerdesk.ui.qbr_models import AgendaModel, AgreedItem, OutcomeModel
from partnerdesk.ui.table_models import read_only_table

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

OWNERS = [("The vendor", "vendor"), ("Me", "me")]


def button(text: str, slot: Any, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.clicked.connect(lambda _checked=False: slot())
    if tip:
        b.setToolTip(tip)
    return b


def note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def boxed(frame: QFrame, title: QLabel, *parts: QWidget | QHBoxLayout) -> QFrame:
    """A titled, framed section of the workspace."""
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    box = QVBoxLayout(frame)
    box.setContentsMargins(8, 6, 8, 8)
    box.addWidget(title)
    for p in parts:
        if isinstance(p, QWidget):
            box.addWidget(p)
        else:
            box.addLayout(p)
    return frame


def key(owner: QWidget, seq: Any, slot: Any, where: QWidget) -> None:
    """A key that works while `where` has the focus."""
    act = QAction(owner)
    act.setShortcut(QKeySequence(seq))
    act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    act.triggered.connect(lambda _c=False: slot())
    where.addAction(act)


class AgendaPanel(QFrame):
    """Agenda and asks: the evidence's lines, edited (F2), ticked (Space), moved (Alt+Up/Down),
    removed (Delete) and added to; `printed()` is what goes on paper."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.evidence: tuple[Any, ...] = ()  # the agenda as services.qbr generated it
        self.loaded = False
        self.model = AgendaModel(self)
        self.title = heading("Agenda and asks")
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Agenda and asks")
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSpacing(1)
        # Not AnyKeyPressed: Space ticks and unticks the line (the delegate's own key).
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.note = note("Loading…")
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(lambda *_: self._changed())
        self.new_line = QLineEdit()
        self.new_line.setPlaceholderText("Your own item or ask, then Enter")
        self.new_line.setAccessibleName("New agenda line")
        self.new_line.returnPressed.connect(self.add_line)
        self.add_button = button("Add to a&genda", self.add_line,
                                 "Add your own line after the selected one")
        self.remove_button = button("Re&move", self.remove_line, "Take the selected line off "
                                    "the agenda (untick it to keep it but not print it)")
        self.up_button = button("▲ &Up", lambda: self.move_line(-1), "Move the line up (Alt+Up)")
        self.down_button = button("▼ Do&wn", lambda: self.move_line(1),
                                  "Move the line down (Alt+Down)")
        self.reset_button = button("&Start over", self.start_over,
                                   "The agenda as the evidence gives it, undoing your edits")
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_line, 1)
        add_row.addWidget(self.add_button)
        edit_row = QHBoxLayout()
        for b in (self.remove_button, self.up_button, self.down_button):
            edit_row.addWidget(b)
        edit_row.addStretch(1)
        edit_row.addWidget(self.reset_button)
        hint = QLabel("Double-click or F2 edits a line; untick a line to leave it off the PDF.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        boxed(self, self.title, self.view, self.note, hint, edit_row, add_row)
        key(self, "Alt+Up", lambda: self.move_line(-1), self.view)
        key(self, "Alt+Down", lambda: self.move_line(1), self.view)
        key(self, QKeySequence.StandardKey.Delete, self.remove_line, self.view)

    def show_evidence(self, items: Sequence[Any]) -> None:
        """The evidence read (again): it fills an untouched agenda; the rep's edits survive."""
        self.evidence = tuple(items)
        self.loaded = True
        if not self.model.edited:
            self.model.fill(self.evidence)
        self._changed()

    def printed(self) -> list[str]:
        return self.model.printed()

    def _changed(self) -> None:
        if not self.loaded:
            return
        n, total = len(self.model.printed()), self.model.rowCount()
        self.title.setText(f"Agenda and asks · {n} of {total} to print" if total
                           else "Agenda and asks")
        self.note.setText("Nothing stands out in the evidence: add your own asks below, "
                          "e.g. how the vendor will help you grow.")
        self.note.setVisible(total == 0)
        self.view.setVisible(total > 0)

    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def _select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row))

    def add_line(self) -> None:
        text = self.new_line.text().strip()
        if not text:
            self.new_line.setFocus()
            return
        row = self._current_row()
        self._select(self.model.add(text, row + 1 if row >= 0 else None))
        self.new_line.clear()

    def remove_line(self) -> None:
        row = self._current_row()
        if self.model.remove(row) is not None:
            self._select(min(row, self.model.rowCount() - 1))

    def move_line(self, by: int) -> None:
        self._select(self.model.move(self._current_row(), by))

    def start_over(self) -> None:
        if self.loaded:
            self.model.fill(self.evidence)
            self._changed()


class OutcomePanel(QFrame):
    """What was agreed: who, what, by when; Record logs the meeting with its actions (all
    checked first: a bad line records nothing) and Undo takes it back out."""

    recorded = Signal(int)  # how many agreed actions were recorded

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.today: date | None = None  # the journal's today, once the workspace has read it
        self._last_record: Any = None  # the undo command of the last QBR recorded here
        self.summary = QLineEdit()
        self.summary.setAccessibleName("Summary of the meeting")
        self.owner = QComboBox()
        self.owner.setAccessibleName("Who will do it")
        for text, value in OWNERS:
            self.owner.addItem(text, value)
        self.what = QLineEdit()
        self.what.setPlaceholderText("What was agreed")
        self.what.setAccessibleName("What was agreed")
        self.due = QLineEdit()
        self.due.setPlaceholderText("By when, e.g. in 2 weeks")
        self.due.setAccessibleName("By when")
        self.due.setMinimumWidth(185)
        self.add_button = button("&Add", self.add_agreed, "Add it to what was agreed")
        self.model = OutcomeModel(self)
        self.view = read_only_table(self.model, "Agreed at this meeting", 1)
        self.view.setMinimumHeight(70)
        self.remove_button = button("Remove", self.remove_agreed,
                                    "Take the selected action off the list")
        self.record_button = button("&Record the QBR", self.record,
                                    "Log the meeting and what was agreed; the actions appear in "
                                    "Follow-ups and open the next QBR")
        self.undo_button = button("U&ndo", self.undo_record, "Take the recorded QBR back out")
        self.undo_button.hide()
        self.message = note()
        self.message.setAccessibleName("Outcome message")
        self.message.hide()
        for edit in (self.what, self.due):
            edit.returnPressed.connect(self.add_agreed)
            edit.textEdited.connect(lambda _t: self.session.prefetch())  # a write is coming
        for edit in (self.what, self.due, self.summary):
            edit.textEdited.connect(lambda _t: self.record_button.setEnabled(True))
        summary_row = QHBoxLayout()
        summary_row.addWidget(QLabel("Meeting:"))
        summary_row.addWidget(self.summary, 1)
        entry = QHBoxLayout()
        entry.addWidget(self.owner)
        entry.addWidget(self.what, 3)
        entry.addWidget(self.due, 1)
        entry.addWidget(self.add_button)
        record_row = QHBoxLayout()
        record_row.addWidget(self.remove_button)
        record_row.addStretch(1)
        record_row.addWidget(self.undo_button)
        record_row.addWidget(self.record_button)
        boxed(self, heading("Outcome: what was agreed"), summary_row, entry, self.view,
              self.message, record_row)
        key(self, QKeySequence.StandardKey.Delete, self.remove_agreed, self.view)
        session.undo.indexChanged.connect(self._sync_undo)

    def set_today(self, today: date) -> None:
        self.today = today
        if not self.summary.text():
            self.summary.setText(f"QBR Q{(today.month - 1) // 3 + 1} {today.year}")

    def _entry(self) -> AgreedItem | None:
        """What is typed in the entry row, checked; None when the row is empty."""
        from partnerdesk.domain.when import parse_day
        from partnerdesk.services.followups import clean_what

        what, due = self.what.text().strip(), self.due.text().strip()
        if not what and not due:
            return None
        if not what:
            raise InvalidInput("Type what was agreed, then add it.")
        day = parse_day(due, self.today or date.today())
        return AgreedItem(str(self.owner.currentData()), clean_what(what), day)

    def say(self, message: str, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(f"color: {error_colour()};" if error else "")
        self.message.setVisible(bool(message))

    def add_agreed(self) -> None:
        try:
            item = self._entry()
        except InvalidInput as exc:
            self.say(str(exc), error=True)
            return
        if item is None:
            self.say("Type what was agreed and by when, then add it.", error=True)
            self.what.setFocus()
            return
        self.model.add(item)
        self.record_button.setEnabled(True)
        self.what.clear()
        self.due.clear()
        self.say("")
        self.what.setFocus()

    def remove_agreed(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove(index.row())

    def record(self) -> None:
        """Log the QBR with what was agreed (and what is typed but not yet added)."""
        from partnerdesk.domain.when import local_now
        from partnerdesk.services import followups, qbr
        from partnerdesk.ui.undo_commands import RecordQbr

        if self.today is None:
            return  # not read yet: the vendor may be gone
        try:
            typed = self._entry()
            items = [*self.model.items, *([typed] if typed else [])]
            journal = self.session.store()
            iid = qbr.record_outcome(journal, self.vendor_id, local_now(), self.summary.text(),
                                     [(i.what, i.due, i.owner) for i in items])
        except InvalidInput as exc:
            self.say(str(exc), error=True)
            return
        except Exception as exc:  # a locked or read-only journal: say so, keep what was typed
            from partnerdesk.ui.journal_actions import failure_text

            self.say(failure_text(exc, doing="The QBR was not recorded"), error=True)
            return
        interaction = self.session.read_interaction(iid)
        saved = followups.items_of(journal, iid)
        if interaction is not None:
            self._last_record = RecordQbr(self.session, interaction, saved)
            self.session.undo.push(self._last_record)
            self.session.notify("interaction", {"added": [(iid, int(
                interaction.occurred_at.timestamp()))]})
        self.session.notify("action_item", [i.id for i in saved])
        self.model.clear()
        self.what.clear()
        self.due.clear()
        n = len(items)
        self.say(f"Recorded the QBR with {plural(n, 'agreed action')}; they are in Follow-ups "
                 "and open the next QBR." if n else
                 "Recorded the QBR, with nothing agreed to follow up.")
        self._sync_undo()
        # Recorded: a second click would log the meeting twice; typing something new allows it.
        self.record_button.setEnabled(False)
        self.recorded.emit(n)

    def _on_top(self) -> bool:
        """Whether the last QBR recorded here is what Undo would take back now."""
        stack = self.session.undo
        return (self._last_record is not None and stack.index() > 0
                and stack.command(stack.index() - 1) is self._last_record)

    def _sync_undo(self, *_args: Any) -> None:
        # Undone (or buried) from the main window's Edit menu too: the button follows the stack,
        # and a record undone there may be recorded again here.
        self.undo_button.setVisible(self._on_top())
        stack = self.session.undo
        if self._last_record is not None and not any(
                stack.command(i) is self._last_record for i in range(stack.index())):
            self.record_button.setEnabled(True)

    def undo_record(self) -> None:
        if not self._on_top():
            self.say("Something else was changed since; use Edit ▸ Undo in the main window.",
                     error=True)
            return
        self.session.undo.undo()
        self._last_record = None
        self.undo_button.hide()
        self.record_button.setEnabled(True)
        self.say("The recorded QBR was taken back out.")
