"""The journal file deleted or moved while open: writes are refused with a clear message
instead of landing in a file that no longer exists, and what the journal held can be
written back out."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from partnerdesk.domain.errors import JournalError, JournalReadOnly
from partnerdesk.services.backup import rescue_open_copy
from partnerdesk.store.journal import Journal
from tests.helpers import assert_one_line_error, draft, run_cli, sqlite_rows
from tests.safety import make_journal, read_only_folder, sha, summaries


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.sqlite3", 10)


def _vendor(j: Journal) -> int:
    return j.vendors.resolve("Safety Test Telecom").id


def test_writes_after_the_file_was_deleted_are_refused_and_it_can_be_written_back(jpath):
    with Journal.open(jpath) as j:
        vid = _vendor(j)
        j.interactions.add(draft(vid, "saved before the delete"))
        for name in (jpath, Path(f"{jpath}-wal"), Path(f"{jpath}-shm")):
            name.unlink(missing_ok=True)  # the whole journal gone, as `rm journal.sqlite3*`
        assert not j.still_there()
        with pytest.raises(JournalError, match="moved or deleted") as info:
            j.interactions.add(draft(vid, "typed after the delete"))
        assert "nothing was saved" in str(info.value) and "\n" not in str(info.value)
        with pytest.raises(JournalError, match="moved or deleted"):
            j.vendors.add("Newco")
        assert not jpath.exists()  # nothing half-made at the old path
        written = rescue_open_copy(j)
    assert written == jpath and stat.S_IMODE(jpath.stat().st_mode) == 0o600
    got = summaries(jpath)
    assert got[-1] == "saved before the delete" and "typed after the delete" not in got
    assert len(got) == 11
    with Journal.open(jpath) as j:  # and it is a working journal again
        j.interactions.add(draft(_vendor(j), "after the rescue"))
    assert summaries(jpath)[-1] == "after the rescue"


def test_a_moved_file_is_refused_too_and_the_rescue_does_not_overwrite(jpath, tmp_path):
    with Journal.open(jpath) as j:
        vid = _vendor(j)
        j.vendors.all()
        moved = tmp_path / "moved.sqlite3"
        os.rename(jpath, moved)
        make_journal(jpath, 1)  # someone else's journal now lives at that path
        other = sha(jpath)
        with pytest.raises(JournalError, match="moved or deleted"):
            j.interactions.add(draft(vid, "would go to the wrong file"))
        written = rescue_open_copy(j)
        assert written.parent == jpath.parent / "backups" and ".rescued." in written.name
    assert sha(jpath) == other
    assert len(summaries(written)) == 10


def test_read_only_journals_are_not_affected(jpath):
    with Journal.open(jpath, read_only=True) as j:
        assert j.still_there()
        with pytest.raises(JournalReadOnly):
            j.interactions.add(draft(1, "x"))


def test_the_command_line_on_a_removed_journal(jpath):
    jpath.unlink()
    for argv in (["check"], ["backup"]):
        assert_one_line_error(run_cli(argv, jpath), "There is no journal")
    assert not jpath.exists()


def test_a_journal_on_read_only_media_opens_read_only_and_refuses_writes(jpath):
    # Closed cleanly (no -wal/-shm left), then its folder becomes read-only: read-only open
    # must still read it (SQLite cannot create the shared-memory file there).
    before = sha(jpath)
    with read_only_folder(jpath.parent):
        with pytest.raises((JournalReadOnly, JournalError)):
            Journal.open(jpath)
        with Journal.open(jpath, read_only=True) as j:
            assert j.interactions.count() == 10
            with pytest.raises(JournalReadOnly):
                j.vendors.add("Newco")
    assert sha(jpath) == before
    assert sqlite_rows(jpath, "SELECT count(*) FROM interaction") == [(10,)]
