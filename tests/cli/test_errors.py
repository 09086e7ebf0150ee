"""Every command's bad input through the real `partnerdesk` process: one line, no traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import assert_ok, assert_one_line_error, run_cli, sqlite_rows

BIG = "x" * 100_000


@pytest.fixture(scope="module")
def populated(tmp_path_factory) -> Path:
    """A journal with three vendors, a contact and one interaction, made through the CLI itself."""
    path = tmp_path_factory.mktemp("cli") / "journal.sqlite3"
    for args in (
        ["vendor", "add", "Meridian Telecom", "--domain", "meridian.example"],
        ["vendor", "add", "Harbor Fiber"],
        ["vendor", "add", "Zenith Contact Center"],
        ["contact", "add", "Meridian Telecom", "Dana Reyes", "--role", "cm"],
        ["log", "Meridian Telecom", "-s", "Kick-off call", "-t", "helpful"],
    ):
        assert_ok(run_cli(args, path))
    return path


@pytest.fixture
def journal_copy(populated, tmp_path) -> Path:
    target = tmp_path / "journal.sqlite3"
    shutil.copyfile(populated, target)
    return target


LOG = ["log", "Meridian Telecom", "-s", "A call", "-t", "helpful"]

# (case id, argv, words the one line must contain)
BAD_INPUT = [
    (
        "log-unknown-vendor",
        ["log", "Meridan Telecom", "-s", "x", "-t", "helpful"],
        ["No vendor named 'Meridan Telecom'", "Meridian Telecom", "vendor add"],
    ),
    (
        "log-unknown-vendor-named-contact",
        ["log", "Zenith Contact Centre", "-s", "x", "-t", "helpful"],
        ["Zenith Contact Center", "vendor add 'Zenith Contact Centre'"],
    ),
    (
        "log-unknown-vendor-no-match",
        ["log", "Zzyzx", "-s", "x", "-t", "helpful"],
        ["Zzyzx", "vendor add"],
    ),
    ("log-bad-tag", [*LOG[:4], "-t", "meh"], ["'meh' is not a tag", "helpful, transactional"]),
    ("log-missing-tag", LOG[:4], ["--tag"]),
    ("log-bad-channel", [*LOG, "--channel", "fax"], ["'fax' is not a channel", "call"]),
    ("log-bad-direction", [*LOG, "--direction", "sideways"], ["direction"]),
    ("log-bad-at", [*LOG, "--at", "garbage"], ["'garbage' is not a time", "YYYY-MM-DD"]),
    ("log-bad-at-date", [*LOG, "--at", "2026-02-30 10:00"], ["2026-02-30"]),
    ("log-bad-at-clock", [*LOG, "--at", "today 25:00"], ["today 25:00"]),
    ("log-at-out-of-range", [*LOG, "--at", "1969-07-20 20:17"], ["1970"]),
    ("log-bad-quality-high", [*LOG, "--quality", "9"], ["quality 9", "1 to 5"]),
    ("log-bad-quality-zero", [*LOG, "--quality", "0"], ["1 to 5"]),
    ("log-bad-quality-word", [*LOG, "--quality", "great"], ["not a number"]),
    (
        "log-empty-summary",
        ["log", "Meridian Telecom", "-s", "", "-t", "helpful"],
        ["summary is empty"],
    ),
    (
        "log-blank-summary",
        ["log", "Meridian Telecom", "-s", " \t ", "-t", "helpful"],
        ["summary is empty"],
    ),
    (
        "log-huge-summary",
        ["log", "Meridian Telecom", "-s", BIG, "-t", "helpful"],
        ["100000 characters", "notes"],
    ),
    (
        "log-unknown-contact",
        [*LOG, "--contact", "Nobody Known"],
        ["no contact named 'Nobody Known'"],
    ),
    ("log-bad-follow-up", [*LOG, "--follow-up", "2026-13-45"], ["2026-13-45", "YYYY-MM-DD"]),
    ("log-follow-up-text-without-date", [*LOG, "--follow-up-text", "call back"], ["--follow-up"]),
    ("log-long-topic", [*LOG, "--topic", "t" * 80], ["topic"]),
    ("log-newline-vendor", ["log", "Foo\nBar", "-s", "x", "-t", "helpful"], ["Foo\\nBar"]),
    (
        "log-escape-sequence-vendor",
        ["log", "\x1b[31mRed", "-s", "x", "-t", "helpful"],
        ["\\x1b[31mRed"],
    ),
    ("vendor-add-duplicate", ["vendor", "add", "Meridian Telecom"], ["already exists"]),
    ("vendor-add-duplicate-case", ["vendor", "add", "  MERIDIAN   telecom "], ["already exists"]),
    ("vendor-add-empty", ["vendor", "add", "   "], ["name is empty"]),
    ("vendor-add-long", ["vendor", "add", "v" * 300], ["300 characters"]),
    (
        "vendor-add-bad-domain",
        ["vendor", "add", "Newco", "--domain", "not a domain"],
        ["not a domain"],
    ),
    (
        "vendor-add-taken-domain",
        ["vendor", "add", "Newco", "--domain", "www.meridian.example"],
        ["already belongs to Meridian Telecom"],
    ),
    (
        "vendor-acquired-bad-on",
        ["vendor", "acquired", "Harbor Fiber", "--by", "Meridian Telecom", "--on", "someday"],
        ["'someday' is not a date"],
    ),
    (
        "vendor-acquired-unknown-buyer",
        ["vendor", "acquired", "Harbor Fiber", "--by", "Lumen", "--on", "2020-01-01"],
        ["Lumen", "vendor add"],
    ),
    (
        "vendor-acquired-itself",
        ["vendor", "acquired", "Harbor Fiber", "--by", "harbor fiber", "--on", "2020-01-01"],
        ["itself"],
    ),
    ("vendor-archive-unknown", ["vendor", "archive", "Nobody Inc"], ["Nobody Inc"]),
    ("vendor-list-bad-format", ["vendor", "list", "--format", "pdf"], ["invalid choice", "pdf"]),
    (
        "contact-add-unknown-vendor",
        ["contact", "add", "Nobody Inc", "Sam"],
        ["Nobody Inc", "vendor add"],
    ),
    (
        "contact-add-duplicate",
        ["contact", "add", "Meridian Telecom", "dana reyes"],
        ["already has a contact"],
    ),
    (
        "contact-add-bad-role",
        ["contact", "add", "Meridian Telecom", "Sam", "--role", "wizard"],
        ["role"],
    ),
    (
        "contact-add-bad-dates",
        ["contact", "add", "Meridian Telecom", "Sam", "--from", "2020-01-01", "--to", "2019-01-01"],
        ["before the start"],
    ),
    ("contact-list-unknown-vendor", ["contact", "list", "Nobody Inc"], ["Nobody Inc"]),
    (
        "event-add-bad-on",
        ["event", "add", "Harbor Fiber", "--kind", "merger", "--on", "2026-02-30", "--text", "x"],
        ["2026-02-30"],
    ),
    (
        "event-add-bad-kind",
        ["event", "add", "Harbor Fiber", "--kind", "party", "--on", "2026-01-01", "--text", "x"],
        ["kind of event", "acquisition"],
    ),
    (
        "event-add-empty-text",
        ["event", "add", "Harbor Fiber", "--kind", "merger", "--on", "2026-01-01", "--text", " "],
        ["no text"],
    ),
    (
        "event-add-unknown-vendor",
        ["event", "add", "Nobody Inc", "--kind", "merger", "--on", "2026-01-01", "--text", "x"],
        ["Nobody Inc"],
    ),
    ("list-negative-limit", ["list", "--limit", "-1"], ["--limit"]),
    ("list-word-limit", ["list", "--limit", "ten"], ["--limit", "invalid int"]),
    ("list-bad-format", ["list", "--format", "xml"], ["invalid choice", "xml"]),
    ("list-format-newline", ["list", "--format", "a\nb"], ["a\\nb"]),
    ("list-bad-tag", ["list", "--tag", "meh"], ["not a tag"]),
    ("list-bad-channel", ["list", "--channel", "fax"], ["not a channel"]),
    ("list-bad-since", ["list", "--since", "last year"], ["'last year' is not a date"]),
    (
        "list-until-before-since",
        ["list", "--since", "2026-02-01", "--until", "2026-01-01"],
        ["swap"],
    ),
    ("list-unknown-vendor", ["list", "--vendor", "Nobody Inc"], ["Nobody Inc"]),
    ("search-only-symbols", ["search", '"*^-:()'], ["no words"]),
    ("search-only-operators-symbols", ["search", "*", "-", "^", '"'], ["no words"]),
    ("search-negative-limit", ["search", "call", "--limit", "-5"], ["--limit"]),
    ("search-bad-format", ["search", "call", "--format", "yaml"], ["invalid choice"]),
    ("search-unknown-vendor", ["search", "call", "--vendor", "Nobody Inc"], ["Nobody Inc"]),
    ("search-missing-query", ["search"], ["required"]),
    ("followups-done-unknown", ["followups", "--done", "999"], ["#999"]),
    ("followups-done-huge", ["followups", "--done", str(10**20)], ["has no follow-up"]),
    ("followups-bad-format", ["followups", "--format", "xml"], ["invalid choice"]),
    ("demo-non-empty", ["demo", "--interactions", "10"], ["already has entries"]),
    ("unknown-command", ["frobnicate"], ["invalid choice"]),
    ("unknown-option", ["list", "--colour"], ["unrecognized"]),
]


def _dump(path: Path) -> list[list[tuple[object, ...]]]:
    tables = ("vendor", "vendor_domain", "contact", "vendor_event", "interaction")
    return [sqlite_rows(path, f"SELECT * FROM {t} ORDER BY 1") for t in tables]


@pytest.fixture(scope="module")
def bad_input_runs(populated, tmp_path_factory):
    """Every bad-input case, each on its own copy of the journal, run a few at a time.

    They are independent processes; running them concurrently keeps the suite fast on two
    cores. Each test below then checks its own case's outcome.
    """
    folder = tmp_path_factory.mktemp("bad-input")

    def run(case):
        case_id, argv, _ = case
        path = folder / f"{case_id}.sqlite3"
        shutil.copyfile(populated, path)
        before = _dump(path)
        result = run_cli(argv, path)
        return case_id, (result, before, _dump(path))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(run, BAD_INPUT))


@pytest.mark.parametrize(("case_id", "words"), [pytest.param(i, w, id=i) for i, _, w in BAD_INPUT])
def test_bad_input_is_one_clear_line(bad_input_runs, case_id, words):
    result, before, after = bad_input_runs[case_id]
    assert_one_line_error(result, *words)
    assert after == before  # refused means nothing written


def test_huge_limit_means_all(journal_copy):
    out = assert_ok(run_cli(["list", "--limit", str(10**30), "--format", "json"], journal_copy))
    assert '"Kick-off call"' in out


def test_demo_range_errors(tmp_path):
    for argv, word in (
        (["demo", "--interactions", "-1"], "between 0"),
        (["demo", "--vendors", "0"], "between 1"),
    ):
        assert_one_line_error(run_cli(argv, tmp_path / "empty.sqlite3"), word)


def test_undecodable_bytes_in_arguments_and_stdin_are_stored_visibly(journal_copy):
    result = run_cli(
        [
            "log",
            "Meridian Telecom",
            "-s",
            "Caf\udce9 call",
            "-t",
            "helpful",
            "--notes",
            "-",
            "--topic",
            "pr\udcefcing",
            "--format",
            "json",
        ],
        journal_copy,
        input=b"Latin-1 notes: caf\xe9 cr\xe8me\n",
    )
    out = assert_ok(result)
    assert "Caf\ufffd call" in out and "caf\ufffd cr\ufffdme" in out
    assert_one_line_error(
        run_cli(["vendor", "add", "Meridian Telecom", "--notes", "\udcff"], journal_copy),
        "already exists",
    )
    assert_ok(
        run_cli(
            ["vendor", "add", "Byte\udcffCo", "--programme", "P\udcff", "--notes", "n\udcff"],
            journal_copy,
        )
    )
    assert_ok(run_cli(["search", "caf\udce9"], journal_copy))


def test_every_command_has_help(populated):
    for argv in (
        ["--help"],
        ["vendor", "--help"],
        ["vendor", "add", "--help"],
        ["vendor", "list", "--help"],
        ["vendor", "acquired", "--help"],
        ["contact", "add", "--help"],
        ["event", "add", "--help"],
        ["log", "--help"],
        ["list", "--help"],
        ["search", "--help"],
        ["followups", "--help"],
        ["demo", "--help"],
    ):
        result = run_cli(argv, populated)
        assert result.returncode == 0 and "usage:" in result.stdout, (argv, result.stderr)


def test_locked_journal_is_reported_busy_and_nothing_is_written(journal_copy):
    holder = sqlite3.connect(journal_copy, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        assert_one_line_error(
            run_cli(["vendor", "add", "Newco"], journal_copy), "busy", "try again"
        )
        # Readers are not blocked by a writer (WAL).
        assert "Kick-off call" in assert_ok(run_cli(["list"], journal_copy))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sqlite_rows(journal_copy, "SELECT count(*) FROM vendor WHERE name = 'Newco'") == [(0,)]
    assert_ok(run_cli(["vendor", "add", "Newco"], journal_copy))  # free again


def _without_root_privilege() -> list[str]:
    """A command prefix under which file modes apply, even when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip(
            "running as root without setpriv: root ignores file modes, so a 0400 journal "
            "would still be writable and the test would prove nothing"
        )
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def _check_modes_bite(prefix: list[str], path: Path) -> None:
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", f"open({str(path)!r}, 'r+b')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode == 0:
        pytest.skip("file modes do not restrict this user here (capabilities could not be dropped)")


def test_read_only_file_is_refused_for_writes_and_left_alone(journal_copy):
    prefix = _without_root_privilege()
    journal_copy.chmod(0o400)
    try:
        _check_modes_bite(prefix, journal_copy)
        data = journal_copy.read_bytes()
        assert_one_line_error(
            run_cli(LOG, journal_copy, prefix=prefix), "read-only", "nothing was saved"
        )
        assert_one_line_error(
            run_cli(["vendor", "add", "Newco"], journal_copy, prefix=prefix), "read-only"
        )
        assert "Kick-off call" in assert_ok(run_cli(["list"], journal_copy, prefix=prefix))
        assert journal_copy.read_bytes() == data
    finally:
        journal_copy.chmod(0o600)


def test_read_only_folder_is_a_clear_error(journal_copy):
    prefix = _without_root_privilege()
    folder = journal_copy.parent
    folder.chmod(0o500)
    try:
        _check_modes_bite(prefix, folder / "probe")
        data = journal_copy.read_bytes()
        assert_one_line_error(run_cli(LOG, journal_copy, prefix=prefix), "read-only")
        # A read names the missing journal and creates nothing (issue 8, item 9).
        assert_one_line_error(
            run_cli(["list"], folder / "new.sqlite3", prefix=prefix), "no journal at"
        )
        assert_one_line_error(
            run_cli(["vendor", "add", "Newco"], folder / "new.sqlite3", prefix=prefix),
            "permission denied",
        )
        assert journal_copy.read_bytes() == data
        assert not (folder / "new.sqlite3").exists()
    finally:
        folder.chmod(0o700)


def test_version_touches_no_journal(tmp_path):
    result = run_cli(["--db", str(tmp_path / "j.sqlite3"), "--version"], None)
    assert result.returncode == 0 and result.stdout.startswith("partnerdesk ")
    assert not (tmp_path / "j.sqlite3").exists()
