"""`partnerdesk health` and `partnerdesk question`, end to end through the real process."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest

from partnerdesk.domain.health_types import Period
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.services.health import period_label, period_start, portfolio, vendor_health
from partnerdesk.store.journal import Journal
from tests.helpers import assert_ok, assert_one_line_error, draft, run_cli

TODAY = date.today()  # the commands score up to the machine's today


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """Acme: two years of weekly contacts, helpful then not; Bluepeak: none; Zed: archived."""
    path = tmp_path_factory.mktemp("health") / "journal.sqlite3"
    with Journal.open(path) as j:
        acme = j.vendors.add("Acme Telecom").id
        j.vendors.add("Bluepeak")
        zed = j.vendors.add("Zed Old").id
        start = TODAY - timedelta(days=730)
        drafts = []
        for k in range(0, 725, 7):
            day = start + timedelta(days=k)
            fu = None
            if k % 28 == 0:
                fu = FollowUp(day + timedelta(days=3), "quote", FollowUpOwner.VENDOR,
                              None if k % 56 == 0 else datetime.combine(day, time(9), UTC))
            drafts.append(draft(acme, f"Call {k}", at=datetime.combine(day, time(12), UTC),
                                tag=Tag.HELPFUL if k < 365 else Tag.TRANSACTIONAL,
                                quality=4 if k < 365 else 2, follow_up=fu))
        j.interactions.add_many(drafts)
        j.interactions.add(draft(zed, "Old", at=datetime.combine(start, time(12), UTC)))
        j.vendors.update(zed, archived=True)
    return path


def test_portfolio_table_json_and_csv(db):
    out = assert_ok(run_cli(["health"], db))
    lines = out.splitlines()
    label = period_label(period_start(TODAY, Period.QUARTER), Period.QUARTER)
    assert lines[0].startswith(f"Health in {label} (so far), against the previous scored "
                               f"quarter; overdue as of {TODAY.isoformat()};")
    assert lines[1].split()[:6] == ["Vendor", "Score", "Band", "Trend", "Change", "Contacts"]
    assert [ln.split()[0] for ln in lines[3:]] == ["Acme", "Bluepeak"]  # archived Zed left out

    rows = json.loads(assert_ok(run_cli(["health", "--format", "json"], db)))
    with Journal.open(db) as j:
        expected = portfolio(j, today=TODAY)
    assert [r["vendor"] for r in rows] == ["Acme Telecom", "Bluepeak"]
    acme = rows[0]
    assert acme["score"] == expected[0].score and acme["band"] == expected[0].band.value
    assert acme["period"] == label and len(acme["sparkline"]) == 8
    assert acme["overdue_promises"] == expected[0].overdue_promises > 0
    assert acme["as_of"] == TODAY.isoformat()
    # Every score carries what it rests on: 52 weekly calls in the last 12 months, and the
    # vendor promises (kept in the year, or overdue at any age).
    assert acme["evidence_interactions"] == expected[0].evidence_interactions >= 50
    assert acme["evidence_promises"] == expected[0].evidence_promises >= acme["overdue_promises"]
    assert acme["reasons"] and acme["reasons"] == list(expected[0].reasons)
    assert rows[1]["score"] is None and rows[1]["last_contact"] is None
    assert rows[1]["evidence_interactions"] == 0 and rows[1]["band"] is None

    monthly = list(csv.DictReader(io.StringIO(assert_ok(
        run_cli(["health", "--by", "month", "--format", "csv"], db)))))
    assert monthly[0]["period"] == period_label(period_start(TODAY, Period.MONTH), Period.MONTH)
    assert set(monthly[0]) >= {"vendor", "score", "band", "trend", "change", "helpful_pct",
                               "promises_kept_pct", "overdue_promises", "last_contact", "as_of",
                               "evidence_interactions", "evidence_promises", "reason"}


def test_one_vendors_series(db):
    out = assert_ok(run_cli(["health", "acme telecom"], db))
    lines = out.splitlines()
    assert lines[0].startswith("Acme Telecom: health by month")
    assert lines[1].split() == ["Period", "Score", "Band", "Trend", "Contacts", "Helpful", "Rests",
                                "on", "Top", "reason"]
    first = period_label(period_start(TODAY - timedelta(days=730), Period.MONTH), Period.MONTH)
    assert lines[3].startswith(first)
    assert lines[-1].startswith(period_label(period_start(TODAY, Period.MONTH), Period.MONTH))
    assert "Helpfulness: 0 of your" in lines[-1]  # the second year is transactional
    assert "Too early to judge" in lines[3]  # the first month is never scored as if known

    data = json.loads(assert_ok(run_cli(["health", "Acme Telecom", "--by", "quarter",
                                         "--format", "json"], db)))
    with Journal.open(db) as j:
        acme = j.vendors.resolve("Acme Telecom").id
        points = vendor_health(j, acme, Period.QUARTER, today=TODAY)
    assert [d["score"] for d in data] == [p.score for p in points]
    last = data[-1]
    assert {c["name"] for c in last["components"]} <= {"helpfulness", "promises", "cadence",
                                                       "who reaches out"}
    assert last["reasons"] and last["helpful_pct"] == 0.0  # the second year is transactional
    assert data[0]["helpful_pct"] == 100.0
    assert data[0]["score"] is None and data[0]["band"] is None  # the first quarter
    assert data[0]["evidence_interactions"] == points[0].evidence_interactions > 0
    assert all(d["as_of"] and "evidence_promises" in d and "overdue_promises" in d for d in data)

    since = TODAY - timedelta(days=60)
    weeks = list(csv.DictReader(io.StringIO(assert_ok(run_cli(
        ["health", "Acme Telecom", "--by", "week", "--since", since.isoformat(),
         "--format", "csv"], db)))))
    assert weeks[0]["start"] == period_start(since, Period.WEEK).isoformat()
    assert weeks[-1]["start"] == period_start(TODAY, Period.WEEK).isoformat()
    assert list(weeks[0])[:6] == ["period", "start", "end", "score", "band", "trend"]
    assert "reason" in weeks[0] and "score_helpfulness" in weeks[0]


def test_a_vendor_without_interactions(db):
    out = assert_ok(run_cli(["health", "Bluepeak"], db))
    assert out.startswith("No interactions with Bluepeak yet")
    assert json.loads(assert_ok(run_cli(["health", "Bluepeak", "--format", "json"], db))) == []


@pytest.mark.parametrize("args, expected", [
    (["health", "Nope"], "No vendor named 'Nope'"),
    (["health", "Acme Teleco"], "Did you mean Acme Telecom"),
    (["health", "--since", "2024-01-01"], "--since goes with a VENDOR"),
    (["health", "Acme Telecom", "--since", "someday"], "not a date"),
    (["health", "Acme Telecom", "--since", "2999-01-01"], "in the future"),
    (["health", "Acme Telecom", "--by", "year"], "invalid choice"),
    (["health", "Acme Telecom", "--format", "xml"], "invalid choice"),
])
def test_health_errors_are_one_line(db, args, expected):
    assert_one_line_error(run_cli(args, db), expected)


def test_questions_end_to_end(tmp_path):
    db = tmp_path / "q.sqlite3"
    assert_ok(run_cli(["vendor", "add", "Acme"], db))
    assert_ok(run_cli(["vendor", "add", "Bluepeak"], db))
    listed = assert_ok(run_cli(["question", "list", "Acme"], db)).splitlines()
    assert "How does the vendor define partnership?" in listed[2]
    assert len(listed) == 7 and all("(unanswered)" in ln for ln in listed[2:])

    out = assert_ok(run_cli(["question", "add", "acme", "Who owns escalations now?"], db))
    assert out == "Added question #6 for Acme: Who owns escalations now?\n"
    assert_ok(run_cli(["question", "answer", "Acme", "1", "A revenue line.",
                       "--on", "2024-03-01"], db))
    out = assert_ok(run_cli(["question", "answer", "Acme", "1", "-"], db,
                            input="Joint plans,\nshared pipeline.\n"))
    assert out == f"Recorded Acme's answer to question #1 on {TODAY.isoformat()}.\n"

    table = assert_ok(run_cli(["question", "list", "Acme"], db)).splitlines()
    assert f"{TODAY.isoformat()}: Joint plans, shared pipeline. [+1 earlier]" in table[2]
    assert table[-1].split()[:2] == ["6", "own"]
    data = json.loads(assert_ok(run_cli(["question", "list", "Acme", "--format", "json"], db)))
    assert data[0]["answers"] == [
        {"on": "2024-03-01", "answer": "A revenue line."},
        {"on": TODAY.isoformat(), "answer": "Joint plans,\nshared pipeline."}]
    assert (data[5]["id"], data[5]["standard"]) == (6, False)
    rows = list(csv.DictReader(io.StringIO(assert_ok(
        run_cli(["question", "list", "Acme", "--format", "csv"], db)))))
    assert rows[0]["answered_on"] == TODAY.isoformat() and rows[0]["answers"] == "2"
    history = assert_ok(run_cli(["question", "history", "Acme", "1"], db)).splitlines()
    assert history[2].startswith("2024-03-01") and history[3].startswith(TODAY.isoformat())
    unanswered = assert_ok(run_cli(["question", "history", "Acme", "2"], db))
    assert "has not answered question #2 yet" in unanswered
    # Bluepeak has the standard five, not Acme's own question, and none of Acme's answers.
    blue = json.loads(assert_ok(run_cli(["question", "list", "Bluepeak", "--format", "json"], db)))
    assert len(blue) == 5 and all(q["answers"] == [] for q in blue)

    for args, expected in [
        (["question", "answer", "Bluepeak", "6", "No"], "not one of this vendor's questions"),
        (["question", "answer", "Acme", "99", "No"], "not one of this vendor's questions"),
        (["question", "answer", "Acme", "99999999999999999999", "No"], "does not exist"),
        (["question", "answer", "Acme", "0", "No"], "does not exist"),
        (["question", "answer", "Acme", "abc", "No"], "invalid int value"),
        (["question", "answer", "Acme", "1", "  "], "answer is empty"),
        (["question", "answer", "Acme", "1", "x", "--on", "someday"], "not a date"),
        (["question", "add", "Acme", ""], "question is empty"),
        (["question", "add", "Nope", "Why?"], "No vendor named 'Nope'"),
        (["question", "list"], "the following arguments are required"),
        (["question"], "required"),
    ]:
        assert_one_line_error(run_cli(args, db), expected)
