"""Logging from typed text (what the CLI and the quick-log window share), and its JSON shape."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Tag
from partnerdesk.services.log_entry import LogRequest, build_draft, log_interaction, parse_quality
from partnerdesk.services.serialize import interaction_dict, interaction_flat

NOW = datetime(2026, 11, 27, 16, 45, tzinfo=UTC)
FIELDS = {
    "id",
    "vendor",
    "occurred_at",
    "channel",
    "direction",
    "tag",
    "quality",
    "summary",
    "notes",
    "topics",
    "contacts",
    "follow_up",
    "source",
}


@pytest.fixture
def acme(journal):
    v = journal.vendors.add("Acme Telecom")
    journal.contacts.add(v.id, "Dana Reyes")
    journal.contacts.add(v.id, "Dan Brown")
    return v


def test_a_full_request_becomes_a_stored_interaction(journal, acme):
    item = log_interaction(
        journal,
        LogRequest(
            vendor="  acme   TELECOM ",
            summary="Pricing call",
            tag="H",
            notes="n",
            channel="Call",
            direction="they",
            at="2026-11-20T10:00:00+00:00",
            contacts=["dana reyes", "Dan Brown"],
            topics=["Pricing"],
            quality="4",
            follow_up="2026-12-01",
            follow_up_text="Send quote",
            vendor_promise=True,
        ),
        NOW,
    )
    assert (item.vendor_name, item.tag, item.channel, item.direction, item.quality) == (
        "Acme Telecom",
        Tag.HELPFUL,
        Channel.CALL,
        Direction.INBOUND,
        4,
    )
    assert item.occurred_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert sorted(c.name for c in item.contacts) == ["Dan Brown", "Dana Reyes"]
    assert item.follow_up is not None and item.follow_up.owner is FollowUpOwner.VENDOR
    assert item.follow_up.due == date(2026, 12, 1)
    d = interaction_dict(item)
    assert FIELDS <= set(d)
    json.dumps(d)  # plain JSON types only
    flat = interaction_flat(item)
    assert flat["contacts"] == "Dan Brown; Dana Reyes" and flat["follow_up_owner"] == "vendor"


def test_defaults(journal, acme):
    item = log_interaction(
        journal, LogRequest(vendor="Acme Telecom", summary="x", tag="transactional"), NOW
    )
    assert (
        item.occurred_at == NOW
        and item.channel is Channel.OTHER
        and item.direction is Direction.OUTBOUND
    )
    assert item.quality is None and item.follow_up is None and item.contacts == ()


def test_contact_prefix_must_be_unambiguous(journal, acme):
    req = LogRequest(vendor="Acme Telecom", summary="x", tag="h", contacts=["Dan"])
    with pytest.raises(NotFound, match="no contact named 'Dan'"):
        build_draft(journal, req, NOW)  # 'Dan' is both Dan Brown and a prefix of Dana Reyes
    req.contacts = ["Dana"]
    assert [c for c in build_draft(journal, req, NOW).contact_ids] == [1]


def test_unknown_vendor_suggests_close_names(journal, acme):
    with pytest.raises(NotFound) as info:
        build_draft(journal, LogRequest(vendor="Acme Telcom", summary="x", tag="h"), NOW)
    assert "Acme Telecom" in str(info.value)


@pytest.mark.parametrize(
    ("value", "want"), [(None, None), ("", None), ("3", 3), (" 5 ", 5), (1, 1)]
)
def test_parse_quality(value, want):
    assert parse_quality(value) == want


@pytest.mark.parametrize("value", ["0", "6", "-1", "x", "4.5", "١٠"])
def test_parse_quality_refuses(value):
    with pytest.raises(InvalidInput):
        parse_quality(value)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    at=st.text(max_size=30),
    quality=st.one_of(st.none(), st.text(max_size=4)),
    follow_up=st.one_of(st.none(), st.text(max_size=12)),
)
def test_any_typed_fields_give_a_draft_or_a_clear_refusal(journal, acme, at, quality, follow_up):
    req = LogRequest(
        vendor="Acme Telecom",
        summary="s",
        tag="helpful",
        at=at,
        quality=quality,
        follow_up=follow_up,
    )
    try:
        d = build_draft(journal, req, NOW)
    except InvalidInput as exc:
        assert str(exc)
        return
    assert d.occurred_at.tzinfo is not None
