"""Mail saved by Gmail, Outlook, Apple Mail and Thunderbird, as .eml and in .mbox files."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from partnerdesk.domain.vocab import Channel, Direction, Source
from partnerdesk.services.importers import ImportFailed, SkipReason, apply_import, plan_import
from tests.services.importers import samples
from tests.services.importers.conftest import REP


def test_gmail_multipart_alternative(vendors, write):
    plan = plan_import(vendors, [write("a.eml", samples.gmail_alternative())], rep_email=REP)
    (item,) = plan.added
    assert item.summary == "Renewal margin — confirmed"
    assert item.occurred_at == datetime(2025, 3, 4, 14, 15, 2, tzinfo=UTC)
    assert item.vendor == "Acme" and item.channel is Channel.EMAIL
    assert item.direction is Direction.INBOUND
    assert set(item.contacts) == {"Dana Reyes", "Walsh, Tom"}  # the rep's colleague is not a contact
    assert item.source is Source.EMAIL and item.source_id == "CAF=abc123@mail.gmail.com"
    apply_import(vendors, plan)
    (row,) = vendors.interactions.list()
    assert "12 % — confirmed" in row.notes and "<div" not in row.notes


def test_outlook_html_only_cp1252_sent_by_the_rep(vendors, write):
    plan = plan_import(vendors, [write("b.eml", samples.outlook_html_only_cp1252())], rep_email=REP)
    (item,) = plan.added
    assert item.summary == "Angebot “Globex”"
    assert item.direction is Direction.OUTBOUND and item.vendor == "Globex"
    assert item.contacts == ("Jörg Müller",)
    apply_import(vendors, plan)
    (row,) = vendors.interactions.list()
    assert "Grüße," in row.notes and "“quote” for Globex & co." in row.notes
    assert "• item one" in row.notes and "alert" not in row.notes and "color" not in row.notes
    assert "Attachments: quote.pdf" in row.notes


def test_shift_jis_and_iso_2022_jp(vendors, write):
    plan = plan_import(vendors, [write("c.eml", samples.shift_jis_mail())], rep_email=REP)
    (item,) = plan.added
    assert item.vendor == "Globex" and item.summary  # decoded, not mojibake
    apply_import(vendors, plan)
    (row,) = vendors.interactions.list()
    assert "価格表を送ります" in row.notes


def test_malformed_headers_survive(vendors, write):
    plan = plan_import(vendors, [write("d.eml", samples.malformed_mail())], rep_email=REP)
    (item,) = plan.added
    assert item.vendor == "Acme"  # from the broken From header
    assert item.occurred_at == datetime(2025, 3, 7, 11, 0, tzinfo=UTC)  # from Received
    assert item.source_id.startswith("sha256:")  # no Message-ID: a hash of the message
    assert "Ticket" in item.summary
    apply_import(vendors, plan)
    (row,) = vendors.interactions.list()
    assert "closed without a fix" in row.notes


def test_a_mail_with_no_date_at_all_is_skipped_with_the_reason(vendors, write):
    plan = plan_import(vendors, [write("e.eml", samples.apple_mail_no_date())])
    assert plan.added_count == 0
    (skip,) = plan.skipped
    assert skip.reason is SkipReason.BROKEN and "date" in skip.detail


def test_direction_without_rep_email(vendors, write):
    plan = plan_import(vendors, [write("b.eml", samples.outlook_html_only_cp1252())])
    assert plan.added[0].direction is Direction.OUTBOUND  # From is no vendor's
    plan = plan_import(vendors, [write("a.eml", samples.gmail_alternative())])
    assert plan.added[0].direction is Direction.INBOUND


def test_mbox_with_many_messages_and_reimport(vendors, write):
    box = samples.mbox(samples.gmail_alternative(), samples.outlook_html_only_cp1252(),
                       samples.shift_jis_mail(), samples.malformed_mail(), samples.apple_mail_no_date(),
                       samples.gmail_alternative())
    path = write("Inbox", box)  # Thunderbird's mbox files have no extension
    plan = plan_import(vendors, [path], rep_email=REP)
    # The message without a Date header keeps the date of its mbox 'From ' line.
    assert plan.added_count == 5
    assert plan.skipped_counts == {SkipReason.DUPLICATE: 1}
    assert apply_import(vendors, plan).added == 5
    assert plan_import(vendors, [path], rep_email=REP).added_count == 0


def test_new_contacts_are_created_once(vendors, write):
    path = write("a.eml", samples.gmail_alternative())
    plan = plan_import(vendors, [path], rep_email=REP)
    assert {c.name for c in plan.new_contacts} == {"Dana Reyes", "Walsh, Tom"}
    result = apply_import(vendors, plan)
    assert result.contacts_added == 2
    acme = vendors.vendors.resolve("Acme")
    people = {c.name: c.email for c in vendors.contacts.for_vendor(acme.id)}
    assert people == {"Dana Reyes": "dana.reyes@acme.com", "Walsh, Tom": "tom.walsh@acme.com"}
    (row,) = vendors.interactions.list()
    assert {c.name for c in row.contacts} == set(people)


@pytest.mark.parametrize("name, data, words", [
    ("x.mbox", b"not a mailbox at all\n", "no messages"),
    ("x.eml", b"\n\nno headers here", "no headers"),
    ("x.msg", b"\xd0\xcf\x11\xe0 outlook", ".eml"),
])
def test_files_that_are_not_mail(vendors, write, name, data, words):
    with pytest.raises(ImportFailed, match=words):
        plan_import(vendors, [write(name, data)])
