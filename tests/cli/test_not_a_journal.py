"""Paths that are not journals: a FIFO, a mistyped path, a zero-byte file (issue 8, item 9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.safety import make_journal

READS = {
    "list": ["list"],
    "search": ["search", "pricing"],
    "health": ["health"],
    "vendor list": ["vendor", "list"],
    "followups": ["followups"],
}


@pytest.mark.parametrize("command", sorted(READS))
def test_a_read_on_a_mistyped_path_says_there_is_no_journal(tmp_path: Path, command: str) -> None:
    path = tmp_path / "journl.sqlite3"
    assert_one_line_error(run_cli(READS[command], path), "no journal at", str(path))
    assert sorted(os.listdir(tmp_path)) in ([], ["state"])


@pytest.mark.parametrize("command", ["list", "search", "health"])
def test_a_read_on_a_zero_byte_file_says_so_and_leaves_it(tmp_path: Path, command: str) -> None:
    path = tmp_path / "journal.sqlite3"
    path.touch()
    assert_one_line_error(run_cli(READS[command], path), "empty file", "not a journal")
    assert path.stat().st_size == 0
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def test_a_write_starts_a_new_journal_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    result = run_cli(["vendor", "add", "Meridian"], path)
    assert_ok(result)
    assert f"started a new journal at {path}" in result.stderr
    assert "Meridian" in assert_ok(run_cli(["vendor", "list"], path))


@pytest.mark.parametrize("command", ["list", "log"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "journal.sqlite3"
    os.mkfifo(fifo)
    args = READS["list"] if command == "list" else ["log", "X", "-s", "x", "-t", "helpful"]
    assert_one_line_error(run_cli(args, fifo), "not a regular file")  # run_cli times out on a hang


def test_an_existing_journal_is_still_read(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=3)
    assert "entry 2" in assert_ok(run_cli(["list"], path))
