"""A vendor's ledger over one period, in the words the portfolio and the quarterly PDF print:
money per currency (expected, paid, outstanding, short — never converted), registrations
(submitted, approved, rejected, median days to a decision), and the events in the period that
changed them (a compensation or programme change, a buyout, a new tier).

    ledger_period(conn, vendor_id, start, end, today) -> LedgerPeriod

`conn` is any connection with ``exec_driver_sql``; nothing here imports SQLAlchemy or Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from partnerdesk.domain.currency import format_amount
from partnerdesk.domain.words import plural
from partnerdesk.services.ledger_measures import (
    CurrencyMoney,
    RegistrationMeasures,
    money_measures,
    registration_measures,
)

# The vendor events that change what the partner is paid or how deals are protected.
CHANGING_KINDS = ("acquisition", "merger", "programme change", "compensation change")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class LedgerChange:
    on: date
    text: str  # 'Compensation change: residuals cut to 6%' or 'Tier Gold → Silver'


@dataclass(frozen=True, slots=True)
class LedgerPeriod:
    vendor_id: int
    start: date
    end: date  # the period's last day
    registrations: RegistrationMeasures
    money: tuple[CurrencyMoney, ...]
    changes: tuple[LedgerChange, ...]

    @property
    def empty(self) -> bool:
        r = self.registrations
        return not (r.submitted or r.decided or self.money or self.changes)


def short_day(d: date) -> str:
    """'10 Aug' (the period gives the year)."""
    return f"{d.day} {_MONTHS[d.month - 1]}"


def _changes(conn: Any, vendor_id: int, start: date, end: date) -> tuple[LedgerChange, ...]:
    s, e = start.isoformat(), end.isoformat()
    kinds = ",".join("?" * len(CHANGING_KINDS))
    out = [LedgerChange(date.fromisoformat(on), f"{kind[0].upper()}{kind[1:]}"
                        + (f": {text}" if text else ""))
           for on, kind, text in conn.exec_driver_sql(
               "SELECT occurred_on, kind, text FROM vendor_event WHERE vendor_id = ?"
               f" AND occurred_on BETWEEN ? AND ? AND kind IN ({kinds})"
               " ORDER BY occurred_on, id", (vendor_id, s, e, *CHANGING_KINDS))]
    tiers = conn.exec_driver_sql(
        "SELECT changed_on, tier, programme FROM tier_change WHERE vendor_id = ?"
        " AND changed_on <= ? ORDER BY changed_on, id", (vendor_id, e)).all()
    previous = None
    for on, tier, programme in tiers:
        if on >= s and tier != previous:
            what = f"Tier {previous} → {tier}" if previous else f"Tier {tier}"
            out.append(LedgerChange(date.fromisoformat(on),
                                    what + (f" ({programme})" if programme else "")))
        previous = tier
    out.sort(key=lambda c: c.on)
    return tuple(out)


def ledger_period(conn: Any, vendor_id: int, start: date, end: date, today: date
                  ) -> LedgerPeriod:
    """The vendor's registrations and money for [start, end] (both days included): money by
    its due date, registrations by submission and decision date; late-ness as of `today`."""
    return LedgerPeriod(vendor_id, start, end,
                        registration_measures(conn, vendor_id, start, end, today),
                        money_measures(conn, vendor_id, start, end, today),
                        _changes(conn, vendor_id, start, end))


# -- in words ---------------------------------------------------------------------------------
def money_rows(lp: LedgerPeriod) -> list[tuple[str, str, str, str, str]]:
    """(currency, expected, paid, outstanding, short) per currency, amounts without the code."""
    return [(m.currency, format_amount(m.expected, m.currency, code=False),
             format_amount(m.paid, m.currency, code=False),
             format_amount(m.outstanding, m.currency, code=False),
             format_amount(m.shortfall, m.currency, code=False) if m.shortfall else "—")
            for m in lp.money]


def money_text(lp: LedgerPeriod) -> str:
    """'USD 12,000.00 expected, 9,000.00 paid, 2,000.00 outstanding, 1,000.00 short; EUR …'."""
    if not lp.money:
        return "No money due in the period."
    parts = []
    for cur, expected, paid, outstanding, short in money_rows(lp):
        text = f"{cur} {expected} expected, {paid} paid, {outstanding} outstanding"
        if short != "—":
            text += f", {short} short"
        parts.append(text)
    return "; ".join(parts) + "."


def registrations_text(lp: LedgerPeriod) -> str:
    """'5 registrations submitted; 3 approved, 2 rejected (1 without a reason); decisions took
    12 days (median).'"""
    r = lp.registrations
    if not (r.submitted or r.decided):
        return "No registrations submitted or decided in the period."
    text = f"{plural(r.submitted, 'registration')} submitted"
    if r.decided:
        text += f"; {r.approved} approved, {r.rejected} rejected"
        if r.rejected_without_reason:
            text += f" ({r.rejected_without_reason} without a reason)"
    if r.median_days_to_decision is not None:
        text += f"; decisions took {r.median_days_to_decision:g} days (median)"
    return text + "."


def changes_text(lp: LedgerPeriod) -> str:
    """'Compensation change: residuals cut 10 Aug; Tier Gold → Silver 1 Sep.' or ''."""
    if not lp.changes:
        return ""
    return "; ".join(f"{c.text} {short_day(c.on)}" for c in lp.changes) + "."
