"""dealreg, money, tier, cert and ledger commands: their jobs, JSON output, one-line errors."""

from __future__ import annotations

import json

import pytest

from partnerdesk.cli.main import main
from tests.helpers import assert_one_line_error, run_cli


@pytest.fixture
def cli(db_path, capsys):
    def run(*argv: str) -> str:
        code = main(["--db", str(db_path), *argv])
        out = capsys.readouterr()
        assert code == 0, out.err
        return out.out

    run("vendor", "add", "Acme Networks")
    return run


def test_registration_lifecycle(cli):
    made = json.loads(cli("dealreg", "add", "acme networks", "St Mary's Hospital", "--number",
                          "DR-1", "--value", "12,500", "--currency", "eur", "--submitted",
                          "2026-01-05", "--format", "json"))
    assert (made["status"], made["value_minor"], made["currency"]) == ("submitted", 1250000, "EUR")
    out = cli("dealreg", "set", str(made["id"]), "rejected", "--on", "2026-01-20")
    assert out.strip() == "Registration #1 (St Mary's Hospital) is now rejected (no reason given)."
    listed = json.loads(cli("dealreg", "list", "--status", "rejected", "--format", "json"))
    assert [(r["id"], r["reason"], r["decided_on"]) for r in listed] == [
        (1, "no reason given", "2026-01-20")]
    assert "EUR 12,500.00" in cli("dealreg", "list")
    assert cli("dealreg", "list", "--format", "csv").splitlines()[0].startswith(
        "id,vendor,customer")


def test_money_paid_short_and_totals_per_currency(cli):
    cli("money", "add", "Acme Networks", "commission", "1,234.50", "USD", "--period", "2026-Q1")
    cli("money", "add", "Acme Networks", "spiff", "50000", "JPY", "--due", "2026-02-01")
    out = cli("money", "paid", "1", "1000", "--on", "2026-04-10")
    assert out.strip() == ("#1: Acme Networks paid USD 1,000.00 on 2026-04-10; USD 234.50 short;"
                           " 10 days late.")
    table = cli("money", "list")
    assert "Total JPY: expected 50,000, paid 0, outstanding 50,000, short 0" in table
    assert "Total USD: expected 1,234.50, paid 1,000.00, outstanding 0.00, short 234.50" in table
    rows = json.loads(cli("money", "list", "--status", "short", "--format", "json"))
    assert [(r["expected_minor"], r["paid_minor"]) for r in rows] == [(123450, 100000)]


def test_tier_cert_due_and_search(cli):
    cli("tier", "set", "Acme Networks", "Gold", "--programme", "Acme Partner Network", "--on",
        "2025-01-01", "--target", "certified engineers=2")
    assert "Gold (was" not in cli("tier", "set", "Acme Networks", "Silver", "--on", "2026-02-01")
    tiers = json.loads(cli("tier", "list", "--format", "json"))["tiers"]
    assert [(t["tier"], t["programme"]) for t in tiers] == [
        ("Gold", "Acme Partner Network"), ("Silver", "Acme Partner Network")]
    cli("cert", "add", "Acme Networks", "Jo Park", "Security Expert", "--expires", "in 10 days")
    assert "expiring" in cli("cert", "list", "--expiring")
    due = json.loads(cli("ledger", "due", "--format", "json"))
    assert [d["kind"] for d in due] == ["certification"]
    hits = json.loads(cli("ledger", "search", "security", "--format", "json"))
    assert [h["kind"] for h in hits] == ["certification"]


def test_empty_lists_say_what_to_do(cli):
    assert "partnerdesk dealreg add" in cli("dealreg", "list")
    assert "partnerdesk money add" in cli("money", "list")
    assert cli("dealreg", "list", "--format", "json").strip() == "[]"


@pytest.mark.parametrize(("argv", "words"), [
    (["money", "add", "Acme", "commission", "-5", "USD", "--due", "today"], ["negative"]),
    (["money", "add", "Acme", "commission", "5", "XYZ", "--due", "today"], ["currency code"]),
    (["money", "add", "Acme", "commission", "1e99", "USD", "--due", "today"], ["not an amount"]),
    (["dealreg", "add", "Acme", "X", "--submitted", "2026-05-01", "--expires", "2026-01-01"],
     ["before"]),
    (["dealreg", "set", "7", "approved"], ["does not exist"]),
    (["dealreg", "add", "Nobody", "X"], ["no vendor named"]),
    # The amount and currency are said before the missing due date (one fix at a time, the
    # first one typed).
    (["money", "add", "Acme", "commission", "5", "XYZ"], ["currency code"]),
    (["money", "add", "Acme", "commission", "-5", "USD"], ["negative", "clawback"]),
    (["money", "add", "Acme", "spiff", "0", "USD", "--due", "today"], ["0 is nothing owed"]),
    (["money", "add", "Acme", "spiff", "0.00", "EUR", "--due", "today"], ["0 is nothing owed"]),
    (["money", "add", "Acme", "mdf", "5", "USD", "--due", "today", "--claimed", "2099-01-01"],
     ["claim date", "in the future"]),
    (["cert", "add", "Acme", "Jo", "CCNA", "--earned", "2099-01-01"], ["in the future"]),
    (["dealreg", "add", "Acme", "X", "--reason", "too small"], ["rejection", "draft"]),
    (["dealreg", "add", "Acme", "X", "--status", "approved"], ["--decided"]),
])
def test_hostile_input_is_one_line_in_the_real_process(db_path, argv, words):
    run_cli(["vendor", "add", "Acme"], db_path)
    assert_one_line_error(run_cli(argv, db_path), *words)


def test_a_status_change_out_of_date_order_is_one_line(cli, db_path):
    cli("dealreg", "add", "Acme Networks", "X", "--submitted", "2026-01-05")
    cli("dealreg", "set", "1", "approved", "--on", "2026-01-20")
    assert_one_line_error(run_cli(["dealreg", "set", "1", "won", "--on", "2026-01-10"], db_path),
                          "before it became approved")
    assert_one_line_error(run_cli(["dealreg", "set", "1", "won", "--on", "2099-01-10"], db_path),
                          "in the future")
    listed = json.loads(cli("dealreg", "list", "--format", "json"))
    assert listed[0]["status"] == "approved"  # neither refusal wrote anything


def test_a_payment_dated_in_the_future_is_one_line(cli, db_path):
    cli("money", "add", "Acme Networks", "commission", "100", "USD", "--due", "2026-02-01")
    assert_one_line_error(run_cli(["money", "paid", "1", "--on", "2099-01-10"], db_path),
                          "in the future")
    assert json.loads(cli("money", "list", "--format", "json"))[0]["paid_on"] is None


def test_a_back_dated_tier_says_what_it_was_then_and_what_is_current(cli):
    cli("tier", "set", "Acme Networks", "Platinum", "--on", "2022-12-01")
    out = cli("tier", "set", "Acme Networks", "Gold", "--on", "2020-01-01").strip()
    assert out == ("Acme Networks: Gold from 2020-01-01; Platinum from 2022-12-01 is still "
                   "current.")
    out = cli("tier", "set", "Acme Networks", "Silver", "--on", "2021-01-01").strip()
    assert out.startswith("Acme Networks: Silver (was Gold) from 2021-01-01; Platinum")
    assert "Platinum" in cli("vendor", "list")


def test_importing_a_portal_file_again_says_imported_nothing_new(cli, tmp_path):
    path = tmp_path / "portal.csv"
    path.write_text("Vendor,Customer,Status\nAcme Networks,A,Draft\n", "utf-8")
    assert "Would import 1 registration" in cli("ledger", "import", str(path), "--dry-run")
    assert "Imported 1 registration" in cli("ledger", "import", str(path))
    again = cli("ledger", "import", str(path)).strip()
    assert again == f"Imported nothing new; 1 already in the journal from {path}."


def test_paying_again_with_the_defaults_does_not_overwrite_the_payment(cli, db_path):
    cli("money", "add", "Acme Networks", "commission", "100", "USD", "--due", "2026-02-01")
    cli("money", "paid", "1", "--on", "2026-01-30")
    assert_one_line_error(run_cli(["money", "paid", "1"], db_path),
                          "already paid (USD 100.00 on 2026-01-30)")
    assert json.loads(cli("money", "list", "--format", "json"))[0]["paid_on"] == "2026-01-30"
    out = cli("money", "paid", "1", "90", "--on", "2026-01-31")  # a correction is still allowed
    assert "USD 10.00 short" in out



def test_a_negative_deal_value_says_nothing_of_clawbacks(db_path):
    run_cli(["vendor", "add", "Acme"], db_path)
    out = run_cli(["dealreg", "add", "Acme", "X", "--value", "-5", "--currency", "USD"], db_path)
    assert_one_line_error(out, "negative", "positive")
    assert "clawback" not in out.stderr


def test_a_payment_of_nothing_says_it_is_all_short(cli):
    cli("money", "add", "Acme Networks", "commission", "100", "USD", "--due", "2026-02-01")
    out = cli("money", "paid", "1", "0", "--on", "2026-02-01").strip()
    assert out == ("#1: Acme Networks paid nothing (USD 0.00) on 2026-02-01; the whole USD 100.00"
                   " is short.")
    row = json.loads(cli("money", "list", "--format", "json"))[0]
    assert (row["paid_minor"], row["paid_on"]) == (0, "2026-02-01")


def test_listed_registrations_carry_their_status_history(cli):
    cli("dealreg", "add", "Acme Networks", "St Mary's", "--submitted", "2026-01-05")
    cli("dealreg", "set", "1", "approved", "--on", "2026-01-20")
    cli("dealreg", "set", "1", "won", "--on", "2026-03-02")
    listed = json.loads(cli("dealreg", "list", "--format", "json"))
    assert listed[0]["history"] == [{"status": "submitted", "on": "2026-01-05"},
                                    {"status": "approved", "on": "2026-01-20"},
                                    {"status": "won", "on": "2026-03-02"}]
