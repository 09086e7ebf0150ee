"""The vendor list's counts follow a save made through the quick log (issue 11: they went stale)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.vendor_list import STATS_ROLE  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


@pytest.fixture
def window(window_with_vendors, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    return window_with_vendors("Crestline", "Harbor Fiber")


def _count(win: MainWindow, name: str) -> int:
    row = next(i for i, v in enumerate(win.vendor_model._shown, start=1) if v.name == name)
    stats = win.vendor_model.index(row).data(STATS_ROLE)
    return stats[0] if stats else 0


def _quick_log(win: MainWindow, vendor: str, summary: str) -> None:
    win.act_quick_window.trigger() if hasattr(win, "act_quick_window") else win.quick_log()
    form = win._quick_log.form
    form.vendor.setText(vendor)
    form.summary.setText(summary)
    form.set_tag("helpful")
    assert win._quick_log.save() is not None


@pytest.mark.parametrize("selected", ["All vendors", "Crestline", "Harbor Fiber"])
def test_counts_follow_quick_log_saves(qtbot, window, selected):
    win = window
    row = 0 if selected == "All vendors" else next(
        i for i, v in enumerate(win.vendor_model._shown, start=1) if v.name == selected)
    win.vendor_view.setCurrentIndex(win.vendor_model.index(row))
    qtbot.waitUntil(lambda: win.vendor_model.index(0).data(STATS_ROLE) is not None or True)
    for n in range(1, 4):
        _quick_log(win, "Crestline", f"Portal walkthrough {n}")
        qtbot.waitUntil(lambda n=n: _count(win, "Crestline") == n, timeout=5000)
        assert win.vendor_model.index(0).data(STATS_ROLE)[0] == n
    assert _count(win, "Harbor Fiber") == 0


def _overdue(win: MainWindow, name: str) -> int:
    row = next(i for i, v in enumerate(win.vendor_model._shown, start=1) if v.name == name)
    stats = win.vendor_model.index(row).data(STATS_ROLE)
    return stats[2] if stats else 0


def test_overdue_badge_delete_and_undo_follow_too(qtbot, window):
    win = window
    win.vendor_view.setCurrentIndex(win.vendor_model.index(1))  # Crestline selected, log for Harbor
    win.act_new.trigger()
    form = win._quick_log.form
    form.vendor.setText("Harbor Fiber")
    form.summary.setText("Promised the rebate sheet")
    form.set_tag("transactional")
    form.when.setText("2026-01-05 10:00")
    form.follow_due.setText("2026-01-09")
    form.follow_what.setText("rebate sheet")
    form.vendor_promise.setChecked(True)
    assert win._quick_log.save() is not None
    qtbot.waitUntil(lambda: _count(win, "Harbor Fiber") == 1 and _overdue(win, "Harbor Fiber") == 1,
                    timeout=5000)
    win.vendor_view.setCurrentIndex(win.vendor_model.index(2))  # Harbor Fiber
    qtbot.waitUntil(lambda: win.timeline.rowCount() == 1)
    win.table.setCurrentIndex(win.timeline.index(0, 0))
    win.act_delete.trigger()
    qtbot.waitUntil(lambda: _count(win, "Harbor Fiber") == 0 and _overdue(win, "Harbor Fiber") == 0,
                    timeout=5000)
    win.act_undo.trigger()
    qtbot.waitUntil(lambda: _count(win, "Harbor Fiber") == 1 and _overdue(win, "Harbor Fiber") == 1,
                    timeout=5000)


def test_a_write_from_another_process_reaches_the_counts(qtbot, window, tmp_path):
    """`partnerdesk log` in a terminal while the window is open: the counts follow in seconds."""
    import subprocess
    import sys

    win = window
    qtbot.waitUntil(lambda: win.vendor_model.index(0).data(STATS_ROLE) is not None, timeout=5000)
    done = subprocess.run([sys.executable, "-m", "partnerdesk", "--db", str(win.session.path),
                           "log", "Harbor Fiber", "-s", "Rebate call from the terminal",
                           "-t", "helpful"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: _count(win, "Harbor Fiber") == 1, timeout=8000)
