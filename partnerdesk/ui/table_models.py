"""Read-only table models over a list of rows: row and column counts and headers, written once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

_Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """One entry of `rows` per row, one of `headers` per column; nothing is editable.

    data() only dispatches on the role to hooks that a subclass overrides: display() (by
    default the row's item at that column), tooltip() (by default what is displayed),
    foreground() and role_data() for any other role (both by default nothing).
    """

    headers: Sequence[str] = ()

    def __init__(self, parent: Any = None, *, headers: Sequence[str] | None = None,
                 rows: Sequence[Any] = ()):
        super().__init__(parent)
        if headers is not None:
            self.headers = list(headers)
        self.rows: list[Any] = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a model reset, so views drop selection and re-read)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        return self.role_data(row, column, role)

    def display(self, row: int, column: int) -> Any:
        return self.rows[row][column]

    def tooltip(self, row: int, column: int) -> Any:
        return self.display(row, column)

    def foreground(self, row: int, column: int) -> Any:
        return None

    def role_data(self, row: int, column: int, role: int) -> Any:
        return None


def read_only_table(model: QAbstractTableModel, name: str, stretch: int,
                    resize: QHeaderView.ResizeMode = QHeaderView.ResizeMode.ResizeToContents,
                    multi_select: bool = False) -> QTableView:
    """The house look of a read-only table: whole rows, compact, Tab leaves it, one column stretches."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi_select
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the buttons, as a rep expects
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(resize)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
