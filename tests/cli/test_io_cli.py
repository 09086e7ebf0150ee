"""`partnerdesk import` and `partnerdesk export`, end to end through the real process."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.services.importers import samples


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "journal.sqlite3"
    assert_ok(run_cli(["vendor", "add", "Acme", "--domain", "acme.com"], path))
    assert_ok(run_cli(["vendor", "add", "Globex", "--domain", "globex.com"], path))
    return path


def test_import_preview_then_apply_then_idempotent(db, tmp_path):
    cal = tmp_path / "g.ics"
    cal.write_bytes(samples.google_calendar())
    args = ["import", str(cal), "--rep-email", "me@reseller.com", "--since", "2025-01-01", "--until", "2025-12-31"]
    out = assert_ok(run_cli([*args, "--dry-run"], db))
    assert "interactions to add" in out and "Dry run: nothing was written." in out
    assert "EXDATE" in out and "Weekly Acme sync" in out
    assert json.loads(assert_ok(run_cli(["list", "--format", "json"], db))) == []
    out = assert_ok(run_cli(args, db))
    assert "Imported 7 interactions" in out
    listed = json.loads(assert_ok(run_cli(["list", "--format", "json", "--limit", "0"], db)))
    assert len(listed) == 7 and {i["source"] for i in listed} == {"calendar"}
    out = assert_ok(run_cli(args, db))
    assert "0 interactions to add" in out and "Nothing to import." in out


def test_import_json_format_and_csv_mapping(db, tmp_path):
    sheet = tmp_path / "a.csv"
    sheet.write_bytes(b"When,Firm,What\r\n2025-03-04,Acme,Called about SPIFF\r\n")
    result = run_cli(["import", str(sheet), "--format", "json", "--map", "When=occurred_at", "--map",
                      "Firm=vendor", "--map", "What=summary", "--tag", "helpful"], db)
    data = json.loads(assert_ok(result))
    assert data["added_count"] == 1 and data["result"]["added"] == 1
    assert data["csv_mapping"] == {"When": "occurred_at", "Firm": "vendor", "What": "summary"}
    assert data["added"][0]["tag"] == "helpful"


def test_import_with_vendor_fallback_and_unmatched_report(db, tmp_path):
    mail = tmp_path / "m.eml"
    mail.write_bytes(samples.gmail_alternative().replace(b"acme.com", b"acme-partners.net"))
    out = assert_ok(run_cli(["import", str(mail), "--dry-run"], db))
    assert "acme-partners.net" in out and "no vendor" in out
    out = assert_ok(run_cli(["import", str(mail), "--vendor", "acme"], db))
    assert "Imported 1 interaction" in out


def test_export_round_trip_through_the_cli(db, tmp_path):
    assert_ok(run_cli(["log", "Acme", "-s", "Fast help on the quote", "-t", "helpful", "-n", "Zoë said yes"], db))
    doc = tmp_path / "all.json"
    assert "Exported" in assert_ok(run_cli(["export", "-o", str(doc)], db))
    fresh = tmp_path / "fresh.sqlite3"
    out = assert_ok(run_cli(["import", str(doc)], fresh))
    assert "restored exactly" in out
    again = tmp_path / "again.json"
    assert_ok(run_cli(["export", "--format", "json", "-o", str(again)], fresh))
    assert again.read_bytes() == doc.read_bytes()


def test_export_csv_filters_and_stdout(db, tmp_path):
    assert_ok(run_cli(["log", "Acme", "-s", "Quote help", "-t", "helpful", "--at", "2025-03-01 10:00"], db))
    assert_ok(run_cli(["log", "Globex", "-s", "Price list", "-t", "transactional", "--at", "2025-04-01 10:00"], db))
    out = tmp_path / "i.csv"
    assert_ok(run_cli(["export", "-o", str(out), "--vendor", "Acme"], db))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["summary"] for r in rows] == ["Quote help"]
    text = assert_ok(run_cli(["export", "-o", "-", "--format", "json", "--tag", "transactional"], db))
    assert [i["summary"] for i in json.loads(text)] == ["Price list"]
    text = assert_ok(run_cli(["export", "-o", "-", "--what", "vendors"], db))
    assert "acme.com" in text
    for what in ("contacts", "events"):
        assert_ok(run_cli(["export", "-o", str(tmp_path / f"{what}.json"), "--what", what], db))
        assert json.loads((tmp_path / f"{what}.json").read_text()) == []
    text = assert_ok(run_cli(["export", "-o", "-", "--search", "quote"], db))
    assert "Quote help" in text and "Price list" not in text


BAD_IMPORTS = [
    ("empty.ics", b"", "empty"),
    ("junk.ics", b"not a calendar", "calendar"),
    ("junk.csv", b"a,b\r\n1,2\r\n", "no date column"),
    ("junk.vcf", b"nothing", "no contact cards"),
    ("junk.json", b"{oops", "not valid json"),
    ("junk.bin", b"\x00\x01\x02\x03", "cannot tell what kind"),
    ("junk.msg", b"\xd0\xcf\x11\xe0", ".eml"),
    ("x.mbox", b"hello\n", "no messages"),
]


def test_bad_imports_are_one_line_and_write_nothing(db, tmp_path):
    def one(case):
        name, data, words = case
        path = tmp_path / name
        path.write_bytes(data)
        return run_cli(["import", str(path)], db), words

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, BAD_IMPORTS))
    for result, words in results:
        assert_one_line_error(result, words)
    assert_one_line_error(run_cli(["import", str(tmp_path / "missing.ics")], db), "does not exist")
    assert_one_line_error(run_cli(["import", str(tmp_path)], db), "folder")
    assert_one_line_error(run_cli(["import", str(tmp_path / "junk.csv"), "--map", "nonsense"], db), "COLUMN=FIELD")
    assert_one_line_error(run_cli(["import", str(tmp_path / "junk.csv"), "--map", "a=wat"], db), "not a field")
    assert_one_line_error(run_cli(["import", str(tmp_path / "junk.csv"), "--vendor", "Nope"], db), "No vendor")
    assert_one_line_error(run_cli(["import", str(tmp_path / "junk.csv"), "--rep-email", "x"], db), "not an email")
    assert json.loads(assert_ok(run_cli(["list", "--format", "json"], db))) == []


def test_bad_exports_are_one_line_and_leave_no_file(db, tmp_path):
    target = tmp_path / "out.csv"
    assert_one_line_error(run_cli(["export", "-o", str(target), "--what", "all", "--format", "csv"], db),
                          "json")
    assert_one_line_error(run_cli(["export", "-o", str(tmp_path / "nope" / "x.csv")], db), "does not exist")
    assert_one_line_error(run_cli(["export", "-o", str(tmp_path)], db), "folder")
    assert_one_line_error(run_cli(["export", "-o", str(target), "--vendor", "Nobody"], db), "No vendor")
    assert_one_line_error(run_cli(["export", "-o", str(target), "--since", "2025-05-01", "--until", "2025-01-01"],
                                  db), "before")
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left behind
