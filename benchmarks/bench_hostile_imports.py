#!/usr/bin/env python3
"""Time and peak memory of planning an import of each hostile file shape of issue 8, item 5.

Each shape (tests/services/importers/hostile.py) is written once, at the size the issue reports
(the .mbox holds one 1 GB message, written to disk in 1 MB steps), then planned --runs times, each
in a fresh process; the figures are wall time of plan_import and the process's peak RSS, as
median and spread (min-max). The bounds asserted by tests/services/importers/test_bounds.py are
60 s and 400 MB per shape.

    python benchmarks/bench_hostile_imports.py             # all shapes, 5 runs each
    python benchmarks/bench_hostile_imports.py --runs 3 --only mbox

Not a unit test: the 1 GB file needs a minute and 1 GB of free disk in the temp folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.services.importers import hostile  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="shapes whose name contains this")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="partnerdesk-hostile-") as tmp:
        folder = Path(tmp)
        print(f"{'shape':36} {'seconds median (min-max)':>26} {'peak MB median (min-max)':>26}  outcome")
        for name, (ext, make) in hostile.SHAPES.items():
            if args.only not in name:
                continue
            source = make(folder / f"{name.split(':')[0]}.{ext}")
            times, peaks, outcome = [], [], ""
            for k in range(args.runs):
                journal = folder / f"j{k}.sqlite3"
                seconds, peak, outcome = hostile.measure(source, journal, args.timeout)
                times.append(seconds)
                peaks.append(peak)
            print(f"{name:36} {statistics.median(times):9.2f} ({min(times):.2f}-{max(times):.2f}){'':5}"
                  f"{statistics.median(peaks):9.0f} ({min(peaks):.0f}-{max(peaks):.0f}){'':7}  {outcome[:90]}",
                  flush=True)
            source.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
