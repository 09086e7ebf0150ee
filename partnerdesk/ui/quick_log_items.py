"""Several follow-ups in one quick log: Enter in the follow-up fields keeps that follow-up and
clears them for the next; Ctrl+Enter saves the interaction with all of them.

A meeting ends with several commitments; typing them one after another, without leaving the
keyboard or the quick log, is what makes them get written down at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.when import local_now, parse_day
from partnerdesk.services.followups import clean_what, plural
from partnerdesk.services.log_entry import LogRequest

if TYPE_CHECKING:
    from partnerdesk.ui.quick_log import QuickLogDialog


class MoreFollowUps(QObject):
    def __init__(self, dialog: QuickLogDialog):
        super().__init__(dialog)
        self.form = dialog.form
        self.items: list[tuple[str, date, bool]] = []  # (what, due, the vendor's promise)
        self.label = QLabel()
        self.label.setObjectName("moreFollowUps")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Follow-ups kept for this interaction")
        self.label.hide()
        dialog.layout().insertWidget(1, self.label)
        self.form.follow_what.setToolTip("Enter keeps this follow-up and starts another")
        for edit in (self.form.follow_due, self.form.follow_what):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key: QKeyEvent = event  # type: ignore[assignment]
            if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and key.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            ):
                self.keep_current()
                return True
        return super().eventFilter(watched, event)

    def _current(self) -> tuple[str, date, bool] | None:
        """The follow-up in the fields, checked; None when they are empty."""
        due_text = self.form.follow_due.text().strip()
        what = self.form.follow_what.text()
        if not due_text and not what.strip():
            return None
        if not due_text:
            raise InvalidInput("Give this follow-up a due date (e.g. friday, in 2 weeks).")
        return (
            clean_what(what),
            parse_day(due_text, local_now().date()),
            self.form.vendor_promise.isChecked(),
        )

    def keep_current(self) -> None:
        try:
            current = self._current()
        except InvalidInput as exc:
            self.form.show_error(str(exc))
            return
        if current is None:
            return
        self.form.show_error("")
        self.items.append(current)
        self.form.quietly(
            lambda: (
                self.form.follow_due.clear(),
                self.form.follow_what.clear(),
                self.form.vendor_promise.setChecked(False),
            )
        )
        self._show()
        self.form.follow_due.setFocus()

    def _show(self) -> None:
        lines = [
            f"• {what} — {due.strftime('%a %d %b')}" + (" (vendor's promise)" if vendor else "")
            for what, due, vendor in self.items
        ]
        self.label.setText(f"{plural(len(self.items))} kept:\n" + "\n".join(lines))
        self.label.setVisible(bool(self.items))

    def split(self, req: LogRequest) -> tuple[LogRequest, list[tuple[str, date, str]]]:
        """The request with the first follow-up in it, and the others to add after it."""
        if not self.items:
            return req, []
        everything = list(self.items)
        current = self._current()
        if current is not None:
            everything.append(current)
        (what, due, vendor), rest = everything[0], everything[1:]
        first = replace(req, follow_up=due.isoformat(), follow_up_text=what, vendor_promise=vendor)
        return first, [(w, d, "vendor" if v else "me") for w, d, v in rest]

    def clear(self) -> None:
        self.items.clear()
        self._show()
