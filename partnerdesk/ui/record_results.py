"""The search's other result rows: events, answers and ledger records that match, above the
interactions, each saying what kind of record it is; Enter or a double-click opens it where it
lives (the vendor page's events or ledger tabs, the questions window, the ledger window)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.store.search_all import KIND_LABELS, FoundRecord
from partnerdesk.ui.messages import plural
from partnerdesk.ui.table_models import RowsTableModel, read_only_table

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow

MAX_ROWS_SHOWN = 6  # more scroll inside the list; the interactions keep the rest of the height
COL_KIND, COL_VENDOR, COL_DAY, COL_WHAT = range(4)


class RecordRowsModel(RowsTableModel):
    headers = ["Kind", "Vendor", "Date", "What"]

    def set_records(self, records: list[FoundRecord]) -> None:
        self.set_rows(records)

    def display(self, row: int, column: int) -> Any:
        r: FoundRecord = self.rows[row]
        return (r.label, r.vendor, r.on, r.text)[column]

    def record_at(self, row: int) -> FoundRecord | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


def count_text(records: list[FoundRecord]) -> str:
    """'Also found: 2 events, 1 answer and 3 deal registrations'."""
    counts: dict[str, int] = {}
    for r in records:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    parts = [plural(n, KIND_LABELS.get(kind, kind).lower()) for kind, n in counts.items()]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Also found: {joined}"


class RecordResults(QWidget):
    """A heading and a short table; hidden when the search finds no other records."""

    open_requested = Signal(object)  # a FoundRecord
    leave_down = Signal()  # Down past the last row: on into the interactions
    leave_up = Signal()  # Up from the first row: back to the search box

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recordResults")
        self.heading = QLabel()
        self.heading.setObjectName("recordResultsHeading")
        self.model = RecordRowsModel(self)
        self.view: QTableView = read_only_table(self.model, "Other matching records", COL_WHAT,
                                                resize=QHeaderView.ResizeMode.Interactive)
        self.view.setObjectName("recordResultsTable")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.activated.connect(self._activated)
        self.view.installEventFilter(self)
        self.heading.setBuddy(self.view)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 4, 6, 4)
        box.setSpacing(2)
        box.addWidget(self.heading)
        box.addWidget(self.view)
        self.setVisible(False)

    def set_records(self, records: list[FoundRecord]) -> None:
        self.model.set_records(records)
        self.setVisible(bool(records))
        if not records:
            return
        self.heading.setText(count_text(records))
        fm = self.view.fontMetrics()
        widths = {COL_KIND: max(fm.horizontalAdvance(r.label) for r in records),
                  COL_VENDOR: min(max(fm.horizontalAdvance(r.vendor) for r in records),
                                  fm.averageCharWidth() * 22),
                  COL_DAY: fm.horizontalAdvance("2026-12-28")}
        for col, width in widths.items():
            self.view.setColumnWidth(col, max(width, fm.horizontalAdvance(self.model.headers[col]))
                                     + 20)
        rows = min(len(records), MAX_ROWS_SHOWN)
        height = (self.view.horizontalHeader().sizeHint().height() + 2 * self.view.frameWidth()
                  + rows * self.view.verticalHeader().defaultSectionSize())
        self.view.setFixedHeight(height)

    def records(self) -> list[FoundRecord]:
        return list(self.model.rows)

    def enter(self) -> None:
        """Focus the first row (Down from the search box)."""
        self.view.setFocus()
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _activated(self, index: Any) -> None:
        record = self.model.record_at(index.row())
        if record is not None:
            self.open_requested.emit(record)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            key = QKeyEvent(event).key() if not isinstance(event, QKeyEvent) else event.key()
            row = self.view.currentIndex().row()
            if key == Qt.Key.Key_Down and row >= self.model.rowCount() - 1:
                self.leave_down.emit()
                return True
            if key == Qt.Key.Key_Up and row <= 0:
                self.leave_up.emit()
                return True
        return super().eventFilter(watched, event)


# -- opening a record where it lives ---------------------------------------------------------
def open_record(w: MainWindow, record: FoundRecord) -> None:
    """Events and the vendor's ledger on the vendor page (the right tab, the record selected),
    answers in the vendor's questions window, certifications in the ledger window."""
    if record.kind == "answer":
        _open_answer(w, record)
    elif record.kind == "certification":
        _open_certification(w, record)
    else:
        _open_on_vendor_page(w, record)


def _open_on_vendor_page(w: MainWindow, record: FoundRecord) -> None:
    from partnerdesk.ui.menus.vendor_menu import open_vendor_window
    from partnerdesk.ui.vendor_page import VendorPage

    made: list[VendorPage] = []

    def build(session: Any, vid: int, parent: Any) -> VendorPage:
        made.append(VendorPage(session, vid, parent))
        return made[-1]

    open_vendor_window(w, build, record.vendor_id)
    if not made:
        return
    page = made[0]
    if record.kind == "event":
        _select(page.events_view, page.events_model.row_of(record.record_id))
        page.events_view.setFocus()
        return
    panel = {"registration": getattr(page, "ledger_registrations", None),
             "money": getattr(page, "ledger_money", None)}.get(record.kind)
    tabs = getattr(page, "ledger_tabs", None)
    if panel is not None and tabs is not None:
        tabs.setCurrentWidget(panel)
        _select(panel.view, panel.model.row_of(record.record_id))
        panel.view.setFocus()
        return
    programme = getattr(page, "ledger_programme", None)
    if programme is not None and tabs is not None:  # tier changes and benefits
        tabs.setCurrentWidget(programme)
        view, model = ((programme.tiers_view, programme.tiers) if record.kind == "tier"
                       else (programme.benefits_view, programme.benefits))
        _select(view, model.row_of(record.record_id))
        view.setFocus()


def _open_answer(w: MainWindow, record: FoundRecord) -> None:
    from partnerdesk.ui.menus.vendor_menu import open_vendor_window
    from partnerdesk.ui.questions_panel import QuestionsPanel

    def build(session: Any, vid: int, parent: Any) -> QuestionsPanel:
        panel = QuestionsPanel(session, vid, parent)
        panel._selected = record.question_id  # selected when its questions have been read
        return panel

    open_vendor_window(w, build, record.vendor_id)


def _open_certification(w: MainWindow, record: FoundRecord) -> None:
    from partnerdesk.ui.ledger_views import LedgerWindow
    from partnerdesk.ui.placement import place_window

    dialog = LedgerWindow(w.session, w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    w.ledger_window = dialog
    dialog.tabs.setCurrentWidget(dialog.certifications)
    place_window(dialog, w)
    dialog.show()
    panel = dialog.certifications
    _select(panel.view, panel.model.row_of(record.record_id))
    panel.view.setFocus()


def _select(view: QTableView, row: int) -> None:
    if row >= 0:
        index = view.model().index(row, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)
