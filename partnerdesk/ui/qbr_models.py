"""The QBR workspace's lists: the agenda the rep edits before printing, and the agreed actions
waiting to be recorded. Plain models, testable without the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from partnerdesk.ui.table_models import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex
MINE = "mine"  # the kind of an agenda line the rep added

KIND_WORDS = {  # what the evidence behind a generated line is, for its tooltip
    "last time": "agreed at the last QBR and not delivered",
    "promise": "an overdue promise",
    "registrations": "deal registrations",
    "money": "money owed",
    "change": "a change the vendor made since the last QBR",
    "silence": "the vendor has gone quiet",
    "programme": "the partner programme",
    "question": "a partnership question",
}


@dataclass
class AgendaLine:
    text: str
    kind: str  # services.qbr.KINDS, or MINE
    printed: bool = True


class AgendaModel(QAbstractListModel):
    """Agenda lines: edit a line in place (F2 or double-click), tick which to print, move up and
    down, remove, add your own. `edited` says whether the rep changed anything since the
    evidence last filled it (then a refresh keeps their agenda)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.lines: list[AgendaLine] = []
        self.edited = False

    # -- filling and reading ---------------------------------------------------------------
    def fill(self, items: Sequence[Any]) -> None:
        """From the evidence (services.qbr.AgendaItem): every line ticked, nothing edited."""
        self.beginResetModel()
        self.lines = [AgendaLine(i.text, i.kind) for i in items]
        self.endResetModel()
        self.edited = False

    def printed(self) -> list[str]:
        """The ticked lines with text, in order: what goes into the PDF."""
        return [line.text.strip() for line in self.lines if line.printed and line.text.strip()]

    # -- the model -------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        return base | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return line.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if line.printed else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            about = ("You added this line." if line.kind == MINE
                     else f"From the evidence: {KIND_WORDS.get(line.kind, line.kind)}.")
            return f"{line.text}\n\n{about} " + ("Printed." if line.printed else "Not printed.")
        if role == Qt.ItemDataRole.ForegroundRole and not line.printed:
            from PySide6.QtGui import QGuiApplication, QPalette

            return QGuiApplication.palette().color(QPalette.ColorGroup.Disabled,
                                                   QPalette.ColorRole.Text)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.EditRole:
            text = " ".join(str(value).split())
            if not text or text == line.text:
                return False  # an emptied line keeps its text: Remove is how a line goes
            line.text = text
        elif role == Qt.ItemDataRole.CheckStateRole:
            line.printed = Qt.CheckState(value) == Qt.CheckState.Checked
        else:
            return False
        self.edited = True
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.ForegroundRole])
        return True

    # -- editing ---------------------------------------------------------------------------
    def add(self, text: str, row: int | None = None) -> int:
        """A line of the rep's own (after `row`, else at the end); returns its row."""
        row = len(self.lines) if row is None else max(0, min(row, len(self.lines)))
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.insert(row, AgendaLine(" ".join(text.split()), MINE))
        self.endInsertRows()
        self.edited = True
        return row

    def remove(self, row: int) -> AgendaLine | None:
        if not 0 <= row < len(self.lines):
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        line = self.lines.pop(row)
        self.endRemoveRows()
        self.edited = True
        return line

    def move(self, row: int, by: int) -> int:
        """Move a line up (by=-1) or down (by=1); returns where it is now."""
        to = row + by
        if not (0 <= row < len(self.lines) and 0 <= to < len(self.lines)):
            return row
        # beginMoveRows counts the destination before the move: one further when moving down.
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), to + 1 if by > 0 else to)
        self.lines.insert(to, self.lines.pop(row))
        self.endMoveRows()
        self.edited = True
        return to


@dataclass(frozen=True)
class AgreedItem:
    owner: str  # 'vendor' or 'me'
    what: str
    due: date


OUTCOME_HEADERS = ["Who", "What was agreed", "By when"]


class OutcomeModel(RowsTableModel):
    """The actions agreed at this meeting, not yet recorded."""

    headers = OUTCOME_HEADERS

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.items: list[AgreedItem] = []

    def add(self, item: AgreedItem) -> None:
        self.items.append(item)
        self.set_rows(self.items)

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.items):
            del self.items[row]
            self.set_rows(self.items)

    def clear(self) -> None:
        self.items = []
        self.set_rows([])

    def display(self, row: int, column: int) -> Any:
        item: AgreedItem = self.rows[row]
        if column == 0:
            return "the vendor" if item.owner == "vendor" else "me"
        if column == 1:
            return item.what
        from partnerdesk.services.qbr import fmt_day

        return fmt_day(item.due)
