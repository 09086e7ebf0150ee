"""The vendor page: header, contacts (who joined and who left), events, and the buttons."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from partnerdesk.domain.vocab import EventKind, Role
from partnerdesk.ui.vendor_dialogs import (
    AcquisitionDialog,
    ContactDialog,
    EventDialog,
    VendorDialog,
)
from partnerdesk.ui.vendor_page import VendorPage


def rows(model: QAbstractTableModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def double_click_row(view, row: int) -> None:
    pos = view.visualRect(view.model().index(row, 0)).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_header_contacts_and_events(session, shown, qwest):
    store = session.store()
    store.vendors.set_acquirer(qwest, store.vendors.resolve("CenturyLink").id, date(2011, 4, 1))
    store.events.add(qwest, date(2011, 4, 1), EventKind.ACQUISITION, "Acquired by CenturyLink")
    store.events.add(qwest, date(2012, 1, 1), EventKind.PROGRAMME_CHANGE, "Programme renamed")
    page = shown(VendorPage(session, qwest))

    assert not page.isModal()
    assert page.isSizeGripEnabled()
    assert page.title.text() == "Qwest (CenturyLink)"
    assert page.windowTitle().startswith("Qwest (CenturyLink)")
    assert page.facts["Programme"].text() == "Qwest Partner Program"
    assert page.facts["Tier"].text() == "Gold"
    assert page.facts["Domains"].text() == "qwest.com"
    assert page.facts["Acquired"].text() == "by CenturyLink on 2011-04-01"
    assert page.facts["Status"].text() == "active"

    assert rows(page.contacts_model) == [
        ["Ann Lee", "channel manager", "ann@qwest.com", "", "2019-01-01", ""],
        ["Bob Ray", "sales engineer", "", "", "", "left on 2020-06-30"],  # those who left: last
    ]
    still_there, left = (page.contacts_model.index(r, 0) for r in (0, 1))
    assert still_there.data(Qt.ItemDataRole.ForegroundRole) is None
    assert left.data(Qt.ItemDataRole.ForegroundRole) is not None  # dimmed
    assert page.contacts_label.text() == "&Contacts (2)"

    assert rows(page.events_model) == [  # newest first, as in the timeline
        ["2012-01-01", "programme change", "Programme renamed"],
        ["2011-04-01", "acquisition", "Acquired by CenturyLink"],
    ]
    assert [page.contacts_model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(6)] == ["Name", "Role", "Email", "Phone", "From", "To"]


def test_edit_vendor_from_the_page(session, shown, qwest):
    page = shown(VendorPage(session, qwest))
    page.edit_vendor.click()
    dlg = page.child_dialog
    assert isinstance(dlg, VendorDialog) and dlg.isVisible()
    dlg.programme.selectAll()
    QTest.keyClicks(dlg.programme, "Lumen Partner Program")
    QTest.keyClick(dlg.programme, Qt.Key.Key_Return)
    assert page.facts["Programme"].text() == "Lumen Partner Program"  # refreshed by the signal
    assert page.child_dialog is None


def test_archive_and_restore(session, shown, qwest, changes):
    page = shown(VendorPage(session, qwest))
    assert page.archive.text() == "&Archive"
    page.archive.click()
    assert session.store().vendors.get(qwest).archived
    assert page.facts["Status"].text().startswith("archived")
    assert page.archive.text() == "Rest&ore"
    page.archive.click()
    assert not session.store().vendors.get(qwest).archived
    assert changes == [("vendor", [qwest]), ("vendor", [qwest])]


def test_add_contact_from_the_page(session, shown, qwest):
    page = shown(VendorPage(session, qwest))
    page.add_contact.click()
    dlg = page.child_dialog
    assert isinstance(dlg, ContactDialog) and dlg.contact_id is None
    QTest.keyClicks(dlg.name, "Cara Diaz")
    QTest.keyClick(dlg.name, Qt.Key.Key_Return)
    assert [r[0] for r in rows(page.contacts_model)] == ["Ann Lee", "Cara Diaz", "Bob Ray"]


def test_edit_contact_by_double_click_and_by_enter(session, shown, qwest):
    page = shown(VendorPage(session, qwest))
    assert not page.edit_contact.isEnabled()  # nobody chosen yet
    double_click_row(page.contacts_view, 1)
    dlg = page.child_dialog
    assert isinstance(dlg, ContactDialog)
    assert dlg.name.text() == "Bob Ray"
    dlg.reject()
    assert page.child_dialog is None

    page.contacts_view.setFocus()
    page.contacts_view.selectRow(0)
    assert page.edit_contact.isEnabled()
    QTest.keyClick(page.contacts_view, Qt.Key.Key_Return)
    dlg = page.child_dialog
    assert isinstance(dlg, ContactDialog) and dlg.name.text() == "Ann Lee"
    dlg.role.setCurrentIndex(dlg.role.findData(Role.EXECUTIVE.value))
    dlg.ok.click()
    assert rows(page.contacts_model)[0][1] == "executive"
    assert page.contacts_view.selectionModel().selectedRows()[0].row() == 0  # kept selected


def test_add_event_and_record_acquisition_from_the_page(session, shown, qwest):
    page = shown(VendorPage(session, qwest))
    page.add_event.click()
    dlg = page.child_dialog
    assert isinstance(dlg, EventDialog)
    QTest.keyClicks(dlg.text, "New portal")
    dlg.ok.click()
    assert [r[2] for r in rows(page.events_model)] == ["New portal"]

    page.record_acquisition.click()
    dlg = page.child_dialog
    assert isinstance(dlg, AcquisitionDialog)
    dlg.acquirer.setCurrentIndex(dlg.acquirer.findText("CenturyLink"))
    dlg.ok.click()
    assert page.title.text() == "Qwest (CenturyLink)"
    assert "Acquired by CenturyLink" in [r[2] for r in rows(page.events_model)]


def test_page_follows_changes_made_elsewhere(session, shown, qwest):
    page = shown(VendorPage(session, qwest))
    session.store().contacts.add(qwest, "Dee Fox")
    session.notify("contact", [qwest])
    assert "Dee Fox" in [r[0] for r in rows(page.contacts_model)]
    century = session.store().vendors.resolve("CenturyLink").id
    session.store().vendors.set_acquirer(qwest, century, date(2011, 4, 1))
    session.store().vendors.update(century, name="Lumen")  # the buyer renamed
    session.notify("vendor", [century])
    assert page.title.text() == "Qwest (Lumen)"


def test_deleted_vendor_is_said_not_thrown(session, shown):
    v = session.store().vendors.add("Gone Inc")
    page = shown(VendorPage(session, v.id))
    session.store().vendors.delete(v.id)
    session.notify("vendor", [v.id])
    assert page.error.isVisible()
    assert "does not exist" in page.error.text()
    assert not page.add_contact.isEnabled()
    assert not page.edit_vendor.isEnabled()


def test_page_keyboard_mnemonics(session, shown, qwest):
    page = shown(VendorPage(session, qwest))
    QTest.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.contacts_view
    QTest.keyClick(page, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.events_view
    assert page.contacts_view.accessibleName() == "Contacts"
    assert page.events_view.accessibleName() == "Events"
