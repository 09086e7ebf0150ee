"""`partnerdesk report` and `partnerdesk brief`, run as a user runs them."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest

from partnerdesk.cli.main import main
from partnerdesk.services.demo import generate
from partnerdesk.store.journal import Journal
from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.services.pdf_checks import needs_pdf_tools, no_leftovers, page_size, qpdf_ok, text_of


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    with Journal.open(db_path) as j:
        generate(j, interactions=1500, vendors=6, seed=11, today=date(2026, 11, 27))
        j.vendors.add("R&D <Partners>")
    return db_path


@needs_pdf_tools
def test_report_end_to_end(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "q3.pdf"
    r = run_cli(["report", "--quarter", "2026Q3", "-o", str(out)], demo_db,
                env={"PARTNERDESK_REP_NAME": "Priya Patel"})
    line = assert_ok(r)
    assert line.startswith(f"Wrote {out}") and "Q3 2026, 7 vendors" in line
    qpdf_ok(out)
    text = text_of(out)
    assert "Priya Patel" in text and "R&D <Partners>" in text


@needs_pdf_tools
def test_report_for_some_vendors_on_letter_with_a_rep_name(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.pdf"
    r = run_cli(["report", "-q", "2026q2", "--vendor", "harbor fiber", "--vendor", "R&D <Partners>",
                 "--paper", "Letter", "--rep-name", "Sam", "-o", str(out)], demo_db,
                env={"PARTNERDESK_REP_NAME": "not me"})
    assert "2 vendors" in assert_ok(r)
    assert tuple(round(x) for x in page_size(out)) == (612, 792)
    text = text_of(out)
    assert "Sam" in text and "not me" not in text and "Q2 2026" in text
    assert "Harbor Fiber" in text and "Meridian Telecom\n" not in text


@needs_pdf_tools
def test_brief_end_to_end(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    assert_ok(run_cli(["brief", "Harbor Fiber", "-o", str(out)], demo_db))
    qpdf_ok(out)
    assert "Harbor Fiber" in text_of(out)


@pytest.mark.parametrize("args, expected", [
    (["report", "--quarter", "2026Q5"], "not a quarter"),
    (["report", "--quarter", "Q3"], "not a quarter"),
    (["report", "--quarter", "2099Q1"], "has not started"),
    (["report", "--quarter", "2026Q3", "--vendor", "Nobody Inc"], "vendor add"),
    (["brief", "Nobody Inc"], "vendor add"),
])
def test_bad_input_is_one_line_and_no_file(demo_db: Path, tmp_path: Path, args: list[str],
                                          expected: str) -> None:
    out = tmp_path / "x.pdf"
    assert_one_line_error(run_cli([*args, "-o", str(out)], demo_db), expected)
    assert not out.exists() and no_leftovers(tmp_path) == []


@pytest.mark.parametrize("target, expected", [
    ("missing/x.pdf", "does not exist"),
    ("afile/x.pdf", "not a folder"),
    (".", "is a folder"),
])
def test_an_output_path_that_cannot_be_written(demo_db: Path, tmp_path: Path, target: str,
                                               expected: str) -> None:
    (tmp_path / "afile").write_text("x")
    for cmd in (["report", "--quarter", "2026Q3"], ["brief", "Harbor Fiber"]):
        r = run_cli([*cmd, "-o", str(tmp_path / target)], demo_db)
        assert_one_line_error(r, expected)


def test_usage_mistakes(demo_db: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    assert_one_line_error(run_cli(["report", "-o", out], demo_db), "--quarter")
    assert_one_line_error(run_cli(["report", "--quarter", "2026Q3"], demo_db), "-o")
    assert_one_line_error(run_cli(["brief", "Harbor Fiber", "-o", out, "--paper", "a3"], demo_db),
                          "paper")


def test_a_full_disk_is_one_line_and_no_file(demo_db: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "q.pdf"
    for args in (["report", "--quarter", "2026Q3"], ["brief", "Harbor Fiber"]):
        code = main(["--db", str(demo_db), *args, "-o", str(out)])
        err = capsys.readouterr().err
        assert code == 1, err
        assert err.count("\n") == 1 and "disk is full" in err and "Traceback" not in err
        assert not out.exists() and no_leftovers(tmp_path) == []


def test_report_is_listed_in_help(demo_db: Path) -> None:
    out = assert_ok(run_cli(["--help"], demo_db))
    assert "report" in out and "brief" in out
