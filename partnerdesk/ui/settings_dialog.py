"""The rep's own details, the defaults for new interactions, and how dates read.

Everything lives in QSettings under the keys other parts of the app read:
rep/name, rep/email, defaults/tag, defaults/channel, display/date_format.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from partnerdesk.domain.validation import clean_line
from partnerdesk.domain.vocab import Channel
from partnerdesk.ui.form_dialog import FormDialog, check_email
from partnerdesk.ui.formatting import DATE_FORMATS

_EXAMPLE = date(2026, 11, 27)  # a day whose month and day cannot be mistaken for each other
_FORMAT_NAMES = {"iso": "ISO", "us": "US", "eu": "European"}


def _zone_box() -> QComboBox:
    from zoneinfo import available_timezones

    from partnerdesk.store.journal_zone import system_zone_name

    box = QComboBox()
    box.setEditable(True)
    box.addItem(f"This computer's ({system_zone_name() or 'unknown'})")
    box.addItems(sorted(z for z in available_timezones() if "/" in z))
    return box


def _journal_zone_setting(session: Any) -> str | None:
    from partnerdesk.store.journal_zone import TIMEZONE_KEY
    from partnerdesk.store.settings import get_setting

    with session.store().reading() as conn:
        return get_setting(conn, TIMEZONE_KEY)


def _select(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class SettingsDialog(FormDialog):
    """OK writes the settings (after checking the email); Cancel leaves them untouched."""

    def __init__(self, parent: QWidget | None = None, session: Any = None):
        super().__init__("Settings", parent)
        self.setObjectName("settingsDialog")
        self.session = session
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
        fields: list[QWidget] = [self.rep_name, self.rep_email, self.tag, self.channel,
                                 self.date_format]
        self.zone: QComboBox | None = None
        self._zone_was: str | None = None
        if session is not None:  # the journal's own setting: weeks, months, quarters follow it
            self.zone = _zone_box()
            self._zone_was = _journal_zone_setting(session)
            if self._zone_was:
                self.zone.setCurrentText(self._zone_was)
            self.zone.setToolTip("Health's weeks, months and quarters follow this time zone; "
                                 "changing it recounts every score.")
            self._heading("This journal")
            self.add_row("Time &zone", self.zone)
            fields.append(self.zone)
        self.set_fields(*fields)
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
        if self.zone is not None and self.session is not None:
            self._save_zone()

    def _save_zone(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from partnerdesk.store.local_days import set_journal_zone

        assert self.zone is not None
        text = self.zone.currentText().strip()
        name = None if text == "" or text == self.zone.itemText(0) else text
        if name == self._zone_was:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:  # an unknown name raises InvalidInput: FormDialog shows it and keeps the dialog
            set_journal_zone(self.session.store(), name)
        finally:
            QApplication.restoreOverrideCursor()
        self.session.notify("settings")
