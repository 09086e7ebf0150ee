"""The portfolio's details row: the selected vendor's registrations and money for the period,
with the events that changed them; it follows the selection, the period and ledger changes."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QItemSelectionModel

from partnerdesk.domain.ledger import MoneyKind, MoneyOwed, Registration, RegStatus
from partnerdesk.domain.vocab import EventKind
from partnerdesk.services.ledger_measures import today_in_journal
from partnerdesk.store.ledger import add_money, add_registration
from partnerdesk.ui.ledger_models import LEDGER
from partnerdesk.ui.portfolio import COL_VENDOR, VENDOR_ID_ROLE, PortfolioView


def _select(view: PortfolioView, vendor_id: int) -> None:
    p = view.proxy
    row = next(r for r in range(p.rowCount()) if p.index(r, 0).data(VENDOR_ID_ROLE) == vendor_id)
    view.view.selectionModel().setCurrentIndex(
        p.index(row, COL_VENDOR), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)


def test_the_selected_vendors_ledger_shows_under_the_table(qtbot, session, journal):
    acme = journal.vendors.add("Acme Networks").id
    quiet = journal.vendors.add("Quiet Vendor").id
    with journal.reading() as conn:
        today = today_in_journal(conn)
    journal.events.add(acme, today, EventKind.COMPENSATION_CHANGE, "residuals cut")
    with journal.writing() as c:
        add_registration(c, Registration(None, acme, "Globex", RegStatus.REJECTED,
                                         submitted_on=today - timedelta(days=0),
                                         decided_on=today))
        add_money(c, MoneyOwed(None, acme, MoneyKind.RESIDUAL, 2000_00, "EUR", today,
                               paid_minor=800_00, paid_on=today))
    view = PortfolioView(session)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10000)
    assert "Select a vendor" in view.ledger.text.text()
    _select(view, acme)
    text = view.ledger.text.text()
    assert "Acme Networks" in text and "ledger this quarter" in text
    assert "EUR 2,000.00 expected, 800.00 paid, 0.00 outstanding, 1,200.00 short" in text
    assert "1 registration submitted; 0 approved, 1 rejected (1 without a reason)" in text
    assert "Compensation change: residuals cut" in text
    _select(view, quiet)
    assert "no registrations, money due or programme changes" in view.ledger.text.text()
    # A payment recorded elsewhere shows once the session says the ledger changed.
    with journal.writing() as c:
        add_money(c, MoneyOwed(None, quiet, MoneyKind.SPIFF, 500_00, "USD", today))
    session.notify(LEDGER, None)
    qtbot.waitUntil(lambda: "USD 500.00 expected" in view.ledger.text.text(), timeout=3000)
    view.period.setCurrentIndex(view.period.findData("month"))
    qtbot.waitUntil(lambda: "ledger this month" in view.ledger.text.text(), timeout=10000)
