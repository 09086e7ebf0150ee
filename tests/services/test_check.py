"""check_journal never writes; repair_index rebuilds the search index, and only that."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from partnerdesk.domain.errors import JournalBusy, JournalCorrupt, NotFound
from partnerdesk.services.backup import backup_now, list_backups, newest_good_backup
from partnerdesk.services.check import (
    DATABASE,
    FILE,
    INDEX,
    LINKS,
    check_journal,
    quick_check,
    repair_index,
)
from partnerdesk.store.journal import Journal
from tests.helpers import fts_check, sqlite_rows
from tests.safety import corrupt_pages, damage_table, make_journal, sha, truncate


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.sqlite3", 200, notes="quarterly rebate notes " * 10)


def _index_out_of_step(path: Path) -> None:
    """Change a summary behind the index's back (the update trigger off for one statement)."""
    conn = sqlite3.connect(path, isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'interaction_fts_update'"
                       ).fetchone()[0]
    conn.execute("BEGIN")
    conn.execute("DROP TRIGGER interaction_fts_update")
    conn.execute("UPDATE interaction SET summary = 'zebra crossing' WHERE id = 7")
    conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()


def _index_structure_damaged(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE interaction_fts_data SET block = randomblob(length(block)) WHERE id > 10")
    conn.close()


def _search(path: Path, word: str) -> list[int]:
    with Journal.open(path) as j:
        return [i.id for i in j.interactions.search(word)]


def test_a_sound_journal_passes(jpath):
    before = sha(jpath)
    report = check_journal(jpath)
    assert report.ok and not report.file_damaged and not report.index_only
    assert report.checked == ["integrity_check", "fts", "foreign_keys"] or (
        "summary" in report.checked)
    assert quick_check(jpath).ok and quick_check(jpath).checked[0] == "quick_check"
    assert sha(jpath) == before


def test_an_index_out_of_step_is_found_without_writing_and_repaired(jpath):
    _index_out_of_step(jpath)
    assert _search(jpath, "zebra") == []  # what the user sees: the entry cannot be found
    before = sha(jpath)
    report = check_journal(jpath)
    assert [f.area for f in report.findings] == [INDEX]
    assert "does not match" in report.findings[0].message
    assert report.index_only and not report.file_damaged
    assert sha(jpath) == before  # checking wrote nothing

    after = repair_index(jpath)
    assert after.ok and after.repaired == [INDEX]
    assert [i.reason for i in list_backups(jpath)] == ["before-repair"]
    assert _search(jpath, "zebra") == [7]
    conn = sqlite3.connect(jpath)
    fts_check(conn)
    conn.close()
    assert check_journal(jpath).ok


def test_a_structurally_damaged_index_is_rebuilt(jpath):
    _index_structure_damaged(jpath)
    report = check_journal(jpath)
    assert report.index_only and "damaged" in report.findings[0].message
    assert repair_index(jpath).ok
    assert 7 in _search(jpath, "rebate") and check_journal(jpath).ok


def test_repair_of_a_sound_journal_does_nothing(jpath):
    before = sha(jpath)
    report = repair_index(jpath)
    assert report.ok and report.repaired == []
    assert sha(jpath) == before and list_backups(jpath) == []


def test_damaged_pages_are_found_nothing_is_written_and_the_good_backup_is_offered(jpath):
    good = backup_now(jpath)
    damage_table(jpath)  # leaf pages of the interaction table, not the schema's
    before = sha(jpath)
    report = check_journal(jpath)
    assert report.file_damaged and not report.index_only
    assert {f.area for f in report.findings} == {DATABASE}
    assert all("\n" not in line for line in report.lines())
    with pytest.raises(JournalCorrupt, match="nothing was written"):
        repair_index(jpath)
    assert sha(jpath) == before
    assert newest_good_backup(jpath) == good
    assert not quick_check(jpath).ok


def test_a_truncated_journal_is_found(jpath):
    truncate(jpath, 0.5)
    before = sha(jpath)
    report = check_journal(jpath)
    assert report.file_damaged
    with pytest.raises(JournalCorrupt):
        repair_index(jpath)
    assert sha(jpath) == before


def test_damage_to_the_schema_itself(jpath):
    corrupt_pages(jpath, 1, 3)
    before = sha(jpath)
    report = check_journal(jpath)
    assert report.file_damaged and report.findings[0].area in (FILE, DATABASE)
    with pytest.raises(JournalCorrupt):
        repair_index(jpath)
    assert sha(jpath) == before


def test_a_damaged_header_and_other_files(tmp_path, jpath):
    data = bytearray(jpath.read_bytes())
    data[0:16] = b"Not SQLite at al"
    jpath.write_bytes(bytes(data))
    report = check_journal(jpath)
    assert [f.area for f in report.findings] == [FILE]
    (tmp_path / "empty.sqlite3").touch()
    empty = check_journal(tmp_path / "empty.sqlite3")
    assert empty.ok and "nothing to check" in empty.notes[0]
    with pytest.raises(NotFound):
        check_journal(tmp_path / "missing.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()


def test_dangling_links_are_reported(jpath):
    conn = sqlite3.connect(jpath, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO interaction_contact VALUES (1, 999)")
    conn.close()
    report = check_journal(jpath)
    assert [f.area for f in report.findings] == [LINKS]
    assert "missing contact" in report.findings[0].message
    assert not report.index_only and not report.file_damaged


def test_a_busy_journal_is_waited_for_then_reported(jpath):
    holder = sqlite3.connect(jpath, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release_later() -> None:
        time.sleep(1.0)
        holder.execute("ROLLBACK")
        released.set()

    # Held for 1 s: the check waits and then succeeds (busy timeout is 3 s).
    t = threading.Thread(target=release_later)
    t.start()
    started = time.monotonic()
    assert check_journal(jpath).ok
    assert time.monotonic() - started >= 0.9
    t.join()
    # Held throughout: after about 3 s it says the journal is busy.
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(JournalBusy, match="busy"):
            check_journal(jpath)
        assert 2.5 <= time.monotonic() - started < 15
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_weekly_summary_is_checked_and_rebuilt_when_the_store_has_one(jpath):
    from partnerdesk.services.check import SUMMARY, summary_rebuilder

    tables = {r[0] for r in sqlite_rows(jpath, "SELECT name FROM sqlite_master")}
    if summary_rebuilder() is None or "vendor_week" not in tables:
        pytest.skip("this build has no weekly summary yet")
    assert check_journal(jpath).ok
    conn = sqlite3.connect(jpath, isolation_level=None)
    conn.execute("UPDATE vendor_week SET n = n + 5 WHERE (vendor_id, start_day) = "
                 "(SELECT vendor_id, start_day FROM vendor_week LIMIT 1)")
    conn.close()
    report = check_journal(jpath)
    assert [f.area for f in report.findings] == [SUMMARY] and report.index_only
    assert repair_index(jpath).ok
