"""What the ledger says about a vendor over a period: registrations, money, programme standing.

One read API for the vendor page, the cross-vendor view, health's economics component and the
QBR workspace: ``ledger_measures(conn, vendor_id, start, end)`` answers per vendor and period;
``ledger_due(conn, today)`` lists what runs out soon. `conn` is any connection with
``exec_driver_sql`` (standard-library or SQLAlchemy). Money is summed per currency, never
converted.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from partnerdesk.domain.ledger import (
    EXPIRING_DAYS,
    Benefit,
    Certification,
    LedgerDue,
    TierChange,
    journal_today,
)
from partnerdesk.store.programme import benefits, certifications, current_tier, tier_history


def journal_zone(conn: Any) -> tzinfo | None:
    """The journal's time zone (setting 'timezone'), or None for the machine's own."""
    from partnerdesk.store.settings import get_setting

    try:
        name = get_setting(conn, "timezone")
    except Exception:  # a journal read before the setting rung: the machine's zone
        return None
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def today_in_journal(conn: Any, now: datetime | None = None) -> date:
    from partnerdesk.domain.when import local_now

    return journal_today(now or local_now(), journal_zone(conn))


# -- the measures -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RegistrationMeasures:
    submitted: int = 0  # submitted within the period
    approved: int = 0  # decided within the period: approved (and since won, lost or expired)
    rejected: int = 0
    rejected_without_reason: int = 0
    median_days_to_decision: float | None = None  # of the decisions within the period
    pending: int = 0  # submitted, not yet decided, as of today
    expiring_soon: int = 0  # approved, protection ending within 30 days of today
    won: int = 0
    lost: int = 0

    @property
    def decided(self) -> int:
        return self.approved + self.rejected

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.decided if self.decided else None


@dataclass(frozen=True, slots=True)
class CurrencyMoney:
    """Money due within the period in one currency (minor units)."""

    currency: str
    items: int = 0
    expected: int = 0
    paid: int = 0
    outstanding: int = 0  # still unpaid
    shortfall: int = 0  # paid, but less than expected
    judged: int = 0  # due by today, so on time or not can be said
    in_full_on_time: int = 0
    late: int = 0  # paid after the due date, or unpaid past it (unclaimed MDF is not late)
    short: int = 0
    days_late_max: int = 0
    mdf_unclaimed: int = 0  # MDF not yet claimed, its claim deadline still ahead
    mdf_lapsed: int = 0  # MDF whose claim deadline passed unclaimed


@dataclass(frozen=True, slots=True)
class ProgrammeMeasures:
    tier: TierChange | None = None  # as of the period's end
    changes: tuple[TierChange, ...] = ()  # tier changes within the period
    certifications_expiring: tuple[Certification, ...] = ()  # within 30 days of today, or lapsed
    benefits_met: tuple[Benefit, ...] = ()
    benefits_not_met: tuple[Benefit, ...] = ()


@dataclass(frozen=True, slots=True)
class VendorLedger:
    vendor_id: int | None
    start: date
    end: date
    registrations: RegistrationMeasures
    money: tuple[CurrencyMoney, ...] = field(default_factory=tuple)
    programme: ProgrammeMeasures = field(default_factory=ProgrammeMeasures)

    @property
    def empty(self) -> bool:
        r = self.registrations
        return (not (r.submitted or r.decided or r.pending or r.expiring_soon) and not self.money
                and self.programme.tier is None and not self.programme.certifications_expiring
                and not self.programme.benefits_met and not self.programme.benefits_not_met)


def _vendor_clause(vendor_id: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("", ()) if vendor_id is None else (" AND vendor_id = ?", (vendor_id,))


def registration_measures(conn: Any, vendor_id: int | None, start: date, end: date,
                          today: date) -> RegistrationMeasures:
    vc, vp = _vendor_clause(vendor_id)
    s, e = start.isoformat(), end.isoformat()
    submitted = conn.exec_driver_sql(
        f"SELECT count(*) FROM deal_registration WHERE submitted_on BETWEEN ? AND ?{vc}",
        (s, e, *vp)).scalar() or 0
    approved = rejected = no_reason = won = lost = 0
    days: list[int] = []
    for status, reason, sub, dec in conn.exec_driver_sql(
            "SELECT status, reason, submitted_on, decided_on FROM deal_registration"
            f" WHERE decided_on BETWEEN ? AND ?{vc}", (s, e, *vp)):
        if status == "rejected":
            rejected += 1
            no_reason += not reason
        else:
            approved += 1
            won += status == "won"
            lost += status == "lost"
        if sub:
            days.append((date.fromisoformat(dec) - date.fromisoformat(sub)).days)
    pending = conn.exec_driver_sql(
        f"SELECT count(*) FROM deal_registration WHERE status = 'submitted'{vc}", vp).scalar() or 0
    soon = conn.exec_driver_sql(
        "SELECT count(*) FROM deal_registration WHERE status = 'approved'"
        f" AND expires_on BETWEEN ? AND ?{vc}",
        (today.isoformat(), (today + timedelta(days=EXPIRING_DAYS)).isoformat(), *vp)).scalar() or 0
    return RegistrationMeasures(
        submitted=submitted, approved=approved, rejected=rejected,
        rejected_without_reason=no_reason,
        median_days_to_decision=statistics.median(days) if days else None,
        pending=pending, expiring_soon=soon, won=won, lost=lost)


# MDF is paid against a claim: until the rep claims it, an unpaid MDF item is not the vendor's
# lateness (it shows as unclaimed instead).
_CLAIMED = "NOT (kind = 'mdf' AND claim_submitted_on IS NULL)"


def money_measures(conn: Any, vendor_id: int | None, start: date, end: date,
                   today: date) -> tuple[CurrencyMoney, ...]:
    """Per currency, the money due within the period (alphabetical by currency)."""
    vc, vp = _vendor_clause(vendor_id)
    t = today.isoformat()
    # One pass in SQL: 100,000 payments sum in milliseconds, and no row becomes a Python object.
    rows = conn.exec_driver_sql(
        "SELECT currency, count(*), sum(expected_minor), sum(coalesce(paid_minor, 0)),"
        " sum(CASE WHEN paid_on IS NULL THEN expected_minor ELSE 0 END),"
        " sum(CASE WHEN paid_on IS NOT NULL AND coalesce(paid_minor, 0) < expected_minor"
        "          THEN expected_minor - coalesce(paid_minor, 0) ELSE 0 END),"
        f" sum(due_on <= ? AND {_CLAIMED}),"
        f" sum(due_on <= ? AND {_CLAIMED} AND paid_on IS NOT NULL AND paid_on <= due_on"
        "     AND coalesce(paid_minor, 0) >= expected_minor),"
        f" sum({_CLAIMED} AND ((paid_on IS NOT NULL AND paid_on > due_on)"
        "                      OR (paid_on IS NULL AND due_on < ?))),"
        " sum(paid_on IS NOT NULL AND coalesce(paid_minor, 0) < expected_minor),"
        f" max(CASE WHEN {_CLAIMED} THEN"
        " CAST(julianday(coalesce(paid_on, ?)) - julianday(due_on) AS INTEGER) END),"
        " sum(CASE WHEN kind = 'mdf' AND claim_submitted_on IS NULL AND paid_on IS NULL"
        "          AND (claim_deadline IS NULL OR claim_deadline >= ?) THEN expected_minor"
        "          ELSE 0 END),"
        " sum(CASE WHEN kind = 'mdf' AND claim_submitted_on IS NULL AND paid_on IS NULL"
        "          AND claim_deadline < ? THEN expected_minor ELSE 0 END)"
        f" FROM money_owed WHERE due_on BETWEEN ? AND ?{vc} GROUP BY currency ORDER BY currency",
        (t, t, t, t, t, t, start.isoformat(), end.isoformat(), *vp)).all()
    return tuple(CurrencyMoney(
        currency=r[0], items=r[1], expected=r[2], paid=r[3], outstanding=r[4], shortfall=r[5],
        judged=r[6] or 0, in_full_on_time=r[7] or 0, late=r[8] or 0, short=r[9] or 0,
        days_late_max=max(r[10] or 0, 0), mdf_unclaimed=r[11] or 0, mdf_lapsed=r[12] or 0)
        for r in rows)


def programme_measures(conn: Any, vendor_id: int, start: date, end: date,
                       today: date) -> ProgrammeMeasures:
    changes = tuple(t for t in tier_history(conn, [vendor_id]) if start <= t.changed_on <= end)
    horizon = today + timedelta(days=EXPIRING_DAYS)
    certs = tuple(c for c in certifications(conn, [vendor_id], expiring_by=horizon))
    promised = [b for b in benefits(conn, [vendor_id]) if b.since <= end]
    return ProgrammeMeasures(
        tier=current_tier(conn, vendor_id, as_of=end), changes=changes,
        certifications_expiring=certs,
        benefits_met=tuple(b for b in promised if b.met),
        benefits_not_met=tuple(b for b in promised if not b.met))


def ledger_measures(conn: Any, vendor_id: int | None, start: date, end: date,
                    today: date | None = None) -> VendorLedger:
    """Everything the ledger says about one vendor (None: all vendors) for [start, end].

    Registrations count by submission and decision date, money by its due date; 'pending',
    'expiring soon' and late-ness are as of `today` (default: today in the journal's zone).
    """
    today = today or today_in_journal(conn)
    programme = (programme_measures(conn, vendor_id, start, end, today)
                 if vendor_id is not None else ProgrammeMeasures())
    return VendorLedger(vendor_id, start, end,
                        registration_measures(conn, vendor_id, start, end, today),
                        money_measures(conn, vendor_id, start, end, today), programme)


# -- due items --------------------------------------------------------------------------------
def ledger_due(conn: Any, today: date | None = None, days: int = EXPIRING_DAYS,
               vendor_ids: list[int] | None = None) -> list[LedgerDue]:
    """What runs out within `days` days of today, soonest first: approved registrations'
    protection, certifications, and MDF still to be claimed before its deadline. For the
    follow-ups list and the tray."""
    today = today or today_in_journal(conn)
    t, h = today.isoformat(), (today + timedelta(days=days)).isoformat()
    vc = ""
    vp: tuple[Any, ...] = ()
    if vendor_ids is not None:
        vc = f" AND r.vendor_id IN ({','.join('?' * len(vendor_ids)) or 'NULL'})"
        vp = tuple(vendor_ids)
    out: list[LedgerDue] = []
    for rid, vid, vname, customer, number, expires in conn.exec_driver_sql(
            "SELECT r.id, r.vendor_id, v.name, r.customer, r.number, r.expires_on"
            " FROM deal_registration r JOIN vendor v ON v.id = r.vendor_id"
            f" WHERE r.status = 'approved' AND r.expires_on BETWEEN ? AND ?{vc}", (t, h, *vp)):
        label = f"{customer} ({number})" if number else customer
        out.append(LedgerDue("registration", rid, vid, vname,
                             f"Registration protection ends: {label}", date.fromisoformat(expires)))
    for cid, vid, vname, holder, name, expires in conn.exec_driver_sql(
            "SELECT r.id, r.vendor_id, v.name, r.holder, r.name, r.expires_on"
            " FROM certification r JOIN vendor v ON v.id = r.vendor_id"
            f" WHERE r.expires_on BETWEEN ? AND ?{vc}", (t, h, *vp)):
        out.append(LedgerDue("certification", cid, vid, vname,
                             f"Certification expires: {name} ({holder})",
                             date.fromisoformat(expires)))
    from partnerdesk.domain.currency import format_amount

    for mid, vid, vname, amount, currency, deadline in conn.exec_driver_sql(
            "SELECT r.id, r.vendor_id, v.name, r.expected_minor, r.currency, r.claim_deadline"
            " FROM money_owed r JOIN vendor v ON v.id = r.vendor_id"
            " WHERE r.kind = 'mdf' AND r.claim_submitted_on IS NULL AND r.paid_on IS NULL"
            f" AND r.claim_deadline BETWEEN ? AND ?{vc}", (t, h, *vp)):
        out.append(LedgerDue("mdf", mid, vid, vname,
                             f"Claim MDF before the deadline: {format_amount(amount, currency)}",
                             date.fromisoformat(deadline)))
    out.sort(key=lambda d: (d.due, d.vendor.casefold(), d.kind, d.record_id))
    return out
