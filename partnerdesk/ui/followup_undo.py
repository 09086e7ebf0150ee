"""Undo and redo of follow-up changes (done, drop, snooze, reschedule, retire, add)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from partnerdesk.services import followups

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession


class FollowUpChange(QUndoCommand):
    """Pushed after the change was made (its first redo does nothing), like the journal's own
    commands; undo puts the items back exactly as they were."""

    def __init__(self, session: JournalSession, change: followups.Change):
        super().__init__(change.text)
        self.session = session
        self.change = change
        self._first = True

    def _run(self, action: object) -> None:
        try:
            action(self.session.store(), self.change)  # type: ignore[operator]
        except Exception as exc:  # undo must never take the window down
            from partnerdesk.store.db_errors import explain

            known = explain(exc)
            self.session.failed.emit(
                str(known) if known else f"Could not {self.text().lower()}: {exc}"
            )
            self.setObsolete(True)
            return
        self.session.notify("action_item", [i.id for i in self.change.after or self.change.before])

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(followups.redo)

    def undo(self) -> None:
        self._run(followups.undo)


def record(session: JournalSession, change: followups.Change) -> None:
    """Announce a change just made and make it undoable (nothing to do for an empty one)."""
    if change.count:
        session.undo.push(FollowUpChange(session, change))
        session.notify("action_item", [i.id for i in change.after])
