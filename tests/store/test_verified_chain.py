"""partnerdesk's own writes keep a journal trusted, so the full check runs only when something
else changed the file (issue 8: a cheap check on open, the full one before writing when the
cheap one is doubtful; `log` on a large journal must not read it all every time)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from partnerdesk.domain.errors import JournalCorrupt
from partnerdesk.domain.models import InteractionDraft
from partnerdesk.domain.vocab import Tag
from partnerdesk.store import verified
from partnerdesk.store.journal import Journal
from partnerdesk.store.journal_file import inspect_file
from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.safety import damage_table, index_out_of_step, make_journal


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full check this process runs (the real check still runs; its calls are counted)."""
    calls: list[Path] = []
    real: Callable[[Path], str | None] = verified._damage

    def counted(path: Path) -> str | None:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(verified, "_damage", counted)
    return calls


def _log(j: Journal, text: str) -> int:
    vid = j.vendors.resolve("Safety Test Telecom").id
    return j.interactions.add(InteractionDraft(
        vendor_id=vid, occurred_at=datetime(2026, 3, 1, 9, tzinfo=UTC), tag=Tag.HELPFUL,
        summary=text)).id


def test_a_write_after_a_write_does_not_check_the_whole_file_again(
        tmp_path: Path, full_checks: list[Path]) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=30)
    for k in range(3):
        inspect_file(path)  # what every command does first (it leaves an empty -wal behind)
        with Journal.open(path) as j:
            _log(j, f"entry {k}")
        assert verified.is_trusted(path)
    assert len(full_checks) <= 1  # at most the first open, never the later ones


def test_commands_while_the_window_is_open_are_not_checked_each_time(
        tmp_path: Path, full_checks: list[Path]) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=30)
    window = Journal.open(path)  # holds its connections: the log stays, nothing is merged
    try:
        _log(window, "from the window")
        checks_at_open = len(full_checks)
        for k in range(3):
            with Journal.open(path, light=True) as command:  # as `log` opens it
                _log(command, f"from a command {k}")
            assert verified.is_trusted(path)
            _log(window, f"from the window {k}")
            assert verified.is_trusted(path)
        assert len(full_checks) == checks_at_open
    finally:
        window.close()
    assert verified.is_trusted(path)


def test_a_change_by_another_program_is_checked_before_the_next_write(
        tmp_path: Path, full_checks: list[Path]) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=30)
    with Journal.open(path) as j:
        _log(j, "ours")
    assert verified.is_trusted(path)
    before = len(full_checks)
    other = sqlite3.connect(path)  # not partnerdesk: nothing vouches for what it did
    other.execute("UPDATE interaction SET summary = 'theirs' WHERE id = 1")
    other.commit()
    other.close()
    assert not verified.is_trusted(path)
    with Journal.open(path) as j:
        _log(j, "ours again")
    assert len(full_checks) == before + 1
    assert verified.is_trusted(path)


def test_a_write_begun_after_another_program_changed_the_file_vouches_for_nothing(
        tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=30)
    window = Journal.open(path)
    try:
        other = sqlite3.connect(path)
        other.execute("UPDATE interaction SET summary = 'theirs' WHERE id = 2")
        other.commit()
        other.close()
        _log(window, "after the other program")
        assert not verified.is_trusted(path)  # the next opener checks it all
    finally:
        window.close()
    assert not verified.is_trusted(path)


def test_a_failed_check_is_remembered_and_refuses_at_once(tmp_path: Path,
                                                            full_checks: list[Path]) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=400)
    damage_table(path, "interaction", pages=3)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    for _ in range(2):
        with pytest.raises(JournalCorrupt):
            Journal.open(path)
    assert len(full_checks) == 1
    assert verified.known_damage(path)


def test_the_full_check_finds_an_index_that_no_longer_matches_its_table(tmp_path: Path) -> None:
    # quick_check does not compare indexes with their tables; a write through such an index
    # damages the journal further, so the check before writing is the full one.
    path = make_journal(tmp_path / "journal.sqlite3", n=200)
    index_out_of_step(path)
    quick = sqlite3.connect(path).execute("PRAGMA quick_check").fetchall()
    assert quick == [("ok",)], quick  # the quick check misses it ...
    assert_one_line_error(  # ... the check before writing does not
        run_cli(["log", "Safety Test Telecom", "-s", "x", "-t", "helpful"], path), "damaged")


def test_the_command_line_keeps_the_journal_trusted(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=30)
    for k in range(2):
        assert_ok(run_cli(["log", "Safety Test Telecom", "-s", f"cli {k}", "-t", "helpful"], path))
        assert verified.is_trusted(path)
        assert_ok(run_cli(["list"], path))
        assert verified.is_trusted(path)
