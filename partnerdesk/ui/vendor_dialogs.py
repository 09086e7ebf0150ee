"""Add and edit vendors and their contacts, record acquisitions and vendor events.

Each dialog writes through session.store() and announces the change with session.notify, so
every open view refreshes itself. Errors from the core are shown in the dialog's red line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from partnerdesk.domain.errors import PartnerdeskError
from partnerdesk.domain.validation import clean_line, clean_name
from partnerdesk.domain.vocab import EventKind, Role
from partnerdesk.ui.form_dialog import (
    FormDialog,
    OptionalDate,
    check_email,
    make_date_edit,
    picked,
)

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

TIERS = ["Registered", "Silver", "Gold", "Platinum"]


def split_domains(text: str) -> list[str]:
    """'acme.com, acme.net' → two domains; spaces and semicolons separate too."""
    return [d for d in re.split(r"[,;\s]+", text) if d]


def _name_problem(text: str, what: str) -> str | None:
    try:
        clean_name(text, what)
    except PartnerdeskError as exc:
        return str(exc)
    return None


class VendorDialog(FormDialog):
    """Add a vendor (vendor_id None) or edit one. After OK, .vendor_id is the saved vendor."""

    def __init__(self, session: JournalSession, vendor_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__("Add vendor" if vendor_id is None else "Edit vendor", parent, session.path)
        self.session = session
        self.setObjectName("vendorDialog")
        self.vendor_id = vendor_id
        vendor = None
        if vendor_id is not None:
            vendor = self.load(lambda: session.store().vendors.get(vendor_id))
            if vendor is None:
                return

        self.name = QLineEdit(vendor.name if vendor else "")
        self.name.setPlaceholderText("e.g. Lumen Technologies")
        self.programme = QLineEdit(vendor.programme if vendor else "")
        self.programme.setPlaceholderText("e.g. Lumen Partner Program")
        # Editable: the usual tiers to pick from, but any vendor's own word is accepted.
        self.tier = QComboBox()
        self.tier.setEditable(True)
        self.tier.addItems(["", *TIERS])
        self.tier.setCurrentText(vendor.tier if vendor else "")
        self.domains = QLineEdit(", ".join(vendor.domains) if vendor else "")
        self.domains.setPlaceholderText("example.com, example.net")
        self.domains.setToolTip("Email domains of the vendor's people, so imports can match them.")
        self.notes = QPlainTextEdit(vendor.notes if vendor else "")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(70)
        self.archived = QCheckBox("&Archived (hidden from the vendor list)")
        self.archived.setChecked(bool(vendor and vendor.archived))

        self.add_row("&Name", self.name)
        self.add_row("&Programme", self.programme)
        self.add_row("&Tier", self.tier)
        self.add_row("&Domains", self.domains)
        self.add_row("N&otes", self.notes)
        if vendor is not None:  # a vendor is archived from an existing record, never at birth
            self.form.addRow("", self.archived)
            self.archived.setAccessibleName("Archived")
        else:
            self.archived.hide()
        self.set_fields(self.name, self.programme, self.tier, self.domains, self.notes,
                        self.archived)
        self.resize(480, self.sizeHint().height())

    def problem(self) -> str | None:
        return _name_problem(self.name.text(), "vendor")

    def save(self) -> None:
        vendors = self.session.store().vendors
        fields = {"name": self.name.text(), "programme": self.programme.text(),
                  "tier": self.tier.currentText(), "domains": split_domains(self.domains.text()),
                  "notes": self.notes.toPlainText()}
        if self.vendor_id is None:
            self.vendor_id = vendors.add(**fields).id
        else:
            vendors.update(self.vendor_id, archived=self.archived.isChecked(), **fields)
        self.session.notify("vendor", [self.vendor_id])


class AcquisitionDialog(FormDialog):
    """Who bought this vendor and when; 'Not acquired' clears a recorded acquisition."""

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__("Record acquisition", parent, session.path)
        self.session = session
        self.setObjectName("acquisitionDialog")
        self.vendor_id = vendor_id
        loaded = self.load(lambda: (session.store().vendors.get(vendor_id),
                                    session.store().vendors.all(),
                                    session.store().events.for_vendor(vendor_id)))
        if loaded is None:
            return
        self.vendor, everyone, events = loaded
        self._acquisition_days = {e.on for e in events if e.kind is EventKind.ACQUISITION}
        intro = QLabel(f"Who bought <b>{_html(self.vendor.name)}</b>, and when? Its name is then "
                       f"shown as “{_html(self.vendor.name)} (buyer)”.")
        intro.setWordWrap(True)
        self.form.addRow(intro)

        self.acquirer = QComboBox()
        self.acquirer.addItem("Not acquired", None)
        for v in everyone:
            if v.id != vendor_id and (not v.archived or v.id == self.vendor.acquirer_id):
                self.acquirer.addItem(v.name + (" (archived)" if v.archived else ""), v.id)
        current = self.acquirer.findData(self.vendor.acquirer_id) if self.vendor.acquirer_id else 0
        self.acquirer.setCurrentIndex(max(0, current))
        self.on = make_date_edit(self.vendor.acquired_on)
        self.add_row("Acquired &by", self.acquirer)
        self.add_row("&On", self.on)
        self.effect = QLabel()
        self.effect.setWordWrap(True)
        self.effect.setStyleSheet("color: palette(placeholder-text);")
        self.form.addRow(self.effect)
        self.acquirer.currentIndexChanged.connect(self._describe)
        self.on.dateChanged.connect(self._describe)
        self.set_fields(self.acquirer, self.on)
        self._describe()
        self.resize(460, self.sizeHint().height())

    def buyer_id(self) -> int | None:
        data = self.acquirer.currentData()
        return int(data) if data is not None else None

    def _describe(self) -> None:
        """Say what OK will do, since one choice writes two records and the other removes one."""
        buyer = self.buyer_id()
        self.on.setEnabled(buyer is not None)
        if buyer is None:
            clears = self.vendor.acquirer_id is not None
            self.effect.setText("OK clears the recorded acquisition." if clears else "")
        elif picked(self.on) in self._acquisition_days:
            self.effect.setText("The vendor's history already has an acquisition on this date.")
        else:
            name = self.acquirer.currentText().removesuffix(" (archived)")
            self.effect.setText(f"OK also adds the event “Acquired by {name}” "
                                "to the vendor's history.")

    def problem(self) -> str | None:
        if self.buyer_id() is None and self.vendor.acquirer_id is None:
            return f"Choose the company that bought {self.vendor.name}."
        return None

    def save(self) -> None:
        store = self.session.store()
        buyer = self.buyer_id()
        if buyer is None:
            store.vendors.set_acquirer(self.vendor_id, None, None)
            self.session.notify("vendor", [self.vendor_id])
            return
        on = picked(self.on)
        store.vendors.set_acquirer(self.vendor_id, buyer, on)
        # As the command line does: one acquisition event per day, not one per correction.
        if not any(e.kind is EventKind.ACQUISITION and e.on == on
                   for e in store.events.for_vendor(self.vendor_id)):
            name = store.vendors.get(buyer).name
            store.events.add(self.vendor_id, on, EventKind.ACQUISITION, f"Acquired by {name}")
        self.session.notify("vendor", [self.vendor_id])
        self.session.notify("event", [self.vendor_id])


class ContactDialog(FormDialog):
    """Add a person at a vendor (contact_id None) or edit one; .contact_id after OK."""

    def __init__(self, session: JournalSession, vendor_id: int, contact_id: int | None = None,
                 parent: QWidget | None = None):
        title = "Add contact" if contact_id is None else "Edit contact"
        super().__init__(title, parent, session.path)
        self.session = session
        self.setObjectName("contactDialog")
        self.vendor_id = vendor_id
        self.contact_id = contact_id
        loaded = self.load(lambda: (
            session.store().vendors.get(vendor_id),
            session.store().contacts.get(contact_id) if contact_id is not None else None))
        if loaded is None:
            return
        vendor, contact = loaded

        at = QLabel(f"At <b>{_html(vendor.display_name)}</b>")
        self.form.addRow(at)
        self.name = QLineEdit(contact.name if contact else "")
        self.name.setPlaceholderText("First and last name")
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(r.value.capitalize(), r.value)
        role = contact.role if contact else Role.OTHER
        self.role.setCurrentIndex(self.role.findData(role.value))
        self.email = QLineEdit(contact.email if contact else "")
        self.email.setPlaceholderText("name@example.com")
        self.phone = QLineEdit(contact.phone if contact else "")
        self.phone.setPlaceholderText("+1 555 0100")
        self.active_from = OptionalDate("Active &from", contact.active_from if contact else None)
        self.active_to = OptionalDate("&Left on", contact.active_to if contact else None)
        self.active_to.check.setToolTip("Tick when this person left the job or the vendor.")

        self.add_row("&Name", self.name)
        self.add_row("&Role", self.role)
        self.add_row("&Email", self.email)
        self.add_row("&Phone", self.phone)
        self.form.addRow(self.active_from.check, self.active_from.edit)
        self.form.addRow(self.active_to.check, self.active_to.edit)
        self.set_fields(self.name, self.role, self.email, self.phone, self.active_from.check,
                   self.active_from.edit, self.active_to.check, self.active_to.edit)
        self.resize(440, self.sizeHint().height())

    def problem(self) -> str | None:
        start, end = self.active_from.value(), self.active_to.value()
        if start and end and end < start:
            return "The date they left is before the date they started; check the dates."
        return _name_problem(self.name.text(), "contact")

    def save(self) -> None:
        contacts = self.session.store().contacts
        fields = {"name": self.name.text(), "role": Role(self.role.currentData()),
                  "email": check_email(self.email.text()), "phone": self.phone.text(),
                  "active_from": self.active_from.value(), "active_to": self.active_to.value()}
        if self.contact_id is None:
            self.contact_id = contacts.add(self.vendor_id, **fields).id
        else:
            contacts.update(self.contact_id, **fields)
        self.session.notify("contact", [self.vendor_id])


class EventDialog(FormDialog):
    """Something that happened to a vendor: a programme change, a new portal, a merger."""

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__("Add vendor event", parent, session.path)
        self.session = session
        self.setObjectName("eventDialog")
        self.vendor_id = vendor_id
        self.event_id: int | None = None
        vendor = self.load(lambda: session.store().vendors.get(vendor_id))
        if vendor is None:
            return
        self.form.addRow(QLabel(f"At <b>{_html(vendor.display_name)}</b>"))
        self.kind = QComboBox()
        for k in EventKind:
            self.kind.addItem(k.value.capitalize(), k.value)
        self.kind.setCurrentIndex(self.kind.findData(EventKind.PROGRAMME_CHANGE.value))
        self.on = make_date_edit()
        self.text = QLineEdit()
        self.text.setPlaceholderText("What happened, e.g. 'Tier thresholds raised for 2026'")
        self.add_row("&Kind", self.kind)
        self.add_row("&Date", self.on)
        self.add_row("&What happened", self.text)
        self.set_fields(self.kind, self.on, self.text)
        self.resize(480, self.sizeHint().height())

    def problem(self) -> str | None:
        if not clean_line(self.text.text()):
            return "Say what happened (e.g. 'Commission on renewals cut to 8%')."
        return None

    def save(self) -> None:
        store = self.session.store()
        kind = EventKind(self.kind.currentData())
        event = store.events.add(self.vendor_id, picked(self.on), kind, self.text.text())
        self.event_id = event.id
        self.session.notify("event", [self.vendor_id])


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
