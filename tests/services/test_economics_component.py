"""Economics in the health score: joins with ledger data, left out without, says why in plain
words, and shows on both sides of an event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from partnerdesk.domain.health_types import Period
from partnerdesk.domain.ledger import MoneyKind, MoneyOwed, Registration, RegStatus
from partnerdesk.domain.vocab import Tag
from partnerdesk.services import economics_component
from partnerdesk.services.economics_component import SOURCE, measures_at
from partnerdesk.services.health import before_after, before_after_lines, explain, vendor_health
from partnerdesk.store.ledger import add_money, add_registration
from partnerdesk.store.lite import LiteJournal
from tests.helpers import draft

TODAY = date(2026, 6, 30)


@pytest.fixture
def installed():
    """Health installs economics when it loads; a test that takes it out puts it back."""
    economics_component.install()  # once, however often it is called
    yield
    economics_component.install()


def test_health_installs_economics_once():
    from partnerdesk.services import health

    assert [s.name for s in health._SOURCES].count("economics") == 1


@pytest.fixture
def acme(journal):
    vid = journal.vendors.add("Acme Networks").id
    day = datetime(2025, 1, 6, 15, tzinfo=UTC)
    journal.interactions.add_many([draft(vid, f"Call {k}", tag=Tag.HELPFUL,
                                         at=day + timedelta(days=7 * k))
                                   for k in range(78)], skip_existing=False)  # to June 2026
    return vid


def _reg(vid, status, sub, dec, reason=""):
    return Registration(None, vid, "Customer", status, submitted_on=sub, decided_on=dec,
                        reason=reason)


def _money(vid, due, paid_minor=None, paid_on=None, expected=1000_00):
    return MoneyOwed(None, vid, MoneyKind.COMMISSION, expected, "USD", due,
                     paid_minor=paid_minor, paid_on=paid_on)


@pytest.fixture
def soured(journal, acme):
    """Before 1 Mar 2026 every registration approved in 5 days and every payment on time;
    after it 3 of 5 rejected (2 without a reason) after 30 days, 2 payments late, 1 short."""
    with journal.writing() as c:
        for m in range(9, 15):  # Sep 2025 .. Feb 2026
            y, mo = 2025 + (m - 1) // 12, (m - 1) % 12 + 1
            add_registration(c, _reg(acme, RegStatus.APPROVED, date(y, mo, 1), date(y, mo, 6)))
            add_money(c, _money(acme, date(y, mo, 20), 1000_00, date(y, mo, 18)))
        for k, status in enumerate([RegStatus.REJECTED] * 3 + [RegStatus.APPROVED] * 2):
            add_registration(c, _reg(acme, status, date(2026, 3, 2 + k), date(2026, 4, 1 + k),
                                     reason="channel conflict" if k == 0 else ""))
        add_money(c, _money(acme, date(2026, 3, 20), 1000_00, date(2026, 4, 20)))  # late
        add_money(c, _money(acme, date(2026, 4, 20), 1000_00, date(2026, 4, 19)))
        add_money(c, _money(acme, date(2026, 5, 20), 880_00, date(2026, 5, 19),
                            expected=2080_00))  # short by 1,200.00
        add_money(c, _money(acme, date(2026, 6, 10)))  # unpaid: late
    return acme


def test_without_ledger_data_economics_is_left_out(journal, acme, installed):
    point = vendor_health(journal, acme, Period.QUARTER, today=TODAY)[-1]
    assert "economics" not in {c.name for c in point.components}
    assert not any("registration" in line for line in explain(point))
    ba = before_after(journal, acme, date(2026, 3, 1), months=3, today=TODAY)
    assert ba.extra == ()


def test_with_ledger_data_economics_joins_and_says_why(journal, soured, installed):
    bare = economics_component.uninstall
    point = vendor_health(journal, soured, Period.QUARTER, today=TODAY)[-1]
    econ = next(c for c in point.components if c.name == "economics")
    assert abs(sum(c.weight for c in point.components) - 1) < 1e-9
    why = " ".join(explain(point))
    assert ("3 of 11 registrations rejected in the last 12 months, 2 without a reason"
            in econ.detail)
    assert "2 late, 1 short by USD 1,200.00" in econ.detail
    assert "Economics:" in why
    bare()
    plain = vendor_health(journal, soured, Period.QUARTER, today=TODAY)[-1]
    economics_component.install()
    assert "economics" not in {c.name for c in plain.components}
    assert point.score < plain.score  # a vendor that stopped paying and approving scores lower


def test_values_match_the_period_measures_on_either_connection(journal, soured, db_path):
    with LiteJournal(db_path).reading() as conn:
        lite = SOURCE.values(conn, soured, [date(2025, 1, 1), TODAY])
        many = SOURCE.values_many(conn, [soured], [date(2025, 1, 1), TODAY])
    with journal.reading() as conn:
        alchemy = SOURCE.values(conn, soured, [date(2025, 1, 1), TODAY])
        m = measures_at(conn, soured, TODAY)
    assert lite == alchemy == many[soured]
    assert lite[0] is None and lite[1] == (m.score, m.explanation.rstrip("."))
    assert (m.decided, m.rejected, m.payments_due, m.paid_in_full_on_time, m.late, m.short) == (
        11, 3, 10, 7, 2, 1)


def test_money_due_on_the_day_itself_is_not_late_yet(journal, acme):
    with journal.writing() as c:
        add_money(c, _money(acme, TODAY))
    with journal.reading() as conn:
        m = measures_at(conn, acme, TODAY)
        later = measures_at(conn, acme, TODAY + timedelta(days=1))
    assert (m.payments_due, m.late) == (1, 0) and later.late == 1


def test_before_and_after_show_the_ledger_measures(journal, soured, installed):
    ba = before_after(journal, soured, date(2026, 3, 1), months=6, today=TODAY)
    rows = {r[0]: r for r in before_after_lines(ba)}
    approved = rows["Registrations approved"]
    assert approved[1].startswith("100% (") and approved[2].startswith("40% (")
    assert approved[3] == "down, beyond chance"
    days = rows["Days to a decision (median)"]
    assert days[1].startswith("5 days (") and days[2].startswith("30 days (")
    assert days[3] == "slower, beyond chance"  # not "up", which reads (and is coloured) as good
    paid = rows["Paid in full and on time"]
    assert paid[1].startswith("100% (") and paid[2].startswith("25% (")
    thin = before_after(journal, soured, date(2026, 6, 1), months=1, today=TODAY)
    rows = {r[0]: r for r in before_after_lines(thin)}
    assert rows["Registrations approved"][2] == "no data"
    assert rows["Paid in full and on time"][2] == "0% (too little data)"
    assert rows["Paid in full and on time"][3] == "too little data to tell"
