"""Turn SQLite's and the operating system's failures into sentences a rep can act on."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from partnerdesk.domain.errors import (
    DiskFull,
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalReadOnly,
    PartnerdeskError,
)


def integrity_cause(exc: BaseException) -> sqlite3.IntegrityError | None:
    """The driver's IntegrityError behind `exc` (raised by sqlite3 itself, or wrapped by
    SQLAlchemy); None for any other failure."""
    orig = getattr(exc, "orig", None)
    for candidate in (exc, orig):
        if isinstance(candidate, sqlite3.IntegrityError):
            return candidate
    return None


def explain(exc: BaseException, path: Path | None = None) -> PartnerdeskError | None:
    """A PartnerdeskError for a failure we understand; None for a genuine bug."""
    if isinstance(exc, PartnerdeskError):
        return exc
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's exception
    if isinstance(orig, BaseException):
        exc = orig
    where = f" ({path})" if path else ""
    if isinstance(exc, sqlite3.Error):
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            return JournalBusy(
                f"The journal{where} is busy: another partnerdesk is writing to it; "
                "try again in a moment or close the other window."
            )
        if "full" in msg:
            return DiskFull(
                f"The disk holding the journal{where} is full; nothing was saved. "
                "Free some space and try again."
            )
        if "readonly" in msg or "read-only" in msg:
            return JournalReadOnly(
                f"The journal{where} is read-only; nothing was saved. "
                "Check the file's permissions or open a copy you can write."
            )
        if "not a database" in msg or "malformed" in msg or "corrupt" in msg:
            return JournalCorrupt(
                f"The journal{where} is damaged; nothing was written to it. "
                "Restore a backup or open another journal."
            )
        if "unable to open" in msg:
            return JournalError(
                f"The journal{where} cannot be opened; check that its folder exists and "
                "that you may write there."
            )
        if "disk i/o" in msg:
            return JournalError(
                f"Reading or writing the journal{where} failed (disk I/O error); "
                "check the disk and that the file was not moved, then try again."
            )
        return None
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFull(f"The disk is full{where}; nothing was saved. Free some space and try again.")
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            name = exc.filename or path or "the file"
            return JournalReadOnly(f"Permission denied for {name}; choose a place you can write to.")
        if exc.errno == errno.ENOENT:
            return JournalError(f"{exc.filename or path} does not exist; check the path.")
        return JournalError(f"{exc.strerror or exc}{where}; check the path and try again.")
    return None
