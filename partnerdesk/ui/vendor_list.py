"""The vendor column: names with acquirer, interaction count, last contact, overdue badge."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from partnerdesk.store.timeline import VendorLine
from partnerdesk.ui.messages import plural

VENDOR_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATS_ROLE = Qt.ItemDataRole.UserRole + 2
HEALTH_ROLE = Qt.ItemDataRole.UserRole + 3  # a QColor, filled in by the health view
# the pieces of the lines under the name: acquirer, counts, health score with its evidence
LINES_ROLE = Qt.ItemDataRole.UserRole + 4
NAME_ROLE = Qt.ItemDataRole.UserRole + 5  # the name alone (the acquirer has a line of its own)
_Index = QModelIndex | QPersistentModelIndex


class VendorListModel(QAbstractListModel):
    """Row 0 is 'All vendors'; the rest are vendors, archived ones only when asked."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._all: list[VendorLine] = []
        self._shown: list[VendorLine] = []
        self._stats: dict[int, tuple[int, int | None, int]] = {}
        self._health: dict[int, QColor] = {}
        self._health_notes: dict[int, tuple[str, ...]] = {}
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

    def set_health_notes(self, notes: dict[int, tuple[str, ...]]) -> None:
        """Per vendor, e.g. ("health 72", "rests on 14 interactions and 2 promises")."""
        self._health_notes = notes
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
        if role == LINES_ROLE:
            return self._lines(vendor)
        if role == NAME_ROLE:
            if vendor is None:
                return "All vendors"
            return vendor.name + (" — archived" if vendor.archived else "")
        if role == Qt.ItemDataRole.ToolTipRole and vendor is not None:
            n, last, overdue = self._stats.get(vendor.id, (0, None, 0))
            when = time.strftime("%Y-%m-%d", time.localtime(last)) if last else "never"
            today = time.strftime("%Y-%m-%d")
            health = self._health_notes.get(vendor.id)
            return (f"{vendor.display_name}\n{plural(n, 'interaction')} · last contact {when} · "
                    f"{plural(overdue, 'promise')} of theirs overdue as of {today}"
                    + (f"\n{' rests on '.join(health)}" if health else ""))
        return None

    def _lines(self, vendor: VendorLine | None) -> list[list[str]]:
        """The lines under the name, each a list of pieces that may wrap between them."""
        stats = self.data(self.index(self._shown.index(vendor) + 1 if vendor else 0), STATS_ROLE)
        lines: list[list[str]] = []
        if vendor is not None and vendor.acquirer:
            lines.append([f"part of {vendor.acquirer}"])
        if stats:
            n, last, overdue = stats
            counts = [plural(n, "interaction")]
            if last:
                counts.append("last " + time.strftime("%Y-%m-%d", time.localtime(last)))
            lines.append(counts)  # overdue promises: the red badge on the name line
        if vendor is not None and vendor.id in self._health_notes:
            lines.append(list(self._health_notes[vendor.id]))
        return lines


def health_notes(rows: Any) -> dict[int, tuple[str, ...]]:
    """Per scored vendor: ('health 72', '14 interactions, 2 promises'): every score carries the
    interactions and promises it rests on (issue 9), in the vendor list as everywhere else."""
    return {r.vendor_id: (f"health {r.score:.0f}",
                          f"{plural(r.evidence_interactions, 'interaction')}, "
                          f"{plural(r.evidence_promises, 'promise')}")
            for r in rows if r.score is not None}


def wrap_pieces(pieces: list[str], width: int, advance: Callable[[str], int]) -> list[str]:
    """Pieces joined with ' · ' into lines no wider than `width`, breaking between pieces and,
    for a piece too wide on its own, between its words. Nothing is cut."""
    lines: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current} · {piece}" if current else piece
        if advance(joined) <= width:
            current = joined
            continue
        if current:
            lines.append(current)
        current = ""
        for word in piece.split(" "):
            trial = f"{current} {word}" if current else word
            if advance(trial) <= width or not current:
                current = trial
            else:
                lines.append(current)
                current = word
    if current:
        lines.append(current)
    return lines


class VendorDelegate(QStyledItemDelegate):
    """The name (with a health dot and a red badge for overdue promises), then what the vendor
    is part of, counts and last contact, and the health score with what it rests on: lines that
    wrap to the list's width rather than cutting dates and names."""

    MARGIN = 8
    DOT = 18  # the dot and the gap after it

    @classmethod
    def preferred_width(cls, font: QFont) -> int:
        """Wide enough for each line under a name to fit unwrapped, with room for a scroll bar."""
        fm = QFontMetrics(cls._small(font))
        widest = max(fm.horizontalAdvance("1,234 interactions · last 2026-11-26"),
                     fm.horizontalAdvance("health 88 · 123 interactions, 12 promises"))
        return widest + 2 * cls.MARGIN + cls.DOT + 22

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
        return small

    @classmethod
    def small_metrics(cls, font: QFont) -> QFontMetrics:
        return QFontMetrics(cls._small(font))

    def text_width(self, option: QStyleOptionViewItem) -> int:
        widget = option.widget
        view = isinstance(widget, QAbstractItemView)
        total = widget.viewport().width() if view else option.rect.width()
        return max(60, total - 2 * self.MARGIN - self.DOT)

    def sub_lines(self, option: QStyleOptionViewItem, index: _Index) -> list[str]:
        advance = QFontMetrics(self._small(option.font)).horizontalAdvance
        width = self.text_width(option)
        out: list[str] = []
        for pieces in index.data(LINES_ROLE) or []:
            out += wrap_pieces(pieces, width, advance)
        return out

    def _name_lines(self, option: QStyleOptionViewItem, index: _Index) -> list[str]:
        stats = index.data(STATS_ROLE)
        overdue = stats[2] if stats else 0
        badge = option.fontMetrics.horizontalAdvance(str(overdue)) + 18 if overdue else 0
        return wrap_pieces([str(index.data(NAME_ROLE) or "")], self.text_width(option) - badge,
                           option.fontMetrics.horizontalAdvance)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        small = QFontMetrics(self._small(option.font))
        names = max(1, len(self._name_lines(option, index)))
        lines = max(1, len(self.sub_lines(option, index)))
        return QSize(self.text_width(option), names * option.fontMetrics.height() + lines * (small.height() + 1) + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
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
        top = rect.top()
        for line in self._name_lines(option, index):
            name_rect = QRect(text_left, top, rect.right() - text_left - badge_w, line_h)
            painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             fm.elidedText(line, Qt.TextElideMode.ElideRight, name_rect.width()))
            top += line_h
        small = self._small(option.font)
        painter.setFont(small)
        painter.setPen(dim)
        sfm = QFontMetrics(small)
        top += 2
        for line in self.sub_lines(option, index):
            painter.drawText(QRect(text_left, top, rect.right() - text_left, sfm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
            top += sfm.height() + 1
        painter.restore()
