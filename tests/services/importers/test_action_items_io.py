"""Action items in the whole-journal JSON document (exact restore, merge) and the followups list."""

from __future__ import annotations

import csv
import json
import re
from datetime import date

from partnerdesk.services import followups as fu
from partnerdesk.services.demo import generate
from partnerdesk.services.exports import export, export_journal
from partnerdesk.services.importers import SkipReason, apply_import, plan_import
from partnerdesk.store.journal import Journal
from tests.helpers import sqlite_rows


def _journal_with_items(path):
    j = Journal.open(path)
    generate(j, interactions=300, vendors=5, seed=5)
    with j.reading() as conn:
        ids = [
            r[0]
            for r in conn.exec_driver_sql("SELECT id FROM interaction ORDER BY id LIMIT 3").all()
        ]
    fu.add_items(
        j,
        ids[0],
        [("Second item", date(2026, 5, 1), "me"), ("Third item", date(2026, 5, 2), "vendor")],
    )
    fu.add_items(j, ids[1], [("Another", date(2026, 6, 1), "vendor")])
    with j.reading() as conn:
        items = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM action_item WHERE state = 'open' ORDER BY id"
            ).all()
        ]
    fu.drop(j, items[:2], "superseded")
    fu.snooze(j, items[2:3], date(2099, 1, 1), date(2026, 1, 1))
    return j


def test_restore_keeps_every_item_and_exports_the_same_bytes(tmp_path):
    src = _journal_with_items(tmp_path / "src.sqlite3")
    doc = tmp_path / "doc.json"
    export_journal(src, doc)
    rows = sqlite_rows(src.path, "SELECT * FROM action_item ORDER BY id")
    week = sqlite_rows(src.path, "SELECT * FROM vendor_week ORDER BY 1, 2")
    src.close()
    parsed = json.loads(doc.read_bytes())
    assert parsed["counts"]["action_items"] == len(rows) == len(parsed["action_items"])
    with Journal.open(tmp_path / "restored.sqlite3") as j:
        plan = plan_import(j, [doc])
        assert plan.json_mode == "restore"
        apply_import(j, plan)
        assert sqlite_rows(j.path, "SELECT * FROM action_item ORDER BY id") == rows
        assert sqlite_rows(j.path, "SELECT * FROM vendor_week ORDER BY 1, 2") == week
        again = tmp_path / "again.json"
        export_journal(j, again)
    assert again.read_bytes() == doc.read_bytes()


def test_merge_adds_the_items_of_new_interactions_once(tmp_path):
    src = _journal_with_items(tmp_path / "src.sqlite3")
    doc = tmp_path / "doc.json"
    export_journal(src, doc)
    wanted = sorted(
        sqlite_rows(src.path, "SELECT what, owner, due, state, reason FROM action_item")
    )
    src.close()
    with Journal.open(tmp_path / "other.sqlite3") as j:
        j.vendors.add("Local Only")
        plan = plan_import(j, [doc])
        assert plan.json_mode == "merge"
        apply_import(j, plan)
        assert (
            sorted(sqlite_rows(j.path, "SELECT what, owner, due, state, reason FROM action_item"))
            == wanted
        )
        again = plan_import(j, [doc])
        assert again.skipped_counts[SkipReason.DUPLICATE] >= len(wanted)
        apply_import(j, again)
        assert sqlite_rows(j.path, "SELECT count(*) FROM action_item") == [(len(wanted),)]


def test_a_broken_item_record_is_skipped_with_a_reason(tmp_path):
    src = _journal_with_items(tmp_path / "src.sqlite3")
    doc = tmp_path / "doc.json"
    export_journal(src, doc)
    src.close()
    text = doc.read_text()
    text = re.sub(
        r'"state": "dropped", "closed_at": "[^"]+"',
        '"state": "dropped", "closed_at": null',
        text,
        count=1,
    )
    doc.write_text(text)
    with Journal.open(tmp_path / "r.sqlite3") as j:
        plan = plan_import(j, [doc])
        broken = [s for s in plan.skipped if s.reason is SkipReason.BROKEN]
        assert len(broken) == 1 and "closed_at" in broken[0].detail


def test_followups_list_as_csv_and_json(tmp_path):
    j = _journal_with_items(tmp_path / "src.sqlite3")
    with j:
        total = sqlite_rows(j.path, "SELECT count(*) FROM action_item")[0][0]
        result = export(j, tmp_path / "f.csv", "followups", "csv")
        assert result.counts == {"followups": total}
        with open(tmp_path / "f.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert {r["state"] for r in rows} >= {"dropped", "snoozed", "open"}
        assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
        export(j, tmp_path / "f.json", "followups", "json")
        items = json.loads((tmp_path / "f.json").read_text())
        assert len(items) == total and {"what", "vendor", "summary"} <= set(items[0])
