"""The small questions the follow-ups view asks: why drop, until when, retire how old.

Each is a plain QDialog with the answer as a property, so the view (and a test driving the
window) reads it after exec() the same way.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from partnerdesk.domain.action_items import DropReason
from partnerdesk.ui.form_dialog import make_date_edit, picked


def reason_box() -> QComboBox:
    """The drop reasons by name, and room to type one's own."""
    box = QComboBox()
    box.setEditable(True)
    box.addItems([r.value for r in DropReason if r is not DropReason.OTHER])
    box.setCurrentIndex(0)
    box.setAccessibleName("Reason")
    box.setToolTip("Only 'vendor refused' and 'vendor failed' count against the vendor's health")
    return box


class _Asking(QDialog):
    def __init__(self, title: str, intro: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form.addRow(self.intro)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.form.addRow(self.buttons)


class DropDialog(_Asking):
    def __init__(self, count_text: str, parent: QWidget | None = None):
        super().__init__(
            "Drop follow-ups",
            f"Drop {count_text}? Say why, so the list keeps its history honest.",
            parent,
        )
        self.reason_edit = reason_box()
        self.form.addRow("&Reason:", self.reason_edit)
        self.finish()

    @property
    def reason(self) -> str:
        return self.reason_edit.currentText().strip()


class DayDialog(_Asking):
    """Pick a day: snooze until, or a new due date. Quick buttons for the usual choices."""

    def __init__(
        self, title: str, intro: str, label: str, today: date, parent: QWidget | None = None
    ):
        super().__init__(title, intro, parent)
        self.edit: QDateEdit = make_date_edit(today + timedelta(days=7))
        self.form.addRow(label, self.edit)
        row = QWidget()
        from PySide6.QtWidgets import QHBoxLayout

        quick = QHBoxLayout(row)
        quick.setContentsMargins(0, 0, 0, 0)
        for text, days in (("&Tomorrow", 1), ("&Next week", 7), ("In a &month", 30)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(
                lambda _c=False, d=days: self.edit.setDate(today + timedelta(days=d))
            )
            quick.addWidget(button)
        self.form.addRow(row)
        self.finish()

    @property
    def day(self) -> date:
        return picked(self.edit)


class RetireDialog(_Asking):
    """Retire everything overdue by more than N days, with one reason: asked once."""

    def __init__(self, count_for: object, parent: QWidget | None = None):
        super().__init__(
            "Retire old follow-ups",
            "Drop every open follow-up that is overdue by more than this many days. "
            "They stay in the journal as dropped, with the reason below; "
            "Undo brings them back.",
            parent,
        )
        self._count_for = count_for  # days -> how many would go
        self.days_edit = QSpinBox()
        self.days_edit.setRange(0, 3650)
        self.days_edit.setValue(90)
        self.days_edit.setSuffix(" days")
        self.days_edit.setAccessibleName("Overdue by more than")
        self.form.addRow("Overdue by more &than:", self.days_edit)
        self.reason_edit = reason_box()
        self.reason_edit.setCurrentText("no longer needed")
        self.form.addRow("&Reason:", self.reason_edit)
        self.count = QLabel()
        self.form.addRow(self.count)
        self.days_edit.valueChanged.connect(self._recount)
        self.finish()
        self._recount()

    def _recount(self) -> None:
        n = self._count_for(self.days)  # type: ignore[operator]
        self.count.setText(
            "Nothing is that old."
            if n == 0
            else f"{n:,} follow-up{'s' if n != 1 else ''} will be dropped."
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(n > 0)

    @property
    def days(self) -> int:
        return int(self.days_edit.value())

    @property
    def reason(self) -> str:
        return self.reason_edit.currentText().strip()


class KeepInTouchDialog(_Asking):
    """A vendor's keep-in-touch cadence: at least every N days (0: none)."""

    def __init__(
        self,
        vendors: list[tuple[int, str]],
        cadences: dict[int, int],
        parent: QWidget | None = None,
        vendor_id: int | None = None,
    ):
        super().__init__(
            "Keep in touch",
            "How often do you want to be in touch with this vendor at least? A vendor "
            "you have not been in touch with for longer shows among the follow-ups.",
            parent,
        )
        self._cadences = cadences
        self.vendor_box = QComboBox()
        for vid, name in vendors:
            self.vendor_box.addItem(name, vid)
        if vendor_id is not None and self.vendor_box.findData(vendor_id) >= 0:
            self.vendor_box.setCurrentIndex(self.vendor_box.findData(vendor_id))
        self.vendor_box.setAccessibleName("Vendor")
        self.form.addRow("&Vendor:", self.vendor_box)
        self.days_edit = QSpinBox()
        self.days_edit.setRange(0, 3650)
        self.days_edit.setSpecialValueText("no cadence")
        self.days_edit.setSuffix(" days")
        self.days_edit.setAccessibleName("At least every")
        self.form.addRow("At least &every:", self.days_edit)
        self.vendor_box.currentIndexChanged.connect(self._load)
        self.finish()
        self._load()

    def _load(self) -> None:
        self.days_edit.setValue(self._cadences.get(self.vendor_id or 0, 0))

    @property
    def vendor_id(self) -> int | None:
        data = self.vendor_box.currentData()
        return int(data) if data is not None else None

    @property
    def days(self) -> int | None:
        return int(self.days_edit.value()) or None
