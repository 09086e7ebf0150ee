"""The ledger's tables as the window shows them: rows read through the standard library, turned
into ready-made strings, and what changes them (undoable commands on the session's stack)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QBrush, QUndoCommand

from partnerdesk.domain.currency import format_amount
from partnerdesk.domain.ledger import KIND_LABELS, RegStatus
from partnerdesk.ui.form_dialog import dim_colour, error_colour
from partnerdesk.ui.table_models import RowsTableModel

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

SHOWN = 2000  # rows a list holds; counts and totals cover every match
LEDGER = "ledger"  # the session.changed kind for every ledger change


@contextmanager
def reading(session: JournalSession) -> Iterator[Any]:
    """A standard-library read of the session's journal (no SQLAlchemy on the way to a view)."""
    from partnerdesk.store.lite import LiteJournal

    with LiteJournal(session.path).reading() as conn:
        yield conn


def _d(day: date | None) -> str:
    return day.isoformat() if day else ""


class LedgerRowsModel(RowsTableModel):
    """Rows of (id, strings, tone) where tone is '', 'dim' or 'alert'."""

    def __init__(self, headers: list[str], parent: Any = None):
        super().__init__(parent, headers=headers)
        self.records: list[Any] = []

    def set_records(self, records: list[Any], rows: list[tuple[int, tuple[str, ...], str]]) -> None:
        self.records = list(records)
        self._brushes = {"dim": QBrush(dim_colour()), "alert": QBrush(error_colour())}
        self.set_rows(rows)

    def id_at(self, row: int) -> int | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None

    def record_at(self, row: int) -> Any:
        return self.records[row] if 0 <= row < len(self.records) else None

    def row_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r[0] == record_id), -1)

    def display(self, row: int, column: int) -> Any:
        return self.rows[row][1][column]

    def tooltip(self, row: int, column: int) -> Any:
        """A registration's status cell shows its status history ('submitted 2 Mar 2026 →
        approved 9 Mar 2026')."""
        history = getattr(self.record_at(row), "history", ())
        if history and self.headers[column] == "Status":
            return "Status history: " + " → ".join(c.shown for c in history)
        return self.display(row, column)

    def foreground(self, row: int, column: int) -> Any:
        return self._brushes.get(self.rows[row][2])


REG_HEADERS = ["Vendor", "Customer", "Number", "Status", "Value", "Submitted", "Decided",
               "Protection ends", "Reason"]
MONEY_HEADERS = ["Vendor", "Kind", "Expected", "Paid", "Due", "Paid on", "Days late", "State",
                 "Dispute"]
CERT_HEADERS = ["Vendor", "Holder", "Certification", "Earned", "Expires", "State"]


def registration_rows(regs: list[Any], names: dict[int, str], today: date) -> list[Any]:
    rows = []
    for r in regs:
        done = r.status in (RegStatus.WON, RegStatus.LOST, RegStatus.EXPIRED)
        tone = ("alert" if r.status is RegStatus.REJECTED or r.expiring_within(today)
                else "dim" if done else "")
        rows.append((r.id, (names.get(r.vendor_id, ""), r.customer, r.number, r.status.value,
                            r.value_shown, _d(r.submitted_on), _d(r.decided_on),
                            _d(r.expires_on), r.reason_shown), tone))
    return rows


def money_rows(items: list[Any], names: dict[int, str], today: date) -> list[Any]:
    rows = []
    for m in items:
        state = m.state(today)
        late = m.days_late(today)
        tone = "alert" if state in ("overdue", "short", "unclaimed, deadline passed") else (
            "dim" if state == "paid" else "")
        rows.append((m.id, (names.get(m.vendor_id, ""), KIND_LABELS[m.kind],
                            format_amount(m.expected_minor, m.currency),
                            "" if m.paid_minor is None else format_amount(m.paid, m.currency),
                            _d(m.due_on), _d(m.paid_on), str(late) if late else "", state,
                            " ".join(m.dispute.split())), tone))
    return rows


def cert_rows(certs: list[Any], names: dict[int, str], today: date) -> list[Any]:
    rows = []
    for c in certs:
        state = ("expired" if c.expired(today) else "expiring soon" if c.expiring_within(today)
                 else "")
        rows.append((c.id, (names.get(c.vendor_id, ""), c.holder, c.name, _d(c.earned_on),
                            _d(c.expires_on), state),
                     "alert" if state else ""))
    return rows


def totals_text(count: int, shown: int, sums: dict[str, Any], what: str, one: str) -> str:
    """'1,204 registrations · EUR 1,000.00 · USD 5.00' (and 'showing the newest 2,000')."""
    noun = what if count != 1 else one
    parts = [f"{count:,} {noun}"]
    if shown < count:
        parts[0] += f" (showing the newest {shown:,}; narrow with the filters)"
    for currency, value in sums.items():
        if isinstance(value, tuple):
            exp, paid, out, short = value
            text = (f"{currency}: expected {format_amount(exp, currency, code=False)}, paid "
                    f"{format_amount(paid, currency, code=False)}, outstanding "
                    f"{format_amount(out, currency, code=False)}")
            if short:
                text += f", short {format_amount(short, currency, code=False)}"
            parts.append(text)
        else:
            parts.append(format_amount(value, currency))
    if any(isinstance(v, tuple) for v in sums.values()):
        return "\n".join(parts)  # money: one line per currency, easier to read down
    return " · ".join(parts)


# -- undo ---------------------------------------------------------------------------------------
@dataclass
class LedgerChange:
    """One undoable ledger edit: `do` and `undo` each run in one write transaction."""

    text: str
    do: Callable[[Any], Any]
    undo: Callable[[Any], Any]
    result: Any = field(default=None)


class LedgerCommand(QUndoCommand):
    """Pushed after the first change succeeded (so errors reach the form that made it)."""

    def __init__(self, session: JournalSession, change: LedgerChange):
        super().__init__(change.text)
        self.session = session
        self.change = change
        self._first = True

    def _run(self, fn: Callable[[Any], Any]) -> None:
        try:
            with self.session.store().writing() as conn:
                fn(conn)
        except Exception as exc:  # undo must never take the window down
            from partnerdesk.store.db_errors import explain

            known = explain(exc)
            self.session.failed.emit(str(known) if known else
                                     f"Could not {self.text().lower()}: {exc}")
            self.setObsolete(True)
            return
        self.session.notify(LEDGER, None)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self.change.do)

    def undo(self) -> None:
        self._run(self.change.undo)


def apply_change(session: JournalSession, change: LedgerChange) -> Any:
    """Make the change now (exceptions go to the caller), then put it on the undo stack."""
    with session.store().writing() as conn:
        change.result = change.do(conn)
    session.undo.push(LedgerCommand(session, change))
    session.notify(LEDGER, None)
    return change.result


def add_change(text: str, add: Callable[..., Any], record: Any, delete: Callable[[Any, int], Any]
               ) -> LedgerChange:
    """Adding a record: redo puts it back with the same id, undo deletes it."""
    holder: dict[str, Any] = {"record": record, "keep": False}

    def do(conn: Any) -> Any:
        added = add(conn, holder["record"], keep_id=holder["keep"])
        holder["record"], holder["keep"] = added, True
        return added

    return LedgerChange(text, do, lambda conn: delete(conn, holder["record"].id))


def status_change(text: str, before: Any, after: Any, on: date) -> LedgerChange:
    """A registration's new status: redo records it (and its history entry, dated `on`), undo
    puts the old status back and removes that entry, so the history is as it was."""
    from partnerdesk.store import ledger as store
    from partnerdesk.store.registration_history import latest_entry, remove_entry

    entry: dict[str, int | None] = {}

    def do(conn: Any) -> Any:
        new = store.update_registration(conn, after, on=on)
        entry["id"] = latest_entry(conn, after.id) if after.status is not before.status else None
        return new

    def undo(conn: Any) -> None:
        store.update_registration(conn, before, record=False)
        if entry.get("id") is not None:
            remove_entry(conn, int(entry["id"] or 0))

    return LedgerChange(text, do, undo)


def update_change(text: str, update: Callable[[Any, Any], Any], before: Any, after: Any
                  ) -> LedgerChange:
    return LedgerChange(text, lambda conn: update(conn, after), lambda conn: update(conn, before))
