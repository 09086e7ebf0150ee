"""partnerdesk backup / backups / restore / check through the real process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli, sqlite_rows
from tests.safety import (
    corrupt_pages,
    damage_table,
    make_journal,
    sha,
    summaries,
    tiny_disk,
    without_root_privilege,
)


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.sqlite3", 60)


def backups_of(jpath: Path) -> list[Path]:
    folder = jpath.parent / "backups"
    return sorted(folder.glob("journal.*.sqlite3")) if folder.exists() else []


def test_backup_then_list_in_every_format(jpath):
    out = assert_ok(run_cli(["backup"], jpath))
    [made] = backups_of(jpath)
    assert out.startswith(f"Backed up {jpath} to {made} (")
    assert made.name.endswith(".manual.sqlite3")
    table = assert_ok(run_cli(["backups"], jpath))
    assert "manual" in table and made.name in table and f"Folder: {made.parent}" in table
    rows = json.loads(assert_ok(run_cli(["backups", "--format", "json"], jpath)))
    assert rows == [{"file": made.name, "path": str(made), "taken_at": rows[0]["taken_at"],
                     "reason": "manual", "size": made.stat().st_size, "ok": True, "problem": ""}]
    assert rows[0]["taken_at"].endswith("Z")
    csv_out = assert_ok(run_cli(["backups", "--format", "csv"], jpath)).splitlines()
    assert csv_out[0] == "file,taken_at,reason,size,ok,problem,path" and len(csv_out) == 2


def test_backup_to_a_file_of_your_choice(jpath, tmp_path):
    out_file = tmp_path / "usb" / "copy.sqlite3"
    assert_ok(run_cli(["backup", "-o", str(out_file)], jpath))
    assert summaries(out_file) == summaries(jpath)
    before = sha(out_file)
    assert_one_line_error(run_cli(["backup", "-o", str(out_file)], jpath), "already exists")
    assert sha(out_file) == before and backups_of(jpath) == []


def test_no_journal_there(tmp_path):
    missing = tmp_path / "nowhere" / "journal.sqlite3"
    for argv in (["backup"], ["check"], ["restore", "x.sqlite3", "--yes"]):
        assert_one_line_error(run_cli(argv, missing), "no")
    assert "No backups of" in assert_ok(run_cli(["backups"], missing))
    assert not missing.exists() and not missing.parent.exists()


def test_restore_round_trip_by_file_name(jpath):
    before = summaries(jpath)
    assert_ok(run_cli(["backup"], jpath))
    [made] = backups_of(jpath)
    assert_ok(run_cli(["log", "Safety Test Telecom", "-s", "after the backup", "-t", "helpful"],
                      jpath))
    out = assert_ok(run_cli(["restore", made.name, "--yes"], jpath))
    assert f"Restored {jpath} from {made}." in out
    kept = [p for p in backups_of(jpath) if p.name.endswith(".replaced.sqlite3")]
    assert len(kept) == 1 and f"The journal it replaced was kept at {kept[0]}." in out
    assert summaries(jpath) == before
    assert summaries(kept[0])[-1] == "after the backup"
    assert "entry 3" in assert_ok(run_cli(["search", "entry"], jpath))


def test_restore_asks_first(jpath):
    assert_ok(run_cli(["backup"], jpath))
    [made] = backups_of(jpath)
    before = sha(jpath)
    assert_one_line_error(run_cli(["restore", str(made)], jpath, input=""), "--yes")
    assert sha(jpath) == before and len(backups_of(jpath)) == 1


def test_restore_refuses_a_damaged_backup(jpath):
    assert_ok(run_cli(["backup"], jpath))
    [made] = backups_of(jpath)
    corrupt_pages(made, 5, 4)
    before = sha(jpath)
    assert_one_line_error(run_cli(["restore", str(made), "--yes"], jpath),
                          "cannot be restored", "nothing was changed")
    assert sha(jpath) == before and backups_of(jpath) == [made]
    listing = assert_ok(run_cli(["backups"], jpath))
    assert "DAMAGED" in listing


def test_check_and_repair(jpath):
    out = run_cli(["check"], jpath)
    assert out.returncode == 0 and out.stdout.startswith("ok: ") and out.stderr == ""
    conn = sqlite3.connect(jpath, isolation_level=None)
    conn.execute("UPDATE interaction_fts_data SET block = randomblob(length(block)) WHERE id > 10")
    conn.close()
    before = sha(jpath)
    found = run_cli(["check"], jpath)
    assert found.returncode == 1 and found.stderr == ""
    lines = found.stdout.splitlines()
    assert lines[0].startswith("index: the full-text search index is damaged")
    assert lines[-1] == ("Only the search index is damaged; "
                         "'partnerdesk check --repair' rebuilds it.")
    assert sha(jpath) == before
    fixed = run_cli(["check", "--repair"], jpath)
    assert fixed.returncode == 1 and "Traceback" not in fixed.stderr
    assert fixed.stdout.splitlines()[0].startswith("repaired: rebuilt the full-text search index")
    assert fixed.stdout.splitlines()[-1] == f"ok: {jpath} passes every check now."
    assert assert_ok(run_cli(["check"], jpath)).startswith("ok: ")
    assert [p.name.split(".")[-2] for p in backups_of(jpath)] == ["before-repair"]


def test_check_a_damaged_file_offers_the_newest_good_backup(jpath):
    assert_ok(run_cli(["backup"], jpath))
    [good] = backups_of(jpath)
    damage_table(jpath)
    before = sha(jpath)
    for argv in (["check"], ["check", "--repair"]):
        result = run_cli(argv, jpath)
        assert result.returncode == 1 and result.stderr == "", result.stderr
        lines = result.stdout.splitlines()
        assert lines and all(line.startswith("database: ") for line in lines[:-1])
        assert lines[-1].endswith(f"partnerdesk restore {good}")
        assert sha(jpath) == before  # never written to, --repair included
    assert_one_line_error(run_cli(["backup"], jpath), "damaged", "no backup was kept")
    assert backups_of(jpath) == [good]


HOLD_OPEN = textwrap.dedent("""
    import sys, time
    from partnerdesk.store.journal import Journal
    j = Journal.open(sys.argv[1])
    j.vendors.all()
    print("open", flush=True)
    time.sleep(120)
""")


def test_busy_journal_waits_about_three_seconds_then_says_busy(jpath):
    assert_ok(run_cli(["backup"], jpath))
    [made] = backups_of(jpath)
    holder = sqlite3.connect(jpath, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        line = assert_one_line_error(run_cli(["check"], jpath), "busy", "try again")
        assert time.monotonic() - started >= 2.5
        assert line == (f"partnerdesk: The journal ({jpath}) is busy: another partnerdesk is "
                        "writing to it; try again in a moment or close the other window.")
        # A backup only reads: a writer does not hold it up.
        assert_ok(run_cli(["backup"], jpath))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    window = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(jpath)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "open"
        before = sha(jpath)
        started = time.monotonic()
        assert_one_line_error(run_cli(["restore", str(made), "--yes"], jpath),
                              "busy", "close it", "nothing was changed")
        assert time.monotonic() - started >= 2.5
        assert sha(jpath) == before
        assert not any(p.name.endswith(".replaced.sqlite3") for p in backups_of(jpath))
    finally:
        window.kill()
        window.wait(timeout=30)


def test_full_disk_is_one_clear_line_and_leaves_nothing(tmp_path):
    jpath = make_journal(tmp_path / "journal.sqlite3", 300, notes="n" * 1500)
    with tiny_disk(tmp_path / "tiny") as tiny:
        assert_one_line_error(run_cli(["backup", "-o", str(tiny / "copy.sqlite3")], jpath),
                              "disk is full", "no backup was kept")
        assert list(tiny.iterdir()) == []
    assert sqlite_rows(jpath, "PRAGMA integrity_check") == [("ok",)]


def test_read_only_folders(jpath):
    prefix = without_root_privilege()
    folder = jpath.parent / "backups"
    folder.mkdir(mode=0o500)
    probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("file modes do not restrict this user here")
    try:
        assert_one_line_error(run_cli(["backup"], jpath, prefix=prefix),
                              "Cannot write a backup", "not changed")
        assert list(folder.iterdir()) == []
        folder.chmod(0o700)
        # The journal's own folder read-only, and no -wal/-shm there (a plain copy on
        # read-only media): check still reads it, and says what it had to skip.
        for side in ("-wal", "-shm"):
            extra = Path(f"{jpath}{side}")
            if extra.exists():
                assert side == "-shm" or extra.stat().st_size == 0
                extra.unlink()
        jpath.parent.chmod(0o500)
        before = sha(jpath)
        result = run_cli(["check"], jpath, prefix=prefix)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            "note: the search index was not checked: the journal or its folder is read-only",
            f"ok: {jpath} passed SQLite's integrity check.",
        ]
        assert sha(jpath) == before
        # And it can still be backed up elsewhere, and opened read-only.
        assert_ok(run_cli(["backup", "-o", str(folder)], jpath, prefix=prefix))
        assert sha(jpath) == before
    finally:
        jpath.parent.chmod(0o700)
        folder.chmod(0o700)
