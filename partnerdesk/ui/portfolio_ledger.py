"""The portfolio's details row: the selected vendor's ledger for the period on show — money per
currency (never converted), registrations, and the events that changed them. A few lines
under the table rather than more columns, so the portfolio still fits 1366×768."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from partnerdesk.domain.health_types import Period
from partnerdesk.ui.health_common import RefreshOnChange
from partnerdesk.ui.ledger_models import LEDGER, reading

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

_PERIOD_WORDS = {Period.WEEK: "this week", Period.MONTH: "this month",
                 Period.QUARTER: "this quarter"}


class PortfolioLedger(QFrame):
    """Shows `show_vendor(id, name, period)`'s ledger; nothing selected, a hint."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("portfolioLedger")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Ledger of the selected vendor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text)
        self._shown: tuple[int | None, str, Period] = (None, "", Period.QUARTER)
        self._watch = RefreshOnChange(session, self, (LEDGER, "event"), self.refresh)
        self.show_vendor(None, "", Period.QUARTER)

    def refresh(self) -> None:
        self.show_vendor(*self._shown)

    def show_vendor(self, vendor_id: int | None, name: str, period: Period) -> None:
        self._shown = (vendor_id, name, period)
        if vendor_id is None:
            self.text.setText("Select a vendor to see its registrations and money owed "
                              f"{_PERIOD_WORDS[period]}.")
            return
        from partnerdesk.services.health import period_label, period_start, shift_period
        from partnerdesk.services.ledger_measures import today_in_journal
        from partnerdesk.services.ledger_period import (
            changes_text,
            ledger_period,
            money_text,
            registrations_text,
        )

        try:
            with reading(self.session) as conn:
                today = today_in_journal(conn)
                start = period_start(today, period)
                end = shift_period(start, period, 1) - timedelta(days=1)
                lp = ledger_period(conn, vendor_id, start, end, today)
        except Exception as exc:  # a journal that went away: say so, keep the portfolio
            self.text.setText(escape(f"The ledger could not be read: {exc}"))
            return
        head = (f"<b>{escape(name)}</b> — ledger {_PERIOD_WORDS[period]} "
                f"({period_label(start, period)})")
        if lp.empty:
            self.text.setText(f"{head}: no registrations, money due or programme changes.")
            return
        lines = [head, f"<b>Money:</b> {escape(money_text(lp))}",
                 f"<b>Registrations:</b> {escape(registrations_text(lp))}"]
        if lp.changes:
            lines.append(f"<b>Changes:</b> {escape(changes_text(lp))}")
        self.text.setText("<br>".join(lines))


def attach_ledger(view: Any, layout: QVBoxLayout) -> PortfolioLedger:
    """Put the details row under a PortfolioView's table and follow its selection and period."""
    from partnerdesk.ui.portfolio import VENDOR_ID_ROLE

    panel = PortfolioLedger(view.session, view)
    layout.addWidget(panel)

    def follow(*_args: Any) -> None:
        idx = view.view.currentIndex()
        if not idx.isValid():
            panel.show_vendor(None, "", view.current_period())
            return
        name = idx.sibling(idx.row(), 0).data(Qt.ItemDataRole.DisplayRole) or ""
        panel.show_vendor(int(idx.data(VENDOR_ID_ROLE)), str(name), view.current_period())

    view.view.selectionModel().currentRowChanged.connect(follow)
    view.loaded.connect(follow)
    return panel
