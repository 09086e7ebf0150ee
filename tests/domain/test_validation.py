"""What the domain tidies and what it refuses, and that it never eats real text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.validation import (
    NOTES_MAX,
    clean_domain,
    clean_line,
    clean_name,
    clean_topics,
    validate_draft,
)
from partnerdesk.domain.vocab import Channel, Direction, EventKind, Role, Tag, parse_choice

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji joined by ZWJ
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ is part of the spelling
HEBREW_WITH_MARK = "\u05e9\u05dc\u05d5\u05dd\u200f"  # RTL mark
FLAG = "\U0001f1ee\U0001f1f3"
KEYCAP = "1\ufe0f\u20e3"
NEWER_THAN_PY311 = "\U0001fae8"  # 'shaking face', Unicode 15: unassigned in Python 3.11's tables


def _draft(**kw: object) -> InteractionDraft:
    base = InteractionDraft(
        vendor_id=1, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), summary="Call", tag=Tag.HELPFUL
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_clean_line_collapses_whitespace_and_controls():
    assert clean_line("  a\tb\n\nc\r\n d\x00e\x1bf  ") == "a b c d e f"
    assert clean_line("a\u2028b\u2029c\u00a0d") == "a b c d"


@pytest.mark.parametrize(
    "text",
    [
        FAMILY,
        PERSIAN,
        HEBREW_WITH_MARK,
        FLAG,
        KEYCAP,
        NEWER_THAN_PY311,
        "e\u0301cole",
        "\u6771\u4eac\u30c6\u30ec\u30b3\u30e0",
        "\uf8ff",
    ],
)
def test_clean_line_keeps_real_text(text):
    assert clean_line(f"Vendor {text} one") == f"Vendor {text} one"


def test_clean_line_replaces_undecodable_bytes_visibly():
    # What Python makes of invalid UTF-8 in argv or stdin (surrogateescape): never storable as is.
    assert clean_line("Acme\udcff Ltd") == "Acme\ufffd Ltd"


def test_clean_name_limits():
    assert clean_name("  Qwest \n", "vendor") == "Qwest"
    with pytest.raises(InvalidInput, match="empty"):
        clean_name(" \n\t ", "vendor")
    with pytest.raises(InvalidInput, match="under 200"):
        clean_name("x" * 201, "vendor")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("https://www.Example.com/partners", "example.com"),
        ("@example.com", "example.com"),
        ("mail.acme.co.uk", "mail.acme.co.uk"),
        ("b\u00fccher.de", "xn--bcher-kva.de"),
    ],
)
def test_clean_domain(text, want):
    assert clean_domain(text) == want


@pytest.mark.parametrize(
    "text", ["", "not a domain", "localhost", "a..b.com", "-x.com", "\udcff.com"]
)
def test_clean_domain_refuses(text):
    with pytest.raises(InvalidInput):
        clean_domain(text)


def test_topics_lowercase_dedup_in_order():
    assert clean_topics(["Pricing", " deal  registration ", "pricing", "", "SPIFF"]) == (
        "pricing",
        "deal registration",
        "spiff",
    )
    with pytest.raises(InvalidInput):
        clean_topics(["x" * 61])


def test_validate_draft_tidies_and_refuses():
    d = validate_draft(
        _draft(
            summary="  two\nlines ",
            notes="a\r\nb\x00c",
            topics=("X", "x"),
            contact_ids=(3, 3, 4),
            follow_up=FollowUp(due=datetime(2026, 1, 2).date(), what=" call\nback "),
        )
    )
    assert d.summary == "two lines"
    assert d.notes == "a\nbc"
    assert d.topics == ("x",)
    assert d.contact_ids == (3, 4)
    assert d.follow_up is not None and d.follow_up.what == "call back"
    for bad, match in [
        (dict(summary=" "), "empty"),
        (dict(summary="x" * 501), "under 500"),
        (dict(quality=0), "1 to 5"),
        (dict(quality=6), "1 to 5"),
        (dict(occurred_at=datetime(2026, 1, 1)), "time zone"),
        (dict(notes="x" * (NOTES_MAX + 1)), "notes"),
    ]:
        with pytest.raises(InvalidInput, match=match):
            validate_draft(_draft(**bad))


def test_notes_keep_every_character_but_lone_surrogates():
    notes = f"line one\nline two\r\n{FAMILY} {PERSIAN} {HEBREW_WITH_MARK}\n\ttabbed \u0301"
    assert validate_draft(_draft(notes=notes)).notes == notes.replace("\r\n", "\n")
    assert validate_draft(_draft(notes="caf\udce9")).notes == "caf\ufffd"


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_summary_is_refused_or_one_clean_line(text):
    try:
        d = validate_draft(_draft(summary=text))
    except InvalidInput:
        return
    assert d.summary and d.summary == d.summary.strip()
    assert len(d.summary.splitlines()) == 1
    assert d.summary.encode("utf-8")


@pytest.mark.parametrize(
    ("enum", "text", "want"),
    [
        (Tag, "Helpful", Tag.HELPFUL),
        (Tag, "t", Tag.TRANSACTIONAL),
        (Channel, " CALL ", Channel.CALL),
        (Direction, "they", Direction.INBOUND),
        (Direction, "out", Direction.OUTBOUND),
        (Role, "cm", Role.CHANNEL_MANAGER),
        (Role, "partner-account_manager", Role.PARTNER_ACCOUNT_MANAGER),
        (EventKind, "portal", EventKind.SYSTEM_CHANGE),
        (EventKind, "Program Change", EventKind.PROGRAMME_CHANGE),
    ],
)
def test_parse_choice_forgives(enum, text, want):
    assert parse_choice(enum, text, "x") is want


def test_parse_choice_lists_the_choices():
    with pytest.raises(InvalidInput, match="helpful, transactional"):
        parse_choice(Tag, "meh", "tag")
