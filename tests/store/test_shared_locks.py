"""Nothing partnerdesk does in a process drops the SQLite locks that process holds.

On POSIX, closing any descriptor of a file drops every lock the process holds on it. If a
header read, a check, a backup or a hash opened the journal with a plain handle while this
process held a connection, the next process to close its own connection would believe it was
the last user, checkpoint and delete the write-ahead log, and what this process writes next
would vanish. Each test: hold a Journal with an unmerged write, run one inspection, let another
process read and write the journal, write again, close, and find both writes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from partnerdesk.services.backup import backup_now, backup_on_open, list_backups, verify_backup
from partnerdesk.services.check import check_journal
from partnerdesk.services.locks import is_locked_by_other_writer
from partnerdesk.store.journal import Journal
from partnerdesk.store.journal_file import inspect_file
from tests.safety import make_journal

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("SELECT count(*) FROM interaction").fetchone()
conn.execute("INSERT INTO setting(key, value) VALUES (?, 'other process')", (sys.argv[2],))
conn.close()
"""


INSPECTIONS: dict[str, Callable[[Path], object]] = {
    "inspect_file": inspect_file,
    "daily backup": lambda p: backup_on_open(p),
    "backup": lambda p: backup_now(p),
    "check": lambda p: check_journal(p),
    "quick check": lambda p: check_journal(p, quick=True),
    "verify as a backup": lambda p: verify_backup(p),
    "list backups": lambda p: list_backups(p),
    "lock probe": is_locked_by_other_writer,
    "second journal": lambda p: Journal.open(p).close(),
    "read-only journal": lambda p: Journal.open(p, read_only=True).close(),
}


def _add(journal: Journal, summary: str) -> None:
    from datetime import UTC, datetime

    from partnerdesk.domain.models import InteractionDraft
    from partnerdesk.domain.vocab import Source, Tag

    vid = journal.vendors.all()[0].id
    journal.interactions.add(InteractionDraft(
        vendor_id=vid, occurred_at=datetime(2026, 5, 1, 9, tzinfo=UTC), tag=Tag.HELPFUL,
        summary=summary, source=Source.MANUAL))


@pytest.mark.parametrize("name", sorted(INSPECTIONS))
def test_inspecting_an_open_journal_keeps_this_process_locks(tmp_path: Path, name: str) -> None:
    path = make_journal(tmp_path / "j.sqlite3", n=5)
    journal = Journal.open(path)
    try:
        _add(journal, "before the inspection")
        INSPECTIONS[name](path)
        # Turn about with another process, both writing the same page (the setting table).
        for turn in (1, 2):
            subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(path), f"other {turn}"],
                           check=True, timeout=60)
            with journal.writing() as conn:
                conn.exec_driver_sql("INSERT INTO setting(key, value) VALUES (?, 'this process')",
                                     (f"this {turn}",))
        _add(journal, "after the other process")
    finally:
        journal.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        found = {r[0] for r in conn.execute("SELECT summary FROM interaction")}
        keys = {r[0] for r in conn.execute("SELECT key FROM setting")}
    finally:
        conn.close()
    assert {"before the inspection", "after the other process"} <= found
    # (the journal keeps its own settings too, e.g. the zone its local-day summary was built in)
    assert {k for k in keys if k.split()[0] in ("other", "this")} == {
        "other 1", "this 1", "other 2", "this 2"}
