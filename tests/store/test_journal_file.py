"""The journal file itself: created private, refused (and left alone) when it is not ours."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from partnerdesk.domain.errors import JournalCorrupt, JournalError, JournalTooNew, NotFound
from partnerdesk.store.journal import Journal
from partnerdesk.store.paths import ENV_VAR, resolve_journal_path
from tests.helpers import assert_one_line_error, draft, run_cli, sqlite_rows

V1_FIXTURE = Path(__file__).parent.parent / "fixtures" / "journal_v1.sqlite3"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fingerprint(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


@pytest.fixture
def permissive_umask():
    old = os.umask(0)  # the modes must not depend on the user's umask
    yield
    os.umask(old)


def test_new_journal_is_private_and_so_is_its_new_folder(tmp_path, permissive_umask):
    path = tmp_path / "made" / "for" / "it" / "journal.sqlite3"
    with Journal.open(path) as j:
        j.vendors.add("Acme")  # the WAL and shared-memory files exist now
        assert mode(path) == 0o600
        for side in ("-wal", "-shm"):
            assert mode(path.with_name(path.name + side)) == 0o600
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_cli_creates_a_private_journal(tmp_path, permissive_umask):
    path = tmp_path / "cli" / "journal.sqlite3"
    result = run_cli(["vendor", "add", "Acme"], path)
    assert result.returncode == 0, result.stderr
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_existing_folder_keeps_its_mode(tmp_path, permissive_umask):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    Journal.open(folder / "j.sqlite3").close()
    assert mode(folder) == 0o755
    assert mode(folder / "j.sqlite3") == 0o600


def test_path_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert resolve_journal_path(str(tmp_path / "flag.sqlite3")) == tmp_path / "flag.sqlite3"
    assert resolve_journal_path(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv(ENV_VAR)
    default = resolve_journal_path(None)
    assert default.name == "journal.sqlite3" and "partnerdesk" in default.parts


def test_settings_every_connection_gets(journal):
    with journal.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000


def test_open_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(NotFound):
        Journal.open(tmp_path / "missing.sqlite3", create=False)
    assert not (tmp_path / "missing.sqlite3").exists()


# --- files that must be refused and left exactly as they were ----------------------------------


def _newer(tmp_path: Path) -> Path:
    path = tmp_path / "newer.sqlite3"
    with Journal.open(path) as j:
        j.vendors.add("Acme")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not a database.\n" * 50)
    return path


def _short_garbage(tmp_path: Path) -> Path:
    path = tmp_path / "short.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    return path


def _foreign_tables(tmp_path: Path) -> Path:
    path = tmp_path / "other-app.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://example.com')")
    conn.commit()
    conn.close()
    return path


def _foreign_empty_with_app_id(tmp_path: Path) -> Path:
    path = tmp_path / "other-app-empty.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()
    return path


def _foreign_empty(tmp_path: Path) -> Path:
    # An SQLite file some other tool made, with no tables: not ours to take over.
    path = tmp_path / "empty-other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    assert path.stat().st_size > 0
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "truncated.sqlite3"
    with Journal.open(path) as j:
        v = j.vendors.add("Acme")
        j.interactions.add_many(
            [draft(v.id, f"row {n}", notes="padding " * 40) for n in range(600)]
        )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _truncated_header(tmp_path: Path) -> Path:
    path = tmp_path / "truncated-header.sqlite3"
    path.write_bytes(V1_FIXTURE.read_bytes()[:60])
    return path


BAD_FILES = {
    "newer-version": (_newer, JournalTooNew, ["newer partnerdesk", "version 99", "untouched"]),
    "not-sqlite": (_text, JournalCorrupt, ["not a partnerdesk journal"]),
    "short-garbage": (_short_garbage, JournalCorrupt, ["not a partnerdesk journal"]),
    "foreign-tables": (_foreign_tables, JournalCorrupt, ["not a partnerdesk journal"]),
    "foreign-empty-app-id": (
        _foreign_empty_with_app_id,
        JournalCorrupt,
        ["not a partnerdesk journal"],
    ),
    "foreign-empty": (_foreign_empty, JournalCorrupt, ["not a partnerdesk journal"]),
    "truncated": (_truncated, JournalCorrupt, ["damaged"]),
    "truncated-header": (_truncated_header, JournalCorrupt, ["not a partnerdesk journal"]),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_refused_file_is_left_byte_identical(tmp_path, kind):
    make, error, words = BAD_FILES[kind]
    path = make(tmp_path)
    data, digest = fingerprint(path)
    with pytest.raises(error) as info:
        Journal.open(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    for w in words:
        assert w in message
    with pytest.raises(JournalError):
        Journal.open(path, read_only=True)
    for args in (["list"], ["log", "Acme", "-s", "x", "-t", "helpful"]):
        result = run_cli(args, path)
        line = assert_one_line_error(result, *words)
        assert str(path) in line
    assert path.read_bytes() == data
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_folder_is_not_a_journal(tmp_path):
    with pytest.raises(JournalError, match="folder"):
        Journal.open(tmp_path)
    assert_one_line_error(run_cli(["list"], tmp_path), "is a folder")
    assert_one_line_error(run_cli(["--db", str(tmp_path), "vendor", "list"], None), "is a folder")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_becomes_a_journal(tmp_path):
    path = tmp_path / "touched.sqlite3"
    path.touch()
    with Journal.open(path) as j:
        assert j.schema_version() >= 1


def test_read_only_open_never_writes(tmp_path):
    path = tmp_path / "copy.sqlite3"
    shutil.copyfile(V1_FIXTURE, path)
    Journal.open(path).close()  # to the current schema: a read-only open refuses older ones
    data = path.read_bytes()
    with Journal.open(path, read_only=True) as j:
        assert j.interactions.count() == 5
        with pytest.raises(JournalError, match="read-only"):
            j.vendors.add("Nope")
        with pytest.raises(JournalError, match="read-only"):
            j.interactions.add(draft(1, "Nope"))
    assert path.read_bytes() == data
    assert sqlite_rows(path, "SELECT count(*) FROM vendor WHERE name = 'Nope'") == [(0,)]
