"""Import a million rows of CSV and a million interactions of partnerdesk JSON, each into a
fresh journal, and print the time (preview and write) and the peak memory of each.

    python benchmarks/bench_import.py [--rows 1000000] [--keep DIR]

The JSON is the whole-journal export of `partnerdesk demo --interactions N`; the CSV is shaped like
a Salesforce activity report (Activity ID, Subject, Date, Company / Account, Contact, Task Type,
Full Comments), with US dates and a quoted multi-line comment now and then. The target is 60 s
for each import (preview + write) on a developer machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def make_demo_export(folder: Path, rows: int) -> Path:
    from partnerdesk.services.demo import generate
    from partnerdesk.services.exports import export_journal
    from partnerdesk.store.journal import Journal

    db = folder / "demo.sqlite3"
    t = time.perf_counter()
    with Journal.open(db) as j:
        generate(j, interactions=rows)
        made = time.perf_counter() - t
        t = time.perf_counter()
        out = folder / "demo.json"
        export_journal(j, out)
    print(f"demo journal: {made:.1f} s; JSON export: {time.perf_counter() - t:.1f} s, "
          f"{out.stat().st_size / 1e6:.0f} MB")
    return out


def make_csv(folder: Path, rows: int, vendors: list[str]) -> Path:
    rng = random.Random(11)
    path = folder / "activities.csv"
    start = datetime(2016, 1, 1, tzinfo=UTC)
    people = ["Dana Reyes", "Priya Patel", "Marcus Okafor", "Elena Novak", "Tom Brennan", "Aisha Haddad"]
    kinds = ["Call", "Email", "Meeting", "Task", "Other"]
    subjects = ["Quarterly business review", "Deal registration follow-up", "Commission question",
                "Pricing exception request", "Partner portal issue", "Co-op funds", "Training session"]
    t = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Activity ID", "Subject", "Date", "Company / Account", "Contact", "Task Type", "Full Comments"])
        for n in range(rows):
            when = start + timedelta(minutes=5 * n)
            comment = f"Spoke with {rng.choice(people)} about {rng.choice(subjects).lower()}."
            if n % 50 == 0:
                comment += "\nNext step: send the revised quote.\nThey promised an answer by Friday."
            w.writerow([f"00T{n:012d}", rng.choice(subjects), f"{when.month}/{when.day}/{when.year}",
                        rng.choice(vendors), rng.choice(people), rng.choice(kinds), comment])
    print(f"CSV: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - t:.1f} s")
    return path


def run_one(kind: str, source: Path, db: Path, vendors_json: Path | None) -> None:
    """In its own process, so that its peak memory is its own."""
    from partnerdesk.services.importers import apply_import, plan_import
    from partnerdesk.store.journal import Journal

    with Journal.open(db) as j:
        if vendors_json is not None:
            for name in json.loads(vendors_json.read_text()):
                j.vendors.add(name)
        t0 = time.perf_counter()
        plan = plan_import(j, [source])
        t1 = time.perf_counter()
        result = apply_import(j, plan)
        t2 = time.perf_counter()
    print(json.dumps({"kind": kind, "plan_s": t1 - t0, "apply_s": t2 - t1, "total_s": t2 - t0,
                      "added": result.added,
                      "peak_mb": _peak_mb()}))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="keep the files in this folder")
    ap.add_argument("--one", nargs=4, metavar=("KIND", "SOURCE", "DB", "VENDORS"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        kind, source, db, vendors = a.one
        run_one(kind, Path(source), Path(db), Path(vendors) if vendors != "-" else None)
        return 0
    folder = a.keep or Path(tempfile.mkdtemp(prefix="pd-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    from partnerdesk.services.demo import VENDOR_NAMES

    doc, table = folder / "demo.json", folder / "activities.csv"
    if not (a.keep and doc.exists() and table.exists()):  # --keep DIR reuses the files made before
        doc = make_demo_export(folder, a.rows)
        table = make_csv(folder, a.rows, VENDOR_NAMES)
    vendors_json = folder / "vendors.json"
    vendors_json.write_text(json.dumps(VENDOR_NAMES))
    results = []
    for kind, source, vendors in (("csv", table, str(vendors_json)), ("json", doc, "-")):
        db = folder / f"import-{kind}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        out = subprocess.run([sys.executable, __file__, "--one", kind, str(source), str(db), vendors],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in results:
        verdict = "OK" if r["total_s"] <= 60 else "SLOW"
        print(f"{r['kind']:>4}: {r['added']:,} added; preview {r['plan_s']:.1f} s + write {r['apply_s']:.1f} s"
              f" = {r['total_s']:.1f} s ({verdict}, target 60 s); peak memory {r['peak_mb']:.0f} MB")
    if not a.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
