"""A journal on read-only media opens for reading (issue 8, item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.safety import make_journal, read_only_folder, sha

READS = {
    "list": ["list"],
    "search": ["search", "entry"],
    "vendor list": ["vendor", "list"],
    "health": ["health"],
}


@pytest.fixture
def on_read_only_media(tmp_path: Path):
    folder = tmp_path / "media"
    folder.mkdir()
    path = make_journal(folder / "journal.sqlite3", n=12)
    with read_only_folder(folder):
        yield path


@pytest.mark.parametrize("command", sorted(READS))
def test_reads_work_on_read_only_media(on_read_only_media: Path, command: str) -> None:
    before = sha(on_read_only_media)
    assert_ok(run_cli(READS[command], on_read_only_media))
    assert sha(on_read_only_media) == before


def test_export_and_report_from_read_only_media(on_read_only_media: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert_ok(run_cli(["export", "--format", "json", "-o", str(out)], on_read_only_media))
    assert "entry 11" in out.read_text(encoding="utf-8")
    pdf = tmp_path / "q.pdf"
    assert_ok(run_cli(["report", "--quarter", "2026Q1", "-o", str(pdf)], on_read_only_media))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_write_on_read_only_media_is_refused_in_one_line(on_read_only_media: Path) -> None:
    before = sha(on_read_only_media)
    assert_one_line_error(run_cli(["vendor", "add", "Newco"], on_read_only_media), "read-only")
    assert sha(on_read_only_media) == before
