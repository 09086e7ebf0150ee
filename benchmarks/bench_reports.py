#!/usr/bin/env python3
"""Time the PDFs of issue 4 on a demo journal: the quarterly summary for 20 and for 200
vendors, and a vendor's meeting brief.

    python benchmarks/bench_reports.py                       # 1,000,000 interactions, 200 vendors
    python benchmarks/bench_reports.py --reuse /tmp/j.db     # measure it again (built if absent)
    python benchmarks/bench_reports.py --interactions 200000 # a smaller journal, quicker

The journal is built with the real `partnerdesk demo` command. Each figure is the median of a
few runs (first run kept apart: it loads the fonts and warms SQLite's cache), for the whole
export as the CLI and the window run it: gather, lay out, write the file. The quarter is the
last complete one. Exit status 1 when a target is missed. Not a unit test: it needs a quiet
machine and, at 1M interactions, ~30 s to build the journal.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from partnerdesk.services.brief import build_brief
from partnerdesk.services.quarterly_report import Quarter, build_quarterly_report
from partnerdesk.store.journal import Journal

TARGETS = {"quarterly PDF, 20 vendors": 1.0, "quarterly PDF, 200 vendors": 6.0, "brief": 0.3}


def build(db: Path, interactions: int, vendors: int) -> None:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "partnerdesk", "demo", "--interactions", str(interactions),
                    "--vendors", str(vendors), "--db", str(db)], check=True)
    print(f"built {db} in {time.perf_counter() - t:.1f} s")


def timed(fn: Callable[[], object], runs: int) -> tuple[float, list[float], list[float]]:
    """First run's wall time, then each later run's wall and CPU time (the CPU figure is what
    the export costs when other processes compete for the cores)."""
    first = time.perf_counter()
    fn()
    first = time.perf_counter() - first
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return first, walls, cpus


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--vendors", type=int, default=200)
    ap.add_argument("--reuse", type=Path, help="journal to measure (built first if absent)")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = a.reuse or Path(tmp) / "bench.sqlite3"
        if not db.exists():
            build(db, a.interactions, a.vendors)
        out = Path(tmp) / "out.pdf"
        quarter = Quarter.containing(date.today()).shift(-1).code
        print(f"python {platform.python_version()} on {platform.machine()}; journal {db}; "
              f"quarter {quarter}")
        results: dict[str, tuple[float, list[float], list[float]]] = {}
        with Journal.open(db) as journal:
            active = [v.id for v in journal.vendors.all(include_archived=False)]
            counts = journal.interactions.count()
            print(f"{counts:,} interactions, {len(active)} active vendors")
            twenty = active[:20]
            results["quarterly PDF, 20 vendors"] = timed(
                lambda: build_quarterly_report(journal, quarter, out, vendor_ids=twenty,
                                               rep_name="Benchmark"), a.runs)
            results["quarterly PDF, 200 vendors"] = timed(
                lambda: build_quarterly_report(journal, quarter, out, vendor_ids=active[:200],
                                               rep_name="Benchmark"), max(2, a.runs // 2))
            pages = _pages(out)
            busiest = max(active, key=lambda v: journal.interactions.count(
                _filter(v)))
            results["brief"] = timed(lambda: build_brief(journal, busiest, out), a.runs * 2)
    failed = False
    print(f"{'seconds':28} {'median':>8} {'max':>8} {'cpu':>8} {'first':>8} {'target':>8}")
    for name, (first, walls, cpus) in results.items():
        med = statistics.median(walls)
        ok = med <= TARGETS[name]
        failed |= not ok
        print(f"{name:28} {med:8.3f} {max(walls):8.3f} {statistics.median(cpus):8.3f} "
              f"{first:8.3f} {TARGETS[name]:8.2f}  {'ok' if ok else 'MISSED'}")
    if os.getloadavg()[0] > (os.cpu_count() or 1) * 0.7:
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times "
              "include waiting for a core; the cpu column does not)")
    if pages:
        print(f"(the 200-vendor PDF has {pages} pages)")
    return 1 if failed else 0


def _filter(vendor_id: int) -> object:
    from partnerdesk.domain.models import InteractionFilter

    return InteractionFilter(vendor_ids=(vendor_id,))


def _pages(path: Path) -> int | None:
    try:
        done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    for line in done.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


if __name__ == "__main__":
    raise SystemExit(main())
