"""Long work off the UI thread: a job per task on the global pool, results delivered back by signal.

Lifetime is the whole difficulty. A worker must never emit into a QObject that the UI thread
may delete meanwhile: a per-job signals object, collected or deleteLater()'d while the worker
was still inside its last emit, corrupted memory and the process died later in garbage
collection. So no job owns a QObject: every worker reports through one relay that lives as
long as the application, and the UI thread hands each report to its job's callbacks. A started
job is held in `_live` until its last report has been handed over."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThreadPool, Signal
from shiboken6 import isValid

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


class _Relay(QObject):
    """The one object every worker reports through (it lives in the UI thread, so each report
    arrives there, queued, in the order it was sent)."""

    report = Signal(object, str, object)  # job, what happened, its arguments

    def deliver(self, job: Job, what: str, args: Any) -> None:
        job.signals.hand_over(what, args)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:  # made by the first start(), on the UI thread; parented to the app
        _relay = _Relay(QCoreApplication.instance())
        _relay.report.connect(_relay.deliver)
    return _relay


class _Hook:
    """One kind of report of a job: connect callbacks (UI thread), emit (worker thread)."""

    def __init__(self, job: Job, what: str):
        self._job, self._what = job, what
        self._slots: list[Callable[..., Any]] = []

    def connect(self, slot: Callable[..., Any]) -> None:
        self._slots.append(slot)

    def emit(self, *args: Any) -> None:
        _the_relay().report.emit(self._job, self._what, args)


class JobSignals:
    """What a job reports: done(result), failed(message), progress(done, total), cancelled(),
    then ended() when the UI thread may let the job go."""

    def __init__(self, job: Job):
        self.done = _Hook(job, "done")
        self.failed = _Hook(job, "failed")
        self.progress = _Hook(job, "progress")
        self.cancelled = _Hook(job, "cancelled")
        self.ended = _Hook(job, "ended")

    def hand_over(self, what: str, args: Any) -> None:
        for slot in list(getattr(self, what)._slots):
            # As a Qt connection would: a method of a QObject deleted meanwhile (a closed
            # window's model) is not called.
            owner = getattr(slot, "__self__", None)
            if isinstance(owner, QObject) and not isValid(owner):
                continue
            slot(*args)


# Jobs started and not yet ended, as seen from the UI thread (only that thread touches it).
_live: set[Job] = set()


class Job:
    """Runs fn(token, report) on the pool; report(done, total) drives a progress bar."""

    def __init__(self, fn: Callable[[CancelToken, Callable[[int, int], None]], Any]):
        self.fn = fn
        self.token = CancelToken()
        _the_relay()  # made here, on the UI thread, before any worker reports
        self.signals = JobSignals(self)
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
        # Runs on the UI thread after the outcome was handed over (reports keep their order).
        _live.discard(self)

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
            from partnerdesk.ui.messages import for_window

            known = explain(exc)
            if known is None:
                traceback.print_exc()
            # In the window's words here, once, for every window that shows a job's failure
            # (the services' sentences name the command line's flags).
            self.signals.failed.emit(for_window(
                str(known) if known else f"Something went wrong: {type(exc).__name__}: {exc}"))
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
