#!/usr/bin/env python3
"""Time `partnerdesk demo` at a named size and print what the demo journal shows a new user.

Builds the journal with the real command in a subprocess, `--repeat` times, and prints the
median and spread (min-max) of wall-clock and CPU time (the child's user + system time, which
the other work on a shared machine inflates less than the wall clock). Target: 1,000,000
interactions in <= 30 s on a quiet machine. Then, for the last journal built, the coherence
figures issue 9 asks of the demo: weekday share, office hours (local time), open and overdue
follow-ups at today, answered partnership questions, and the buyout vendor before and after.

    python benchmarks/bench_demo.py                              # 1M, 3 builds, temp files
    python benchmarks/bench_demo.py --interactions 2000 --repeat 5
    python benchmarks/bench_demo.py --keep /tmp/demo-1m.sqlite3  # keep the last journal

Not a unit test: at 1M it needs a few minutes and a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

TARGET_S = 30.0  # for 1,000,000 interactions
BUYOUT_VENDOR = "Bluepeak Cloud"


def build(n: int, path: Path) -> tuple[float, float]:
    """Run the real command once; (wall seconds, child CPU seconds)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "partnerdesk", "demo", "--interactions", str(n),
                           "--db", str(path)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"demo build failed (exit {done.returncode}): {done.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def spread(label: str, values: list[float], target: float | None = None) -> str:
    med = statistics.median(values)
    verdict = "" if target is None else ("  ok" if med <= target else f"  OVER {target:.0f} s")
    return (f"  {label:<14} median {med:6.1f} s   spread {min(values):.1f}-{max(values):.1f} s"
            f"{verdict}")


def show_journal(path: Path) -> None:
    """The figures a new user meets, read with the plain driver (no partnerdesk code)."""
    today = date.today()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    times = [datetime.fromtimestamp(t) for (t,) in conn.execute(
        "SELECT occurred_at FROM interaction")]
    n = len(times)
    weekday = sum(t.weekday() < 5 for t in times)
    clock = sorted(t.hour * 60 + t.minute for t in times if t.weekday() < 5)
    print(f"  interactions   {n:,}; weekdays {weekday / max(1, n):.2%}; weekday contacts between"
          f" {clock[0] // 60:02}:{clock[0] % 60:02} and {clock[-1] // 60:02}:{clock[-1] % 60:02}"
          " local time" if n else "  no interactions")
    # Follow-ups as today's schema keeps them (one per interaction); when action items arrive,
    # count them from their own table instead.
    due = today.isoformat()
    (open_, overdue, promises, kept), = conn.execute(
        "SELECT sum(follow_up_done_at IS NULL), sum(follow_up_done_at IS NULL AND"
        " follow_up_due < ?), sum(follow_up_owner = 'vendor'), sum(follow_up_owner = 'vendor'"
        " AND follow_up_done_at < CAST(strftime('%s', follow_up_due) AS INTEGER) + 129600)"
        " FROM interaction WHERE follow_up_due IS NOT NULL", (due,))
    print(f"  follow-ups     open at {due}: {open_ or 0}, overdue: {overdue or 0};"
          f" vendor promises kept on time {(kept or 0) / max(1, promises or 0):.0%}"
          f" of {promises or 0:,}")
    (answers, pairs, changed), = conn.execute(
        "SELECT count(*), count(DISTINCT vendor_id || '-' || question_id),"
        " (SELECT count(*) FROM (SELECT 1 FROM answer GROUP BY vendor_id, question_id"
        " HAVING count(DISTINCT text) > 1)) FROM answer")
    print(f"  questions      {pairs} answered ({answers} answers), {changed} answer(s) changed")
    row = conn.execute("SELECT id, acquired_on FROM vendor WHERE name = ?",
                       (BUYOUT_VENDOR,)).fetchone()
    if row and row[1]:
        vid, acquired = row[0], date.fromisoformat(row[1])
        rows = [(datetime.fromtimestamp(t).date(), tag) for t, tag in conn.execute(
            "SELECT occurred_at, tag FROM interaction WHERE vendor_id = ?", (vid,))]
        before = [tag for d, tag in rows if acquired - timedelta(days=365) <= d < acquired]
        after_days = [d for d, _ in rows if d >= acquired]
        after = [tag for d, tag in rows if d >= acquired]
        last = max(after_days) if after_days else acquired
        span = max(1, (last - acquired).days + 1)
        share = lambda tags: sum(t == "helpful" for t in tags) / max(1, len(tags))  # noqa: E731
        print(f"  {BUYOUT_VENDOR}: acquired {acquired}; helpful {share(before):.0%} the year"
              f" before, {share(after):.0%} after; contacts a month {len(before) / 12:.1f} ->"
              f" {len(after) / span * 30.4:.1f}; silent for {(today - last).days} days")
    conn.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--interactions", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--keep", type=Path, help="build here and keep the last journal")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        path = a.keep or Path(folder) / "demo.sqlite3"
        walls, cpus = [], []
        for _ in range(a.repeat):
            wall, cpu = build(a.interactions, path)
            walls.append(wall)
            cpus.append(cpu)
        print(f"partnerdesk demo --interactions {a.interactions:,} ({a.repeat} builds,"
              f" {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}):")
        target = TARGET_S if a.interactions == 1_000_000 else None
        print(spread("wall clock", walls, target))
        print(spread("CPU", cpus))
        show_journal(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
