"""The ledger's rules: registration status moves, money in minor units, deadlines by time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerdesk.domain.currency import (
    EXPONENT,
    MAX_MINOR,
    clean_currency,
    format_amount,
    parse_amount,
    plain_amount,
)
from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.ledger import (
    NO_REASON,
    TRANSITIONS,
    Certification,
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    TierChange,
    change_status,
    deadline_passed,
    parse_kind,
    parse_status,
    parse_target,
    validate_certification,
    validate_money,
    validate_registration,
    validate_tier,
)

D = date(2026, 3, 2)


def reg(status: RegStatus = RegStatus.DRAFT, **kw) -> Registration:
    kw.setdefault("customer", "Acme Hospital")
    return Registration(id=1, vendor_id=1, status=status, **kw)


# -- status moves -----------------------------------------------------------------------------
@pytest.mark.parametrize("old", list(RegStatus))
@pytest.mark.parametrize("new", list(RegStatus))
def test_every_status_move_is_allowed_exactly_when_the_table_says(old, new):
    r = reg(old, submitted_on=date(2026, 1, 5) if old is not RegStatus.DRAFT else None)
    if new in TRANSITIONS[old]:
        moved = change_status(r, new, D)
        assert moved.status is new
    else:
        with pytest.raises(InvalidInput) as info:
            change_status(r, new, D)
        assert "\n" not in str(info.value)
        assert old.value in str(info.value)


def test_won_and_lost_are_final_and_say_so():
    with pytest.raises(InvalidInput, match="final"):
        change_status(reg(RegStatus.WON), RegStatus.SUBMITTED, D)


def test_submitting_sets_the_date_and_a_decision_sets_decided_on():
    submitted = change_status(reg(), RegStatus.SUBMITTED, date(2026, 2, 1))
    assert submitted.submitted_on == date(2026, 2, 1) and submitted.decided_on is None
    approved = change_status(submitted, RegStatus.APPROVED, date(2026, 2, 11))
    assert approved.decided_on == date(2026, 2, 11)
    assert approved.days_to_decision == 10


def test_a_rejection_keeps_the_reason_or_says_no_reason_given():
    submitted = change_status(reg(), RegStatus.SUBMITTED, date(2026, 2, 1))
    with_reason = change_status(submitted, RegStatus.REJECTED, D, "  channel conflict ")
    assert with_reason.reason == "channel conflict"
    without = change_status(submitted, RegStatus.REJECTED, D)
    assert without.reason == "" and without.reason_shown == NO_REASON
    typed = change_status(submitted, RegStatus.REJECTED, D, "No reason given")
    assert typed.reason == ""  # counted as a rejection without a reason


def test_resubmitting_clears_the_old_decision():
    r = reg(RegStatus.REJECTED, submitted_on=date(2026, 1, 1), decided_on=date(2026, 1, 9),
            reason="duplicate")
    again = change_status(r, RegStatus.SUBMITTED, D)
    assert again.decided_on is None and again.reason == "" and again.submitted_on == D


def test_a_decision_before_the_submission_is_refused():
    r = reg(RegStatus.SUBMITTED, submitted_on=date(2026, 3, 10))
    with pytest.raises(InvalidInput, match="before the submission date"):
        change_status(r, RegStatus.APPROVED, date(2026, 3, 1))


def test_a_change_dated_before_the_last_one_is_refused():
    # Approved on 10 Mar, so it cannot have been won on 5 Mar (nor resubmitted before the
    # rejection it answers).
    approved = reg(RegStatus.APPROVED, submitted_on=date(2026, 3, 1), decided_on=date(2026, 3, 10))
    with pytest.raises(InvalidInput, match="before it became approved") as info:
        change_status(approved, RegStatus.WON, date(2026, 3, 5))
    assert "\n" not in str(info.value)
    rejected = reg(RegStatus.REJECTED, submitted_on=date(2026, 3, 1), decided_on=date(2026, 3, 10))
    with pytest.raises(InvalidInput, match="before it became rejected"):
        change_status(rejected, RegStatus.SUBMITTED, date(2026, 3, 9))
    assert change_status(approved, RegStatus.WON, date(2026, 3, 10)).status is RegStatus.WON


def test_a_change_dated_in_the_future_is_refused():
    submitted = reg(RegStatus.SUBMITTED, submitted_on=date(2026, 3, 1))
    with pytest.raises(InvalidInput, match="in the future") as info:
        change_status(submitted, RegStatus.APPROVED, date(2030, 1, 1), today=D)
    assert "\n" not in str(info.value)
    assert change_status(submitted, RegStatus.APPROVED, D, today=D).decided_on == D


def test_registration_validation_messages_are_one_line():
    for bad in (reg(customer="   "), reg(customer="x" * 500),
                reg(value_minor=-5, currency="USD"), reg(value_minor=10, currency="DOLLARS"),
                reg(RegStatus.APPROVED, submitted_on=date(2026, 5, 1), decided_on=date(2026, 4, 1)),
                reg(RegStatus.APPROVED, submitted_on=date(2026, 5, 1),
                    expires_on=date(2026, 1, 1))):
        with pytest.raises(InvalidInput) as info:
            validate_registration(bad)
        assert "\n" not in str(info.value)


def test_expiring_within_thirty_days_only_while_approved():
    r = reg(RegStatus.APPROVED, submitted_on=date(2026, 1, 1), expires_on=date(2026, 3, 30))
    assert r.expiring_within(D)
    assert not r.expiring_within(date(2026, 2, 1))  # 57 days away
    assert not r.expiring_within(date(2026, 3, 31))  # already over
    assert not reg(RegStatus.WON, expires_on=date(2026, 3, 30)).expiring_within(D)


def test_parse_status_and_kind():
    assert parse_status(" Approved ") is RegStatus.APPROVED
    assert parse_kind("MDF/co-op") is MoneyKind.MDF and parse_kind("co-op") is MoneyKind.MDF
    assert parse_kind("SPIFF") is MoneyKind.SPIFF
    with pytest.raises(InvalidInput, match="commission, spiff"):
        parse_kind("bonus")
    with pytest.raises(InvalidInput, match="draft, submitted"):
        parse_status("pending")


# -- money in minor units ---------------------------------------------------------------------
@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("1,234.50", "EUR", 123450), ("1.234,50", "EUR", 123450), ("12,50", "EUR", 1250),
    ("1,000", "JPY", 1000), ("1000", "JPY", 1000), ("0.5", "USD", 50), ("$12", "USD", 1200),
    ("1 234,5", "EUR", 123450), ("1.234", "KWD", 1234), ("0.001", "BHD", 1), (500, "usd", 50000),
    ("0.10", "JPY", None), ("0.1", "USD", 10), ("0.30", "usd", 30),
])
def test_amounts_are_read_into_minor_units(text, currency, minor):
    if minor is None:
        with pytest.raises(InvalidInput, match="decimals"):
            parse_amount(text, currency)
    else:
        assert parse_amount(text, currency) == minor


def test_minor_units_add_exactly_where_floats_do_not():
    cents = [parse_amount(t, "USD") for t in ("0.10", "0.20")]
    assert sum(cents) == parse_amount("0.30", "USD")
    assert 0.1 + 0.2 != 0.3  # the reason amounts are never floats


@pytest.mark.parametrize("bad", ["-1", "-0.01", "abc", "1e5", "nan", "inf", "", "1,2,3.4.5",
                                 "99999999999999999", "12..5", "1_000", "٣"])
def test_hostile_amounts_give_one_clear_line(bad):
    with pytest.raises(InvalidInput) as info:
        parse_amount(bad, "USD")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("code", ["XYZ", "", "US", "usdollar", "€", "EURO"])
def test_unknown_currency_codes_are_refused(code):
    with pytest.raises(InvalidInput, match="ISO 4217"):
        clean_currency(code)


@given(st.integers(min_value=0, max_value=MAX_MINOR), st.sampled_from(sorted(EXPONENT)))
def test_shown_amounts_read_back_to_the_same_minor_units(minor, currency):
    assert parse_amount(plain_amount(minor, currency), currency) == minor
    assert parse_amount(format_amount(minor, currency, code=False), currency) == minor


@given(st.text(max_size=40), st.sampled_from(["USD", "JPY", "KWD"]))
def test_any_text_is_an_amount_or_one_line_refusal(text, currency):
    try:
        value = parse_amount(text, currency)
    except InvalidInput as exc:
        assert "\n" not in str(exc)
    else:
        assert 0 <= value <= MAX_MINOR


def money(**kw) -> MoneyOwed:
    base = dict(id=1, vendor_id=1, kind=MoneyKind.COMMISSION, expected_minor=100_00,
                currency="USD", due_on=date(2026, 3, 31))
    base.update(kw)
    return MoneyOwed(**base)


def test_outstanding_shortfall_and_lateness():
    unpaid = money()
    assert unpaid.outstanding == 100_00 and unpaid.shortfall == 0
    assert unpaid.days_late(date(2026, 4, 10)) == 10 and unpaid.days_late(date(2026, 3, 1)) == 0
    short = money(paid_minor=80_00, paid_on=date(2026, 4, 5))
    assert short.outstanding == 0 and short.shortfall == 20_00
    assert short.days_late(date(2026, 9, 9)) == 5 and not short.in_full_on_time
    good = money(paid_minor=100_00, paid_on=date(2026, 3, 30))
    assert good.in_full_on_time and good.days_late(date(2026, 9, 9)) == 0


def test_money_validation_refuses_hostile_values():
    for bad in (money(expected_minor=-1), money(expected_minor=MAX_MINOR + 1),
                money(currency="ABC"), money(paid_minor=5),  # paid without a date
                money(period_start=date(2026, 4, 1), period_end=date(2026, 3, 1)),
                money(claim_submitted_on=date(2026, 5, 1), paid_on=date(2026, 4, 1),
                      paid_minor=1), money(expected_minor=1.5)):
        with pytest.raises(InvalidInput) as info:
            validate_money(bad)
        assert "\n" not in str(info.value)


# -- deadlines in the journal's time zone -----------------------------------------------------
def test_a_deadline_holds_until_the_day_ends_in_the_journals_zone():
    deadline = date(2026, 3, 31)
    # 23:30 UTC on the 31st: still the 31st in New York, already 1 April in Sydney.
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert not deadline_passed(deadline, moment, ZoneInfo("America/New_York"))
    assert deadline_passed(deadline, moment, ZoneInfo("Australia/Sydney"))
    assert not deadline_passed(deadline, moment, ZoneInfo("UTC"))


def test_without_a_journal_zone_the_machines_zone_decides(local_tz):
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    local_tz("Asia/Tokyo")
    assert deadline_passed(date(2026, 3, 31), moment, None)
    local_tz("America/Los_Angeles")
    assert not deadline_passed(date(2026, 3, 31), moment, None)


# -- programme --------------------------------------------------------------------------------
def test_tier_targets_and_certifications():
    assert parse_target("certified engineers = 4").value == 4
    assert parse_target("bookings=1,000,000").value == 1_000_000
    for bad in ("no equals", "x=abc", "x=-1"):
        with pytest.raises(InvalidInput):
            parse_target(bad)
    t = validate_tier(TierChange(None, 1, " Partner Network ", "Gold", D))
    assert t.programme == "Partner Network"
    with pytest.raises(InvalidInput, match="tier is empty"):
        validate_tier(TierChange(None, 1, "P", " ", D))
    with pytest.raises(InvalidInput, match="before"):
        validate_certification(Certification(None, 1, "Jo", "CCNA", expires_on=date(2025, 1, 1),
                                             earned_on=date(2026, 1, 1)))
    c = Certification(None, 1, "Jo", "CCNA", expires_on=date(2026, 3, 20))
    assert c.expiring_within(D) and not c.expired(D) and c.expired(date(2026, 3, 21))


def test_periods():
    from partnerdesk.domain.ledger import parse_period

    assert parse_period("2026-q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert parse_period("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    for bad in ("2026-13", "Q1", "26-Q1", "2026-Q5", ""):
        with pytest.raises(InvalidInput):
            parse_period(bad)
