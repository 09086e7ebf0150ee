"""Measures per vendor and period, the economics component, and due items."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from partnerdesk.domain.ledger import (
    Benefit,
    Certification,
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    TierChange,
)
from partnerdesk.services.economics import economics, speed_part
from partnerdesk.services.ledger_measures import (
    journal_zone,
    ledger_due,
    ledger_measures,
    today_in_journal,
)
from partnerdesk.store.ledger import add_money, add_registration
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.programme import add_benefit, add_certification, set_tier
from partnerdesk.store.settings import set_setting

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 10)


@pytest.fixture
def acme(journal):
    return journal.vendors.add("Acme Networks").id


def _reg(vid, status, sub, dec=None, reason="", expires=None, customer="C"):
    return Registration(None, vid, customer, status, submitted_on=sub, decided_on=dec,
                        reason=reason, expires_on=expires)


@pytest.fixture
def filled(journal, acme):
    """Five decisions in Q1 (3 rejected, 2 without a reason), money in two currencies."""
    with journal.writing() as c:
        add_registration(c, _reg(acme, RegStatus.APPROVED, date(2026, 1, 2), date(2026, 1, 6),
                                 expires=date(2026, 4, 30)))
        add_registration(c, _reg(acme, RegStatus.WON, date(2026, 1, 5), date(2026, 1, 25)))
        add_registration(c, _reg(acme, RegStatus.REJECTED, date(2026, 2, 1), date(2026, 2, 11),
                                 reason="channel conflict"))
        add_registration(c, _reg(acme, RegStatus.REJECTED, date(2026, 2, 3), date(2026, 2, 15)))
        add_registration(c, _reg(acme, RegStatus.REJECTED, date(2026, 3, 1), date(2026, 3, 31)))
        add_registration(c, _reg(acme, RegStatus.SUBMITTED, date(2026, 3, 20)))
        add_registration(c, _reg(acme, RegStatus.DRAFT, None))
        usd = dict(vendor_id=acme, currency="USD", id=None)
        add_money(c, MoneyOwed(kind=MoneyKind.COMMISSION, expected_minor=1000_00,
                               due_on=date(2026, 1, 31), paid_minor=1000_00,
                               paid_on=date(2026, 1, 30), **usd))  # in full, on time
        add_money(c, MoneyOwed(kind=MoneyKind.RESIDUAL, expected_minor=500_00,
                               due_on=date(2026, 2, 28), paid_minor=350_00,
                               paid_on=date(2026, 3, 15), **usd))  # short and 15 days late
        add_money(c, MoneyOwed(kind=MoneyKind.SPIFF, expected_minor=200_00,
                               due_on=date(2026, 3, 31), **usd))  # unpaid, 10 days late
        add_money(c, MoneyOwed(None, acme, MoneyKind.MDF, 300_000, "JPY", date(2026, 3, 31),
                               claim_deadline=date(2026, 4, 20)))  # MDF to claim
        add_money(c, MoneyOwed(None, acme, MoneyKind.MDF, 100_000, "JPY", date(2026, 2, 28),
                               claim_deadline=date(2026, 3, 1)))  # lapsed unclaimed
        set_tier(c, TierChange(None, acme, "Partner Network", "Gold", date(2025, 6, 1)))
        set_tier(c, TierChange(None, acme, "Partner Network", "Silver", date(2026, 2, 15)))
        add_certification(c, Certification(None, acme, "Jo Park", "Security Expert",
                                           expires_on=date(2026, 5, 1)))
        add_certification(c, Certification(None, acme, "Sam Lee", "Associate",
                                           expires_on=date(2027, 5, 1)))
        add_benefit(c, Benefit(None, acme, "Deal registration discount 15%", date(2025, 6, 1)))
        add_benefit(c, Benefit(None, acme, "Named partner manager", date(2025, 6, 1), met=False))


def test_measures_per_vendor_and_period(journal, acme, filled, db_path):
    with LiteJournal(db_path).reading() as conn:  # the standard-library path
        m = ledger_measures(conn, acme, *Q1, today=TODAY)
    r = m.registrations
    assert (r.submitted, r.approved, r.rejected, r.rejected_without_reason) == (6, 2, 3, 2)
    assert (r.pending, r.expiring_soon, r.won) == (1, 1, 1)
    assert r.median_days_to_decision == 12  # 4, 20, 10, 12, 30
    assert r.approval_rate == pytest.approx(0.4)
    jpy, usd = m.money
    assert (usd.currency, usd.expected, usd.paid, usd.outstanding, usd.shortfall) == (
        "USD", 1700_00, 1350_00, 200_00, 150_00)
    assert (usd.judged, usd.in_full_on_time, usd.late, usd.short, usd.days_late_max) == (
        3, 1, 2, 1, 15)
    assert (jpy.currency, jpy.mdf_unclaimed, jpy.mdf_lapsed) == ("JPY", 300_000, 100_000)
    p = m.programme
    assert p.tier.tier == "Silver" and [t.tier for t in p.changes] == ["Silver"]
    assert [c.holder for c in p.certifications_expiring] == ["Jo Park"]
    assert len(p.benefits_met) == 1 and len(p.benefits_not_met) == 1
    assert not m.empty


def test_all_vendors_and_an_empty_period(journal, acme, filled):
    with journal.reading() as conn:
        assert ledger_measures(conn, None, *Q1, today=TODAY).registrations.submitted == 6
        empty = ledger_measures(conn, acme, date(2020, 1, 1), date(2020, 3, 31), today=TODAY)
    assert empty.money == () and empty.registrations.decided == 0


def test_economics_with_data_explains_in_plain_words(journal, acme, filled):
    with journal.reading() as conn:
        e = economics(conn, acme, *Q1, today=TODAY, period_word="this quarter")
    assert e is not None
    assert e.explanation.startswith(
        "3 of 5 registrations rejected this quarter, 2 without a reason")
    assert "1 of 3 payments in full and on time (2 late, 1 short by USD 150.00)" in e.explanation
    assert e.approval == pytest.approx(0.4)
    assert e.speed == pytest.approx(speed_part(12))
    assert e.payments == pytest.approx(1 / 3)
    # The score pulls thin shares toward the usual (2 + 2 × 0.8) / (5 + 2), (1 + 2 × 0.9) / (3 + 2)
    assert e.score == pytest.approx(round(100 * (3.6 / 7 + speed_part(12) + 2.8 / 5) / 3, 1))
    assert e.evidence == 8


def test_economics_without_data_is_none(journal, acme):
    with journal.reading() as conn:
        assert economics(conn, acme, *Q1, today=TODAY) is None
        add = journal.vendors.add("Other").id
    with journal.writing() as c:  # money not yet due is no evidence either
        add_money(c, MoneyOwed(None, add, MoneyKind.COMMISSION, 1, "USD", date(2026, 3, 31)))
    with journal.reading() as conn:
        assert economics(conn, add, *Q1, today=date(2026, 3, 1)) is None
        assert economics(conn, add, *Q1, today=TODAY) is not None


def test_economics_all_approved_reads_well(journal, acme):
    with journal.writing() as c:
        add_registration(c, _reg(acme, RegStatus.APPROVED, date(2026, 1, 2), date(2026, 1, 4)))
    with journal.reading() as conn:
        e = economics(conn, acme, *Q1, today=TODAY)
    assert e.explanation == ("All 1 registration approved this period; decisions took 2 days "
                             "(median).")
    assert e.score == pytest.approx(round(100 * ((1 + 1.6) / 3 + 1) / 2, 1))
    assert e.approval == 1.0 and e.payments is None


def test_due_items_within_thirty_days(journal, acme, filled):
    with journal.reading() as conn:
        due = ledger_due(conn, TODAY)
    assert [(d.kind, d.due) for d in due] == [
        ("mdf", date(2026, 4, 20)), ("registration", date(2026, 4, 30)),
        ("certification", date(2026, 5, 1))]
    assert due[0].what == "Claim MDF before the deadline: JPY 300,000"
    with journal.reading() as conn:
        assert ledger_due(conn, TODAY, vendor_ids=[]) == []


def test_today_follows_the_journals_time_zone(journal, acme):
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    with journal.writing() as c:
        set_setting(c, "timezone", "Australia/Sydney")
    with journal.reading() as conn:
        assert str(journal_zone(conn)) == "Australia/Sydney"
        assert today_in_journal(conn, moment) == date(2026, 4, 1)
    with journal.writing() as c:
        set_setting(c, "timezone", "America/New_York")
    with journal.reading() as conn:
        assert today_in_journal(conn, moment) == date(2026, 3, 31)
    with journal.writing() as c:
        set_setting(c, "timezone", "Not/AZone")
    with journal.reading() as conn:
        assert journal_zone(conn) is None  # a bad value falls back to the machine's zone


def test_benefits_count_as_standing_promises(journal, acme, filled):
    from partnerdesk.store.programme import benefit_promises

    with journal.reading() as conn:
        promises = benefit_promises(conn, [acme])
    met, unmet = sorted(promises, key=lambda p: p.is_open)
    assert not met.is_open and met.what.startswith("Deal registration discount")
    assert unmet.is_open and unmet.is_overdue(TODAY) and unmet.item_id < 0
