"""Writing a verified copy of a journal, and naming the copies in its backups folder.

This is the low level shared by the migration (a copy before every schema upgrade) and by
``partnerdesk.services.backup`` (daily, before-import and manual backups, rotation, restore).

A copy is made with SQLite's online backup API into a hidden temporary file beside its final
name, switched to a self-contained rollback-journal file, closed, checked again from disk with
``PRAGMA quick_check``, flushed (fsync) and only then renamed to its final name. A full disk, a
kill or a damaged source therefore never leaves a file under a backup's name: at worst a hidden
``.*.tmp`` file, which rotation sweeps away later.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from partnerdesk.domain.errors import (
    DiskFull,
    JournalCorrupt,
    JournalError,
    JournalReadOnly,
    PartnerdeskError,
)

BACKUPS_DIRNAME = "backups"
BACKUP_SUFFIX = ".sqlite3"
TEMP_SUFFIX = ".tmp"
_STAMP = "%Y%m%dT%H%M%SZ"
_REASON_OK = re.compile(r"[^a-z0-9]+")
_SIDE_FILES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class BackupName:
    taken_at: datetime  # aware, UTC, whole seconds
    seq: int  # 1 for the first copy in a second, 2, 3... for more in the same second
    reason: str


def default_backup_folder(journal_path: Path) -> Path:
    """``backups/`` beside the journal (``~/.local/share/partnerdesk/backups/`` by default)."""
    return Path(journal_path).expanduser().absolute().parent / BACKUPS_DIRNAME


def clean_reason(reason: str) -> str:
    """A reason as it appears in a file name: lower case letters, digits and dashes."""
    text = _REASON_OK.sub("-", reason.lower()).strip("-")
    return text or "manual"


def backup_filename(journal_path: Path, reason: str, when: datetime, seq: int = 1) -> str:
    """``<stem>.<UTC time>[-<n>].<reason>.sqlite3``.

    For example ``journal.20260509T071530Z.daily.sqlite3``.
    """
    stamp = when.astimezone(UTC).strftime(_STAMP)
    more = f"-{seq}" if seq > 1 else ""
    return f"{Path(journal_path).stem}.{stamp}{more}.{clean_reason(reason)}{BACKUP_SUFFIX}"


def parse_backup_filename(journal_path: Path, name: str) -> BackupName | None:
    """The time, sequence and reason of one of this journal's backups; None for any other file."""
    stem = re.escape(Path(journal_path).stem)
    pattern = r"\.(\d{8}T\d{6}Z)(?:-(\d+))?\.([a-z0-9][a-z0-9-]*)" + re.escape(BACKUP_SUFFIX)
    m = re.fullmatch(stem + pattern, name)
    if m is None:
        return None
    try:
        when = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return BackupName(when, int(m.group(2) or 1), m.group(3))


def new_backup_path(folder: Path, journal_path: Path, reason: str, when: datetime) -> Path:
    """A name in ``folder`` that no backup has yet (a second copy within a second gets ``-2``)."""
    seq = 1
    while True:
        candidate = folder / backup_filename(journal_path, reason, when, seq)
        if not candidate.exists() and not _temp_exists(candidate):
            return candidate
        seq += 1


def _temp_exists(final: Path) -> bool:
    return any(final.parent.glob(f".{glob_escape(final.name)}.*{TEMP_SUFFIX}"))


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def ensure_private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable only by its owner; leave an existing one."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    try:
        for made in reversed(missing):
            try:
                made.mkdir(mode=0o700)
            except FileExistsError:
                continue
            os.chmod(made, stat.S_IRWXU)
    except OSError as exc:
        raise _copy_error(exc, folder) from None
    if not folder.is_dir():
        raise JournalError(f"{folder} is not a folder; backups need a folder there.")


def write_verified_copy(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the database behind ``source`` to ``target`` (which must not exist); return target.

    Raises DiskFull, JournalReadOnly or JournalError when the copy cannot be written, and
    JournalCorrupt when the copy fails SQLite's check (then the source itself is damaged).
    In every failure nothing is left under ``target``'s name.
    """
    target = Path(target)
    ensure_private_folder(target.parent)
    temp = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dest = sqlite3.connect(temp, isolation_level=None)
        try:
            copy_pages(source, dest)
            # The copy carries the source's WAL flag; make it one self-contained file.
            dest.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            dest.close()
        problem = quick_check_file(temp)
        if problem is not None:
            raise JournalCorrupt(
                f"The journal is damaged (its fresh copy fails SQLite's check: {problem}); "
                "no backup was kept. Restore the newest good backup or run 'partnerdesk check'."
            )
        os.chmod(temp, stat.S_IRUSR | stat.S_IWUSR)
        fsync_path(temp)
        if target.exists():
            raise FileExistsError(17, "File exists", str(target))
        os.replace(temp, target)
        fsync_path(target.parent)
    except BaseException as exc:
        discard(temp)
        if isinstance(exc, PartnerdeskError):
            raise
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise _copy_error(exc, target.parent, target) from None
        raise
    return target


def copy_pages(source: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """The online backup itself, in one step (a consistent snapshot of the committed journal).

    A module-level function so tests can make it fail part-way.
    """
    source.backup(dest)


def quick_check_file(path: Path, pragma: str = "quick_check") -> str | None:
    """None when ``PRAGMA quick_check`` (or ``integrity_check``) passes on a self-contained
    file, else the first problems."""
    if pragma not in ("quick_check", "integrity_check"):
        raise ValueError(pragma)
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    return "; ".join(str(r[0]) for r in rows[:3])


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's) contents to disk; folders that refuse are skipped."""
    is_dir = Path(path).is_dir()
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if is_dir else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if is_dir:
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not is_dir:
            raise
    finally:
        os.close(fd)


def discard(path: Path) -> None:
    """Remove a temporary copy and SQLite's side files for it; never raises."""
    for name in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            os.unlink(name)


def _copy_error(exc: BaseException, folder: Path, target: Path | None = None) -> PartnerdeskError:
    if isinstance(exc, sqlite3.Error):
        msg = str(exc).lower()
        if "full" in msg:
            return DiskFull(
                f"No room to write a backup in {folder}: the disk is full; no backup was kept "
                "and the journal itself was not changed. Free some space and try again."
            )
        if "readonly" in msg or "read-only" in msg or "unable to open" in msg:
            return JournalReadOnly(
                f"Cannot write a backup in {folder} (read-only or not allowed); no backup was "
                "kept and the journal itself was not changed. Choose a folder you can write to."
            )
        if "locked" in msg or "busy" in msg:
            from partnerdesk.store.db_errors import explain

            known = explain(exc, None)
            return known or JournalError(str(exc))
        return JournalError(f"Writing a backup in {folder} failed ({exc}); no backup was kept.")
    import errno

    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"No room to write a backup in {folder}: the disk is full; no backup was kept "
            "and the journal itself was not changed. Free some space and try again."
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return JournalReadOnly(
            f"Cannot write a backup in {folder} (read-only or not allowed); no backup was "
            "kept and the journal itself was not changed. Choose a folder you can write to."
        )
    if code == errno.EEXIST:
        return JournalError(
            f"{target or folder} already exists; choose another name for the backup."
        )
    return JournalError(f"Writing a backup in {folder} failed ({exc}); no backup was kept.")
