"""The QBR workspace window (Vendor ▸ QBR workspace…): last time's commitments and how they went,
the numbers, an agenda of asks generated from the evidence that the rep edits and prints, and the
outcome, recorded as action items that open the next QBR.

Data comes from services.qbr.qbr_data on a worker (a stdlib reader unless the full store is
already open); the PDF is services.qbr_report on a worker too. Its menu entry is ui/qbr_action.py.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.ui.form_dialog import error_colour, error_line
from partnerdesk.ui.health_common import (
    BusyIndicator,
    Loader,
    RefreshOnChange,
    heading,
    reader_journal,
)
from partnerdesk.ui.messages import plural
from partnerdesk.ui.qbr_models import AgendaModel, AgreedItem, OutcomeModel
from partnerdesk.ui.table_models import RowsTableModel, read_only_table

if TYPE_CHECKING:
    from partnerdesk.services.qbr import QbrData
    from partnerdesk.ui.session import JournalSession

REFRESH_ON = ("interaction", "action_item", "vendor", "event", "question", "ledger", "settings")
OWNERS = [("The vendor", "vendor"), ("Me", "me")]


def load_qbr(session: JournalSession, vendor_id: int) -> QbrData:
    """Runs on a worker thread."""
    from partnerdesk.services.qbr import qbr_data

    return qbr_data(reader_journal(session), vendor_id)


def _button(text: str, slot: Any, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.clicked.connect(lambda _checked=False: slot())
    if tip:
        b.setToolTip(tip)
    return b


def _box(title: QLabel, *parts: QWidget | QHBoxLayout) -> QFrame:
    frame = QFrame()
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


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _fit_height(view: QTableView) -> None:
    """A short table shows all its rows, long text wrapped, without a scroll bar of its own."""
    view.resizeRowsToContents()
    rows = sum(view.rowHeight(r) for r in range(view.model().rowCount()))
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + rows + 4)


class _RefitOnWidth(QObject):
    """Re-measures a table's wrapped rows when its width changes (the stretched column's
    width is only known once the window is laid out)."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self.width = -1
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QTableView):
            if watched.width() != self.width:
                self.width = watched.width()
                def refit(view: QTableView = watched) -> None:
                    if isValid(view):
                        _fit_height(view)

                QTimer.singleShot(0, refit)
        return False


def _wrapping(view: QTableView) -> QTableView:
    """Long cells wrap onto more lines rather than end in '…'."""
    view.setWordWrap(True)
    _RefitOnWidth(view)
    return view


class _Commitments(RowsTableModel):
    headers = ["Status", "Who", "Due", "What was agreed"]

    def foreground(self, row: int, column: int) -> Any:
        if column == 0 and self.rows[row][0].startswith("overdue"):
            from PySide6.QtGui import QColor

            return QColor(error_colour())
        return None


class _Money(RowsTableModel):
    def role_data(self, row: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:  # amounts line up
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class QbrWorkspace(QWidget):
    """One vendor's QBR: read, edit the agenda, print it, record what was agreed."""

    loaded = Signal()  # the data is on screen
    saved = Signal(str)  # the PDF's path, once written
    recorded = Signal(int)  # the number of agreed actions recorded

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.data: QbrData | None = None
        self.last_pdf: Path | None = None
        self._last_record: Any = None  # the undo command of the last outcome recorded here
        self.setObjectName("qbrWorkspace")
        self.setWindowTitle("QBR workspace — partnerdesk")

        # -- header ---------------------------------------------------------------------
        self.title = heading("", 1.5)
        self.title.setAccessibleName("Vendor")
        self.title.setWordWrap(True)  # a long name on a small screen wraps, not widens the window
        self.subtitle = QLabel("Loading…")
        self.subtitle.setWordWrap(True)  # a narrow screen wraps it rather than widening the window
        self.busy = BusyIndicator("Loading…")
        self.pdf_busy = BusyIndicator("Writing the PDF…")
        self.print_button = _button("&Print to PDF…", self.print_pdf,
                                    "The workspace with the ticked agenda lines, on one or two "
                                    "pages, opened in your PDF viewer to print")
        self.print_button.setEnabled(False)
        # The title's row holds the busy indicators (they keep their room while hidden); the
        # subtitle has a row of its own, so that room never wraps it.
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.busy)
        head.addWidget(self.pdf_busy)
        head.addWidget(self.print_button)
        top = QVBoxLayout()
        top.setSpacing(2)
        top.addLayout(head)
        top.addWidget(self.subtitle)

        self.saved_bar = QFrame()
        self.saved_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.saved_label = QLabel()
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = _button("&Open PDF", self.open_pdf, "Open it again in your PDF viewer")
        bar = QHBoxLayout(self.saved_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.saved_label, 1)
        bar.addWidget(self.open_button)
        self.saved_bar.hide()

        # -- left: last time and the numbers --------------------------------------------
        self.last_title = heading("Last time")
        self.last_model = _Commitments(self)
        self.last_view = _wrapping(read_only_table(self.last_model, "Last time", 3))
        self.last_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.last_view.hide()
        self.last_note = _note("Loading…")
        self.numbers = _note("Loading…")
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setAccessibleName("The numbers")
        from partnerdesk.services.qbr import MONEY_HEADERS

        self.money_model = _Money(self, headers=MONEY_HEADERS)
        self.money_view = read_only_table(self.money_model, "Money per currency", 0)
        self.money_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.money_view.hide()
        self.money_note = _note()
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 4, 0)
        left_box.addWidget(_box(self.last_title, self.last_view, self.last_note))
        left_box.addWidget(_box(heading("The numbers"), self.numbers, self.money_view,
                                self.money_note))
        left_box.addStretch(1)
        left_scroll = QScrollArea()
        left_scroll.setWidget(left)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # -- right: the agenda and the outcome ------------------------------------------
        self.agenda = AgendaModel(self)
        self.agenda_title = heading("Agenda and asks")
        self.agenda_view = QListView()
        self.agenda_view.setModel(self.agenda)
        self.agenda_view.setAccessibleName("Agenda and asks")
        self.agenda_view.setWordWrap(True)
        self.agenda_view.setAlternatingRowColors(True)
        self.agenda_view.setSpacing(1)
        # Not AnyKeyPressed: Space ticks and unticks the line (the delegate's own key).
        self.agenda_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.agenda_note = _note("Loading…")
        self.agenda.dataChanged.connect(lambda *_: self._agenda_changed())
        self.agenda.rowsInserted.connect(lambda *_: self._agenda_changed())
        self.agenda.rowsRemoved.connect(lambda *_: self._agenda_changed())
        self.new_line = QLineEdit()
        self.new_line.setPlaceholderText("Your own item or ask, then Enter")
        self.new_line.setAccessibleName("New agenda line")
        self.new_line.returnPressed.connect(self.add_line)
        self.add_button = _button("Add to a&genda", self.add_line,
                                  "Add your own line after the selected one")
        self.remove_button = _button("Re&move", self.remove_line, "Take the selected line off "
                                     "the agenda (untick it to keep it but not print it)")
        self.up_button = _button("▲ &Up", lambda: self.move_line(-1), "Move the line up (Alt+Up)")
        self.down_button = _button("▼ Do&wn", lambda: self.move_line(1),
                                   "Move the line down (Alt+Down)")
        self.reset_button = _button("&Start over", self.reset_agenda,
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
        agenda_box = _box(self.agenda_title, self.agenda_view, self.agenda_note, hint, edit_row,
                          add_row)

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
        for edit in (self.what, self.due):
            edit.returnPressed.connect(self.add_agreed)
            edit.textEdited.connect(lambda _t: self.session.prefetch())  # a write is coming
        self.add_agreed_button = _button("&Add", self.add_agreed, "Add it to what was agreed")
        self.outcome = OutcomeModel(self)
        self.outcome_view = read_only_table(self.outcome, "Agreed at this meeting", 1)
        self.outcome_view.setMinimumHeight(70)
        self.remove_agreed_button = _button("Remove", self.remove_agreed,
                                            "Take the selected action off the list")
        self.record_button = _button("&Record the QBR", self.record,
                                     "Log the meeting and what was agreed; the actions appear in "
                                     "Follow-ups and open the next QBR")
        for edit in (self.what, self.due, self.summary):
            edit.textEdited.connect(lambda _t: self.record_button.setEnabled(True))
        self.undo_button = _button("U&ndo", self.undo_record, "Take the recorded QBR back out")
        self.undo_button.hide()
        self.outcome_message = _note()
        self.outcome_message.setAccessibleName("Outcome message")
        self.outcome_message.hide()
        summary_row = QHBoxLayout()
        summary_row.addWidget(QLabel("Meeting:"))
        summary_row.addWidget(self.summary, 1)
        entry = QHBoxLayout()
        entry.addWidget(self.owner)
        entry.addWidget(self.what, 3)
        entry.addWidget(self.due, 1)
        entry.addWidget(self.add_agreed_button)
        record_row = QHBoxLayout()
        record_row.addWidget(self.remove_agreed_button)
        record_row.addStretch(1)
        record_row.addWidget(self.undo_button)
        record_row.addWidget(self.record_button)
        outcome_box = _box(heading("Outcome: what was agreed"), summary_row, entry,
                           self.outcome_view, self.outcome_message, record_row)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(agenda_box)
        right.addWidget(outcome_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left_scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 5)
        split.setSizes([540, 680])  # the money table's seven columns need about 520 pixels
        split.setChildrenCollapsible(False)

        # Until the first read is back the body says so, never "nothing here".
        self.loading = QLabel("Loading the QBR workspace…")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.loading)
        self.body.addWidget(split)

        self.error = error_line()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.saved_bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.error)

        self._keys()
        self.loader = Loader(self.busy, self.show_error, self)
        self.pdf_loader = Loader(self.pdf_busy, self._pdf_failed, self)
        self._watch = RefreshOnChange(session, self, REFRESH_ON, self.refresh)
        session.undo.indexChanged.connect(self._sync_undo)
        self.refresh()

    def _keys(self) -> None:
        def key(seq: Any, slot: Any, where: QWidget) -> None:
            act = QAction(self)
            act.setShortcut(QKeySequence(seq))
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(lambda _c=False: slot())
            where.addAction(act)

        key("Alt+Up", lambda: self.move_line(-1), self.agenda_view)
        key("Alt+Down", lambda: self.move_line(1), self.agenda_view)
        key(QKeySequence.StandardKey.Delete, self.remove_line, self.agenda_view)
        key(QKeySequence.StandardKey.Delete, self.remove_agreed, self.outcome_view)

    def sizeHint(self) -> QSize:
        return QSize(1240, 720)

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        session, vid = self.session, self.vendor_id
        self.loader.run(lambda: load_qbr(session, vid), self._show)

    def _show(self, data: QbrData) -> None:
        from partnerdesk.services.qbr import fmt_day, money_rows, number_lines

        self.show_error("")
        self.data = data
        name = data.vendor + (f" ({data.acquirer})" if data.acquirer else "")
        self.setWindowTitle(f"QBR workspace: {data.vendor} — partnerdesk")
        self.title.setText(name)
        bits = [f"QBR workspace · {fmt_day(data.today)}"]
        if data.acquirer and data.acquired_on:
            bits.append(f"acquired by {data.acquirer} on {fmt_day(data.acquired_on)}")
        bits.append(f"since the last QBR on {fmt_day(data.last_qbr[1])}" if data.last_qbr
                    else f"no earlier QBR: the last quarter, since {fmt_day(data.since)}")
        self.subtitle.setText(" · ".join(bits))
        if not self.summary.text():
            q = (data.today.month - 1) // 3 + 1
            self.summary.setText(f"QBR Q{q} {data.today.year}")

        # last time
        if data.last_qbr is None:
            self.last_title.setText("Last time")
            rows: list[tuple[str, ...]] = []
            self.last_note.setText("No earlier QBR with this vendor is recorded. What you record "
                                   "below opens the next one.")
        else:
            self.last_title.setText(f"Last time · the QBR of {fmt_day(data.last_qbr[1])}")
            rows = [(c.status + (f" ({c.reason})" if c.reason else ""),
                     "the vendor" if c.owner == "vendor" else "me", fmt_day(c.due), c.what)
                    for c in data.last_time]
            kept = sum(1 for c in data.last_time if c.status.startswith("kept"))
            self.last_note.setText(f"{kept} of {plural(len(rows), 'commitment')} kept."
                                   if rows else "Nothing was recorded as agreed at that QBR.")
        self.last_model.set_rows(rows)
        self.last_view.setVisible(bool(rows))
        _fit_height(self.last_view)

        # the numbers
        self.numbers.setText("<ul style='margin-left:-24px'>" + "".join(
            f"<li><b>{escape(label)}:</b> {escape(text)}</li>"
            for label, text in number_lines(data)) + "</ul>")
        money = money_rows(data)
        self.money_model.set_rows(money)
        self.money_view.setVisible(bool(money))
        _fit_height(self.money_view)
        since = fmt_day(data.since)
        self.money_note.setText(f"Money per currency since {since}." if money
                                else f"No money owed recorded since {since}.")

        # the agenda: the rep's edits survive a refresh; the evidence fills an untouched one
        if not self.agenda.edited:
            self.agenda.fill(data.agenda)
        self._agenda_changed()
        self.print_button.setEnabled(True)
        self.body.setCurrentIndex(1)
        self.loaded.emit()

    def _agenda_changed(self) -> None:
        if self.data is None:
            return
        n, total = len(self.agenda.printed()), self.agenda.rowCount()
        self.agenda_title.setText(f"Agenda and asks · {n} of {total} to print" if total
                                  else "Agenda and asks")
        self.agenda_note.setText("Nothing stands out in the evidence: add your own asks below, "
                                 "e.g. how the vendor will help you grow.")
        self.agenda_note.setVisible(total == 0)
        self.agenda_view.setVisible(total > 0)

    def show_error(self, message: str) -> None:
        from partnerdesk.ui.messages import for_window

        self.error.setText(for_window(message))
        self.error.setVisible(bool(message))
        if message and self.data is None:
            self.loading.setText("The QBR workspace could not be read; see below.")

    # -- the agenda ----------------------------------------------------------------------
    def _current_row(self) -> int:
        index = self.agenda_view.currentIndex()
        return index.row() if index.isValid() else -1

    def _select(self, row: int) -> None:
        if 0 <= row < self.agenda.rowCount():
            self.agenda_view.setCurrentIndex(self.agenda.index(row))

    def add_line(self) -> None:
        text = self.new_line.text().strip()
        if not text:
            self.new_line.setFocus()
            return
        row = self._current_row()
        self._select(self.agenda.add(text, row + 1 if row >= 0 else None))
        self.new_line.clear()

    def remove_line(self) -> None:
        row = self._current_row()
        if self.agenda.remove(row) is not None:
            self._select(min(row, self.agenda.rowCount() - 1))

    def move_line(self, by: int) -> None:
        self._select(self.agenda.move(self._current_row(), by))

    def reset_agenda(self) -> None:
        if self.data is not None:
            self.agenda.fill(self.data.agenda)
            self._agenda_changed()

    # -- the outcome ---------------------------------------------------------------------
    def _entry(self) -> AgreedItem | None:
        """What is typed in the entry row, checked; None when the row is empty."""
        from partnerdesk.domain.when import parse_day
        from partnerdesk.services.followups import clean_what

        what, due = self.what.text().strip(), self.due.text().strip()
        if not what and not due:
            return None
        if not what:
            raise InvalidInput("Type what was agreed, then add it.")
        today = self.data.today if self.data is not None else date.today()
        day = parse_day(due, today)
        return AgreedItem(str(self.owner.currentData()), clean_what(what), day)

    def _say(self, message: str, error: bool = False) -> None:
        self.outcome_message.setText(message)
        self.outcome_message.setStyleSheet(f"color: {error_colour()};" if error else "")
        self.outcome_message.setVisible(bool(message))

    def add_agreed(self) -> None:
        try:
            item = self._entry()
        except InvalidInput as exc:
            self._say(str(exc), error=True)
            return
        if item is None:
            self._say("Type what was agreed and by when, then add it.", error=True)
            self.what.setFocus()
            return
        self.outcome.add(item)
        self.record_button.setEnabled(True)
        self.what.clear()
        self.due.clear()
        self._say("")
        self.what.setFocus()

    def remove_agreed(self) -> None:
        index = self.outcome_view.currentIndex()
        if index.isValid():
            self.outcome.remove(index.row())

    def record(self) -> None:
        """Log the QBR with what was agreed (and what is typed but not yet added): all of it is
        checked first, so a bad line records nothing."""
        from partnerdesk.domain.when import local_now
        from partnerdesk.services import followups, qbr
        from partnerdesk.ui.undo_commands import RecordQbr

        if self.data is None:
            return
        try:
            typed = self._entry()
            items = [*self.outcome.items, *([typed] if typed else [])]
            journal = self.session.store()
            iid = qbr.record_outcome(journal, self.vendor_id, local_now(), self.summary.text(),
                                     [(i.what, i.due, i.owner) for i in items])
        except InvalidInput as exc:
            self._say(str(exc), error=True)
            return
        except Exception as exc:  # a locked or read-only journal: say so, keep what was typed
            from partnerdesk.ui.journal_actions import failure_text

            self._say(failure_text(exc, doing="The QBR was not recorded"), error=True)
            return
        interaction = self.session.read_interaction(iid)
        saved = followups.items_of(journal, iid)
        if interaction is not None:
            self._last_record = RecordQbr(self.session, interaction, saved)
            self.session.undo.push(self._last_record)
            self.session.notify("interaction", {"added": [(iid, int(
                interaction.occurred_at.timestamp()))]})
        self.session.notify("action_item", [i.id for i in saved])
        self.outcome.clear()
        self.what.clear()
        self.due.clear()
        n = len(items)
        self._say(f"Recorded the QBR with {plural(n, 'agreed action')}; they are in Follow-ups "
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
            self._say("Something else was changed since; use Edit ▸ Undo in the main window.",
                      error=True)
            return
        self.session.undo.undo()
        self._last_record = None
        self.undo_button.hide()
        self.record_button.setEnabled(True)
        self._say("The recorded QBR was taken back out.")

    # -- paper ---------------------------------------------------------------------------
    def suggested_path(self) -> Path:
        folder = Path(str(QSettings().value("reports/folder", str(Path.home()))))
        name = self.data.vendor if self.data else "vendor"
        safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in name).strip() or "vendor"
        day = (self.data.today if self.data else date.today()).isoformat()
        return folder / f"QBR {safe} {day}.pdf"

    def print_pdf(self, out: Path | None = None, paper: str | None = None,
                  open_it: bool = True) -> None:
        """Ask where (unless told), build the PDF with the ticked agenda lines on a worker, then
        open it in the PDF viewer; `saved` says when it is written."""
        if self.data is None:
            return
        if out is None:
            name, _ = QFileDialog.getSaveFileName(self, "Print the QBR workspace to PDF",
                                                  str(self.suggested_path()), "PDF (*.pdf)")
            if not name:
                return
            out = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        QSettings().setValue("reports/folder", str(Path(out).parent))
        if paper is None:
            from partnerdesk.ui.report_export import default_paper

            paper = default_paper()
        data, lines, target, size = self.data, self.agenda.printed(), Path(out), paper

        def build() -> Path:
            from partnerdesk.services.qbr_report import build_qbr

            return Path(build_qbr(None, data.vendor_id, target, agenda=lines, paper=size,
                                  data=data))

        self.print_button.setEnabled(False)
        self.pdf_loader.run(build, lambda path: self._pdf_saved(path, open_it))

    def _pdf_saved(self, path: Path, open_it: bool) -> None:
        self.print_button.setEnabled(True)
        self.last_pdf = path
        self.saved_label.setText(f"Saved {path}")
        self.saved_bar.show()
        self.saved.emit(str(path))
        if open_it:
            self.open_pdf()

    def _pdf_failed(self, message: str) -> None:
        self.print_button.setEnabled(True)
        self.show_error(f"{message} No PDF was written.")

    def open_pdf(self) -> None:
        if self.last_pdf is not None:
            from partnerdesk.ui.open_file import open_in_viewer

            open_in_viewer(self, self.last_pdf)

