"""What the command line says about a damaged journal (issue 8).

Reads still run on a damaged journal, as far as its pages can be read, but never silently:
when a check already found it damaged (store/verified.py remembers), a read command ends with
a warning line on stderr; when a read meets a damaged page, SQLite's error becomes one line
that says what to do, and is remembered, so the next command warns before anyone writes.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

# (command, action) that only read the journal, over the full store or their own path. A
# damaged journal is opened read-only for them instead of being refused.
READS = frozenset({
    ("list", None), ("search", None), ("health", None), ("vendor", "list"),
    ("contact", "list"), ("event", "list"), ("question", "list"), ("export", None),
    ("report", None), ("brief", None), ("followups", None),
})


def reads_only(args: argparse.Namespace) -> bool:
    return (args.command, getattr(args, "action", None)) in READS


def advice(path: Path) -> str:
    return (f"`partnerdesk check --db {path}` says what is wrong; `partnerdesk backups` lists "
            "the backups to restore (partnerdesk restore FILE).")


def warn_if_known_damaged(path: Path) -> None:
    """One stderr line when a check found this journal, as it stands, damaged (cheap: a stat)."""
    from partnerdesk.store.verified import known_damage

    try:
        problem = known_damage(path)
    except OSError:
        return
    if problem:
        sys.stderr.write(f"partnerdesk: warning: the journal {path} is damaged ({problem}); what "
                         f"is shown may be incomplete and nothing can be saved to it. "
                         f"{advice(path)}\n")


def damaged_line(path: Path | None, exc: BaseException) -> str | None:
    """The one line for SQLite finding a damaged page mid-command, or None for other failures;
    the finding is remembered for the next command (store/verified.py)."""
    cause = getattr(exc, "orig", None) or exc
    if not isinstance(cause, sqlite3.DatabaseError) or path is None:
        return None
    msg = str(cause)
    if not any(w in msg.lower() for w in ("malformed", "corrupt", "not a database")):
        return None
    from partnerdesk.store.verified import remember_damaged

    try:
        remember_damaged(path, msg)
    except OSError:
        pass
    return (f"the journal {path} is damaged ({msg}): part of it cannot be read; nothing was "
            f"written to it. {advice(path)}")
