"""Partnership questions: five standard ones for every vendor, the rep's own, dated answers
with their history, and what is still unanswered."""

from __future__ import annotations

from datetime import date

import pytest

from partnerdesk.domain.errors import InvalidInput, NotFound
from tests.helpers import sqlite_rows

STANDARD = [
    "How does the vendor define partnership?",
    "How is success in the partnership judged?",
    "How has the vendor's partner programme evolved and grown?",
    "How will the vendor help us benefit from the deal?",
    "How do we fit into the vendor's business model?",
]


def test_every_vendor_starts_with_the_standard_questions(journal):
    a = journal.vendors.add("Acme").id
    qs = journal.questions.for_vendor(a)
    assert [q.text for q in qs] == STANDARD
    assert all(q.standard and q.vendor_id is None and q.latest is None for q in qs)
    assert journal.questions.unanswered(a) == qs


def test_own_questions_belong_to_one_vendor_and_come_after(journal):
    a, b = journal.vendors.add("Acme").id, journal.vendors.add("Bluepeak").id
    mine = journal.questions.add(a, "  Who owns  partner\nescalations after the merger? ")
    assert mine.text == "Who owns partner escalations after the merger?"
    assert (mine.vendor_id, mine.position, mine.standard) == (a, 1, False)
    second = journal.questions.add(a, "Is the SPIFF paid on renewals?")
    assert second.position == 2
    assert [q.id for q in journal.questions.for_vendor(a)][-2:] == [mine.id, second.id]
    assert len(journal.questions.for_vendor(b)) == 5
    assert journal.questions.get(mine.id) == mine


def test_answers_are_dated_and_history_is_kept(journal):
    a, b = journal.vendors.add("Acme").id, journal.vendors.add("Bluepeak").id
    q = journal.questions.for_vendor(a)[0]
    first = journal.questions.answer(a, q.id, "A revenue line.", on=date(2024, 3, 1))
    second = journal.questions.answer(a, q.id, "Joint account plans,\nshared pipeline.",
                                      on=date(2026, 1, 15))
    older = journal.questions.answer(a, q.id, "Registered partners only.", on=date(2022, 6, 1))
    assert (first.on, first.vendor_id, first.question_id) == (date(2024, 3, 1), a, q.id)
    history = journal.questions.history(a, q.id)
    assert [x.text for x in history] == ["Registered partners only.", "A revenue line.",
                                         "Joint account plans,\nshared pipeline."]
    assert history[-1] == second and history[0] == older
    got = journal.questions.for_vendor(a)[0]
    assert got.latest == second and len(got.answers) == 3
    # Another vendor's answer to the same standard question is its own.
    journal.questions.answer(b, q.id, "Tiered.", on=date(2025, 1, 1))
    assert [x.text for x in journal.questions.history(b, q.id)] == ["Tiered."]
    rest = [x.id for x in journal.questions.for_vendor(a)[1:]]
    assert [x.id for x in journal.questions.unanswered(a)] == rest
    # Answering without a date means today (local).
    assert journal.questions.answer(a, q.id, "Again").on == date.today()


def test_refusals(journal):
    a, b = journal.vendors.add("Acme").id, journal.vendors.add("Bluepeak").id
    theirs = journal.questions.add(b, "Bluepeak only?")
    with pytest.raises(NotFound, match="not one of this vendor's questions"):
        journal.questions.answer(a, theirs.id, "No")
    with pytest.raises(NotFound):
        journal.questions.answer(a, 999, "No")
    with pytest.raises(NotFound):
        journal.questions.for_vendor(999)
    with pytest.raises(NotFound):
        journal.questions.add(999, "Who?")
    with pytest.raises(InvalidInput):
        journal.questions.add(a, " \n ")
    with pytest.raises(InvalidInput):
        journal.questions.add(a, "x" * 501)
    with pytest.raises(InvalidInput):
        journal.questions.answer(a, theirs.id - 1, "   ")
    with pytest.raises(InvalidInput, match="standard question"):
        journal.questions.delete(1)
    with pytest.raises(NotFound):
        journal.questions.get(999)


def test_deleting_an_own_question_takes_its_answers(journal, db_path):
    a = journal.vendors.add("Acme").id
    mine = journal.questions.add(a, "Renewal margin?")
    journal.questions.answer(a, mine.id, "Same as new.", on=date(2025, 5, 5))
    journal.questions.delete(mine.id)
    assert len(journal.questions.for_vendor(a)) == 5
    assert sqlite_rows(db_path, "SELECT count(*) FROM answer") == [(0,)]
    with pytest.raises(NotFound):
        journal.questions.delete(mine.id)


def test_unicode_survives(journal):
    a = journal.vendors.add("Telefónica 東京").id
    q = journal.questions.add(a, "¿Cómo se mide el éxito? 成功 🌐 שלום")
    ans = journal.questions.answer(a, q.id, "Por margen — 利润率", on=date(2026, 2, 2))
    assert journal.questions.for_vendor(a)[-1].latest == ans
    assert journal.questions.for_vendor(a)[-1].text == "¿Cómo se mide el éxito? 成功 🌐 שלום"
