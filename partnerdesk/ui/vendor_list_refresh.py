"""The vendor list's counts and health dots, re-read off the UI thread: a moment after a change
made here, and when another process (`partnerdesk log` in a terminal) wrote to the journal."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer

from partnerdesk.store.timeline import TimelineReader
from partnerdesk.ui import workers
from partnerdesk.ui.session import JournalSession
from partnerdesk.ui.vendor_list import VendorListModel


class VendorListRefresh(QObject):
    """Owned by the window (a child QObject): its jobs report to nothing once it is gone."""

    def __init__(self, session: JournalSession, model: VendorListModel, parent: QObject):
        super().__init__(parent)
        self.session = session
        self.model = model
        self._stats_job: workers.Job | None = None
        self._health_job: workers.Job | None = None
        # Vendor counts are re-read a moment after a change, not inside it: at a million rows the
        # query takes ~100 ms and would otherwise compete with painting the saved row.
        self._stats_timer = QTimer(self)
        self._stats_timer.setSingleShot(True)
        self._stats_timer.setInterval(400)
        self._stats_timer.timeout.connect(self.refresh)
        # Writes from elsewhere (`partnerdesk log` in a terminal, another tool) change the file's
        # data_version: the vendor counts are re-read then, not left stale until a restart.
        self._data_version: int | None = None
        self._check_outside_writes()  # the baseline: what the window's first reads will see
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(3000)
        self._watch_timer.timeout.connect(self._check_outside_writes)
        self._watch_timer.start()

    def soon(self) -> None:
        """Re-read a moment from now (after a change, once it is painted)."""
        self._stats_timer.start()

    def refresh(self) -> None:
        if self._stats_job is not None:
            self._stats_job.token.cancel()
        path = self.session.path

        def work(_t: workers.CancelToken, _r: Any) -> dict[int, tuple[int, int | None, int]]:
            reader = TimelineReader(path)
            try:
                return reader.vendor_stats(time.strftime("%Y-%m-%d"))
            finally:
                reader.close()

        self._stats_job = workers.start(work, on_done=self.model.set_stats)
        self.refresh_health()

    def _check_outside_writes(self) -> None:
        try:
            version = self.session.reader.conn.execute("PRAGMA data_version").fetchone()[0]
        except Exception:
            return  # a damaged or vanished file is reported by the reads that need it
        if self._data_version is not None and version != self._data_version:
            self._stats_timer.start()
        self._data_version = version

    def refresh_health(self) -> None:
        """The health dots: portfolio scores over a stdlib reader, off the UI thread."""
        path = self.session.path

        def work(_t: workers.CancelToken, _r: Any) -> Any:
            from partnerdesk.services.health import portfolio
            from partnerdesk.store.lite import LiteJournal

            return portfolio(LiteJournal(path), include_archived=True)

        # A bound method, not a closure: Qt drops the connection if this object (and its window)
        # is destroyed before the job reports (a closure would reach for a deleted model). An
        # earlier job still running is cancelled: finishing last, it would paint older scores
        # over newer.
        if self._health_job is not None:
            self._health_job.token.cancel()
        self._health_job = workers.start(work, on_done=self._health_done)

    def _health_done(self, rows: Any) -> None:
        from partnerdesk.ui.portfolio import health_colours
        from partnerdesk.ui.vendor_list import health_notes

        self.model.set_health(health_colours(rows))
        self.model.set_health_notes(health_notes(rows))

    def cancel(self) -> None:
        """The window is closing: the jobs still running report to nobody."""
        for job in (self._stats_job, self._health_job):
            if job is not None:
                job.token.cancel()
