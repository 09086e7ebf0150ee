"""Automatic backups of a journal, their rotation, and restoring one. No Qt here.

Where: a ``backups/`` folder beside the journal (``~/.local/share/partnerdesk/backups/`` for
the default journal), created 0700; every backup file is 0600. Names are
``<journal stem>.<UTC time>[-n].<reason>.sqlite3``, e.g. ``journal.20260509T071530Z.daily.sqlite3``.

Reasons used by partnerdesk: ``daily`` (first open of a day), ``before-import``, ``before-vN``
(before a schema upgrade to version N, taken by the store), ``before-repair``, ``manual``
(``partnerdesk backup``), ``replaced`` (the journal a restore replaced) and ``rescued``.

Rotation (RotationPolicy, default 7 daily / 4 weekly / 3 latest) is documented in
docs/safety.md and in ``survivors()``; tests/services/test_backup.py pins it.

Every backup is written by ``store.backup_file.write_verified_copy``: online backup API into a
hidden temporary file, quick_check, fsync, rename. Nothing under a backup's name is ever half
written.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from partnerdesk.domain.errors import (
    JournalCorrupt,
    JournalError,
    JournalReadOnly,
    JournalTooNew,
    NotFound,
    PartnerdeskError,
)
from partnerdesk.store.backup_file import (
    TEMP_SUFFIX,
    clean_reason,
    default_backup_folder,
    discard,
    ensure_private_folder,
    fsync_path,
    new_backup_path,
    parse_backup_filename,
    quick_check_file,
    write_verified_copy,
)
from partnerdesk.store.exclusive import Unlockable, copy_held, held_exclusively
from partnerdesk.store.journal_file import (
    BUSY_TIMEOUT_MS,
    inspect_file,
    read_only_uri,
    regular_file_size,
)

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal

Clock = Callable[[], datetime]

# Reasons rotation never deletes: the journal a restore replaced (it may hold entries no backup
# has) and the copy taken before a schema upgrade (the only copy an older build can open).
_PROTECTED = re.compile(r"replaced|before-v\d+")
# A hidden temporary copy untouched for this long was left by a killed backup or restore.
STALE_TEMP_SECONDS = 3600


class BackupDamaged(JournalCorrupt):
    """A backup file fails its check or is not a partnerdesk journal."""


@dataclass(frozen=True)
class RotationPolicy:
    """How many backups rotation keeps. See survivors() for exactly which."""

    daily: int = 7  # newest backup of each of the N most recent days that have one
    weekly: int = 4  # newest backup of each of the N most recent ISO weeks that have one
    keep_last: int = 3  # the N newest backups, whatever their day

    def __post_init__(self) -> None:
        if min(self.daily, self.weekly, self.keep_last) < 0:
            raise ValueError("RotationPolicy counts must be zero or more")


DEFAULT_POLICY = RotationPolicy()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # aware, UTC (from the file name)
    reason: str
    size: int  # bytes
    ok: bool | None  # None: not verified (list_backups(verify=False))
    problem: str = ""  # why ok is False
    seq: int = 1

    @property
    def protected(self) -> bool:
        """Rotation never deletes this one (a 'replaced' or 'before-vN' copy)."""
        return _PROTECTED.fullmatch(self.reason) is not None

    @property
    def local_time(self) -> datetime:
        return self.taken_at.astimezone()


@dataclass(frozen=True)
class RestoreResult:
    journal: Path  # the journal now holding the backup's content
    backup: Path  # the backup that was restored
    kept_aside: Path | None  # where the replaced journal was kept; None if there was none


# -- where, and what is there ---------------------------------------------------------------------
def backup_folder(journal_path: str | os.PathLike[str], folder: Path | None = None) -> Path:
    """The folder holding this journal's backups (``folder`` wins when given)."""
    if folder is not None:
        return Path(folder).expanduser()
    return default_backup_folder(Path(journal_path))


def _scan(journal_path: Path, folder: Path | None) -> list[BackupInfo]:
    """This journal's backups, newest first, unverified."""
    where = backup_folder(journal_path, folder)
    found: list[BackupInfo] = []
    try:
        entries = list(os.scandir(where))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise _explained(exc, where) from None
    for entry in entries:
        name = parse_backup_filename(journal_path, entry.name)
        if name is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        found.append(BackupInfo(Path(entry.path), name.taken_at, name.reason, size, None, "",
                                name.seq))
    found.sort(key=lambda i: (i.taken_at, i.seq), reverse=True)
    return found


def list_backups(journal_path: str | os.PathLike[str], *, folder: Path | None = None,
                 verify: bool = True) -> list[BackupInfo]:
    """This journal's backups, newest first; with verify, each gets a quick_check (ok, problem)."""
    path = Path(journal_path).expanduser()
    infos = _scan(path, folder)
    if not verify:
        return infos
    out = []
    for info in infos:
        problem = verify_backup(info.path, full=False)
        out.append(BackupInfo(info.path, info.taken_at, info.reason, info.size, problem is None,
                              problem or "", info.seq))
    return out


def verify_backup(backup: str | os.PathLike[str], *, full: bool = True) -> str | None:
    """None when ``backup`` is a sound partnerdesk journal this build can open, else why not.

    full=True runs ``PRAGMA integrity_check`` (reads every page and index), else quick_check.
    Never writes to the file.
    """
    path = Path(backup).expanduser()
    if not path.is_file():
        return "the file does not exist"
    try:
        state = inspect_file(path)
    except JournalTooNew:
        return "written by a newer partnerdesk"
    except PartnerdeskError as exc:
        return _first_sentence(str(exc))
    if state.fresh:
        return "it is empty"
    return quick_check_file(path, "integrity_check" if full else "quick_check")


def newest_good_backup(journal_path: str | os.PathLike[str], *,
                       folder: Path | None = None) -> Path | None:
    """The newest backup that passes the full integrity check; None when there is none.

    'replaced' copies (the journal a restore put aside) are not offered.
    """
    path = Path(journal_path).expanduser()
    for info in _scan(path, folder):
        if info.reason == "replaced":
            continue
        if verify_backup(info.path, full=True) is None:
            return info.path
    return None


# -- taking backups ----------------------------------------------------------------------------
def backup_now(source: str | os.PathLike[str] | Journal, reason: str = "manual",
               dest: str | os.PathLike[str] | None = None, *, folder: Path | None = None,
               policy: RotationPolicy = DEFAULT_POLICY, clock: Clock | None = None) -> Path:
    """A verified copy of the journal; returns the new backup's path.

    ``source`` is a journal path or an open Journal. With ``dest`` None the copy goes to the
    backups folder and rotation runs afterwards; ``dest`` may name a folder (standard name
    inside it, no rotation) or a new file (never overwritten).

    Raises NotFound (no journal there), JournalCorrupt (the journal is damaged: its copy fails
    the check), DiskFull, JournalReadOnly, JournalBusy or JournalError. On any failure no file
    is left under a backup's name.
    """
    journal_path, conn = _open_source(source)
    try:
        when = _now(clock)
        rotate_after = False
        if dest is None:
            where = backup_folder(journal_path, folder)
            target = new_backup_path(where, journal_path, reason, when)
            rotate_after = True
        else:
            dest_path = Path(dest).expanduser()
            if dest_path.is_dir():
                target = new_backup_path(dest_path, journal_path, reason, when)
            elif dest_path.exists() or os.path.lexists(dest_path):
                raise JournalError(
                    f"{dest_path} already exists; a backup never overwrites a file. "
                    "Choose another name."
                )
            else:
                target = dest_path
        write_verified_copy(conn, target)
    finally:
        conn.close()
    if rotate_after:
        with contextlib.suppress(PartnerdeskError, OSError):
            rotate(journal_path, folder=folder, policy=policy, clock=clock)
    return target


def backup_on_open(journal_path: str | os.PathLike[str], *, folder: Path | None = None,
                   policy: RotationPolicy = DEFAULT_POLICY,
                   clock: Clock | None = None) -> Path | None:
    """The daily backup: taken unless this journal already has a backup from today (local day).

    Returns the new backup, or None when none was needed (already one today; a new or empty
    journal; no file yet). Call it before (or right after) opening the journal, ideally on a
    worker. Raises what backup_now raises; JournalCorrupt means the journal itself is damaged.
    """
    path = Path(journal_path).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    if inspect_file(path).fresh:
        return None
    today = _now(clock).astimezone().date()
    for info in _scan(path, folder):
        if info.reason != "replaced" and info.taken_at.astimezone().date() == today:
            return None
    return backup_now(path, "daily", folder=folder, policy=policy, clock=clock)


def backup_before(journal: Journal | str | os.PathLike[str], reason: str, *,
                  folder: Path | None = None, policy: RotationPolicy = DEFAULT_POLICY,
                  clock: Clock | None = None) -> Path:
    """A backup before a risky change; ``backup_before(journal, "import")`` is 'before-import'.

    Raises like backup_now; callers should not go ahead with the change when it raises.
    """
    label = clean_reason(reason)
    if not label.startswith("before-"):
        label = f"before-{label}"
    return backup_now(journal, label, folder=folder, policy=policy, clock=clock)


def rescue_open_copy(journal: Journal, dest: str | os.PathLike[str] | None = None, *,
                     folder: Path | None = None, clock: Clock | None = None) -> Path:
    """Write out what an open journal still holds after its file was deleted or moved.

    SQLite keeps reading a file that was removed while open; this copies it, through a
    connection the journal already has, back to ``journal.path`` when nothing is there now
    (else into the backups folder, reason 'rescued'), or to ``dest``. Returns the path
    written. Close the journal and reopen that path afterwards.
    """
    when = _now(clock)
    if dest is not None:
        target = Path(dest).expanduser()
        if target.exists():
            raise JournalError(f"{target} already exists; choose another name.")
    elif not os.path.lexists(journal.path):
        target = journal.path
    else:
        target = new_backup_path(backup_folder(journal.path, folder), journal.path, "rescued", when)
    try:
        with journal.reading() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            write_verified_copy(raw, target)
    except PartnerdeskError:
        raise
    except Exception as exc:
        raise JournalError(
            f"The open journal could not be copied out ({exc}); keep partnerdesk open and copy "
            f"the backups folder {backup_folder(journal.path, folder)} somewhere safe."
        ) from None
    return target


# -- rotation ----------------------------------------------------------------------------------
def survivors(backups: Iterable[BackupInfo], policy: RotationPolicy = DEFAULT_POLICY) -> set[Path]:
    """The backups rotation keeps: the union of

    1. every 'replaced' and 'before-vN' backup (never deleted automatically);
    2. the ``keep_last`` newest of the others;
    3. for each of the ``daily`` most recent local calendar days that have a backup, the newest
       backup of that day;
    4. for each of the ``weekly`` most recent ISO weeks (Monday to Sunday, local time) that
       have a backup, the newest backup of that week.

    Days and weeks without a backup are not counted, so a journal left alone for a month keeps
    its old backups instead of losing them all on the next open.
    """
    items = list(backups)
    keep = {i.path for i in items if i.protected}
    rotating = sorted((i for i in items if not i.protected), key=lambda i: (i.taken_at, i.seq),
                      reverse=True)
    keep.update(i.path for i in rotating[: policy.keep_last])

    def newest_per(bucket: Callable[[BackupInfo], object], count: int) -> None:
        seen: set[object] = set()
        for info in rotating:  # newest first: the first seen in a bucket is its newest
            key = bucket(info)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(info.path)

    newest_per(lambda i: _local_day(i), policy.daily)
    newest_per(lambda i: _local_day(i).isocalendar()[:2], policy.weekly)
    return keep


def rotate(journal_path: str | os.PathLike[str], *, folder: Path | None = None,
           policy: RotationPolicy = DEFAULT_POLICY, clock: Clock | None = None) -> list[Path]:
    """Delete this journal's backups that survivors() does not keep; return the deleted paths.

    Also sweeps hidden temporary copies left by a killed backup (untouched for an hour).
    Files in the folder that are not this journal's backups are never touched.
    """
    path = Path(journal_path).expanduser()
    infos = _scan(path, folder)
    keep = survivors(infos, policy)
    removed = []
    for info in infos:
        if info.path in keep:
            continue
        try:
            os.unlink(info.path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise _explained(exc, info.path) from None
        removed.append(info.path)
    _sweep_temps(path, backup_folder(path, folder))
    return removed


def _sweep_temps(journal_path: Path, where: Path) -> None:
    prefix = f".{journal_path.stem}."
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        entries = list(os.scandir(where))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix):
            continue
        if not any(name.endswith(TEMP_SUFFIX + s) for s in ("", "-journal", "-wal", "-shm")):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)


def _local_day(info: BackupInfo) -> date:
    return info.taken_at.astimezone().date()


# -- restore -----------------------------------------------------------------------------------
def restore(backup: str | os.PathLike[str], target: str | os.PathLike[str], *,
            folder: Path | None = None, clock: Clock | None = None) -> RestoreResult:
    """Replace the journal at ``target`` with the content of ``backup``.

    1. The backup must pass the full integrity check and be a journal this build can open,
       else BackupDamaged (a JournalCorrupt) and nothing changes.
    2. The backup is copied beside the journal under a hidden name and checked again.
    3. The current journal is held exclusively through SQLite (store/exclusive.py): its
       write-ahead log is merged and no other process can read or write it until the swap
       is done. When it is open anywhere, JournalBusy after the store's busy timeout (3 s)
       and nothing changed.
    4. Under that lock the current journal is copied aside into the backups folder as
       '<stem>.<time>.replaced.sqlite3' (a damaged one too; one SQLite cannot read at all is
       copied byte for byte, with its '-wal' when it had an unmerged one).
    5. Still under the lock, stale -wal/-shm files are removed and the checked copy is
       renamed over the journal in one step, so SQLite never pairs it with an old log. A
       process that had the old file open finds it gone before its next commit and rolls
       back (Journal.writing).

    Raises NotFound, BackupDamaged, JournalBusy, DiskFull, JournalReadOnly or JournalError.
    """
    source = Path(backup).expanduser()
    journal = Path(target).expanduser()
    if not source.is_file():
        raise NotFound(f"There is no backup at {source}; list them with: partnerdesk backups")
    if journal.exists() and _same_file(source, journal):
        raise JournalError(f"{source} is the journal itself; choose a backup to restore.")
    problem = verify_backup(source, full=True)
    if problem is not None:
        raise BackupDamaged(
            f"The backup {source} cannot be restored ({problem}); nothing was changed. "
            "Choose another backup (partnerdesk backups lists them)."
        )
    when = _now(clock)
    where = backup_folder(journal, folder)
    if not journal.parent.is_dir():
        ensure_private_folder(journal.parent)
    present = os.path.lexists(journal)
    if present:
        regular_file_size(journal)  # a pipe or a device is refused before it is opened
    temp = journal.with_name(f".{journal.name}.restoring-{os.getpid()}-{secrets.token_hex(4)}"
                             f"{TEMP_SUFFIX}")
    kept: list[Path] = []
    aside: Path | None = None
    swapped = False
    try:
        _copy_file(source, temp)
        bad = quick_check_file(temp)
        if bad is not None:
            raise JournalError(f"The copy of {source} did not read back correctly ({bad}); "
                               "nothing was changed. Check the disk and try again.")
        with contextlib.ExitStack() as stack:
            if present:
                aside = new_backup_path(where, journal, "replaced", when)
                ensure_private_folder(where)
                try:
                    # From here until the swap no other process can read or write the
                    # journal, so the copy aside holds every commit it ever acknowledged.
                    held = stack.enter_context(held_exclusively(journal))
                except Unlockable:
                    # SQLite cannot read it, so nobody can be writing to it through SQLite:
                    # keep its exact bytes, and its unmerged log when it has one.
                    _copy_file(journal, aside)
                    kept.append(aside)
                    wal = _side(journal, "-wal")
                    if wal.exists() and wal.stat().st_size > 0:
                        _copy_file(wal, _side(aside, "-wal"))
                        kept.append(_side(aside, "-wal"))
                else:
                    copy_held(held, journal, aside)
                    kept.append(aside)
            else:
                wal = _side(journal, "-wal")
                if wal.exists() and wal.stat().st_size > 0:  # a log without its journal
                    aside = new_backup_path(where, journal, "replaced", when)
                    ensure_private_folder(where)
                    _copy_file(wal, _side(aside, "-wal"))
                    kept.append(_side(aside, "-wal"))
            # The copies aside hold everything the old journal had. Stale logs go, so SQLite
            # never pairs the restored file with them, and the copy takes the journal's name
            # in one step while the lock is still held.
            swapped = True
            for side in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(_side(journal, side))
            os.replace(temp, journal)
            fsync_path(journal.parent)
    except BaseException as exc:
        discard(temp)
        if not swapped:
            for made in kept:
                with contextlib.suppress(OSError):
                    os.unlink(made)
        if isinstance(exc, PartnerdeskError):
            raise
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise _explained(exc, journal, restoring=True) from None
        raise
    return RestoreResult(journal=journal, backup=source, kept_aside=aside)


def _copy_file(src: Path, dst: Path) -> None:
    """Copy bytes to a new private file via a hidden temp name; no half file on failure."""
    temp = dst.with_name(f".{dst.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, stat.S_IRUSR | stat.S_IWUSR)
        if os.path.lexists(dst):
            raise FileExistsError(17, "File exists", str(dst))
        os.replace(temp, dst)
    except BaseException:
        discard(temp)
        raise


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# -- helpers -----------------------------------------------------------------------------------
def _open_source(source: str | os.PathLike[str] | Journal) -> tuple[Path, sqlite3.Connection]:
    from partnerdesk.store.journal import Journal

    if isinstance(source, Journal):
        try:
            return source.path, source.raw_connection()
        except sqlite3.Error as exc:
            raise _explained(exc, source.path) from None
    path = Path(source).expanduser()
    if not path.exists():
        raise NotFound(f"There is no journal at {path}; check the path (or --db).")
    if path.is_dir():
        raise JournalError(f"{path} is a folder; give the path of a journal file.")
    state = inspect_file(path)  # refuses what is not a journal, without writing
    if state.fresh:
        raise JournalError(f"{path} is a new, empty journal; there is nothing to back up yet.")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True,
                               isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _explained(exc, path) from None
    return path, conn


def _now(clock: Clock | None) -> datetime:
    now = clock() if clock is not None else datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("the backup clock must return an aware datetime")
    return now.astimezone(UTC)


def _first_sentence(text: str) -> str:
    head = text.split(";")[0].strip()
    return head or text


def _explained(exc: BaseException, path: Path, restoring: bool = False) -> PartnerdeskError:
    from partnerdesk.store.db_errors import explain

    known = explain(exc, path)
    if restoring:
        from partnerdesk.domain.errors import DiskFull

        if isinstance(known, DiskFull):
            return DiskFull(f"No room to restore into {path.parent}: the disk is full; the "
                            "journal was not replaced. Free some space and try again.")
        if isinstance(known, JournalReadOnly):
            return JournalReadOnly(f"Cannot restore into {path.parent} (read-only or not "
                                   "allowed); the journal was not replaced.")
        return JournalError(f"Restoring into {path} failed ({exc}); the journal was not replaced.")
    return known or JournalError(f"{path}: {exc}")
