"""Opening journals written by older schemas, and the upgrade mechanism itself."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from partnerdesk.domain.errors import JournalError, JournalTooNew
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Role, Source, Tag
from partnerdesk.store.journal import Journal
from partnerdesk.store.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS
from tests.helpers import draft, journal_fts_check, sqlite_rows

FIXTURES = Path(__file__).parent.parent / "fixtures"
V1_FIXTURE = FIXTURES / "journal_v1.sqlite3"
EXTRA_RUNG = "ALTER TABLE vendor ADD COLUMN x TEXT"
FIXTURE_VERSION = 1  # what journal_v1.sqlite3 was written by; upgrades start from here


def test_latest_version_is_pinned():
    # When you add a rung to MIGRATIONS: bump this number, commit a fixture journal written by the
    # schema you are replacing (tests/fixtures/journal_vN.sqlite3, built by a make_vN script like
    # make_v1_journal.py), and add a test like test_v1_fixture_opens_with_every_row below for it.
    # Keep the v1 test: real journals from the first release must still open.
    # v2 (issue 4): vendor_week, the per-vendor weekly summary health scores read, and the
    # partnership questions and answers; test_v1_fixture_upgrades_to_v2 checks that upgrade.
    # v3 (issue 8-12 round): the setting table (journal time zone and other shared settings).
    # v4 (issue 10): action_item (several follow-ups per interaction, open/done/dropped/snoozed)
    # and keep_in_touch; test_v3_fixture_upgrades_to_action_items checks that upgrade.
    # v5 (issue 12): the partner's ledger (V_LEDGER); test_v3_journal_upgrades_to_the_ledger.
    # v6 (issue 9): interaction_vendor_health, the index health reads local days through.
    # v7 (issue 11): record_fts, search over vendor events and partnership answers.
    # v8 (issue 12): registration_status, each registration's status history, and the indexes
    # health's economics reads; tests/store/test_registration_history.py checks that upgrade.
    # v9 (issue 12): the letters health's economics reads kept in two indexes (virtual columns);
    # tests/services/test_economics_pinned.py checks that upgrade.
    assert LATEST_VERSION == 9
    assert len(MIGRATIONS) == LATEST_VERSION


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    target = tmp_path / "old" / "journal.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(V1_FIXTURE, target)
    return target


def _table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        "vendor",
        "vendor_domain",
        "contact",
        "vendor_event",
        "interaction",
        "interaction_contact",
    ]
    return {t: sqlite_rows(path, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}


def test_v1_fixture_is_what_it_claims(v1_copy):
    assert V1_FIXTURE.stat().st_size < 200_000
    assert v1_copy.read_bytes() == V1_FIXTURE.read_bytes()
    assert sqlite_rows(v1_copy, "PRAGMA user_version") == [(1,)]
    assert sqlite_rows(v1_copy, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert sqlite_rows(v1_copy, "PRAGMA integrity_check") == [("ok",)]


def test_v1_fixture_opens_with_every_row(v1_copy):
    with Journal.open(v1_copy) as j:
        assert j.schema_version() == LATEST_VERSION
        if LATEST_VERSION > 1:
            assert j.upgrade_backup is not None and j.upgrade_backup.exists()
        else:
            assert j.upgrade_backup is None  # nothing to upgrade: no copy taken

        vendors = {v.name: v for v in j.vendors.all()}
        assert set(vendors) == {
            "CenturyLink",
            "Qwest",
            "Telef\u00f3nica \u6771\u4eac \U0001f310",
            "Old Reseller",
        }
        qwest = vendors["Qwest"]
        assert qwest.display_name == "Qwest (CenturyLink)"
        assert qwest.acquired_on == date(2011, 4, 1)
        assert qwest.domains == ("qwest.com",)
        assert qwest.notes == "Legacy carrier.\nStill billing us."
        assert vendors["Old Reseller"].archived
        assert [v.name for v in j.vendors.all(include_archived=False)].count("Old Reseller") == 0
        assert j.vendors.by_domain("mail.qwest.com") == qwest

        dana, marcus = j.contacts.for_vendor(qwest.id)
        assert (dana.name, dana.role, dana.active_to) == (
            "Dana Reyes",
            Role.CHANNEL_MANAGER,
            date(2011, 6, 30),
        )
        assert (marcus.name, marcus.active_from, marcus.active_to) == (
            "Marcus Okafor",
            date(2011, 7, 1),
            None,
        )
        assert [e.kind.value for e in j.events.for_vendor(qwest.id)] == [
            "acquisition",
            "contact change",
        ]
        assert len(j.events.all()) == 3

        items = {i.id: i for i in j.interactions.list(limit=100)}
        assert sorted(items) == [1, 2, 3, 4, 5]
        one = items[1]
        assert one.occurred_at == datetime.fromtimestamp(1262340000, UTC)
        assert (one.channel, one.direction, one.tag, one.quality) == (
            Channel.CALL,
            Direction.INBOUND,
            Tag.HELPFUL,
            5,
        )
        assert [c.name for c in one.contacts] == ["Dana Reyes"]
        two = items[2]
        assert two.topics == ("commission", "pricing")
        assert two.follow_up == FollowUp(
            due=date(2011, 7, 8), what="Send the breakdown", owner=FollowUpOwner.VENDOR
        )
        assert items[3].follow_up is not None and items[3].follow_up.done_at is not None
        four = items[4]
        assert four.summary == "\u4f1a\u8bae \U0001f389 \u05e9\u05dc\u05d5\u05dd caf\u00e9"
        assert four.notes == "Multi-line\nnotes with\ttabs and \u200d joiners"
        assert (four.source, four.source_id) == (Source.CSV, "export-row-17")
        assert items[5].quality == 1 and items[5].vendor_name == "Old Reseller"

        s = j.interactions.search
        assert {i.id for i in s("centurylink")} == {1, 2, 3}  # Qwest's found by the buyer's name
        assert {i.id for i in s("okafor")} == {2}
        assert {i.id for i in s("cafe")} == {4}
        assert {i.id for i in s("breakdown")} == set()  # follow-up text is not indexed
        assert [i.id for i in j.interactions.follow_ups(date(2030, 1, 1), overdue_only=True)] == [2]
        journal_fts_check(j)

        # Health's local days were counted on upgrade (in the machine's zone) and score it.
        from partnerdesk.services.health import vendor_health
        from partnerdesk.services.health_read import DayReader

        with j.reading() as conn:
            reader = DayReader(conn)
            assert reader.summary
            assert reader.days(qwest.id) == DayReader(conn, zone=reader.zone).days(qwest.id)
            n = conn.exec_driver_sql("SELECT count(*) FROM interaction WHERE vendor_id = ?",
                                     (qwest.id,)).scalar()
            assert n and sum(d[1] + d[4] for d in reader.days(qwest.id)) == n
        points = vendor_health(j, qwest.id, today=date(2012, 1, 31))
        assert sum(p.interactions for p in points) == n and points[0].score is None

        # The upgraded journal takes new writes, and search keeps up.
        new = j.interactions.add(draft(qwest.id, "Logged after the upgrade"))
        assert new.id == 6 and [i.id for i in s("upgrade")] == [6]
        journal_fts_check(j)
    assert sqlite_rows(v1_copy, "PRAGMA integrity_check") == [("ok",)]


def test_an_extra_rung_upgrades_after_a_private_copy(v1_copy):
    before = _table_dump(v1_copy)
    with Journal.open(v1_copy, migrations=[*MIGRATIONS, EXTRA_RUNG]) as j:
        assert j.schema_version() == LATEST_VERSION + 1
        backup = j.upgrade_backup
        assert len(j.vendors.all()) == 4  # data intact after the rung
        assert j.interactions.count() == 5
    assert backup is not None
    # In the journal's backups folder, named like every backup (docs/safety.md), private.
    assert backup.parent == v1_copy.parent / "backups"
    assert backup.name.startswith("journal.")
    assert backup.name.endswith(f".before-v{LATEST_VERSION + 1}.sqlite3")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]  # no temp left

    # The copy is the old journal, whole: old version, old columns, every row.
    assert sqlite_rows(backup, "PRAGMA user_version") == [(FIXTURE_VERSION,)]
    assert sqlite_rows(backup, "PRAGMA integrity_check") == [("ok",)]
    assert "x" not in {r[1] for r in sqlite_rows(backup, "PRAGMA table_info(vendor)")}
    assert _table_dump(backup) == before

    # The upgraded file has the new column and the same rows.
    assert "x" in {r[1] for r in sqlite_rows(v1_copy, "PRAGMA table_info(vendor)")}
    after = _table_dump(v1_copy)
    assert after["interaction"] == before["interaction"]
    assert [r[:-1] for r in after["vendor"]] == before["vendor"]  # same rows, plus x = NULL
    assert sqlite_rows(v1_copy, "PRAGMA user_version") == [(LATEST_VERSION + 1,)]

    # This build's ladder is shorter now: the upgraded file is refused, untouched.
    data = v1_copy.read_bytes()
    with pytest.raises(JournalTooNew):
        Journal.open(v1_copy)
    assert v1_copy.read_bytes() == data


def test_several_rungs_run_in_one_upgrade(v1_copy):
    rungs = [
        *MIGRATIONS,
        EXTRA_RUNG,
        "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT);\n"
        "CREATE INDEX note_text ON note(text);",
    ]
    with Journal.open(v1_copy, migrations=rungs) as j:
        assert j.schema_version() == LATEST_VERSION + 2
        assert (
            j.upgrade_backup is not None
            and j.upgrade_backup.name.endswith(f".before-v{LATEST_VERSION + 2}.sqlite3")
        )
    assert sqlite_rows(v1_copy, "SELECT count(*) FROM note") == [(0,)]


def test_a_failing_rung_rolls_back_leaving_version_and_data_untouched(v1_copy):
    before = _table_dump(v1_copy)
    bad = (
        "ALTER TABLE vendor ADD COLUMN y TEXT;\n"
        "UPDATE vendor SET name = 'CLOBBERED';\n"
        "ALTER TABLE no_such_table ADD COLUMN z TEXT;"
    )
    with pytest.raises(JournalError) as info:
        Journal.open(v1_copy, migrations=[*MIGRATIONS, bad])
    assert "\n" not in str(info.value)
    assert sqlite_rows(v1_copy, "PRAGMA user_version") == [(FIXTURE_VERSION,)]
    assert "y" not in {r[1] for r in sqlite_rows(v1_copy, "PRAGMA table_info(vendor)")}
    assert _table_dump(v1_copy) == before
    assert sqlite_rows(v1_copy, "PRAGMA integrity_check") == [("ok",)]
    # The journal still opens and works with this build.
    with Journal.open(v1_copy) as j:
        assert j.schema_version() == LATEST_VERSION
        assert len(j.vendors.all()) == 4
        journal_fts_check(j)


def test_a_new_journal_gets_the_whole_ladder_without_a_copy(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    with Journal.open(path, migrations=[*MIGRATIONS, EXTRA_RUNG]) as j:
        assert j.schema_version() == LATEST_VERSION + 1
        assert j.upgrade_backup is None
    assert list(tmp_path.glob("*.before-*")) == []
    assert not (tmp_path / "backups").exists()
    assert sqlite_rows(path, "PRAGMA application_id") == [(APPLICATION_ID,)]


def test_a_half_made_journal_is_finished_on_the_next_open(tmp_path):
    # What a crash between creating the file and the first migration leaves: an empty WAL file.
    path = tmp_path / "half.sqlite3"
    path.touch(mode=0o600)
    conn = sqlite3.connect(path, isolation_level=None)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    assert path.stat().st_size > 0
    with Journal.open(path) as j:
        assert j.schema_version() == LATEST_VERSION
        assert j.vendors.add("Acme").id == 1


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def test_v1_fixture_upgrades_to_v2(v1_copy):
    """V2 fills the weekly summary from the rows already there and seeds the five standard
    partnership questions; the summary then follows new writes."""
    with Journal.open(v1_copy) as j:
        assert j.schema_version() >= 2
        questions = j.questions.for_vendor(2)
        assert [q.position for q in questions] == [1, 2, 3, 4, 5]
        assert all(q.standard and not q.answers for q in questions)
        assert "define partnership" in questions[0].text
        assert "business model" in questions[4].text
        # Slices counted by hand: a week is cut where a month begins (Fri 1 Jan 2010 starts its
        # own slice), the vendor's promise counts in the slice of its due date (Fri 8 Jul 2011,
        # week of Mon 4 Jul), open and past due so not kept; interaction 3's follow-up is the
        # rep's own to-do, not a promise.
        expected = [
            (1, _day(date(2012, 1, 1)), 1, 1, 0, 0, 0, 0),
            (2, _day(date(2010, 1, 1)), 1, 1, 5, 1, 0, 0),
            (2, _day(date(2011, 7, 1)), 1, 0, 2, 1, 0, 0),
            (2, _day(date(2011, 7, 4)), 0, 0, 0, 0, 1, 0),
            (3, _day(date(2023, 11, 13)), 1, 1, 4, 1, 0, 0),
            (4, _day(date(2020, 9, 7)), 1, 0, 1, 1, 0, 0),
        ]
        assert sqlite_rows(v1_copy, "SELECT * FROM vendor_week ORDER BY 1, 2") == expected

        # Closing the promise late keeps it broken; an edit moving a row re-counts both slices.
        j.interactions.set_follow_up_done(2, datetime(2011, 7, 20, 9, 0, tzinfo=UTC))
        assert sqlite_rows(v1_copy, "SELECT promises, promises_kept FROM vendor_week"
                                    " WHERE vendor_id = 2 AND start_day = ?",
                           (_day(date(2011, 7, 4)),)) == [(1, 0)]
        new = j.interactions.add(draft(2, "After the upgrade", at=datetime(2011, 7, 2, tzinfo=UTC)))
        assert sqlite_rows(v1_copy, "SELECT n, helpful FROM vendor_week WHERE vendor_id = 2"
                                    " AND start_day = ?", (_day(date(2011, 7, 1)),)) == [(2, 1)]
        j.interactions.delete(new.id)
        j.interactions.delete(1)
    assert sqlite_rows(v1_copy, "SELECT * FROM vendor_week WHERE vendor_id = 2 ORDER BY 2") == [
        (2, _day(date(2011, 7, 1)), 1, 0, 2, 1, 0, 0),
        (2, _day(date(2011, 7, 4)), 0, 0, 0, 0, 1, 0),
    ]
    assert sqlite_rows(v1_copy, "PRAGMA integrity_check") == [("ok",)]
