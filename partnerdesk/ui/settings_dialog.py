"""The rep's own details, the defaults for new interactions, and how dates read.

Everything lives in QSettings under the keys other parts of the app read:
rep/name, rep/email, defaults/tag, defaults/channel, display/date_format.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from partnerdesk.domain.validation import clean_line
from partnerdesk.domain.vocab import Channel
from partnerdesk.ui.form_dialog import FormDialog, check_email
from partnerdesk.ui.formatting import DATE_FORMATS

_EXAMPLE = date(2026, 11, 27)  # a day whose month and day cannot be mistaken for each other
_FORMAT_NAMES = {"iso": "ISO", "us": "US", "eu": "European"}


def _select(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class SettingsDialog(FormDialog):
    """OK writes the settings (after checking the email); Cancel leaves them untouched."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Settings", parent)
        self.setObjectName("settingsDialog")
        s = QSettings()

        self.rep_name = QLineEdit(str(s.value("rep/name", "")))
        self.rep_name.setPlaceholderText("Your name, as reports should show it")
        self.rep_email = QLineEdit(str(s.value("rep/email", "")))
        self.rep_email.setPlaceholderText("you@example.com")
        self.rep_email.setToolTip("Imports use it to tell your own messages from the vendor's.")

        self.tag = QComboBox()
        self.tag.addItem("None: choose every time", "")
        self.tag.addItem("Helpful", "helpful")
        self.tag.addItem("Transactional", "transactional")
        _select(self.tag, str(s.value("defaults/tag", "")))
        self.channel = QComboBox()
        for c in Channel:
            self.channel.addItem(c.value.capitalize(), c.value)
        _select(self.channel, str(s.value("defaults/channel", Channel.CALL.value)))

        self.date_format = QComboBox()
        for key, (_, day_fmt) in DATE_FORMATS.items():
            label = f"{_FORMAT_NAMES.get(key, key)}: {_EXAMPLE.strftime(day_fmt)}"
            self.date_format.addItem(label, key)
        _select(self.date_format, str(s.value("display/date_format", "iso")))

        # One page in three headed parts, fields aligned: every setting in sight, no tabs to hunt.
        self._heading("You")
        self.add_row("&Name", self.rep_name)
        self.add_row("&Email", self.rep_email)
        self._heading("New interactions")
        self.add_row("Default &tag", self.tag)
        self.add_row("Default c&hannel", self.channel)
        self._heading("Display")
        self.add_row("&Date format", self.date_format)
        self.set_fields(self.rep_name, self.rep_email, self.tag, self.channel, self.date_format)
        self.resize(440, self.sizeHint().height())

    def _heading(self, title: str) -> None:
        label = QLabel(title)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        if self.form.rowCount():
            label.setContentsMargins(0, 8, 0, 0)
        self.form.addRow(label)

    def save(self) -> None:
        email = check_email(self.rep_email.text())
        s = QSettings()
        s.setValue("rep/name", clean_line(self.rep_name.text()))
        s.setValue("rep/email", email.lower())
        s.setValue("defaults/tag", self.tag.currentData())
        s.setValue("defaults/channel", self.channel.currentData())
        s.setValue("display/date_format", self.date_format.currentData())
        s.sync()
