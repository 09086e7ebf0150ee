"""CSV from Salesforce, HubSpot and a rep's own spreadsheet; the mapping and the date formats."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from partnerdesk.domain.vocab import Channel, Direction, Tag
from partnerdesk.services.importers import ImportFailed, SkipReason, apply_import, plan_import
from partnerdesk.services.importers.csv_rows import guess_mapping
from partnerdesk.services.importers.dates import DateReader
from tests.services.importers import samples


def test_salesforce_report_with_title_rows_bom_quoted_newline_and_footer(vendors, write):
    path = write("sf.csv", samples.salesforce_activities())
    plan = plan_import(vendors, [path])
    assert plan.csv_mapping == {"Subject": "summary", "Date": "occurred_at", "Company / Account": "vendor",
                                "Contact": "contacts", "Task Type": "channel", "Full Comments": "notes",
                                "Activity ID": "source_id"}
    by = {i.summary: i for i in plan.added}
    assert set(by) == {"Call: pricing", "Email: deal reg", "QBR", "Unknown co"}  # Initech: a vendor by name
    assert by["Call: pricing"].vendor == "Acme"  # 'Acme Corp.' and 'ACME, Inc.' are Acme
    assert by["Email: deal reg"].vendor == "Acme"
    assert by["QBR"].contacts == ("Jörg Müller", "Priya Patel")
    assert by["QBR"].occurred_at.date() == date(2025, 3, 14)
    assert by["Call: pricing"].channel is Channel.CALL and by["QBR"].channel is Channel.MEETING
    assert by["Call: pricing"].source_id == "activity id:00T5g00001AbCdE"
    assert plan.unmatched_vendor_names == {}
    reasons = sorted(s.reason.value for s in plan.skipped)
    assert reasons.count("broken") == 3  # no date, and the two footer lines
    apply_import(vendors, plan)
    row = next(i for i in vendors.interactions.list() if i.summary == "Call: pricing")
    assert row.notes == "Talked pricing.\nShe will send the sheet."
    assert row.tag is Tag.TRANSACTIONAL


def test_unknown_company_is_asked_about(journal, write):
    journal.vendors.add("Acme")
    plan = plan_import(journal, [write("sf.csv", samples.salesforce_activities())])
    assert plan.unmatched_vendor_names == {"Globex": 1, "Initech": 1}
    answered = plan_import(journal, [write("sf.csv", samples.salesforce_activities())],
                           vendor_for={"Globex": "Acme", "initech": "Acme"})
    assert answered.added_count == 4


def test_hubspot_semicolons_cp1252_types_directions_and_outcomes(vendors, write):
    plan = plan_import(vendors, [write("hs.csv", samples.hubspot_engagements())])
    assert plan.sources[0].delimiter == ";" and plan.sources[0].encoding == "cp1252"
    by = {i.summary: i for i in plan.added}
    call = by["Commission question"]
    assert call.occurred_at == datetime(2025, 3, 4, 14, 30).astimezone()
    assert call.channel is Channel.CALL and call.direction is Direction.OUTBOUND and call.tag is Tag.HELPFUL
    mail = by["Price list"]
    assert mail.channel is Channel.EMAIL and mail.direction is Direction.INBOUND and mail.vendor == "Globex"
    assert mail.tag is Tag.TRANSACTIONAL and mail.contacts == ("Jörg Müller",)
    assert by["Onsite visit"].tag is Tag.TRANSACTIONAL  # 'Connected' is no verdict: the default
    assert any("neither helpful nor transactional" in n for n in plan.notes)
    apply_import(vendors, plan)
    assert any(i.notes == "Résumé of the call" for i in vendors.interactions.list())
    # no id column: a stable hash of the row keeps a re-import idempotent
    again = plan_import(vendors, [write("hs.csv", samples.hubspot_engagements())])
    assert again.added_count == 0 and again.skipped_counts[SkipReason.DUPLICATE] == 3


def test_rep_spreadsheet_tabs_latin1_day_first_dots(vendors, write, local_tz):
    local_tz("Europe/Berlin")
    plan = plan_import(vendors, [write("mine.txt", samples.rep_spreadsheet_eu())])
    assert plan.sources[0].delimiter == "\t"
    by = {i.summary: i for i in plan.added}
    assert by["Fast answer on SPIFF"].occurred_at == datetime(2025, 3, 4, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert by["Portal down"].occurred_at == datetime(2025, 3, 25, 16, 45, tzinfo=ZoneInfo("Europe/Berlin"))
    assert by["Fast answer on SPIFF"].tag is Tag.HELPFUL and by["Portal down"].tag is Tag.TRANSACTIONAL
    apply_import(vendors, plan)
    row = next(i for i in vendors.interactions.list() if i.summary == "Fast answer on SPIFF")
    assert row.topics == ("spiff", "pricing") and row.quality == 5 and row.notes == "They helped, für real"


def test_day_first_is_learned_from_the_file_or_given(vendors, write):
    path = write("d.csv", samples.day_first_slashes())
    plan = plan_import(vendors, [path])
    assert [i.occurred_at.date() for i in plan.added] == [date(2025, 4, 3), date(2025, 4, 25)]
    us = write("us.csv", b"Date,Company,Subject\r\n03/04/2025,Acme,First\r\n")
    plan = plan_import(vendors, [us])
    assert plan.added[0].occurred_at.date() == date(2025, 3, 4)
    assert any("month first" in n for n in plan.notes)
    plan = plan_import(vendors, [us], day_first=True)
    assert plan.added[0].occurred_at.date() == date(2025, 4, 3)


def test_mapping_corrections_win(vendors, write):
    data = b"When it was,Who,What happened,Subject\r\n2025-03-04,Acme,Real summary,not this\r\n"
    path = write("m.csv", data)
    with pytest.raises(ImportFailed, match="no date column"):
        plan_import(vendors, [path])
    plan = plan_import(vendors, [path], csv_mapping={"When it was": "occurred_at", "who": "vendor",
                                                     "What happened": "summary"})
    assert plan.csv_mapping["Subject"] == ""  # the user's summary column replaced the guess
    assert plan.added[0].summary == "Real summary" and plan.added[0].vendor == "Acme"


def test_guessed_mapping_uses_each_field_once():
    mapping = guess_mapping(["Title", "Subject", "Created Date", "Activity Date", "Account", "Notes", "X"])
    assert mapping["Subject"] == "summary" and mapping["Title"] == ""
    assert mapping["Activity Date"] == "occurred_at" and mapping["Created Date"] == ""
    assert mapping["Account"] == "vendor" and mapping["X"] == ""


@pytest.mark.parametrize("text, expected", [
    ("2025-03-04", datetime(2025, 3, 4, 9, 0)),
    ("2025-03-04 14:30", datetime(2025, 3, 4, 14, 30)),
    ("2025-03-04T14:30:00", datetime(2025, 3, 4, 14, 30)),
    ("2025/03/04", datetime(2025, 3, 4, 9, 0)),
    ("3/4/2025", datetime(2025, 3, 4, 9, 0)),
    ("3/4/25 2:30 PM", datetime(2025, 3, 4, 14, 30)),
    ("03/04/2025 14:30:59", datetime(2025, 3, 4, 14, 30, 59)),
    ("04.03.2025", datetime(2025, 3, 4, 9, 0)),
    ("4.3.2025 08:15", datetime(2025, 3, 4, 8, 15)),
    ("4 Mar 2025", datetime(2025, 3, 4, 9, 0)),
    ("March 4, 2025 2:30 pm", datetime(2025, 3, 4, 14, 30)),
    ("Tue, 4 March 2025", datetime(2025, 3, 4, 9, 0)),
    ("45720", datetime(2025, 3, 4, 9, 0)),
    ("45720.5", datetime(2025, 3, 4, 12, 0)),
])
def test_local_date_formats(text, expected, local_tz):
    local_tz("America/New_York")
    assert DateReader().parse(text) == expected.astimezone()


@pytest.mark.parametrize("text", ["2025-03-04T14:30:00Z", "2025-03-04 14:30 +00:00",
                                  "Tue, 04 Mar 2025 14:30:00 +0000", "2025-03-04 14:30 UTC"])
def test_dates_with_zones(text):
    moment = DateReader().parse(text)
    assert moment.utcoffset().total_seconds() == 0 and (moment.hour, moment.minute) == (14, 30)


@pytest.mark.parametrize("text", ["", "yesterday-ish", "13/13/2025", "2025-02-30", "31/02/2025", "12:30",
                                  "1/2/3/4", "99999999"])
def test_dates_that_are_refused(text):
    with pytest.raises(ValueError):
        DateReader(day_first=True).parse(text)


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"a,b,c\r\n1,2,3\r\n", "no date column"),
    (b"Date,Other\r\n2025-01-01,x\r\n", "no subject or notes"),
    (b"\x00\x01binary\x00" * 20, "not a text file"),
])
def test_csv_files_that_cannot_be_imported(vendors, write, data, words):
    with pytest.raises(ImportFailed, match=words):
        plan_import(vendors, [write("x.csv", data)])


def test_utf16_excel_unicode_text(vendors, write):
    text = "Date\tCompany\tSubject\r\n2025-03-04\tAcme\tÜbersicht\r\n"
    plan = plan_import(vendors, [write("u.txt", b"\xff\xfe" + text.encode("utf-16-le"))])
    assert plan.added[0].summary == "Übersicht"


def test_long_subject_goes_to_notes(vendors, write):
    long = "word " * 200
    plan = plan_import(vendors, [write("l.csv", f"Date,Company,Subject\r\n2025-03-04,Acme,{long}\r\n".encode())])
    apply_import(vendors, plan)
    (row,) = vendors.interactions.list()
    assert len(row.summary) <= 500 and row.summary.endswith("…") and long.strip() in row.notes
