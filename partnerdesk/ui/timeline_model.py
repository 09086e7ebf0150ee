"""The interaction timeline as a Qt table model over a list of ids.

Only the ids (and their sort keys) are held for the whole list: 16 bytes a row. Rows are read
by id in pages of 500 when the view first asks for them and kept in a small LRU, so a million
rows scroll end to end in well under 150 MiB. data() returns pre-formatted strings.
"""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from partnerdesk.store.timeline import IdList, TimelineReader, TimelineRow
from partnerdesk.ui.formatting import date_format

PAGE = 500
MAX_PAGES = 60

COL_WHEN, COL_VENDOR, COL_CHANNEL, COL_DIRECTION, COL_TAG, COL_SUMMARY, COL_CONTACTS, COL_FOLLOW = range(8)
HEADERS = ["When", "Vendor", "Channel", "Dir", "Tag", "Summary", "Contacts", "Follow-up"]
ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def _display(r: TimelineRow, fmt: str, today: str) -> tuple[str, ...]:
    follow = ""
    if r.follow_up_due:
        who = "vendor" if r.follow_up_owner == "vendor" else "me"
        if r.follow_up_done:
            follow = f"done ({who})"
        elif r.follow_up_due < today:
            follow = f"overdue {r.follow_up_due} ({who})"
        else:
            follow = f"{r.follow_up_due} ({who})"
    return (
        time.strftime(fmt, time.localtime(r.occurred_at)),
        r.vendor,
        r.channel,
        "in" if r.direction == "in" else "out",
        r.tag,
        r.summary,
        r.contacts,
        follow,
    )


class TimelineModel(QAbstractTableModel):
    def __init__(self, reader: TimelineReader, parent: Any = None):
        super().__init__(parent)
        self._reader = reader
        self._list = IdList(array("q"), array("q"))
        self._pages: OrderedDict[int, list[tuple[str, ...] | None]] = OrderedDict()
        self._fmt = date_format()[0]
        self._today = time.strftime("%Y-%m-%d")
        self._helpful = QBrush(QColor("#2e7d32"))
        self._transactional = QBrush(QColor("#b26a00"))
        self._overdue = QBrush(QColor("#c62828"))
        self.refresh_palette()

    # -- the list ------------------------------------------------------------------------
    def set_ids(self, ids: IdList) -> None:
        self.beginResetModel()
        self._list = ids
        self._pages.clear()
        self._fmt = date_format()[0]
        self._today = time.strftime("%Y-%m-%d")
        self.endResetModel()

    def extend_to(self, full: IdList) -> None:
        """Grow the first page into the full list without a reset (keeps scroll and selection)."""
        n = len(self._list.ids)
        if full.by_entry == self._list.by_entry and full.ids[:n] == self._list.ids and len(full.ids) >= n:
            if len(full.ids) > n:
                self.beginInsertRows(QModelIndex(), n, len(full.ids) - 1)
                self._list = full
                self.endInsertRows()
            else:
                self._list = full
            return
        self.set_ids(full)

    def id_list(self) -> IdList:
        return self._list

    def id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._list.ids):
            return self._list.ids[row]
        return None

    def row_of(self, interaction_id: int) -> int:
        try:
            return self._list.ids.index(interaction_id)
        except ValueError:
            return -1

    def insert_id(self, interaction_id: int, key: int) -> int:
        """Slot a new row in by its sort key (newest first); returns its row."""
        keys = self._list.times
        # keys descend; search the negated order without copying the whole array
        lo, hi = 0, len(keys)
        while lo < hi:
            mid = (lo + hi) // 2
            if (keys[mid], self._list.ids[mid]) > (key, interaction_id):
                lo = mid + 1
            else:
                hi = mid
        self.beginInsertRows(QModelIndex(), lo, lo)
        self._list.ids.insert(lo, interaction_id)
        self._list.times.insert(lo, key)
        self._drop_pages_from(lo)
        self.endInsertRows()
        return lo

    def remove_id(self, interaction_id: int) -> None:
        row = self.row_of(interaction_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._list.ids[row]
        del self._list.times[row]
        self._drop_pages_from(row)
        self.endRemoveRows()

    def refresh_id(self, interaction_id: int) -> None:
        row = self.row_of(interaction_id)
        if row < 0:
            return
        self._pages.pop(row // PAGE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def refresh_rows(self) -> None:
        self._pages.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(HEADERS) - 1))

    def refresh_palette(self) -> None:
        dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self._helpful = QBrush(QColor("#81c784" if dark else "#2e7d32"))
        self._transactional = QBrush(QColor("#ffb74d" if dark else "#a15c00"))
        self._overdue = QBrush(QColor("#ef9a9a" if dark else "#c62828"))

    def _drop_pages_from(self, row: int) -> None:
        first = row // PAGE
        for p in [p for p in self._pages if p >= first]:
            del self._pages[p]

    def _page(self, number: int) -> list[tuple[str, ...] | None]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        ids = self._list.ids[number * PAGE:(number + 1) * PAGE]
        found = self._reader.rows(ids)
        page = [_display(found[i], self._fmt, self._today) if i in found else None for i in ids]
        self._pages[number] = page
        if len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._list.ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            line = self._page(row // PAGE)[row % PAGE]
            if line is None:
                return "(deleted)" if index.column() == COL_SUMMARY else ""
            return line[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            col = index.column()
            if col == COL_TAG:
                line = self._page(row // PAGE)[row % PAGE]
                if line:
                    return self._helpful if line[COL_TAG] == "helpful" else self._transactional
            elif col == COL_FOLLOW:
                line = self._page(row // PAGE)[row % PAGE]
                if line and line[COL_FOLLOW].startswith("overdue"):
                    return self._overdue
            return None
        if role == ID_ROLE:
            return self._list.ids[row]
        if role == TAG_ROLE:
            line = self._page(row // PAGE)[row % PAGE]
            return line[COL_TAG] if line else None
        return None
