"""The toolbar's filters: search text, tag, channel, date range and open follow-ups."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from partnerdesk.domain.models import InteractionFilter
from partnerdesk.domain.vocab import Channel, Tag
from partnerdesk.domain.when import day_start, local_now

RANGES = ["Any time", "Last 7 days", "Last 30 days", "This quarter", "Last quarter", "This year",
          "Last 12 months", "Custom…"]


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def range_bounds(name: str, today: date, custom: tuple[date, date] | None = None
                 ) -> tuple[date | None, date | None]:
    """(first day, day after the last) for a named range; (None, None) for any time."""
    if name == "Last 7 days":
        return today - timedelta(days=6), today + timedelta(days=1)
    if name == "Last 30 days":
        return today - timedelta(days=29), today + timedelta(days=1)
    if name == "This quarter":
        return _quarter_start(today), today + timedelta(days=1)
    if name == "Last quarter":
        end = _quarter_start(today)
        return _quarter_start(end - timedelta(days=1)), end
    if name == "This year":
        return date(today.year, 1, 1), today + timedelta(days=1)
    if name == "Last 12 months":
        return today - timedelta(days=365), today + timedelta(days=1)
    if name == "Custom…" and custom:
        return custom[0], custom[1] + timedelta(days=1)
    return None, None


class CustomRangeDialog(QDialog):
    def __init__(self, parent: QWidget | None, start: date, end: date):
        super().__init__(parent)
        self.setWindowTitle("Date range")
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        self.end = QDateEdit(QDate(end.year, end.month, end.day))
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.start.setAccessibleName("From")
        self.end.setAccessibleName("To")
        form = QFormLayout(self)
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def bounds(self) -> tuple[date, date]:
        a, b = self.start.date().toPython(), self.end.date().toPython()
        return (a, b) if a <= b else (b, a)


class FilterBar(QWidget):
    changed = Signal()
    text_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search notes, summaries, topics, people (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self.search.setMinimumWidth(260)
        self.tag = QComboBox()
        self.tag.addItem("Any tag", None)
        for t in Tag:
            self.tag.addItem(t.value.capitalize(), t.value)
        self.tag.setAccessibleName("Filter by tag")
        self.channel = QComboBox()
        self.channel.addItem("Any channel", None)
        for c in Channel:
            self.channel.addItem(c.value.capitalize(), c.value)
        self.channel.setAccessibleName("Filter by channel")
        self.period = QComboBox()
        self.period.addItems(RANGES)
        self.period.setAccessibleName("Filter by date range")
        self.open_follow = QCheckBox("Open follow-ups")
        self.open_follow.setAccessibleName("Only interactions with an open follow-up")
        self._custom: tuple[date, date] | None = None
        self._last_period = 0

        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.search, 3)
        row.addWidget(self.tag)
        row.addWidget(self.channel)
        row.addWidget(self.period)
        row.addWidget(self.open_follow)

        # A short pause batches a burst of keystrokes; each search itself takes a few ms.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(40)
        self._typing.timeout.connect(self.text_changed.emit)
        self.search.textChanged.connect(self._typing.start)
        self.tag.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.channel.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.open_follow.toggled.connect(lambda _on: self.changed.emit())
        self.period.activated.connect(self._period_chosen)

    def _period_chosen(self, index: int) -> None:
        if self.period.itemText(index) == "Custom…":
            today = local_now().date()
            start, end = self._custom or (today - timedelta(days=90), today)
            dlg = CustomRangeDialog(self, start, end)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                self.period.setCurrentIndex(self._last_period)
                return
            self._custom = dlg.bounds()
            self.period.setItemText(index, "Custom…")
            self.period.setToolTip(f"{self._custom[0]} – {self._custom[1]}")
        self._last_period = index
        self.changed.emit()

    def flush(self) -> None:
        """Run a pending search now (tests, Enter key)."""
        if self._typing.isActive():
            self._typing.stop()
            self.text_changed.emit()

    def current(self, vendor_ids: tuple[int, ...] = ()) -> InteractionFilter:
        start, end = range_bounds(self.period.currentText(), local_now().date(), self._custom)
        return InteractionFilter(
            vendor_ids=vendor_ids,
            tag=Tag(self.tag.currentData()) if self.tag.currentData() else None,
            channel=Channel(self.channel.currentData()) if self.channel.currentData() else None,
            since=day_start(start) if start else None,
            until=day_start(end) if end else None,
            open_follow_up=self.open_follow.isChecked(),
            text=self.search.text().strip(),
        )

    def is_plain(self) -> bool:
        f = self.current()
        return not (f.tag or f.channel or f.since or f.until or f.open_follow_up or f.text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
