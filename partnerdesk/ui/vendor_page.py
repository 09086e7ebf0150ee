"""One vendor on a page: who they are, who works there (and who left), what happened to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtGui import QBrush, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.models import Contact, Vendor, VendorEvent
from partnerdesk.domain.when import local_now
from partnerdesk.ui.form_dialog import dim_colour, error_line, error_text
from partnerdesk.ui.formatting import date_format
from partnerdesk.ui.table_models import RowsTableModel, read_only_table
from partnerdesk.ui.vendor_dialogs import (
    AcquisitionDialog,
    ContactDialog,
    EventDialog,
    VendorDialog,
)

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _day(d: date | None, fmt: str) -> str:
    return d.strftime(fmt) if d else ""


class _RowsModel(RowsTableModel):
    """Rows of (id, ready-made strings, dimmed); data() only looks things up."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._dim = QBrush(dim_colour())

    def set_rows(self, rows: Sequence[tuple[int, tuple[str, ...], bool]]) -> None:
        self._dim = QBrush(dim_colour())
        super().set_rows(rows)

    def id_at(self, row: int) -> int | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None

    def row_of(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r[0] == row_id), -1)

    def display(self, row: int, column: int) -> Any:
        return self.rows[row][1][column]

    def foreground(self, row: int, column: int) -> Any:
        return self._dim if self.rows[row][2] else None

    def role_data(self, row: int, column: int, role: int) -> Any:
        return self.rows[row][0] if role == ID_ROLE else None


class ContactsModel(_RowsModel):
    """People at the vendor: those still there first, then those who left, dimmed."""

    headers = ["Name", "Role", "Email", "Phone", "From", "To"]

    def set_contacts(self, contacts: list[Contact], today: date) -> None:
        fmt = date_format()[1]
        rows = []
        for c in sorted(contacts, key=lambda c: (bool(c.active_to and c.active_to < today),
                                                 c.name.casefold())):
            left = bool(c.active_to and c.active_to < today)
            to = ""
            if c.active_to:
                to = ("left on " if left else "until ") + _day(c.active_to, fmt)
            rows.append((c.id, (c.name, c.role.value, c.email, c.phone,
                                _day(c.active_from, fmt), to), left))
        self.set_rows(rows)


class EventsModel(_RowsModel):
    """The vendor's history, newest first like the timeline."""

    headers = ["Date", "Kind", "What happened"]

    def set_events(self, events: list[VendorEvent]) -> None:
        fmt = date_format()[1]
        self.set_rows([(e.id, (_day(e.on, fmt), e.kind.value, e.text), False)
                       for e in sorted(events, key=lambda e: (e.on, e.id), reverse=True)])


def _table(model: QAbstractTableModel, name: str, stretch: int) -> QTableView:
    return read_only_table(model, name, stretch, resize=QHeaderView.ResizeMode.Interactive)


class VendorPage(QDialog):
    """Non-modal: the rep keeps it open beside the timeline while logging."""

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.vendor: Vendor | None = None
        self.child_dialog: QDialog | None = None  # the edit dialog open over the page, if any
        self._sized = False
        self.setObjectName("vendorPage")
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        # -- header ---------------------------------------------------------------------
        self.title = QLabel()
        self.title.setObjectName("vendorTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QFormLayout()
        self.facts: dict[str, QLabel] = {}
        for key in ("Programme", "Tier", "Domains", "Acquired", "Status", "Notes"):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(key)
            self.facts[key] = value
            self.details.addRow(f"{key}:", value)

        self.edit_vendor = self._button("&Edit vendor…", self._edit_vendor)
        self.record_acquisition = self._button("Record ac&quisition…", self._record_acquisition)
        self.archive = self._button("&Archive", self._toggle_archive)
        vendor_buttons = QVBoxLayout()
        for b in (self.edit_vendor, self.record_acquisition, self.archive):
            vendor_buttons.addWidget(b)
        vendor_buttons.addStretch(1)
        head_text = QVBoxLayout()
        head_text.addWidget(self.title)
        head_text.addLayout(self.details)
        header = QHBoxLayout()
        header.addLayout(head_text, 1)
        header.addLayout(vendor_buttons)

        # -- contacts -------------------------------------------------------------------
        self.contacts_model = ContactsModel(self)
        # Email gives way when space is short: names, roles and dates matter more at a glance.
        self.contacts_view = _table(self.contacts_model, "Contacts", 2)
        self.contacts_view.doubleClicked.connect(self._edit_contact)
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self.contacts_view, activated=self._edit_contact,
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.add_contact = self._button("Add co&ntact…", self._add_contact)
        self.edit_contact = self._button("Ed&it contact…", self._edit_contact)
        self.contacts_label = QLabel("&Contacts")
        self.contacts_label.setBuddy(self.contacts_view)
        contacts_box = self._section(self.contacts_label, self.contacts_view,
                                     [self.add_contact, self.edit_contact])
        self.contacts_view.selectionModel().selectionChanged.connect(self._update_buttons)

        # -- events ---------------------------------------------------------------------
        self.events_model = EventsModel(self)
        self.events_view = _table(self.events_model, "Events", 2)
        self.add_event = self._button("Add e&vent…", self._add_event)
        self.events_label = QLabel("Even&ts")
        self.events_label.setBuddy(self.events_view)
        events_box = self._section(self.events_label, self.events_view, [self.add_event])

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(contacts_box)
        split.addWidget(events_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        self.error = error_line()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        from partnerdesk.ui.ledger_views import ledger_tabs  # registrations, money, programme

        layout.addWidget(ledger_tabs(self, split), 1)
        layout.addWidget(self.error)
        layout.addWidget(close)

        session.changed.connect(self._on_changed)
        self.reload()
        self.resize(820, 600)

    # -- building helpers ----------------------------------------------------------------
    def _button(self, text: str, slot: Any) -> QPushButton:
        b = QPushButton(text)
        b.setAutoDefault(False)  # Enter in a table must not press a button by surprise
        b.clicked.connect(slot)
        return b

    @staticmethod
    def _section(label: QLabel, view: QTableView, buttons: list[QPushButton]) -> QWidget:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        box = QWidget()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(row)
        col.addWidget(view)
        return box

    # -- showing -------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the vendor, its contacts and events afresh."""
        try:
            store = self.session.store()
            vendor = store.vendors.get(self.vendor_id)
            contacts = store.contacts.for_vendor(self.vendor_id)
            events = store.events.for_vendor(self.vendor_id)
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            for w in (self.edit_vendor, self.record_acquisition, self.archive, self.add_contact,
                      self.edit_contact, self.add_event):
                w.setEnabled(False)
            return
        self.vendor = vendor
        fmt = date_format()[1]
        self.setWindowTitle(f"{vendor.display_name} — partnerdesk")
        self.title.setText(vendor.display_name)
        self.title.setAccessibleName(f"Vendor: {vendor.display_name}")
        none = "—"
        self.facts["Programme"].setText(vendor.programme or none)
        self.facts["Tier"].setText(vendor.tier or none)
        self.facts["Domains"].setText(", ".join(vendor.domains) or none)
        acquired = "not acquired"
        if vendor.acquirer_name:
            acquired = f"by {vendor.acquirer_name}"
            if vendor.acquired_on:
                acquired += f" on {_day(vendor.acquired_on, fmt)}"
        self.facts["Acquired"].setText(acquired)
        self.facts["Status"].setText(
            "archived (hidden from the vendor list)" if vendor.archived else "active")
        notes = " ".join(vendor.notes.split())
        self.facts["Notes"].setText((notes[:200] + "…") if len(notes) > 200 else (notes or none))
        self.facts["Notes"].setToolTip(vendor.notes)
        self.archive.setText("Rest&ore" if vendor.archived else "&Archive")

        selected = self._selected_contact()
        self.contacts_model.set_contacts(contacts, local_now().date())
        self.events_model.set_events(events)
        self.contacts_label.setText(f"&Contacts ({len(contacts)})")
        self.events_label.setText(f"Even&ts ({len(events)})")
        if selected is not None and (row := self.contacts_model.row_of(selected)) >= 0:
            self.contacts_view.selectRow(row)
        if not self._sized:  # once: after that the column widths are the rep's to drag
            self._sized = True
            for view in (self.contacts_view, self.events_view):
                view.resizeColumnsToContents()
        self._update_buttons()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _on_changed(self, kind: str, _ids: object) -> None:
        # A rename of the acquirer changes this page's title too, so any vendor change counts.
        if kind in ("vendor", "contact", "event"):
            self.reload()

    def _selected_contact(self) -> int | None:
        rows = self.contacts_view.selectionModel().selectedRows()
        return self.contacts_model.id_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self._selected_contact() is not None
        self.edit_contact.setEnabled(self.vendor is not None and chosen)

    # -- actions -------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        """Window-modal over this page only, so the main window stays usable."""
        self.show_error("")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.child_dialog = dialog
        dialog.finished.connect(self._child_closed)
        dialog.open()

    def _child_closed(self) -> None:
        self.child_dialog = None

    def _edit_vendor(self) -> None:
        self._open(VendorDialog(self.session, self.vendor_id, self))

    def _record_acquisition(self) -> None:
        self._open(AcquisitionDialog(self.session, self.vendor_id, self))

    def _add_contact(self) -> None:
        self._open(ContactDialog(self.session, self.vendor_id, None, self))

    def _edit_contact(self) -> None:
        contact_id = self._selected_contact()
        if contact_id is not None:
            self._open(ContactDialog(self.session, self.vendor_id, contact_id, self))

    def _add_event(self) -> None:
        self._open(EventDialog(self.session, self.vendor_id, self))

    def _toggle_archive(self) -> None:
        if self.vendor is None:
            return
        try:
            self.session.store().vendors.update(self.vendor_id, archived=not self.vendor.archived)
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.session.notify("vendor", [self.vendor_id])
