"""Ledger export and import: the JSON round trip, vendor portal CSV with preview and idempotency."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.ledger import (
    Benefit,
    Certification,
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    Target,
    TierChange,
    change_status,
)
from partnerdesk.services.importers.model import ImportFailed
from partnerdesk.services.ledger_io import export_ledger, import_ledger_file
from partnerdesk.store.journal import Journal
from partnerdesk.store.ledger import (
    add_money,
    add_registration,
    money_items,
    registrations,
    update_registration,
)
from partnerdesk.store.programme import add_benefit, add_certification, set_tier
from tests.helpers import draft, sqlite_rows


def _fill(j: Journal) -> None:
    acme = j.vendors.add("Acme Networks").id
    telco = j.vendors.add("Telefónica 東京").id
    inter = j.interactions.add(draft(acme, "Registered the deal"))
    with j.writing() as c:
        r = add_registration(c, Registration(None, acme, "St Mary's — \"Ward 7\"",
                                             RegStatus.REJECTED, number="=DR-1", value_minor=10,
                                             currency="KWD", submitted_on=date(2026, 1, 1),
                                             decided_on=date(2026, 1, 9),
                                             notes="line one\nline two",
                                             interaction_ids=(inter.id,)))
        banco = add_registration(c, Registration(None, telco, "Banco", RegStatus.DRAFT))
        # A status history of two entries, which the round trip must carry.
        update_registration(c, change_status(banco, RegStatus.SUBMITTED, date(2026, 2, 2)),
                            on=date(2026, 2, 2))
        add_money(c, MoneyOwed(None, acme, MoneyKind.COMMISSION, 123_45, "USD", date(2026, 3, 31),
                               period_start=date(2026, 1, 1), period_end=date(2026, 3, 31),
                               paid_minor=100_00, paid_on=date(2026, 4, 2), dispute="short",
                               registration_id=r.id))
        add_money(c, MoneyOwed(None, telco, MoneyKind.MDF, 500_000, "JPY", date(2026, 6, 30),
                               claim_deadline=date(2026, 9, 30)))
        set_tier(c, TierChange(None, acme, "APN", "Gold", date(2025, 1, 1), "Two engineers",
                               (Target("certified engineers", 2),)))
        add_certification(c, Certification(None, acme, "Jo Park", "Security",
                                           expires_on=date(2027, 1, 1)))
        add_benefit(c, Benefit(None, telco, "Named manager", date(2025, 1, 1), met=False))


def test_json_round_trip_into_an_empty_journal_is_identical(tmp_path):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with Journal.open(first) as j:
        _fill(j)
        export_ledger(j, str(tmp_path / "one.json"))
    with Journal.open(second) as j:
        # The interactions the registration links to come over first (whole-journal import);
        # here the same interaction is logged so the link has something to point at.
        vid = j.vendors.add("Acme Networks").id
        j.interactions.add(draft(vid, "Registered the deal"))
        result = import_ledger_file(j, tmp_path / "one.json")
        assert result.written and result.added == {
            "tiers": 1, "benefits": 1, "certifications": 1, "registrations": 2, "money": 2}
        assert result.new_vendors == ["Telefónica 東京"]
        export_ledger(j, str(tmp_path / "two.json"))
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    doc = json.loads((tmp_path / "one.json").read_text("utf-8"))
    assert doc["registrations"][0]["reason"] == "no reason given"
    assert doc["registrations"][0]["history"] == [{"status": "rejected", "on": "2026-01-09"}]
    assert [h["status"] for h in doc["registrations"][1]["history"]] == ["draft", "submitted"]
    assert doc["registrations"][1]["history"][1]["on"] == "2026-02-02"
    assert doc["money"][0]["expected"] == "123.45" and doc["money"][0]["expected_minor"] == 12345


def test_round_trip_keeps_records_that_look_alike(tmp_path):
    # Two drafts for one customer with no number yet, and two equal SPIFFs due the same day (two
    # deals): distinct records, all four must come back. Idempotency is against the journal as
    # it was before the import, not against the file's own earlier records.
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    with Journal.open(first) as j:
        acme = j.vendors.add("Acme Networks").id
        with j.writing() as c:
            for value in (100_00, 250_00):
                add_registration(c, Registration(None, acme, "Harbor City", value_minor=value,
                                                 currency="USD"))
            for _ in range(2):
                add_money(c, MoneyOwed(None, acme, MoneyKind.SPIFF, 500_00, "USD",
                                       date(2026, 3, 31)))
        export_ledger(j, str(tmp_path / "one.json"))
    with Journal.open(second) as j:
        result = import_ledger_file(j, tmp_path / "one.json")
        assert result.added == {"registrations": 2, "money": 2} and result.duplicates == 0
        export_ledger(j, str(tmp_path / "two.json"))
        again = import_ledger_file(j, tmp_path / "one.json")
        assert again.nothing_to_do and again.duplicates == 4
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()


def test_importing_the_same_json_again_adds_nothing(tmp_path, journal):
    _fill(journal)
    export_ledger(journal, str(tmp_path / "one.json"))
    again = import_ledger_file(journal, tmp_path / "one.json")
    assert again.added == {} and again.duplicates == 7 and again.nothing_to_do


def test_json_preview_writes_nothing(tmp_path, journal, db_path):
    with Journal.open(tmp_path / "src.sqlite3") as src:
        _fill(src)
        export_ledger(src, str(tmp_path / "one.json"))
    plan = import_ledger_file(journal, tmp_path / "one.json", write=False)
    assert not plan.written and plan.added["money"] == 2 and plan.preview
    assert sqlite_rows(db_path, "SELECT count(*) FROM money_owed") == [(0,)]
    assert sqlite_rows(db_path, "SELECT count(*) FROM vendor") == [(0,)]


def test_csv_export_neutralises_formulas(tmp_path, journal):
    _fill(journal)
    export_ledger(journal, str(tmp_path / "regs.csv"), "registrations", "csv")
    text = (tmp_path / "regs.csv").read_text("utf-8")
    assert "'=DR-1" in text and text.splitlines()[0].startswith("id,vendor,customer")
    with pytest.raises(InvalidInput, match="one kind"):
        export_ledger(journal, str(tmp_path / "all.csv"), "all", "csv")


@pytest.mark.parametrize("content", ['{"format": "other"}', "[1, 2]", "not json",
                                     '{"format": "partnerdesk-ledger", "version": 99}'])
def test_a_file_that_is_not_a_ledger_is_refused_in_one_line(tmp_path, journal, content):
    path = tmp_path / "x.json"
    path.write_text(content, "utf-8")
    with pytest.raises(InvalidInput) as info:
        import_ledger_file(journal, path)
    assert "\n" not in str(info.value)


def test_broken_records_are_skipped_with_a_reason(tmp_path, journal):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "partnerdesk-ledger", "version": 1, "money": [
        {"vendor": "A", "kind": "commission", "expected_minor": -5, "currency": "USD",
         "due_on": "2026-01-01"},
        {"vendor": "A", "kind": "commission", "expected_minor": 5, "currency": "ZZZ",
         "due_on": "2026-01-01"},
        {"vendor": "A", "kind": "commission", "expected_minor": 5.5, "currency": "USD",
         "due_on": "2026-01-01"},
        "text", {"kind": "commission"},
        {"vendor": "A", "kind": "commission", "expected_minor": 5, "currency": "USD",
         "due_on": "2026-01-01"}]}), "utf-8")
    result = import_ledger_file(journal, path)
    assert result.added == {"money": 1} and len(result.skipped) == 5
    assert all("\n" not in s for s in result.skipped)


REGS_CSV = ("Deal Registration ID,End Customer,Status,Deal Size,Currency,Date Submitted,"
            "Decision Date,Rejection Reason,Expiration Date\n") + """\
DR-1001,St Mary's Hospital,Approved,"12,500.00",EUR,2026-01-05,2026-01-15,,2026-07-15
DR-1002,Banco Norte,Declined,8000,EUR,2026-02-01,2026-02-20,Channel conflict,
DR-1003,Retail Co,Pending Approval,5000,EUR,2026-03-01,,,
"""

PAY_CSV = """Payment ID;Program;Amount Earned;Amount Paid;Currency;Due Date;Payment Date;Period
P-1;Commission;1.234,50;1.000,00;EUR;31/03/2026;10/04/2026;2026-Q1
P-2;MDF;5000;;USD;30/06/2026;;
P-3;Residual;-40;;USD;30/06/2026;;
"""


def test_portal_registrations_preview_then_import_then_again(tmp_path, journal):
    acme = journal.vendors.add("Acme Networks").id
    path = tmp_path / "portal.csv"
    path.write_text(REGS_CSV, "utf-8")
    plan = import_ledger_file(journal, path, vendor="acme networks", write=False)
    assert plan.kind == "registrations" and plan.added == {"registrations": 3}
    assert plan.preview[0] == ("add registration: Acme Networks — St Mary's Hospital (DR-1001),"
                               " approved")
    with journal.reading() as c:
        assert registrations(c) == []
    done = import_ledger_file(journal, path, vendor="Acme Networks")
    assert done.written and done.added == {"registrations": 3}
    with journal.reading() as c:
        regs = {r.number: r for r in registrations(c)}
    assert regs["DR-1001"].value_minor == 1_250_000 and regs["DR-1001"].days_to_decision == 10
    assert regs["DR-1002"].reason == "Channel conflict"
    assert regs["DR-1003"].status is RegStatus.SUBMITTED and regs["DR-1003"].vendor_id == acme
    again = import_ledger_file(journal, path, vendor="Acme Networks")
    assert again.nothing_to_do and again.duplicates == 3
    # The portal's next export: DR-1003 was approved since. It is updated, not duplicated.
    path.write_text(REGS_CSV.replace("Retail Co,Pending Approval,5000,EUR,2026-03-01,,",
                                     "Retail Co,Approved,5000,EUR,2026-03-01,2026-03-09,"), "utf-8")
    later = import_ledger_file(journal, path, vendor="Acme Networks")
    assert later.updated == 1 and later.duplicates == 2 and later.added == {}
    with journal.reading() as c:
        assert {r.number: r.status for r in registrations(c)}["DR-1003"] is RegStatus.APPROVED


def test_portal_payments_with_european_numbers_and_a_bad_row(tmp_path, journal):
    journal.vendors.add("Acme Networks")
    path = tmp_path / "payments.csv"
    path.write_text(PAY_CSV, "utf-8")
    result = import_ledger_file(journal, path, vendor="Acme Networks", day_first=True)
    assert result.kind == "payments" and result.added == {"money": 2}
    assert len(result.skipped) == 1 and "negative" in result.skipped[0]
    with journal.reading() as c:
        items = {m.source_id.split(":")[1]: m for m in money_items(c)}
    p1 = items["P-1"]
    assert (p1.expected_minor, p1.paid_minor, p1.paid_on, p1.due_on) == (
        123450, 100000, date(2026, 4, 10), date(2026, 3, 31))
    assert items["P-2"].kind is MoneyKind.MDF
    assert import_ledger_file(journal, path, vendor="Acme Networks", day_first=True).nothing_to_do


def test_portal_rows_for_unknown_vendors_are_skipped(tmp_path, journal):
    journal.vendors.add("Acme Networks")
    path = tmp_path / "multi.csv"
    path.write_text("Vendor,Customer,Status\nAcme Networks,A,Draft\nNobody Inc,B,Draft\n"
                    "Acme Networks,C,Maybe\n", "utf-8")
    result = import_ledger_file(journal, path)
    assert result.added == {"registrations": 1}
    assert [s.split(":")[0] for s in result.skipped] == ["row 3", "row 4"]
    assert "Nobody Inc" in result.skipped[0]


def test_a_quote_never_closed_is_a_skipped_row_not_a_registration(tmp_path, journal):
    journal.vendors.add("Acme Networks")
    path = tmp_path / "broken.csv"
    path.write_text("Vendor,Customer,Status\nAcme Networks,A,Draft\n"
                    'Acme Networks,"B unclosed,Draft\nAcme Networks,C,Draft\n', "utf-8")
    result = import_ledger_file(journal, path)
    assert result.added == {"registrations": 1}
    assert result.skipped == ["row 3: cannot be read (a quote is never closed)"]
    with journal.reading() as c:
        assert [r.customer for r in registrations(c)] == ["A"]


@pytest.mark.parametrize("content", ["", "\n\n", "a,b,c\n1,2,3\n", "Customer\nX\n"])
def test_csv_files_that_cannot_be_imported_say_why(tmp_path, journal, content):
    path = tmp_path / "odd.csv"
    path.write_text(content, "utf-8")
    with pytest.raises((ImportFailed, InvalidInput)) as info:
        import_ledger_file(journal, path)
    assert "\n" not in str(info.value)


def test_hostile_bytes_do_not_crash(tmp_path, journal):
    journal.vendors.add("Acme")
    path = tmp_path / "bytes.csv"
    path.write_bytes(b"Customer,Status\n\xff\xfe\x00bad,\x00\x01Approved\n" + b"x" * 10 + b"\n")
    result = import_ledger_file(journal, path, vendor="Acme")
    assert result.written
    assert Path(path).exists()


def test_backups_carry_the_ledger(tmp_path, journal):
    from partnerdesk.services.backup import backup_now

    _fill(journal)
    copy = backup_now(journal, dest=tmp_path / "copy.sqlite3")
    with Journal.open(copy, read_only=True) as j:
        export_ledger(j, str(tmp_path / "from_backup.json"))
    export_ledger(journal, str(tmp_path / "live.json"))
    assert (tmp_path / "from_backup.json").read_bytes() == (tmp_path / "live.json").read_bytes()


_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL, _CELL), min_size=1, max_size=6),
       kind=st.sampled_from(["registrations", "payments"]))
# Found in CI: a cell with a line break made a two-line skip reason.
@example(rows=[("", "", "", "", "0\n0")], kind="registrations")
def test_any_portal_csv_imports_or_says_why_and_stays_whole(tmp_path_factory, rows, kind):
    import csv as csv_module

    folder = tmp_path_factory.mktemp("prop")
    with Journal.open(folder / "j.sqlite3") as j:
        j.vendors.add("Acme")
        path = folder / "portal.csv"
        header = (["Customer", "Status", "Deal Size", "Currency", "Date Submitted"]
                  if kind == "registrations" else
                  ["Type", "Amount Earned", "Currency", "Due Date", "Payment Date"])
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv_module.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        try:
            result = import_ledger_file(j, path, vendor="Acme", kind=kind)
        except (InvalidInput, ImportFailed) as exc:
            assert "\n" not in str(exc)
            return
        assert all("\n" not in s for s in result.skipped)
        with j.reading() as c:
            total = (c.exec_driver_sql("SELECT count(*) FROM deal_registration").scalar()
                     + c.exec_driver_sql("SELECT count(*) FROM money_owed").scalar())
            assert total == sum(result.added.values())
            assert c.exec_driver_sql("SELECT count(*) FROM money_owed WHERE expected_minor < 0"
                                     " OR paid_minor < 0").scalar() == 0
        again = import_ledger_file(j, path, vendor="Acme", kind=kind)
        assert again.added == {} and again.updated == 0  # idempotent
