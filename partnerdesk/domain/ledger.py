"""The partner's ledger: deal registrations, money the vendor owes, and programme standing.

Plain records and the rules they obey (which status may follow which, what makes a payment late
or short, when a deadline has passed in the journal's time zone). No SQL, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from partnerdesk.domain.currency import check_minor, clean_currency, format_amount
from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.validation import clean_line, clean_text

TEXT_MAX = 200  # customer, registration number, holder, certification and benefit names
NOTE_MAX = 20_000
NO_REASON = "no reason given"
EXPIRING_DAYS = 30  # registrations and certifications expiring within this many days are due


# -- deal registrations -----------------------------------------------------------------------
class RegStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WON = "won"
    LOST = "lost"


# Which status may follow which. A rejected or expired registration may be submitted again (the
# vendor's portal keeps the number); won and lost are final. A draft can be abandoned only by
# deleting it.
TRANSITIONS: dict[RegStatus, frozenset[RegStatus]] = {
    RegStatus.DRAFT: frozenset({RegStatus.SUBMITTED}),
    RegStatus.SUBMITTED: frozenset({RegStatus.APPROVED, RegStatus.REJECTED, RegStatus.EXPIRED}),
    RegStatus.APPROVED: frozenset({RegStatus.WON, RegStatus.LOST, RegStatus.EXPIRED}),
    RegStatus.REJECTED: frozenset({RegStatus.SUBMITTED}),
    RegStatus.EXPIRED: frozenset({RegStatus.SUBMITTED}),
    RegStatus.WON: frozenset(),
    RegStatus.LOST: frozenset(),
}
# The vendor's decision: these set decided_on.
DECISIONS = frozenset({RegStatus.APPROVED, RegStatus.REJECTED})
# One key per status for the window's two-keystroke change (S then the letter).
STATUS_KEYS: dict[str, RegStatus] = {
    "d": RegStatus.DRAFT, "s": RegStatus.SUBMITTED, "a": RegStatus.APPROVED,
    "r": RegStatus.REJECTED, "e": RegStatus.EXPIRED, "w": RegStatus.WON, "l": RegStatus.LOST,
}


def parse_status(text: str) -> RegStatus:
    word = clean_line(text).lower()
    for s in RegStatus:
        if s.value == word:
            return s
    raise InvalidInput(f"'{clean_line(text)[:30]}' is not a registration status; use one of "
                       + ", ".join(s.value for s in RegStatus) + ".")


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A registration took `status` on `on` (its status history, oldest first)."""

    status: RegStatus
    on: date

    @property
    def shown(self) -> str:
        """'approved 5 Mar 2026'."""
        return f"{self.status.value} {self.on.day} {self.on:%b %Y}"


@dataclass(frozen=True, slots=True)
class Registration:
    id: int | None
    vendor_id: int
    customer: str  # the opportunity or end customer
    status: RegStatus = RegStatus.DRAFT
    number: str = ""  # the vendor's registration number
    value_minor: int | None = None
    currency: str = ""
    submitted_on: date | None = None
    decided_on: date | None = None
    reason: str = ""  # the vendor's reason for a rejection ('' = no reason given)
    expires_on: date | None = None  # end of the price protection
    notes: str = ""
    interaction_ids: tuple[int, ...] = ()
    source: str = "manual"
    source_id: str | None = None
    # Each status it has had, oldest first, as stored (store/registration_history.py); read
    # with a record, written when one is added, not part of a record's equality.
    history: tuple[StatusChange, ...] = field(default=(), compare=False)

    @property
    def reason_shown(self) -> str:
        if self.status is not RegStatus.REJECTED:
            return self.reason
        return self.reason or NO_REASON

    @property
    def value_shown(self) -> str:
        return "" if self.value_minor is None else format_amount(self.value_minor, self.currency)

    @property
    def days_to_decision(self) -> int | None:
        if self.submitted_on is None or self.decided_on is None:
            return None
        return (self.decided_on - self.submitted_on).days

    def expiring_within(self, today: date, days: int = EXPIRING_DAYS) -> bool:
        """Approved, its protection still running and ending within `days` days."""
        return (self.status is RegStatus.APPROVED and self.expires_on is not None
                and today <= self.expires_on <= today + timedelta(days=days))


def _line(text: str, what: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    value = clean_line(text or "")
    if required and not value:
        raise InvalidInput(f"The {what} is empty; type the {what}.")
    if len(value) > limit:
        raise InvalidInput(f"The {what} is {len(value)} characters; keep it under {limit}.")
    return value


def _note(text: str, what: str = "note") -> str:
    value = clean_text(text or "").strip()
    if len(value) > NOTE_MAX:
        raise InvalidInput(f"The {what} is {len(value):,} characters; keep it under {NOTE_MAX:,}.")
    return value


def _order(earlier: date | None, later: date | None, first: str, second: str) -> None:
    if earlier is not None and later is not None and later < earlier:
        raise InvalidInput(f"The {second} ({later.isoformat()}) is before the {first} "
                           f"({earlier.isoformat()}); check the dates.")


def status_day(r: Registration, today: date) -> date:
    """The day a registration took its current status, as far as the record says: its
    decision for approved or rejected, its submission when submitted, else `today`."""
    if r.status in DECISIONS and r.decided_on is not None:
        return r.decided_on
    if r.status is RegStatus.SUBMITTED and r.submitted_on is not None:
        return r.submitted_on
    return today


def check_history(r: Registration) -> None:
    """A status history read from a file must end with the registration's status. Its days
    may go back: a draft typed today may be recorded as submitted last week, and the history
    keeps the order things were recorded in."""
    if r.history and r.history[-1].status is not r.status:
        raise InvalidInput(f"The status history ends with {r.history[-1].status.value} but the "
                           f"registration is {r.status.value}; make the last change its status.")


def validate_registration(r: Registration) -> Registration:
    """The registration tidied, or InvalidInput saying what to fix (one line)."""
    from dataclasses import replace

    customer = _line(r.customer, "customer", required=True)
    number = _line(r.number, "registration number")
    currency = r.currency
    value = r.value_minor
    if value is not None:
        currency = clean_currency(currency)
        value = check_minor(value, currency)
    elif currency:
        currency = clean_currency(currency)
    _order(r.submitted_on, r.decided_on, "submission date", "decision date")
    _order(r.submitted_on, r.expires_on, "submission date", "protection expiry")
    if r.status is RegStatus.DRAFT and r.decided_on is not None:
        raise InvalidInput("A draft has no decision date; set the status first.")
    # "no reason given" typed or imported is the same as no reason: it is counted as such.
    reason = _line("" if r.reason.strip().lower() == NO_REASON else r.reason, "reason", limit=2000)
    return replace(r, customer=customer, number=number, currency=currency, value_minor=value,
                   reason=reason, notes=_note(r.notes),
                   interaction_ids=tuple(dict.fromkeys(r.interaction_ids)))


def _became_on(r: Registration) -> date | None:
    """The day `r` took its present status, as far as it is known (None for a draft: a draft
    recorded today may still be submitted as of last week)."""
    if r.status is RegStatus.DRAFT:
        return None
    if r.history and r.history[-1].status is r.status:
        return r.history[-1].on
    known = [d for d in (r.submitted_on, r.decided_on) if d is not None]
    return max(known) if known else None


def not_in_future(day: date, today: date, what: str = "date") -> date:
    """`day`, or InvalidInput when it has not come yet (a payment or a decision is recorded
    once it has happened; a future one is a typing slip)."""
    if day > today:
        raise InvalidInput(f"The {what} {day.isoformat()} is in the future; record it on or "
                           f"before today ({today.isoformat()}).")
    return day


def change_status(r: Registration, new: RegStatus, on: date, reason: str = "",
                  today: date | None = None) -> Registration:
    """The registration after moving to `new` on `on`, or InvalidInput if the move is not allowed.

    Submitting sets submitted_on; approving or rejecting sets decided_on (a resubmission clears
    the earlier decision); a rejection keeps the vendor's reason ('' = no reason given). A change
    cannot be dated before the registration took its present status, nor after `today` (the
    journal's today, when given): 'won 5 Mar' after 'approved 10 Mar' is a typing slip.
    """
    from dataclasses import replace

    if new is r.status:
        raise InvalidInput(f"The registration is already {new.value}.")
    if new not in TRANSITIONS[r.status]:
        allowed = sorted(s.value for s in TRANSITIONS[r.status])
        then = ("it is final" if not allowed else "it can become " + (
            allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " or " + allowed[-1]))
        article = "An" if r.status.value[0] in "aeiou" else "A"
        raise InvalidInput(f"{article} {r.status.value} registration cannot become {new.value}; "
                           f"{then}.")
    changed = replace(r, status=new, reason="" if new is not RegStatus.REJECTED else reason)
    if new is RegStatus.SUBMITTED:
        changed = replace(changed, submitted_on=on, decided_on=None)
    elif new in DECISIONS:
        if r.submitted_on is not None and on < r.submitted_on:
            raise InvalidInput(f"The decision date ({on.isoformat()}) is before the submission "
                               f"date ({r.submitted_on.isoformat()}); check the dates.")
        changed = replace(changed, decided_on=on)
    if today is not None:
        not_in_future(on, today)
    since = _became_on(r)
    if since is not None and on < since:
        raise InvalidInput(f"The date {on.isoformat()} is before it became {r.status.value} "
                           f"({since.isoformat()}); check the date.")
    return validate_registration(changed)


# -- money owed -------------------------------------------------------------------------------
class MoneyKind(StrEnum):
    COMMISSION = "commission"
    SPIFF = "spiff"
    RESIDUAL = "residual"
    REBATE = "rebate"
    MDF = "mdf"  # market development funds / co-op: claimed against a deadline


KIND_LABELS = {MoneyKind.COMMISSION: "Commission", MoneyKind.SPIFF: "SPIFF",
               MoneyKind.RESIDUAL: "Residual", MoneyKind.REBATE: "Rebate",
               MoneyKind.MDF: "MDF / co-op"}


def parse_kind(text: str) -> MoneyKind:
    word = clean_line(text).lower().replace("-", "").replace("/", "").replace(" ", "")
    aliases = {"coop": MoneyKind.MDF, "mdfcoop": MoneyKind.MDF, "commissions": MoneyKind.COMMISSION,
               "spiffs": MoneyKind.SPIFF, "residuals": MoneyKind.RESIDUAL,
               "rebates": MoneyKind.REBATE}
    for k in MoneyKind:
        if k.value == word:
            return k
    if word in aliases:
        return aliases[word]
    raise InvalidInput(f"'{clean_line(text)[:30]}' is not a kind of money owed; use commission, "
                       "spiff, residual, rebate or mdf.")


@dataclass(frozen=True, slots=True)
class MoneyOwed:
    id: int | None
    vendor_id: int
    kind: MoneyKind
    expected_minor: int
    currency: str
    due_on: date  # when the vendor should have paid (defaults to the period's end)
    period_start: date | None = None
    period_end: date | None = None
    claim_submitted_on: date | None = None
    claim_deadline: date | None = None
    paid_minor: int | None = None
    paid_on: date | None = None
    dispute: str = ""
    notes: str = ""
    registration_id: int | None = None
    source: str = "manual"
    source_id: str | None = None

    @property
    def paid(self) -> int:
        return self.paid_minor or 0

    @property
    def outstanding(self) -> int:
        """What is still to come: unpaid expected money (a short payment's gap is a shortfall)."""
        return 0 if self.paid_on is not None else max(self.expected_minor - self.paid, 0)

    @property
    def shortfall(self) -> int:
        """How much less than expected a completed payment was."""
        return max(self.expected_minor - self.paid, 0) if self.paid_on is not None else 0

    def days_late(self, today: date) -> int:
        """Days past due: paid late, or still unpaid after the due date (0 when on time, and for
        MDF not yet claimed: the vendor cannot pay a claim it has not had)."""
        if self.mdf_unclaimed() and self.paid_on is None:
            return 0
        end = self.paid_on if self.paid_on is not None else today
        return max((end - self.due_on).days, 0)

    @property
    def in_full_on_time(self) -> bool:
        return (self.paid_on is not None and self.paid >= self.expected_minor
                and self.paid_on <= self.due_on)

    def mdf_unclaimed(self) -> bool:
        return self.kind is MoneyKind.MDF and self.claim_submitted_on is None

    def amount_shown(self) -> str:
        return format_amount(self.expected_minor, self.currency)

    def state(self, today: date) -> str:
        """In a word or three, as lists show it: expected, overdue, paid, paid late, short,
        claim by DATE, unclaimed, deadline passed."""
        if self.mdf_unclaimed() and self.paid_on is None:
            if self.claim_deadline and self.claim_deadline < today:
                return "unclaimed, deadline passed"
            return f"claim by {self.claim_deadline}" if self.claim_deadline else "to claim"
        if self.paid_on is None:
            return "overdue" if self.due_on < today else "expected"
        if self.shortfall:
            return "short"
        return "paid late" if self.paid_on > self.due_on else "paid"


def validate_money(m: MoneyOwed) -> MoneyOwed:
    from dataclasses import replace

    currency = clean_currency(m.currency)
    expected = check_minor(m.expected_minor, currency)
    if expected == 0:
        raise InvalidInput("An amount of 0 is nothing owed; give the amount the vendor owes.")
    paid = None if m.paid_minor is None else check_minor(m.paid_minor, currency)
    if paid is not None and m.paid_on is None:
        raise InvalidInput("An amount paid needs the date it was paid; give the payment date.")
    _order(m.period_start, m.period_end, "period start", "period end")
    _order(m.period_start, m.due_on, "period start", "due date")
    _order(m.claim_submitted_on, m.paid_on, "claim date", "payment date")
    if m.claim_deadline is not None and m.period_start is not None:
        _order(m.period_start, m.claim_deadline, "period start", "claim deadline")
    return replace(m, currency=currency, expected_minor=expected, paid_minor=paid,
                   dispute=_note(m.dispute, "dispute note"), notes=_note(m.notes))


def deadline_passed(deadline: date, now: datetime, zone: tzinfo | None) -> bool:
    """Whether a date deadline is over: the whole of that day has gone by in the journal's time
    zone (None: the machine's). 'Claim by 31 March' still holds at 23:59 on the 31st there."""
    local = now.astimezone(zone) if zone is not None else now.astimezone()
    return local.date() > deadline


def journal_today(now: datetime, zone: tzinfo | None) -> date:
    return (now.astimezone(zone) if zone is not None else now.astimezone()).date()


# -- programme standing -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    """A measurable requirement of a tier, e.g. 'certified engineers' 4."""

    name: str
    value: int


@dataclass(frozen=True, slots=True)
class TierChange:
    id: int | None
    vendor_id: int
    programme: str
    tier: str
    changed_on: date
    requirements: str = ""
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True, slots=True)
class Certification:
    id: int | None
    vendor_id: int
    holder: str
    name: str
    expires_on: date | None = None
    earned_on: date | None = None

    def expiring_within(self, today: date, days: int = EXPIRING_DAYS) -> bool:
        return (self.expires_on is not None
                and today <= self.expires_on <= today + timedelta(days=days))

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


@dataclass(frozen=True, slots=True)
class Benefit:
    """What the tier promises (a discount, a named contact, lead sharing): a standing promise of
    the vendor, met or not met as of the last check."""

    id: int | None
    vendor_id: int
    text: str
    since: date
    met: bool = True
    checked_on: date | None = None


def validate_tier(t: TierChange) -> TierChange:
    from dataclasses import replace

    targets: dict[str, Target] = {}
    for tg in t.targets:
        name = _line(tg.name, "target name", required=True)
        if isinstance(tg.value, bool) or not isinstance(tg.value, int) \
                or not 0 <= tg.value <= 10**15:
            raise InvalidInput(f"The target '{name}' must be a whole number from 0 up.")
        targets[name.casefold()] = Target(name, tg.value)
    return replace(t, programme=_line(t.programme, "programme name"),
                   tier=_line(t.tier, "tier", required=True),
                   requirements=_note(t.requirements, "requirements"),
                   targets=tuple(targets.values()))


def parse_target(text: str) -> Target:
    """'certified engineers=4' → Target('certified engineers', 4)."""
    name, sep, value = text.rpartition("=")
    if not sep:
        raise InvalidInput(f"'{clean_line(text)[:40]}' is not a target; write it as NAME=NUMBER, "
                           "e.g. 'certified engineers=4'.")
    try:
        number = int(value.strip().replace(",", "").replace("_", ""))
    except ValueError:
        raise InvalidInput(f"The target '{clean_line(name)[:40]}' needs a whole number "
                           "after '='.") from None
    checked = validate_tier(TierChange(None, 0, "", "x", date.min, targets=(Target(name, number),)))
    return checked.targets[0]


def validate_certification(c: Certification) -> Certification:
    from dataclasses import replace

    _order(c.earned_on, c.expires_on, "date it was earned", "expiry date")
    return replace(c, holder=_line(c.holder, "holder's name", required=True),
                   name=_line(c.name, "certification name", required=True))


def validate_benefit(b: Benefit) -> Benefit:
    from dataclasses import replace

    _order(b.since, b.checked_on, "date it was promised", "date it was checked")
    return replace(b, text=_line(b.text, "benefit", required=True))


# -- due items --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LedgerDue:
    """Something in the ledger that needs the rep soon: a registration's protection or a
    certification about to run out, or MDF to claim before its deadline."""

    kind: str  # 'registration' | 'certification' | 'mdf'
    record_id: int
    vendor_id: int
    vendor: str
    what: str
    due: date
    extra: dict[str, str] = field(default_factory=dict)


def parse_period(text: str) -> tuple[date, date]:
    """'2026-Q1', '2026-03' or '2026' → its first and last day."""
    import calendar
    import re

    raw = clean_line(text).upper()
    m = re.fullmatch(r"(\d{4})(?:-?Q([1-4])|-(\d{1,2}))?", raw)
    if not m or not 1900 <= int(m.group(1)) <= 9998:
        raise InvalidInput(f"'{clean_line(text)[:20]}' is not a period; give a quarter "
                           "(2026-Q1), a month (2026-03) or a year (2026).")
    year = int(m.group(1))
    if m.group(2):
        first = (int(m.group(2)) - 1) * 3 + 1
        last = first + 2
    elif m.group(3):
        first = last = int(m.group(3))
        if not 1 <= first <= 12:
            raise InvalidInput(f"'{clean_line(text)[:20]}' has no such month; months are 01 to 12.")
    else:
        first, last = 1, 12
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
