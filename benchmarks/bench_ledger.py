#!/usr/bin/env python3
"""Time the ledger's cross-vendor views on a big journal (issue 12's target: open ≤ 0.3 s).

    python benchmarks/bench_ledger.py --db /tmp/ledger-1m.sqlite3   # built there if absent

The journal: the 1,000,000-interaction demo, its ledger topped up to 50,000 registrations and
100,000 payments. Measures (median, min and max of --runs):
  * each cross-vendor tab built and filled (Qt, offscreen): registrations, money, certifications;
  * the same reads without Qt (list of the newest 2,000 + counts and totals over all);
  * one vendor's measures for a quarter (what the QBR workspace and health's economics read);
  * `partnerdesk dealreg list --limit 50` and `money list --limit 50` as fresh processes.
Not a unit test: it needs minutes and a quiet machine. Figures on a shared machine run high.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REGISTRATIONS = 50_000
PAYMENTS = 100_000
TODAY = date(2026, 11, 20)


def build(path: Path, interactions: int) -> None:
    from partnerdesk.services.demo import generate
    from partnerdesk.services.demo_ledger import add_ledger_demo
    from partnerdesk.store.journal import Journal

    started = time.perf_counter()
    with Journal.open(path) as j:
        generate(j, interactions=interactions, seed=7, today=TODAY)
        with j.reading() as conn:
            regs = conn.exec_driver_sql("SELECT count(*) FROM deal_registration").scalar()
            pays = conn.exec_driver_sql("SELECT count(*) FROM money_owed").scalar()
        add_ledger_demo(j, 8, TODAY, max(REGISTRATIONS - regs, 0), max(PAYMENTS - pays, 0),
                        programme=False)
    print(f"built {path} in {time.perf_counter() - started:.0f} s")


def timed(fn, runs: int) -> list[tuple[float, float]]:
    """(wall, CPU of this process) seconds per run; on a shared machine wall runs high, CPU
    (user + sys) says what the work itself costs."""
    def cpu() -> float:  # this process and the processes it waited for (the CLI runs)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + kids.ru_utime + kids.ru_stime

    out = []
    for _ in range(runs):
        t, c = time.perf_counter(), cpu()
        fn()
        out.append((time.perf_counter() - t, cpu() - c))
    return out


def show(label: str, samples: list[tuple[float, float]], target: float | None = None) -> None:
    wall = [w for w, _ in samples]
    cpu = [c for _, c in samples]
    med = statistics.median(wall)
    verdict = "" if target is None else ("  ok" if med <= target else f"  OVER {target:.2f} s")
    print(f"{label:<48} median {med * 1000:7.1f} ms  (min {min(wall) * 1000:.1f}, "
          f"max {max(wall) * 1000:.1f}, n={len(wall)}; CPU median "
          f"{statistics.median(cpu) * 1000:.1f} ms){verdict}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/ledger-bench.sqlite3"))
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    if not a.db.exists():
        build(a.db, a.interactions)

    from partnerdesk.store.ledger import (
        ListFilter,
        money_items,
        money_totals,
        registration_totals,
        registrations,
    )
    from partnerdesk.store.lite import LiteJournal

    lite = LiteJournal(a.db)
    with lite.reading() as conn:
        counts = [conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                  for t in ("interaction", "deal_registration", "money_owed", "certification")]
        vendor = conn.exec_driver_sql(
            "SELECT vendor_id FROM deal_registration GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
    print(f"journal: {counts[0]:,} interactions, {counts[1]:,} registrations, "
          f"{counts[2]:,} payments, {counts[3]:,} certifications")

    def reg_read() -> None:
        with lite.reading() as conn:
            registration_totals(conn)
            registrations(conn, ListFilter(limit=2000))

    def money_read() -> None:
        with lite.reading() as conn:
            money_totals(conn, today=TODAY)
            money_items(conn, ListFilter(limit=2000), TODAY)

    def measures() -> None:
        from partnerdesk.services.economics import economics
        from partnerdesk.services.ledger_measures import ledger_measures

        start = date(2026, 7, 1)
        with lite.reading() as conn:
            ledger_measures(conn, vendor, start, start + timedelta(days=91), TODAY)
            economics(conn, vendor, start, start + timedelta(days=91), today=TODAY)

    def economics_all() -> None:
        from partnerdesk.services.economics_component import SOURCE

        with lite.reading() as conn:
            for vid in vendor_ids:
                SOURCE.values(conn, vid, quarter_ends)

    def portfolio_scores() -> None:
        from partnerdesk.services.health import portfolio

        portfolio(lite, today=TODAY)

    from partnerdesk.domain.health_types import Period
    from partnerdesk.services.health import period_start, shift_period

    current = period_start(TODAY, Period.QUARTER)
    quarter_ends = [min(shift_period(current, Period.QUARTER, 1 - k) - timedelta(days=1), TODAY)
                    for k in range(8, -1, -1)]  # what the portfolio's sparkline scores ask
    with lite.reading() as conn:
        vendor_ids = [v for (v,) in conn.exec_driver_sql("SELECT id FROM vendor")]
    econ = timed(economics_all, a.runs)
    show(f"economics: {len(vendor_ids)} vendors x 9 quarter ends", econ)
    print(f"{'  per vendor (one query each)':<48} median "
          f"{statistics.median(w for w, _ in econ) / len(vendor_ids) * 1000:7.2f} ms  (CPU "
          f"{statistics.median(c for _, c in econ) / len(vendor_ids) * 1000:.2f} ms)")
    show("health portfolio, with economics", timed(portfolio_scores, a.runs), 0.3)
    from partnerdesk.services import economics_component

    economics_component.uninstall()
    show("health portfolio, economics left out", timed(portfolio_scores, a.runs), 0.3)
    economics_component.install()
    show("registrations: newest 2,000 + totals (no Qt)", timed(reg_read, a.runs))
    show("money: newest 2,000 + totals (no Qt)", timed(money_read, a.runs))
    show("one vendor's quarter: measures + economics", timed(measures, a.runs))

    from PySide6.QtWidgets import QApplication

    from partnerdesk.ui.ledger_views import CertificationsPanel, MoneyPanel, RegistrationsPanel
    from partnerdesk.ui.session import JournalSession

    app = QApplication.instance() or QApplication([])
    session = JournalSession(a.db)
    for label, cls in (("registrations", RegistrationsPanel), ("money owed", MoneyPanel),
                       ("certifications", CertificationsPanel)):
        def open_tab(cls=cls) -> None:
            panel = cls(session, None)
            panel.show()
            app.processEvents()
            panel.close()
            panel.deleteLater()

        show(f"cross-vendor view: {label} tab opened", timed(open_tab, a.runs), 0.3)
    session.close()

    env = {**os.environ, "PARTNERDESK_DB": str(a.db)}
    for argv in (["dealreg", "list", "--limit", "50"], ["money", "list", "--limit", "50"]):
        def run(argv=argv) -> None:
            subprocess.run([sys.executable, "-m", "partnerdesk", *argv], env=env, check=True,
                           stdout=subprocess.DEVNULL)

        show(f"process: partnerdesk {' '.join(argv[:2])}", timed(run, max(3, a.runs // 2)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
