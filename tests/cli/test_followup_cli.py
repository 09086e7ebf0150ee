"""followups / followup on the command line, as a rep runs them (real processes, real journal)."""

from __future__ import annotations

import json

from tests.helpers import assert_ok, run_cli, sqlite_rows


def _fails(result, *words: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def test_add_list_close_drop_snooze_reschedule(tmp_path):
    db = tmp_path / "j.sqlite3"
    assert_ok(run_cli(["vendor", "add", "Arcwave"], db))
    assert_ok(
        run_cli(
            [
                "log",
                "Arcwave",
                "-s",
                "QBR",
                "-t",
                "helpful",
                "--at",
                "2026-01-05 10:00",
                "--follow-up",
                "2026-01-09",
                "--follow-up-text",
                "Send pricing",
                "--vendor-promise",
            ],
            db,
        )
    )
    out = assert_ok(
        run_cli(["followup", "add", "1", "--what", "Book the demo", "--due", "2099-01-10"], db)
    )
    assert "Added follow-up #2 (to-do, due 2099-01-10): Book the demo" in out
    assert_ok(
        run_cli(
            [
                "followup",
                "add",
                "1",
                "--what",
                "MDF plan",
                "--due",
                "2099-02-01",
                "--owner",
                "vendor",
            ],
            db,
        )
    )
    listed = json.loads(assert_ok(run_cli(["followups", "--format", "json"], db)))
    assert [(i["id"], i["owner"], i["state"], i["summary"]) for i in listed] == [
        (1, "vendor", "open", "QBR"),
        (2, "me", "open", "QBR"),
        (3, "vendor", "open", "QBR"),
    ]
    table = assert_ok(run_cli(["followups"], db))
    assert "Vendor promises (2)" in table and "My to-dos (1)" in table and "OVERDUE" in table

    assert "Marked done: #1 Send pricing" in assert_ok(run_cli(["followup", "done", "1"], db))
    assert "Snoozed: #2 Book the demo until 2099-01-20" in assert_ok(
        run_cli(["followup", "snooze", "2", "--until", "2099-01-20"], db)
    )
    assert "Dropped: #3 MDF plan (vendor refused)" in assert_ok(
        run_cli(["followup", "drop", "3", "--reason", "refused"], db)
    )
    assert "Rescheduled: #2 Book the demo to 2099-03-01" in assert_ok(
        run_cli(["followup", "reschedule", "2", "--due", "2099-03-01"], db)
    )
    by_state = {
        s: [
            i["id"]
            for i in json.loads(
                assert_ok(run_cli(["followups", "--state", s, "--format", "json"], db))
            )
        ]
        for s in ("open", "done", "dropped")
    }
    assert by_state == {"open": [2], "done": [1], "dropped": [3]}
    assert [
        i["id"]
        for i in json.loads(
            assert_ok(
                run_cli(
                    [
                        "followups",
                        "--state",
                        "all",
                        "--due-before",
                        "2099-01-01",
                        "--format",
                        "json",
                    ],
                    db,
                )
            )
        )
    ] == [1]
    csv_out = assert_ok(
        run_cli(["followups", "--state", "all", "--format", "csv", "--vendor", "arcwave"], db)
    )
    assert csv_out.splitlines()[0].startswith("id,interaction_id,vendor,owner,what,due,state")
    assert len(csv_out.strip().splitlines()) == 4
    # The old form still closes an interaction's (first) follow-up.
    assert "Unchanged (already so): #1" in assert_ok(run_cli(["followup", "done", "1"], db))
    assert sqlite_rows(db, "SELECT state, reason FROM action_item ORDER BY id") == [
        ("done", ""),
        ("open", ""),
        ("dropped", "vendor refused"),
    ]


def test_retire_and_keep_in_touch(tmp_path):
    db = tmp_path / "j.sqlite3"
    assert_ok(run_cli(["vendor", "add", "Arcwave"], db))
    assert_ok(
        run_cli(
            [
                "log",
                "Arcwave",
                "-s",
                "Call",
                "-t",
                "helpful",
                "--at",
                "2020-01-05 10:00",
                "--follow-up",
                "2020-02-01",
                "--follow-up-text",
                "Old thing",
            ],
            db,
        )
    )
    assert "every 21 days" in assert_ok(run_cli(["followup", "cadence", "Arcwave", "21"], db))
    table = assert_ok(run_cli(["followups"], db))
    assert "Keep in touch (1)" in table and "2020-01-26" in table
    out = assert_ok(
        run_cli(["followup", "retire", "--older-than", "30", "--reason", "no longer needed"], db)
    )
    assert "Dropped 1 follow-up overdue by more than 30 days (no longer needed)." in out
    assert "No open follow-ups are overdue" in assert_ok(
        run_cli(["followup", "retire", "--older-than", "30", "--reason", "x"], db)
    )


def test_bad_ids_and_dates_are_one_line(tmp_path):
    db = tmp_path / "j.sqlite3"
    assert_ok(run_cli(["vendor", "add", "Arcwave"], db))
    assert_ok(run_cli(["log", "Arcwave", "-s", "Call", "-t", "helpful"], db))
    _fails(run_cli(["followup", "add", "99", "--what", "x", "--due", "tomorrow"], db), "#99")
    _fails(run_cli(["followup", "add", "1", "--what", "x", "--due", "someday"], db), "'someday'")
    _fails(
        run_cli(["followup", "add", "1", "--what", "  ", "--due", "tomorrow"], db), "says nothing"
    )
    _fails(
        run_cli(
            ["followup", "add", "1", "--what", "x", "--due", "tomorrow", "--owner", "boss"], db
        ),
        "not an owner",
    )
    _fails(run_cli(["followup", "done", "7"], db), "No follow-up with id 7")
    _fails(run_cli(["followup", "done", str(10**20)], db), "No follow-up with id")
    _fails(run_cli(["followup", "done", "abc"], db), "invalid int value")
    _fails(run_cli(["followup", "snooze", "1", "--until", "yesterday"], db))
    _fails(run_cli(["followups", "--due-before", "31/02"], db), "'31/02'")
    _fails(run_cli(["followups", "--vendor", "Nobody"], db), "No vendor named 'Nobody'")
    _fails(run_cli(["followups", "--state", "later"], db), "invalid choice")
    assert sqlite_rows(db, "SELECT count(*) FROM action_item") == [(0,)]
