"""The QBR workspace window (Vendor ▸ QBR workspace…): last time's commitments and how they went,
the numbers, an agenda of asks generated from the evidence that the rep edits and prints, and the
outcome, recorded as action items that open the next QBR.

Data comes from services.qbr.qbr_data on a worker (a stdlib reader unless the full store is
already open); the PDF is services.qbr_report on a worker too. The agenda and outcome panels are
ui/qbr_panels.py; the menu entry is ui/qbr_action.py.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from partnerdesk.ui.form_dialog import error_colour, error_line
from partnerdesk.ui.health_common import (
    BusyIndicator,
    Loader,
    RefreshOnChange,
    heading,
    page_scroll,
    reader_journal,
)
from partnerdesk.ui.messages import plural
from partnerdesk.ui.qbr_panels import AgendaPanel, OutcomePanel, boxed, button, note
from partnerdesk.ui.report_export import SavedPdfBar
from partnerdesk.ui.table_models import RowsTableModel, read_only_table

if TYPE_CHECKING:
    from partnerdesk.services.qbr import QbrData
    from partnerdesk.ui.session import JournalSession

REFRESH_ON = ("interaction", "action_item", "vendor", "event", "question", "ledger", "settings")


def load_qbr(session: JournalSession, vendor_id: int) -> QbrData:
    """Runs on a worker thread."""
    from partnerdesk.services.qbr import qbr_data

    return qbr_data(reader_journal(session), vendor_id)


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

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.data: QbrData | None = None
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
        self.print_button = button("&Print to PDF…", self.print_pdf,
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

        self.saved_bar = SavedPdfBar("Open it again in your PDF viewer")

        # -- left: last time and the numbers --------------------------------------------
        self.last_title = heading("Last time")
        self.last_model = _Commitments(self)
        self.last_view = _wrapping(read_only_table(self.last_model, "Last time", 3))
        self.last_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.last_view.hide()
        self.last_note = note("Loading…")
        self.numbers = note("Loading…")
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setAccessibleName("The numbers")
        from partnerdesk.services.qbr import MONEY_HEADERS

        self.money_model = _Money(self, headers=MONEY_HEADERS)
        self.money_view = read_only_table(self.money_model, "Money per currency", 0)
        self.money_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.money_view.hide()
        self.money_note = note()
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 4, 0)
        left_box.addWidget(boxed(QFrame(), self.last_title, self.last_view, self.last_note))
        left_box.addWidget(boxed(QFrame(), heading("The numbers"), self.numbers,
                                 self.money_view, self.money_note))
        left_box.addStretch(1)
        left_scroll = page_scroll(left, sideways=False)

        # -- right: the agenda and the outcome ------------------------------------------
        self.agenda_panel = AgendaPanel()
        self.outcome_panel = OutcomePanel(session, vendor_id)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.agenda_panel)
        right.addWidget(self.outcome_panel)
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

        self.loader = Loader(self.busy, self.show_error, self)
        self.pdf_loader = Loader(self.pdf_busy, self._pdf_failed, self)
        self._watch = RefreshOnChange(session, self, REFRESH_ON, self.refresh)
        self.refresh()

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
        self.outcome_panel.set_today(data.today)

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

        self.agenda_panel.show_evidence(data.agenda)
        self.print_button.setEnabled(True)
        self.body.setCurrentIndex(1)
        self.loaded.emit()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message and self.data is None:
            self.loading.setText("The QBR workspace could not be read; see below.")

    # -- paper ---------------------------------------------------------------------------
    def print_pdf(self, out: Path | None = None, paper: str | None = None,
                  open_it: bool = True) -> None:
        """Ask where (unless told), build the PDF with the ticked agenda lines on a worker, then
        open it in the PDF viewer; `saved` says when it is written."""
        from partnerdesk.ui.report_export import ask_pdf_path, default_paper

        if self.data is None:
            return
        if out is None:
            out = ask_pdf_path(self, "Print the QBR workspace to PDF",
                               f"QBR {self.data.vendor} {self.data.today.isoformat()}")
            if out is None:
                return
        paper = paper or default_paper()
        data, lines, target, size = self.data, self.agenda_panel.printed(), Path(out), paper

        def build() -> Path:
            from partnerdesk.services.qbr_report import build_qbr

            return Path(build_qbr(None, data.vendor_id, target, agenda=lines, paper=size,
                                  data=data))

        self.print_button.setEnabled(False)
        self.pdf_loader.run(build, lambda path: self._pdf_saved(path, open_it))

    def _pdf_saved(self, path: Path, open_it: bool) -> None:
        self.print_button.setEnabled(True)
        self.saved_bar.show_saved(path)
        self.saved.emit(str(path))
        if open_it:
            self.saved_bar.open_pdf()

    def _pdf_failed(self, message: str) -> None:
        self.print_button.setEnabled(True)
        self.show_error(f"{message} No PDF was written.")

