"""Reading what a person types as a time: every form, every zone, DST edges, and any text at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.when import day_start, parse_day, parse_when

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"]


@pytest.fixture(params=ZONES)
def zone(request, local_tz):
    local_tz(request.param)
    return request.param


def _now() -> datetime:
    # A fixed "now" in the local zone: Friday 27 November 2026, 16:45.
    return datetime(2026, 11, 27, 16, 45, 12).astimezone()


@pytest.mark.parametrize(
    ("text", "wall"),
    [
        ("2026-11-27 14:30", datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27T14:30", datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27 2:30pm", datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27", datetime(2026, 11, 27, 9, 0)),  # a bare date is the working morning
        ("today 9:15", datetime(2026, 11, 27, 9, 15)),
        ("Today  9:15", datetime(2026, 11, 27, 9, 15)),
        ("yesterday 15:00", datetime(2026, 11, 26, 15, 0)),
        ("yesterday", datetime(2026, 11, 26, 9, 0)),
        ("monday 10:00", datetime(2026, 11, 23, 10, 0)),
        ("last monday 3pm", datetime(2026, 11, 23, 15, 0)),
        (
            "friday 8am",
            datetime(2026, 11, 20, 8, 0),
        ),  # a weekday alone means the last one, not today
    ],
)
def test_forms_a_person_types_are_local_wall_times(zone, text, wall):
    got = parse_when(text, _now())
    assert got.tzinfo is not None
    assert got.replace(tzinfo=None) == wall
    assert got.utcoffset() == wall.astimezone().utcoffset()


def test_relative_forms(zone):
    now = _now()
    assert parse_when("now", now) == now
    assert parse_when("2h ago", now) == now - timedelta(hours=2)
    assert parse_when("90 min ago", now) == now - timedelta(minutes=90)
    assert parse_when("3 days ago", now) == now - timedelta(days=3)
    assert parse_when("1 week ago", now) == now - timedelta(weeks=1)


def test_explicit_offset_is_kept_as_the_same_instant(zone):
    got = parse_when("2026-11-27T14:30:00+05:30", _now())
    assert got == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert parse_when("2026-11-27T14:30Z", _now()) == datetime(2026, 11, 27, 14, 30, tzinfo=UTC)


def test_summer_date_gets_summer_offset_in_winter(local_tz):
    local_tz("Europe/London")
    assert parse_when("2026-07-01 12:00", _now()).utcoffset() == timedelta(hours=1)
    assert parse_when("2026-12-01 12:00", _now()).utcoffset() == timedelta(0)
    local_tz("America/New_York")
    assert parse_when("2026-07-01 12:00", _now()).utcoffset() == timedelta(hours=-4)
    assert parse_when("2026-12-01 12:00", _now()).utcoffset() == timedelta(hours=-5)
    local_tz("Asia/Kolkata")  # half-hour offset, no DST
    assert parse_when("2026-07-01 12:00", _now()).utcoffset() == timedelta(hours=5, minutes=30)


# (zone, local wall time that does not exist or exists twice, offset before, offset after)
DST_EDGES = [
    ("Europe/London", "2026-03-29 01:30", 0, 1),  # spring forward: 01:00 -> 02:00
    ("Europe/London", "2026-10-25 01:30", 1, 0),  # fall back: 01:00-02:00 twice
    ("America/New_York", "2026-03-08 02:30", -5, -4),
    ("America/New_York", "2026-11-01 01:30", -4, -5),
]


@pytest.mark.parametrize(("tz", "text", "before", "after"), DST_EDGES)
def test_dst_gap_and_overlap_resolve_to_one_of_the_two_readings(local_tz, tz, text, before, after):
    local_tz(tz)
    got = parse_when(text, _now())
    assert got.tzinfo is not None
    wall = datetime.fromisoformat(text)
    candidates = {wall.replace(tzinfo=timezone(timedelta(hours=h))) for h in (before, after)}
    assert got in candidates


def test_ambiguous_time_takes_the_first_occurrence(local_tz):
    local_tz("Europe/London")
    assert parse_when("2026-10-25 01:30", _now()).utcoffset() == timedelta(hours=1)
    local_tz("America/New_York")
    assert parse_when("2026-11-01 01:30", _now()).utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "2026-02-30 10:00",
        "2026-11-27 25:00",
        "today 25:00",
        "today 13pm",
        "yesterday at noon",
        "0001-01-01",
        "1969-12-31 10:00",
        "9999-12-31",
        "2026-11-27T10:00+25:00",
        "12",
        "soon",
        "last",
        "next",
        "in 3 days",
    ],
)
def test_unreadable_times_say_what_is_accepted(text):
    with pytest.raises(InvalidInput) as info:
        parse_when(text, _now())
    message = str(info.value)
    assert "\n" not in message
    assert "YYYY-MM-DD" in message or "year" in message or "No time" in message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_clear_refusal_or_an_aware_time(text):
    try:
        got = parse_when(text, _now())
    except InvalidInput as exc:
        assert str(exc)
    else:
        assert isinstance(got, datetime)
        assert got.tzinfo is not None and got.utcoffset() is not None
        got.timestamp()  # representable as an instant


_TIMEY = st.text(alphabet="0123456789-:T Zz+amp ", max_size=25) | st.sampled_from(
    ["today", "yesterday", "tomorrow", "monday", "last friday", "next sunday", "now"]
).flatmap(lambda w: st.text(alphabet="0123456789: apm", max_size=8).map(lambda t: f"{w} {t}"))


@settings(max_examples=200, deadline=None)
@given(_TIMEY)
def test_time_shaped_text_is_a_clear_refusal_or_an_aware_time(text):
    try:
        got = parse_when(text, _now())
    except InvalidInput:
        return
    assert got.tzinfo is not None
    got.timestamp()


def test_parse_day_forms(zone):
    today = date(2026, 11, 27)  # a Friday
    assert parse_day("2026-12-01", today) == date(2026, 12, 1)
    assert parse_day("today", today) == today
    assert parse_day("tomorrow", today) == date(2026, 11, 28)
    assert parse_day("in 3 days", today) == date(2026, 11, 30)
    assert parse_day("in 2 weeks", today) == date(2026, 12, 11)
    assert parse_day("monday", today) == date(2026, 11, 30)  # a due date looks forward
    assert parse_day("friday", today) == date(2026, 12, 4)


@pytest.mark.parametrize(
    "text", ["", "2026-13-01", "2026-02-30", "someday", "1899-12-31", "in -3 days"]
)
def test_parse_day_refusals(text):
    with pytest.raises(InvalidInput):
        parse_day(text, date(2026, 11, 27))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_parse_day_never_raises_anything_else(text):
    try:
        got = parse_day(text, date(2026, 11, 27))
    except InvalidInput:
        return
    assert isinstance(got, date)


def test_day_start_is_local_midnight_even_on_dst_days(local_tz):
    local_tz("Europe/London")
    start = day_start(date(2026, 3, 29))
    assert start.replace(tzinfo=None) == datetime(2026, 3, 29, 0, 0)
    assert (day_start(date(2026, 3, 30)) - start) == timedelta(hours=23)
