"""Reads on a damaged journal: never a traceback, never silent (issue 8, item 4).

A read that meets a damaged page says in one line that the journal is damaged and what to do;
once a check (or such a read) found it damaged, every read command still shows what can be
read and ends with a warning, and every writer refuses at once, until the file changes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from partnerdesk.store import verified
from tests.cli.test_not_a_journal import READS  # the same read commands
from tests.helpers import assert_one_line_error, run_cli
from tests.safety import damage_table, make_journal, sha


def _damaged(tmp_path: Path, table: str = "interaction") -> Path:
    path = make_journal(tmp_path / "journal.sqlite3", n=400)
    damage_table(path, table, pages=3)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return path


def _warned(stderr: str, path: Path) -> None:
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("partnerdesk: warning:") and "damaged" in last, stderr
    assert "partnerdesk check" in last and "backups" in last and str(path) in last


def test_a_read_that_meets_a_damaged_page_says_so_in_one_line(tmp_path: Path) -> None:
    path = _damaged(tmp_path)
    before = sha(path)
    line = assert_one_line_error(run_cli(["list", "--limit", "1000"], path), "damaged",
                                 "partnerdesk check", "backups")
    assert "Traceback" not in line and "malformed" in line
    assert sha(path) == before
    # Remembered: the next read warns even though what it reads is intact ...
    result = run_cli(["list", "--limit", "3"], path)
    assert result.returncode == 0 and "entry 399" in result.stdout
    _warned(result.stderr, path)
    # ... and a writer refuses at once, writing nothing.
    assert_one_line_error(run_cli(["log", "Safety Test Telecom", "-s", "x", "-t", "helpful"],
                                  path), "damaged", "nothing was written")
    assert sha(path) == before


@pytest.mark.parametrize("command", sorted(READS))
def test_every_read_warns_once_a_check_found_damage(tmp_path: Path, command: str) -> None:
    path = _damaged(tmp_path)
    check = run_cli(["check"], path)
    assert check.returncode == 1 and "database:" in check.stdout
    assert verified.known_damage(path)
    result = run_cli(READS[command], path)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        _warned(result.stderr, path)  # what could be read, then the warning
    else:
        assert_one_line_error(result, "damaged", "partnerdesk check")


def test_export_of_a_damaged_journal_shows_what_can_be_read(tmp_path: Path) -> None:
    # The damage is in the search index only as far as SQLite's pages go: export reads the
    # interactions themselves, which are intact. The check before writing finds the damage,
    # but export only reads, so it runs on the journal opened read-only, and warns.
    path = _damaged(tmp_path, table="interaction_fts_data")
    before = sha(path)
    out = tmp_path / "out.csv"
    result = run_cli(["export", "-o", str(out)], path)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").count("entry ") == 400
    _warned(result.stderr, path)
    assert sha(path) == before


def test_a_restored_or_replaced_journal_is_no_longer_called_damaged(tmp_path: Path) -> None:
    path = _damaged(tmp_path)
    run_cli(["check"], path)
    assert verified.known_damage(path)
    fresh = make_journal(tmp_path / "fresh.sqlite3", n=5)
    fresh.replace(path)
    assert verified.known_damage(path) is None
    result = run_cli(["list"], path)
    assert result.returncode == 0 and "warning" not in result.stderr


def test_a_full_check_that_passes_spares_the_next_writer_the_check(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=30)
    conn = sqlite3.connect(path)  # another program: partnerdesk no longer vouches for it
    conn.execute("UPDATE interaction SET summary = 'changed' WHERE id = 1")
    conn.commit()
    conn.close()
    assert not verified.is_trusted(path)
    assert run_cli(["check"], path).returncode == 0
    assert verified.is_trusted(path)
