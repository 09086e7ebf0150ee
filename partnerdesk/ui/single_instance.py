"""One window per journal: a second window on the same file brings the first to the front.

    guard = claim(journal_path)
    if guard is None:          # another window has this journal and was asked to come forward
        return 0
    if not guard.primary:      # another process holds it but did not answer: open read-only
        ...
    guard.raise_requested.connect(lambda: bring_to_front(window))
    # keep `guard` alive as long as the window shows this journal; guard.release() when done

How: a QLockFile and a QLocalServer, both named from a hash of the journal's resolved path
(and the user id), so different journals never collide and another user's never clash. Both
live in a folder only this user can enter (runtime_folder), never in world-writable /tmp. The
lock decides who is first (Qt removes a lock whose process has died); the local server
carries the "raise" message. A socket file left by a crash is removed (removeServer) by the
next owner before it listens.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

RAISE = b"raise\n"
QUICK = b"quick\n"  # come forward and open the quick log (`partnerdesk quick`)
ACK = b"ok\n"


def instance_key(path: str | os.PathLike[str]) -> str:
    """'partnerdesk-<uid>-<hash of the resolved journal path>': the server and lock name."""
    resolved = str(Path(path).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"partnerdesk-{uid}-{digest}"


def runtime_folder() -> Path | None:
    """A folder only this user can enter, for the lock and the socket; None on Windows.

    Not world-writable /tmp: there another user could create the lock first under its
    guessable name and force every window of ours read-only. $XDG_RUNTIME_DIR (the platform's
    per-user runtime folder) when it is there and private, else one we make 0700 in the user's
    cache folder.
    """
    if sys.platform == "win32":
        return None  # local server names are named pipes there; the lock goes to our data folder
    from platformdirs import user_cache_path

    candidates = []
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        candidates.append(Path(runtime) / "partnerdesk")
    candidates.append(user_cache_path("partnerdesk", appauthor=False) / "run")
    for folder in candidates:
        if _private_folder(folder):
            return folder
    return None


def _private_folder(folder: Path) -> bool:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return False
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(folder, 0o700)
        return True
    except OSError:
        return False


def _lock_path(key: str) -> str:
    folder = runtime_folder()
    if folder is None:
        from platformdirs import user_data_path

        folder = user_data_path("partnerdesk", appauthor=False)
        folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{key}.lock")


def _server_name(key: str) -> str:
    """The local server's name: a socket path in the private folder (a pipe name on Windows)."""
    folder = runtime_folder()
    # A socket path must stay under ~100 bytes: inside our own folder the hash alone will do.
    return key if folder is None else str(folder / f"{key.rsplit('-', 1)[-1]}.sock")


class InstanceGuard(QObject):
    """Held by the window that owns a journal. Emits raise_requested when another asks."""

    raise_requested = Signal()
    quick_requested = Signal()

    def __init__(self, key: str, lock: QLockFile | None, server: QLocalServer | None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.key = key
        self._lock = lock
        self._server = server
        self._clients: list[QLocalSocket] = []
        if server is not None:
            server.setParent(self)
            server.newConnection.connect(self._accept)

    @property
    def primary(self) -> bool:
        """True: this process is the journal's one writer. False: another process holds it
        but could not be reached; open the journal read-only."""
        return self._server is not None

    def release(self) -> None:
        """Give the journal up (the window closed, or switched to another journal)."""
        if self._server is not None:
            self._server.close()
            QLocalServer.removeServer(_server_name(self.key))
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._clients.append(sock)
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        while sock.canReadLine():
            line = bytes(sock.readLine().data())
            if line.strip() in (RAISE.strip(), QUICK.strip()):
                sock.write(QByteArray(ACK))
                sock.flush()
                self.raise_requested.emit()
                if line.strip() == QUICK.strip():
                    self.quick_requested.emit()

    def _forget(self, sock: QLocalSocket) -> None:
        if sock.bytesAvailable():
            self._read(sock)
        if sock in self._clients:
            self._clients.remove(sock)
        sock.deleteLater()


def claim(path: str | os.PathLike[str], *, timeout_ms: int = 1500,
          parent: QObject | None = None, message: bytes = RAISE) -> InstanceGuard | None:
    """Become the window for this journal, or ask the one that already is to come forward.

    Returns an InstanceGuard with primary True when this process now owns the journal; None
    when another window owns it and was sent "raise" (quit, or show nothing); an
    InstanceGuard with primary False when another process holds the lock but did not answer
    within timeout_ms (hung or still starting): open the journal read-only then.
    Needs a QCoreApplication (for the signal to arrive, a running event loop).
    """
    key = instance_key(path)
    lock = QLockFile(_lock_path(key))
    lock.setStaleLockTime(0)  # held for hours: stale only when its process is gone
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if lock.tryLock(0):
            # First here. A socket file left by a crashed owner would make listen() fail.
            QLocalServer.removeServer(_server_name(key))
            server = QLocalServer()
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            if server.listen(_server_name(key)):
                return InstanceGuard(key, lock, server, parent)
            lock.unlock()  # cannot listen: behave as if unreachable, below
            return InstanceGuard(key, None, None, parent)
        if _send_raise(key, max(50, int((deadline - time.monotonic()) * 1000)), message):
            return None
        if time.monotonic() >= deadline:
            return InstanceGuard(key, None, None, parent)
        time.sleep(0.05)  # the owner may be between taking the lock and listening


def _send_raise(key: str, timeout_ms: int, message: bytes = RAISE) -> bool:
    sock = QLocalSocket()
    sock.connectToServer(_server_name(key))
    if not sock.waitForConnected(min(timeout_ms, 500)):
        sock.abort()
        return False
    sock.write(QByteArray(message))
    sent = sock.waitForBytesWritten(min(timeout_ms, 500)) or sock.bytesToWrite() == 0
    # The owner answers "ok" from its event loop; it may be this very thread (tests), so do
    # not insist: the message is in the socket either way.
    sock.waitForReadyRead(200)
    sock.disconnectFromServer()
    if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        sock.waitForDisconnected(200)
    return sent


def bring_to_front(window: QWidget) -> None:
    """What a raise_requested handler usually does."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
