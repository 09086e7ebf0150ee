"""Calendar, mail, vCard and CSV shapes that real files have (issue 8, "Calendar and mail imports
that real files need"), each as a small fixture that mimics what the program writes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerdesk.services.importers import plan_import
from partnerdesk.services.importers.model import SkipReason
from tests.services.importers.conftest import REP


def _cal(*events: str, zones: str = "") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
            + zones + "".join(events) + "END:VCALENDAR\r\n").encode()


def _event(uid: str, start: str, extra: str = "", summary: str = "Partner sync") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART{start}\r\nSUMMARY:{summary}\r\n"
            f"ORGANIZER;CN=Dana:mailto:dana@acme.com\r\n{extra}END:VEVENT\r\n")


def test_this_and_future_change_keeps_every_occurrence(vendors, write):
    # Weekly from 2022-01-03 to the range's end 2025-09-15 (193 weeks: 194 meetings), moved an hour
    # later "this and all future" from 2024-06-03: Outlook writes a second VEVENT with
    # RECURRENCE-ID;RANGE=THISANDFUTURE. Before, the 68 meetings from the change on became one.
    master = _event("weekly", ":20220103T090000Z", "RRULE:FREQ=WEEKLY\r\n")
    future = _event("weekly", ":20240603T100000Z",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE:20240603T090000Z\r\nSEQUENCE:1\r\n",
                    "Partner sync (new time)")
    path = write("series.ics", _cal(master, future))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2022, 1, 1), date(2025, 9, 15)))
    times = sorted(p.occurred_at for p in plan.added)
    assert plan.added_count == 194
    assert len({p.source_id for p in plan.added}) == 194
    assert times[-1].hour == 10 and times[0].hour == 9


def test_a_malformed_end_time_keeps_the_meeting(vendors, write):
    path = write("end.ics", _cal(_event("e1", ":20250304T090000Z", "DTEND:2025-03-04 10:00\r\n")))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2025, 1, 1), date(2025, 12, 31)))
    assert plan.added_count == 1
    assert plan.added[0].occurred_at == datetime(2025, 3, 4, 9, tzinfo=UTC)


def test_windows_zone_names_without_vtimezone(vendors, write):
    # Outlook: TZID=W. Europe Standard Time and no VTIMEZONE block: 09:00 in Berlin in March is 08:00 UTC.
    path = write("win.ics", _cal(_event("w1", ";TZID=W. Europe Standard Time:20250304T090000")))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2025, 1, 1), date(2025, 12, 31)))
    assert plan.added_count == 1
    assert plan.added[0].occurred_at.astimezone(UTC) == datetime(2025, 3, 4, 8, tzinfo=UTC)


# Outlook's display names as the TZID, no VTIMEZONE: (TZID, local start, the UTC instant).
DISPLAY_NAMES = [
    ('"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"', "20250304T090000",
     datetime(2025, 3, 4, 8, tzinfo=UTC)),
    ('"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"', "20250704T090000",
     datetime(2025, 7, 4, 7, tzinfo=UTC)),  # summer time, as the zone database knows it
    ('"(UTC-08:00) Pacific Time (US & Canada)"', "20250304T090000",
     datetime(2025, 3, 4, 17, tzinfo=UTC)),
    ('"(UTC-05:00) Eastern Time (US & Canada)"', "20250704T090000",
     datetime(2025, 7, 4, 13, tzinfo=UTC)),
    ('"(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"', "20250304T090000",
     datetime(2025, 3, 4, 3, 30, tzinfo=UTC)),
    ('"(UTC) Dublin, Edinburgh, Lisbon, London"', "20250704T090000",
     datetime(2025, 7, 4, 8, tzinfo=UTC)),
    ('"(UTC-03:00) Brasilia"', "20250304T090000", datetime(2025, 3, 4, 12, tzinfo=UTC)),
    ('"W. Europe Standard Time"', "20250704T090000", datetime(2025, 7, 4, 7, tzinfo=UTC)),
]


@pytest.mark.parametrize(("tzid", "local", "instant"), DISPLAY_NAMES,
                         ids=[f"{z[:22]}-{t[4:8]}" for z, t, _ in DISPLAY_NAMES])
def test_windows_display_names_without_vtimezone(vendors, write, tzid, local, instant):
    # icalendar resolves Windows ids; Outlook's display names it left floating (the rep's zone).
    path = write("display.ics", _cal(_event("d1", f";TZID={tzid}:{local}",
                                            f"DTEND;TZID={tzid}:{local[:-6]}100000\r\n")))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2025, 1, 1), date(2025, 12, 31)))
    assert plan.added_count == 1
    assert plan.added[0].occurred_at.astimezone(UTC) == instant


def test_a_weekly_series_in_a_display_name_zone_follows_summer_time(vendors, write):
    tzid = '"(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"'
    series = _event("s1", f";TZID={tzid}:20250303T090000",
                    f"RRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE;TZID={tzid}:20250310T090000\r\n")
    path = write("series.ics", _cal(series))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2025, 1, 1), date(2025, 12, 31)))
    times = sorted(p.occurred_at.astimezone(UTC) for p in plan.added)
    # 3, 17, 24 March at 08:00 UTC; 31 March and 7 April (after the clocks changed) at 07:00.
    assert [(t.month, t.day, t.hour) for t in times] == [
        (3, 3, 8), (3, 17, 8), (3, 24, 8), (3, 31, 7), (4, 7, 7)]


def test_single_meetings_outside_the_range_are_history_and_imported(vendors, write):
    old = _event("old", ":20190304T090000Z", summary="Kick-off in 2019")
    series = _event("s", ":20190101T090000Z", "RRULE:FREQ=MONTHLY;COUNT=100\r\n", "Monthly")
    path = write("hist.ics", _cal(old, series))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2025, 1, 1), date(2025, 12, 31)))
    summaries = [p.summary for p in plan.added]
    assert "Kick-off in 2019" in summaries  # a single meeting is history, whatever the range
    assert summaries.count("Monthly") == 12  # a series is expanded inside the range only


def test_one_broken_alarm_does_not_refuse_the_file(vendors, write):
    broken = _event("b1", ":20250304T090000Z", "BEGIN:VALARM\r\nTRIGGER:soon-ish\r\nACTION:DISPLAY\r\n"
                                                "END:VALARM\r\n")
    fine = _event("f1", ":20250305T090000Z", summary="Fine one")
    path = write("alarm.ics", _cal(broken, fine))
    plan = plan_import(vendors, [path], rep_email=REP, ics_range=(date(2025, 1, 1), date(2025, 12, 31)))
    assert plan.added_count == 2


def _mail(from_: bytes, extra: bytes = b"") -> bytes:
    return (b"From: " + from_ + b"\r\nTo: me@reseller.com\r\nSubject: Hello\r\n"
            b"Date: Tue, 04 Mar 2025 10:00:00 +0000\r\nMessage-ID: <x1@acme.com>\r\n" + extra
            + b"\r\nHi\r\n")


def test_a_display_name_that_looks_like_an_address(vendors, write):
    path = write("m.eml", _mail(b"alice@globex.com <bob@acme.com>"))
    plan = plan_import(vendors, [path], rep_email=REP)
    assert plan.added[0].vendor == "Acme"
    assert [c.email for c in plan.new_contacts] == ["bob@acme.com"]


def test_non_ascii_local_parts_are_not_mangled(vendors, write):
    path = write("m.eml", _mail("Jürgen <jürgen.müller@acme.com>".encode(),
                                b"Content-Type: text/plain; charset=utf-8\r\n"))
    plan = plan_import(vendors, [path], rep_email=REP)
    emails = [c.email for c in plan.new_contacts]
    assert emails in (["jürgen.müller@acme.com"], [])  # kept whole, or not invented
    assert not any(e.startswith("ller") or e == "m@acme.com" for e in emails)


def test_html_without_head_end_still_yields_text(vendors, write):
    body = b"<html><head><title>x</title><p>The real text</p></html>"
    path = write("m.eml", _mail(b"Dana <dana@acme.com>", b"Content-Type: text/html; charset=utf-8\r\n")
                 .replace(b"\r\nHi\r\n", b"\r\n" + body + b"\r\n"))
    plan = plan_import(vendors, [path], rep_email=REP)
    assert plan.added_count == 1


def test_resent_date_is_used_when_date_is_missing(vendors, write):
    mail = _mail(b"Dana <dana@acme.com>", b"Resent-Date: Wed, 05 Mar 2025 11:00:00 +0000\r\n")
    path = write("m.eml", mail.replace(b"Date: Tue, 04 Mar 2025 10:00:00 +0000\r\n", b""))
    plan = plan_import(vendors, [path], rep_email=REP)
    assert plan.added[0].occurred_at == datetime(2025, 3, 5, 11, tzinfo=UTC)


def test_a_plain_text_mail_named_msg_is_read_as_mail(vendors, write):
    path = write("saved.msg", _mail(b"Dana <dana@acme.com>"))
    plan = plan_import(vendors, [path], rep_email=REP)
    assert plan.added_count == 1


def test_android_vcard_with_quoted_printable_soft_breaks(vendors, write):
    # Android writes UTF-8 quoted-printable and folds with '=' at the end of a line, even inside
    # a character's bytes (=C3= / =BC).
    card = (b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
            b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=\r\n=BCller;J=C3=BCrgen;;;\r\n"
            b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=\r\n=BCller\r\n"
            b"EMAIL;WORK:juergen@acme.com\r\nEND:VCARD\r\n")
    path = write("contacts.vcf", card)
    plan = plan_import(vendors, [path], rep_email=REP)
    assert [c.name for c in plan.new_contacts] == ["Jürgen Müller"]


def test_unix_timestamp_date_columns(vendors, write):
    path = write("crm.csv", b"Date,Subject,Company\r\n1741082400,Call one,Acme\r\n1741168800000,Call two,Acme\r\n")
    plan = plan_import(vendors, [path], rep_email=REP)
    assert sorted(p.occurred_at for p in plan.added) == [datetime(2025, 3, 4, 10, tzinfo=UTC),
                                                         datetime(2025, 3, 5, 10, tzinfo=UTC)]


def test_a_batch_with_one_bad_file_imports_the_others(vendors, write):
    good = write("good.eml", _mail(b"Dana <dana@acme.com>"))
    bad = write("bad.ics", b"BEGIN:VCALENDAR\r\nthis is not a calendar\r\n")
    plan = plan_import(vendors, [good, bad], rep_email=REP)
    assert plan.added_count == 1
    assert any(s.reason == SkipReason.BROKEN and "bad.ics" in (s.path + s.what) for s in plan.skipped)


@given(st.text(max_size=80), st.sampled_from(["", "(UTC+01:00) ", "(UTC-09:30) ", "(UTC) "]))
def test_any_tzid_resolves_to_a_zone_or_none_and_never_fails(text, prefix):
    from partnerdesk.services.importers.ics_zones import display_zone

    zone = display_zone(prefix + text)
    assert zone is None or datetime(2025, 1, 1, tzinfo=zone).utcoffset() is not None
    if prefix:
        assert zone is not None  # a display name always gets at least its offset
