#!/usr/bin/env python3
"""Follow-ups on a demo journal of a named size, against issue 10's targets.

    python benchmarks/bench_followups.py --db /tmp/followups-1m.sqlite3   # built there if absent

Measures (median and spread of N runs):
  * the follow-ups view opening: widget built, list read and shown (target 0.3 s)
  * today's reminders: counts and the tray menu's items (target 50 ms)
  * one notification check (what the tray does each minute)
  * `partnerdesk followups` as a process, start to exit (target 0.3 s)
and how many open items the journal holds, which is what those costs follow.
Not a unit test: it needs a quiet machine. Run it with bytecode caching on (unset
PYTHONDONTWRITEBYTECODE): compiling the sources again costs every process ~0.15 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def spread(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return (
        f"median {statistics.median(ms):7.1f} ms   min {ms[0]:7.1f}   max {ms[-1]:7.1f}"
        f"   (n={len(ms)})"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench-followups-1m.sqlite3")
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    path = Path(a.db)
    if not path.exists():
        from partnerdesk.services.demo import generate
        from partnerdesk.store.journal import Journal

        print(f"building {path} ({a.interactions:,} interactions)…", flush=True)
        with Journal.open(path) as j:
            generate(j, interactions=a.interactions)

    from partnerdesk.services.reminders import NotifyState, notes_for, today_reminders
    from partnerdesk.store.lite import LiteJournal

    lite = LiteJournal(path)
    with lite.reading() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM interaction").scalar()
        states = dict(
            conn.exec_driver_sql("SELECT state, count(*) FROM action_item GROUP BY 1").all()
        )
    print(f"{path}: {n:,} interactions; action items by state: {states}")
    today = date.today()

    samples = []
    for _ in range(a.runs):
        t = time.perf_counter()
        with lite.reading() as conn:
            r = today_reminders(conn, today)
        samples.append(time.perf_counter() - t)
    print(f"today's reminders ({r.headline()}): {spread(samples)}   target 50 ms")

    samples = []
    for _ in range(a.runs):
        state = NotifyState()
        t = time.perf_counter()
        with lite.reading() as conn:
            notes_for(conn, datetime.now(), state, None)
        samples.append(time.perf_counter() - t)
    print(f"a notification check:           {spread(samples)}")

    from PySide6.QtWidgets import QApplication

    from partnerdesk.ui.followups_view import FollowUpsView
    from partnerdesk.ui.session import JournalSession

    app = QApplication.instance() or QApplication([])
    session = JournalSession(path)
    samples = []
    for _ in range(a.runs):
        t = time.perf_counter()
        view = FollowUpsView(session)
        view.show()
        app.processEvents()
        samples.append(time.perf_counter() - t)
        rows = view.summary.text()
        view.close()
        view.deleteLater()
        app.processEvents()
    print(f"follow-ups view opens ({rows}): {spread(samples)}   target 300 ms")
    session.close()

    samples = []
    env = {**os.environ, "PARTNERDESK_DB": str(path)}
    for _ in range(a.runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "partnerdesk", "followups"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        samples.append(time.perf_counter() - t)
    print(f"`partnerdesk followups` process: {spread(samples)}   target 300 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
