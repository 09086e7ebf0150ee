"""The selected interaction in full, editable in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.models import Interaction
from partnerdesk.domain.when import local_now
from partnerdesk.ui import journal_actions
from partnerdesk.ui.formatting import local_dt_text
from partnerdesk.ui.interaction_form import InteractionForm
from partnerdesk.ui.search_highlight import SearchHighlighter

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession


class DetailPane(QWidget):
    deleted = Signal(int)

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.item: Interaction | None = None
        self._dirty = False
        self.title = QLabel("No interaction selected")
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.title.setFont(f)
        self.meta = QLabel("")
        self.meta.setObjectName("hint")
        self.meta.setWordWrap(True)
        # Every action item of the interaction with its state; the form below edits the first
        # one, the Follow-ups view (Ctrl+Shift+F) all of them.
        self.items = QLabel("")
        self.items.setObjectName("actionItems")
        self.items.setWordWrap(True)
        self.items.setTextFormat(Qt.TextFormat.PlainText)
        self.items.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = InteractionForm(self)
        self.highlighter = SearchHighlighter(self.form.notes.document())
        self.save_button = QPushButton("Save changes")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip("Save changes (Ctrl+S)")
        self.revert_button = QPushButton("Revert")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete this interaction (Del in the list; Ctrl+Z undoes)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.items)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)
        self.form.edited.connect(self._edited)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.delete_button.clicked.connect(self.delete)
        self.show_item(None)

    def set_query(self, text: str) -> None:
        # Re-highlighting changes formats, which QPlainTextEdit reports as a text change.
        self.form.quietly(lambda: self.highlighter.set_query(text))

    def show_item(self, item: Interaction | None) -> None:
        self.item = item
        self._dirty = False
        enabled = item is not None
        self.form.setEnabled(enabled and not self.session_read_only())
        self.delete_button.setEnabled(enabled and not self.session_read_only())
        if item is None:
            self.title.setText("No interaction selected")
            self.meta.setText("Pick one in the timeline, or log a new one with Ctrl+N.")
            self.form.load_fields({"when": ""})
        else:
            self.title.setText(item.summary)
            contacts = ", ".join(c.name for c in item.contacts) or "no contacts"
            self.meta.setText(
                f"#{item.id} · {local_dt_text(item.occurred_at)} · {item.channel.value} · "
                f"{item.direction.label} · {contacts} · source: {item.source.value}")
            names = [v.name for v in self.session.reader.vendors()]
            self.form.set_vendor_names(names)
            self.form.set_contact_names(self.session.reader.contact_names(item.vendor_id))
            self.form.load_interaction(item)
        self.refresh_items()
        self._update_buttons()

    def refresh_items(self) -> None:
        """Re-read the shown interaction's action items (after a change in Follow-ups)."""
        from datetime import date

        from partnerdesk.services.followup_text import item_line
        from partnerdesk.ui.formatting import date_format

        items = self.session.reader.action_items(self.item.id) if self.item is not None else []
        fmt = date_format()[1]
        today = date.today()
        lines = [f"• {item_line(i, today, lambda d: d.strftime(fmt))}" for i in items]
        title = "Action item" if len(items) == 1 else f"{len(items)} action items"
        self.items.setText(f"{title}:\n" + "\n".join(lines) if items else "")
        self.items.setVisible(bool(items))

    def session_read_only(self) -> bool:
        j = self.session.journal
        return bool(j and j.read_only)

    def is_dirty(self) -> bool:
        return self._dirty

    def _edited(self) -> None:
        self._dirty = self.item is not None
        if self._dirty:
            self.session.prefetch()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)

    def save(self) -> bool:
        if self.item is None or not self._dirty:
            return True
        try:
            draft = journal_actions.draft_from_form(self.session, self.form.to_request(), self)
            fu = draft.follow_up
            if fu is not None:
                from dataclasses import replace

                was_done = self.item.follow_up.done_at if self.item.follow_up else None
                done = (was_done or local_now()) if self.form.follow_done.isChecked() else None
                draft = replace(draft, follow_up=replace(fu, done_at=done),
                                source=self.item.source, source_id=self.item.source_id)
            else:
                from dataclasses import replace

                draft = replace(draft, source=self.item.source, source_id=self.item.source_id)
            after = journal_actions.save_edit(self.session, self.item, draft)
        except Exception as exc:  # shown where the rep is typing; the edit stays
            self.form.show_error(journal_actions.failure_text(exc, self.session.path))
            return False
        self.show_item(after)
        return True

    def revert(self) -> None:
        self.show_item(self.item)

    def delete(self) -> None:
        if self.item is None:
            return
        gone = self.item.id
        try:
            journal_actions.delete(self.session, gone)
        except Exception as exc:
            QMessageBox.warning(self, "Not deleted", journal_actions.failure_text(exc, self.session.path, "Not deleted"))
            return
        self.show_item(None)
        self.deleted.emit(gone)

    def confirm_leave(self) -> bool:
        """Before showing another interaction: keep, drop or stay with unsaved edits."""
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", "Save the changes to this interaction?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._dirty = False
            return True
        return False

    def focus_form(self) -> None:
        self.form.summary.setFocus(Qt.FocusReason.OtherFocusReason)
