"""What goes into the journal comes back out: instants in any zone, any Unicode, big notes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.errors import AlreadyExists, InvalidInput
from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.validation import clean_line
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Role, Source, Tag
from partnerdesk.domain.when import parse_when
from partnerdesk.services.serialize import interaction_dict
from partnerdesk.store.journal import Journal
from tests.helpers import draft, journal_fts_check, sqlite_rows

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata"]

UNICODE_SAMPLES = {
    "rtl_hebrew": "\u05e9\u05d9\u05d7\u05d4 \u05e2\u05dd \u05de\u05e0\u05d4\u05dc \u05d4\u05e2\u05e8\u05d5\u05e6\u05d9\u05dd\u200f",  # noqa: E501
    "rtl_arabic": "\u0627\u062a\u0635\u0627\u0644 \u0645\u0639 \u0645\u062f\u064a\u0631 \u0627\u0644\u0642\u0646\u0627\u0629",  # noqa: E501
    "persian_zwnj": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "cjk": "\u6771\u4eac\u30c6\u30ec\u30b3\u30e0 \u4e2d\u56fd\u7535\u4fe1 \ud55c\uad6d\ud1b5\uc2e0",
    "emoji": "Deal won \U0001f389\U0001f680 family \U0001f468\u200d\U0001f469\u200d\U0001f467 flag \U0001f1ee\U0001f1f3 1\ufe0f\u20e3",  # noqa: E501
    "combining": "Cafe\u0301 Zu\u0308rich n\u0303 a\u0324\u0301\u0360",
    "mixed_bidi": "Meeting with \u05d3\u05e0\u05d4 about \u0627\u0644\u0639\u0645\u0648\u0644\u0629 (commission) \u2014 ok",  # noqa: E501
    "astral_math": "\U0001d54f\U0001d550\U0001d551 \U00020000\U0002a6d6",
}


def _at(zone_text: str) -> datetime:
    return datetime.fromisoformat(zone_text)


@pytest.fixture
def vendor(journal: Journal):
    return journal.vendors.add("Meridian Telecom")


@pytest.mark.parametrize("tz", ZONES)
def test_instants_round_trip_in_every_zone(journal, vendor, local_tz, tz):
    local_tz(tz)
    moments = [
        datetime(2026, 1, 15, 9, 30, tzinfo=UTC),
        datetime(2026, 7, 15, 9, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # London's last GMT second that day
        datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # New York 01:30 EDT (first of two)
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # New York 01:30 EST (second of two)
        datetime(1970, 1, 1, 0, 0, tzinfo=UTC),
        datetime(1969, 12, 31, 18, 30, tzinfo=UTC),  # before the epoch
        datetime(2099, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12))),
        datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=5, minutes=45))),  # Nepal
    ]
    ids = [
        journal.interactions.add(draft(vendor.id, f"m{n}", at=m)).id for n, m in enumerate(moments)
    ]
    for iid, moment in zip(ids, moments, strict=True):
        got = journal.interactions.get(iid)
        assert got.occurred_at == moment
        assert got.occurred_at.utcoffset() == timedelta(0)  # stored and returned as UTC
        shown = datetime.fromisoformat(interaction_dict(got)["occurred_at"])
        assert shown == moment
        assert shown.utcoffset() == moment.astimezone().utcoffset()  # local offset of that date
    stored = dict(sqlite_rows(journal.path, "SELECT id, occurred_at FROM interaction"))
    assert [stored[i] for i in ids] == [int(m.timestamp()) for m in moments]


@pytest.mark.parametrize(
    ("tz", "text"),
    [
        ("Europe/London", "2026-03-29 01:30"),
        ("Europe/London", "2026-10-25 01:30"),
        ("America/New_York", "2026-03-08 02:30"),
        ("America/New_York", "2026-11-01 01:30"),
        ("Asia/Kolkata", "2026-11-27 14:30"),
    ],
)
def test_dst_edge_times_typed_locally_round_trip_exactly(journal, vendor, local_tz, tz, text):
    local_tz(tz)
    when = parse_when(text)
    saved = journal.interactions.add(draft(vendor.id, "edge", at=when))
    got = journal.interactions.get(saved.id)
    assert got.occurred_at == when
    shown = datetime.fromisoformat(interaction_dict(got)["occurred_at"])
    assert shown == when and shown.utcoffset() == when.utcoffset()


def test_list_time_window_follows_local_days(journal, vendor, local_tz):
    from partnerdesk.domain.models import InteractionFilter
    from partnerdesk.domain.when import day_start

    local_tz("Asia/Kolkata")
    inside = datetime(2026, 5, 1, 0, 10).astimezone()  # 18:40 UTC the day before
    outside = datetime(2026, 4, 30, 23, 50).astimezone()
    a = journal.interactions.add(draft(vendor.id, "inside", at=inside))
    journal.interactions.add(draft(vendor.id, "outside", at=outside))
    f = InteractionFilter(since=day_start(date(2026, 5, 1)), until=day_start(date(2026, 5, 2)))
    assert [i.id for i in journal.interactions.list(f)] == [a.id]


@pytest.mark.parametrize("key", sorted(UNICODE_SAMPLES))
def test_unicode_round_trips_in_every_text_field(journal, key):
    text = UNICODE_SAMPLES[key]
    v = journal.vendors.add(
        f"{text} Networks", programme=f"{text} Partners", tier=text, notes=f"{text}\n{text}"
    )
    c = journal.contacts.add(
        v.id, f"{text} Contact", role=Role.SALES_ENGINEER, phone="+44 \u2066020\u2069"
    )
    d = InteractionDraft(
        vendor_id=v.id,
        occurred_at=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),
        summary=text,
        tag=Tag.TRANSACTIONAL,
        channel=Channel.MEETING,
        direction=Direction.INBOUND,
        notes=f"{text}\n\n  indented {text}\ttab",
        quality=3,
        topics=(text[:20],),
        contact_ids=(c.id,),
        follow_up=FollowUp(due=date(2026, 2, 10), what=text, owner=FollowUpOwner.VENDOR),
        source=Source.CSV,
        source_id=text,
    )
    saved = journal.interactions.add(d)
    j2 = Journal.open(journal.path)  # a second, independent connection pool reads it back
    try:
        got = j2.interactions.get(saved.id)
        vendor = j2.vendors.resolve(f"{text} Networks")
        contact = j2.contacts.get(c.id)
    finally:
        j2.close()
    assert vendor.name == f"{text} Networks"
    assert vendor.programme == f"{text} Partners" and vendor.tier == text
    assert vendor.notes == f"{text}\n{text}"
    assert contact.name == f"{text} Contact" and contact.phone == "+44 \u2066020\u2069"
    assert got.summary == text
    assert got.notes == f"{text}\n\n  indented {text}\ttab"
    assert got.topics == (clean_line(text[:20]).lower(),)
    assert [x.name for x in got.contacts] == [f"{text} Contact"]
    assert got.follow_up == FollowUp(due=date(2026, 2, 10), what=text, owner=FollowUpOwner.VENDOR)
    assert got.source is Source.CSV and got.source_id == text
    assert got.vendor_name == vendor.name
    journal_fts_check(journal)


def test_a_one_megabyte_note_round_trips_and_is_searchable(journal, vendor):
    line = "Quarterly review \u00e9\u00e8 \u6771\u4eac \U0001f4c8 commission residuals\n"
    notes = line * (1_048_576 // len(line.encode("utf-8")) + 1)
    notes += "needle-at-the-very-end"
    assert len(notes.encode("utf-8")) > 1_048_576
    saved = journal.interactions.add(draft(vendor.id, "Long notes", notes=notes))
    got = journal.interactions.get(saved.id)
    assert got.notes == notes
    assert [i.id for i in journal.interactions.search("needle at the very end")] == [saved.id]
    assert [i.id for i in journal.interactions.search('"needle-at-the-very-end"')] == [saved.id]
    journal_fts_check(journal)


def test_notes_over_the_limit_are_refused_and_nothing_is_written(journal, vendor):
    from partnerdesk.domain.validation import NOTES_MAX

    with pytest.raises(InvalidInput, match="notes"):
        journal.interactions.add(draft(vendor.id, "too long", notes="x" * (NOTES_MAX + 1)))
    assert journal.interactions.count() == 0


def test_update_and_delete_restore_keep_every_field(journal, vendor):
    c = journal.contacts.add(vendor.id, "Dana Reyes", role=Role.CHANNEL_MANAGER)
    saved = journal.interactions.add(
        draft(
            vendor.id,
            "first",
            contact_ids=(c.id,),
            topics=("pricing",),
            quality=4,
            follow_up=FollowUp(due=date(2026, 1, 2)),
        )
    )
    changed = journal.interactions.update(
        saved.id, draft(vendor.id, "second", quality=None, notes="n")
    )
    assert (
        changed.summary,
        changed.quality,
        changed.notes,
        changed.contacts,
        changed.follow_up,
    ) == ("second", None, "n", (), None)
    assert changed.created_at == saved.created_at
    gone = journal.interactions.delete(saved.id)
    assert journal.interactions.count() == 0
    back = journal.interactions.restore(gone)
    assert back.id == saved.id and back.summary == "second" and back.created_at == saved.created_at
    journal_fts_check(journal)


def test_duplicate_import_source_id_is_refused_and_skipped(journal, vendor):
    d = draft(vendor.id, "from csv", source=Source.CSV, source_id="row-1")
    journal.interactions.add(d)
    with pytest.raises(AlreadyExists):
        journal.interactions.add(d)
    assert journal.interactions.add_many(
        [d, draft(vendor.id, "new", source=Source.CSV, source_id="row-2")]
    ) == (1, 1)
    assert journal.interactions.count() == 2


_names = st.text(min_size=0, max_size=60)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_names, notes=st.text(max_size=300))
def test_any_vendor_name_is_refused_clearly_or_round_trips(journal, name, notes):
    try:
        v = journal.vendors.add(name, notes=notes)
    except InvalidInput:
        assert not clean_line(name)
        return
    except AlreadyExists:
        folded = clean_line(name).casefold()
        assert any(
            x.name.casefold() == folded or x.name.lower() == clean_line(name).lower()
            for x in journal.vendors.all()
        )
        return
    assert v.name == clean_line(name)
    assert journal.vendors.get(v.id).notes == notes.replace("\r\n", "\n").replace("\x00", "")
    assert journal.vendors.resolve(name).id == v.id or journal.vendors.resolve(v.name).id == v.id


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    summary=st.text(min_size=1, max_size=80),
    notes=st.text(max_size=500),
    topics=st.lists(st.text(max_size=20), max_size=3),
)
def test_any_summary_notes_and_topics_round_trip(journal, summary, notes, topics):
    vendors = journal.vendors.all()
    vid = vendors[0].id if vendors else journal.vendors.add("Harbor Fiber").id
    try:
        saved = journal.interactions.add(draft(vid, summary, notes=notes, topics=tuple(topics)))
    except InvalidInput:
        assert not clean_line(summary) or any(len(clean_line(t)) > 60 for t in topics)
        return
    got = journal.interactions.get(saved.id)
    assert got.summary == clean_line(summary)
    assert got.notes == notes.replace("\r\n", "\n").replace("\x00", "")
    assert got == saved
