"""The interaction timeline as a Qt table model over a list of ids.

Only the ids (and their sort keys) are held for the whole list: 16 bytes a row. Rows are read
by id in pages of 500 when the view first asks for them and kept in a small LRU, so a million
rows scroll end to end in well under 150 MiB. data() returns pre-formatted strings.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections import OrderedDict
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QHeaderView, QMenu, QTableView

from partnerdesk.services import followup_text
from partnerdesk.store.timeline import IdList, TimelineReader, TimelineRow
from partnerdesk.ui.formatting import date_format

PAGE = 500
CACHE_ROWS = 8000  # several screens either way of where the rep is

COL_WHEN, COL_VENDOR, COL_CHANNEL, COL_DIRECTION, COL_TAG, COL_SUMMARY, COL_CONTACTS, COL_FOLLOW = range(8)
HEADERS = ["When", "Vendor", "Channel", "Dir", "Tag", "Summary", "Contacts", "Follow-up"]
# Columns other than Summary are sized to what they hold, within these caps (in characters of
# the average width); Summary takes what is left (stretch), elided, its full text in the tooltip.
WIDTH_CAPS = {COL_VENDOR: 22, COL_CONTACTS: 18, COL_FOLLOW: 20}
NARROW_CAPS = {COL_VENDOR: 14, COL_CONTACTS: 14, COL_FOLLOW: 13}
# On a narrow screen (a small laptop at 2x) these start hidden: the detail pane shows them, and
# the header's context menu brings them back.
NARROW_HIDDEN = (COL_CHANNEL, COL_DIRECTION, COL_CONTACTS)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


# A line holds the eight columns' text, then the Follow-up column's tooltip (every action item
# with its state) and "1" when one of them is overdue (ActionItem.is_overdue).
_FOLLOW_TIP, _OVERDUE = len(HEADERS), len(HEADERS) + 1


def _display(r: TimelineRow, fmt: str, day_fmt: str, today: date) -> tuple[str, ...]:
    follow = tip = overdue = ""
    if r.items:  # most rows have none: skip the wording entirely (this runs for every row)
        def day(d: date) -> str:
            return d.strftime(day_fmt)

        follow = followup_text.cell_text(r.items, today, day)
        tip = followup_text.tooltip_text(r.items, today, day)
        overdue = "1" if followup_text.any_overdue(r.items, today) else ""
    return (
        time.strftime(fmt, time.localtime(r.occurred_at)),
        r.vendor,
        r.channel,
        "in" if r.direction == "in" else "out",
        r.tag,
        r.summary,
        r.contacts,
        follow,
        tip,
        overdue,
    )


class ColumnFitter(QObject):
    """Every column but Summary sized to its content (the header, the words a column can hold,
    the first rows), each within its cap; Summary stretches over the rest. When the timeline is
    too narrow for that (the detail pane open on a small screen) Vendor, Contacts and Follow-up
    give up width, down to a floor each, before Summary drops under SUMMARY_FLOOR characters.
    Once the rep drags a column's edge their widths are left alone."""

    SUMMARY_FLOOR = 30
    FLOORS = {COL_FOLLOW: 10, COL_CONTACTS: 8, COL_VENDOR: 10}  # in the order they give way

    def __init__(self, view: QTableView, model: TimelineModel):
        super().__init__(view)
        self.view = view
        self.model = model
        self.natural: dict[int, int] = {}
        self.pad = 0
        self.active = False
        self._applying = False
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(self._resized)

    def fit(self, narrow: bool = False) -> None:
        view, model = self.view, self.model
        fm: QFontMetrics = view.fontMetrics()
        pad = 2 * view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 8
        self.pad = pad
        for col in NARROW_HIDDEN:
            view.setColumnHidden(col, narrow)
        sample_day = time.mktime((2026, 12, 28, 23, 58, 0, 0, 0, -1))  # wide digits everywhere
        fixed = {
            COL_WHEN: [time.strftime(model.date_fmt(), time.localtime(sample_day))],
            COL_CHANNEL: ["meeting", "broadcast"],
            COL_DIRECTION: ["out"],
            COL_TAG: ["transactional"],
        }
        seen = model.first_lines()
        for col in range(len(HEADERS)):
            if col == COL_SUMMARY:
                continue
            texts = fixed.get(col, []) + [line[col] for line in seen]
            width = max([fm.horizontalAdvance(t) for t in texts]
                        + [fm.horizontalAdvance(HEADERS[col]) + 8])
            cap = (NARROW_CAPS if narrow else WIDTH_CAPS).get(col)
            if cap is not None:
                width = min(width, fm.averageCharWidth() * cap)
            self.natural[col] = width + pad
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.active = True
        self.apply()

    def apply(self) -> None:
        """Natural widths, less what Summary needs to keep SUMMARY_FLOOR characters."""
        if not self.active or not self.natural:
            return
        view = self.view
        fm = view.fontMetrics()
        char = fm.averageCharWidth()
        widths = dict(self.natural)
        shown = [c for c in widths if not view.isColumnHidden(c)]
        deficit = sum(widths[c] for c in shown) + self.SUMMARY_FLOOR * char - view.viewport().width()
        for col, floor in self.FLOORS.items():
            if deficit <= 0:
                break
            if col in shown:
                least = max(floor * char, fm.horizontalAdvance(HEADERS[col]) + self.pad + 8)
                give = max(0, min(widths[col] - least, deficit))
                widths[col] -= give
                deficit -= give
        self._applying = True
        try:
            for col, width in widths.items():
                if view.columnWidth(col) != width:
                    view.setColumnWidth(col, width)
        finally:
            self._applying = False

    def _resized(self, col: int, old: int, new: int) -> None:
        # hiding or showing a column resizes it to or from 0: not the rep's doing
        if not self._applying and col != COL_SUMMARY and old and new and self.view.isVisible():
            self.active = False  # the rep's own width: kept, and saved with the layout

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            try:
                self.apply()
            except RuntimeError:
                pass  # the table is being deleted with its window
        return False


def install_column_menu(view: QTableView) -> None:
    """Right-click on the header: a tick per column to show or hide it (Summary always shows)."""
    header = view.horizontalHeader()
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(pos: Any) -> None:
        menu = QMenu(header)
        for col, name in enumerate(HEADERS):
            if col == COL_SUMMARY:
                continue
            act = menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(not view.isColumnHidden(col))
            act.toggled.connect(lambda on, c=col: view.setColumnHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))
        menu.deleteLater()

    header.customContextMenuRequested.connect(show_menu)


class TimelineModel(QAbstractTableModel):
    def __init__(self, reader: TimelineReader, parent: Any = None):
        super().__init__(parent)
        self._reader = reader
        self._list = IdList(array("q"))
        # Display rows keyed by id, not by position, so inserting or removing a row never
        # throws away what has been read; evicted oldest-first past CACHE_ROWS.
        self._rows: OrderedDict[int, tuple[str, ...] | None] = OrderedDict()
        self._fmt, self._day_fmt = date_format()
        self._today = date.today()
        self._helpful = QBrush(QColor("#2e7d32"))
        self._transactional = QBrush(QColor("#b26a00"))
        self._overdue = QBrush(QColor("#c62828"))
        self.refresh_palette()

    # -- the list ------------------------------------------------------------------------
    def set_ids(self, ids: IdList) -> None:
        self.beginResetModel()
        self._list = ids
        self._rows.clear()
        self._fmt, self._day_fmt = date_format()
        self._today = date.today()
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

    def date_fmt(self) -> str:
        return self._fmt

    def first_lines(self, n: int = 100) -> list[tuple[str, ...]]:
        """The first `n` rows' texts (one page read): what column widths are sized to."""
        lines = (self._line(r) for r in range(min(n, self.rowCount())))
        return [line for line in lines if line is not None]

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
        """Slot a new row in by its time (newest first); returns its row.

        A binary search that reads the sort key of about 20 rows from the file (~0.5 ms at a
        million rows), so the model never has to hold a second array of times.
        """
        ids = self._list.ids
        target = (interaction_id, interaction_id) if self._list.by_entry else (key, interaction_id)
        lo, hi = 0, len(ids)
        while lo < hi:
            mid = (lo + hi) // 2
            probe = ((ids[mid], ids[mid]) if self._list.by_entry else self._reader.sort_key(ids[mid]))
            if probe is not None and probe > target:
                lo = mid + 1
            else:
                hi = mid
        self.beginInsertRows(QModelIndex(), lo, lo)
        ids.insert(lo, interaction_id)
        self.endInsertRows()
        return lo

    def remove_id(self, interaction_id: int) -> None:
        row = self.row_of(interaction_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._list.ids[row]
        self._rows.pop(interaction_id, None)
        self.endRemoveRows()

    def refresh_id(self, interaction_id: int) -> None:
        row = self.row_of(interaction_id)
        if row < 0:
            return
        self._rows.pop(interaction_id, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def refresh_rows(self) -> None:
        self._rows.clear()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(HEADERS) - 1))

    def refresh_palette(self) -> None:
        dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
        self._helpful = QBrush(QColor("#81c784" if dark else "#2e7d32"))
        self._transactional = QBrush(QColor("#ffb74d" if dark else "#a15c00"))
        self._overdue = QBrush(QColor("#ef9a9a" if dark else "#c62828"))

    def _line(self, row: int) -> tuple[str, ...] | None:
        iid = self._list.ids[row]
        try:
            return self._rows[iid]
        except KeyError:
            pass
        start = row - row % PAGE
        ids = [i for i in self._list.ids[start:start + PAGE] if i not in self._rows]
        try:
            found = self._reader.rows(ids)
        except sqlite3.DatabaseError:
            # A damaged page: show what can be shown; the open check tells the rep what to do.
            found = {}
        for i in ids:
            r = found.get(i)
            self._rows[i] = (_display(r, self._fmt, self._day_fmt, self._today)
                             if r is not None else None)
        while len(self._rows) > CACHE_ROWS:
            self._rows.popitem(last=False)
        return self._rows.get(iid)

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
            line = self._line(row)
            if line is None:
                return "(deleted or unreadable)" if index.column() == COL_SUMMARY else ""
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_FOLLOW:
                return line[_FOLLOW_TIP]
            return line[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            col = index.column()
            if col == COL_TAG:
                line = self._line(row)
                if line:
                    return self._helpful if line[COL_TAG] == "helpful" else self._transactional
            elif col == COL_FOLLOW:
                line = self._line(row)
                if line and line[_OVERDUE]:
                    return self._overdue
            return None
        if role == ID_ROLE:
            return self._list.ids[row]
        if role == TAG_ROLE:
            line = self._line(row)
            return line[COL_TAG] if line else None
        return None
