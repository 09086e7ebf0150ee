"""Which commands may create a journal, and what the others say about a path that holds none.

A rep who mistypes --db must not be told "No interactions match" by a brand-new empty journal
made on the spot: they would think their notes are gone. So only commands that add something
create a journal (and say where); every other command names the path and changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from partnerdesk.domain.errors import (
    JournalCorrupt,
    JournalError,
    JournalReadOnly,
    NotFound,
    PartnerdeskError,
)
from partnerdesk.store.journal_file import regular_file_size

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal

# (command, action): commands that add something and may start a new journal to hold it.
CREATES_JOURNAL = frozenset({
    ("vendor", "add"), ("contact", "add"), ("event", "add"),
    ("log", None), ("import", None), ("demo", None),
})
# Commands whose whole work runs on plain sqlite3 (store/driver_pool.py): they never import
# SQLAlchemy (~0.3 s), so `log` stays under half a second on a large journal.
LIGHT = frozenset({("log", None)})


def creates_journal(args: argparse.Namespace) -> bool:
    return (args.command, getattr(args, "action", None)) in CREATES_JOURNAL


def open_for_command(path: Path, args: argparse.Namespace) -> tuple[Journal, bool]:
    """The journal a command runs on, and whether it was started just now (say so once the
    command succeeded: announce_new). Refuses a missing or empty path unless it may create."""
    from partnerdesk.store.journal import Journal

    create = creates_journal(args)
    is_new = not path.exists() or regular_file_size(path) == 0
    if is_new and not create:
        if not path.exists():
            raise NotFound(
                f"There is no journal at {path}; check the path (--db or $PARTNERDESK_DB). "
                "Nothing was created."
            )
        raise JournalError(
            f"{path} is an empty file, not a journal; check the path (--db or $PARTNERDESK_DB). "
            "It was left as it is."
        )
    try:
        light = (args.command, getattr(args, "action", None)) in LIGHT
        journal = Journal.open(path, create=create, light=light)
    except JournalReadOnly:
        if is_new:
            raise
        # Read-only media or a write-protected file: read it as it stands. A command that
        # then tries to write is refused with "open read-only; nothing was saved".
        journal = Journal.open(path, create=False, read_only=True)
    except JournalCorrupt as damaged:
        from partnerdesk.cli.damage import reads_only

        if is_new or not reads_only(args):
            raise
        # The check before writing found damage: a command that only reads still shows what
        # can be read (and main warns that the journal is damaged). A file that is not a
        # journal at all fails the read-only open too, with its own sentence.
        try:
            journal = Journal.open(path, create=False, read_only=True)
        except PartnerdeskError:
            raise damaged from None
    return journal, is_new


def announce_new(path: Path) -> None:
    sys.stderr.write(f"partnerdesk: started a new journal at {path}\n")
