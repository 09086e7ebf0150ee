"""Quick log: a small window that logs an interaction from the keyboard in seconds.

Ctrl+Enter saves, Esc asks before throwing typed text away. Channel and direction stick from
the last entry. Whatever is typed is kept on disk as a draft and offered back after a crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.models import Interaction
from partnerdesk.services.drafts import DraftStore
from partnerdesk.ui import journal_actions
from partnerdesk.ui.interaction_form import InteractionForm

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

STICKY = ("channel", "direction")


class QuickLogDialog(QDialog):
    saved = Signal(object)  # the Interaction

    def __init__(self, session: JournalSession, parent: QWidget | None = None, on_top: bool = False):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Quick log — partnerdesk")
        self.setObjectName("quickLog")
        if on_top:
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.drafts = DraftStore(session.path)
        self.form = InteractionForm(self, compact=True)
        hint = QLabel("Ctrl+Enter saves · Ctrl+1 helpful · Ctrl+2 transactional · Esc closes")
        hint.setObjectName("hint")
        hint.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip("Save (Ctrl+Enter)")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.save)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(300)
        self._draft_timer.timeout.connect(self._keep_draft)
        self.form.edited.connect(self._draft_timer.start)
        self.form.vendor_chosen.connect(self._vendor_chosen)
        from partnerdesk.ui.quick_log_items import MoreFollowUps

        self.more_follow_ups = MoreFollowUps(self)  # Enter in the follow-up keeps it, for another
        self.resize(560, 520)

    def set_on_top(self, on_top: bool) -> None:
        if bool(self.windowFlags() & Qt.WindowType.WindowStaysOnTopHint) != on_top:
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on_top)

    # -- opening -------------------------------------------------------------------------
    def prepare(self) -> None:
        """Fresh form with sticky fields, vocabulary for completion, and any crashed draft."""
        self.session.prefetch()  # the store loads while the rep types
        settings = QSettings()
        defaults = {
            "when": "now",
            "channel": settings.value("quicklog/channel", settings.value("defaults/channel", "call")),
            "direction": settings.value("quicklog/direction", "out"),
            "tag": settings.value("defaults/tag", ""),
        }
        self.form.load_fields(defaults)
        reader = self.session.reader
        self.form.set_vendor_names([v.name for v in reader.vendors() if not v.archived])
        self.form.set_topics(reader.topics())
        draft = self.drafts.load()
        if draft and any(str(draft.get(k, "")).strip() for k in ("summary", "notes", "vendor")):
            answer = QMessageBox.question(
                self, "Restore draft",
                "An interaction you were typing was not saved (the app may have closed unexpectedly)."
                "\n\nRestore it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard)
            if answer == QMessageBox.StandardButton.Yes:
                self.form.load_fields(draft)
            else:
                self.drafts.clear()
        self.form.vendor.setFocus()

    def _vendor_chosen(self, name: str) -> None:
        for v in self.session.reader.vendors():
            if v.name.casefold() == name.strip().casefold():
                self.form.set_contact_names(self.session.reader.contact_names(v.id))
                return

    # -- saving --------------------------------------------------------------------------
    def save(self) -> Interaction | None:
        try:
            req, more = self.more_follow_ups.split(self.form.to_request())
            draft = journal_actions.draft_from_form(self.session, req, self)
            item = journal_actions.log_new_with_items(self.session, draft, more)
        except Exception as exc:  # shown where the rep is typing; the text stays
            self.form.show_error(journal_actions.failure_text(exc, self.session.path))
            return None
        self.more_follow_ups.clear()
        settings = QSettings()
        for key in STICKY:
            settings.setValue(f"quicklog/{key}", self.form.fields()[key])
        self._draft_timer.stop()
        self.drafts.clear()
        self.saved.emit(item)
        self.form.clear(keep=STICKY)
        self.accept()
        return item

    def _keep_draft(self) -> None:
        if self.form.has_typed_text():
            self.drafts.save(self.form.fields())

    # -- closing -------------------------------------------------------------------------
    def reject(self) -> None:
        if self.form.has_typed_text() or self.more_follow_ups.items:
            answer = QMessageBox.question(
                self, "Discard this interaction?", "You have typed an interaction that is not saved.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        self._draft_timer.stop()
        self.drafts.clear()
        self.form.clear(keep=STICKY)
        self.more_follow_ups.clear()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.form.has_typed_text():
            self.reject()
            if self.isVisible():
                event.ignore()
                return
        super().closeEvent(event)
