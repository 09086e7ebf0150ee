"""Health's economics component: does the vendor decide registrations fairly and fast, and pay
in full and on time? A standalone function the health score joins when it returns a value.

    economics(conn, vendor_id, start, end) -> EconomicsMeasures | None

None means no evidence in the period (no registration decided, no payment due by today): the
component is then left out of the score rather than counted as good or bad.

The parts, each from 0 to 1, and the component is their mean times 100 over the parts present:
- approval: approved / decided registrations (pulled toward 0.8 as if by 2 more decisions);
- speed: 1 when the median decision takes 7 days or less, 0 at 45 days or more, linear between;
- payments: money items due by today paid in full and on time / items due by today (pulled
  toward 0.9 as if by 2 more payments).
The reported rates (approval, payments) are the plain shares; only the score is pulled.
services/economics_component.py joins it to the health score over a rolling year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from partnerdesk.domain.currency import format_amount
from partnerdesk.domain.words import plural

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
    score: float  # 0..100, the mean of the parts present (thin counts pulled to the usual)
    explanation: str
    shortfall: tuple[tuple[str, int], ...] = ()  # (currency, minor units) short, per currency

    @property
    def evidence(self) -> int:
        """How many records the component rests on (decisions plus payments judged)."""
        return self.decided + self.payments_due


# A thin record is pulled toward what is usual, as health's other parts are (one rejection is
# not a 0): as if it held this many more decisions / payments at these shares.
USUAL_APPROVAL, USUAL_PAID = 0.8, 0.9
PRIOR_STRENGTH = 2.0


def speed_part(median_days: float | None) -> float | None:
    if median_days is None:
        return None
    if median_days <= FAST_DAYS:
        return 1.0
    if median_days >= SLOW_DAYS:
        return 0.0
    return (SLOW_DAYS - median_days) / (SLOW_DAYS - FAST_DAYS)


def _pulled(hits: int, n: int, usual: float) -> float:
    return (hits + PRIOR_STRENGTH * usual) / (n + PRIOR_STRENGTH)


def score_of(approved: int, decided: int, median_days: float | None, on_time: int, judged: int
             ) -> float | None:
    """The component's score alone (what judge says, without the sentence): None when nothing
    can be judged. The mean of the parts present, thin counts pulled toward the usual."""
    if decided == 0 and judged == 0:
        return None
    parts = [p for p in (_pulled(approved, decided, USUAL_APPROVAL) if decided else None,
                         speed_part(median_days),
                         _pulled(on_time, judged, USUAL_PAID) if judged else None)
             if p is not None]
    return round(100 * sum(parts) / len(parts), 1)


def judge(*, approved: int, rejected: int, rejected_without_reason: int,
          median_days: float | None, judged: int, on_time: int, late: int, short: int,
          shortfall: Sequence[tuple[str, int]] = (), window: str = "this period"
          ) -> EconomicsMeasures | None:
    """The measures, score and sentence from the counts; None when nothing can be judged.
    `window` names where the counts come from ("this quarter", "in the last 12 months")."""
    decided = approved + rejected
    score = score_of(approved, decided, median_days, on_time, judged)
    if score is None:
        return None
    approval = approved / decided if decided else None
    speed = speed_part(median_days)
    payments = on_time / judged if judged else None
    return EconomicsMeasures(
        decided=decided, approved=approved, rejected=rejected,
        rejected_without_reason=rejected_without_reason, median_days_to_decision=median_days,
        payments_due=judged, paid_in_full_on_time=on_time, late=late, short=short,
        approval=approval, speed=speed, payments=payments, score=score,
        explanation=_sentence(decided, rejected, rejected_without_reason, median_days, judged,
                              on_time, late, short, shortfall, window),
        shortfall=tuple(shortfall))


def _sentence(decided: int, rejected: int, no_reason: int, median_days: float | None,
              judged: int, on_time: int, late: int, short: int,
              shortfall: Sequence[tuple[str, int]], window: str) -> str:
    said: list[str] = []
    if decided:
        if rejected:
            line = f"{rejected} of {plural(decided, 'registration')} rejected {window}"
            if no_reason:
                line += f", {no_reason} without a reason"
        else:
            line = f"all {plural(decided, 'registration')} approved {window}"
        said.append(line)
        if median_days is not None:
            said.append(f"decisions took {median_days:g} days (median)")
    if judged:
        line = f"{on_time} of {plural(judged, 'payment')} in full and on time"
        extra = [f"{late} late"] if late else []
        if short:
            by = ", ".join(format_amount(m, c) for c, m in shortfall if m)
            extra.append(f"{short} short" + (f" by {by}" if by else ""))
        if extra:
            line += f" ({', '.join(extra)})"
        said.append(line)
    text = "; ".join(said)
    return text[0].upper() + text[1:] + "."


def economics(conn: Any, vendor_id: int, start: date, end: date, *,
              today: date | None = None, period_word: str = "this period"
              ) -> EconomicsMeasures | None:
    """The economics measures of one vendor for [start, end], or None with no evidence.

    `period_word` names the period in the explanation ("this quarter", "in May").
    """
    # Here, not at the top: every health score imports this module (through the component),
    # and ledger_measures brings the ledger's domain and programme store (~25 ms) with it.
    from partnerdesk.services.ledger_measures import (
        money_measures,
        registration_measures,
        today_in_journal,
    )

    today = today or today_in_journal(conn)
    regs = registration_measures(conn, vendor_id, start, end, today)
    money = money_measures(conn, vendor_id, start, end, today)
    return judge(approved=regs.approved, rejected=regs.rejected,
                 rejected_without_reason=regs.rejected_without_reason,
                 median_days=regs.median_days_to_decision,
                 judged=sum(m.judged for m in money),
                 on_time=sum(m.in_full_on_time for m in money),
                 late=sum(m.late for m in money), short=sum(m.short for m in money),
                 shortfall=[(m.currency, m.shortfall) for m in money], window=period_word)
