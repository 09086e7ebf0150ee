"""`partnerdesk search` finds events, answers and ledger records beside interactions, and every
row says its kind: a Kind column in the table, `kind` in JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from partnerdesk.domain.ledger import Registration, RegStatus
from partnerdesk.domain.vocab import EventKind
from partnerdesk.store.journal import Journal
from partnerdesk.store.ledger import add_registration
from tests.helpers import assert_ok, draft, run_cli


@pytest.fixture(scope="module")
def journal_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kinds") / "journal.sqlite3"
    with Journal.open(path) as j:
        crest = j.vendors.add("Crestline").id
        harbor = j.vendors.add("Harbor Fiber").id
        j.interactions.add(draft(crest, "Asked about the residuals letter"))
        j.events.add(crest, date(2025, 6, 1), EventKind.COMPENSATION_CHANGE,
                     "Residuals cut by half")
        q = j.questions.add(harbor, "Who approves residuals disputes?")
        j.questions.answer(harbor, q.id, "Dana approves residuals disputes", on=date(2025, 7, 2))
        with j.writing() as conn:
            add_registration(conn, Registration(None, harbor, "Residuals Holdings",
                                                RegStatus.APPROVED, decided_on=date(2025, 8, 3)))
    return path


def test_the_table_has_a_kind_column_and_interactions_come_first(journal_path):
    out = assert_ok(run_cli(["search", "residuals"], journal_path))
    lines = out.splitlines()
    assert lines[0].startswith("Kind ")
    kinds = [line.split("  ")[0].strip() for line in lines[2:]]
    assert kinds == ["Interaction", "Deal registration", "Answer", "Event"]
    assert "Residuals cut by half" in out and "Dana approves" in out


def test_json_and_csv_say_the_kind_of_every_row(journal_path):
    rows = json.loads(assert_ok(run_cli(["search", "residuals", "--format", "json"], journal_path)))
    assert [r["kind"] for r in rows] == ["interaction", "registration", "answer", "event"]
    assert rows[0]["summary"] == "Asked about the residuals letter"  # every interaction field
    assert rows[3] == {"kind": "event", "id": rows[3]["id"], "vendor_id": rows[3]["vendor_id"],
                       "vendor": "Crestline", "on": "2025-06-01",
                       "text": "compensation change Residuals cut by half"}
    assert "question_id" in rows[2]
    text = assert_ok(run_cli(["search", "residuals", "--format", "csv"], journal_path))
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["kind"] for r in table] == ["interaction", "registration", "answer", "event"]


def test_vendor_and_limit_apply_to_every_kind(journal_path):
    rows = json.loads(assert_ok(run_cli(["search", "residuals", "--vendor", "Crestline",
                                         "--format", "json"], journal_path)))
    assert [r["kind"] for r in rows] == ["interaction", "event"]
    rows = json.loads(assert_ok(run_cli(["search", "residuals", "--limit", "1", "--format", "json"],
                                        journal_path)))
    assert [r["kind"] for r in rows] == ["interaction", "registration"]  # at most 1 of each group


def test_nothing_found_says_so(journal_path):
    assert "Nothing matches" in assert_ok(run_cli(["search", "zebra"], journal_path))
