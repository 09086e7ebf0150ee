"""Outputs go where they are pointed, privately (issue 8, item 8)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli
from tests.safety import make_journal


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal.sqlite3", n=30)


def _no_parts(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


def test_export_through_a_symlink_writes_its_target_and_keeps_the_link(jpath, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert_ok(run_cli(["export", "-o", str(link)], jpath))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "entry 29" in real.read_text(encoding="utf-8-sig")
    _no_parts(tmp_path)


def test_export_into_a_fifo_writes_through_it(jpath, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert_ok(run_cli(["export", "--format", "csv", "-o", str(fifo)], jpath))
    reader.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"entry 29" in got[0]
    _no_parts(tmp_path)


def test_a_device_is_written_through_never_replaced(jpath):
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full here")
    before = os.lstat(full)
    assert_one_line_error(run_cli(["export", "-o", str(full)], jpath), "full")
    after = os.lstat(full)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("command", [["report", "--quarter", "2026Q1"],
                                     ["brief", "Safety Test Telecom"]])
def test_pdfs_are_private_even_under_umask_000(jpath, tmp_path, command):
    out = tmp_path / "out.pdf"
    old = os.umask(0)
    try:
        assert_ok(run_cli([*command, "-o", str(out)], jpath))
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    _no_parts(tmp_path)


def test_exports_are_private_too(jpath, tmp_path):
    out = tmp_path / "out.json"
    old = os.umask(0)
    try:
        assert_ok(run_cli(["export", "--format", "json", "-o", str(out)], jpath))
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_report_to_standard_output(jpath):
    result = run_cli(["brief", "Safety Test Telecom", "-o", "-"], jpath, input=b"")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("%PDF")
    assert "standard output" in result.stderr
