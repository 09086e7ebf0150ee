"""The commands doing their jobs, end to end through the real process, and their JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from partnerdesk.store.journal import Journal
from tests.helpers import assert_ok, run_cli

INTERACTION_FIELDS = {
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


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """Qwest and CenturyLink, a contact, an acquisition, and a few interactions."""
    path = tmp_path_factory.mktemp("story") / "journal.sqlite3"
    env = {"TZ": "America/New_York"}
    steps = [
        [
            "vendor",
            "add",
            "Qwest",
            "--programme",
            "Qwest Partner Program",
            "--tier",
            "Gold",
            "--domain",
            "https://www.qwest.com/partners",
        ],
        ["vendor", "add", "CenturyLink"],
        [
            "contact",
            "add",
            "Qwest",
            "Dana Reyes",
            "--role",
            "cm",
            "--email",
            "Dana.Reyes@qwest.com",
            "--to",
            "2011-06-30",
        ],
        ["vendor", "acquired", "Qwest", "--by", "CenturyLink", "--on", "2011-04-01"],
        [
            "event",
            "add",
            "Qwest",
            "--kind",
            "compensation",
            "--on",
            "2011-09-01",
            "--text",
            "Residuals cut",
        ],
        [
            "log",
            "qwest",
            "-s",
            "Dana fast-tracked the deal registration",
            "-t",
            "helpful",
            "-c",
            "call",
            "-d",
            "in",
            "--at",
            "2011-03-01 10:00",
            "--contact",
            "dana",
            "--topic",
            "Deal Registration",
            "-q",
            "5",
        ],
        [
            "log",
            "Qwest",
            "-s",
            "Commission statement, no explanation",
            "-t",
            "transactional",
            "-c",
            "email",
            "--at",
            "2011-07-04 09:30",
            "--topic",
            "commission",
            "--follow-up",
            "2011-07-10",
            "--follow-up-text",
            "Send the breakdown",
            "--vendor-promise",
            "--notes",
            "-",
        ],
        [
            "log",
            "CenturyLink",
            "-s",
            "Quarterly review",
            "-t",
            "h",
            "--at",
            "2011-11-06 01:30",
            "--follow-up",
            "2099-01-01",
        ],
    ]
    for argv in steps:
        stdin = "Residuals down 40%\nsince the buyout \U0001f4c9" if argv[-1] == "-" else None
        assert_ok(run_cli(argv, path, input=stdin, env=env))
    return path, env


def _json(story, *argv):
    path, env = story
    return json.loads(assert_ok(run_cli([*argv, "--format", "json"], path, env=env)))


def test_list_json_has_every_field(story):
    items = _json(story, "list")
    assert [i["summary"] for i in items] == [
        "Quarterly review",
        "Commission statement, no explanation",
        "Dana fast-tracked the deal registration",
    ]
    for item in items:
        assert INTERACTION_FIELDS <= set(item)
        when = datetime.fromisoformat(item["occurred_at"])
        assert when.utcoffset() is not None  # ISO 8601 with an offset
    review, commission, dana = items
    assert dana["occurred_at"] == "2011-03-01T10:00:00-05:00"
    assert (
        commission["occurred_at"] == "2011-07-04T09:30:00-04:00"
    )  # summer offset for a summer date
    assert review["occurred_at"] == "2011-11-06T01:30:00-04:00"  # the first of two 01:30s
    assert (dana["vendor"], dana["channel"], dana["direction"], dana["tag"], dana["quality"]) == (
        "Qwest",
        "call",
        "in",
        "helpful",
        5,
    )
    assert dana["topics"] == ["deal registration"] and dana["contacts"] == ["Dana Reyes"]
    assert dana["follow_up"] is None and dana["source"] == "manual" and dana["notes"] == ""
    assert commission["notes"] == "Residuals down 40%\nsince the buyout \U0001f4c9"
    assert commission["follow_up"] == {
        "due": "2011-07-10",
        "what": "Send the breakdown",
        "owner": "vendor",
        "done_at": None,
    }
    assert commission["quality"] is None
    assert isinstance(review["id"], int)


def test_list_filters(story):
    assert [
        i["summary"] for i in _json(story, "list", "--vendor", "qwest", "--tag", "transactional")
    ] == ["Commission statement, no explanation"]
    assert [i["summary"] for i in _json(story, "list", "--channel", "call")] == [
        "Dana fast-tracked the deal registration"
    ]
    assert [
        i["summary"] for i in _json(story, "list", "--since", "2011-07-04", "--until", "2011-07-04")
    ] == ["Commission statement, no explanation"]
    assert len(_json(story, "list", "--limit", "1")) == 1


def test_search_json_and_acquirer_name(story):
    everything = _json(story, "search", "centurylink")
    found = [i for i in everything if i["kind"] == "interaction"]
    assert {i["kind"] for i in everything} - {"interaction"} <= {"event"}  # the acquisition
    assert {i["summary"] for i in found} == {
        "Quarterly review",
        "Commission statement, no explanation",
        "Dana fast-tracked the deal registration",
    }
    assert INTERACTION_FIELDS <= set(found[0])
    assert [i["summary"] for i in _json(story, "search", "buyout")
            if i["kind"] == "interaction"] == [
        "Commission statement, no explanation"
    ]
    assert _json(story, "search", "NEAR(", "AND") == []  # FTS syntax is literal, not an error
    assert [i["summary"] for i in _json(story, "search", "registr*", "--vendor", "Qwest")
            if i["kind"] == "interaction"] == [
        "Dana fast-tracked the deal registration"
    ]


def test_csv_output_parses(story):
    path, env = story
    out = assert_ok(run_cli(["list", "--format", "csv"], path, env=env))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3
    assert rows[1]["follow_up_owner"] == "vendor" and rows[1]["notes"].endswith("\U0001f4c9")


def test_vendor_list_and_acquisition(story):
    vendors = {v["name"]: v for v in _json(story, "vendor", "list")}
    qwest = vendors["Qwest"]
    assert qwest["display_name"] == "Qwest (CenturyLink)"
    assert qwest["acquired_by"] == "CenturyLink" and qwest["acquired_on"] == "2011-04-01"
    assert qwest["domains"] == ["qwest.com"] and qwest["tier"] == "Gold"
    assert qwest["interactions"] == 2 and qwest["overdue_follow_ups"] == 1
    events = _json(story, "event", "list", "Qwest")
    assert [(e["kind"], e["on"]) for e in events] == [
        ("acquisition", "2011-04-01"),
        ("compensation change", "2011-09-01"),
    ]
    contacts = _json(story, "contact", "list", "Qwest")
    assert contacts == [
        {
            "id": 1,
            "vendor": "Qwest",
            "name": "Dana Reyes",
            "role": "channel manager",
            "email": "dana.reyes@qwest.com",
            "phone": "",
            "active_from": None,
            "active_to": "2011-06-30",
        }
    ]
    path, env = story
    table = assert_ok(run_cli(["vendor", "list"], path, env=env))
    assert "Qwest (CenturyLink)" in table


def test_followups(story, tmp_path):
    open_items = _json(story, "followups")
    assert [i["summary"] for i in open_items] == [
        "Commission statement, no explanation",
        "Quarterly review",
    ]
    assert [i["summary"] for i in _json(story, "followups", "--overdue")] == [
        "Commission statement, no explanation"
    ]
    path, env = story
    table = assert_ok(run_cli(["followups"], path, env=env))
    assert "Vendor promises (1)" in table and "My to-dos (1)" in table and "OVERDUE" in table


def test_mark_follow_up_done(tmp_path):
    path = tmp_path / "j.sqlite3"
    assert_ok(run_cli(["vendor", "add", "Acme"], path))
    assert_ok(
        run_cli(
            [
                "log",
                "Acme",
                "-s",
                "Promised a quote",
                "-t",
                "helpful",
                "--follow-up",
                "yesterday",
                "--follow-up-text",
                "Quote",
            ],
            path,
        )
    )
    assert "Quote" in assert_ok(run_cli(["followups", "--overdue"], path))
    assert "Marked done: #1 Quote" in assert_ok(run_cli(["followups", "--done", "1"], path))
    assert "No open follow-ups." in assert_ok(run_cli(["followups"], path))
    listed = json.loads(assert_ok(run_cli(["list", "--format", "json"], path)))
    assert listed[0]["follow_up"]["done_at"] is not None


def test_log_prints_what_was_logged_in_local_time(tmp_path):
    path = tmp_path / "j.sqlite3"
    env = {"TZ": "Asia/Kolkata"}
    assert_ok(run_cli(["vendor", "add", "Acme"], path, env=env))
    out = assert_ok(
        run_cli(["log", "Acme", "-s", "Call", "-t", "helpful", "--at", "today 9:15"], path, env=env)
    )
    today = datetime.now(ZoneInfo("Asia/Kolkata")).date()
    assert out.strip() == f"Logged #1: Acme, {today.isoformat()} 09:15, helpful: Call"
    item = json.loads(assert_ok(run_cli(["list", "--format", "json"], path, env=env)))[0]
    assert item["occurred_at"] == f"{today.isoformat()}T09:15:00+05:30"
    # The same instant, read in another zone, shows that zone's wall time.
    other = json.loads(assert_ok(run_cli(["list", "--format", "json"], path, env={"TZ": "UTC"})))[0]
    assert datetime.fromisoformat(other["occurred_at"]) == datetime.fromisoformat(
        item["occurred_at"]
    )
    assert other["occurred_at"].endswith("+00:00")


def test_unicode_through_the_command_line(tmp_path):
    path = tmp_path / "j.sqlite3"
    name = "Telef\u00f3nica \u6771\u4eac \U0001f468\u200d\U0001f469\u200d\U0001f467 \u05e9\u05dc\u05d5\u05dd\u200f"  # noqa: E501
    assert_ok(run_cli(["vendor", "add", name], path))
    assert_ok(run_cli(["log", name.upper(), "-s", "\u4f1a\u8bae e\u0301", "-t", "helpful"], path))
    item = json.loads(assert_ok(run_cli(["list", "--format", "json"], path)))[0]
    assert item["vendor"] == name and item["summary"] == "\u4f1a\u8bae e\u0301"
    table = assert_ok(run_cli(["list"], path))
    assert "\u4f1a\u8bae" in table


def test_empty_journal_messages(tmp_path):
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()  # a new, empty journal (reads never create one)
    assert "No vendors yet" in assert_ok(run_cli(["vendor", "list"], path))
    assert "No interactions match" in assert_ok(run_cli(["list"], path))
    assert json.loads(assert_ok(run_cli(["list", "--format", "json"], path))) == []


def test_output_to_a_closed_pipe_is_quiet(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "j.sqlite3"
    assert_ok(run_cli(["demo", "--interactions", "3000"], path))  # far more than a pipe buffer
    proc = subprocess.Popen(
        [sys.executable, "-m", "partnerdesk", "--db", str(path), "list", "--limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and err == ""
