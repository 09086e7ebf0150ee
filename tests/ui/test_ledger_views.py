"""The ledger in the window, driven through its actions and keys: quick entry, the cross-vendor
view with filters and totals, two-keystroke status changes, payments, the vendor page's tabs,
undo."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from partnerdesk.domain.ledger import MoneyKind, MoneyOwed, Registration, RegStatus  # noqa: E402
from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.store.ledger import add_money, add_registration, registrations  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.session import JournalSession  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


def _window(qtbot, path: Path) -> MainWindow:
    session = JournalSession(path, journal=Journal.open(path))
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    with Journal.open(path) as j:
        acme = j.vendors.add("Acme Networks").id
        boreal = j.vendors.add("Borealis").id
        with j.writing() as c:
            add_registration(c, Registration(None, acme, "St Mary's Hospital", RegStatus.SUBMITTED,
                                             number="DR-1", value_minor=12_500_00, currency="EUR",
                                             submitted_on=date(2026, 1, 5)))
            add_registration(c, Registration(None, boreal, "Banco Norte", RegStatus.SUBMITTED,
                                             value_minor=500_00, currency="USD",
                                             submitted_on=date(2026, 1, 2)))
            add_money(c, MoneyOwed(None, acme, MoneyKind.COMMISSION, 1000_00, "USD",
                                   date(2026, 3, 31)))
    return path


def _close(win: MainWindow) -> None:
    win.close()
    win.session.close()


def _reg_status(path: Path) -> dict[str, str]:
    with Journal.open(path) as j, j.reading() as c:
        return {r.customer: r.status.value for r in registrations(c)}


def test_cross_vendor_view_two_keystrokes_and_undo(qtbot, filled):
    win = _window(qtbot, filled)
    win.act_ledger.trigger()
    view = win.ledger_window
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    panel = view.registrations
    assert panel.model.rowCount() == 2
    assert panel.totals.text() == "2 registrations · EUR 12,500.00 · USD 500.00"
    # Filter to one vendor: the totals follow.
    panel.vendor_filter.setCurrentIndex(panel.vendor_filter.findText("Borealis"))
    assert panel.totals.text() == "1 registration · USD 500.00"
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("won"))
    assert panel.totals.text() == ("0 registrations match the filters; widen them, or add one "
                                   "with Add registration…")
    panel.status_filter.setCurrentIndex(0)
    panel.vendor_filter.setCurrentIndex(0)
    panel.view.setFocus()
    panel.view.selectRow(0)
    assert panel.selected().customer == "St Mary's Hospital"
    QTest.keyClick(panel.view, Qt.Key.Key_S)
    QTest.keyClick(panel.view, Qt.Key.Key_R)
    assert _reg_status(filled)["St Mary's Hospital"] == "rejected"
    row = panel.model.row_of(panel.selected().id)
    assert panel.model.index(row, 8).data() == "no reason given"
    win.act_undo.trigger()
    assert _reg_status(filled)["St Mary's Hospital"] == "submitted"
    assert panel.selected().status is RegStatus.SUBMITTED  # the view followed the undo
    win.act_redo.trigger()
    assert _reg_status(filled)["St Mary's Hospital"] == "rejected"
    # A move the rules forbid is one sentence in the panel, not a crash.
    QTest.keyClick(panel.view, Qt.Key.Key_S)
    QTest.keyClick(panel.view, Qt.Key.Key_W)
    assert "cannot become won" in panel.error.text()
    _close(win)


def _payment_dialog(qtbot, win: MainWindow) -> tuple[Any, Any]:
    """The cross-vendor view's money tab, its first row selected and P pressed: the panel and
    the Record payment dialog."""
    win.act_ledger.trigger()
    money = win.ledger_window.money
    win.ledger_window.activateWindow()
    qtbot.waitUntil(win.ledger_window.isActiveWindow, timeout=2000)
    win.ledger_window.tabs.setCurrentWidget(money)
    money.view.setFocus()
    money.view.selectRow(0)
    QTest.keyClick(money.view, Qt.Key.Key_P)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.windowTitle().startswith("Record payment") and w.isVisible())
    return money, dialog


def test_record_a_payment_with_p(qtbot, filled):
    win = _window(qtbot, filled)
    money, dialog = _payment_dialog(qtbot, win)
    dialog.amount.setText("800")
    dialog.on.setText("2026-04-10")
    QTest.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert ("USD: expected 1,000.00, paid 800.00, outstanding 0.00, short 200.00"
            in money.totals.text())
    assert money.model.index(0, 7).data() == "short"
    win.act_undo.trigger()
    assert "paid 0.00, outstanding 1,000.00" in money.totals.text()
    # Delete removes it; undo brings it back with the same id.
    kept = money.selected()
    QTest.keyClick(money.view, Qt.Key.Key_Delete)
    assert money.model.rowCount() == 0 and money.totals.text() == (
        "0 items of money owed yet; add the first with Add money owed…")
    win.act_undo.trigger()
    assert money.model.rowCount() == 1 and money.selected() == kept
    _close(win)


def test_a_payment_dated_in_the_future_keeps_the_dialog_open(qtbot, filled):
    win = _window(qtbot, filled)
    money, dialog = _payment_dialog(qtbot, win)
    dialog.on.setText("2099-04-10")
    QTest.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.isVisible() and "in the future" in dialog.error.text()
    assert "paid 0.00, outstanding 1,000.00" in money.totals.text()  # nothing written
    dialog.reject()
    _close(win)


def test_quick_entry_from_the_menu_with_a_vendor_selected(qtbot, filled):
    win = _window(qtbot, filled)
    win.vendor_view.setCurrentIndex(win.vendor_model.index(win.vendor_model.row_of(
        next(v.id for v in win.session.store().vendors.all() if v.name == "Borealis"))))
    win.act_ledger_entry.trigger()
    dialog = win.ledger_entry
    assert dialog.vendor.currentText() == "Borealis"
    QTest.keyClicks(dialog.customer, "Harbor City Council")
    dialog.amount.setText("2,000")
    QTest.keyClick(dialog.customer, Qt.Key.Key_Return)
    assert "Saved registration Harbor City Council (submitted)" in dialog.saved_line.text()
    assert dialog.isVisible() and dialog.customer.text() == ""  # ready for the next one
    # Money next, same dialog: a bad currency is one sentence, nothing saved.
    dialog.kind.setCurrentIndex(dialog.kind.findData("money"))
    dialog.amount.setText("100")
    dialog.currency.setText("XYZ")
    dialog.due.setText("2026-05-01")
    QTest.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "not a currency code" in dialog.error.text()
    dialog.currency.setText("usd")
    QTest.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "Saved money owed" not in dialog.saved_line.text()
    assert "Saved commission USD 100.00 due 2026-05-01" in dialog.saved_line.text()
    dialog.reject()
    assert "Harbor City Council" in _reg_status(filled)
    _close(win)


def test_quick_entry_of_a_decided_registration_does_not_invent_a_zero_day_decision(
        qtbot, filled):
    # One date on the form: for an approved registration it is the decision's day. Taking it as
    # the submission too made every such entry a 0-day decision in the economics measures.
    win = _window(qtbot, filled)
    win.act_ledger_entry.trigger()
    dialog = win.ledger_entry
    QTest.keyClicks(dialog.customer, "Pier 9 Logistics")
    dialog.status.setCurrentIndex(dialog.status.findData(RegStatus.APPROVED.value))
    dialog.on.setText("2026-02-10")
    QTest.keyClick(dialog.customer, Qt.Key.Key_Return)
    assert "Saved registration Pier 9 Logistics (approved)" in dialog.saved_line.text()
    dialog.reject()
    with Journal.open(filled) as j, j.reading() as c:
        reg = next(r for r in registrations(c) if r.customer == "Pier 9 Logistics")
    assert reg.decided_on == date(2026, 2, 10) and reg.days_to_decision is None
    _close(win)


def test_quick_entry_on_an_empty_journal_says_what_to_do(qtbot, tmp_path):
    win = _window(qtbot, tmp_path / "empty.sqlite3")
    win.act_ledger_entry.trigger()
    dialog = win.ledger_entry
    assert not dialog.ok.isEnabled()
    assert dialog.ok.toolTip() == "There are no vendors yet; add a vendor first."
    assert not dialog.error.isHidden() and dialog.error.text() == dialog.ok.toolTip()
    dialog.reject()
    win.act_ledger.trigger()
    assert win.ledger_window.registrations.totals.text() == (
        "0 registrations yet; add the first with Add registration…")
    assert win.ledger_window.money.model.rowCount() == 0
    _close(win)


def vendor_page(win: MainWindow, name: str) -> tuple[int, Any]:
    """Select the vendor in the list and open its page through the window's action."""
    from partnerdesk.ui.vendor_page import VendorPage

    vid = next(v.id for v in win.session.store().vendors.all() if v.name == name)
    win.vendor_view.setCurrentIndex(win.vendor_model.index(win.vendor_model.row_of(vid)))
    win.act_vendor_page.trigger()
    return vid, next(w for w in win.findChildren(VendorPage))


def test_vendor_page_has_ledger_tabs(qtbot, filled):
    win = _window(qtbot, filled)
    acme, page = vendor_page(win, "Acme Networks")
    tabs = page.ledger_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Contacts and &history", "&Registrations", "&Money", "&Programme"]
    assert page.ledger_registrations.model.rowCount() == 1  # only this vendor's
    assert page.ledger_money.totals.text().startswith("1 item of money owed")
    programme = page.ledger_programme
    assert programme.current.text() == "No tier recorded yet."
    from partnerdesk.ui.ledger_dialogs import BenefitDialog, TierDialog

    t = TierDialog(win.session, acme, None, programme)
    t.tier.setText("Gold")
    t.programme.setText("Acme Partner Network")
    t.accept()
    assert programme.current.text().startswith("Tier: Gold in Acme Partner Network")
    b = BenefitDialog(win.session, acme, programme)
    b.text.setText("Named partner manager")
    b.accept()
    tabs.setCurrentWidget(programme)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    programme.benefits_view.setFocus()
    programme.benefits_view.selectRow(0)
    QTest.keyClick(programme.benefits_view, Qt.Key.Key_M)
    assert programme.benefits.index(0, 2).data() == "NOT MET"
    win.act_undo.trigger()
    assert programme.benefits.index(0, 2).data() == "met"
    page.close()
    _close(win)
