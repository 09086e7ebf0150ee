"""A deal registration's status history: one entry when added, one per status change, the
current status for registrations from before the history (rung 8, after a backup), in the JSON
file and back, and hostile history in a file refused in one line."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

from partnerdesk.domain.ledger import (
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    StatusChange,
    change_status,
)
from partnerdesk.services.ledger_io import export_ledger, import_ledger_file
from partnerdesk.store.journal import Journal
from partnerdesk.store.ledger import (
    add_money,
    add_registration,
    get_registration,
    registrations,
    update_registration,
)
from partnerdesk.store.schema import LATEST_VERSION


def _reg(vid: int, status: RegStatus = RegStatus.SUBMITTED, **kw) -> Registration:
    kw.setdefault("submitted_on", date(2026, 3, 2))
    return Registration(None, vid, "Globex", status, **kw)


def test_each_status_change_is_recorded_with_its_day(journal):
    vid = journal.vendors.add("Acme").id
    with journal.writing() as c:
        reg = add_registration(c, _reg(vid))
        assert reg.history == (StatusChange(RegStatus.SUBMITTED, date(2026, 3, 2)),)
        approved = update_registration(c, change_status(reg, RegStatus.APPROVED,
                                                        date(2026, 3, 9)))
        won = update_registration(c, change_status(approved, RegStatus.WON, date(2026, 5, 1)),
                                  on=date(2026, 5, 1))
        update_registration(c, replace(won, notes="a note, no status change"))
    with journal.reading() as conn:
        stored = get_registration(conn, reg.id)
        listed = registrations(conn)[0]
    assert [c.shown for c in stored.history] == ["submitted 2 Mar 2026", "approved 9 Mar 2026",
                                                 "won 1 May 2026"]
    assert listed.history == stored.history and won.history == stored.history


def test_deleting_a_registration_deletes_its_history(journal, db_path):
    vid = journal.vendors.add("Acme").id
    with journal.writing() as c:
        reg = add_registration(c, _reg(vid))
        c.exec_driver_sql("DELETE FROM deal_registration WHERE id = ?", (reg.id,))
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT count(*) FROM registration_status").fetchone() == (0,)


def _as_version_7(path: Path) -> None:
    """Take a journal back to before the history rung, as an older release wrote it."""
    from tests.services.test_economics_pinned import as_before_economics_codes

    version = as_before_economics_codes(path)
    with sqlite3.connect(path) as raw:
        raw.executescript(f"""
            DROP TABLE registration_status;
            DROP INDEX deal_registration_decided;
            DROP INDEX money_owed_economics;
            PRAGMA user_version = {version - 1};
        """)
    raw.close()


def test_an_older_journal_upgrades_after_a_backup_with_each_current_status(tmp_path):
    path = tmp_path / "old.sqlite3"
    with Journal.open(path) as j:
        vid = j.vendors.add("Acme").id
        with j.writing() as c:
            a = add_registration(c, _reg(vid, RegStatus.APPROVED, decided_on=date(2026, 3, 9)))
            b = add_registration(c, _reg(vid))
            d = add_registration(c, _reg(vid, RegStatus.DRAFT, submitted_on=None))
            add_money(c, MoneyOwed(None, vid, MoneyKind.SPIFF, 100, "USD", date(2026, 4, 1)))
    _as_version_7(path)
    with Journal.open(path) as j:
        assert j.schema_version() == LATEST_VERSION
        assert j.upgrade_backup is not None and j.upgrade_backup.exists()
        with j.reading() as conn:
            got = {r.id: r.history for r in registrations(conn)}
    assert got[a.id] == (StatusChange(RegStatus.APPROVED, date(2026, 3, 9)),)
    assert got[b.id] == (StatusChange(RegStatus.SUBMITTED, date(2026, 3, 2)),)
    assert len(got[d.id]) == 1 and got[d.id][0].status is RegStatus.DRAFT
    with sqlite3.connect(j.upgrade_backup) as old:
        assert old.execute("PRAGMA user_version").fetchone() == (7,)
    old.close()


def test_a_file_whose_history_does_not_end_in_the_status_is_skipped(tmp_path, journal):
    vid = journal.vendors.add("Acme").id
    with journal.writing() as c:
        add_registration(c, _reg(vid))
    export_ledger(journal, str(tmp_path / "one.json"))
    doc = json.loads((tmp_path / "one.json").read_text("utf-8"))
    doc["registrations"][0]["history"].append({"status": "won", "on": "2026-03-05"})
    doc["registrations"][0]["number"] = "another"
    (tmp_path / "bad.json").write_text(json.dumps(doc), "utf-8")
    result = import_ledger_file(journal, tmp_path / "bad.json")
    assert result.skipped == ["registrations item 1: The status history ends with won but the "
                              "registration is submitted; make the last change its status."]
    doc["registrations"][0]["history"] = [{"status": "sideways", "on": "2026-03-05"}]
    (tmp_path / "bad.json").write_text(json.dumps(doc), "utf-8")
    result = import_ledger_file(journal, tmp_path / "bad.json")
    assert len(result.skipped) == 1 and "is not a registration status" in result.skipped[0]
    doc["registrations"][0]["history"] = "submitted"
    (tmp_path / "bad.json").write_text(json.dumps(doc), "utf-8")
    result = import_ledger_file(journal, tmp_path / "bad.json")
    assert result.skipped == ["registrations item 1: 'history' is not a list of status changes."]
