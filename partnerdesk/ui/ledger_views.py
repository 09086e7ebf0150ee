"""The ledger in the window: a tab each on the vendor page (registrations, money, programme) and
one cross-vendor view ("all my registrations / money owed / certifications") with filters and
totals per currency. Hooks: ``ledger_tabs(page, split)`` and ``install_ledger_actions(window)``.

Keys in the registrations table: S then a letter changes the status (S A approved, S R rejected
with no reason given, S W won, S L lost, S E expired, S S submitted); P in the money table
records a payment; M in the benefits list flips met / not met; Delete removes the selected
record. All of it is undoable (Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.ledger import EXPIRING_DAYS, STATUS_KEYS, MoneyKind, RegStatus
from partnerdesk.ui.form_dialog import error_colour, error_text
from partnerdesk.ui.ledger_models import (
    CERT_HEADERS,
    LEDGER,
    MONEY_HEADERS,
    REG_HEADERS,
    SHOWN,
    LedgerRowsModel,
    cert_rows,
    money_rows,
    reading,
    registration_rows,
    totals_text,
)
from partnerdesk.ui.table_models import read_only_table

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

MONEY_STATES = [("", "Any state"), ("unpaid", "Unpaid"), ("late", "Late"), ("short", "Paid short"),
                ("paid", "Paid"), ("disputed", "Disputed")]


def _button(text: str, slot: Any) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.clicked.connect(slot)
    return b


class _Panel(QWidget):
    """One list: filters on top, the table, totals and an error line below."""

    kind = ""
    headers: list[str] = []
    what = ""
    one = ""

    def __init__(self, session: JournalSession, vendor_id: int | None, parent: Any = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self._sized = False
        self.model = LedgerRowsModel(self.headers, self)
        self.view: QTableView = read_only_table(self.model, self.what.capitalize(),
                                                len(self.headers) - 1,
                                                resize=QHeaderView.ResizeMode.Interactive)
        self.view.setObjectName(f"{self.kind}Table")
        self.filters = QHBoxLayout()
        self.vendor_filter: QComboBox | None = None
        if vendor_id is None:
            self.vendor_filter = QComboBox()
            self.vendor_filter.addItem("All vendors", None)
            with reading(session) as conn:
                for vid, name in conn.exec_driver_sql(
                        "SELECT id, name FROM vendor ORDER BY name COLLATE NOCASE"):
                    self.vendor_filter.addItem(name, vid)
            self.add_filter("&Vendor:", self.vendor_filter, "Vendor filter")
        self.buttons = QHBoxLayout()
        self.totals = QLabel()
        self.totals.setObjectName("ledgerTotals")
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName("Totals")
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {error_colour()};")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Error")
        self.error.hide()
        top = QHBoxLayout()
        top.addLayout(self.filters)
        top.addStretch(1)
        top.addLayout(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.error)
        session.changed.connect(self._changed)
        self.session.failed.connect(self.show_error)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view,
                  activated=self.delete_selected, context=Qt.ShortcutContext.WidgetShortcut)

    def vendor_ids(self) -> tuple[int, ...] | None:
        if self.vendor_id is not None:
            return (self.vendor_id,)
        chosen = self.vendor_filter.currentData() if self.vendor_filter else None
        return None if chosen is None else (int(chosen),)

    def _changed(self, kind: str, _ids: object) -> None:
        if kind in (LEDGER, "vendor"):
            self.reload()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def chosen(self, what: str) -> Any:
        """The selected record, or None after asking the rep to pick `what` first."""
        item = self.selected()
        if item is None:
            self.show_error(f"Pick {what} in the list first.")
        return item

    def _filtered(self) -> bool:
        """Whether a filter is set away from its first choice ('All vendors', 'Any status')."""
        return any(isinstance(w, QComboBox) and w.currentIndex() > 0
                   for w in (self.filters.itemAt(i).widget() for i in range(self.filters.count())))

    def add_filter(self, label: str, combo: QComboBox, name: str) -> None:
        combo.setAccessibleName(name)
        combo.currentIndexChanged.connect(self.reload)
        lab = QLabel(label)
        lab.setBuddy(combo)
        self.filters.addWidget(lab)
        self.filters.addWidget(combo)

    def reload(self) -> None:
        from partnerdesk.services.ledger_measures import today_in_journal
        from partnerdesk.store.ledger import vendor_names

        keep = self.selected()
        try:
            with reading(self.session) as conn:
                today = today_in_journal(conn)
                records, rows, count, sums = self.read(conn, today)
                names = vendor_names(conn)
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.model.set_records(records, self.rows(records, names, today) if rows is None else rows)
        text = totals_text(count, len(records), sums, self.what, self.one)
        if count == 0 and hasattr(self, "add_button"):
            # An empty table says why and how to add the first one.
            button = self.add_button.text().replace("&", "")
            text += (" match the filters; widen them, or add one with " if self._filtered()
                     else " yet; add the first with ") + button
        self.totals.setText(text)
        if self.vendor_id is not None:
            self.view.setColumnHidden(0, True)  # the vendor page needs no vendor column
        if not self._sized and self.model.rowCount():
            self._sized = True  # once: after that the column widths are the rep's to drag
            # Sized from the first rows only: measuring all 2,000 cost ~0.25 s of the opening.
            self.view.horizontalHeader().setResizeContentsPrecision(60)
            self.view.resizeColumnsToContents()
            for column in range(self.model.columnCount()):
                self.view.setColumnWidth(column, min(self.view.columnWidth(column), 260))
        if keep is not None and (row := self.model.row_of(keep.id)) >= 0:
            self.view.selectRow(row)
        elif self.model.rowCount():
            self.view.selectRow(0)

    def read(self, conn: Any, today: Any) -> tuple[list[Any], Any, int, dict[str, Any]]:
        raise NotImplementedError

    # (add, delete) store functions for this panel's records, and how to name one
    def writers(self) -> tuple[Any, Any, str]:
        raise NotImplementedError

    def delete_selected(self) -> None:
        """Delete removes the selected record; Ctrl+Z puts it back with the same id."""
        from partnerdesk.ui.ledger_models import LedgerChange, apply_change

        item = self.chosen(f"the {self.one} to delete")
        if item is None:
            return
        add, delete, label = self.writers()
        removed: dict[str, Any] = {}  # what the store removed (a registration with its history)

        def do(conn: Any) -> Any:
            removed["record"] = delete(conn, item.id)
            return removed["record"]

        try:
            apply_change(self.session, LedgerChange(
                f"Delete {label(item)}", do,
                lambda conn: add(conn, removed.get("record") or item, keep_id=True)))
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.show_error("")

    def rows(self, records: list[Any], names: dict[int, str], today: Any) -> list[Any]:
        raise NotImplementedError

    def _open(self, dialog: QDialog) -> None:
        self.show_error("")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _open_for_chosen(self, what: str, dialog: Callable[[Any], QDialog]) -> None:
        """Open `dialog(record)` for the selected record, or say what to select."""
        record = self.chosen(what)
        if record is not None:
            self._open(dialog(record))

    def _add(self, kind: str) -> None:
        from partnerdesk.ui.ledger_dialogs import LedgerEntryDialog

        chosen = self.vendor_ids()
        self._open(LedgerEntryDialog(self.session, chosen[0] if chosen else None, kind, self))


class RegistrationsPanel(_Panel):
    kind = "registrations"
    headers = REG_HEADERS
    what = "registrations"
    one = "registration"

    def __init__(self, session: JournalSession, vendor_id: int | None, parent: Any = None):
        super().__init__(session, vendor_id, parent)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", None)
        for s in RegStatus:
            self.status_filter.addItem(s.value, s.value)
        self.add_filter("S&tatus:", self.status_filter, "Status filter")
        self.add_button = _button("&Add registration…", lambda: self._add("registration"))
        self.status_button = _button("Change &status…", self.change_status)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.status_button)
        for key, status in STATUS_KEYS.items():
            QShortcut(QKeySequence(f"S, {key.upper()}"), self.view,
                      activated=lambda s=status: self.set_status(s),
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.view.doubleClicked.connect(self.change_status)
        self.reload()

    def read(self, conn: Any, today: Any) -> Any:
        from partnerdesk.store.ledger import ListFilter, registration_totals, registrations

        f = ListFilter(vendor_ids=self.vendor_ids(), status=self.status_filter.currentData()
                       if hasattr(self, "status_filter") else None)
        count, sums = registration_totals(conn, f)
        return registrations(conn, ListFilter(f.vendor_ids, status=f.status, limit=SHOWN)), \
            None, count, sums

    def rows(self, records: list[Any], names: dict[int, str], today: Any) -> list[Any]:
        return registration_rows(records, names, today)

    def writers(self) -> tuple[Any, Any, str]:
        from partnerdesk.store.ledger import add_registration, delete_registration

        return add_registration, delete_registration, lambda r: f"registration “{r.customer[:30]}”"

    def set_status(self, status: RegStatus) -> None:
        from partnerdesk.ui.ledger_dialogs import set_status_now

        reg = self.chosen("a registration")
        if reg is None:
            return
        try:
            set_status_now(self.session, reg, status)
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.show_error("")

    def change_status(self) -> None:
        from partnerdesk.ui.ledger_dialogs import StatusDialog

        self._open_for_chosen("a registration", lambda r: StatusDialog(self.session, r, self))


class MoneyPanel(_Panel):
    kind = "money"
    headers = MONEY_HEADERS
    what = "items of money owed"
    one = "item of money owed"

    def __init__(self, session: JournalSession, vendor_id: int | None, parent: Any = None):
        super().__init__(session, vendor_id, parent)
        self.state_filter = QComboBox()
        for key, label_text in MONEY_STATES:
            self.state_filter.addItem(label_text, key or None)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("Any kind", None)
        for k in MoneyKind:
            self.kind_filter.addItem(k.value, k.value)
        self.add_filter("Stat&e:", self.state_filter, "State filter")
        self.add_filter("&Kind:", self.kind_filter, "Kind filter")
        self.add_button = _button("&Add money owed…", lambda: self._add("money"))
        self.pay_button = _button("Record &payment…", self.record_payment)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.pay_button)
        QShortcut(QKeySequence("P"), self.view, activated=self.record_payment,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.view.doubleClicked.connect(self.record_payment)
        self.reload()

    def read(self, conn: Any, today: Any) -> Any:
        from partnerdesk.store.ledger import ListFilter, money_items, money_totals

        ready = hasattr(self, "kind_filter")
        f = ListFilter(vendor_ids=self.vendor_ids(),
                       status=self.state_filter.currentData() if ready else None,
                       kind=self.kind_filter.currentData() if ready else None)
        count, sums = money_totals(conn, f, today)
        items = money_items(conn, ListFilter(f.vendor_ids, status=f.status, kind=f.kind,
                                             limit=SHOWN), today)
        return items, None, count, sums

    def rows(self, records: list[Any], names: dict[int, str], today: Any) -> list[Any]:
        return money_rows(records, names, today)

    def writers(self) -> tuple[Any, Any, str]:
        from partnerdesk.store.ledger import add_money, delete_money

        return add_money, delete_money, lambda m: f"{m.kind.value} {m.amount_shown()}"

    def record_payment(self) -> None:
        from partnerdesk.ui.ledger_dialogs import PaymentDialog

        self._open_for_chosen("an item of money owed",
                              lambda m: PaymentDialog(self.session, m, self))


class CertificationsPanel(_Panel):
    kind = "certifications"
    headers = CERT_HEADERS
    what = "certifications"
    one = "certification"

    def __init__(self, session: JournalSession, vendor_id: int | None, parent: Any = None):
        super().__init__(session, vendor_id, parent)
        self.expiring = QCheckBox(f"E&xpiring within {EXPIRING_DAYS} days or expired")
        self.expiring.toggled.connect(self.reload)
        self.filters.addWidget(self.expiring)
        self.add_button = _button("Add &certification…", lambda: self._add("certification"))
        self.buttons.addWidget(self.add_button)
        self.reload()

    def read(self, conn: Any, today: Any) -> Any:
        from partnerdesk.store.programme import certifications

        only = hasattr(self, "expiring") and self.expiring.isChecked()
        certs = certifications(conn, self.vendor_ids(),
                               expiring_by=today + timedelta(days=EXPIRING_DAYS) if only else None)
        return certs, None, len(certs), {}

    def rows(self, records: list[Any], names: dict[int, str], today: Any) -> list[Any]:
        return cert_rows(records, names, today)

    def writers(self) -> tuple[Any, Any, str]:
        from partnerdesk.store.programme import add_certification, delete_certification

        return add_certification, delete_certification, lambda c: f"certification “{c.name[:30]}”"


class ProgrammePanel(QWidget):
    """One vendor's standing: the tier and its history, the tier's benefits, certifications."""

    def __init__(self, session: JournalSession, vendor_id: int, parent: Any = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.current = QLabel()
        self.current.setObjectName("currentTier")
        self.current.setWordWrap(True)
        self.tiers = LedgerRowsModel(["From", "Programme", "Tier", "Requirements"], self)
        self.tiers_view = read_only_table(self.tiers, "Tier history", 3)
        self.benefits = LedgerRowsModel(["Benefit", "Since", "State", "Checked"], self)
        self.benefits_view = read_only_table(self.benefits, "Benefits", 0)
        self.benefits_view.setObjectName("benefitsTable")
        QShortcut(QKeySequence("M"), self.benefits_view, activated=self.toggle_met,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.certs = CertificationsPanel(session, vendor_id, self)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {error_colour()};")
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.current, 1)
        row.addWidget(_button("Set &tier…", self.set_tier))
        row.addWidget(_button("Add &benefit…", self.add_benefit))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tiers_view, 1)
        layout.addWidget(QLabel("Benefits the tier promises (M: met / not met)"))
        layout.addWidget(self.benefits_view, 1)
        layout.addWidget(self.certs, 2)
        layout.addWidget(self.error)
        session.changed.connect(lambda kind, _ids: kind == LEDGER and self.reload())
        self.reload()

    def reload(self) -> None:
        from partnerdesk.store.programme import benefits, current_tier, tier_history

        with reading(self.session) as conn:
            history = tier_history(conn, [self.vendor_id])
            bens = benefits(conn, [self.vendor_id])
            self.current_tier = current_tier(conn, self.vendor_id)
        t = self.current_tier
        self.current.setText(f"Tier: {t.tier} in {t.programme or 'the programme'} since "
                             f"{t.changed_on}" if t else "No tier recorded yet.")
        self.tiers.set_records(list(reversed(history)), [
            (h.id, (h.changed_on.isoformat(), h.programme, h.tier, h.requirements), "")
            for h in reversed(history)])
        self.benefits.set_records(bens, [
            (b.id, (b.text, b.since.isoformat(), "met" if b.met else "NOT MET",
                    b.checked_on.isoformat() if b.checked_on else ""), "" if b.met else "alert")
            for b in bens])

    def set_tier(self) -> None:
        from partnerdesk.ui.ledger_dialogs import TierDialog

        d = TierDialog(self.session, self.vendor_id, self.current_tier, self)
        d.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        d.open()

    def add_benefit(self) -> None:
        from partnerdesk.ui.ledger_dialogs import BenefitDialog

        d = BenefitDialog(self.session, self.vendor_id, self)
        d.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        d.open()

    def toggle_met(self) -> None:
        from partnerdesk.domain.when import local_now
        from partnerdesk.store.programme import set_benefit_met
        from partnerdesk.ui.ledger_models import LedgerChange, apply_change

        rows = self.benefits_view.selectionModel().selectedRows()
        b = self.benefits.record_at(rows[0].row()) if rows else None
        if b is None:
            return
        today = local_now().date()

        def do(conn: Any) -> Any:
            return set_benefit_met(conn, b.id, not b.met, today)

        def undo(conn: Any) -> Any:
            conn.exec_driver_sql("UPDATE tier_benefit SET met = ?, checked_on = ? WHERE id = ?",
                                 (int(b.met), b.checked_on and b.checked_on.isoformat(), b.id))

        try:
            apply_change(self.session, LedgerChange(
                f"Mark “{b.text[:30]}” {'not met' if b.met else 'met'}", do, undo))
        except Exception as exc:
            self.error.setText(error_text(exc, self.session.path))
            self.error.show()


class LedgerWindow(QDialog):
    """All my registrations / money owed / certifications, across vendors."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ledgerWindow")
        self.setWindowTitle("Ledger — partnerdesk")
        self.setModal(False)
        self.setSizeGripEnabled(True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.tabs = QTabWidget()
        self.registrations = RegistrationsPanel(session, None, self)
        self.money = MoneyPanel(session, None, self)
        self.certifications = CertificationsPanel(session, None, self)
        self.tabs.addTab(self.registrations, "&Registrations")
        self.tabs.addTab(self.money, "&Money owed")
        self.tabs.addTab(self.certifications, "&Certifications")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.resize(1100, 620)


def ledger_tabs(page: Any, first: QWidget) -> QTabWidget:
    """The vendor page's tabs: what it showed before, then registrations, money, programme."""
    tabs = QTabWidget()
    tabs.setObjectName("vendorTabs")
    tabs.addTab(first, "Contacts and &history")
    page.ledger_registrations = RegistrationsPanel(page.session, page.vendor_id, page)
    page.ledger_money = MoneyPanel(page.session, page.vendor_id, page)
    page.ledger_programme = ProgrammePanel(page.session, page.vendor_id, page)
    tabs.addTab(page.ledger_registrations, "&Registrations")
    tabs.addTab(page.ledger_money, "&Money")
    tabs.addTab(page.ledger_programme, "&Programme")
    page.ledger_tabs = tabs
    return tabs


def install_ledger_actions(window: Any) -> None:
    """Menu actions for the ledger, added to the Vendor and View menus."""
    from partnerdesk.ui.ledger_dialogs import LedgerEntryDialog

    def open_ledger() -> None:
        dialog = LedgerWindow(window.session, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.ledger_window = dialog
        dialog.show()

    def quick_entry() -> None:
        dialog = LedgerEntryDialog(window.session, window.selected_vendor_id(), parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.ledger_entry = dialog
        dialog.open()

    window.act_ledger = QAction("&Ledger: registrations, money, certifications", window)
    window.act_ledger.setShortcut(QKeySequence("Ctrl+Shift+L"))
    window.act_ledger.setStatusTip("Every vendor's deal registrations, money owed and "
                                   "certifications, with totals")
    window.act_ledger.triggered.connect(open_ledger)
    window.act_ledger_entry = QAction("Add to the le&dger…", window)
    window.act_ledger_entry.setShortcut(QKeySequence("Ctrl+L"))
    window.act_ledger_entry.setStatusTip("A deal registration, money owed or a certification")
    window.act_ledger_entry.triggered.connect(quick_entry)
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu()}
    view_menu, vendor_menu = menus.get("&View"), menus.get("V&endor")
    if view_menu is not None:
        view_menu.addAction(window.act_ledger)
    if vendor_menu is not None:
        vendor_menu.addSeparator()
        vendor_menu.addAction(window.act_ledger_entry)
    for act in (window.act_ledger, window.act_ledger_entry):
        window.addAction(act)  # the shortcuts work even where the menus were moved
