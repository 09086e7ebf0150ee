"""The vendor, acquisition, contact, event and settings dialogs, driven from the keyboard."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from partnerdesk.domain.vocab import EventKind, Role
from partnerdesk.store.journal import Journal
from partnerdesk.ui.session import JournalSession
from partnerdesk.ui.settings_dialog import SettingsDialog
from partnerdesk.ui.vendor_dialogs import (
    AcquisitionDialog,
    ContactDialog,
    EventDialog,
    VendorDialog,
)


def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(widget, key, modifier)


def focused():
    return QApplication.focusWidget()


# -- VendorDialog ------------------------------------------------------------------------
def test_add_vendor_from_the_keyboard(session, shown, changes):
    dlg = shown(VendorDialog(session))
    assert not dlg.ok.isEnabled()  # nothing typed yet
    assert not dlg.error.isVisible()  # and no scolding for it
    assert not dlg.archived.isVisible()  # only an existing vendor can be archived
    assert focused() is dlg.name  # the fields come first in the tab order, not the buttons
    QTest.keyClicks(focused(), "Lumen")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "Lumen Partner Program")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "Gold")
    press(dlg, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # the Domains mnemonic
    assert focused() is dlg.domains
    QTest.keyClicks(focused(), "lumen.com, https://www.Level3.com/partners")
    assert dlg.ok.isEnabled()
    press(focused(), Qt.Key.Key_Return)

    assert dlg.result() == QDialog.DialogCode.Accepted
    v = session.store().vendors.get(dlg.vendor_id)
    assert (v.name, v.programme, v.tier) == ("Lumen", "Lumen Partner Program", "Gold")
    assert v.domains == ("level3.com", "lumen.com")
    assert changes == [("vendor", [v.id])]


def test_vendor_dialog_has_accessible_names_and_buddies(session):
    dlg = VendorDialog(session)
    for field, name in ((dlg.name, "Name"), (dlg.programme, "Programme"), (dlg.tier, "Tier"),
                        (dlg.domains, "Domains"), (dlg.notes, "Notes")):
        assert field.accessibleName() == name
        assert dlg.form.labelForField(field).buddy() is field


def test_vendor_name_emptied_says_so_and_blocks_ok(session, shown):
    dlg = shown(VendorDialog(session))
    QTest.keyClicks(dlg.name, "Q")
    assert dlg.ok.isEnabled()
    press(dlg.name, Qt.Key.Key_Backspace)
    assert not dlg.ok.isEnabled()
    assert dlg.error.isVisible()
    assert dlg.error.text() == "The vendor name is empty; type a name."
    QTest.keyClicks(dlg.name, "   ")  # spaces are not a name either
    assert not dlg.ok.isEnabled()


def test_duplicate_vendor_name_is_shown_inline_and_keeps_the_text(session, shown, qwest):
    dlg = shown(VendorDialog(session))
    QTest.keyClicks(dlg.name, "qwest")
    QTest.keyClicks(dlg.programme, "typed with care")
    press(dlg.name, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error.text().lower() == (
        "a vendor named 'qwest' already exists; pick another name or edit that one.")
    assert dlg.programme.text() == "typed with care"
    assert dlg.vendor_id is None
    QTest.keyClicks(dlg.name, "2")  # typing again clears the old complaint
    assert not dlg.error.isVisible()


def test_bad_domain_is_explained(session, shown):
    dlg = shown(VendorDialog(session))
    QTest.keyClicks(dlg.name, "Acme")
    QTest.keyClicks(dlg.domains, "acme.com, not_a_domain")
    press(dlg.domains, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert dlg.error.text() == "'not_a_domain' is not a domain; give one like example.com."
    assert [v.name for v in session.store().vendors.all()] == []


def test_domain_of_another_vendor_is_refused(session, shown, qwest):
    dlg = shown(VendorDialog(session))
    QTest.keyClicks(dlg.name, "Acme")
    QTest.keyClicks(dlg.domains, "qwest.com")
    press(dlg.domains, Qt.Key.Key_Return)
    assert dlg.error.text() == (
        "The domain qwest.com already belongs to Qwest; remove it there first.")


def test_edit_vendor_and_archive_it(session, shown, qwest, changes):
    dlg = shown(VendorDialog(session, qwest))
    assert dlg.name.text() == "Qwest"
    assert dlg.domains.text() == "qwest.com"
    assert dlg.tier.currentText() == "Gold"
    dlg.programme.selectAll()
    QTest.keyClicks(dlg.programme, "Lumen Partner Program")
    dlg.archived.setFocus()
    press(dlg.archived, Qt.Key.Key_Space)
    dlg.ok.click()
    v = session.store().vendors.get(qwest)
    assert v.programme == "Lumen Partner Program"
    assert v.archived
    assert v.domains == ("qwest.com",)
    assert changes == [("vendor", [qwest])]


def test_missing_vendor_is_a_message_not_a_traceback(session, shown):
    dlg = shown(VendorDialog(session, 9999))
    assert dlg.error.text() == "Vendor #9999 does not exist (it may have been deleted)."
    assert not dlg.ok.isEnabled()
    dlg.accept()  # even forced, nothing happens
    assert dlg.isVisible()


def test_read_only_journal_is_explained(tmp_path, shown, qwest, journal):
    ro = Journal.open(journal.path, read_only=True)
    session = JournalSession(journal.path, journal=ro)
    try:
        dlg = shown(VendorDialog(session))
        QTest.keyClicks(dlg.name, "Acme")
        press(dlg.name, Qt.Key.Key_Return)
        assert dlg.isVisible()
        assert dlg.error.text() == f"{journal.path} is open read-only; nothing was saved."
    finally:
        session.close()


def test_database_errors_read_as_sentences(session, shown, monkeypatch):
    def locked(*_a, **_k):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(session.store().vendors, "add", locked)
    dlg = shown(VendorDialog(session))
    QTest.keyClicks(dlg.name, "Acme")
    press(dlg.name, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert dlg.error.text().startswith(f"The journal ({session.path}) is busy")
    assert "Traceback" not in dlg.error.text()


# -- AcquisitionDialog -------------------------------------------------------------------
def test_record_acquisition(session, shown, qwest, changes, type_date):
    dlg = shown(AcquisitionDialog(session, qwest))
    assert dlg.acquirer.currentText() == "Not acquired"
    assert not dlg.ok.isEnabled()
    assert [dlg.acquirer.itemText(i) for i in range(dlg.acquirer.count())] == [
        "Not acquired", "CenturyLink"]  # never the vendor itself
    dlg.acquirer.setFocus()
    QTest.keyClicks(dlg.acquirer, "Cent")
    assert dlg.acquirer.currentText() == "CenturyLink"
    assert "Acquired by CenturyLink" in dlg.effect.text()
    type_date(dlg.on, "20110401")
    press(dlg.acquirer, Qt.Key.Key_Return)

    assert dlg.result() == QDialog.DialogCode.Accepted
    store = session.store()
    v = store.vendors.get(qwest)
    assert v.display_name == "Qwest (CenturyLink)"
    assert v.acquired_on == date(2011, 4, 1)
    events = store.events.for_vendor(qwest)
    assert [(e.on, e.kind, e.text) for e in events] == [
        (date(2011, 4, 1), EventKind.ACQUISITION, "Acquired by CenturyLink")]
    assert changes == [("vendor", [qwest]), ("event", [qwest])]


def test_acquisition_twice_on_a_day_adds_one_event(session, qwest):
    buyer = session.store().vendors.resolve("CenturyLink").id
    for _ in range(2):
        dlg = AcquisitionDialog(session, qwest)
        dlg.acquirer.setCurrentIndex(dlg.acquirer.findData(buyer))
        dlg.on.setDate(date(2011, 4, 1))
        dlg.accept()
    assert len(session.store().events.for_vendor(qwest)) == 1
    again = AcquisitionDialog(session, qwest)
    assert again.effect.text() == "The vendor's history already has an acquisition on this date."


def test_acquisition_needs_a_buyer(session, shown, qwest):
    dlg = shown(AcquisitionDialog(session, qwest))
    QTest.keyClicks(dlg.acquirer, "Cent")
    dlg.acquirer.setCurrentIndex(0)  # and back to "Not acquired"
    assert not dlg.ok.isEnabled()
    assert dlg.error.text() == "Choose the company that bought Qwest."
    assert not dlg.on.isEnabled()


def test_acquisition_cycle_is_refused(session, shown, qwest):
    store = session.store()
    century = store.vendors.resolve("CenturyLink").id
    store.vendors.set_acquirer(century, qwest, date(2010, 1, 1))
    dlg = shown(AcquisitionDialog(session, qwest))
    dlg.acquirer.setCurrentIndex(dlg.acquirer.findData(century))
    dlg.ok.click()
    assert dlg.isVisible()
    assert dlg.error.text() == "That would make the vendors own each other; check who bought whom."
    assert store.vendors.get(qwest).acquirer_id is None


def test_acquisition_can_be_cleared(session, shown, qwest, changes):
    store = session.store()
    store.vendors.set_acquirer(qwest, store.vendors.resolve("CenturyLink").id, date(2011, 4, 1))
    dlg = shown(AcquisitionDialog(session, qwest))
    assert dlg.acquirer.currentText() == "CenturyLink"
    assert dlg.on.date().toPython() == date(2011, 4, 1)
    dlg.acquirer.setFocus()
    QTest.keyClicks(dlg.acquirer, "Not")
    assert dlg.ok.isEnabled()
    assert dlg.effect.text() == "OK clears the recorded acquisition."
    press(dlg.acquirer, Qt.Key.Key_Return)
    v = store.vendors.get(qwest)
    assert v.acquirer_id is None and v.acquired_on is None
    assert changes == [("vendor", [qwest])]


# -- ContactDialog -----------------------------------------------------------------------
def test_add_contact_from_the_keyboard(session, shown, qwest, changes, type_date):
    dlg = shown(ContactDialog(session, qwest))
    assert not dlg.ok.isEnabled()
    assert focused() is dlg.name
    QTest.keyClicks(focused(), "Cara Diaz")
    press(focused(), Qt.Key.Key_Tab)
    assert focused() is dlg.role
    QTest.keyClicks(focused(), "Sales")
    assert dlg.role.currentData() == Role.SALES_ENGINEER.value
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "Cara@Qwest.com")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "+1 555 0101")
    press(focused(), Qt.Key.Key_Tab)
    assert focused() is dlg.active_from.check
    assert not dlg.active_from.edit.isEnabled()
    press(focused(), Qt.Key.Key_Space)
    assert dlg.active_from.edit.isEnabled()
    type_date(dlg.active_from.edit, "20210315")
    press(dlg.active_from.edit, Qt.Key.Key_Return)

    assert dlg.result() == QDialog.DialogCode.Accepted
    c = session.store().contacts.get(dlg.contact_id)
    assert (c.name, c.role, c.email, c.phone) == (
        "Cara Diaz", Role.SALES_ENGINEER, "cara@qwest.com", "+1 555 0101")
    assert (c.active_from, c.active_to) == (date(2021, 3, 15), None)
    assert changes == [("contact", [qwest])]


def test_contact_left_before_starting_is_refused(session, shown, qwest, type_date):
    dlg = shown(ContactDialog(session, qwest))
    QTest.keyClicks(dlg.name, "Cara Diaz")
    dlg.active_from.check.setChecked(True)
    type_date(dlg.active_from.edit, "20210315")
    dlg.active_to.check.setChecked(True)
    type_date(dlg.active_to.edit, "20200101")
    assert not dlg.ok.isEnabled()
    assert dlg.error.text() == (
        "The date they left is before the date they started; check the dates.")
    dlg.active_to.check.setChecked(False)  # no end date: nothing to contradict
    assert dlg.ok.isEnabled()
    assert not dlg.error.isVisible()


def test_contact_name_emptied(session, shown, qwest):
    dlg = shown(ContactDialog(session, qwest))
    QTest.keyClicks(dlg.name, "C")
    press(dlg.name, Qt.Key.Key_Backspace)
    assert dlg.error.text() == "The contact name is empty; type a name."
    assert not dlg.ok.isEnabled()


def test_contact_bad_email(session, shown, qwest):
    dlg = shown(ContactDialog(session, qwest))
    QTest.keyClicks(dlg.name, "Cara Diaz")
    QTest.keyClicks(dlg.email, "cara@")
    press(dlg.email, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert dlg.error.text() == (
        "'cara@' does not look like an email address; give one like name@example.com.")
    assert len(session.store().contacts.for_vendor(qwest)) == 2


def test_contact_duplicate_name(session, shown, qwest):
    dlg = shown(ContactDialog(session, qwest))
    QTest.keyClicks(dlg.name, "ann lee")
    press(dlg.name, Qt.Key.Key_Return)
    assert dlg.isVisible()
    # The store names the contact as typed or as stored; either reads well.
    assert dlg.error.text().lower() == "this vendor already has a contact named 'ann lee'."


def test_edit_contact_clears_the_end_date(session, shown, qwest, changes):
    bob = session.store().contacts.resolve(qwest, "Bob Ray")
    dlg = shown(ContactDialog(session, qwest, bob.id))
    assert dlg.name.text() == "Bob Ray"
    assert dlg.role.currentData() == Role.SALES_ENGINEER.value
    assert dlg.active_to.check.isChecked()
    assert dlg.active_to.edit.date().toPython() == date(2020, 6, 30)
    assert not dlg.active_from.check.isChecked()
    dlg.active_to.check.setFocus()
    press(dlg.active_to.check, Qt.Key.Key_Space)  # he came back
    dlg.ok.click()
    again = session.store().contacts.get(bob.id)
    assert again.active_to is None
    assert again.role is Role.SALES_ENGINEER
    assert changes == [("contact", [qwest])]


def test_contact_dialog_mnemonics(session, shown, qwest):
    dlg = shown(ContactDialog(session, qwest))
    for key, widget in ((Qt.Key.Key_E, dlg.email), (Qt.Key.Key_P, dlg.phone),
                        (Qt.Key.Key_R, dlg.role), (Qt.Key.Key_N, dlg.name)):
        press(dlg, key, Qt.KeyboardModifier.AltModifier)
        assert focused() is widget
    assert dlg.active_to.edit.accessibleName() == "Left on"


# -- EventDialog -------------------------------------------------------------------------
def test_add_event_from_the_keyboard(session, shown, qwest, changes, type_date):
    dlg = shown(EventDialog(session, qwest))
    assert not dlg.ok.isEnabled()
    dlg.kind.setFocus()
    QTest.keyClicks(dlg.kind, "Comp")
    assert dlg.kind.currentData() == EventKind.COMPENSATION_CHANGE.value
    type_date(dlg.on, "20240701")
    press(dlg, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert focused() is dlg.text
    QTest.keyClicks(focused(), "Residuals cut to 8%")
    press(focused(), Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted
    [e] = session.store().events.for_vendor(qwest)
    assert (e.on, e.kind, e.text) == (date(2024, 7, 1), EventKind.COMPENSATION_CHANGE,
                                      "Residuals cut to 8%")
    assert dlg.event_id == e.id
    assert changes == [("event", [qwest])]


def test_event_needs_text(session, shown, qwest):
    dlg = shown(EventDialog(session, qwest))
    QTest.keyClicks(dlg.text, " ")
    assert not dlg.ok.isEnabled()
    assert dlg.error.text() == "Say what happened (e.g. 'Commission on renewals cut to 8%')."


def test_event_text_too_long(session, shown, qwest):
    dlg = shown(EventDialog(session, qwest))
    dlg.text.setText("x" * 2001)
    press(dlg.text, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert dlg.error.text() == "The event text is too long; keep it under 2000 characters."


# -- SettingsDialog ----------------------------------------------------------------------
def test_settings_saved_from_the_keyboard(shown):
    dlg = shown(SettingsDialog())
    assert dlg.channel.currentData() == "call"
    assert dlg.tag.currentData() == ""
    assert focused() is dlg.rep_name
    QTest.keyClicks(focused(), "Dana Rep")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "Dana@Example.com")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "H")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "E")
    press(focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(focused(), "US")
    press(focused(), Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted
    s = QSettings()
    assert s.value("rep/name") == "Dana Rep"
    assert s.value("rep/email") == "dana@example.com"
    assert s.value("defaults/tag") == "helpful"
    assert s.value("defaults/channel") == "email"
    assert s.value("display/date_format") == "us"


def test_settings_bad_email_keeps_dialog_open_and_writes_nothing(shown):
    dlg = shown(SettingsDialog())
    QTest.keyClicks(dlg.rep_name, "Dana")
    QTest.keyClicks(dlg.rep_email, "dana at example")
    press(dlg.rep_email, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert dlg.error.text() == ("'dana at example' does not look like an email address; "
                                "give one like name@example.com.")
    assert QSettings().value("rep/name") is None


def test_settings_cancel_changes_nothing_and_reopen_shows_saved(shown):
    s = QSettings()
    s.setValue("rep/name", "Dana")
    s.setValue("defaults/tag", "transactional")
    s.setValue("defaults/channel", "meeting")
    s.setValue("display/date_format", "eu")
    dlg = shown(SettingsDialog())
    assert dlg.rep_name.text() == "Dana"
    assert dlg.tag.currentData() == "transactional"
    assert dlg.channel.currentData() == "meeting"
    assert dlg.date_format.currentText() == "European: 27.11.2026"
    dlg.rep_name.setText("Someone else")
    press(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert QSettings().value("rep/name") == "Dana"


@pytest.mark.parametrize(("key", "shown_as"), [("iso", "2011-04-01"), ("us", "04/01/2011"),
                                               ("eu", "01.04.2011")])
def test_date_pickers_follow_the_date_format_setting(session, qwest, key, shown_as):
    QSettings().setValue("display/date_format", key)
    dlg = EventDialog(session, qwest)
    dlg.on.setDate(date(2011, 4, 1))
    assert dlg.on.text() == shown_as
    assert dlg.on.calendarPopup()
