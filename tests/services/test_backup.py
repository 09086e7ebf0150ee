"""Backups: verified copies, the daily one, rotation exactly as documented, restore, and the
disk running full or turning read-only underneath them."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from partnerdesk.domain.errors import (
    DiskFull,
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalReadOnly,
    NotFound,
)
from partnerdesk.services import backup as B
from partnerdesk.services.backup import (
    BackupDamaged,
    BackupInfo,
    RotationPolicy,
    backup_before,
    backup_now,
    backup_on_open,
    list_backups,
    newest_good_backup,
    restore,
    rotate,
    survivors,
)
from partnerdesk.services.locks import is_locked_by_other_writer
from partnerdesk.store import backup_file
from partnerdesk.store.journal import Journal
from tests.helpers import draft, fts_check, sqlite_rows
from tests.safety import (
    FakeClock,
    corrupt_pages,
    make_journal,
    read_only_folder,
    sha,
    summaries,
    tiny_disk,
    truncate,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def utc(local_tz):
    local_tz("UTC")


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.sqlite3", 40)


# -- a backup ----------------------------------------------------------------------------------
def test_backup_is_a_private_checked_self_contained_copy(jpath):
    os.umask(0o022)
    made = backup_now(jpath, "manual")
    assert made.parent == jpath.parent / "backups"
    assert mode(made.parent) == 0o700 and mode(made) == 0o600
    assert made.name.startswith("journal.") and made.name.endswith(".manual.sqlite3")
    assert names(made.parent) == [made.name]  # no temp file, no -wal/-shm/-journal beside it
    assert sqlite_rows(made, "PRAGMA integrity_check") == [("ok",)]
    assert sqlite_rows(made, "PRAGMA journal_mode") == [("delete",)]
    assert summaries(made) == summaries(jpath)


def test_backup_of_an_open_journal_has_every_committed_entry(jpath):
    with Journal.open(jpath) as j:
        vid = j.vendors.resolve("Safety Test Telecom").id
        j.interactions.add(draft(vid, "committed just now"))
        made = backup_before(j, "import")
        assert made.name.endswith(".before-import.sqlite3")
    assert "committed just now" in summaries(made)


def test_backup_to_a_chosen_file_never_overwrites(jpath, tmp_path):
    out = tmp_path / "elsewhere" / "copy.sqlite3"
    assert backup_now(jpath, dest=out) == out
    assert summaries(out) == summaries(jpath)
    before = sha(out)
    with pytest.raises(JournalError, match="already exists"):
        backup_now(jpath, dest=out)
    assert sha(out) == before
    folder_copy = backup_now(jpath, dest=tmp_path / "elsewhere")
    assert folder_copy.parent == tmp_path / "elsewhere" and folder_copy.name.startswith("journal.")


def test_nothing_to_back_up(tmp_path):
    with pytest.raises(NotFound, match="There is no journal"):
        backup_now(tmp_path / "missing.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()
    (tmp_path / "notes.txt").write_text("not a journal\n" * 20)
    with pytest.raises(JournalCorrupt, match="not a partnerdesk journal"):
        backup_now(tmp_path / "notes.txt")
    assert not (tmp_path / "backups").exists()


def test_two_backups_in_one_second_get_two_names(jpath):
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    a = backup_now(jpath, "manual", clock=clock)
    b = backup_now(jpath, "manual", clock=clock)
    assert a != b and b.name == "journal.20260302T090000Z-2.manual.sqlite3"
    assert [i.path for i in list_backups(jpath)] == [b, a]  # newest first


def test_a_damaged_journal_is_not_backed_up_and_no_file_is_left(jpath):
    good = backup_now(jpath, "manual")
    corrupt_pages(jpath, 6, 8)
    with pytest.raises(JournalCorrupt, match="damaged"):
        backup_now(jpath, "manual")
    with pytest.raises(JournalCorrupt):
        backup_on_open(jpath, clock=FakeClock(datetime(2030, 1, 1, tzinfo=UTC)))
    assert names(good.parent) == [good.name]


# -- the daily backup --------------------------------------------------------------------------
def test_backup_on_open_at_most_once_a_local_day(jpath, utc):
    clock = FakeClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    first = backup_on_open(jpath, clock=clock)
    assert first is not None and first.name.endswith(".daily.sqlite3")
    clock.set(datetime(2026, 3, 2, 23, 59, tzinfo=UTC))
    assert backup_on_open(jpath, clock=clock) is None
    clock.set(datetime(2026, 3, 3, 0, 1, tzinfo=UTC))
    second = backup_on_open(jpath, clock=clock)
    assert second is not None and second != first


def test_any_backup_of_the_day_counts_but_a_replaced_copy_does_not(jpath, utc):
    clock = FakeClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    folder = jpath.parent / "backups"
    folder.mkdir()
    (folder / "journal.20260302T070000Z.replaced.sqlite3").write_bytes(jpath.read_bytes())
    assert backup_on_open(jpath, clock=clock) is not None
    clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    backup_before(jpath, "import", clock=clock)
    assert backup_on_open(jpath, clock=clock) is None


def test_backup_on_open_skips_new_and_missing_journals(tmp_path):
    assert backup_on_open(tmp_path / "nothing.sqlite3") is None
    Journal.open(tmp_path / "fresh.sqlite3").close()  # schema only, no records: still backed up
    assert backup_on_open(tmp_path / "fresh.sqlite3") is not None
    (tmp_path / "empty.sqlite3").touch()
    assert backup_on_open(tmp_path / "empty.sqlite3") is None
    made = list_backups(tmp_path / "fresh.sqlite3")
    assert len(made) == 1 and names(tmp_path / "backups") == [made[0].path.name]


# -- rotation ----------------------------------------------------------------------------------
def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _daily_run(jpath: Path, days: list[date], policy: RotationPolicy = B.DEFAULT_POLICY,
               hour: int = 9) -> None:
    clock = FakeClock(datetime(2000, 1, 1, tzinfo=UTC))
    for day in days:
        clock.set(datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC))
        assert backup_on_open(jpath, clock=clock, policy=policy) is not None


def _kept_days(jpath: Path) -> list[date]:
    return sorted(i.taken_at.date() for i in list_backups(jpath, verify=False))


def test_sixty_days_of_daily_backups_rotate_to_seven_daily_and_four_weekly(jpath, utc):
    # 2026-01-01 (a Thursday) to 2026-03-01 (a Sunday), one backup a day at 09:00 UTC.
    _daily_run(jpath, _days(date(2026, 1, 1), date(2026, 3, 1)))
    assert _kept_days(jpath) == [
        date(2026, 2, 8),  # newest of ISO week 6 (Feb 2-8)
        date(2026, 2, 15),  # newest of week 7
        date(2026, 2, 22),  # newest of week 8
        # the last 7 days; Mar 1 is also the newest of week 9, and the last 3 are among them
        *_days(date(2026, 2, 23), date(2026, 3, 1)),
    ]
    assert all(i.ok for i in list_backups(jpath))


def test_days_without_a_backup_do_not_count(jpath, utc):
    # Ten days of use, then nothing until March: the old backups are not all thrown away.
    _daily_run(jpath, [*_days(date(2026, 1, 1), date(2026, 1, 10)), date(2026, 3, 1)])
    assert _kept_days(jpath) == [*_days(date(2026, 1, 4), date(2026, 1, 10)), date(2026, 3, 1)]
    # Jan 4 stays as the newest of ISO week 1 (Dec 29 - Jan 4); Jan 5-10 as days 2-7 of the
    # seven most recent days that have a backup; Jan 1-3 go.


def test_several_backups_a_day_keep_the_day_s_newest_and_the_last_three(jpath, utc):
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    for day in _days(date(2026, 3, 2), date(2026, 3, 4)):
        for hour in (9, 11, 13, 15):
            clock.set(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))
            backup_before(jpath, "import", clock=clock)
    kept = sorted(i.taken_at for i in list_backups(jpath, verify=False))
    assert kept == [
        datetime(2026, 3, 2, 15, tzinfo=UTC),  # newest of Mar 2 (day + its week so far)
        datetime(2026, 3, 3, 15, tzinfo=UTC),  # newest of Mar 3
        datetime(2026, 3, 4, 11, tzinfo=UTC),  # the last three
        datetime(2026, 3, 4, 13, tzinfo=UTC),
        datetime(2026, 3, 4, 15, tzinfo=UTC),
    ]


def test_protected_and_foreign_files_survive_rotation(jpath, utc):
    folder = jpath.parent / "backups"
    folder.mkdir()
    data = jpath.read_bytes()
    keep = [
        "journal.20250101T000000Z.before-v2.sqlite3",  # before a schema upgrade
        "journal.20250102T000000Z.replaced.sqlite3",  # what a restore replaced
        "other.20250101T000000Z.daily.sqlite3",  # another journal's backup
        "journal.old.20250101T000000Z.daily.sqlite3",  # journal.old's, not journal's
        "notes.txt",
        "journal.sqlite3",
    ]
    for name in keep:
        (folder / name).write_bytes(data)
    _daily_run(jpath, _days(date(2026, 1, 1), date(2026, 2, 20)))
    assert set(keep) <= set(names(folder))
    assert _kept_days(jpath) == [
        date(2025, 1, 1), date(2025, 1, 2),  # the protected two, however old
        date(2026, 2, 1), date(2026, 2, 8),  # newest of ISO weeks 5 and 6
        *_days(date(2026, 2, 14), date(2026, 2, 20)),  # the last 7 days (weeks 7 and 8 too)
    ]


def test_a_custom_policy(jpath, utc):
    policy = RotationPolicy(daily=2, weekly=0, keep_last=1)
    _daily_run(jpath, _days(date(2026, 1, 1), date(2026, 1, 20)), policy=policy)
    assert _kept_days(jpath) == [date(2026, 1, 19), date(2026, 1, 20)]
    with pytest.raises(ValueError):
        RotationPolicy(daily=-1)


def test_days_are_local_days(local_tz):
    local_tz("America/New_York")

    def info(hour: int, minute: int = 0) -> BackupInfo:
        at = datetime(2026, 3, 10, hour, minute, tzinfo=UTC)
        return BackupInfo(Path(f"/b/{hour}{minute}"), at, "daily", 1, None)

    late_on_the_9th, just_after_midnight, later_on_the_10th = info(3), info(4, 30), info(5)
    kept = survivors([late_on_the_9th, just_after_midnight, later_on_the_10th],
                     RotationPolicy(daily=2, weekly=0, keep_last=0))
    assert kept == {late_on_the_9th.path, later_on_the_10th.path}


def test_rotation_sweeps_temp_files_left_by_a_killed_backup(jpath):
    folder = jpath.parent / "backups"
    made = backup_now(jpath)
    old = folder / f".{made.name}.1234-abcd.tmp"
    fresh = folder / f".{made.name}.5678-ef01.tmp"
    for leftover in (old, fresh, Path(str(old) + "-journal")):
        leftover.write_bytes(b"half a backup")
    two_hours_ago = os.stat(made).st_mtime - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(Path(str(old) + "-journal"), (two_hours_ago, two_hours_ago))
    assert [i.path for i in list_backups(jpath)] == [made]  # never listed as a backup
    rotate(jpath)
    assert names(folder) == sorted([made.name, fresh.name])  # a recent one may still be writing


# -- listing and choosing ----------------------------------------------------------------------
def test_list_marks_damaged_backups_and_newest_good_skips_them(jpath, utc):
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    oldest = backup_now(jpath, clock=clock)
    clock.set(datetime(2026, 3, 3, 9, tzinfo=UTC))
    middle = backup_now(jpath, clock=clock)
    clock.set(datetime(2026, 3, 4, 9, tzinfo=UTC))
    newest = backup_now(jpath, clock=clock)
    corrupt_pages(newest, 4, 6)
    truncate(middle, 0.5)
    infos = {i.path: i for i in list_backups(jpath)}
    assert infos[oldest].ok is True and infos[oldest].problem == ""
    assert infos[newest].ok is False and infos[newest].problem
    assert infos[middle].ok is False
    assert infos[oldest].reason == "manual" and infos[oldest].size == oldest.stat().st_size
    assert newest_good_backup(jpath) == oldest
    os.unlink(oldest)
    assert newest_good_backup(jpath) is None


def test_newest_good_backup_does_not_offer_a_replaced_journal(jpath):
    made = backup_now(jpath, clock=FakeClock(datetime(2026, 3, 2, tzinfo=UTC)))
    (made.parent / "journal.20260303T000000Z.replaced.sqlite3").write_bytes(made.read_bytes())
    assert newest_good_backup(jpath) == made


# -- restore -----------------------------------------------------------------------------------
def _add(path: Path, summary: str) -> None:
    with Journal.open(path) as j:
        j.interactions.add(draft(j.vendors.resolve("Safety Test Telecom").id, summary))


def test_restore_round_trip(jpath):
    before = summaries(jpath)
    made = backup_now(jpath)
    _add(jpath, "after the backup")
    with Journal.open(jpath) as j:  # leave an unmerged write-ahead log behind on purpose
        j.interactions.add(draft(j.vendors.resolve("Safety Test Telecom").id, "in the wal"))
        conn = j.raw_connection()
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.close()
    result = restore(made, jpath)
    assert result.journal == jpath and result.backup == made
    assert result.kept_aside is not None and result.kept_aside.name.endswith(".replaced.sqlite3")
    assert mode(result.kept_aside) == 0o600 and mode(jpath) == 0o600
    # The old -wal/-shm are gone, so SQLite cannot pair the new file with the old log.
    assert not Path(f"{jpath}-wal").exists() and not Path(f"{jpath}-shm").exists()
    assert summaries(jpath) == before
    assert summaries(result.kept_aside)[-2:] == ["after the backup", "in the wal"]
    with Journal.open(jpath) as j:
        conn = j.raw_connection()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        fts_check(conn)
        conn.close()
        j.interactions.add(draft(j.vendors.resolve("Safety Test Telecom").id, "after restore"))
        assert [i.summary for i in j.interactions.search("restore")] == ["after restore"]
    assert summaries(jpath)[-1] == "after restore"
    assert [p for p in jpath.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_restore_refuses_a_damaged_backup_and_changes_nothing(jpath, tmp_path):
    made = backup_now(jpath)
    corrupt_pages(made, 4, 6)
    journal_before = sha(jpath)
    folder_before = names(made.parent)
    with pytest.raises(BackupDamaged, match="cannot be restored"):
        restore(made, jpath)
    (tmp_path / "text.sqlite3").write_text("hello")
    with pytest.raises(BackupDamaged):
        restore(tmp_path / "text.sqlite3", jpath)
    other = sqlite3.connect(tmp_path / "someone-elses.sqlite3")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(BackupDamaged, match="not a partnerdesk journal"):
        restore(tmp_path / "someone-elses.sqlite3", jpath)
    with pytest.raises(NotFound):
        restore(tmp_path / "no-such-backup.sqlite3", jpath)
    with pytest.raises(JournalError, match="the journal itself"):
        restore(jpath, jpath)
    assert sha(jpath) == journal_before and names(made.parent) == folder_before


def test_restore_over_a_damaged_journal_keeps_its_exact_pages(jpath):
    made = backup_now(jpath)
    corrupt_pages(jpath, 5, 10)
    damaged = jpath.read_bytes()
    result = restore(made, jpath)
    assert result.kept_aside is not None
    kept = result.kept_aside.read_bytes()
    # Taken under SQLite's exclusive lock, which leaves WAL mode first: only the header's
    # bookkeeping (journal mode, change counter, schema cookie) may differ.
    assert len(kept) == len(damaged) and kept[100:] == damaged[100:]
    assert kept[:18] == damaged[:18]
    assert sqlite_rows(jpath, "PRAGMA integrity_check") == [("ok",)]


def test_restore_over_a_file_that_is_not_a_database(jpath):
    made = backup_now(jpath)
    jpath.write_bytes(b"\x00garbage" * 1000)
    Path(f"{jpath}-wal").write_bytes(b"stale log")
    result = restore(made, jpath)
    assert result.kept_aside is not None
    assert result.kept_aside.read_bytes() == b"\x00garbage" * 1000
    assert Path(f"{result.kept_aside}-wal").read_bytes() == b"stale log"
    assert not Path(f"{jpath}-wal").exists()
    assert summaries(jpath) == summaries(made)


def test_restore_where_no_journal_is_yet(jpath, tmp_path):
    made = backup_now(jpath)
    target = tmp_path / "new" / "journal.sqlite3"
    result = restore(made, target)
    assert result.kept_aside is None and summaries(target) == summaries(made)


HOLDER = textwrap.dedent("""
    import sys, time
    from partnerdesk.store.journal import Journal
    j = Journal.open(sys.argv[1])
    j.vendors.all()          # a pooled connection stays open, idle, like a window's
    print("open", flush=True)
    time.sleep(60)
""")


def test_restore_refuses_a_journal_open_elsewhere(jpath):
    made = backup_now(jpath)
    _add(jpath, "not to be lost")
    before = sha(jpath)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(jpath)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        with pytest.raises(JournalBusy, match="open in another partnerdesk"):
            restore(made, jpath)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert sha(jpath) == before
    assert "not to be lost" in summaries(jpath)
    assert [i.reason for i in list_backups(jpath)] == ["manual"]  # nothing kept aside for nothing


def test_restore_refuses_while_this_process_still_has_it_open(jpath):
    made = backup_now(jpath)
    with Journal.open(jpath) as j:
        j.vendors.all()
        with pytest.raises(JournalBusy):
            restore(made, jpath)
    assert restore(made, jpath).kept_aside is not None  # once closed, it goes ahead


# -- full disk, read-only folder ---------------------------------------------------------------
def test_full_disk_leaves_no_half_backup(tmp_path):
    jpath = make_journal(tmp_path / "journal.sqlite3", 300, notes="n" * 1500)
    assert jpath.stat().st_size > 400_000
    with tiny_disk(tmp_path / "tiny") as tiny:
        (tiny / "earlier.txt").write_text("an earlier file on that disk\n")
        with pytest.raises(DiskFull, match="disk is full"):
            backup_now(jpath, folder=tiny)
        assert names(tiny) == ["earlier.txt"]
        with pytest.raises(DiskFull):
            backup_now(jpath, dest=tiny / "copy.sqlite3")
        assert names(tiny) == ["earlier.txt"]
        with pytest.raises(DiskFull):
            backup_on_open(jpath, folder=tiny)
        assert names(tiny) == ["earlier.txt"]
    assert sqlite_rows(jpath, "PRAGMA integrity_check") == [("ok",)]


def test_full_disk_during_restore_changes_nothing(tmp_path):
    jpath = make_journal(tmp_path / "src.sqlite3", 900, notes="n" * 1500)
    made = backup_now(jpath, dest=tmp_path / "big-backup.sqlite3")
    # Room for a small journal (~260 KB with the ledger's tables) and its WAL, not for the
    # ~940 KB backup.
    with tiny_disk(tmp_path / "tiny", size="1400k") as tiny:
        target = make_journal(tiny / "journal.sqlite3", 5)
        before = sha(target)
        with pytest.raises(DiskFull, match="not replaced"):
            restore(made, target, folder=tiny / "backups")
        assert sha(target) == before
        assert [p.name for p in tiny.iterdir() if p.name.endswith(".tmp")] == []
        assert not (tiny / "backups").exists() or names(tiny / "backups") == []


def test_disk_full_part_way_through_the_copy(jpath, monkeypatch):
    # Without root (no tmpfs): the copy writes part of the file, then the disk fills up.
    def half_then_full(source, dest):
        dest.execute("CREATE TABLE half (x)")
        dest.execute("INSERT INTO half VALUES (randomblob(50000))")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_file, "copy_pages", half_then_full)
    with pytest.raises(DiskFull, match="No room to write a backup"):
        backup_now(jpath)
    assert names(jpath.parent / "backups") == []


def test_disk_full_while_flushing(jpath, monkeypatch):
    import errno

    def no_space(path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_file, "fsync_path", no_space)
    with pytest.raises(DiskFull):
        backup_now(jpath)
    assert names(jpath.parent / "backups") == []


def test_read_only_backups_folder(jpath):
    folder = jpath.parent / "backups"
    folder.mkdir()
    with read_only_folder(folder):
        with pytest.raises(JournalReadOnly, match="Cannot write a backup"):
            backup_now(jpath)
        assert names(folder) == []
    assert sqlite_rows(jpath, "PRAGMA integrity_check") == [("ok",)]


def test_read_only_journal_folder_cannot_be_restored_into(tmp_path):
    src = make_journal(tmp_path / "src.sqlite3", 3)
    made = backup_now(src, dest=tmp_path / "b.sqlite3")
    ro = tmp_path / "ro"
    target = make_journal(ro / "journal.sqlite3", 10)
    before = sha(target)
    with read_only_folder(ro):
        with pytest.raises(JournalReadOnly):
            restore(made, target, folder=tmp_path / "aside")
        assert sha(target) == before
        # A backup of a journal in a read-only folder still works (it only reads).
        copy = backup_now(target, folder=tmp_path / "aside")
        assert summaries(copy) == summaries(target)


# -- one writer --------------------------------------------------------------------------------
def test_is_locked_by_other_writer(jpath, tmp_path):
    assert is_locked_by_other_writer(jpath) is False
    holder = sqlite3.connect(jpath, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        assert is_locked_by_other_writer(jpath) is True
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert is_locked_by_other_writer(jpath) is False
    with Journal.open(jpath) as j:
        j.vendors.all()  # an idle window holds no write lock
        assert is_locked_by_other_writer(jpath) is False
    assert is_locked_by_other_writer(tmp_path / "missing.sqlite3") is False
    assert not (tmp_path / "missing.sqlite3").exists()
    (tmp_path / "text").write_text("x")
    assert is_locked_by_other_writer(tmp_path / "text") is False
