"""What the record dialogs share: a form, a red error line, OK/Cancel, and date pickers.

A dialog never shows a traceback and never closes on a failed save: the error goes into the
red line and everything typed stays where it was.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QDate, QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.errors import InvalidInput, PartnerdeskError
from partnerdesk.domain.when import local_now

QT_DATE_FORMATS = {"iso": "yyyy-MM-dd", "us": "MM/dd/yyyy", "eu": "dd.MM.yyyy"}
T = TypeVar("T")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def error_colour() -> str:
    """The house red, lightened on a dark palette so that it stays readable."""
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return "#ef9a9a" if dark else "#c62828"


def error_line() -> QLabel:
    """The red sentence under a view or form that says what went wrong; hidden until then."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {error_colour()};")
    label.setAccessibleName("Error")
    label.hide()
    return label


def dim_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def error_text(exc: BaseException, path: Path | None = None) -> str:
    """One sentence for the rep; a genuine bug goes to stderr, never to the screen as a trace."""
    if isinstance(exc, PartnerdeskError):
        return str(exc)
    from partnerdesk.store.db_errors import explain

    known = explain(exc, path)
    if known is not None:
        return str(known)
    traceback.print_exc()
    return f"Nothing was saved: {type(exc).__name__}: {exc}"


def check_email(text: str) -> str:
    """A loose check: something@somewhere.tld. Empty is allowed (the field is optional)."""
    email = text.strip()
    if email and not _EMAIL_RE.match(email):
        raise InvalidInput(f"'{email}' does not look like an email address; "
                           "give one like name@example.com.")
    return email


def make_date_edit(day: date | None = None) -> QDateEdit:
    """A date picker with a calendar popup, in the rep's chosen date format."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    key = str(QSettings().value("display/date_format", "iso"))
    edit.setDisplayFormat(QT_DATE_FORMATS.get(key, QT_DATE_FORMATS["iso"]))
    # The same range parse_day accepts, so a picked date is always one the core takes.
    edit.setDateRange(QDate(1900, 1, 1), QDate(9998, 12, 31))
    edit.setDate(day or local_now().date())
    return edit


def picked(edit: QDateEdit) -> date:
    return edit.date().toPython()  # type: ignore[no-any-return]


class OptionalDate:
    """A checkbox that says whether the date applies, and the picker it enables."""

    def __init__(self, text: str, day: date | None):
        self.check = QCheckBox(text)
        self.edit = make_date_edit(day)
        self.check.setChecked(day is not None)
        self.edit.setEnabled(day is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        plain = text.replace("&", "")
        self.check.setAccessibleName(f"{plain}: set a date")
        self.edit.setAccessibleName(plain)

    def value(self) -> date | None:
        return picked(self.edit) if self.check.isChecked() else None


class FormDialog(QDialog):
    """Subclasses add rows, say what blocks OK in problem(), and write in save()."""

    def __init__(self, title: str, parent: QWidget | None = None, path: Path | None = None):
        super().__init__(parent)
        self._path = path  # named in errors about the journal file
        self.setWindowTitle(f"{title} — partnerdesk")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error = error_line()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        # Enter in a field presses OK (once enabled), never Cancel: OK starts disabled, and the
        # button box would otherwise hand the default to Cancel and throw the typing away.
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._touched = False
        self._failed: str | None = None

    # -- building ------------------------------------------------------------------------
    def add_row(self, label: str, field: QWidget, buddy: QWidget | None = None) -> QLabel:
        lab = QLabel(label)
        lab.setBuddy(buddy or field)
        (buddy or field).setAccessibleName(label.replace("&", ""))
        self.form.addRow(lab, field)
        return lab

    def set_fields(self, *widgets: QWidget) -> None:
        """The dialog's fields in tab order, called last in a subclass's __init__: each change
        re-judges the form, Tab runs through them then to OK and Cancel, focus starts on the
        first. (The button box is built before the fields, so by default it would come first.)"""
        chain = [*widgets, self.ok, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        if widgets:
            widgets[0].setFocus()
        for w in widgets:
            if isinstance(w, (QLineEdit, QPlainTextEdit)):
                w.textChanged.connect(self._edited)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._edited)
                if w.isEditable():
                    w.editTextChanged.connect(self._edited)
            elif isinstance(w, QCheckBox):
                w.toggled.connect(self._edited)
            elif isinstance(w, QDateEdit):
                w.dateChanged.connect(self._edited)
        self.revalidate()

    # -- judging -------------------------------------------------------------------------
    def problem(self) -> str | None:
        """What can be judged while typing (a required field left empty, dates the wrong
        way round). Formats that are invalid half-way through typing (an email, a domain)
        are judged on OK instead, so the red line does not flicker under every keystroke."""
        return None

    def save(self) -> None:
        raise NotImplementedError

    def load(self, read: Callable[[], T]) -> T | None:
        """Read what the dialog shows; if that fails, say why and offer only Cancel."""
        try:
            return read()
        except Exception as exc:
            self._failed = error_text(exc, self._path)
            self.setMinimumWidth(360)  # room for the sentence, since there is no form to size by
            self.revalidate()
            return None

    def revalidate(self) -> None:
        if self._failed:
            self.ok.setEnabled(False)
            self.show_error(self._failed)
            return
        problem = self.problem()
        self.ok.setEnabled(problem is None)
        self.ok.setToolTip(problem or "")
        # A fresh dialog is not scolded for being empty; only once the rep has typed.
        self.show_error(problem if self._touched else "")

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _edited(self) -> None:
        self._touched = True
        self.revalidate()

    def accept(self) -> None:
        if self._failed:
            return
        problem = self.problem()
        if problem:
            self._touched = True
            self.show_error(problem)
            return
        try:
            self.save()
        except Exception as exc:  # the dialog stays open with what was typed
            self.show_error(error_text(exc, self._path))
            return
        super().accept()
