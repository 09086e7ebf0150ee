"""`list` shows every action item of an interaction, not only its first (real processes)."""

from __future__ import annotations

import csv
import io
import json

from partnerdesk.store.journal import Journal
from tests.helpers import assert_ok, run_cli
from tests.three_items import DEMO, MDF, PRICES, QUOTE, ROADMAP, three_items


def _journal(tmp_path):
    db = tmp_path / "j.sqlite3"
    with Journal.open(db) as j:
        v = j.vendors.add("Qwest")
        three_items(j, v.id)
    return db


def test_list_text_json_and_csv_carry_all_five_items(tmp_path):
    db = _journal(tmp_path)
    table = assert_ok(run_cli(["list"], db))
    assert f"OVERDUE 2025-01-10 · {QUOTE} (+4 more)" in " ".join(table.split())
    [record] = json.loads(assert_ok(run_cli(["list", "--format", "json"], db)))
    assert record["follow_up"]["what"] == QUOTE  # the first item, as older readers expect
    assert [(i["what"], i["state"], i["reason"], i["snoozed_until"])
            for i in record["action_items"]] == [
        (QUOTE, "open", "", None), (DEMO, "open", "", None),
        (ROADMAP, "dropped", "vendor refused", None), (PRICES, "done", "", None),
        (MDF, "snoozed", "", "2099-01-01")]
    assert record["action_items"][3]["closed_at"] is not None
    [row] = csv.DictReader(io.StringIO(assert_ok(run_cli(["list", "--format", "csv"], db))))
    assert row["follow_up_what"] == QUOTE
    assert row["action_items"].split("; ") == [
        f"{QUOTE} (vendor, due 2025-01-10, open)", f"{DEMO} (me, due 2099-06-20, open)",
        f"{ROADMAP} (vendor, due 2025-02-01, dropped: vendor refused)",
        f"{PRICES} (me, due 2024-12-01, done)",
        f"{MDF} (vendor, due 2025-03-01, snoozed until 2099-01-01)"]


def test_followups_done_marks_every_open_item_of_the_interaction(tmp_path):
    db = _journal(tmp_path)
    out = assert_ok(run_cli(["followups", "--done", "1"], db))
    assert out.splitlines() == [f"Marked done: #1 {QUOTE}", f"Marked done: #1 {DEMO}",
                                f"Marked done: #1 {MDF}"]
    [record] = json.loads(assert_ok(run_cli(["list", "--format", "json"], db)))
    assert [i["state"] for i in record["action_items"]] == [
        "done", "done", "dropped", "done", "done"]  # the dropped one keeps its reason
    again = assert_ok(run_cli(["followups", "--done", "1"], db))
    assert "already closed" in again
