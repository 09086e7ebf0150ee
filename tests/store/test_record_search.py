"""Events and question answers are found by search, on a new journal and on an upgraded one."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from partnerdesk.domain.vocab import EventKind
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal
from partnerdesk.store.record_search import search_records
from tests.store.test_migrations import V1_FIXTURE


def test_events_and_answers_are_found_and_say_what_they_are(journal: Journal):
    v = journal.vendors.add("Crestline")
    journal.events.add(v.id, date(2025, 6, 1), EventKind.COMPENSATION_CHANGE, "Residuals cut by half")
    question = journal.questions.add(v.id, "Who owns partner escalations now?")
    journal.questions.answer(v.id, question.id, "Dana Reyes owns escalations", on=date(2025, 7, 2))
    with journal.reading() as conn:
        hits = search_records(conn, "residual*")
        assert [(h.kind, h.vendor_name, h.on) for h in hits] == [("event", "Crestline", "2025-06-01")]
        assert hits[0].label().startswith("Event · Crestline · 2025-06-01")
        answers = search_records(conn, "escalations")
        assert [h.kind for h in answers] == ["answer"]
        assert search_records(conn, "") == []
    lite = LiteJournal(journal.path)
    with lite.reading() as conn:
        assert [h.kind for h in search_records(conn, "dana")] == ["answer"]


def test_a_deleted_event_is_no_longer_found(journal: Journal):
    v = journal.vendors.add("Harbor Fiber")
    event = journal.events.add(v.id, date(2025, 1, 5), EventKind.OTHER, "Portal migration")
    journal.events.delete(event.id)
    with journal.reading() as conn:
        assert search_records(conn, "portal") == []


def test_an_upgraded_journal_finds_its_old_events(tmp_path: Path):
    old = tmp_path / "journal.sqlite3"
    shutil.copyfile(V1_FIXTURE, old)
    with Journal.open(old) as j:
        texts = [e.text for e in j.events.all() if e.text]
        word = texts[0].split()[0]
        with j.reading() as conn:
            assert any(h.kind == "event" for h in search_records(conn, word))
