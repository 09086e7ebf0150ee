"""One open journal as the window sees it: a fast reader always, the full store when needed.

Browsing, searching and reading an interaction go through a standard-library reader. The full
store (SQLAlchemy, sqlmodel: ~45 MiB and ~0.4 s to import) is loaded on a worker as soon as the
rep starts typing something that will be saved, so a session that only reads never pays for it.
Every change goes through here and is announced with `changed`, so views refresh from one
signal instead of poking each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from partnerdesk.store.timeline import TimelineReader
from partnerdesk.ui import workers

if TYPE_CHECKING:
    from partnerdesk.domain.models import Interaction
    from partnerdesk.store.journal import Journal


class JournalSession(QObject):
    ready = Signal()  # the store is open for writing
    failed = Signal(str)
    changed = Signal(str, object)  # what changed ('interaction', 'vendor', ...), and which ids

    def __init__(self, path: Path, parent: QObject | None = None, journal: Journal | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.journal: Journal | None = journal
        self.reader = TimelineReader(self.path)
        self.undo = QUndoStack(self)
        self._opening: workers.Job | None = None

    def open_async(self) -> None:
        """Report the journal as ready; the full store itself comes with prefetch()."""
        if self.journal is not None:
            self.ready.emit()

    def prefetch(self) -> None:
        """Start loading the full store on a worker (a write is coming)."""
        if self.journal is not None or self._opening is not None:
            return

        def work(_token: workers.CancelToken, _report: Any) -> Journal:
            from partnerdesk.store.journal import Journal

            return Journal.open(self.path, create=False)

        self._opening = workers.start(work, on_done=self._opened, on_failed=self.failed.emit)

    def _opened(self, journal: Journal) -> None:
        self._opening = None
        if self.journal is not None:  # store() was needed sooner and opened one itself
            journal.close()
            return
        self.journal = journal
        self.ready.emit()

    def read_interaction(self, interaction_id: int) -> Interaction | None:
        return self.reader.interaction(interaction_id)

    def store(self) -> Journal:
        """The full store; opened here and now if the worker has not finished yet."""
        if self.journal is None:
            from partnerdesk.store.journal import Journal

            self.journal = Journal.open(self.path, create=False)
        return self.journal

    def notify(self, kind: str, ids: object = None) -> None:
        self.changed.emit(kind, ids)

    def close(self) -> None:
        self.reader.close()
        if self.journal is not None:
            self.journal.close()
            self.journal = None
