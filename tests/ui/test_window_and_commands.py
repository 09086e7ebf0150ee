"""The window and command-line processes on one journal at the same time lose nothing.

The README invites a rep to keep the window open and log from a terminal. Here the real window
(offscreen) opens a journal through the launcher, which runs the daily backup and the quick
check on a worker; meanwhile `partnerdesk log` and `partnerdesk list` run as separate
processes and the window saves through its quick log (Ctrl+N ... Ctrl+Return). After the
window closes, every write that was acknowledged (the CLI printed "Logged #n", the window's
dialog closed) must be in the file, and SQLite's integrity_check must say ok.

Before the fix, the daily backup read the journal's header with a plain file handle; closing
it dropped every SQLite lock the window held, the next CLI process checkpointed and deleted the
write-ahead log under the window, and the window's later saves vanished.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from partnerdesk.ui import app as app_module  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from tests.safety import make_journal  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")

# Windows opened and closed per test run; PARTNERDESK_SOAK_ROUNDS=50 makes it a soak test.
ROUNDS = int(os.environ.get("PARTNERDESK_SOAK_ROUNDS", "3"))
WRITES_PER_ROUND = 3  # window saves, CLI logs and CLI lists per round


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []

    def box(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        said.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", box)
    monkeypatch.setattr(QMessageBox, "information", box)
    return said


def _cli(path: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PARTNERDESK_DB": str(path)}
    env.pop("PARTNERDESK_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "partnerdesk", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _window_log(qtbot, window: MainWindow, summary: str) -> bool:
    """Save one entry through the quick log as a rep would; True when the dialog closed."""
    window.quick_log()
    dialog = window._quick_log
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    form = dialog.form
    form.vendor.setText("Safety Test Telecom")
    form.summary.setText(summary)
    qtbot.keyClick(form.summary, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(form.summary, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    if dialog.isVisible():
        print(f"not saved: {summary}: {form.error.text()}")
    return not dialog.isVisible()


def _open_checks_finished(window: MainWindow, path: Path) -> bool:
    job = getattr(window, "_open_checks_job", None)
    folder = path.parent / "backups"
    return job is not None and folder.is_dir() and any(folder.glob("*.daily.sqlite3"))


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_window_and_commands_share_a_journal_without_losing_a_write(qtbot, tmp_path, round_no):
    path = make_journal(tmp_path / "shared.sqlite3", n=20)
    acknowledged: list[str] = []
    launcher = app_module.Launcher(app_module.make_app())
    assert launcher.open(path)
    window = launcher.window
    qtbot.addWidget(window)
    # The daily backup (and with it the header read) runs on a worker right after the window
    # shows; let it happen first, as it does for a rep.
    qtbot.waitUntil(lambda: _open_checks_finished(window, path), timeout=20000)
    qtbot.wait(300)  # the quick check that follows the backup

    for k in range(WRITES_PER_ROUND):
        readers = [_cli(path, "list", "--limit", "5"), _cli(path, "search", "entry")]
        writer = _cli(path, "log", "Safety Test Telecom", "-s", f"cli {round_no}-{k}",
                      "-t", "helpful")
        mine = f"window {round_no}-{k}"
        if _window_log(qtbot, window, mine):
            acknowledged.append(mine)
        procs = (*readers, writer)
        qtbot.waitUntil(lambda procs=procs: all(p.poll() is not None for p in procs),
                        timeout=60000)
        out, err = writer.communicate()
        assert writer.returncode == 0, err
        assert "Logged #" in out
        acknowledged.append(f"cli {round_no}-{k}")
        for p in readers:
            _, rerr = p.communicate()
            assert p.returncode == 0, rerr
        # The window keeps working after the commands finished (it failed with
        # "disk I/O error" before the fix).
        mine = f"window after {round_no}-{k}"
        if _window_log(qtbot, window, mine):
            acknowledged.append(mine)

    assert sum(a.startswith("window") for a in acknowledged) == 2 * WRITES_PER_ROUND
    window.close()
    window.session.close()
    launcher.guard.release()

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {r[0] for r in conn.execute("SELECT summary FROM interaction")}
    finally:
        conn.close()
    missing = [a for a in acknowledged if a not in stored]
    assert missing == []
