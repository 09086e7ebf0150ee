#!/usr/bin/env python3
"""Time the window on a demo journal of a named size, against the targets of issue 3.

    python benchmarks/bench_window.py --reuse /tmp/bench1m.sqlite3     # build there if absent
    QT_QPA_PLATFORM=xcb xvfb-run -a python benchmarks/bench_window.py --reuse ...  # a real X server

Measures, each in fresh processes where it matters:
  * process start -> window shown with the first rows (median of N runs; target 0.6 s)
  * a search keystroke -> the timeline updated (target 100 ms)
  * saving a quick log -> the list showing it (target 50 ms)
  * peak memory with the whole timeline scrolled end to end (target 150 MiB)
Not a unit test: it needs a quiet machine and minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP_PROBE = r"""
import os, sys, time
from pathlib import Path
from partnerdesk.ui import app as appmod
from PySide6.QtCore import QTimer
a = appmod.make_app()
launcher = appmod.Launcher(a)
launcher.open(Path(os.environ["PD_DB"]))
def shown():
    w = launcher.window
    w.repaint()
    print("SHOWN", time.time(), w.timeline.rowCount(), "sqlalchemy" in sys.modules, flush=True)
    a.quit()
QTimer.singleShot(0, shown)
a.exec()
"""

INTERACTIVE_PROBE = r"""
import os, sys, time, json, resource, statistics
from pathlib import Path
from PySide6.QtCore import Qt, QCoreApplication, QSettings
from PySide6.QtTest import QTest
from partnerdesk.ui import app as appmod
from PySide6.QtWidgets import QApplication
a = appmod.make_app()
launcher = appmod.Launcher(a)
launcher.open(Path(os.environ["PD_DB"]))
w = launcher.window
def settle(cond, limit=30.0):
    end = time.perf_counter() + limit
    while not cond():
        a.processEvents()
        if time.perf_counter() > end:
            raise SystemExit("timed out")
    a.processEvents()
total = w.timeline.rowCount()
settle(lambda: "…" not in w.count_label.text())
total = w.timeline.rowCount()
out = {"rows": total}

# scroll end to end, touching every page, then read the peak resident memory
bar = w.table.verticalScrollBar()
step = 250
t0 = time.perf_counter()
pos = 0
while pos <= bar.maximum():
    bar.setValue(pos)
    w.table.viewport().repaint()
    pos += step
bar.setValue(bar.maximum()); w.table.viewport().repaint()
out["scroll_s"] = time.perf_counter() - t0
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["store_loaded_while_browsing"] = "sqlalchemy" in sys.modules
bar.setValue(0)
# search keystrokes: type a word letter by letter; time each key until the list shows the result
times = []
for word in ["escalation", "hannah", "portal", "commission", "renewal", "deal"]:
    w.filters.search.clear(); w.filters.flush()
    settle(lambda: w.timeline.rowCount() == total and "…" not in w.count_label.text())
    for i, ch in enumerate(word):
        before = w._generation
        t0 = time.perf_counter()
        QTest.keyClick(w.filters.search, ch)
        settle(lambda: w._generation != before)
        w.table.viewport().repaint()
        times.append((time.perf_counter() - t0) * 1000)
out["search_ms"] = times
w.filters.search.clear(); w.filters.flush()
settle(lambda: w.timeline.rowCount() == total and "…" not in w.count_label.text())

# quick log: the dialog is filled, Ctrl+Enter pressed, until the new row is at the top and painted
vendor = w.session.reader.vendors()[0].name
save_times = []
for n in range(15):
    w.quick_log()
    d = w._quick_log
    d.form.vendor.setText(vendor)
    d.form.summary.setText(f"Benchmark entry {n}")
    d.form.set_tag("helpful")
    a.processEvents()
    t0 = time.perf_counter()
    item = d.save()
    settle(lambda: w.timeline.id_at(0) == item.id)
    w.table.viewport().repaint()
    save_times.append((time.perf_counter() - t0) * 1000)
    w.session.store().interactions.delete(item.id)
    w.timeline.remove_id(item.id)
out["save_ms"] = save_times
out["peak_after_writes_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

print("RESULT", json.dumps(out), flush=True)
"""


def ensure_journal(path: Path, interactions: int) -> None:
    if path.exists():
        return
    print(f"building a demo journal of {interactions:,} interactions at {path} …", flush=True)
    subprocess.run([sys.executable, "-m", "partnerdesk", "demo", "--interactions", str(interactions),
                    "--db", str(path)], check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--reuse", type=Path, help="journal to measure (built there first if absent)")
    ap.add_argument("--starts", type=int, default=9, help="process starts to time")
    args = ap.parse_args()
    path = args.reuse or Path(tempfile.mkdtemp()) / "bench-window.sqlite3"
    ensure_journal(path, args.interactions)
    env = {**os.environ, "PD_DB": str(path),
           "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="pd-bench-config-"),
           "PARTNERDESK_STATE_DIR": tempfile.mkdtemp(prefix="pd-bench-state-")}
    platform = env.get("QT_QPA_PLATFORM", "offscreen")
    print(f"journal: {path} ({path.stat().st_size / 1e6:.0f} MB), Qt platform: {platform}")

    starts = []
    for _ in range(args.starts + 1):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", STARTUP_PROBE], env=env, capture_output=True, text=True)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("SHOWN")), None)
        if line is None:
            print(out.stderr[-2000:])
            return 2
        _, stamp, rows, heavy = line.split()
        starts.append(float(stamp) - t0)
    starts = starts[1:]  # the first warms the page cache
    print(f"first paint had {rows} rows; SQLAlchemy imported before it: {heavy}")

    out = subprocess.run([sys.executable, "-c", INTERACTIVE_PROBE], env=env, capture_output=True, text=True)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT")), None)
    if line is None:
        print(out.stderr[-3000:])
        return 2
    r = json.loads(line[len("RESULT "):])

    def q(values: list[float], p: float) -> float:
        s = sorted(values)
        return s[min(len(s) - 1, int(round(p * (len(s) - 1))))]

    rows = [
        ("process start → window with first rows", f"{statistics.median(starts):.3f} s",
         f"p95 {q(starts, 0.95):.3f} s", "≤ 0.6 s median", statistics.median(starts) <= 0.6),
        ("search keystroke → list updated", f"{statistics.median(r['search_ms']):.1f} ms",
         f"p95 {q(r['search_ms'], 0.95):.1f} ms", "≤ 100 ms", q(r["search_ms"], 0.95) <= 100),
        ("quick log saved → list showing it", f"{statistics.median(r['save_ms']):.1f} ms",
         f"p95 {q(r['save_ms'], 0.95):.1f} ms", "≤ 50 ms", q(r["save_ms"], 0.95) <= 50),
        (f"peak memory, {r['rows']:,} rows scrolled end to end ({r['scroll_s']:.1f} s)",
         f"{r['peak_mib']:.0f} MiB", "", "≤ 150 MiB", r["peak_mib"] <= 150),
    ]
    info = [("peak memory after searching and 15 quick logs (store loaded)",
             f"{r['peak_after_writes_mib']:.0f} MiB")]
    print()
    print(f"{'measure':58} {'median':>10} {'':>14}  {'target':16} result")
    for name, med, p95, target, ok in rows:
        print(f"{name:58} {med:>10} {p95:>14}  {target:16} {'PASS' if ok else 'FAIL'}")
    for name, value in info:
        print(f"{name:58} {value:>10} {'':>14}  {'(info)':16}")
    print(f"the full store was loaded while browsing: {r['store_loaded_while_browsing']}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
