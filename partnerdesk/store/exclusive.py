"""Holding a journal so that no other process can read or write it (for restore).

A restore must copy the current journal aside and put the backup in its place with nobody
writing in between, or a commit made in that gap is in neither file. SQLite's own lock is the
only one every partnerdesk process honours, so the hold is a SQLite connection: it leaves
write-ahead logging (which merges the log into the file and needs every other connection
closed), switches to exclusive locking mode and takes an EXCLUSIVE lock that it keeps until it
is closed. Other processes wait on SQLite's busy timeout and then say the journal is busy.

The copy aside is taken through that same connection (SQLite's backup API), never with a
plain file handle: closing one would drop the very lock being held (POSIX).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from partnerdesk.domain.errors import JournalBusy, JournalReadOnly
from partnerdesk.store.journal_file import BUSY_TIMEOUT_MS


class Unlockable(Exception):
    """SQLite cannot read the file at all (it is damaged): no lock can be taken on it."""


@contextmanager
def held_exclusively(journal: Path,
                     timeout_ms: int = BUSY_TIMEOUT_MS) -> Iterator[sqlite3.Connection]:
    """A connection holding ``journal`` exclusively, its write-ahead log merged into it.

    Raises JournalBusy when another connection keeps it open past ``timeout_ms``,
    JournalReadOnly when the file or its folder cannot be written, and Unlockable when SQLite
    cannot read the file (then nothing about it was changed, its -wal included).
    """
    _probe(journal)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        conn = _connect(journal, timeout_ms)
        try:
            try:
                _leave_wal(conn, deadline)
                # Exclusive locking mode keeps the lock of this empty transaction after
                # COMMIT, until the connection closes.
                conn.execute("PRAGMA locking_mode = EXCLUSIVE")
                conn.execute("BEGIN EXCLUSIVE")
                conn.execute("COMMIT")
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            except sqlite3.Error as exc:
                raise _refusal(exc, journal) from None
            if mode == "delete":
                yield conn
                return
        finally:
            conn.close()
        # Another process reopened it in WAL mode between the two steps: start again.
        if time.monotonic() >= deadline:
            raise _refusal(sqlite3.OperationalError("database is locked"), journal)


def _probe(journal: Path) -> None:
    """Unlockable when SQLite cannot read the header (read-only, so its -wal is kept)."""
    try:
        conn = sqlite3.connect(f"{journal.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if not _is_busy(exc):
            raise Unlockable(str(exc)) from None


def _connect(journal: Path, timeout_ms: int) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{journal.resolve().as_uri()}?mode=rw", uri=True,
                               isolation_level=None, timeout=timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise _refusal(exc, journal) from None


def _leave_wal(conn: sqlite3.Connection, deadline: float) -> None:
    """Merge the log and leave WAL mode; this needs every other connection closed.

    Leaving WAL does not wait on the busy handler: retry as long as a write would wait.
    """
    while True:
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if _is_busy(exc) and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise


def copy_held(conn: sqlite3.Connection, journal: Path, target: Path) -> None:
    """Copy the held journal to ``target`` (a new private file) without letting go of it.

    SQLite's backup API copies the pages as they are. When even that fails (a damaged page it
    cannot read), a hard link keeps the exact bytes instead. Raises OSError when neither works.
    """
    temp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dest = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        os.chmod(temp, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(temp, target)
        return
    except sqlite3.Error:
        pass
    finally:
        for name in (temp, Path(f"{temp}-journal")):
            with contextlib.suppress(OSError):
                os.unlink(name)
    os.link(journal, target)


def _is_busy(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _refusal(exc: sqlite3.Error, journal: Path) -> Exception:
    msg = str(exc).lower()
    if _is_busy(exc):
        return JournalBusy(
            f"The journal ({journal}) is busy: it is open in another partnerdesk window or "
            "command; close it and try again. Nothing was changed."
        )
    if "readonly" in msg or "read-only" in msg or "unable to open" in msg:
        return JournalReadOnly(
            f"Cannot restore into {journal.parent}: the journal or its folder is read-only; "
            "nothing was changed."
        )
    return Unlockable(str(exc))
