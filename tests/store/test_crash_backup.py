"""A process killed in the middle of a backup: the journal and every earlier backup are intact,
and no half copy ever carries a backup's name."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from partnerdesk.services.backup import list_backups, rotate, verify_backup
from partnerdesk.store.journal import Journal
from tests.helpers import fts_check
from tests.safety import make_journal

# Logs one interaction, then backs the journal up, again and again; prints each id after its
# transaction committed and each backup after backup_now returned. Rotation keeps everything
# so that every acknowledged backup must still be there.
CHILD = textwrap.dedent("""
    import sys
    from partnerdesk.domain.models import InteractionDraft
    from partnerdesk.domain.vocab import Tag
    from partnerdesk.services.backup import RotationPolicy, backup_now
    from partnerdesk.store.journal import Journal
    from datetime import UTC, datetime

    path, round_no = sys.argv[1], int(sys.argv[2])
    keep_all = RotationPolicy(daily=0, weekly=0, keep_last=100000)
    with Journal.open(path) as j:
        vid = j.vendors.resolve("Safety Test Telecom").id
        n = 0
        while True:
            n += 1
            item = j.interactions.add(InteractionDraft(
                vendor_id=vid, occurred_at=datetime(2026, 2, 1, tzinfo=UTC), tag=Tag.HELPFUL,
                summary=f"round {round_no} entry {n}", notes="before a backup " * 40))
            print("w", item.id, flush=True)
            made = backup_now(j, "manual", policy=keep_all)
            print("b", made, flush=True)
""")


def _check_journal(path: Path, acknowledged: set[int]) -> None:
    with Journal.open(path) as j:
        conn = j.raw_connection()
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            fts_check(conn)
            present = {r[0] for r in conn.execute("SELECT id FROM interaction")}
        finally:
            conn.close()
    assert acknowledged <= present


@pytest.mark.parametrize("seed", [3, 4])
def test_killed_during_backups_loses_no_journal_entry_and_no_backup(tmp_path, seed):
    rng = random.Random(seed)
    # A few MB, so that a backup takes long enough to be killed half-way through.
    path = make_journal(tmp_path / "journal.sqlite3", 3000, notes="padding for size " * 60)
    acknowledged: set[int] = set()
    backups: dict[Path, set[int]] = {}  # each acknowledged backup -> ids it must hold
    killed_mid_copy = 0
    for round_no in range(6):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(round_no)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        wanted = rng.randint(2, 6)
        try:
            seen_writes = 0
            while seen_writes < wanted:
                line = proc.stdout.readline()
                assert line, f"child died early: {proc.stderr.read() if proc.stderr else ''}"
                kind, value = line.split(" ", 1)
                if kind == "w":
                    acknowledged.add(int(value))
                    seen_writes += 1
                else:
                    backups[Path(value.strip())] = set(acknowledged)
            time.sleep(rng.uniform(0, 0.03))  # somewhere inside the next backup
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        folder = path.parent / "backups"
        killed_mid_copy += any(p.name.endswith(".tmp") for p in folder.iterdir())

        _check_journal(path, acknowledged)
        listed = list_backups(path)  # quick_check on each
        assert all(info.ok for info in listed), [i for i in listed if not i.ok]
        for backup, must_hold in backups.items():
            assert backup.exists(), backup
            assert verify_backup(backup, full=True) is None
            with Journal.open(backup, read_only=True) as b:
                conn = b.raw_connection()
                try:
                    held = {r[0] for r in conn.execute("SELECT id FROM interaction")}
                finally:
                    conn.close()
            assert must_hold <= held
    assert len(backups) >= 6
    # Half copies are hidden temp files, never listed; rotation sweeps them once stale.
    folder = path.parent / "backups"
    temps = [p for p in folder.iterdir() if ".tmp" in p.name]
    listed_names = {i.path.name for i in list_backups(path, verify=False)}
    assert not any(t.name in listed_names for t in temps)
    old = time.time() - 2 * 3600
    for t in temps:
        os.utime(t, (old, old))
    rotate(path)
    assert [p for p in folder.iterdir() if ".tmp" in p.name] == []
    # The loop must actually have killed some backups half-way, or it proved little.
    assert killed_mid_copy >= 1
