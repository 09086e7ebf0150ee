"""Lists, paging, follow-ups and other everyday reads; and that a failed write leaves nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from partnerdesk.domain.errors import AlreadyExists, InvalidInput, NotFound
from partnerdesk.domain.models import FollowUp, InteractionFilter
from partnerdesk.domain.vocab import Channel, EventKind, FollowUpOwner, Role, Source, Tag
from partnerdesk.store.interactions import Cursor
from tests.helpers import draft, journal_fts_check, sqlite_rows

BASE = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def two(journal):
    return journal.vendors.add("Meridian Telecom"), journal.vendors.add("Harbor Fiber")


def _dump(journal):
    tables = [
        "vendor",
        "vendor_domain",
        "contact",
        "vendor_event",
        "interaction",
        "interaction_contact",
    ]
    return {t: sqlite_rows(journal.path, f"SELECT * FROM {t}") for t in tables}


def test_keyset_paging_visits_every_row_once_newest_first(journal, two):
    a, b = two
    # Many rows share a timestamp: the id breaks ties, so no page may repeat or skip one.
    drafts = [
        draft((a if n % 3 else b).id, f"row {n}", at=BASE + timedelta(hours=n // 4))
        for n in range(103)
    ]
    journal.interactions.add_many(drafts)
    seen, after = [], None
    while True:
        page = journal.interactions.list(limit=10, after=after)
        if not page:
            break
        seen.extend(page)
        after = Cursor.after(page[-1])
    assert len(seen) == 103 and len({i.id for i in seen}) == 103
    keys = [(i.occurred_at, i.id) for i in seen]
    assert keys == sorted(keys, reverse=True)
    assert [i.id for i in seen] == journal.interactions.ids()
    only_b = InteractionFilter(vendor_ids=(b.id,))
    first = journal.interactions.list(only_b, limit=5)
    rest = journal.interactions.list(only_b, limit=1000, after=Cursor.after(first[-1]))
    assert [i.id for i in first + rest] == journal.interactions.ids(only_b)
    assert journal.interactions.count(only_b) == len(first + rest) == len(range(0, 103, 3))


def test_filters(journal, two):
    a, b = two
    journal.interactions.add(draft(a.id, "call", at=BASE, channel=Channel.CALL, tag=Tag.HELPFUL))
    journal.interactions.add(
        draft(
            a.id, "mail", at=BASE + timedelta(days=1), channel=Channel.EMAIL, tag=Tag.TRANSACTIONAL
        )
    )
    journal.interactions.add(
        draft(b.id, "meet", at=BASE + timedelta(days=2), channel=Channel.MEETING)
    )

    def summaries(**kw):
        return [i.summary for i in journal.interactions.list(InteractionFilter(**kw))]

    assert summaries() == ["meet", "mail", "call"]
    assert summaries(tag=Tag.TRANSACTIONAL) == ["mail"]
    assert summaries(channel=Channel.CALL) == ["call"]
    assert summaries(vendor_ids=(a.id,)) == ["mail", "call"]
    assert summaries(since=BASE + timedelta(days=1)) == ["meet", "mail"]
    assert summaries(until=BASE + timedelta(days=1)) == ["call"]  # until is exclusive
    assert summaries(text="mail") == ["mail"]


def test_follow_ups_and_vendor_stats(journal, two):
    a, b = two
    today = date(2026, 3, 1)
    late = journal.interactions.add(
        draft(a.id, "late", follow_up=FollowUp(due=date(2026, 2, 1), what="x"))
    )
    soon = journal.interactions.add(
        draft(a.id, "soon", follow_up=FollowUp(due=date(2026, 3, 5), owner=FollowUpOwner.VENDOR))
    )
    done = journal.interactions.add(draft(b.id, "done", follow_up=FollowUp(due=date(2026, 1, 1))))
    journal.interactions.set_follow_up_done(done.id, BASE)
    assert [i.id for i in journal.interactions.follow_ups(today)] == [late.id, soon.id]
    assert [i.id for i in journal.interactions.follow_ups(today, overdue_only=True)] == [late.id]
    assert journal.interactions.get(done.id).follow_up.done_at == BASE
    journal.interactions.set_follow_up_done(done.id, None)  # reopened
    assert journal.interactions.get(done.id).follow_up.is_open
    with pytest.raises(NotFound):
        journal.interactions.set_follow_up_done(
            journal.interactions.add(draft(a.id, "no fu")).id, BASE
        )
    # Overdue is the one definition: the vendor's promises past due (Promise.is_overdue), not
    # the rep's own to-dos ("late", and b's reopened one).
    journal.interactions.add(draft(a.id, "owed", follow_up=FollowUp(
        due=date(2026, 2, 10), what="y", owner=FollowUpOwner.VENDOR)))
    stats = journal.interactions.vendor_stats(today)
    assert stats[a.id][0] == 4 and stats[a.id][2] == 1
    assert stats[b.id] == (1, datetime(2025, 6, 1, 12, tzinfo=UTC), 0)


def test_topics_most_used_first(journal, two):
    a, _ = two
    for topics in (("pricing", "support"), ("pricing",), ("onboarding", "pricing"), ("support",)):
        journal.interactions.add(draft(a.id, "x", topics=topics))
    assert journal.interactions.topics() == ["pricing", "support", "onboarding"]


def test_vendors_domains_archive_and_acquisition(journal, two):
    a, b = two
    journal.vendors.update(
        a.id, domains=["meridian.example", "https://www.mt.example/x"], tier=" Gold "
    )
    assert journal.vendors.by_domain("sales.mt.example").id == a.id
    assert journal.vendors.by_domain("example") is None
    with pytest.raises(AlreadyExists, match="already belongs to Meridian Telecom"):
        journal.vendors.update(b.id, domains=["mt.example"])
    journal.vendors.update(b.id, archived=True)
    assert [v.name for v in journal.vendors.all(include_archived=False)] == ["Meridian Telecom"]
    journal.vendors.set_acquirer(b.id, a.id, date(2020, 1, 1))
    with pytest.raises(InvalidInput, match="own each other"):
        journal.vendors.set_acquirer(a.id, b.id, date(2021, 1, 1))
    with pytest.raises(InvalidInput, match="itself"):
        journal.vendors.set_acquirer(a.id, a.id, date(2021, 1, 1))
    assert journal.vendors.get(b.id).display_name == "Harbor Fiber (Meridian Telecom)"
    journal.interactions.add(draft(b.id, "x"))
    with pytest.raises(InvalidInput, match="archive it"):
        journal.vendors.delete(b.id)
    journal.vendors.delete(journal.vendors.add("Temp").id)
    assert len(journal.vendors.all()) == 2


def test_case_insensitive_names_beyond_ascii(journal):
    v = journal.vendors.add("Telef\u00f3nica")
    with pytest.raises(AlreadyExists):
        journal.vendors.add("TELEF\u00d3NICA")
    with pytest.raises(AlreadyExists):
        journal.vendors.add("telef\u00f3nica")
    other = journal.vendors.add("Stra\u00dfe Networks")
    with pytest.raises(AlreadyExists):
        journal.vendors.update(other.id, name="telef\u00d3nica")
    journal.vendors.update(v.id, name="TELEF\u00d3NICA")  # renaming to its own name in another case
    assert journal.vendors.resolve("telef\u00f3nica").name == "TELEF\u00d3NICA"
    assert journal.vendors.resolve("STRASSE NETWORKS").id == other.id
    journal.contacts.add(v.id, "\u00c9mile Zola")
    with pytest.raises(AlreadyExists):
        journal.contacts.add(v.id, "\u00e9mile zola")
    journal.contacts.add(other.id, "\u00e9mile zola")  # another vendor may have one
    assert len(journal.vendors.all()) == 2


def test_contacts_roles_spans_and_resolve(journal, two):
    a, _ = two
    c = journal.contacts.add(
        a.id,
        "Dana Reyes",
        role=Role.CHANNEL_MANAGER,
        email=" Dana@X.example ",
        active_from=date(2020, 1, 1),
    )
    assert c.email == "dana@x.example"
    assert journal.contacts.resolve(a.id, "  DANA  reyes ").id == c.id
    assert journal.contacts.resolve(a.id, "dan").id == c.id
    with pytest.raises(InvalidInput, match="before the start"):
        journal.contacts.update(c.id, active_to=date(2019, 1, 1))
    left = journal.contacts.update(c.id, active_to=date(2024, 6, 30))
    assert (left.active_from, left.active_to) == (date(2020, 1, 1), date(2024, 6, 30))
    assert journal.contacts.update(c.id, active_from=None).active_from is None
    with pytest.raises(NotFound):
        journal.contacts.add(9999, "Ghost")


def test_events(journal, two):
    a, _ = two
    e1 = journal.events.add(a.id, date(2020, 5, 1), EventKind.ACQUISITION, " Acquired\nby X ")
    journal.events.add(a.id, date(2019, 5, 1), EventKind.PROGRAMME_CHANGE, "New tiers")
    assert e1.text == "Acquired by X"
    assert [e.on for e in journal.events.for_vendor(a.id)] == [date(2019, 5, 1), date(2020, 5, 1)]
    journal.events.delete(e1.id)
    assert len(journal.events.all()) == 1
    with pytest.raises(NotFound):
        journal.events.delete(e1.id)
    with pytest.raises(InvalidInput):
        journal.events.add(a.id, date(2020, 1, 1), EventKind.OTHER, "  ")


def test_failed_writes_leave_the_file_as_it_was(journal, two):
    a, b = two
    c = journal.contacts.add(a.id, "Dana Reyes")
    ok = journal.interactions.add(
        draft(a.id, "keep", contact_ids=(c.id,), source=Source.CSV, source_id="1")
    )
    before = _dump(journal)
    with pytest.raises(NotFound):
        journal.interactions.add(draft(a.id, "ghost contact", contact_ids=(c.id, 4242)))
    with pytest.raises(NotFound):
        journal.interactions.add(draft(9999, "ghost vendor"))
    with pytest.raises(AlreadyExists):
        journal.interactions.add(draft(b.id, "dup", source=Source.CSV, source_id="1"))
    with pytest.raises(InvalidInput):  # one bad draft in a bulk write: none of it lands
        journal.interactions.add_many(
            [draft(a.id, f"bulk {n}") for n in range(50)] + [draft(a.id, " ")]
        )
    with pytest.raises(NotFound):
        journal.interactions.add_many([draft(a.id, "fine"), draft(31337, "no such vendor")])
    with pytest.raises(NotFound):
        journal.interactions.add_many([draft(a.id, "fine"), draft(a.id, "x", contact_ids=(4242,))])
    with pytest.raises(NotFound):
        journal.interactions.update(ok.id, draft(a.id, "changed", contact_ids=(4242,)))
    newco = journal.vendors.add("Newco", domains=["a.example", "b.example"])
    with pytest.raises(AlreadyExists):  # the vendor row must not outlive its refused domain
        journal.vendors.add("Other", domains=["b.example"])
    journal.vendors.delete(newco.id)
    with pytest.raises(AlreadyExists):
        journal.vendors.update(b.id, name="MERIDIAN TELECOM", tier="changed")
    with pytest.raises(AlreadyExists):
        journal.contacts.add(a.id, "dana reyes")
    sam = journal.contacts.add(a.id, "Sam")
    with pytest.raises(AlreadyExists):
        journal.contacts.update(sam.id, name="DANA REYES", email="changed@x.example")
    assert journal.contacts.get(sam.id).email == ""
    journal_fts_check(journal)
    after = _dump(journal)
    after["contact"] = [r for r in after["contact"] if r[0] != sam.id]
    assert after == before
    assert journal.interactions.get(ok.id).summary == "keep"


def test_timestamps(journal, two):
    a, _ = two
    item = journal.interactions.add(draft(a.id, "x"))
    assert item.created_at.tzinfo is not None and item.created_at == item.updated_at
    assert abs(item.created_at - datetime.now(UTC)) < timedelta(minutes=5)
