"""Long work off the UI thread: a QRunnable per job, results delivered back by signal."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

# Services raise their own cancellation errors (a cancelled export or import is not a failure).
_SERVICE_CANCELS = frozenset({"ExportCancelled", "ImportCancelled"})


class Cancelled(Exception):
    """Raised inside a job when its token is cancelled; not an error."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int)
    cancelled = Signal()


class Job(QRunnable):
    """Runs fn(token, report) on the pool; report(done, total) drives a progress bar."""

    def __init__(self, fn: Callable[[CancelToken, Callable[[int, int], None]], Any]):
        super().__init__()
        self.fn = fn
        self.token = CancelToken()
        self.signals = JobSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError:
            pass  # the receiver (or the app) went away while we worked: nobody to tell

    def _run(self) -> None:
        try:
            result = self.fn(self.token, self.signals.progress.emit)
        except Cancelled:
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # shown to the user as one sentence
            if type(exc).__name__ in _SERVICE_CANCELS:
                self.signals.cancelled.emit()
                return
            from partnerdesk.store.db_errors import explain

            known = explain(exc)
            if known is None:
                traceback.print_exc()
            self.signals.failed.emit(str(known) if known else f"Something went wrong: {type(exc).__name__}: {exc}")
            return
        if self.token.cancelled:
            self.signals.cancelled.emit()
        else:
            self.signals.done.emit(result)


def start(fn: Callable[[CancelToken, Callable[[int, int], None]], Any],
          on_done: Callable[[Any], None] | None = None,
          on_failed: Callable[[str], None] | None = None,
          on_progress: Callable[[int, int], None] | None = None,
          pool: QThreadPool | None = None) -> Job:
    job = Job(fn)
    if on_done:
        job.signals.done.connect(on_done)
    if on_failed:
        job.signals.failed.connect(on_failed)
    if on_progress:
        job.signals.progress.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(job)
    return job
