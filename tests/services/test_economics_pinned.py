"""Economics' values pinned on a small demo journal, so that making it faster cannot change a
score: every vendor's value and sentence on 42 days over three years and a half (the same
through `values` one vendor at a time and `values_many` for all), and the portfolio's scores."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from partnerdesk.services.demo import generate
from partnerdesk.services.economics_component import SOURCE
from partnerdesk.services.health import portfolio
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.schema import LATEST_VERSION, MIGRATIONS, V_ECONOMICS_CODES

TODAY = date(2026, 3, 1)
DAYS = [TODAY - timedelta(days=k) for k in range(0, 1200, 29)]  # ends of months and not


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("econ") / "demo.sqlite3"
    with Journal.open(path) as j:
        generate(j, interactions=3000, vendors=6, today=TODAY)
    return LiteJournal(path)


def test_every_value_is_what_it_was(demo):
    with demo.reading() as conn:
        ids = [vid for (vid,) in conn.exec_driver_sql("SELECT id FROM vendor ORDER BY id")]
        many = SOURCE.values_many(conn, ids, DAYS)
        one = {vid: SOURCE.values(conn, vid, DAYS) for vid in ids}
    # values_many (the portfolio) says why on its last day only: the same scores, that sentence
    assert {vid: [v and v[0] for v in got] for vid, got in many.items()} == {
        vid: [v and v[0] for v in got] for vid, got in one.items()}
    assert {vid: got[-1] for vid, got in many.items()} == {vid: got[-1] for vid, got in one.items()}
    assert all(v is None or v[1] == "" for got in many.values() for v in got[:-1])
    many = one
    assert many[ids[0]][0] == (90.7, "2 of 13 registrations rejected in the last 12 months; "
                               "decisions took 7 days (median); 22 of 25 payments in full and "
                               "on time (3 late)")
    text = repr(sorted(many.items()))
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == "ba5fc5488c56b5cb"


def test_portfolio_scores_are_what_they_were(demo):
    assert [p.score for p in portfolio(demo, today=TODAY)] == [
        0.0, 83.1, 78.1, 81.9, 56.8, 74.3]


def _edges(journal) -> tuple[int, list[date]]:
    """Two currencies short, MDF unclaimed (not late, even if paid short) and claimed, money due
    on an as-of day, a decision on the day of submission, a rejection without a reason."""
    from partnerdesk.domain.ledger import MoneyKind, MoneyOwed, Registration, RegStatus
    from partnerdesk.store.ledger import add_money, add_registration

    vid = journal.vendors.add("Edge Systems").id
    d = date(2025, 3, 31)
    with journal.writing() as c:
        for k, (status, sub, dec, why) in enumerate([
                (RegStatus.APPROVED, d, d, ""), (RegStatus.REJECTED, d, d + timedelta(days=3), ""),
                (RegStatus.REJECTED, d, d + timedelta(days=60), "conflict"),
                (RegStatus.WON, d - timedelta(days=90), d - timedelta(days=40), ""),
                (RegStatus.APPROVED, d + timedelta(days=10), d + timedelta(days=45), "")]):
            add_registration(c, Registration(None, vid, f"Customer {k}", status,
                                             submitted_on=sub, decided_on=dec, reason=why))
        for kind, expected, cur, due, paid, paid_on, claimed in [
                (MoneyKind.COMMISSION, 500_00, "USD", d, 500_00, d, None),
                (MoneyKind.COMMISSION, 500_00, "USD", d, None, None, None),
                (MoneyKind.SPIFF, 300_00, "EUR", d - timedelta(days=30), 200_00, d, None),
                (MoneyKind.RESIDUAL, 900_00, "USD", d + timedelta(days=40), 100_00,
                 d + timedelta(days=41), None),
                (MoneyKind.MDF, 1000_00, "USD", d + timedelta(days=20), None, None, None),
                (MoneyKind.MDF, 1000_00, "USD", d + timedelta(days=20), 10_00, d, None),
                (MoneyKind.MDF, 1000_00, "GBP", d + timedelta(days=20), None, None,
                 d - timedelta(days=5)),
                (MoneyKind.REBATE, 50_00, "EUR", d - timedelta(days=400), 50_00,
                 d - timedelta(days=300), None)]:
            add_money(c, MoneyOwed(None, vid, kind, expected, cur, due, paid_minor=paid,
                                   paid_on=paid_on, claim_submitted_on=claimed))
    days = sorted({d + timedelta(days=k) for k in (-400, -301, -41, -1, 0, 1, 20, 40, 41, 60,
                                                     364, 365, 366, 400, 500)})
    return vid, days


def test_days_before_or_long_after_every_record_have_no_value(journal, db_path):
    vid, days = _edges(journal)
    early = [days[0] - timedelta(days=800), days[0] - timedelta(days=700)]
    late = [days[-1] + timedelta(days=700)]
    with LiteJournal(db_path).reading() as conn:
        assert SOURCE.values(conn, vid, early) == [None, None]
        assert SOURCE.values_many(conn, [vid], late) == {vid: [None]}
        assert SOURCE.values(conn, vid, [*early, days[4]])[-1] is not None


def test_the_edges_are_what_they_were(journal, db_path):
    """Each day's value and sentence as they were."""
    vid, days = _edges(journal)
    quiet = journal.vendors.add("No Ledger").id
    with LiteJournal(db_path).reading() as conn:
        many = SOURCE.values_many(conn, [vid, quiet], days)
        got = {v: SOURCE.values(conn, v, days) for v in (vid, quiet)}
        assert [v and v[0] for v in many[vid]] == [v and v[0] for v in got[vid]]
        assert many[vid][-1] == got[vid][-1]
        assert many[quiet] == got[quiet] == [None] * len(days)
    assert got[vid] == [
        (60.0, '0 of 1 payment in full and on time (1 late)'),
        (60.0, '0 of 1 payment in full and on time (1 late)'),
        (60.0, '0 of 1 payment in full and on time (1 late)'),
        (48.9, 'All 1 registration approved in the last 12 months; decisions took 50 '
         'days (median); 0 of 1 payment in full and on time (1 late, 1 short by '
         'EUR 100.00)'),
        (66.2, 'All 2 registrations approved in the last 12 months; decisions took 25 '
         'days (median); 1 of 3 payments in full and on time (1 late, 1 short '
         'by EUR 100.00)'),
        (66.2, 'All 2 registrations approved in the last 12 months; decisions took 25 '
         'days (median); 1 of 3 payments in full and on time (2 late, 1 short '
         'by EUR 100.00)'),
        (72.9, '1 of 3 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 3 days (median); 1 of 4 payments in full and '
         'on time (2 late, 1 short by EUR 100.00)'),
        (70.7, '1 of 3 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 3 days (median); 1 of 5 payments in full and '
         'on time (4 late, 2 short by EUR 100.00, USD 800.00)'),
        (70.7, '1 of 3 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 3 days (median); 1 of 5 payments in full and '
         'on time (4 late, 2 short by EUR 100.00, USD 800.00)'),
        (44.0, '2 of 5 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 35 days (median); 1 of 5 payments in full and '
         'on time (4 late, 2 short by EUR 100.00, USD 800.00)'),
        (58.4, '2 of 4 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 19 days (median); 1 of 4 payments in full and '
         'on time (3 late, 1 short by USD 800.00)'),
        (41.1, '2 of 3 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 35 days (median); 0 of 2 payments in full and '
         'on time (2 late, 1 short by USD 800.00)'),
        (41.1, '2 of 3 registrations rejected in the last 12 months, 1 without a '
         'reason; decisions took 35 days (median); 0 of 2 payments in full and '
         'on time (2 late, 1 short by USD 800.00)'),
        (41.7, '1 of 2 registrations rejected in the last 12 months; decisions took '
         '47.5 days (median); 0 of 1 payment in full and on time (1 late, 1 '
         'short by USD 800.00)'),
        None,
    ]


def as_before_economics_codes(path: Path) -> int:
    """Take a journal back to before V_ECONOMICS_CODES, as the release before wrote it; returns
    the version it then says."""
    version = MIGRATIONS.index(V_ECONOMICS_CODES)
    raw = sqlite3.connect(path)
    try:
        raw.executescript(f"""
            DROP INDEX deal_registration_health;
            DROP INDEX money_owed_health;
            ALTER TABLE deal_registration DROP COLUMN health_code;
            ALTER TABLE deal_registration DROP COLUMN health_days;
            ALTER TABLE money_owed DROP COLUMN health_code;
            ALTER TABLE money_owed DROP COLUMN health_short;
            PRAGMA user_version = {version};
        """)
    finally:
        raw.close()
    return version


def test_an_older_journal_upgrades_after_a_backup_and_scores_the_same(tmp_path):
    path = tmp_path / "old.sqlite3"
    with Journal.open(path) as j:
        vid, days = _edges(j)
    with LiteJournal(path).reading() as conn:
        before = SOURCE.values(conn, vid, days)
    version = as_before_economics_codes(path)
    with Journal.open(path) as j:
        assert j.schema_version() == LATEST_VERSION
        assert j.upgrade_backup is not None and j.upgrade_backup.exists()
        backup = j.upgrade_backup
    with LiteJournal(path).reading() as conn:
        assert SOURCE.values(conn, vid, days) == before
    old = sqlite3.connect(backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone() == (version,)
        assert not old.execute("SELECT 1 FROM sqlite_master WHERE name = 'money_owed_health'"
                               ).fetchall()
    finally:
        old.close()


def test_every_point_of_a_vendors_series_says_why(demo):
    """The portfolio's batch leaves older points' sentences out; one vendor's series (the
    dashboard, where any point may be explained) keeps them all."""
    from partnerdesk.domain.health_types import Period
    from partnerdesk.services.health import explain, vendor_health

    with demo.reading() as conn:
        vid = conn.exec_driver_sql("SELECT vendor_id FROM money_owed LIMIT 1").scalar()
    points = [p for p in vendor_health(demo, vid, Period.QUARTER, today=TODAY)
              if any(c.name == "economics" for c in p.components)]
    assert len(points) > 2
    for p in points:
        econ = next(c for c in p.components if c.name == "economics")
        assert "in the last 12 months" in econ.detail or "payment" in econ.detail
        assert any(line.startswith("Economics: ") and len(line) > 20 for line in explain(p))


def test_a_weekly_series_says_what_values_says(demo):
    """health's series take values_deferred (each sentence written when read): the same scores
    and sentences as `values` and as the segment aggregate (values_many) at every week."""
    from partnerdesk.domain.health_types import Period
    from partnerdesk.services.health import vendor_health

    with demo.reading() as conn:
        ids = [vid for (vid,) in conn.exec_driver_sql("SELECT id FROM vendor ORDER BY id")]
    said = 0
    for vid in ids:
        weeks = vendor_health(demo, vid, Period.WEEK, today=TODAY)
        days = [p.as_of for p in weeks]
        with demo.reading() as conn:
            deferred = SOURCE.values_deferred(conn, vid, days)
            plain = SOURCE.values(conn, vid, days)
            many = SOURCE.values_many(conn, [vid], days)[vid]
        assert [v and (v[0], v[1]()) for v in deferred] == plain
        assert [v and v[0] for v in plain] == [v and v[0] for v in many]
        for point, value in zip(weeks, plain, strict=True):
            economics = [c for c in point.components if c.name == "economics"]
            if economics and value is not None:
                assert economics[0].detail == value[1]
                said += 1
    assert said > 1000, said  # the demo's ledger gives most weeks economics
