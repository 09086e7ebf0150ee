"""Restoring while another process writes loses no acknowledged interaction.

A writer process logs entries one command at a time (open, add, close, print the
acknowledgement) while this process restores a backup again and again. Every acknowledged
entry must end up either in the journal or in one of the 'replaced' copies a restore keeps
aside; a restore that loses the race says the journal is busy (never a raw OS error).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from partnerdesk.domain.errors import JournalBusy
from partnerdesk.services.backup import backup_now, restore
from tests.safety import make_journal

WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from partnerdesk.domain.errors import PartnerdeskError
from partnerdesk.domain.models import InteractionDraft
from partnerdesk.domain.vocab import Source, Tag
from partnerdesk.store.journal import Journal

path, stop = Path(sys.argv[1]), Path(sys.argv[2])
k = 0
while not stop.exists():
    k += 1
    try:
        with Journal.open(path, create=False) as j:
            vid = j.vendors.all()[0].id
            j.interactions.add(InteractionDraft(
                vendor_id=vid, occurred_at=datetime(2026, 4, 1, 9, tzinfo=UTC), tag=Tag.HELPFUL,
                summary=f"written {k}", source=Source.MANUAL))
        print(f"ack written {k}", flush=True)
    except PartnerdeskError as exc:
        print(f"refused {k}: {exc}", flush=True)
"""

RESTORES = 12


def _all_summaries(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT summary FROM interaction")}
    finally:
        conn.close()


def test_restore_racing_a_writer_keeps_every_acknowledged_entry(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "journal.sqlite3", n=10)
    made = backup_now(path, dest=tmp_path / "the-backup.sqlite3")
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    restored = busy = 0
    try:
        time.sleep(1.0)  # let the writer get going
        for _ in range(RESTORES):
            try:
                restore(made, path)
                restored += 1
            except JournalBusy:
                busy += 1
            time.sleep(0.15)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    acked = {line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("ack ")}
    assert restored >= 1 and len(acked) >= 5, (restored, busy, out[-500:])
    kept: set[str] = _all_summaries(path)
    for aside in (tmp_path / "backups").glob("*.replaced.sqlite3"):
        kept |= _all_summaries(aside)
    assert sorted(acked - kept) == []
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
