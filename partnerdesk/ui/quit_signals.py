"""SIGTERM and SIGINT close the window the way the rep's own close does, then end the app.

Python runs a signal handler only when the interpreter gets control, and inside Qt's event
loop it may not for a long time; the CLI's handler (which raises KeyboardInterrupt) then fired
inside some slot, printed a traceback and left the window running. So the C-level handler
writes the signal's number to a socket (signal.set_wakeup_fd) and a QSocketNotifier on the
other end wakes the event loop, where the close runs as an ordinary slot.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT") if hasattr(signal, name))
POLL_MS = 250  # where no wake-up socket can be set: how often Python gets a turn


class QuitOnSignal(QObject):
    """Calls `stop` once from the event loop when SIGTERM or SIGINT arrives; keep it alive."""

    def __init__(self, stop: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self._stop = stop
        self._stopping = False
        self._read: socket.socket | None = None
        self._write: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._timer: QTimer | None = None
        self._pending = False
        self._previous = {signo: signal.getsignal(signo) for signo in SIGNALS}
        for signo in SIGNALS:
            # the C handler writes the number to the wake-up socket; this one only marks it
            signal.signal(signo, self._python_handler)
        try:
            self._read, self._write = socket.socketpair()
            for end in (self._read, self._write):
                end.setblocking(False)
            signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
            self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._drain)
        except (OSError, ValueError):  # no socketpair or not the main thread: wake up now and then
            self._timer = QTimer(self)
            self._timer.timeout.connect(lambda: None)
            self._timer.start(POLL_MS)

    def _python_handler(self, _signo: int, _frame: object) -> None:
        # Runs between bytecodes on the main thread: only schedule, never close from here.
        self._pending = True
        QTimer.singleShot(0, self._fire)

    def _drain(self) -> None:
        assert self._read is not None
        try:
            while self._read.recv(64):
                self._pending = True  # one byte per signal, whether or not Python's handler ran yet
        except OSError:  # drained (would block)
            pass
        self._fire()

    def _fire(self) -> None:
        if not self._pending or self._stopping:
            return
        self._stopping = True  # a second signal while the close asks about unsaved edits
        try:
            self._stop()
        finally:
            self._stopping = False
            self._pending = False

    def uninstall(self) -> None:
        """The handlers from before (the CLI's), at the end of run() and in tests."""
        if self._write is not None:
            try:
                signal.set_wakeup_fd(-1)
            except ValueError:
                pass
        for signo, handler in self._previous.items():
            try:
                signal.signal(signo, handler)
            except (ValueError, TypeError):
                pass
        if self._notifier is not None:
            self._notifier.setEnabled(False)
        for end in (self._read, self._write):
            if end is not None:
                end.close()
        self._read = self._write = None
