"""The ledger's tables: writes, reads through the standard library, search, the V_LEDGER upgrade."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.ledger import (
    Benefit,
    Certification,
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    Target,
    TierChange,
)
from partnerdesk.store.journal import Journal
from partnerdesk.store.ledger import (
    ListFilter,
    add_money,
    add_registration,
    delete_registration,
    get_registration,
    money_items,
    registrations,
    update_registration,
)
from partnerdesk.store.ledger_search import search_ledger
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.programme import (
    add_benefit,
    add_certification,
    benefits,
    certifications,
    current_tier,
    set_tier,
    tier_history,
)
from partnerdesk.store.schema import LATEST_VERSION, MIGRATIONS, V_LEDGER
from tests.helpers import draft, sqlite_rows


@pytest.fixture
def vendors(journal):
    return journal.vendors.add("Acme Networks").id, journal.vendors.add("Borealis").id


def test_registration_round_trip_through_both_connections(journal, vendors, db_path):
    acme, _ = vendors
    inter = journal.interactions.add(draft(acme, "Registered the hospital deal"))
    with journal.writing() as conn:
        r = add_registration(conn, Registration(
            None, acme, "St Mary's Hospital", RegStatus.SUBMITTED, number="DR-1001",
            value_minor=12_500_00, currency="eur", submitted_on=date(2026, 2, 1),
            expires_on=date(2026, 8, 1), interaction_ids=(inter.id, inter.id)))
    assert r.id is not None and r.currency == "EUR" and r.interaction_ids == (inter.id,)
    with LiteJournal(db_path).reading() as conn:
        [read] = registrations(conn)
        assert read == r
        assert get_registration(conn, r.id) == r


def test_registration_links_only_the_vendors_interactions(journal, vendors):
    acme, boreal = vendors
    other = journal.interactions.add(draft(boreal, "Not Acme"))
    with pytest.raises(NotFound, match="same vendor"), journal.writing() as conn:
        add_registration(conn, Registration(None, acme, "X", interaction_ids=(other.id,)))
    with journal.reading() as conn:
        assert registrations(conn) == []  # nothing half-written


def test_hostile_registration_leaves_the_journal_untouched(journal, vendors, db_path):
    acme, _ = vendors
    for bad in (Registration(None, acme, ""), Registration(None, acme, "X", value_minor=-1,
                                                           currency="USD"),
                Registration(None, acme, "X", value_minor=5, currency="QQQ"),
                Registration(None, 999, "X")):
        with pytest.raises((InvalidInput, NotFound)), journal.writing() as conn:
            add_registration(conn, bad)
    assert sqlite_rows(db_path, "SELECT count(*) FROM deal_registration") == [(0,)]


def test_update_delete_and_filters(journal, vendors):
    acme, boreal = vendors
    with journal.writing() as conn:
        a = add_registration(conn, Registration(None, acme, "Alpha", RegStatus.SUBMITTED,
                                                submitted_on=date(2026, 1, 10)))
        b = add_registration(conn, Registration(None, boreal, "Beta", RegStatus.SUBMITTED,
                                                submitted_on=date(2026, 2, 10)))
        add_registration(conn, Registration(None, acme, "Draft one"))
        update_registration(conn, Registration(a.id, acme, "Alpha", RegStatus.REJECTED,
                                               submitted_on=date(2026, 1, 10),
                                               decided_on=date(2026, 1, 20)))
    with journal.reading() as conn:
        assert [r.customer for r in registrations(conn)] == ["Draft one", "Beta", "Alpha"]
        assert [r.customer for r in registrations(conn, ListFilter(status="rejected"))] == ["Alpha"]
        assert [r.customer for r in registrations(conn, ListFilter(vendor_ids=(boreal,)))] == ["Beta"]
        assert [r.customer for r in registrations(
            conn, ListFilter(since=date(2026, 2, 1)))] == ["Beta"]
    with journal.writing() as conn:
        gone = delete_registration(conn, b.id)
        assert gone.customer == "Beta"
        add_registration(conn, gone, keep_id=True)  # undo puts it back with its id
    with journal.reading() as conn:
        assert get_registration(conn, b.id).customer == "Beta"


def test_money_filters_late_short_unpaid(journal, vendors):
    acme, _ = vendors
    today = date(2026, 6, 1)
    with journal.writing() as conn:
        add_money(conn, MoneyOwed(None, acme, MoneyKind.COMMISSION, 1000_00, "USD",
                                  due_on=date(2026, 3, 31)))  # unpaid, late
        add_money(conn, MoneyOwed(None, acme, MoneyKind.RESIDUAL, 500_00, "USD",
                                  due_on=date(2026, 4, 30), paid_minor=400_00,
                                  paid_on=date(2026, 4, 20)))  # short, on time
        add_money(conn, MoneyOwed(None, acme, MoneyKind.SPIFF, 5000, "JPY",
                                  due_on=date(2026, 7, 30)))  # unpaid, not yet due
    with journal.reading() as conn:
        def kinds(**kw):
            return [m.kind.value for m in money_items(conn, ListFilter(**kw), today)]

        assert kinds() == ["spiff", "residual", "commission"]
        assert kinds(status="late") == ["commission"]
        assert kinds(status="short") == ["residual"]
        assert kinds(status="unpaid") == ["spiff", "commission"]
        assert kinds(currency="JPY") == ["spiff"]
        assert kinds(kind="residual") == ["residual"]


def test_the_database_itself_refuses_negative_money(journal, vendors, db_path):
    acme, _ = vendors
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO money_owed (vendor_id, kind, expected_minor, currency, due_on,"
                     " created_at, updated_at) VALUES (?, 'commission', -1, 'USD', '2026-01-01',"
                     " 0, 0)", (acme,))
    conn.close()


def test_tiers_certifications_benefits(journal, vendors):
    acme, _ = vendors
    with journal.writing() as conn:
        set_tier(conn, TierChange(None, acme, "Partner Network", "Silver", date(2024, 1, 1)))
        set_tier(conn, TierChange(None, acme, "Partner Network", "Gold", date(2025, 7, 1),
                                  requirements="Two certified engineers",
                                  targets=(Target("certified engineers", 2),)))
        add_certification(conn, Certification(None, acme, "Jo Park", "Security Expert",
                                               expires_on=date(2026, 4, 1)))
        add_certification(conn, Certification(None, acme, "Sam Lee", "Routing Associate"))
        add_benefit(conn, Benefit(None, acme, "Named partner manager", date(2025, 7, 1), met=False))
    with journal.reading() as conn:
        assert [t.tier for t in tier_history(conn)] == ["Silver", "Gold"]
        assert current_tier(conn, acme).targets == (Target("certified engineers", 2),)
        assert current_tier(conn, acme, as_of=date(2025, 1, 1)).tier == "Silver"
        assert [c.holder for c in certifications(conn)] == ["Jo Park", "Sam Lee"]
        assert [c.holder for c in certifications(conn, expiring_by=date(2026, 5, 1))] == ["Jo Park"]
        assert [b.met for b in benefits(conn, [acme])] == [False]
    v = journal.vendors.get(acme)
    assert (v.programme, v.tier) == ("Partner Network", "Gold")  # older screens see it too


def test_search_says_what_kind_each_hit_is(journal, vendors):
    acme, boreal = vendors
    with journal.writing() as conn:
        add_registration(conn, Registration(None, acme, "Hôpital Saint-Luc", RegStatus.REJECTED,
                                            submitted_on=date(2026, 1, 1),
                                            decided_on=date(2026, 1, 5), reason="channel conflict"))
        add_money(conn, MoneyOwed(None, boreal, MoneyKind.RESIDUAL, 1, "USD", date(2026, 1, 1),
                                  dispute="residual cut after the buyout, no notice"))
        add_certification(conn, Certification(None, acme, "Jo Park", "Hospital networking"))
    with journal.reading() as conn:
        hits = search_ledger(conn, "hopital")
        assert [(h.kind, h.vendor) for h in hits] == [("registration", "Acme Networks")]
        assert {h.kind for h in search_ledger(conn, "hospital")} == {"certification"}
        assert [h.kind for h in search_ledger(conn, "buyout")] == ["money"]
        assert search_ledger(conn, "buyout", vendor_ids=[acme]) == []
        assert search_ledger(conn, "conflict")[0].title.endswith("rejected")
        assert search_ledger(conn, 'NEAR( "') == []  # operators are literal, never an error
    with journal.writing() as conn:
        conn.exec_driver_sql("DELETE FROM certification")
    with journal.reading() as conn:
        assert search_ledger(conn, "hospital") == []


def test_a_v3_journal_upgrades_to_the_ledger_with_a_backup(tmp_path):
    path = tmp_path / "old.sqlite3"
    before = MIGRATIONS[:MIGRATIONS.index(V_LEDGER)]
    with Journal.open(path, migrations=before) as j:
        vid = j.vendors.add("Legacy", programme="Old Programme", tier="Silver").id
        j.interactions.add(draft(vid, "Before the ledger"))
    assert "deal_registration" not in {r[0] for r in sqlite_rows(
        path, "SELECT name FROM sqlite_master")}
    with Journal.open(path) as j:
        assert j.schema_version() == LATEST_VERSION
        assert j.upgrade_backup is not None and j.upgrade_backup.exists()
        assert j.vendors.get(vid).tier == "Silver"
        with j.writing() as conn:
            add_registration(conn, Registration(None, vid, "After the upgrade"))
        with j.reading() as conn:
            assert [h.title for h in search_ledger(conn, "upgrade")] == [
                "After the upgrade — draft"]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
