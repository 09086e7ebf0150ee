"""`check` finds a per-day summary (store/local_days.py) that is damaged or gone, without
writing; `check --repair` rebuilds it, and the health scores are what they were."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from partnerdesk.domain.health_types import Period
from partnerdesk.domain.vocab import Channel, Direction, Tag
from partnerdesk.services.check import SUMMARY, check_journal, repair_index
from partnerdesk.services.health import portfolio, vendor_health
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.local_days import set_journal_zone
from tests.helpers import draft, run_cli, sqlite_rows
from tests.safety import sha

TODAY = date(2026, 6, 30)


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as j:
        set_journal_zone(j, "America/New_York")
        for name, every in (("Acme Telecom", 3), ("Bluepeak Cloud", 9)):
            vid = j.vendors.add(name).id
            start = datetime(2024, 1, 2, 23, 30, tzinfo=UTC)  # evenings in New York
            j.interactions.add_many([
                draft(vid, f"Call {k}", at=start + timedelta(days=every * k),
                      tag=Tag.HELPFUL if k % 3 else Tag.TRANSACTIONAL,
                      channel=Channel.BROADCAST if k % 7 == 0 else Channel.CALL,
                      direction=Direction.INBOUND if k % 2 else Direction.OUTBOUND)
                for k in range(900 // every)], skip_existing=False)
    return path


def scores(path: Path) -> tuple[object, ...]:
    lite = LiteJournal(path)
    rows = portfolio(lite, today=TODAY, period=Period.MONTH)
    return (rows, [vendor_health(lite, r.vendor_id, Period.WEEK, today=TODAY) for r in rows])


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for s in statements:
            conn.execute(s)
    finally:
        conn.close()


def test_a_sound_summary_passes(jpath):
    report = check_journal(jpath)
    assert report.ok and "days" in report.checked


@pytest.mark.parametrize("damage, found", [
    (["UPDATE vendor_day SET conv = conv + 3 WHERE (vendor_id, day) IN"
      " (SELECT vendor_id, day FROM vendor_day LIMIT 1)"],
     "out of step with the interactions (1 vendor-day differs)"),
    (["DELETE FROM vendor_day WHERE day % 5 = 0"], "out of step with the interactions ("),
    (["DELETE FROM local_shift"], "out of step with the interactions (its time-zone offsets "
                                  "differ)"),
    (["DROP TABLE vendor_day"], "missing (vendor_day)"),
    (["DROP TRIGGER vendor_day_insert", "DROP TRIGGER vendor_day_update"],
     "missing (vendor_day_insert, vendor_day_update)"),
])
def test_a_damaged_or_deleted_summary_is_found_without_writing_and_rebuilt(jpath, damage,
                                                                           found):
    before_scores = scores(jpath)
    sql(jpath, *damage)
    before = sha(jpath)
    report = check_journal(jpath)
    assert [f.area for f in report.findings] == [SUMMARY], report.findings
    assert found in report.findings[0].message
    assert report.index_only and not report.file_damaged
    assert sha(jpath) == before  # checking wrote nothing
    after = repair_index(jpath)
    assert after.ok and after.repaired == [SUMMARY]
    assert scores(jpath) == before_scores
    # The triggers are back: a new interaction is counted (and can be logged at all).
    with Journal.open(jpath) as j:
        vid = j.vendors.resolve("Acme Telecom").id
        j.interactions.add(draft(vid, "After the repair", at=datetime(2026, 6, 29, 15, tzinfo=UTC)))
    assert check_journal(jpath).ok
    assert sqlite_rows(jpath, "SELECT conv FROM vendor_day WHERE day = ?",
                       (date(2026, 6, 29).toordinal() - date(1970, 1, 1).toordinal(),)) == [(1,)]


def test_while_it_is_gone_health_reads_the_interactions(jpath):
    before_scores = scores(jpath)
    sql(jpath, "DROP TABLE vendor_day")
    assert scores(jpath) == before_scores


def test_the_command_repairs_it(jpath):
    sql(jpath, "DELETE FROM vendor_day WHERE day % 2 = 0")
    found = run_cli(["check"], jpath)
    assert found.returncode == 1 and found.stderr == ""
    assert found.stdout.splitlines()[0].startswith(
        "summary: the per-day summary behind the health scores is out of step")
    assert found.stdout.splitlines()[-1] == (
        "Only what is counted from the interactions is out of step; "
        "'partnerdesk check --repair' rebuilds it.")
    fixed = run_cli(["check", "--repair"], jpath)
    assert "Traceback" not in fixed.stderr
    assert fixed.stdout.splitlines()[0] == ("repaired: rebuilt the summaries behind the health "
                                            "scores from the interactions (a backup was taken "
                                            "first)")
    assert fixed.stdout.splitlines()[-1] == f"ok: {jpath} passes every check now."


def test_the_quick_check_on_open_only_looks_whether_it_is_there(jpath):
    """Every window open runs it holding the write lock: no recount there."""
    from partnerdesk.services.check import quick_check

    sql(jpath, "DELETE FROM vendor_day WHERE day % 5 = 0")
    assert quick_check(jpath).ok
    sql(jpath, "DROP TRIGGER vendor_day_delete")
    assert [f.area for f in quick_check(jpath).findings] == [SUMMARY]
