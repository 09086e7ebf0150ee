"""Open follow-ups: what vendors promised, apart from the rep's own to-dos; mark them done.

Two tables, one per owner, because the rep reads them differently: a vendor's broken promise
is a relationship signal, an own to-do is just work.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.models import Interaction, InteractionFilter
from partnerdesk.domain.vocab import FollowUpOwner
from partnerdesk.domain.when import local_now
from partnerdesk.ui.form_dialog import error_colour, error_text
from partnerdesk.ui.formatting import date_format
from partnerdesk.ui.table_models import RowsTableModel, read_only_table

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ["Due", "Vendor", "What", "From"]
LIMIT = 1000  # rows per list; beyond this a rep filters, not scrolls
NARROW = 480  # below this many pixels the From column is hidden


def _due_tip(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return "Due today"
    span = f"{abs(days):,} day{'s' if abs(days) != 1 else ''}"
    return f"Overdue by {span}" if days < 0 else f"Due in {span}"


class FollowUpsModel(RowsTableModel):
    """Open follow-ups of one owner, soonest due first, as ready-made strings."""

    headers = HEADERS

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        # rows: id, occurred_at epoch, texts, overdue, tooltips
        self._overdue = QBrush(QColor(error_colour()))

    def set_items(self, items: list[Interaction], today: date, names: dict[int, str]) -> None:
        day_fmt = date_format()[1]
        rows = []
        for it in items:
            fu = it.follow_up
            assert fu is not None
            overdue = fu.due < today
            due = fu.due.strftime(day_fmt)
            # Said in words as well as in red, for colour-blind eyes and screen readers.
            if overdue:
                due += " · overdue"
            elif fu.due == today:
                due += " · today"
            logged = it.occurred_at.astimezone().strftime(day_fmt)
            texts = (due, names.get(it.vendor_id, it.vendor_name), fu.what or it.summary, logged)
            tips = (_due_tip(fu.due, today), texts[1], f"{texts[2]}\nFrom {logged}: {it.summary}",
                    logged)
            rows.append((it.id, int(it.occurred_at.timestamp()), texts, overdue, tips))
        self._overdue = QBrush(QColor(error_colour()))
        self.set_rows(rows)

    def key_at(self, row: int) -> tuple[int, int]:
        """(interaction id, occurred_at epoch): what the timeline needs to find the row."""
        r = self.rows[row]
        return r[0], r[1]

    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r[3])

    def display(self, row: int, column: int) -> Any:
        return self.rows[row][2][column]

    def tooltip(self, row: int, column: int) -> Any:
        return self.rows[row][4][column]

    def foreground(self, row: int, column: int) -> Any:
        return self._overdue if self.rows[row][3] else None

    def role_data(self, row: int, column: int, role: int) -> Any:
        return self.rows[row][0] if role == ID_ROLE else None


class FollowUpsView(QWidget):
    """Space or Enter marks the selected follow-ups done; a double-click opens the interaction."""

    open_interaction = Signal(int)

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("followUpsView")

        self.overdue_only = QCheckBox("Show &overdue only")
        self.overdue_only.setChecked(QSettings().value("followups/overdue_only", False, type=bool))
        self.overdue_only.toggled.connect(self._overdue_toggled)
        self.summary = QLabel()
        self.summary.setAccessibleName("Follow-up count")
        self.mark_done = QPushButton("&Mark done")
        self.mark_done.setToolTip("Mark the selected follow-ups done (Space or Enter in the list)")
        self.mark_done.clicked.connect(self.mark_selected_done)
        top = QHBoxLayout()
        top.addWidget(self.overdue_only)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addWidget(self.mark_done)

        self._vendor_width: dict[QTableView, int] = {}  # the vendor column's width unsqueezed
        self.promises = FollowUpsModel(self)
        self.todos = FollowUpsModel(self)
        self.promises_view = self._table(self.promises, "Vendor promises")
        self.todos_view = self._table(self.todos, "My to-dos")
        self.promises_label = QLabel()
        self.todos_label = QLabel()
        self.promises_label.setBuddy(self.promises_view)
        self.todos_label.setBuddy(self.todos_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        for label, view in ((self.promises_label, self.promises_view),
                            (self.todos_label, self.todos_view)):
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 4, 0, 0)
            col.addWidget(label)
            col.addWidget(view)
            split.addWidget(box)
        self._active = self.promises_view  # the list Mark done acts on: the one used last

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_colour()};")
        self.error.setAccessibleName("Error")
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)

        # Changes are picked up a moment later, not inside session.notify: the timeline shows a
        # saved interaction first, and a burst of changes costs one refresh.
        self._stale = False
        self._soon = QTimer(self, singleShot=True, interval=30, timeout=self._refresh_if_shown)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _table(self, model: FollowUpsModel, name: str) -> QTableView:
        view = read_only_table(model, name, 2, resize=QHeaderView.ResizeMode.Interactive, multi_select=True)
        header = view.horizontalHeader()
        header.setResizeContentsPrecision(200)  # sizing by 1,000 rows costs more than it shows
        view.doubleClicked.connect(lambda index: self._open(model, index))
        for key in ("Space", "Return", "Enter"):
            QShortcut(QKeySequence(key), view, activated=self.mark_selected_done,
                      context=Qt.ShortcutContext.WidgetShortcut)
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed(view))
        view.selectionModel().currentChanged.connect(
            lambda cur, _prev: self._select_current(view, cur))
        return view

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        today = local_now().date()
        self._stale = False
        overdue_only = self.overdue_only.isChecked()
        try:
            store = self.session.store()
            items = store.interactions.follow_ups(today, overdue_only=overdue_only, limit=LIMIT)
            total = len(items)
            if total == LIMIT:
                total = store.interactions.count(InteractionFilter(open_follow_up=True))
            names = {v.id: v.display_name for v in self.session.reader.vendors()}
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.show_error("")
        model: FollowUpsModel = self._active.model()  # type: ignore[assignment]
        keep = {model.key_at(r)[0] for r in self._selected_rows()}
        vendor = [i for i in items if i.follow_up and i.follow_up.owner is FollowUpOwner.VENDOR]
        mine = [i for i in items if i.follow_up and i.follow_up.owner is not FollowUpOwner.VENDOR]
        self.promises.set_items(vendor, today, names)
        self.todos.set_items(mine, today, names)
        self.promises_label.setText(f"&Vendor promises ({len(vendor)})")
        self.todos_label.setText(f"My &to-dos ({len(mine)})")
        overdue = self.promises.overdue_count() + self.todos.overdue_count()
        if len(items) < LIMIT:
            self.summary.setText(f"{len(items)} open · {overdue} overdue")
        else:  # a journal with years of open follow-ups: say how many are not shown
            self.summary.setText(f"showing the {LIMIT:,} due soonest of {total:,} open")
        for view in (self.promises_view, self.todos_view):
            # Sized to the contents once; after that the widths are the rep's to drag.
            if view not in self._vendor_width and view.model().rowCount():
                for col in (0, 1, 3):
                    view.resizeColumnToContents(col)
                self._vendor_width[view] = view.columnWidth(1)
                self._fit_columns(view)
        for row in range(model.rowCount()):  # the same follow-ups stay selected
            if model.key_at(row)[0] in keep:
                self._active.selectionModel().select(
                    model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows)
        self._update_button()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _on_changed(self, kind: str, _ids: object) -> None:
        if kind in ("interaction", "vendor"):  # vendor: a rename or acquisition changes names
            self._soon.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # a hidden dock is not worth a query per change

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _overdue_toggled(self, checked: bool) -> None:
        QSettings().setValue("followups/overdue_only", checked)
        self.refresh()

    # -- choosing ------------------------------------------------------------------------
    def _fit_columns(self, view: QTableView) -> None:
        """Keep "What" readable in a narrow dock: the vendor name elides, and "From" (also in
        each row's tooltip) steps aside when there is no room for it."""
        width = view.viewport().width()
        narrow = width < NARROW
        view.setColumnHidden(3, narrow)
        natural = self._vendor_width.get(view, 180)
        view.setColumnWidth(1, min(natural, max(90, width // (4 if narrow else 3))))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        views = (self.promises_view, self.todos_view)
        if event.type() == QEvent.Type.FocusIn and watched in views:
            self._make_active(watched)  # type: ignore[arg-type]
        elif event.type() == QEvent.Type.Resize:
            for view in views:
                if watched is view.viewport():  # its new size is known only by now
                    self._fit_columns(view)
        return super().eventFilter(watched, event)

    def _make_active(self, view: QTableView) -> None:
        if view is not self._active:
            self._active.clearSelection()  # one list at a time, so Mark done is unambiguous
            self._active = view
        self._update_button()

    def _selection_changed(self, view: QTableView) -> None:
        if view.selectionModel().hasSelection():
            self._make_active(view)
        self._update_button()

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self._active.selectionModel().selectedRows()})

    @staticmethod
    def _select_current(view: QTableView, current: QModelIndex) -> None:
        # Tabbing into a list gives it a current row but no selection; select that row, so
        # the row Space would mark is the highlighted one.
        if current.isValid() and not view.selectionModel().hasSelection():
            view.selectRow(current.row())

    def _update_button(self) -> None:
        self.mark_done.setEnabled(bool(self._active.selectionModel().selectedRows()))

    def _open(self, model: FollowUpsModel, index: QModelIndex) -> None:
        if index.isValid():
            self.open_interaction.emit(model.key_at(index.row())[0])

    # -- doing ---------------------------------------------------------------------------
    def mark_selected_done(self) -> None:
        view = self._active
        model: FollowUpsModel = view.model()  # type: ignore[assignment]
        rows = self._selected_rows()
        if not rows:
            return
        done: list[tuple[int, int]] = []
        problem = ""
        try:
            store = self.session.store()
            now = local_now()
            for row in rows:
                item = store.interactions.set_follow_up_done(model.key_at(row)[0], now)
                done.append((item.id, int(item.occurred_at.timestamp())))
        except Exception as exc:
            problem = error_text(exc, self.session.path)
        if done:
            self.session.notify("interaction", {"updated": done})
            self.refresh()  # at once, not a moment later: the rep is watching this list
            self._soon.stop()
            # Keep the cursor where it was, so the rep can work down the list with Space.
            if model.rowCount():
                row = min(rows[0], model.rowCount() - 1)
                view.setCurrentIndex(model.index(row, 0))
                view.selectRow(row)
        self.show_error(problem)
