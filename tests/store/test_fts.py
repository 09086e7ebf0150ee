"""Full-text search stays in step with the journal; no typed text ever reaches FTS syntax raw."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.models import InteractionFilter
from partnerdesk.domain.vocab import Source
from partnerdesk.store.fts_query import build_match
from partnerdesk.store.journal import Journal
from tests.helpers import draft, fts_check, journal_fts_check


def ids(found) -> list[int]:
    return sorted(i.id for i in found)


@pytest.fixture
def acme(journal: Journal):
    return journal.vendors.add("Acme Telecom")


def test_search_finds_summary_notes_topics_vendor_and_contact(journal, acme):
    dana = journal.contacts.add(acme.id, "Dana Okafor")
    a = journal.interactions.add(
        draft(
            acme.id,
            "Pricing exception granted",
            notes="Margin stays at 18%",
            topics=("deal registration",),
            contact_ids=(dana.id,),
        )
    )
    b = journal.interactions.add(draft(acme.id, "Ticket closed"))
    s = journal.interactions.search
    assert ids(s("pricing")) == [a.id]
    assert ids(s("MARGIN")) == [a.id]
    assert ids(s("registration")) == [a.id]
    assert ids(s("okafor")) == [a.id]
    assert ids(s("acme")) == [a.id, b.id]
    assert ids(s("acme ticket")) == [b.id]  # every word must match
    assert ids(s('"exception granted"')) == [a.id]
    assert ids(s('"granted exception"')) == []
    assert ids(s("pric*")) == [a.id]
    assert ids(s("tick*")) == [b.id]
    assert ids(s("nothing-like-this")) == []
    journal_fts_check(journal)


def test_accents_case_and_combining_marks_are_ignored(journal, acme):
    a = journal.interactions.add(draft(acme.id, "R\u00e9union \u00e0 Z\u00fcrich"))
    b = journal.interactions.add(draft(acme.id, "Caf\u0065\u0301 meeting"))  # decomposed e + acute
    assert ids(journal.interactions.search("reunion zurich")) == [a.id]
    assert ids(journal.interactions.search("R\u00c9UNION")) == [a.id]
    assert ids(journal.interactions.search("cafe")) == [b.id]
    assert ids(journal.interactions.search("caf\u00e9")) == [b.id]


def test_rtl_and_cjk_words_are_found(journal, acme):
    a = journal.interactions.add(
        draft(acme.id, "\u05e9\u05d9\u05d7\u05d4 \u05e2\u05dd \u05d3\u05e0\u05d4")
    )
    b = journal.interactions.add(
        draft(acme.id, "\u4f1a\u8bae \u6771\u4eac\u30c6\u30ec\u30b3\u30e0 \u4f63\u91d1")
    )
    c = journal.interactions.add(
        draft(
            acme.id,
            "\u0627\u062a\u0635\u0627\u0644 \u0628\u0634\u0623\u0646 \u0627\u0644\u0639\u0645\u0648\u0644\u0629",  # noqa: E501
        )
    )
    assert ids(journal.interactions.search("\u05d3\u05e0\u05d4")) == [a.id]
    # unicode61 has no CJK word breaker: a run of ideographs is one token, found whole or by prefix.
    assert ids(journal.interactions.search("\u6771\u4eac\u30c6\u30ec\u30b3\u30e0")) == [b.id]
    assert ids(journal.interactions.search("\u6771\u4eac\u30c6*")) == [b.id]
    assert ids(journal.interactions.search("\u0627\u0644\u0639\u0645\u0648\u0644\u0629")) == [c.id]


def test_edit_replaces_old_text_in_the_index(journal, acme):
    a = journal.interactions.add(
        draft(acme.id, "Original wording", notes="alpha", topics=("pricing",))
    )
    journal.interactions.update(
        a.id, draft(acme.id, "Revised wording", notes="omega", topics=("onboarding",))
    )
    s = journal.interactions.search
    assert ids(s("original")) == [] and ids(s("alpha")) == [] and ids(s("pricing")) == []
    assert (
        ids(s("revised")) == [a.id] and ids(s("omega")) == [a.id] and ids(s("onboarding")) == [a.id]
    )
    journal_fts_check(journal)


def test_delete_removes_from_search_and_restore_brings_it_back(journal, acme):
    a = journal.interactions.add(draft(acme.id, "Ephemeral note"))
    keep = journal.interactions.add(draft(acme.id, "Durable note"))
    gone = journal.interactions.delete(a.id)
    assert ids(journal.interactions.search("ephemeral")) == []
    assert ids(journal.interactions.search("note")) == [keep.id]
    journal_fts_check(journal)
    journal.interactions.restore(gone)
    assert ids(journal.interactions.search("ephemeral")) == [a.id]
    journal_fts_check(journal)


def test_moving_an_interaction_to_another_vendor_moves_its_name(journal, acme):
    other = journal.vendors.add("Zenith Voice")
    a = journal.interactions.add(draft(acme.id, "Quarterly review"))
    journal.interactions.update(a.id, draft(other.id, "Quarterly review"))
    assert ids(journal.interactions.search("acme")) == []
    assert ids(journal.interactions.search("zenith")) == [a.id]
    journal_fts_check(journal)


def test_vendor_rename_updates_what_search_finds(journal, acme):
    a = journal.interactions.add(draft(acme.id, "Call"))
    journal.vendors.update(acme.id, name="Pinnacle Networks")
    assert ids(journal.interactions.search("acme")) == []
    assert ids(journal.interactions.search("pinnacle")) == [a.id]
    assert journal.interactions.get(a.id).vendor_name == "Pinnacle Networks"
    journal_fts_check(journal)


def test_contact_rename_updates_what_search_finds(journal, acme):
    c = journal.contacts.add(acme.id, "Priya Patel")
    other = journal.contacts.add(acme.id, "Tom Walsh")
    a = journal.interactions.add(draft(acme.id, "Call", contact_ids=(c.id, other.id)))
    b = journal.interactions.add(draft(acme.id, "Email", contact_ids=(other.id,)))
    journal.contacts.update(c.id, name="Priya Sharma")
    assert ids(journal.interactions.search("patel")) == []
    assert ids(journal.interactions.search("sharma")) == [a.id]
    assert ids(journal.interactions.search("walsh")) == [a.id, b.id]
    journal_fts_check(journal)


def test_acquisition_and_acquirer_rename_update_what_search_finds(journal, acme):
    qwest = journal.vendors.add("Qwest")
    a = journal.interactions.add(draft(qwest.id, "Commission statement"))
    b = journal.interactions.add(draft(acme.id, "Acme's own call"))
    assert ids(journal.interactions.search("centurylink")) == []
    buyer = journal.vendors.add("CenturyLink")
    journal.vendors.set_acquirer(qwest.id, buyer.id, date(2011, 4, 1))
    assert ids(journal.interactions.search("centurylink")) == [a.id]  # found under the buyer's name
    journal.vendors.update(buyer.id, name="Lumen")
    assert ids(journal.interactions.search("centurylink")) == []
    assert ids(journal.interactions.search("lumen")) == [a.id]
    journal.vendors.set_acquirer(qwest.id, None, None)
    assert ids(journal.interactions.search("lumen")) == []
    assert ids(journal.interactions.search("qwest")) == [a.id]
    assert ids(journal.interactions.search("acme")) == [b.id]
    journal_fts_check(journal)


def test_bulk_add_is_indexed_and_keeps_the_trigger(journal, acme):
    before = journal.interactions.add(draft(acme.id, "Before the bulk"))
    drafts = [
        draft(acme.id, f"Bulk row {n} marker{n % 7}", source=Source.CSV, source_id=f"r{n}")
        for n in range(2500)
    ]  # above the bulk threshold: index written in one pass
    assert journal.interactions.add_many(drafts) == (2500, 0)
    assert len(journal.interactions.search("marker3", limit=10_000)) == len(range(3, 2500, 7))
    after = journal.interactions.add(draft(acme.id, "After the bulk"))  # the trigger is back
    assert ids(journal.interactions.search("after")) == [after.id]
    assert ids(journal.interactions.search("before")) == [before.id]
    assert journal.interactions.add_many(drafts[:10]) == (0, 10)  # re-import adds nothing
    journal_fts_check(journal)


def test_search_respects_vendor_filter_and_limit_newest_first(journal, acme):
    other = journal.vendors.add("Other Co")
    base = datetime(2026, 1, 1, tzinfo=UTC)
    mine = [
        journal.interactions.add(draft(acme.id, "renewal", at=base + timedelta(days=n))).id
        for n in range(5)
    ]
    journal.interactions.add(draft(other.id, "renewal", at=base))
    got = journal.interactions.search("renewal", InteractionFilter(vendor_ids=(acme.id,)), limit=3)
    assert [i.id for i in got] == mine[::-1][:3]


def test_the_content_check_does_catch_a_stale_index(journal, acme):
    """The integrity check the other tests rely on can fail: break the index on purpose."""
    a = journal.interactions.add(draft(acme.id, "Will go stale"))
    conn = journal.raw_connection()
    try:
        conn.execute("DROP TRIGGER interaction_fts_update")
        conn.execute(
            "UPDATE interaction SET summary = 'changed behind the index' WHERE id = ?", (a.id,)
        )
        with pytest.raises(sqlite3.DatabaseError):
            fts_check(conn)
    finally:
        conn.close()


FTS_SYNTAX = [
    '"',
    "*",
    "NEAR(",
    "NEAR",
    "^",
    "-",
    "AND",
    "OR",
    "NOT",
    ":",
    "(",
    ")",
    "+",
    "{",
    "}",
    "summary:",
    "notes :",
    "'",
    "\\",
    "\x00",
    "\u2028",
    '*"',
    '""',
    "a*",
    "ab*",
    "abc*",
]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        '"""',
        "*",
        "**",
        "-",
        "^",
        ":",
        "(",
        ")",
        "NEAR(",
        "NEAR(a b",
        "a AND",
        "AND",
        "OR b",
        "NOT",
        "summary:secret",
        "{summary notes}: x",
        '"unterminated',
        'x" y "z',
        "a*b",
        "-pricing",
        "^start",
        "col:umn",
        "a + b",
        "\x00",
        "a\x00b",
        "\ud800",
        "caf\udce9",
    ],
)
def test_fts_syntax_in_search_text_is_literal(journal, acme, text):
    journal.interactions.add(draft(acme.id, "NEAR AND OR NOT summary secret start pricing column"))
    journal.interactions.search(text)  # never raises
    match = build_match(text)
    if match is not None:
        with journal.reading() as conn:
            conn.exec_driver_sql(
                "SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH ?", (match,)
            ).scalar_one()


def test_operators_are_searched_as_words(journal, acme):
    a = journal.interactions.add(draft(acme.id, "Vendor said NOT now, NEAR the end"))
    b = journal.interactions.add(draft(acme.id, "Vendor said yes"))
    assert ids(journal.interactions.search("NOT now")) == [a.id]
    assert ids(journal.interactions.search("NEAR(")) == [a.id]
    assert ids(journal.interactions.search("said -yes")) == [
        b.id
    ]  # '-' is a literal, not "exclude"
    assert (
        ids(journal.interactions.search("said OR nothing")) == []
    )  # OR is a word that must appear
    assert build_match("*") is None and build_match('"') is None and build_match("^ - :") is None


_searchy = st.lists(st.one_of(st.sampled_from(FTS_SYNTAX), st.text(max_size=8)), max_size=8).map(
    " ".join
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(st.text(max_size=40), _searchy))
def test_search_never_raises_and_match_is_valid_fts(journal, acme, text):
    if journal.interactions.count() == 0:
        journal.interactions.add(
            draft(acme.id, "NEAR AND pricing commission \u00e9t\u00e9 \u6771\u4eac")
        )
    journal.interactions.search(text)
    journal.interactions.ids(InteractionFilter(text=text))
    match = build_match(text)
    if match is None:
        return
    with journal.reading() as conn:
        conn.exec_driver_sql(
            "SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH ?", (match,)
        ).scalar_one()


_words = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Nd", "Po", "Sm", "Zs")), min_size=1, max_size=30
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    summary=st.one_of(
        _words,
        st.lists(st.one_of(_words, st.sampled_from(FTS_SYNTAX)), min_size=1, max_size=6).map(
            " ".join
        ),
    )
)
def test_searching_for_a_summary_finds_it(journal, acme, summary):
    if build_match(summary) is None:
        return
    from partnerdesk.domain.validation import clean_line

    if not clean_line(summary) or len(clean_line(summary)) > 500:
        return
    saved = journal.interactions.add(draft(acme.id, summary))
    assert saved.id in {i.id for i in journal.interactions.search(summary, limit=100_000)}
