"""A damaged journal is never written to: check it before the first write, unless it is known good.

Damage inside a file whose header is fine (a bad disk sector, a half-synced copy) is only
found by reading every page. Doing that before every command would cost seconds on a large
journal, so partnerdesk remembers, per user, the fingerprint of each journal as partnerdesk
last left it: device, inode, size and modification time of the file and of its write-ahead log
(an empty log counts as none: it holds nothing). Comparing that is the cheap check on open.
When it is doubtful (the journal changed since: another program touched it, or it was never
checked) the process about to write runs SQLite's full ``PRAGMA integrity_check`` first and
refuses to write when it finds damage.

The record follows partnerdesk's own writes: a write transaction notes the fingerprint once it
holds the write lock, and when that is still the recorded one after its COMMIT (nobody else
changed the file in between), the new fingerprint is recorded (``vouch_after_own_write``). So
a `log` while the window is open, or right after another `log`, does not read 500 MB again;
a file some other program changed still is.

A failed check is remembered too (``remember_damaged``): read commands then say at once that
the journal is damaged (``known_damage``), and writers refuse without reading it all again,
for as long as the file stays as it was when the check failed.

The records live in ``verified.json`` in the state folder ($PARTNERDESK_STATE_DIR, else the
platform's user state folder), never in the journal itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
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
MAX_PROBLEM = 300  # characters of a remembered problem


def state_dir() -> Path:
    override = os.environ.get("PARTNERDESK_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_path

    return user_state_path("partnerdesk", appauthor=False)


def fingerprint(path: Path) -> str | None:
    """The journal's file and log as they stand (stat only: nothing is opened).

    An empty log is the same as none: opening a journal makes SQLite create one, and it holds
    nothing the file does not.
    """
    parts = []
    for name in (str(path), f"{path}-wal"):
        try:
            st = os.stat(name)
        except FileNotFoundError:
            parts.append("-")
            continue
        except OSError:
            return None
        if st.st_size == 0 and name != str(path):
            parts.append("-")
            continue
        parts.append(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def ensure_healthy_before_writing(path: Path) -> str | None:
    """Raise JournalCorrupt (nothing written) when the journal fails SQLite's integrity check.

    Skipped when the journal is exactly as partnerdesk last left it. Returns the fingerprint
    the journal had when it was found healthy (for vouch_after_own_write).
    """
    now = fingerprint(path)
    record = _load().get(_key(path))
    if now is not None and record == now:
        return now
    if now is not None and isinstance(record, dict) and record.get("damaged") == now:
        # Found damaged before, and nothing changed it since: refuse without reading it again.
        _refuse(path, str(record.get("problem") or "it failed SQLite's check"))
    sides_before = side_files_present(path)
    problem = _damage(path)
    if problem is not None:
        forget_side_files(path, sides_before)  # a refused journal gets no -wal/-shm from us
        remember_damaged(path, problem)
        _refuse(path, problem)
    return remember_healthy(path)


def _refuse(path: Path, problem: str) -> None:
    raise JournalCorrupt(
        f"The journal {path} is damaged ({problem}); nothing was written to it. "
        "Restore the newest good backup (partnerdesk backups lists them) or run "
        "partnerdesk check."
    )


def is_trusted(path: Path) -> bool:
    """Whether the journal is exactly as partnerdesk last recorded it healthy (no check needed)."""
    now = fingerprint(path)
    return now is not None and _load().get(_key(path)) == now


def known_damage(path: Path) -> str | None:
    """What a check found wrong with the journal, when one failed and the file is unchanged since.

    Costs a stat and reading the small state file: cheap enough for every read command.
    """
    record = _load().get(_key(path))
    if not isinstance(record, dict) or record.get("damaged") is None:
        return None
    if record.get("damaged") != fingerprint(path):
        return None  # changed since (restored, replaced): no longer known
    return str(record.get("problem") or "it failed SQLite's check")


def remember_healthy(path: Path) -> str | None:
    """Record the journal's current fingerprint as healthy (after a check, or our own write)."""
    now = fingerprint(path)
    if now is not None:
        _put(path, now)
    return now


def remember_damaged(path: Path, problem: str) -> None:
    """Record that a check found the journal, as it stands now, damaged."""
    now = fingerprint(path)
    if now is not None:
        _put(path, {"damaged": now, "problem": " ".join(problem.split())[:MAX_PROBLEM]})


def vouch_after_own_write(path: Path, before: str | None) -> None:
    """After our own write: record the new fingerprint, if the journal was, when the write
    began, exactly as partnerdesk last recorded it healthy.

    Anything else changed it in between (another program, or a partnerdesk whose record was
    not current): then nothing is recorded and the next writer checks it all again.
    """
    if before is not None and _load().get(_key(path)) == before:
        remember_healthy(path)


def _put(path: Path, value: str | dict[str, str]) -> None:
    known = _load()
    known.pop(_key(path), None)
    known[_key(path)] = value
    while len(known) > MAX_REMEMBERED:
        known.pop(next(iter(known)))
    _save(known)


def _damage(path: Path) -> str | None:
    """What SQLite's full integrity_check found wrong; None when it passed.

    The full check, not quick_check: it runs only when the cheap check is doubtful, and it also
    finds an index that no longer matches its table (a write through such an index corrupts
    further). A failure that is not about the file's content (a read-only folder, say) is not
    damage: the write itself will say what is wrong.
    """
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = conn.execute("PRAGMA integrity_check(5)").fetchall()
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


Record = str | dict[str, str]  # a healthy fingerprint, or {"damaged": fingerprint, "problem"}


def _load() -> dict[str, Record]:
    try:
        data = json.loads((state_dir() / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    known: dict[str, Record] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            known[str(k)] = {str(a): str(b) for a, b in v.items()}
        else:
            known[str(k)] = str(v)
    return known


def _save(known: dict[str, Record]) -> None:
    folder = state_dir()
    target = folder / STATE_FILE
    temp = folder / f".{STATE_FILE}.{os.getpid()}.{threading.get_ident()}.tmp"  # window threads too
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
