"""Long work off the UI thread: a job per task on the global pool, results delivered back by signal.

Lifetime is the whole difficulty. A job's signals object lives in the UI thread and is what
the worker emits into; if Python collected it while the worker ran (the caller dropped its
reference, a newer job replaced the old one), the worker's emit reached freed memory and the
process died in garbage collection. So every started job is held in `_live` until the UI
thread has received its last signal, and its signals object is owned by the application and
deleted with deleteLater() on the UI thread, never by whichever thread drops the last
Python reference."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThreadPool, Signal

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
    ended = Signal()  # after done/failed/cancelled: the UI thread may let the job go


# Jobs started and not yet ended, as seen from the UI thread (only that thread touches it).
_live: set[Job] = set()


class Job:
    """Runs fn(token, report) on the pool; report(done, total) drives a progress bar."""

    def __init__(self, fn: Callable[[CancelToken, Callable[[int, int], None]], Any]):
        self.fn = fn
        self.token = CancelToken()
        # Parented to the application, so no Python reference count can delete it (see above).
        self.signals = JobSignals(QCoreApplication.instance())
        self.signals.ended.connect(self._release)

    def run(self) -> None:
        try:
            self._run()
        except RuntimeError:
            pass  # the app went away while we worked: nobody to tell
        finally:
            try:
                self.signals.ended.emit()
            except RuntimeError:
                pass

    def _release(self) -> None:
        # Runs on the UI thread after the outcome was delivered (queued signals keep their order).
        _live.discard(self)
        if self.signals.parent() is not None:
            self.signals.deleteLater()

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
            self.signals.failed.emit(
                str(known) if known else f"Something went wrong: {type(exc).__name__}: {exc}")
            return
        if self.token.cancelled:
            self.signals.cancelled.emit()
        else:
            self.signals.done.emit(result)


def start(fn: Callable[[CancelToken, Callable[[int, int], None]], Any],
          on_done: Callable[[Any], None] | None = None,
          on_failed: Callable[[str], None] | None = None,
          on_progress: Callable[[int, int], None] | None = None,
          on_cancelled: Callable[[], None] | None = None,
          pool: QThreadPool | None = None) -> Job:
    job = Job(fn)
    if on_done:
        job.signals.done.connect(on_done)
    if on_failed:
        job.signals.failed.connect(on_failed)
    if on_progress:
        job.signals.progress.connect(on_progress)
    if on_cancelled:  # connected before the start: a quick job could otherwise beat the connect
        job.signals.cancelled.connect(on_cancelled)
    _live.add(job)
    (pool or QThreadPool.globalInstance()).start(job.run)
    return job


def running() -> int:
    """Jobs started whose outcome the UI thread has not received yet."""
    return len(_live)


def settle(timeout_ms: int = 10_000, cancel: bool = False) -> bool:
    """Wait for every running job to finish and deliver its outcome: before a window is torn
    down (tests) or the application quits (cancel=True: asks them to stop first). False when
    some job was still busy at the timeout."""
    if cancel:
        for job in list(_live):
            job.token.cancel()
    deadline = QDeadlineTimer(timeout_ms)
    app = QCoreApplication.instance()
    while _live and not deadline.hasExpired():
        QThreadPool.globalInstance().waitForDone(min(50, max(1, deadline.remainingTime())))
        if app is not None:
            app.processEvents()
    return not _live
