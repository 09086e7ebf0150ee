#!/usr/bin/env python3
"""Time whole `partnerdesk` processes, as a rep scripting commands waits for them (issue 11 #7).

Each command runs several times as a real subprocess on a demo journal of a named size; every
figure is the wall time of the whole process: median, min-max and the number of runs, beside
`python -c pass` measured in the same run (the floor any Python command pays on this machine)
and the load average before and after; the median CPU time (user + system) of each process is
printed too. Targets (on wall time): read commands <= 0.3 s, `log` <= 0.5 s.

    python benchmarks/bench_cli.py                         # 1,000,000 interactions, temp journal
    python benchmarks/bench_cli.py --reuse /tmp/j.sqlite3  # built first if absent, then kept
    python benchmarks/bench_cli.py --runs 11 --only list search
    git archive REV | tar -x -C /tmp/old && python benchmarks/bench_cli.py --against /tmp/old
                                                  # the same commands from another checkout too,
                                                  # interleaved, so both see the same load

What `log` adds is deleted again at the end, so a reused journal keeps meaning the same thing.
Exit status 1 when a median misses its target. Not a unit test: it needs a quiet machine; on a
shared one, read the figures against the `python -c pass` line and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

READ_TARGET = 0.3
WRITE_TARGET = 0.5

# name, arguments, target. `followups` is timed too (its command may still be on the slow path).
COMMANDS: list[tuple[str, list[str], float]] = [
    ("list", ["list"], READ_TARGET),
    ("search", ["search", "escalation"], READ_TARGET),
    ("health", ["health"], READ_TARGET),
    ("vendor list", ["vendor", "list"], READ_TARGET),
    ("followups", ["followups"], READ_TARGET),
    ("log", ["log", "{vendor}", "-s", "bench_cli probe", "-t", "helpful"], WRITE_TARGET),
]
PROBE = "bench_cli probe"


def command_prefix() -> list[str]:
    """The installed `partnerdesk` script beside this Python, else `python -m partnerdesk`."""
    script = Path(sys.executable).with_name("partnerdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "partnerdesk"]


def time_process(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time of the whole process, and the CPU time it used (user + system): on a shared
    machine the wall time includes waiting for a core, the CPU time much less so."""
    cwd = env.get("PYTHONPATH")  # `python -m` puts the working folder first on the path
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=600, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def build(path: Path, interactions: int) -> None:
    print(f"building a demo journal of {interactions:,} interactions at {path} ...", flush=True)
    start = time.perf_counter()
    cmd = [*command_prefix(), "demo", "--interactions", str(interactions), "--db", str(path)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)


def biggest_vendor(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT v.name FROM vendor v JOIN interaction i ON i.vendor_id = v.id"
                           " GROUP BY v.id ORDER BY count(*) DESC LIMIT 1").fetchone()
    return str(row[0])


def remove_probes(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DELETE FROM interaction WHERE summary = ?", (PROBE,))


def line(name: str, runs: list[float], cpu: list[float], target: float | None) -> str:
    med = statistics.median(runs)
    verdict = "" if target is None else ("  ok" if med <= target else "  MISSED")
    goal = "" if target is None else f"  target {target:.1f} s"
    return (f"{name:<21} median {med:6.3f} s  min-max {min(runs):.3f}-{max(runs):.3f} s"
            f"  n={len(runs)}  cpu {statistics.median(cpu):.3f} s{goal}{verdict}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--reuse", type=Path, help="journal to use (built first when absent)")
    ap.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these commands (e.g. list log)")
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="also run each command from the partnerdesk checkout in DIR")
    a = ap.parse_args()

    tmp = None
    if a.reuse:
        path = a.reuse
    else:
        tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
        path = tmp / "journal.sqlite3"
    try:
        if not path.exists():
            build(path, a.interactions)
        vendor = biggest_vendor(path)
        # PYTHONDONTWRITEBYTECODE would make every run compile every module again (an
        # installed partnerdesk has its .pyc files): the warm-up writes them.
        env = {k: v for k, v in os.environ.items()
               if k not in ("PARTNERDESK_DEBUG", "PYTHONDONTWRITEBYTECODE")}
        env["PARTNERDESK_DB"] = str(path)
        prefix = command_prefix()
        chosen = [c for c in COMMANDS if not a.only or c[0] in a.only or c[1][0] in a.only]

        load_before = os.getloadavg()
        print(f"journal: {path} ({path.stat().st_size / 2**20:,.0f} MiB); {os.cpu_count()} cores; "
              f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
        print(f"command: {' '.join(prefix)} ...; {a.runs} runs each, interleaved, "
              "after one warm-up")
        results: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        cmds: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], env)}
        targets: dict[str, float | None] = {"python -c pass": None}
        other_env = {**env, "PYTHONPATH": str(a.against.resolve())} if a.against else env
        for name, args, target in chosen:
            argv = [x.format(vendor=vendor) for x in args]
            cmds[name] = ([*prefix, *argv], env)
            targets[name] = target
            if a.against:
                old = [sys.executable, "-m", "partnerdesk", *argv]
                cmds[f"{name} [against]"] = (old, other_env)
                targets[f"{name} [against]"] = None
        for name in cmds:
            results[name] = []
            cpu[name] = []
        for cmd, cmd_env in cmds.values():  # warm the page cache and .pyc files
            time_process(cmd, cmd_env)
        # Interleaved, so that a burst of load from elsewhere hits every command alike.
        for _ in range(a.runs):
            for name, (cmd, cmd_env) in cmds.items():
                wall, used = time_process(cmd, cmd_env)
                results[name].append(wall)
                cpu[name].append(used)
        load_after = os.getloadavg()
        for name, runs in results.items():
            print(line(name, runs, cpu[name], targets[name]))
        print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
        missed = [n for n, r in results.items()
                  if targets[n] is not None and statistics.median(r) > targets[n]]  # type: ignore[operator]
        return 1 if missed else 0
    finally:
        if path.exists():
            remove_probes(path)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
