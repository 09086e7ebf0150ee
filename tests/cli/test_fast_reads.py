"""Read commands run over the standard library reader: no SQLAlchemy, and the same safety checks.

What makes `partnerdesk list` slow is importing SQLAlchemy and sqlmodel (~0.5 s); this checks
that a read never imports them (benchmarks/bench_cli.py has the timings), and that a journal
that must first be created, upgraded or refused still is, exactly as before.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from partnerdesk.store.journal import Journal
from partnerdesk.store.schema import LATEST_VERSION
from tests.helpers import assert_ok, assert_one_line_error, draft, run_cli

V1_FIXTURE = Path(__file__).parent.parent / "fixtures" / "journal_v1.sqlite3"

# Runs the real entry point, then says on stderr's last line what it imported: LIGHT (the
# standard library), CORE (SQLAlchemy's core, to write) or ORM (sqlmodel too, ~0.3 s more).
PROBE = ("import sys\nfrom partnerdesk.cli.main import main\nrc = main(sys.argv[1:])\n"
         "sys.stderr.write('ORM' if 'sqlmodel' in sys.modules else 'CORE'"
         " if 'sqlalchemy' in sys.modules else 'LIGHT')\n"
         "raise SystemExit(rc)\n")


def probe(args: list[str], db: Path) -> tuple[str, str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args, "--db", str(db)],
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr.rsplit("\n", 1)[-1]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        v = j.vendors.add("Meridian Telecom")
        j.interactions.add(draft(v.id, "Escalation handled the same day",
                                 at=datetime(2026, 3, 2, 10, tzinfo=UTC)))
    return path


@pytest.mark.parametrize("args", [["list"], ["search", "escalation"], ["vendor", "list"],
                                  ["list", "--format", "json"], ["health"],
                                  ["health", "Meridian Telecom"]])
def test_read_commands_never_import_sqlalchemy(small: Path, args: list[str]) -> None:
    out, which = probe(args, small)
    assert which == "LIGHT", args
    assert out  # and they still print their answer


def test_writes_still_go_through_the_journal(small: Path) -> None:
    out, which = probe(["log", "Meridian Telecom", "-s", "Quick call", "-t", "helpful"], small)
    # `log` writes over the standard library too (Journal.open(light=True)): ~0.3 s less.
    assert which == "LIGHT" and out.startswith("Logged #")
    out, _ = probe(["list"], small)
    assert "Quick call" in out  # a read sees the write at once


def test_log_with_a_new_contact_mixes_the_orm_and_the_light_write(small: Path) -> None:
    # The contact is read through the ORM's session, the interaction written on a plain
    # connection: it lands, linked to the contact.
    probe(["contact", "add", "Meridian Telecom", "Ann Lee"], small)
    out, which = probe(["log", "Meridian Telecom", "-s", "Met Ann", "-t", "helpful",
                        "--contact", "Ann Lee"], small)
    assert which == "ORM" and out.startswith("Logged #")
    out, _ = probe(["search", "Lee"], small)  # found by the contact's name
    assert "Met Ann" in out


def test_a_read_on_a_missing_journal_says_so_and_creates_nothing(tmp_path: Path) -> None:
    # Issue 8: a mistyped path must not look like an empty journal.
    path = tmp_path / "new.sqlite3"
    assert_one_line_error(run_cli(["list"], path), "There is no journal at")
    assert not path.exists()


def test_a_read_on_an_old_journal_upgrades_it_as_before(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(V1_FIXTURE, path)
    assert_ok(run_cli(["vendor", "list"], path))
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert list((tmp_path / "backups").glob("*before-v*"))  # the copy taken before upgrading


def test_a_read_refuses_what_is_not_a_journal(tmp_path: Path) -> None:
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    assert_one_line_error(run_cli(["list"], folder), "is a folder")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert_one_line_error(run_cli(["search", "x"], other), "not a partnerdesk journal")
    newer = tmp_path / "newer.sqlite3"
    Journal.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    assert_one_line_error(run_cli(["vendor", "list"], newer), "newer partnerdesk")
