#!/usr/bin/env python3
"""Time the QBR workspace on a big journal (issue 12's target: it opens in ≤ 0.5 s).

    python benchmarks/bench_qbr.py --db /tmp/ledger-1m.sqlite3   # built there if absent

The journal is bench_ledger.py's: the 1,000,000-interaction demo with its ledger topped up to
50,000 registrations and 100,000 payments. Measured for the vendor with the most registrations
and for the bought-out one (the demo's "Bluepeak Cloud"), median, min and max of --runs, wall
time and CPU time (user+sys of the whole process, every thread):
  * qbr_data alone (what the workspace reads, on the stdlib reader);
  * Vendor ▸ QBR workspace… in the real main window (Qt offscreen): from triggering the action
    to the workspace showing its data, the window closed between runs.
Not a unit test: it needs a quiet machine. Figures on a shared machine run high.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import build, show, timed  # noqa: E402 (the same journal, timing and lines)

TARGET = 0.5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/ledger-bench.sqlite3"))
    ap.add_argument("--interactions", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    if not a.db.exists():
        build(a.db, a.interactions)

    from partnerdesk.services.qbr import qbr_data
    from partnerdesk.store.journal import Journal
    from partnerdesk.store.lite import LiteJournal

    # Opened for writing once, as the app would: a journal from an older build is brought to
    # the current schema (the stdlib reader's economics queries name its indexes).
    Journal.open(a.db).close()
    lite = LiteJournal(a.db)
    with lite.reading() as conn:
        counts = [conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                  for t in ("interaction", "deal_registration", "money_owed")]
        busiest = conn.exec_driver_sql(
            "SELECT vendor_id FROM deal_registration GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
        bought = conn.exec_driver_sql(
            "SELECT id FROM vendor WHERE acquirer_id IS NOT NULL ORDER BY id LIMIT 1").scalar()
        vendors = {}
        for vid in dict.fromkeys(v for v in (busiest, bought) if v is not None):
            name = conn.exec_driver_sql("SELECT name FROM vendor WHERE id = ?", (vid,)).scalar()
            n = conn.exec_driver_sql("SELECT count(*) FROM interaction WHERE vendor_id = ?",
                                     (vid,)).scalar()
            vendors[vid] = (name, n)
    print(f"journal: {counts[0]:,} interactions, {counts[1]:,} registrations, "
          f"{counts[2]:,} payments")

    for vid, (name, n) in vendors.items():
        show(f"qbr_data: {name} ({n:,} interactions)",
             timed(lambda v=vid: qbr_data(lite, v), a.runs))

    from PySide6.QtWidgets import QApplication

    from partnerdesk.ui.app import Launcher
    from partnerdesk.ui.qbr_view import QbrWorkspace

    app = QApplication.instance() or QApplication([])
    app.setApplicationName("partnerdesk-bench")
    launcher = Launcher(app)
    assert launcher.open(a.db), "the journal did not open"
    win = launcher.window
    assert win is not None
    from PySide6.QtCore import QThreadPool

    def settle(seconds: float) -> None:
        """Let the main window's own reads (start-up, a vendor selected) finish first."""
        until = time.perf_counter() + seconds
        while time.perf_counter() < until or QThreadPool.globalInstance().activeThreadCount():
            app.processEvents()
            time.sleep(0.01)

    settle(2)
    m = win.vendor_model
    for vid, (name, _n) in vendors.items():
        row = next(r for r in range(m.rowCount()) if str(m.data(m.index(r))).startswith(name))
        win.vendor_view.setCurrentIndex(m.index(row))
        assert win.selected_vendor_id() == vid
        settle(1)

        def open_workspace() -> None:
            win.act_qbr.trigger()
            ws = next(w for w in app.topLevelWidgets() if isinstance(w, QbrWorkspace)
                      and w.isVisible())
            while ws.data is None:
                app.processEvents()
                time.sleep(0.001)
            app.processEvents()  # paint what it shows
            ws.close()
            app.processEvents()

        # The first opening in a session also imports the window's modules: shown on its own.
        show(f"  the first opening in this session: {name}", timed(open_workspace, 1))
        show(f"Vendor ▸ QBR workspace… to data shown: {name}", timed(open_workspace, a.runs),
             TARGET)
    win.close()
    win.session.close()
    if launcher.guard is not None:
        launcher.guard.release()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
