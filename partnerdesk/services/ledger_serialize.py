"""Ledger records as plain dicts (JSON output, exports) and back (imports).

Amounts travel as integer minor units ("value_minor") beside a readable amount, so a round
trip is exact; dates as ISO days; the vendor by name, so a file moves between journals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from partnerdesk.domain.currency import plain_amount
from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.ledger import (
    Benefit,
    Certification,
    MoneyOwed,
    Registration,
    RegStatus,
    StatusChange,
    Target,
    TierChange,
)

REGISTRATION_COLUMNS = ["id", "vendor", "customer", "number", "status", "value", "currency",
                        "value_minor", "submitted_on", "decided_on", "reason", "expires_on",
                        "notes", "interaction_ids", "source", "source_id"]
MONEY_COLUMNS = ["id", "vendor", "kind", "expected", "paid", "currency", "expected_minor",
                 "paid_minor", "due_on", "period_start", "period_end", "claim_submitted_on",
                 "claim_deadline", "paid_on", "dispute", "notes", "registration_id", "source",
                 "source_id"]
TIER_COLUMNS = ["id", "vendor", "programme", "tier", "changed_on", "requirements", "targets"]
CERT_COLUMNS = ["id", "vendor", "holder", "name", "earned_on", "expires_on"]
BENEFIT_COLUMNS = ["id", "vendor", "text", "since", "met", "checked_on"]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def registration_dict(r: Registration, vendor: str) -> dict[str, Any]:
    return {
        "id": r.id, "vendor": vendor, "customer": r.customer, "number": r.number,
        "status": r.status.value,
        "value": None if r.value_minor is None else plain_amount(r.value_minor, r.currency),
        "currency": r.currency, "value_minor": r.value_minor,
        "submitted_on": _iso(r.submitted_on), "decided_on": _iso(r.decided_on),
        "reason": r.reason_shown if r.status is RegStatus.REJECTED else r.reason,
        "expires_on": _iso(r.expires_on), "notes": r.notes,
        "interaction_ids": list(r.interaction_ids), "source": r.source, "source_id": r.source_id,
    }


def history_list(history: Sequence[StatusChange]) -> list[dict[str, str]]:
    """A registration's status history for a JSON file: [{"status": .., "on": ..}, ..]."""
    return [{"status": c.status.value, "on": c.on.isoformat()} for c in history]


def history_from(d: dict[str, Any]) -> tuple[StatusChange, ...]:
    """The "history" of a registration in a JSON file (absent: none, the journal makes one)."""
    from partnerdesk.domain.ledger import parse_status

    items = d.get("history")
    if items is None:
        return ()
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput("'history' is not a list of status changes.")
    return tuple(StatusChange(parse_status(_text(i, "status")), _day(i, "on", required=True))
                 for i in items)


def money_dict(m: MoneyOwed, vendor: str) -> dict[str, Any]:
    return {
        "id": m.id, "vendor": vendor, "kind": m.kind.value,
        "expected": plain_amount(m.expected_minor, m.currency),
        "paid": None if m.paid_minor is None else plain_amount(m.paid_minor, m.currency),
        "currency": m.currency, "expected_minor": m.expected_minor, "paid_minor": m.paid_minor,
        "due_on": m.due_on.isoformat(), "period_start": _iso(m.period_start),
        "period_end": _iso(m.period_end), "claim_submitted_on": _iso(m.claim_submitted_on),
        "claim_deadline": _iso(m.claim_deadline), "paid_on": _iso(m.paid_on),
        "dispute": m.dispute, "notes": m.notes, "registration_id": m.registration_id,
        "source": m.source, "source_id": m.source_id,
    }


def tier_dict(t: TierChange, vendor: str) -> dict[str, Any]:
    return {"id": t.id, "vendor": vendor, "programme": t.programme, "tier": t.tier,
            "changed_on": t.changed_on.isoformat(), "requirements": t.requirements,
            "targets": {g.name: g.value for g in t.targets}}


def cert_dict(c: Certification, vendor: str) -> dict[str, Any]:
    return {"id": c.id, "vendor": vendor, "holder": c.holder, "name": c.name,
            "earned_on": _iso(c.earned_on), "expires_on": _iso(c.expires_on)}


def benefit_dict(b: Benefit, vendor: str) -> dict[str, Any]:
    return {"id": b.id, "vendor": vendor, "text": b.text, "since": b.since.isoformat(),
            "met": b.met, "checked_on": _iso(b.checked_on)}


def flat(d: dict[str, Any]) -> dict[str, Any]:
    """A dict fit for one CSV row: lists joined, mappings as name=value, booleans as yes/no."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, list):
            v = " ".join(str(x) for x in v)
        elif isinstance(v, dict):
            v = "; ".join(f"{n}={x}" for n, x in v.items())
        elif isinstance(v, bool):
            v = "yes" if v else "no"
        out[k] = v
    return out


# -- back from dicts (JSON import) --------------------------------------------------------------
def _day(d: dict[str, Any], key: str, required: bool = False) -> date | None:
    v = d.get(key)
    if v in (None, ""):
        if required:
            raise InvalidInput(f"'{key}' is missing.")
        return None
    if not isinstance(v, str):
        raise InvalidInput(f"'{key}' is not a date.")
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise InvalidInput(f"'{key}' {v[:20]!r} is not a date (YYYY-MM-DD).") from None


def _text(d: dict[str, Any], key: str) -> str:
    v = d.get(key)
    if v is None:
        return ""
    if not isinstance(v, str):
        raise InvalidInput(f"'{key}' is not text.")
    return v


def _int(d: dict[str, Any], key: str, required: bool = False) -> int | None:
    v = d.get(key)
    if v is None:
        if required:
            raise InvalidInput(f"'{key}' is missing.")
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise InvalidInput(f"'{key}' is not a whole number.")
    return v


def registration_from(d: dict[str, Any], vendor_id: int) -> Registration:
    from partnerdesk.domain.ledger import parse_status

    links = d.get("interaction_ids") or []
    if not isinstance(links, list) or not all(isinstance(i, int) and not isinstance(i, bool)
                                              for i in links):
        raise InvalidInput("'interaction_ids' is not a list of ids.")
    return Registration(
        id=_int(d, "id"), vendor_id=vendor_id, customer=_text(d, "customer"),
        status=parse_status(_text(d, "status") or "draft"), number=_text(d, "number"),
        value_minor=_int(d, "value_minor"), currency=_text(d, "currency"),
        submitted_on=_day(d, "submitted_on"), decided_on=_day(d, "decided_on"),
        reason=_text(d, "reason"), expires_on=_day(d, "expires_on"), notes=_text(d, "notes"),
        interaction_ids=tuple(links), source=_text(d, "source") or "manual",
        source_id=d.get("source_id") if isinstance(d.get("source_id"), str) else None,
        history=history_from(d))


def money_from(d: dict[str, Any], vendor_id: int) -> MoneyOwed:
    from partnerdesk.domain.ledger import parse_kind

    return MoneyOwed(
        id=_int(d, "id"), vendor_id=vendor_id, kind=parse_kind(_text(d, "kind")),
        expected_minor=_int(d, "expected_minor", required=True) or 0,
        currency=_text(d, "currency"), due_on=_day(d, "due_on", required=True) or date.min,
        period_start=_day(d, "period_start"), period_end=_day(d, "period_end"),
        claim_submitted_on=_day(d, "claim_submitted_on"), claim_deadline=_day(d, "claim_deadline"),
        paid_minor=_int(d, "paid_minor"), paid_on=_day(d, "paid_on"), dispute=_text(d, "dispute"),
        notes=_text(d, "notes"), registration_id=_int(d, "registration_id"),
        source=_text(d, "source") or "manual",
        source_id=d.get("source_id") if isinstance(d.get("source_id"), str) else None)


def tier_from(d: dict[str, Any], vendor_id: int) -> TierChange:
    targets = d.get("targets") or {}
    if not isinstance(targets, dict):
        raise InvalidInput("'targets' is not a mapping of name to number.")
    return TierChange(id=_int(d, "id"), vendor_id=vendor_id, programme=_text(d, "programme"),
                      tier=_text(d, "tier"), changed_on=_day(d, "changed_on", True) or date.min,
                      requirements=_text(d, "requirements"),
                      targets=tuple(Target(str(n), v) for n, v in targets.items()))


def cert_from(d: dict[str, Any], vendor_id: int) -> Certification:
    return Certification(id=_int(d, "id"), vendor_id=vendor_id, holder=_text(d, "holder"),
                         name=_text(d, "name"), expires_on=_day(d, "expires_on"),
                         earned_on=_day(d, "earned_on"))


def benefit_from(d: dict[str, Any], vendor_id: int) -> Benefit:
    met = d.get("met", True)
    if not isinstance(met, bool):
        raise InvalidInput("'met' is not true or false.")
    return Benefit(id=_int(d, "id"), vendor_id=vendor_id, text=_text(d, "text"),
                   since=_day(d, "since", True) or date.min, met=met,
                   checked_on=_day(d, "checked_on"))


