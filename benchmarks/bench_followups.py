#!/usr/bin/env python3
"""Follow-ups on a demo journal of a named size, against issue 10's targets.

    python benchmarks/bench_followups.py --db /tmp/followups-1m.sqlite3   # built there if absent

Measures (median and spread of N runs):
  * the follow-ups view opening: widget built, list read and shown (target 0.3 s)
  * today's reminders: counts and the tray menu's items (target 50 ms)
  * one notification check (what the tray does each minute)
  * `partnerdesk followups` as a process, start to exit (target 0.3 s)
and how many open items the journal holds, which is what those costs follow.
With --open N the journal is first topped up to N open items (it writes: use a copy), since
the tidy demo holds only a few. CPU time (user+sys) is printed beside the wall time: a busy
machine inflates it far less. Not a unit test: it needs a quiet machine. Run it with bytecode
caching on (unset PYTHONDONTWRITEBYTECODE): compiling the sources again costs every process
~0.15 s.
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


def spread(samples: list[float], cpu: list[float] | None = None) -> str:
    """Wall time median and spread; with `cpu`, the CPU time (user+sys) beside it, which a busy
    machine inflates far less than the wall time."""
    ms = sorted(s * 1000 for s in samples)
    text = (
        f"median {statistics.median(ms):7.1f} ms   min {ms[0]:7.1f}   max {ms[-1]:7.1f}"
        f"   (n={len(ms)})"
    )
    if cpu:
        c = sorted(x * 1000 for x in cpu)
        text += f"   CPU median {statistics.median(c):6.1f} ms (min {c[0]:.1f}, max {c[-1]:.1f})"
    return text


def cpu_now() -> float:
    """User+sys seconds of this process so far."""
    return time.process_time()


def children_cpu() -> float:
    """User+sys seconds of the finished child processes so far."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def add_open_items(path: Path, wanted: int) -> None:
    """Top the journal up to `wanted` open items (due over the last two years and the next
    month), to see the costs at a rep's worst rather than the tidy demo's. Writes to `path`."""
    import random

    from partnerdesk.store import action_items as store
    from partnerdesk.store.journal import Journal

    with Journal.open(path) as j, j.writing() as conn:
        have = store.count_items(conn, states=("open",))
        if have >= wanted:
            return
        ids = [r[0] for r in conn.exec_driver_sql(
            "SELECT id FROM interaction ORDER BY id DESC LIMIT ?", (wanted - have,))]
        rng = random.Random(7)
        now = int(time.time())
        today = date.today().toordinal()
        for n, iid in enumerate(ids):
            due = date.fromordinal(today - rng.randint(-30, 730))
            store.insert_item(conn, iid, f"Bench item {n}", due, rng.choice(("me", "vendor")), now)
    print(f"topped up to {wanted:,} open items")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench-followups-1m.sqlite3")
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--open", type=int, default=0,
                    help="first add open items up to this many (WRITES to --db: use a copy)")
    a = ap.parse_args()
    path = Path(a.db)
    if not path.exists():
        from partnerdesk.services.demo import generate
        from partnerdesk.store.journal import Journal

        print(f"building {path} ({a.interactions:,} interactions)…", flush=True)
        with Journal.open(path) as j:
            generate(j, interactions=a.interactions)

    if a.open:
        add_open_items(path, a.open)

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

    samples, cpu = [], []
    for _ in range(a.runs):
        t, c = time.perf_counter(), cpu_now()
        with lite.reading() as conn:
            r = today_reminders(conn, today)
        samples.append(time.perf_counter() - t)
        cpu.append(cpu_now() - c)
    print(f"today's reminders ({r.headline()}): {spread(samples, cpu)}   target 50 ms")

    samples, cpu = [], []
    for _ in range(a.runs):
        state = NotifyState()
        t, c = time.perf_counter(), cpu_now()
        with lite.reading() as conn:
            notes_for(conn, datetime.now(), state, None)
        samples.append(time.perf_counter() - t)
        cpu.append(cpu_now() - c)
    print(f"a notification check:           {spread(samples, cpu)}")

    from PySide6.QtWidgets import QApplication

    from partnerdesk.ui.followups_view import FollowUpsView
    from partnerdesk.ui.session import JournalSession

    app = QApplication.instance() or QApplication([])
    session = JournalSession(path)
    samples, cpu = [], []
    for _ in range(a.runs):
        t, c = time.perf_counter(), cpu_now()
        view = FollowUpsView(session)
        view.show()
        app.processEvents()
        samples.append(time.perf_counter() - t)
        cpu.append(cpu_now() - c)
        rows = view.summary.text()
        view.close()
        view.deleteLater()
        app.processEvents()
    print(f"follow-ups view opens ({rows}): {spread(samples, cpu)}   target 300 ms")
    session.close()

    samples, cpu = [], []
    env = {**os.environ, "PARTNERDESK_DB": str(path)}
    for _ in range(a.runs):
        t, c = time.perf_counter(), children_cpu()
        subprocess.run(
            [sys.executable, "-m", "partnerdesk", "followups"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        samples.append(time.perf_counter() - t)
        cpu.append(children_cpu() - c)
    print(f"`partnerdesk followups` process: {spread(samples, cpu)}   target 300 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
