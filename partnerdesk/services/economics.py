"""Health's economics component: does the vendor decide registrations fairly and fast, and pay
in full and on time? A standalone function the health score joins when it returns a value.

    economics(conn, vendor_id, start, end) -> EconomicsMeasures | None

None means no evidence in the period (no registration decided, no payment due by today): the
component is then left out of the score rather than counted as good or bad.

The parts, each from 0 to 1, and the component is their mean times 100 over the parts present:
- approval: approved / decided registrations;
- speed: 1 when the median decision takes 7 days or less, 0 at 45 days or more, linear between;
- payments: money items due by today paid in full and on time / items due by today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from partnerdesk.services.ledger_measures import (
    money_measures,
    registration_measures,
    today_in_journal,
)

FAST_DAYS = 7
SLOW_DAYS = 45


@dataclass(frozen=True, slots=True)
class EconomicsMeasures:
    decided: int
    approved: int
    rejected: int
    rejected_without_reason: int
    median_days_to_decision: float | None
    payments_due: int  # due by today within the period
    paid_in_full_on_time: int
    late: int
    short: int
    approval: float | None  # the parts, 0..1, None when there is nothing to judge
    speed: float | None
    payments: float | None
    score: float  # 0..100, the mean of the parts present
    explanation: str

    @property
    def evidence(self) -> int:
        """How many records the component rests on (decisions plus payments judged)."""
        return self.decided + self.payments_due


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def speed_part(median_days: float | None) -> float | None:
    if median_days is None:
        return None
    if median_days <= FAST_DAYS:
        return 1.0
    if median_days >= SLOW_DAYS:
        return 0.0
    return (SLOW_DAYS - median_days) / (SLOW_DAYS - FAST_DAYS)


def economics(conn: Any, vendor_id: int, start: date, end: date, *,
              today: date | None = None, period_word: str = "this period") -> EconomicsMeasures | None:
    """The economics measures of one vendor for [start, end], or None with no evidence.

    `period_word` names the period in the explanation ("this quarter", "in May").
    """
    today = today or today_in_journal(conn)
    regs = registration_measures(conn, vendor_id, start, end, today)
    money = money_measures(conn, vendor_id, start, end, today)
    judged = sum(m.judged for m in money)
    if regs.decided == 0 and judged == 0:
        return None
    on_time = sum(m.in_full_on_time for m in money)
    late = sum(m.late for m in money)
    short = sum(m.short for m in money)
    approval = regs.approval_rate
    speed = speed_part(regs.median_days_to_decision)
    payments = on_time / judged if judged else None
    parts = [p for p in (approval, speed, payments) if p is not None]
    score = round(100 * sum(parts) / len(parts), 1)

    said: list[str] = []
    if regs.decided:
        if regs.rejected:
            line = (f"{regs.rejected} of {_plural(regs.decided, 'registration')} rejected "
                    f"{period_word}")
            if regs.rejected_without_reason:
                line += f", {regs.rejected_without_reason} without a reason"
        else:
            line = f"all {_plural(regs.decided, 'registration')} approved {period_word}"
        said.append(line)
        if regs.median_days_to_decision is not None:
            said.append(f"decisions took {regs.median_days_to_decision:g} days (median)")
    if judged:
        line = f"{on_time} of {_plural(judged, 'payment')} in full and on time"
        extra = [x for x in ((f"{late} late" if late else ""), (f"{short} short" if short else ""))
                 if x]
        if extra:
            line += f" ({', '.join(extra)})"
        said.append(line)
    explanation = "; ".join(said)
    explanation = explanation[0].upper() + explanation[1:] + "."
    return EconomicsMeasures(
        decided=regs.decided, approved=regs.approved, rejected=regs.rejected,
        rejected_without_reason=regs.rejected_without_reason,
        median_days_to_decision=regs.median_days_to_decision, payments_due=judged,
        paid_in_full_on_time=on_time, late=late, short=short, approval=approval, speed=speed,
        payments=payments, score=score, explanation=explanation)
