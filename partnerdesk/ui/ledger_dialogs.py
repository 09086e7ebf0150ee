"""Forms for the ledger: quick entry of a registration, money owed or a certification; a payment;
a status change with the vendor's reason; a tier; a benefit. Every save is undoable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from partnerdesk.domain.currency import CLAWBACK_HINT, format_amount, parse_amount, plain_amount
from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.ledger import (
    DECISIONS,
    KIND_LABELS,
    Benefit,
    Certification,
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    TierChange,
    change_status,
    not_in_future,
)
from partnerdesk.domain.when import local_now, parse_day
from partnerdesk.ui.form_dialog import FormDialog
from partnerdesk.ui.ledger_models import (
    add_change,
    apply_change,
    reading,
    status_change,
    update_change,
)

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

KINDS = [("registration", "Deal registration"), ("money", "Money owed"),
         ("certification", "Certification")]


def _date_field(text: str = "", hint: str = "YYYY-MM-DD, today, in 30 days") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(hint)
    return edit


def _day(edit: QLineEdit, what: str) -> date | None:
    text = edit.text().strip()
    if not text:
        return None
    try:
        return parse_day(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{what}: {exc}") from None


def _vendors(session: JournalSession) -> list[tuple[int, str]]:
    with reading(session) as conn:
        return [(r[0], r[1]) for r in conn.exec_driver_sql(
            "SELECT id, name FROM vendor WHERE archived = 0 ORDER BY name COLLATE NOCASE")]


class LedgerEntryDialog(FormDialog):
    """Quick keyboard entry: pick the kind, type, Enter saves and clears for the next one."""

    def __init__(self, session: JournalSession, vendor_id: int | None = None,
                 kind: str = "registration", parent: QWidget | None = None):
        super().__init__("Add to the ledger", parent, session.path)
        self.session = session
        self.saved: list[Any] = []
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(0, [k for k, _ in KINDS].index(kind)))
        self.vendor = QComboBox()
        for vid, name in _vendors(session):
            self.vendor.addItem(name, vid)
        if vendor_id is not None:
            self.vendor.setCurrentIndex(max(0, self.vendor.findData(vendor_id)))
        self.add_row("&Kind:", self.kind)
        self.add_row("&Vendor:", self.vendor)
        # Registration
        self.customer = QLineEdit()
        self.number = QLineEdit()
        self.status = QComboBox()
        for s in RegStatus:
            self.status.addItem(s.value, s.value)
        self.status.setCurrentIndex(1)  # submitted
        # Money
        self.money_kind = QComboBox()
        for k in MoneyKind:
            self.money_kind.addItem(KIND_LABELS[k], k.value)
        self.due = _date_field()
        self.claim_deadline = _date_field()
        # Both
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 12,500.00")
        self.currency = QLineEdit("USD")
        self.currency.setMaxLength(3)
        self.on = _date_field(local_now().date().isoformat())
        self.expires = _date_field()
        # Certification
        self.holder = QLineEdit()
        self.cert_name = QLineEdit()
        self.rows: dict[str, list[QWidget]] = {"registration": [], "money": [],
                                               "certification": []}

        def row(label: str, w: QWidget, *kinds: str) -> None:
            lab = self.add_row(label, w)
            for k in kinds:
                self.rows[k].extend([lab, w])

        row("C&ustomer:", self.customer, "registration")
        row("Registration &number:", self.number, "registration")
        row("&Status:", self.status, "registration")
        row("K&ind of money:", self.money_kind, "money")
        row("&Amount:", self.amount, "registration", "money")
        row("Cu&rrency:", self.currency, "registration", "money")
        row("&Date:", self.on, "registration")
        row("D&ue on:", self.due, "money")
        row("&Claim by:", self.claim_deadline, "money")
        row("&Holder:", self.holder, "certification")
        row("Certificat&ion:", self.cert_name, "certification")
        row("&Expires on:", self.expires, "registration", "certification")
        self.saved_line = QLabel()
        self.saved_line.setAccessibleName("Saved")
        self.layout().insertWidget(1, self.saved_line)
        self.kind.currentIndexChanged.connect(self._show_kind)
        self.set_fields(self.kind, self.vendor, self.customer, self.number, self.status,
                        self.money_kind, self.amount, self.currency, self.on, self.due,
                        self.claim_deadline, self.holder, self.cert_name, self.expires)
        self._show_kind()
        if self.vendor.count() == 0:
            # Nothing can be added: say why at once, not only in the disabled OK's tooltip.
            self._touched = True
            self.revalidate()
        # Kind and vendor come set (from the menu and the vendor list): typing starts at the
        # first field of the record; Shift+Tab reaches them.
        self.first_field().setFocus()
        self.resize(460, self.sizeHint().height())

    def first_field(self) -> QWidget:
        return {"registration": self.customer, "money": self.money_kind,
                "certification": self.holder}[self.current_kind()]

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _show_kind(self) -> None:
        kind = self.current_kind()
        for k, widgets in self.rows.items():
            if k != kind:
                for w in widgets:
                    w.setVisible(False)
        for w in self.rows[kind]:
            w.setVisible(True)
        self.revalidate()

    def problem(self) -> str | None:
        if self.vendor.currentData() is None:
            return "There are no vendors yet; add a vendor first."
        kind = self.current_kind()
        if kind == "registration" and not self.customer.text().strip():
            return "Type the customer or opportunity the registration is for."
        if kind == "money" and not self.amount.text().strip():
            return "Type the amount the vendor owes."
        if kind == "money" and not self.due.text().strip():
            return "Say when the vendor should pay (the due date)."
        if kind == "certification" and not (self.holder.text().strip()
                                            and self.cert_name.text().strip()):
            return "Type who holds the certification and what it is."
        return None

    def save(self) -> None:
        vid = int(self.vendor.currentData())
        kind = self.current_kind()
        from partnerdesk.store import ledger as store
        from partnerdesk.store import programme

        if kind == "registration":
            status = RegStatus(self.status.currentData())
            amount = self.amount.text().strip()
            on = _day(self.on, "Date")
            reg = Registration(
                None, vid, self.customer.text(), status, number=self.number.text(),
                value_minor=parse_amount(amount, self.currency.text()) if amount else None,
                currency=self.currency.text() if amount else "",
                # One date on the form: a decision's day for approved or rejected (the
                # submission day is unknown, so no 0-day decision enters the median), else
                # the submission's.
                submitted_on=on if status not in (RegStatus.DRAFT, *DECISIONS) else None,
                decided_on=on if status in DECISIONS else None,
                expires_on=_day(self.expires, "Expires on"))
            rec = apply_change(self.session, add_change(
                f"Add registration “{reg.customer[:40]}”", store.add_registration, reg,
                store.delete_registration))
            said = f"Saved registration {rec.customer} ({rec.status.value})."
            clear = [self.customer, self.number, self.amount, self.expires]
        elif kind == "money":
            m = MoneyOwed(None, vid, MoneyKind(self.money_kind.currentData()),
                          parse_amount(self.amount.text(), self.currency.text(), CLAWBACK_HINT),
                          self.currency.text(), _day(self.due, "Due on") or date.today(),
                          claim_deadline=_day(self.claim_deadline, "Claim by"))
            rec = apply_change(self.session, add_change(
                f"Add {KIND_LABELS[m.kind].lower()} {m.amount_shown()}", store.add_money, m,
                store.delete_money))
            said = f"Saved {KIND_LABELS[rec.kind].lower()} {rec.amount_shown()} due {rec.due_on}."
            clear = [self.amount, self.due, self.claim_deadline]
        else:
            c = Certification(None, vid, self.holder.text(), self.cert_name.text(),
                              expires_on=_day(self.expires, "Expires on"))
            rec = apply_change(self.session, add_change(
                f"Add certification “{c.name[:40]}”", programme.add_certification, c,
                programme.delete_certification))
            said = f"Saved certification {rec.name} ({rec.holder})."
            clear = [self.cert_name, self.expires]
        self.saved.append(rec)
        self.saved_line.setText(said + " Type the next one, or press Esc to close.")
        for w in clear:
            w.clear()
        self._touched = False
        self.revalidate()

    def accept(self) -> None:
        # Quick entry stays open after a save, like the quick log; Esc closes it.
        before = len(self.saved)
        try:
            problem = self.problem()
            if problem:
                self._touched = True
                self.show_error(problem)
                return
            self.save()
        except Exception as exc:
            from partnerdesk.ui.form_dialog import error_text

            self.show_error(error_text(exc, self.session.path))
            return
        if len(self.saved) > before:
            self.show_error("")
            self.first_field().setFocus()


class StatusDialog(FormDialog):
    """A registration's new status, when, and (for a rejection) the vendor's reason."""

    def __init__(self, session: JournalSession, reg: Registration, parent: QWidget | None = None):
        super().__init__("Change registration status", parent, session.path)
        self.session = session
        self.reg = reg
        from partnerdesk.domain.ledger import TRANSITIONS

        self.status = QComboBox()
        for s in sorted(TRANSITIONS[reg.status], key=lambda s: list(RegStatus).index(s)):
            self.status.addItem(s.value, s.value)
        self.on = _date_field(local_now().date().isoformat())
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("the vendor's reason (empty: no reason given)")
        self.add_row(f"{reg.customer}: now {reg.status.value}", QLabel(""))
        self.add_row("New &status:", self.status)
        self.add_row("&On:", self.on)
        self.add_row("&Reason:", self.reason)
        self.set_fields(self.status, self.on, self.reason)

    def problem(self) -> str | None:
        if self.status.count() == 0:
            return f"A {self.reg.status.value} registration is final; its status cannot change."
        return None

    def save(self) -> None:

        on = _day(self.on, "On") or local_now().date()
        new = change_status(self.reg, RegStatus(self.status.currentData()), on,
                            self.reason.text(), today=local_now().date())
        apply_change(self.session, status_change(
            f"Set “{self.reg.customer[:30]}” {new.status.value}", self.reg, new, on))


def set_status_now(session: JournalSession, reg: Registration, status: RegStatus) -> Registration:
    """The two-keystroke change: today, no reason (a rejection then says 'no reason given')."""
    from partnerdesk.services.ledger_measures import today_in_journal

    with reading(session) as conn:
        today = today_in_journal(conn)
    new = change_status(reg, status, today, today=today)
    return apply_change(session, status_change(
        f"Set “{reg.customer[:30]}” {status.value}", reg, new, today))


class PaymentDialog(FormDialog):
    """Record what the vendor paid and when (default: in full, today)."""

    def __init__(self, session: JournalSession, item: MoneyOwed, parent: QWidget | None = None):
        super().__init__("Record payment", parent, session.path)
        self.session = session
        self.item = item
        shown = item.paid_minor if item.paid_minor is not None else item.expected_minor
        self.amount = QLineEdit(plain_amount(shown, item.currency))
        self.on = _date_field((item.paid_on or local_now().date()).isoformat())
        self.dispute = QLineEdit(item.dispute)
        self.dispute.setPlaceholderText("why the amount or date is wrong (optional)")
        self.add_row(f"Expected {format_amount(item.expected_minor, item.currency)}, "
                     f"due {item.due_on}", QLabel(""))
        self.add_row(f"&Amount paid ({item.currency}):", self.amount)
        self.add_row("&Paid on:", self.on)
        self.add_row("&Dispute note:", self.dispute)
        self.set_fields(self.amount, self.on, self.dispute)

    def problem(self) -> str | None:
        return None if self.amount.text().strip() else "Type the amount paid."

    def save(self) -> None:
        from partnerdesk.store import ledger as store

        after = replace(self.item, paid_minor=parse_amount(self.amount.text(), self.item.currency,
                                                      CLAWBACK_HINT),
                        paid_on=not_in_future(_day(self.on, "Paid on") or local_now().date(),
                                              local_now().date(), "payment date"),
                        dispute=self.dispute.text())
        apply_change(self.session, update_change(
            f"Record payment {format_amount(after.paid, after.currency)}", store.update_money,
            self.item, after))


class TierDialog(FormDialog):
    def __init__(self, session: JournalSession, vendor_id: int, current: TierChange | None,
                 parent: QWidget | None = None):
        super().__init__("Set tier", parent, session.path)
        self.session = session
        self.vendor_id = vendor_id
        self.tier = QLineEdit()
        self.programme = QLineEdit(current.programme if current else "")
        self.on = _date_field(local_now().date().isoformat())
        self.requirements = QLineEdit(current.requirements if current else "")
        self.add_row("&Tier:", self.tier)
        self.add_row("&Programme:", self.programme)
        self.add_row("&From:", self.on)
        self.add_row("&Requirements:", self.requirements)
        self.set_fields(self.tier, self.programme, self.on, self.requirements)

    def problem(self) -> str | None:
        return None if self.tier.text().strip() else "Type the tier the vendor put you on."

    def save(self) -> None:
        from partnerdesk.store import programme

        t = TierChange(None, self.vendor_id, self.programme.text(), self.tier.text(),
                       _day(self.on, "From") or local_now().date(),
                       requirements=self.requirements.text())
        apply_change(self.session, add_change(f"Set tier {t.tier}", programme.set_tier, t,
                                              programme.delete_tier_change))


class BenefitDialog(FormDialog):
    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__("Add tier benefit", parent, session.path)
        self.session = session
        self.vendor_id = vendor_id
        self.text = QLineEdit()
        self.text.setPlaceholderText("what the tier promises, e.g. a named partner manager")
        self.since = _date_field(local_now().date().isoformat())
        self.met = QCheckBox("The vendor delivers it")
        self.met.setChecked(True)
        self.add_row("&Benefit:", self.text)
        self.add_row("&Since:", self.since)
        self.add_row("", self.met)
        self.set_fields(self.text, self.since, self.met)

    def problem(self) -> str | None:
        return None if self.text.text().strip() else "Type what the tier promises."

    def save(self) -> None:
        from partnerdesk.store import programme

        b = Benefit(None, self.vendor_id, self.text.text(),
                    _day(self.since, "Since") or local_now().date(), met=self.met.isChecked())
        apply_change(self.session, add_change(f"Add benefit “{b.text[:40]}”",
                                              programme.add_benefit, b,
                                              lambda conn, i: programme.delete_benefit(conn, i)))
