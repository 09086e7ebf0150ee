"""A journal replaced or deleted in the middle of a write: nothing is reported saved, and the
file now at the path is never paired with the old file's write-ahead log.

A sync tool that renames another copy onto the path is the real-world case: SQLite keeps
writing to the old file (now unlinked), and pairs a '-wal' with a database by name only, so
committed pages left in the log would be replayed onto the new file by the next process.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from partnerdesk.domain.errors import JournalError
from partnerdesk.domain.models import InteractionDraft
from partnerdesk.domain.vocab import Source, Tag
from partnerdesk.store.journal import Journal
from tests.safety import make_journal, summaries

NEXT_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
print(conn.execute("PRAGMA integrity_check").fetchone()[0])
print(conn.execute("SELECT count(*) FROM interaction").fetchone()[0])
conn.close()
"""


def _draft(vid: int, summary: str) -> InteractionDraft:
    return InteractionDraft(vendor_id=vid, occurred_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
                            tag=Tag.HELPFUL, summary=summary, notes="x" * 3000,
                            source=Source.MANUAL)


@pytest.mark.parametrize("light", [False, True], ids=["engine", "light"])
@pytest.mark.parametrize("how", ["replaced", "deleted"])
def test_a_write_whose_file_was_swapped_is_rolled_back(tmp_path: Path, how: str,
                                                       light: bool) -> None:
    path = make_journal(tmp_path / "j.sqlite3", n=30)
    other = make_journal(tmp_path / "other-copy.sqlite3", n=3)
    other_rows = summaries(other)
    journal = Journal.open(path, light=light)  # light: plain sqlite3, as `log` writes
    vid = journal.vendors.all()[0].id
    # Committed but not yet merged into the file: these pages sit in the -wal.
    journal.interactions.add_many([_draft(vid, f"earlier {k}") for k in range(200)])
    with pytest.raises(JournalError, match="nothing was saved"):
        with journal.writing() as conn:
            journal.interactions.add_many([_draft(vid, f"doomed {k}") for k in range(50)],
                                          conn=conn)
            if how == "replaced":
                shutil.copyfile(other, tmp_path / "incoming.sqlite3")
                os.replace(tmp_path / "incoming.sqlite3", path)  # the sync tool's rename
            else:
                os.unlink(path)
    # The next process, while this one still has the old file open, must not adopt its log.
    if how == "replaced":
        out = subprocess.run([sys.executable, "-c", NEXT_PROCESS, str(path)], check=True,
                             capture_output=True, text=True, timeout=60).stdout.split()
        assert out == ["ok", str(len(other_rows))]
    journal.close()
    if how == "replaced":
        _assert_only_the_new_file(path, other_rows)
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def _swap_in(path: Path, other: Path) -> None:
    """What a sync tool does: another copy renamed onto the path."""
    incoming = path.with_name("incoming.sqlite3")
    shutil.copyfile(other, incoming)
    os.replace(incoming, path)


def _assert_only_the_new_file(path: Path, rows: list[str]) -> None:
    assert summaries(path) == rows
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_an_upgrade_whose_file_was_swapped_is_rolled_back(tmp_path: Path) -> None:
    from partnerdesk.store.journal_file import FileState, file_identity, migrate
    from partnerdesk.store.schema import LATEST_VERSION, MIGRATIONS

    path = make_journal(tmp_path / "j.sqlite3", n=30)
    other = make_journal(tmp_path / "other-copy.sqlite3", n=3)
    other_rows = summaries(other)
    identity = file_identity(path)
    conn = sqlite3.connect(path, isolation_level=None)
    # A further rung whose statement swaps the file mid-upgrade (through a function of ours).
    conn.create_function("pd_swap", 0, lambda: _swap_in(path, other) or 1)
    ladder = [*MIGRATIONS, "CREATE TABLE pd_next (a);\nSELECT pd_swap();"]
    with pytest.raises(JournalError, match="nothing was saved"):
        migrate(conn, path, FileState(version=LATEST_VERSION, fresh=False), ladder, identity)
    conn.close()
    _assert_only_the_new_file(path, other_rows)


def test_a_repair_whose_file_was_swapped_is_rolled_back(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from partnerdesk.services import check

    path = make_journal(tmp_path / "j.sqlite3", n=30)
    other = make_journal(tmp_path / "other-copy.sqlite3", n=3)
    other_rows = summaries(other)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE vendor_week SET n = n + 5 WHERE (vendor_id, start_day) ="
                 " (SELECT vendor_id, start_day FROM vendor_week LIMIT 1)")
    conn.close()
    real = check.summary_rebuilder()
    assert real is not None

    def rebuild_then_swap(c: object) -> None:  # the sync tool strikes during the rebuild
        real(c)
        _swap_in(path, other)

    monkeypatch.setattr(check, "summary_rebuilder", lambda: rebuild_then_swap)
    with pytest.raises(JournalError, match="nothing was saved"):
        check.repair_index(path, backup=False)
    _assert_only_the_new_file(path, other_rows)
