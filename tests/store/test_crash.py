"""A writer killed at a random moment: the file stays sound, every acknowledged write survives."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from partnerdesk.store.journal import Journal
from tests.helpers import fts_check

# The child logs through the store and prints each id only after add() has returned, i.e. after
# the transaction committed. In bulk mode it prints a batch key after add_many() returned.
CHILD = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from partnerdesk.domain.models import InteractionDraft
    from partnerdesk.domain.vocab import Source, Tag
    from partnerdesk.store.journal import Journal

    path, mode, round_no = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = datetime(2026, 1, 1, tzinfo=UTC)
    with Journal.open(path) as j:
        vid = j.vendors.resolve("Crash Test Telecom").id
        n = 0
        while True:
            n += 1
            if mode == "single":
                item = j.interactions.add(InteractionDraft(
                    vendor_id=vid, occurred_at=base + timedelta(minutes=n), tag=Tag.HELPFUL,
                    summary=f"round {round_no} entry {n}", notes="killed mid-write " * 50,
                    topics=("crash",)))
                print(item.id, flush=True)
            else:
                key = f"r{round_no}b{n}"
                drafts = [InteractionDraft(
                    vendor_id=vid, occurred_at=base + timedelta(seconds=k), tag=Tag.TRANSACTIONAL,
                    summary=f"bulk {key} row {k}", notes="bulk " * 40, source=Source.CSV,
                    source_id=f"{key}-{k}") for k in range(2500)]
                assert j.interactions.add_many(drafts) == (2500, 0)
                print(key, flush=True)
""")

BULK = 2500


def _check(path: Path, acknowledged_ids: set[int], acknowledged_batches: list[str]) -> None:
    with Journal.open(path) as j:  # recovery happens here, as it would for the user
        conn = j.raw_connection()
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            fts_check(conn)
            trigger = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                " AND name = 'interaction_fts_insert'"
            ).fetchone()[0]
            assert trigger == 1  # a bulk write killed half-way must not lose the FTS trigger
            present = {r[0] for r in conn.execute("SELECT id FROM interaction")}
            assert acknowledged_ids <= present
            for key in acknowledged_batches:
                n = conn.execute(
                    "SELECT count(*) FROM interaction WHERE source_id LIKE ?", (f"{key}-%",)
                ).fetchone()[0]
                assert n == BULK, key
            # Any batch is all or nothing, acknowledged or not.
            for (n,) in conn.execute(
                "SELECT count(*) FROM interaction WHERE source = 'csv'"
                " GROUP BY substr(source_id, 1, instr(source_id, '-'))"
            ):
                assert n == BULK
        finally:
            conn.close()
        # And the journal keeps working: a new entry lands and is searchable.
        vid = j.vendors.resolve("Crash Test Telecom").id
        from tests.helpers import draft

        new = j.interactions.add(draft(vid, "after the crash unique-marker"))
        assert [i.id for i in j.interactions.search("unique-marker")] == [new.id]
        j.interactions.delete(new.id)


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_writer_loses_nothing_acknowledged(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as j:
        j.vendors.add("Crash Test Telecom")
    acknowledged_ids: set[int] = set()
    acknowledged_batches: list[str] = []
    for round_no, mode in enumerate(["single", "bulk", "single", "bulk", "single", "single"]):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), mode, str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        wanted = rng.randint(5, 80) if mode == "single" else rng.randint(1, 3)
        try:
            for _ in range(wanted):
                line = proc.stdout.readline()
                assert line, f"child died early: {proc.stderr.read() if proc.stderr else ''}"
                if mode == "single":
                    acknowledged_ids.add(int(line))
                else:
                    acknowledged_batches.append(line.strip())
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        _check(path, acknowledged_ids, acknowledged_batches)
    assert len(acknowledged_batches) >= 2 and len(acknowledged_ids) >= 20
