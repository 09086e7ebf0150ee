"""Undoable edits to the journal (Ctrl+Z / Ctrl+Shift+Z): add, edit, delete an interaction.

The first change is made by the caller (so that a failure reaches it as an exception and is
shown where the rep is typing); the command is pushed afterwards and its first redo() is a
no-op. Later undo/redo failures are announced through the session's `failed` signal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.models import Interaction, InteractionDraft

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession


def _key(item: Interaction) -> int:
    return int(item.occurred_at.timestamp())


class _JournalCommand(QUndoCommand):
    def __init__(self, session: JournalSession, text: str):
        super().__init__(text)
        self.session = session
        self._first = True

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:  # undo must never take the window down
            from partnerdesk.store.db_errors import explain

            known = explain(exc)
            self.session.failed.emit(str(known) if known else f"Could not {self.text().lower()}: {exc}")
            self.setObsolete(True)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.revert)

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddInteraction(_JournalCommand):
    def __init__(self, session: JournalSession, item: Interaction, text: str = "Log interaction"):
        super().__init__(session, f"{text} “{item.summary[:40]}”")
        self.item = item

    def do(self) -> None:
        self.item = self.session.store().interactions.restore(self.item)
        self.session.notify("interaction", {"added": [(self.item.id, _key(self.item))]})

    def revert(self) -> None:
        self.session.store().interactions.delete(self.item.id)
        self.session.notify("interaction", {"removed": [self.item.id]})


class EditInteraction(_JournalCommand):
    def __init__(self, session: JournalSession, before: Interaction, after: Interaction):
        super().__init__(session, f"Edit “{before.summary[:40]}”")
        self.before = before
        self.after = after

    def _apply(self, draft: InteractionDraft) -> None:
        result = self.session.store().interactions.update(self.before.id, draft)
        self.session.notify("interaction", {"updated": [(result.id, _key(result))]})

    def do(self) -> None:
        self._apply(self.after.as_draft())

    def revert(self) -> None:
        self._apply(self.before.as_draft())


class DeleteInteraction(_JournalCommand):
    def __init__(self, session: JournalSession, item: Interaction,
                 action_items: Sequence[ActionItem] = ()):
        super().__init__(session, f"Delete “{item.summary[:40]}”")
        self.item = item
        self.action_items = tuple(action_items)  # all of them come back on undo, not only the first

    def do(self) -> None:
        self.session.store().interactions.delete(self.item.id)
        self.session.notify("interaction", {"removed": [self.item.id]})

    def revert(self) -> None:
        self.item = self.session.store().interactions.restore(self.item)
        if self.action_items:
            from partnerdesk.services.followups import restore_items_of

            restore_items_of(self.session.store(), self.item.id, self.action_items)
        self.session.notify("interaction", {"added": [(self.item.id, _key(self.item))]})
        self.session.notify("action_item", None)


class RecordQbr(DeleteInteraction):
    """A QBR recorded with its agreed actions (services.qbr.record_outcome): undo takes the
    meeting and its actions out, redo puts both back; a delete, the other way round."""

    def __init__(self, session: JournalSession, item: Interaction,
                 action_items: Sequence[ActionItem] = ()):
        super().__init__(session, item, action_items)
        self.setText(f"Record “{item.summary[:40]}”")

    def do(self) -> None:
        super().revert()

    def revert(self) -> None:
        super().do()
        self.session.notify("action_item", None)
