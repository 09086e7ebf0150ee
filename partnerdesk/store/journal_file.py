"""Opening a journal file: create it privately, refuse what is not ours, migrate what is old.

Nothing here writes to a file before it has been read successfully and found to be a
partnerdesk journal of a version this build understands.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from partnerdesk.domain.errors import (
    DiskFull,
    JournalCorrupt,
    JournalError,
    JournalTooNew,
    NotFound,
    PartnerdeskError,
)
from partnerdesk.store.db_errors import explain
from partnerdesk.store.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

BUSY_TIMEOUT_MS = 3000
SQLITE_HEADER_SIZE = 100


@dataclass(frozen=True)
class FileState:
    version: int
    fresh: bool  # no schema yet: ours to initialise


def create_private_file(path: Path) -> None:
    """An empty file readable only by its owner; its folder too, when we make it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise (explain(exc, path) or JournalError(str(exc))) from None


def inspect_file(path: Path) -> FileState:
    """Read a journal's header and version without writing a byte.

    Everything is read through SQLite, never with a plain file handle: this process may hold
    SQLite connections to the file (the window does while its daily backup runs), and on POSIX
    closing *any* descriptor of a file drops every lock the process holds on it. Another
    process would then believe it is the last user, checkpoint and delete the write-ahead log
    under our open connections, and saved entries would vanish. SQLite's own connections share
    one lock table per file within a process, so opening and closing one here is safe.
    """
    size = regular_file_size(path)
    if size == 0:
        return FileState(version=0, fresh=True)
    if size < SQLITE_HEADER_SIZE:
        raise JournalCorrupt(
            f"{path} is not a partnerdesk journal (or it is damaged); nothing was written to it. "
            "Open another journal or restore a backup."
        )
    sides_before = side_files_present(path)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            # 'wal' when the header's format bytes say write-ahead log (byte 18 = 2).
            wal_header = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()
    except sqlite3.Error as exc:
        forget_side_files(path, sides_before)
        if any(w in str(exc).lower() for w in ("not a database", "malformed")):
            raise JournalCorrupt(
                f"{path} is not a partnerdesk journal (or it is damaged); nothing was written "
                "to it. Open another journal or restore a backup."
            ) from None
        raise (explain(exc, path) or JournalCorrupt(
            f"{path} cannot be read as a journal ({exc}); nothing was written to it. "
            "Open another journal or restore a backup."
        )) from None
    # A file with no tables is ours to initialise only when it bears the mark of our own start:
    # Journal.open switches a new, empty file to WAL before the first migration, so an
    # interrupted creation leaves exactly that. Any other empty SQLite file belongs to someone
    # else.
    half_made = app_id == 0 and tables == 0 and wal_header
    if app_id != APPLICATION_ID and not half_made:
        forget_side_files(path, sides_before)
        raise JournalCorrupt(
            f"{path} is an SQLite file but not a partnerdesk journal; nothing was written to it. "
            "Open or create a journal instead."
        )
    if version > LATEST_VERSION:
        forget_side_files(path, sides_before)
        raise JournalTooNew(
            f"{path} was written by a newer partnerdesk (journal version {version}, this one "
            f"reads up to {LATEST_VERSION}); it was left untouched. Update partnerdesk to open it."
        )
    return FileState(version=version, fresh=tables == 0)


def regular_file_size(path: Path) -> int:
    """The size of the regular file at ``path``; refuses anything else before it is opened.

    A FIFO named as a journal would block the first read forever, and a device node is never a
    journal: both are refused from their stat alone.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise (explain(exc, path) or JournalError(str(exc))) from None
    if stat.S_ISDIR(st.st_mode):
        raise JournalError(f"{path} is a folder; give the path of a journal file.")
    if not stat.S_ISREG(st.st_mode):
        raise JournalError(
            f"{path} is not a regular file (a pipe or a device); give the path of a journal file."
        )
    return st.st_size


_SIDES = ("-wal", "-shm")


def side_files_present(path: Path) -> tuple[bool, ...]:
    return tuple(os.path.lexists(f"{path}{side}") for side in _SIDES)


def forget_side_files(path: Path, before: tuple[bool, ...]) -> None:
    """Remove the empty -wal and the -shm that reading a refused file made SQLite create.

    Only files that were not there before the read, and only an empty log: a file another
    program is using keeps its own.
    """
    wal, shm = (Path(f"{path}{side}") for side in _SIDES)
    try:
        if before[0] or before[1] or not wal.exists() or wal.stat().st_size:
            return
        wal.unlink()
        shm.unlink(missing_ok=True)
    except OSError:
        return


def read_only_uri(path: Path) -> str:
    """A URI that reads the file without writing a byte, even in a read-only folder.

    A WAL journal needs its shared-memory file (-shm) to be read; in a folder that cannot be
    written (read-only media, a locked-down share) SQLite cannot create it and refuses. When
    no write-ahead log is waiting there, the main file holds everything, so it is read as
    immutable instead.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    folder = path.resolve().parent
    wal = folder / f"{path.name}-wal"
    shm = folder / f"{path.name}-shm"
    try:
        pending = wal.exists() and wal.stat().st_size > 0
    except OSError:
        pending = True
    if not pending and not shm.exists() and not os.access(folder, os.W_OK):
        uri += "&immutable=1"
    return uri


def locate_existing(path: Path, create: bool) -> None:
    if path.exists():
        regular_file_size(path)
        return
    if not create:
        raise NotFound(f"There is no journal at {path}; check the path or create one.")
    create_private_file(path)


def backup_copy(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy through SQLite's online backup, readable only by its owner.

    Written under a temporary name, checked (quick_check) and then renamed, so a full disk or
    a kill never leaves a half copy under ``target`` (see store/backup_file.py).
    """
    from partnerdesk.store.backup_file import write_verified_copy

    return write_verified_copy(conn, target)


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` (device and inode); None when nothing is."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def refuse_commit_into_another_file(conn: sqlite3.Connection, path: Path,
                                    identity: tuple[int, int] | None) -> None:
    """Roll back instead of committing when the file at ``path`` is no longer the one opened.

    A sync tool may rename another copy onto the path mid-write, or a restore replace it: the
    writes would vanish with the old file, and committed pages left in the -wal beside the path
    would be replayed onto the new file by the next process (SQLite pairs a log with a file by
    name only). So: roll back, fold the log into the old file and empty it, and say so. Call it
    right before COMMIT, while the write lock is held.
    """
    if identity is None or file_identity(path) == identity:
        return
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    with contextlib.suppress(sqlite3.Error):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    raise JournalError(
        f"The journal file {path} was replaced, moved or deleted while partnerdesk was "
        "saving; nothing was saved. Reopen the journal and try again."
    )


def migrate(conn: sqlite3.Connection, path: Path, state: FileState,
            migrations: list[str] | None = None,
            identity: tuple[int, int] | None = None) -> Path | None:
    """Bring the schema up to date in one exclusive transaction; copy the old file first.

    ``identity``: the file the caller opened (file_identity); the upgrade is rolled back when
    another file is at the path by the time it would commit.
    """
    ladder = MIGRATIONS if migrations is None else migrations
    if state.version >= len(ladder):
        return None
    if identity is None:
        identity = file_identity(path)
    saved: Path | None = None
    if not state.fresh:
        # Into the journal's backups folder, beside the daily ones; rotation never deletes
        # these 'before-vN' copies (docs/safety.md).
        from partnerdesk.store.backup_file import default_backup_folder, new_backup_path

        folder = default_backup_folder(path)
        saved = new_backup_path(folder, path, f"before-v{len(ladder)}", datetime.now(UTC))
        try:
            backup_copy(conn, saved)
        except (OSError, sqlite3.Error, PartnerdeskError) as exc:
            err = explain(exc, saved)
            raise (err or DiskFull(f"Could not copy the journal before upgrading it ({exc})")) from None
    conn.execute("BEGIN EXCLUSIVE")
    try:
        # Re-read inside the lock: another process may have migrated meanwhile.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        for version in range(current, len(ladder)):
            for statement in _split_sql(ladder[version]):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {len(ladder)}")
        refuse_commit_into_another_file(conn, path, identity)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return saved


def _split_sql(script: str) -> list[str]:
    """Split a script into statements; sqlite3.complete_statement keeps triggers whole."""
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def configure(conn: sqlite3.Connection) -> None:
    """Per-connection settings: every connection of ours gets the same."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
