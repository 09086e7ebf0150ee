"""Files shaped like what real programs export, written by hand from their documented and observed
shapes (no real person's data). Each function returns the file's bytes."""

from __future__ import annotations

import base64
import quopri

CRLF = "\r\n"


def _ics(lines: list[str]) -> bytes:
    return (CRLF.join(lines) + CRLF).encode("utf-8")


def google_calendar() -> bytes:
    """Google Calendar export: UTC times with Z, X-WR-TIMEZONE, an RRULE with a TZID'd start,
    an overridden occurrence, an EXDATE, folded lines and an all-day event."""
    return _ics([
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:me@reseller.com",
        "X-WR-TIMEZONE:America/New_York",
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "X-LIC-LOCATION:America/New_York",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "DTSTART:19700308T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
        "DTSTART:19701101T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "DTSTART:20250305T150000Z",
        "DTEND:20250305T160000Z",
        "DTSTAMP:20250401T120000Z",
        "ORGANIZER;CN=Dana Reyes:mailto:dana.reyes@acme.com",
        "UID:7kukuqrfedlm2f9t6rdtdnnlbp@google.com",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=me@reseller.c",
        " om;X-NUM-GUESTS=0:mailto:me@reseller.com",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Dana Reyes;X-NUM-GUESTS=0:mailto:dana.reyes@acme.com",
        "ATTENDEE;CUTYPE=ROOM;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Board room:mailto:c_188@resource.calendar.google.com",
        "CREATED:20250301T100000Z",
        "DESCRIPTION:Agenda:\\n- Q2 pricing\\n- deal registration backlog\\, again\\n\\nJoin",
        "  with Google Meet: https://meet.google.com/abc-defg-hij",
        "LOCATION:",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "SUMMARY:Acme pricing review",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART;TZID=America/New_York:20250106T100000",
        "DTEND;TZID=America/New_York:20250106T103000",
        "RRULE:FREQ=WEEKLY;UNTIL=20250210T150000Z;BYDAY=MO",
        "EXDATE;TZID=America/New_York:20250120T100000",
        "DTSTAMP:20250401T120000Z",
        "ORGANIZER;CN=Me:mailto:me@reseller.com",
        "UID:weekly-acme-sync@google.com",
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Dana Reyes:mailto:dana.reyes@acme.com",
        "ATTENDEE;PARTSTAT=DECLINED;CN=Tom Walsh:mailto:tom.walsh@acme.com",
        "SUMMARY:Weekly Acme sync",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART;TZID=America/New_York:20250128T140000",
        "DTEND;TZID=America/New_York:20250128T143000",
        "RECURRENCE-ID;TZID=America/New_York:20250127T100000",
        "UID:weekly-acme-sync@google.com",
        "SUMMARY:Weekly Acme sync (moved to Tuesday)",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART;VALUE=DATE:20250312",
        "DTEND;VALUE=DATE:20250313",
        "UID:allday-summit@google.com",
        "ORGANIZER:mailto:events@globex.com",
        "SUMMARY:Globex partner summit",
        "END:VEVENT",
        "END:VCALENDAR",
    ])


def outlook_calendar() -> bytes:
    """Outlook: Windows zone names with their VTIMEZONE, a cancelled occurrence as an override,
    a cancelled meeting, X-MICROSOFT props, and one broken VEVENT (no DTSTART)."""
    return _ics([
        "BEGIN:VCALENDAR",
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
        "BEGIN:VTIMEZONE",
        "TZID:W. Europe Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16011028T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010325T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "CLASS:PUBLIC",
        "CREATED:20250102T090000Z",
        "DESCRIPTION:Monthly Globex channel call\\n",
        "DTSTART;TZID=\"W. Europe Standard Time\":20250203T090000",
        "DTEND;TZID=\"W. Europe Standard Time\":20250203T093000",
        "RRULE:FREQ=MONTHLY;COUNT=4;BYMONTHDAY=3",
        "ORGANIZER;CN=\"Jörg Müller\":mailto:joerg.mueller@eu.globex.com",
        "ATTENDEE;CN=\"Rep\";RSVP=TRUE:mailto:me@reseller.com",
        "SUMMARY;LANGUAGE=de-DE:Globex Kanal-Call",
        "UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART;TZID=\"W. Europe Standard Time\":20250403T090000",
        "DTEND;TZID=\"W. Europe Standard Time\":20250403T093000",
        "RECURRENCE-ID;TZID=\"W. Europe Standard Time\":20250403T090000",
        "ORGANIZER;CN=\"Jörg Müller\":mailto:joerg.mueller@eu.globex.com",
        "STATUS:CANCELLED",
        "SUMMARY:Abgesagt: Globex Kanal-Call",
        "UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTSTART;TZID=\"W. Europe Standard Time\":20250220T150000",
        "ORGANIZER:mailto:joerg.mueller@eu.globex.com",
        "STATUS:CANCELLED",
        "SUMMARY:Cancelled: QBR",
        "UID:cancelled-qbr",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "SUMMARY:Broken: no start",
        "UID:no-start",
        "ORGANIZER:mailto:joerg.mueller@eu.globex.com",
        "END:VEVENT",
        "END:VCALENDAR",
    ])


def apple_calendar() -> bytes:
    """Apple Calendar: IANA TZIDs, X-APPLE props, a floating time, a date outside the range."""
    return _ics([
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Apple Inc.//macOS 14.4//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VTIMEZONE",
        "TZID:America/Los_Angeles",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:-0800",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "DTSTART:20070311T020000",
        "TZNAME:PDT",
        "TZOFFSETTO:-0700",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:-0700",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "DTSTART:20071104T020000",
        "TZNAME:PST",
        "TZOFFSETTO:-0800",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "CREATED:20250110T180000Z",
        "UID:5F2A3B4C-1D2E-4F5A-9B8C-7D6E5F4A3B2C",
        "DTEND;TZID=America/Los_Angeles:20250115T113000",
        "TRANSP:OPAQUE",
        "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC",
        "SUMMARY:Lunch with Acme SE",
        "DTSTART;TZID=America/Los_Angeles:20250115T110000",
        "DTSTAMP:20250110T180000Z",
        "LOCATION:Café Rouge\\nBerkeley",
        "ATTENDEE;CN=Priya Patel;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:priya@mail.acme.com",
        "SEQUENCE:0",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:floating-1",
        "DTSTART:20250116T083000",
        "SUMMARY:Call with Globex (floating time)",
        "ATTENDEE:mailto:sales@globex.com",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:old-one",
        "DTSTART;TZID=America/Los_Angeles:20150116T083000",
        "SUMMARY:Ancient Acme meeting",
        "ATTENDEE:mailto:old@acme.com",
        "END:VEVENT",
        "END:VCALENDAR",
    ])


def thunderbird_calendar() -> bytes:
    """Thunderbird (Lightning): X-MOZ props, a VALARM inside, a bad DTSTART, an event with no UID."""
    return _ics([
        "BEGIN:VCALENDAR",
        "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        "VERSION:2.0",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "CREATED:20250201T101010Z",
        "LAST-MODIFIED:20250201T101010Z",
        "DTSTAMP:20250201T101010Z",
        "UID:b1d2c3e4-aaaa-bbbb-cccc-1234567890ab",
        "SUMMARY:Acme Quartalsgespräch",
        "ORGANIZER;CN=Rep:mailto:me@reseller.com",
        "ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:dana.reyes@acme.com",
        "DTSTART;TZID=Europe/Berlin:20250210T140000",
        "DTEND;TZID=Europe/Berlin:20250210T150000",
        "X-MOZ-GENERATION:1",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER;VALUE=DURATION:-PT15M",
        "DESCRIPTION:Default Mozilla Description",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:bad-date",
        "SUMMARY:Broken start",
        "DTSTART;TZID=Europe/Berlin:2025021XT140000",
        "ATTENDEE:mailto:dana.reyes@acme.com",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "SUMMARY:No UID at all",
        "DTSTART:20250211T090000Z",
        "ATTENDEE:mailto:dana.reyes@acme.com",
        "END:VEVENT",
        "END:VCALENDAR",
    ])


# -- mail --------------------------------------------------------------------------------------------
def _b64(text: str, charset: str) -> str:
    return base64.encodebytes(text.encode(charset)).decode("ascii")


def gmail_alternative() -> bytes:
    """Gmail: multipart/alternative, quoted-printable UTF-8 plain part, HTML part, RFC 2047 subject."""
    plain = quopri.encodestring("Hi,\n\nthe new margin for renewals is 12 % — confirmed.\n\nDana\n".encode()).decode()
    return (
        "MIME-Version: 1.0\r\n"
        "Date: Tue, 4 Mar 2025 09:15:02 -0500\r\n"
        "Message-ID: <CAF=abc123@mail.gmail.com>\r\n"
        "Subject: =?UTF-8?Q?Renewal_margin_=E2=80=94_confirmed?=\r\n"
        "From: Dana Reyes <dana.reyes@acme.com>\r\n"
        "To: Rep <me@reseller.com>\r\n"
        "Cc: \"Walsh, Tom\" <tom.walsh@acme.com>, boss@reseller.com\r\n"
        "Content-Type: multipart/alternative; boundary=\"000000000000abcdef\"\r\n"
        "\r\n"
        "--000000000000abcdef\r\n"
        "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n" + plain.replace("\n", "\r\n") + "\r\n"
        "--000000000000abcdef\r\n"
        "Content-Type: text/html; charset=\"UTF-8\"\r\n"
        "\r\n"
        "<div dir=\"ltr\">Hi,<br><br>the new margin</div>\r\n"
        "--000000000000abcdef--\r\n"
    ).encode("ascii")


def outlook_html_only_cp1252() -> bytes:
    """Outlook: HTML only, Windows-1252 in base64, an attachment, sent by the rep."""
    html = ("<html><head><style>p {color: red}</style></head><body><p>Grüße,</p>"
            "<p>attached the “quote” for Globex&nbsp;&amp; co.</p><ul><li>item one</li><li>item two</li></ul>"
            "<script>alert(1)</script></body></html>")
    return (
        "Received: from mail.reseller.com by mx; Wed, 05 Mar 2025 10:00:00 +0100\r\n"
        "From: Rep <me@reseller.com>\r\n"
        "To: =?iso-8859-1?Q?J=F6rg_M=FCller?= <joerg.mueller@eu.globex.com>\r\n"
        "Subject: =?windows-1252?Q?Angebot_=93Globex=94?=\r\n"
        "Date: Wed, 5 Mar 2025 09:58:00 +0100\r\n"
        "Message-ID: <AM0PR01MB1234@eurprd01.prod.outlook.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"_004_\"\r\n"
        "\r\n"
        "--_004_\r\n"
        "Content-Type: text/html; charset=\"windows-1252\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n" + _b64(html, "cp1252") +
        "--_004_\r\n"
        "Content-Type: application/pdf; name=\"quote.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"quote.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n" + base64.encodebytes(b"%PDF-1.4 fake").decode() +
        "--_004_--\r\n"
    ).encode("ascii")


def shift_jis_mail() -> bytes:
    """A Japanese mail client: Shift_JIS body, ISO-2022-JP encoded-word subject."""
    body = "お世話になっております。価格表を送ります。".encode("shift_jis")
    return (
        b"From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@globex.co.jp>\r\n"
        b"To: me@reseller.com\r\n"
        b"Subject: =?ISO-2022-JP?B?GyRCMkE3aklWGyhC?=\r\n"
        b"Date: Thu, 06 Mar 2025 18:00:00 +0900\r\n"
        b"Message-ID: <sjis-1@globex.co.jp>\r\n"
        b"Content-Type: text/plain; charset=Shift_JIS\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n"
        b"\r\n" + body + b"\r\n"
    )


def malformed_mail() -> bytes:
    """Broken headers a mailbox really holds: a From without a closing bracket, a Date in words,
    no Message-ID, Latin-1 bytes in a header, an unknown charset."""
    return (
        b"From: \"Acme Support <support@acme.com\r\n"
        b"To: me@reseller.com,,, \"\r\n"
        b"Subject: Ticket \xe9 #4411 closed\r\n"
        b"Date: sometime last Tuesday\r\n"
        b"Received: from x by y; Fri, 07 Mar 2025 11:00:00 +0000\r\n"
        b"Content-Type: text/plain; charset=x-unknown-8bit\r\n"
        b"\r\n"
        b"Your ticket was closed without a fix. \xff\xfe\r\n"
    )


def apple_mail_no_date() -> bytes:
    return (
        b"From: Tom Walsh <tom.walsh@acme.com>\r\n"
        b"To: me@reseller.com\r\n"
        b"Subject: No date here\r\n"
        b"Mime-Version: 1.0 (Mac OS X Mail 16.0)\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\n"
        b"\r\n"
        b"Hello\r\n"
    )


def mbox(*messages: bytes) -> bytes:
    """Thunderbird/Gmail Takeout mbox: each message after a 'From ' line, '>From ' quoted in bodies."""
    out = b""
    for m in messages:
        out += b"From - Tue Mar 04 09:15:02 2025\r\n" + m.replace(b"\r\nFrom ", b"\r\n>From ")
        if not out.endswith(b"\n"):
            out += b"\n"
        out += b"\n"
    return out


# -- CSV ---------------------------------------------------------------------------------------------
def salesforce_activities() -> bytes:
    """A Salesforce activity report export: a title row, a blank row, US dates, a quoted newline,
    an Activity ID column, a footer; UTF-8 with a BOM."""
    text = (
        '"Activities with Accounts"\r\n'
        '\r\n'
        '"Subject","Date","Company / Account","Contact","Task Type","Full Comments","Activity ID"\r\n'
        '"Call: pricing","3/4/2025","Acme Corp.","Dana Reyes","Call","Talked pricing.\r\nShe will send the sheet.","00T5g00001AbCdE"\r\n'
        '"Email: deal reg","3/5/2025","ACME, Inc.","Tom Walsh","Email","Rejected again","00T5g00001AbCdF"\r\n'
        '"QBR","03/14/2025","Globex","Jörg Müller; Priya Patel","Meeting","","00T5g00001AbCdG"\r\n'
        '"Unknown co","3/15/2025","Initech","Bill Lumbergh","Call","","00T5g00001AbCdH"\r\n'
        '"No date here","","Acme Corp.","","Call","","00T5g00001AbCdI"\r\n'
        '\r\n'
        '"Grand Totals (5 records)"\r\n'
        '"Confidential Information - Do Not Distribute"\r\n'
    )
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def hubspot_engagements() -> bytes:
    """HubSpot engagements: ';' separated (a European Excel re-save), cp1252, ISO dates with
    time, engagement types, call direction, an outcome column, no id column."""
    text = (
        "Activity date;Activity type;Associated Company;Associated Contact;Subject;Body preview;Call direction;Outcome\r\n"
        "2025-03-04 14:30;CALL;Acme;Dana Reyes;Commission question;Résumé of the call;OUTBOUND;Helpful\r\n"
        "2025-03-05 09:00;INCOMING_EMAIL;Globex;Jörg Müller;Price list;Nothing else;;Transactional\r\n"
        "2025-03-06 11:15;MEETING;Acme;;Onsite visit;;;Connected\r\n"
    )
    return text.encode("cp1252")


def rep_spreadsheet_eu() -> bytes:
    """A rep's own sheet saved from Excel in Germany: tab separated, d.m.Y dates, Latin-1."""
    text = (
        "Datum\tVendor\tSubject\tNotes\tTag\tTopics\tQuality\r\n"
        "04.03.2025\tAcme\tFast answer on SPIFF\tThey helped, für real\thelpful\tspiff; pricing\t5\r\n"
        "25.03.2025 16:45\tGlobex\tPortal down\t\tno\tportal\t2\r\n"
    )
    return text.encode("latin-1")


def day_first_slashes() -> bytes:
    return (
        b"Date,Company,Subject\r\n"
        b"03/04/2025,Acme,First\r\n"
        b"25/04/2025,Acme,Second\r\n"
    )


# -- vCard -------------------------------------------------------------------------------------------
def vcards() -> bytes:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Reyes;Dana;;;\r\nFN:Dana Reyes\r\nORG:Acme Corp;Channel\r\n"
        "TITLE:Channel Manager\r\nEMAIL;type=INTERNET;type=WORK;type=pref:dana.reyes@acme.com\r\n"
        "TEL;type=WORK:+1 555 0100\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jörg Müller\r\nN:Müller;Jörg;;;\r\n"
        "EMAIL;TYPE=work;PREF=1:joerg.mueller@eu.globex.com\r\nTITLE:VP Partner Sales\r\n"
        "TEL;VALUE=uri;TYPE=\"voice,work\":tel:+49-30-1234\r\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Photo\r\nEMAIL:bp@acme.com\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dupont;=C3=89lise\r\n"
        "EMAIL;INTERNET:elise@initech.fr\r\nORG:Globex\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nobody\r\nEMAIL:nobody@unknown.example\r\nEND:VCARD\r\n"
    ).encode()
