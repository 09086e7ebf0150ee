"""A vendor's ledger over a period, as the portfolio and the quarterly PDF show it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from partnerdesk.domain.ledger import MoneyKind, MoneyOwed, Registration, RegStatus, TierChange
from partnerdesk.domain.vocab import EventKind
from partnerdesk.services.ledger_period import (
    changes_text,
    ledger_period,
    money_text,
    registrations_text,
)
from partnerdesk.services.quarterly_report import build_quarterly_report
from partnerdesk.store.ledger import add_money, add_registration
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.programme import set_tier
from tests.services.pdf_checks import needs_pdf_tools, qpdf_ok, text_of

TODAY = date(2026, 10, 15)
Q3 = (date(2026, 7, 1), date(2026, 9, 30))


@pytest.fixture
def acme(journal):
    vid = journal.vendors.add("Acme Networks").id
    journal.events.add(vid, date(2026, 8, 10), EventKind.COMPENSATION_CHANGE, "residuals cut")
    journal.events.add(vid, date(2026, 8, 12), EventKind.CONTACT_CHANGE, "new channel manager")
    journal.events.add(vid, date(2026, 3, 1), EventKind.PROGRAMME_CHANGE, "before the quarter")
    with journal.writing() as c:
        set_tier(c, TierChange(None, vid, "Partner Network", "Gold", date(2025, 6, 1)))
        set_tier(c, TierChange(None, vid, "Partner Network", "Silver", date(2026, 9, 1)))
        for k, (status, reason) in enumerate([(RegStatus.APPROVED, ""),
                                              (RegStatus.REJECTED, ""),
                                              (RegStatus.REJECTED, "channel conflict")]):
            add_registration(c, Registration(None, vid, f"Customer {k}", status,
                                             submitted_on=date(2026, 7, 1 + k),
                                             decided_on=date(2026, 7, 11 + 2 * k), reason=reason))
        add_money(c, MoneyOwed(None, vid, MoneyKind.RESIDUAL, 2000_00, "USD", date(2026, 7, 31),
                               paid_minor=800_00, paid_on=date(2026, 8, 3)))
        add_money(c, MoneyOwed(None, vid, MoneyKind.COMMISSION, 500_00, "USD", date(2026, 9, 30)))
        add_money(c, MoneyOwed(None, vid, MoneyKind.SPIFF, 30_000, "JPY", date(2026, 8, 30),
                               paid_minor=30_000, paid_on=date(2026, 8, 30)))
    return vid


def test_money_per_currency_registrations_and_what_changed(journal, acme, db_path):
    with LiteJournal(db_path).reading() as conn:
        lp = ledger_period(conn, acme, *Q3, TODAY)
    assert money_text(lp) == ("JPY 30,000 expected, 30,000 paid, 0 outstanding; "
                              "USD 2,500.00 expected, 800.00 paid, 500.00 outstanding, "
                              "1,200.00 short.")
    assert registrations_text(lp) == ("3 registrations submitted; 1 approved, 2 rejected "
                                      "(1 without a reason); decisions took 11 days (median).")
    assert changes_text(lp) == ("Compensation change: residuals cut 10 Aug; "
                                "Tier Gold → Silver (Partner Network) 1 Sep.")
    assert not lp.empty


def test_a_quiet_period_is_empty_and_says_so(journal, acme):
    with journal.reading() as conn:
        lp = ledger_period(conn, acme, date(2024, 1, 1), date(2024, 3, 31), TODAY)
    assert lp.empty
    assert money_text(lp) == "No money due in the period."
    assert registrations_text(lp) == "No registrations submitted or decided in the period."
    assert changes_text(lp) == ""


@needs_pdf_tools
def test_the_quarterly_pdf_has_the_ledger_on_the_vendor_page(journal, acme, tmp_path: Path):
    quiet = journal.vendors.add("Quiet Vendor").id
    out = build_quarterly_report(journal, "2026Q3", tmp_path / "q.pdf", today=TODAY,
                                 vendor_ids=[acme, quiet])
    qpdf_ok(out)
    text = " ".join(text_of(out).split())
    assert text.count("The ledger in Q3 2026") == 1  # the quiet vendor has none
    assert "2,500.00" in text and "1,200.00" in text and "30,000" in text
    assert "1 approved, 2 rejected (1 without a reason)" in text
    assert "10 Aug · Compensation change: residuals cut" in text
    assert "1 Sep · Tier Gold → Silver" in text
