#!/usr/bin/env python3
"""Issue 9's properties of the health score on larger simulated journals, over several seeds.

The same behaviours as tests/services/test_health_simulation.py (constant vendors at three
helpfulness levels and three volumes from twice a month to three times a week; vendors that
turn or improve on 1 Jan 2023; vendors that go silent then), REPS times each, for each seed.
Prints each seed's figures and, per figure, the median and range over the seeds, against the
issue's targets. Not a unit test: about 10-20 s a seed.

    python benchmarks/bench_health_simulation.py --reps 3 --seeds 1 2 3 4 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from partnerdesk.store.journal import Journal  # noqa: E402
from tests.health_sim import behaviours, build, measure  # noqa: E402

TARGETS = {  # figure: (target, "<=" or ">=")
    "band_change": (0.10, "<="), "median_move": (5, "<="), "false_alarms": (0.05, "<="),
    "months_to_15_down": (3, "<="), "drop_6_months": (20, ">="),
    "months_to_15_up": (3, "<="), "rise_6_months": (20, ">="),
    "months_to_red": (3, "<="), "worst_months_to_red": (3, "<="),
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    a = p.parse_args()
    rows = []
    for seed in a.seeds:
        with tempfile.TemporaryDirectory(prefix="health-sim-") as folder:
            t = time.perf_counter()
            journal = Journal.open(Path(folder) / "sim.sqlite3")
            try:
                items = behaviours(reps=a.reps)
                ids = build(journal, items, seed=seed)
                figures = asdict(measure(journal, items, ids))
            finally:
                journal.close()
        rows.append(figures)
        shown = ", ".join(f"{k} {v:.3g}" for k, v in figures.items() if k in TARGETS)
        print(f"seed {seed} ({len(items)} vendors, {time.perf_counter() - t:.1f} s): {shown}")
    missed = 0
    print(f"\nover {len(rows)} seeds (median [min, max]):")
    for key, (target, way) in TARGETS.items():
        values = [r[key] for r in rows]
        med = statistics.median(values)
        ok = med <= target if way == "<=" else med >= target
        missed += not ok
        print(f"  {key:<22} {med:7.3f} [{min(values):.3f}, {max(values):.3f}]"
              f"   target {way} {target}: {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
