"""Setting a vendor's keep-in-touch cadence from the window, undoably (Edit ▸ Undo puts the old
cadence back). Used by Vendor ▸ Keep in touch… and the Follow-ups view's button."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from partnerdesk.services import followups
from partnerdesk.ui.undo_commands import _JournalCommand

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession


class CadenceCommand(_JournalCommand):
    """Pushed after the change was made; undo sets the cadence the vendor had before."""

    def __init__(self, session: JournalSession, change: followups.CadenceChange):
        super().__init__(session, change.text)
        self.change = change

    def _set(self, days: int | None) -> None:
        followups.set_cadence(self.session.store(), self.change.vendor_id, days)
        self.session.notify("action_item", None)

    def do(self) -> None:
        self._set(self.change.after)

    def revert(self) -> None:
        self._set(self.change.before)


def ask_cadence(session: JournalSession, parent: QWidget, vendor_id: int | None = None,
                show_error: Callable[[str], None] | None = None) -> bool:
    """Ask for a vendor's cadence and set it; True when something changed. Problems go to
    `show_error` (the Follow-ups view's own line), else to a message box."""
    from partnerdesk.store import action_items as store
    from partnerdesk.store.lite import LiteJournal
    from partnerdesk.ui.followup_dialogs import KeepInTouchDialog
    from partnerdesk.ui.form_dialog import error_text

    def say(message: str) -> None:
        if show_error is not None:
            show_error(message)
        else:
            QMessageBox.warning(parent, "Keep in touch", message)

    vendors = [(v.id, v.display_name) for v in session.reader.vendors() if not v.archived]
    if not vendors:
        say("Add a vendor first; then say how often to keep in touch with it.")
        return False
    with LiteJournal(session.path).reading() as conn:
        cadences = store.cadences(conn)
    dialog = KeepInTouchDialog(vendors, cadences, parent, vendor_id)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.vendor_id is None:
        return False
    if cadences.get(dialog.vendor_id) == dialog.days:
        return False  # nothing to change, nothing to undo
    try:
        change = followups.set_cadence(session.store(), dialog.vendor_id, dialog.days)
    except Exception as exc:
        say(error_text(exc, session.path))
        return False
    session.undo.push(CadenceCommand(session, change))
    session.notify("action_item", None)
    return True
