"""The vendor column: names with acquirer, interaction count, last contact, overdue badge."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from partnerdesk.store.timeline import VendorLine
from partnerdesk.ui.messages import plural

VENDOR_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATS_ROLE = Qt.ItemDataRole.UserRole + 2
HEALTH_ROLE = Qt.ItemDataRole.UserRole + 3  # a QColor, filled in by the health view
_Index = QModelIndex | QPersistentModelIndex


class VendorListModel(QAbstractListModel):
    """Row 0 is 'All vendors'; the rest are vendors, archived ones only when asked."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._all: list[VendorLine] = []
        self._shown: list[VendorLine] = []
        self._stats: dict[int, tuple[int, int | None, int]] = {}
        self._health: dict[int, QColor] = {}
        self.show_archived = False

    def set_vendors(self, vendors: list[VendorLine]) -> None:
        self.beginResetModel()
        self._all = vendors
        self._shown = [v for v in vendors if self.show_archived or not v.archived]
        self.endResetModel()

    def set_show_archived(self, show: bool) -> None:
        self.show_archived = show
        self.set_vendors(self._all)

    def set_stats(self, stats: dict[int, tuple[int, int | None, int]]) -> None:
        self._stats = stats
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def set_health(self, colours: dict[int, QColor]) -> None:
        self._health = colours
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1))

    def vendors(self) -> list[VendorLine]:
        return list(self._all)

    def row_of(self, vendor_id: int | None) -> int:
        if vendor_id is None:
            return 0
        for i, v in enumerate(self._shown, start=1):
            if v.id == vendor_id:
                return i
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown) + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        vendor = self._shown[row - 1] if row > 0 else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if vendor is None:
                total = sum(s[0] for s in self._stats.values())
                return f"All vendors ({total:,})" if self._stats and role == Qt.ItemDataRole.AccessibleTextRole else "All vendors"
            name = vendor.display_name + (" — archived" if vendor.archived else "")
            if role == Qt.ItemDataRole.AccessibleTextRole:
                n, last, overdue = self._stats.get(vendor.id, (0, None, 0))
                return f"{name}, {plural(n, 'interaction')}, {plural(overdue, 'overdue promise')}"
            return name
        if role == VENDOR_ID_ROLE:
            return vendor.id if vendor else None
        if role == STATS_ROLE:
            if vendor is None:
                return (sum(s[0] for s in self._stats.values()), None,
                        sum(s[2] for s in self._stats.values())) if self._stats else None
            return self._stats.get(vendor.id)
        if role == HEALTH_ROLE:
            return self._health.get(vendor.id) if vendor else None
        if role == Qt.ItemDataRole.ToolTipRole and vendor is not None:
            n, last, overdue = self._stats.get(vendor.id, (0, None, 0))
            when = time.strftime("%Y-%m-%d", time.localtime(last)) if last else "never"
            today = time.strftime("%Y-%m-%d")
            return (f"{vendor.display_name}\n{plural(n, 'interaction')} · last contact {when} · "
                    f"{plural(overdue, 'promise')} of theirs overdue as of {today}")
        return None


class VendorDelegate(QStyledItemDelegate):
    """Two lines: the name, then count · last contact; a red badge for overdue follow-ups."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = option.fontMetrics
        return QSize(200, fm.height() * 2 + 12)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        fg = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        dim = QColor(fg)
        dim.setAlphaF(0.65)
        rect = option.rect.adjusted(8, 4, -8, -4)
        fm = option.fontMetrics
        line_h = fm.height()

        health = index.data(HEALTH_ROLE)
        dot = QRect(rect.left(), rect.top() + (line_h - 10) // 2 + 1, 10, 10)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(health if isinstance(health, QColor) else QColor(128, 128, 128, 60))
        painter.drawEllipse(dot)
        text_left = dot.right() + 8

        stats = index.data(STATS_ROLE)
        badge_w = 0
        if stats and stats[2]:
            label = str(stats[2])
            bf = QFont(option.font)
            bf.setBold(True)
            bf.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.85))
            painter.setFont(bf)
            bw = painter.fontMetrics().horizontalAdvance(label) + 12
            badge = QRect(rect.right() - bw, rect.top() + 1, bw, line_h - 2)
            painter.setBrush(QColor("#c62828"))
            painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
            painter.setPen(QColor("white"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            badge_w = bw + 6
        painter.setFont(option.font)
        painter.setPen(fg)
        name_rect = QRect(text_left, rect.top(), rect.right() - text_left - badge_w, line_h)
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, name_rect.width()))
        if stats:
            n, last, overdue = stats
            sub = plural(n, "interaction")
            if last:
                sub += " · last " + time.strftime("%Y-%m-%d", time.localtime(last))
            if overdue:
                sub += f" · {overdue} overdue"
            small = QFont(option.font)
            small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.88))
            painter.setFont(small)
            painter.setPen(dim)
            sub_rect = QRect(text_left, rect.top() + line_h + 2, rect.right() - text_left, line_h)
            painter.drawText(sub_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(sub, Qt.TextElideMode.ElideRight, sub_rect.width()))
        painter.restore()
