"""Calendar files as Google, Outlook, Apple Calendar and Thunderbird export them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from partnerdesk.domain.vocab import Channel, Direction, Source, Tag
from partnerdesk.services.importers import ImportFailed, SkipReason, apply_import, plan_import
from tests.services.importers import samples
from tests.services.importers.conftest import RANGE, REP


def _by_summary(plan):
    return {i.summary: i for i in plan.added}


def test_google_export_meetings_recurrences_and_zones(vendors, write):
    path = write("google.ics", samples.google_calendar())
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=RANGE)
    added = plan.added
    titles = sorted(i.summary for i in added)
    # 6 Mondays Jan 6 .. Feb 10, minus the EXDATE (Jan 20), one moved to Tuesday; plus the single meeting
    # and the all-day summit.
    assert titles.count("Weekly Acme sync") == 4
    assert "Weekly Acme sync (moved to Tuesday)" in titles
    assert "Acme pricing review" in titles and "Globex partner summit" in titles
    review = _by_summary(plan)["Acme pricing review"]
    assert review.occurred_at == datetime(2025, 3, 5, 15, 0, tzinfo=UTC)
    assert review.vendor == "Acme" and review.channel is Channel.MEETING
    assert review.direction is Direction.INBOUND  # organised by the vendor
    assert review.contacts == ("Dana Reyes",)  # not the rep, not the room
    moved = _by_summary(plan)["Weekly Acme sync (moved to Tuesday)"]
    assert moved.occurred_at == datetime(2025, 1, 28, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    assert moved.direction is Direction.OUTBOUND  # the rep organised the series
    assert moved.contacts == ("Dana Reyes",)  # inherited from the series; Tom declined
    summit = _by_summary(plan)["Globex partner summit"]
    assert summit.occurred_at.date() == date(2025, 3, 12) and summit.occurred_at.hour == 9  # all-day: 09:00 local
    exdate = [s for s in plan.skipped if s.reason is SkipReason.CANCELLED]
    assert any("2025-01-20" in s.what and "EXDATE" in s.detail for s in exdate)
    assert all(i.tag is Tag.TRANSACTIONAL for i in added)  # the default tag
    result = apply_import(vendors, plan)
    assert result.added == len(added) == plan.added_count
    stored = vendors.interactions.list(limit=100)
    review_row = next(i for i in stored if i.summary == "Acme pricing review")
    assert "Q2 pricing" in review_row.notes and "deal registration backlog, again" in review_row.notes
    assert "Google Meet" in review_row.notes  # the folded line is joined
    assert review_row.source is Source.CALENDAR
    assert review_row.source_id == "7kukuqrfedlm2f9t6rdtdnnlbp@google.com"
    series_ids = {i.source_id for i in stored if i.summary.startswith("Weekly")}
    assert all(s.startswith("weekly-acme-sync@google.com#") for s in series_ids)
    assert len(series_ids) == 5


def test_outlook_windows_zones_cancellations_and_a_broken_event(vendors, write):
    path = write("outlook.ics", samples.outlook_calendar())
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=RANGE)
    calls = [i for i in plan.added if i.summary == "Globex Kanal-Call"]
    assert len(calls) == 3  # Feb, Mar, May; April's occurrence was cancelled
    berlin = ZoneInfo("Europe/Berlin")
    assert {c.occurred_at.astimezone(berlin).hour for c in calls} == {9}
    assert calls[0].vendor == "Globex"  # eu.globex.com matches globex.com
    assert calls[0].contacts == ("Jörg Müller",)
    reasons = {(s.reason, s.what.split(" ")[1]) for s in plan.skipped}
    assert any(s.reason is SkipReason.CANCELLED and "2025-04-03" in s.what for s in plan.skipped)
    assert any(s.reason is SkipReason.CANCELLED and "QBR" in s.what for s in plan.skipped)
    broken = [s for s in plan.skipped if s.reason is SkipReason.BROKEN]
    assert len(broken) == 1 and "DTSTART" in broken[0].detail, reasons


def test_apple_floating_time_and_range(vendors, write, local_tz):
    local_tz("America/Chicago")
    path = write("apple.ics", samples.apple_calendar())
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=RANGE)
    by = _by_summary(plan)
    assert by["Lunch with Acme SE"].occurred_at == datetime(2025, 1, 15, 11, 0,
                                                             tzinfo=ZoneInfo("America/Los_Angeles"))
    assert by["Lunch with Acme SE"].vendor == "Acme"  # mail.acme.com: parent domain
    floating = by["Call with Globex (floating time)"]
    assert floating.occurred_at.utcoffset() == ZoneInfo("America/Chicago").utcoffset(datetime(2025, 1, 16))
    assert floating.occurred_at.hour == 8
    # A single meeting before the range is history and is imported (issue 8): the range bounds
    # the expansion of repeating series only.
    assert not [s for s in plan.skipped if s.reason is SkipReason.OUT_OF_RANGE]
    assert any(p.occurred_at.year == 2015 for p in plan.added)


def test_thunderbird_bad_start_and_missing_uid(vendors, write):
    path = write("tb.ics", samples.thunderbird_calendar())
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=RANGE)
    assert {i.summary for i in plan.added} == {"Acme Quartalsgespräch", "No UID at all"}
    broken = [s for s in plan.skipped if s.reason is SkipReason.BROKEN]
    assert len(broken) == 1 and "Broken start" in broken[0].what
    no_uid = _by_summary(plan)["No UID at all"]
    assert no_uid.source_id.startswith("sha256:")
    again = plan_import(vendors, [path], rep_email=REP, ics_range=RANGE)
    assert _by_summary(again)["No UID at all"].source_id == no_uid.source_id  # stable


def test_reimport_adds_nothing(vendors, write):
    path = write("google.ics", samples.google_calendar())
    first = apply_import(vendors, plan_import(vendors, [path], rep_email=REP, ics_range=RANGE))
    assert first.added > 0
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=RANGE)
    assert plan.added_count == 0
    assert plan.skipped_counts[SkipReason.DUPLICATE] == first.added
    assert apply_import(vendors, plan).added == 0


def test_unmatched_domains_are_reported_then_a_vendor_can_be_given(journal, write):
    journal.vendors.add("Acme")  # no domains yet
    path = write("google.ics", samples.google_calendar())
    plan = plan_import(journal, [path], rep_email=REP, ics_range=RANGE)
    assert plan.added_count == 0
    assert plan.unmatched_domains["acme.com"] >= 5
    assert "reseller.com" not in plan.unmatched_domains  # the rep's own domain never asks
    skipped = [s for s in plan.skipped if s.reason is SkipReason.NO_VENDOR]
    assert skipped and "acme.com" in skipped[0].domains
    answered = plan_import(journal, [path], rep_email=REP, ics_range=RANGE, vendor_for={"acme.com": "Acme"})
    assert {i.vendor for i in answered.added} == {"Acme"}
    fallback = plan_import(journal, [path], rep_email=REP, ics_range=RANGE, vendor="acme")
    assert fallback.added_count == answered.added_count + 1  # the Globex summit goes to Acme too


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"   \r\n", "empty"),
    (b"this is not a calendar", "not a calendar"),
    (b"BEGIN:VCARD\r\nEND:VCARD\r\n", "calendar"),
    (b"\x00\x01\x02\xff", "calendar"),
])
def test_files_that_are_not_calendars(vendors, write, data, words):
    path = write("x.ics", data)
    with pytest.raises(ImportFailed, match=words):
        plan_import(vendors, [path], ics_range=RANGE)


def test_method_cancel_invitation(vendors, write):
    data = samples.google_calendar().replace(b"METHOD:PUBLISH", b"METHOD:CANCEL")
    plan = plan_import(vendors, [write("cancel.ics", data)], ics_range=RANGE)
    assert plan.added_count == 0 and plan.skipped_counts[SkipReason.CANCELLED] >= 3


def test_default_range_is_the_last_two_years(vendors, write):
    plan = plan_import(vendors, [write("google.ics", samples.google_calendar())], rep_email=REP)
    start, end = plan.ics_range
    assert end == date.today() and (end - start).days in (730, 731)
