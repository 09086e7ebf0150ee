"""Helpers the test modules share: running the real `partnerdesk` process, checking FTS."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from partnerdesk.domain.models import InteractionDraft
from partnerdesk.domain.vocab import Tag
from partnerdesk.store.journal import Journal

CLI_TIMEOUT = 60  # a hang fails the test instead of stalling the suite


def run_cli(
    args: Sequence[str],
    db: Path | str | None,
    *,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run `python -m partnerdesk ARGS` with PARTNERDESK_DB=db, as a user would."""
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("PARTNERDESK_DB", "PARTNERDESK_DEBUG")
    }
    full_env["PYTHONIOENCODING"] = "utf-8"
    if db is not None:
        full_env["PARTNERDESK_DB"] = str(db)
    full_env.update(env or {})
    cmd = [*prefix, sys.executable, "-m", "partnerdesk", *args]
    if isinstance(input, bytes):
        raw = subprocess.run(
            cmd, input=input, capture_output=True, env=full_env, timeout=CLI_TIMEOUT
        )
        return subprocess.CompletedProcess(
            raw.args,
            raw.returncode,
            raw.stdout.decode("utf-8", "replace"),
            raw.stderr.decode("utf-8", "replace"),
        )
    return subprocess.run(
        cmd,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=CLI_TIMEOUT,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """A refused command: non-zero exit, exactly one line on stderr, no traceback, no 'bug' exit."""
    out = result.stdout + result.stderr
    assert result.returncode != 0, f"expected failure, got exit 0: {out!r}"
    assert result.returncode in (1, 2), (
        f"exit {result.returncode} means an unexpected error: {out!r}"
    )
    assert "Traceback" not in out, out
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"stderr should be one line: {result.stderr!r}"
    assert result.stderr.endswith("\n")
    assert lines[0].startswith("partnerdesk"), lines[0]
    assert "unexpected error" not in lines[0], lines[0]
    for text in expected:
        assert text.lower() in lines[0].lower(), f"{text!r} not in {lines[0]!r}"
    return lines[0]


def assert_ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr!r}"
    assert "Traceback" not in result.stderr
    return result.stdout


def fts_check(conn: sqlite3.Connection) -> None:
    """Both FTS5 integrity checks: the index itself, and the index against the interaction table."""
    conn.execute("INSERT INTO interaction_fts(interaction_fts) VALUES('integrity-check')")
    conn.execute("INSERT INTO interaction_fts(interaction_fts, rank) VALUES('integrity-check', 1)")


def journal_fts_check(journal: Journal) -> None:
    conn = journal.raw_connection()
    try:
        fts_check(conn)
    finally:
        conn.close()


def draft(
    vendor_id: int,
    summary: str = "A call",
    *,
    at: datetime | None = None,
    tag: Tag = Tag.HELPFUL,
    **kw: object,
) -> InteractionDraft:
    return InteractionDraft(
        vendor_id=vendor_id,
        occurred_at=at or datetime(2025, 6, 1, 12, 0, tzinfo=UTC),
        summary=summary,
        tag=tag,
        **kw,
    )  # type: ignore[arg-type]


def sqlite_rows(path: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
    """Read the file with the plain driver, independent of the store's own code."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, tuple(params)).fetchall()
    finally:
        conn.close()
