"""A damaged journal is never written to: check it before the first write, unless it is known good.

Damage inside a file whose header is fine (a bad disk sector, a half-synced copy) is only
found by reading every page, which SQLite's ``PRAGMA quick_check`` does. Doing that before
every command would cost seconds on a large journal, so partnerdesk remembers, per user, the
fingerprint of each journal as it was when last found healthy or last closed after writing:
device, inode, size and modification time of the file and of its write-ahead log. That
comparison is the cheap check on open; when it is doubtful (the journal changed since: another
program touched it, or it was never checked) the process about to write runs quick_check
first and refuses to write when it finds damage. (The full ``integrity_check``, which also
compares every index with its table, is ``partnerdesk check``'s.)

The fingerprints live in ``verified.json`` in the state folder ($PARTNERDESK_STATE_DIR, else
the platform's user state folder), never in the journal itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from partnerdesk.domain.errors import JournalBusy, JournalCorrupt
from partnerdesk.store.journal_file import (
    BUSY_TIMEOUT_MS,
    forget_side_files,
    read_only_uri,
    side_files_present,
)

STATE_FILE = "verified.json"
MAX_REMEMBERED = 50  # journals remembered; the oldest are forgotten first


def state_dir() -> Path:
    override = os.environ.get("PARTNERDESK_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_path

    return user_state_path("partnerdesk", appauthor=False)


def fingerprint(path: Path) -> str | None:
    """The journal's file and log as they stand (stat only: nothing is opened)."""
    parts = []
    for name in (str(path), f"{path}-wal"):
        try:
            st = os.stat(name)
        except FileNotFoundError:
            parts.append("-")
            continue
        except OSError:
            return None
        parts.append(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def ensure_healthy_before_writing(path: Path) -> None:
    """Raise JournalCorrupt (nothing written) when the journal fails SQLite's check.

    Skipped when the journal is exactly as it was when last found healthy.
    """
    key = _key(path)
    now = fingerprint(path)
    if now is not None and _load().get(key) == now:
        return
    sides_before = side_files_present(path)
    problem = _damage(path)
    if problem is not None:
        forget_side_files(path, sides_before)  # a refused journal gets no -wal/-shm from us
        raise JournalCorrupt(
            f"The journal {path} is damaged ({problem}); nothing was written to it. "
            "Restore the newest good backup (partnerdesk backups lists them) or run "
            "partnerdesk check."
        )
    remember_healthy(path)


def remember_healthy(path: Path) -> None:
    """Record the journal's current fingerprint as healthy (after a check, or a clean close)."""
    now = fingerprint(path)
    if now is None:
        return
    known = _load()
    known.pop(_key(path), None)
    known[_key(path)] = now
    while len(known) > MAX_REMEMBERED:
        known.pop(next(iter(known)))
    _save(known)


def _damage(path: Path) -> str | None:
    """What quick_check found wrong; None when it passed.

    A failure that is not about the file's content (a read-only folder, say) is not damage:
    the write itself will say what is wrong.
    """
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = conn.execute("PRAGMA quick_check(5)").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            raise JournalBusy(
                f"The journal ({path}) is busy: another partnerdesk is writing to it; try "
                "again in a moment."
            ) from None
        if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
            return str(exc)
        return None
    if rows == [("ok",)]:
        return None
    return "; ".join(" ".join(str(r[0]).split()) for r in rows[:2])


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def _load() -> dict[str, str]:
    try:
        data = json.loads((state_dir() / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save(known: dict[str, str]) -> None:
    folder = state_dir()
    target = folder / STATE_FILE
    temp = folder / f".{STATE_FILE}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(known, fh)
        os.replace(temp, target)
    except OSError:
        # Only a cache: without it the next write checks again.
        with contextlib.suppress(OSError):
            os.unlink(temp)
