"""A damaged journal is never written to, by any command; a healthy read-only one is not damaged."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.safety import damage_table, make_journal, sha, without_root_privilege

WRITES = {
    "vendor add": ["vendor", "add", "Newco"],
    "log": ["log", "Safety Test Telecom", "-s", "typed into a damaged file", "-t", "helpful"],
    "contact add": ["contact", "add", "Safety Test Telecom", "Ann Lee"],
}


@pytest.mark.parametrize("command", sorted(WRITES))
def test_no_command_writes_into_a_damaged_journal(tmp_path: Path, command: str) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=400)
    damage_table(path, "interaction", pages=3)
    for side in ("-wal", "-shm"):  # left empty by the damaging helper's own reads
        Path(f"{path}{side}").unlink(missing_ok=True)
    before = sha(path)
    assert_one_line_error(run_cli(WRITES[command], path), "damaged", "nothing was written")
    assert sha(path) == before
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def test_damage_after_partnerdesk_last_saw_it_healthy_is_still_found(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=400)
    assert_ok(run_cli(WRITES["vendor add"], path))  # checked, written, remembered as healthy
    damage_table(path, "interaction", pages=3)  # another program (a bad sector) changes it
    before = sha(path)
    assert_one_line_error(run_cli(WRITES["log"], path), "damaged", "nothing was written")
    assert sha(path) == before


def test_a_healthy_journal_is_written_and_remembered(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=20)
    for k in range(2):
        assert_ok(run_cli(["log", "Safety Test Telecom", "-s", f"fine {k}", "-t", "helpful"], path))
    assert (Path(os.environ["PARTNERDESK_STATE_DIR"]) / "verified.json").is_file()


def test_check_on_a_healthy_read_only_file_says_ok(tmp_path: Path) -> None:
    prefix = without_root_privilege()
    path = make_journal(tmp_path / "journal.sqlite3", n=20)
    path.chmod(0o444)
    probe = subprocess.run([*prefix, "sh", "-c", f": >> '{path}'"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("file modes do not restrict this user here")
    result = run_cli(["check"], path, prefix=prefix)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "damaged" not in result.stdout + result.stderr
    assert "ok:" in result.stdout and "read-only" in result.stdout
