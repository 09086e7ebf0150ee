"""SIGTERM and SIGINT to the running window app: a clean close, not a traceback in a slot.

The real `partnerdesk` command runs as a subprocess (offscreen) with its own home, settings
and runtime folder; the test sends the signal once the app has claimed the journal.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from partnerdesk.ui.single_instance import claim, instance_key

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

START_LIMIT_S = 90  # a generous ceiling for a loaded machine; not a timing assertion


def _child_env(tmp_path: Path, run: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_RUNTIME_DIR": str(run),
        "PARTNERDESK_STATE_DIR": str(tmp_path / "state"),
    })
    return env


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_LIMIT_S
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the app ended before claiming the journal: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the app did not claim the journal: {proc.communicate()}")
        time.sleep(0.1)


@pytest.fixture
def runtime_dir() -> Iterator[Path]:
    """A short runtime folder: a socket path must stay under ~100 bytes, and tmp_path's is long."""
    run = Path(tempfile.mkdtemp(prefix="pd-run-"))
    yield run
    shutil.rmtree(run, ignore_errors=True)


@pytest.mark.parametrize("signo", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_closes_the_window_cleanly_and_frees_the_journal(
        tmp_path: Path, runtime_dir: Path, monkeypatch: pytest.MonkeyPatch, signo: int) -> None:
    journal = tmp_path / "journal.sqlite3"
    env = _child_env(tmp_path, runtime_dir)
    runtime = Path(env["XDG_RUNTIME_DIR"]) / "partnerdesk"
    key = instance_key(journal)
    sock = runtime / f"{key.rsplit('-', 1)[-1]}.sock"
    lock = runtime / f"{key}.lock"
    proc = subprocess.Popen([sys.executable, "-m", "partnerdesk", "--db", str(journal)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(sock, proc)  # the journal is claimed: the handlers are in place by then
        proc.send_signal(signo)
        _out, err = proc.communicate(timeout=START_LIMIT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert not lock.exists() and not sock.exists()
    # what a normal close saves: the window's layout for this screen
    saved = "".join(p.read_text() for p in (tmp_path / "config").rglob("*.conf"))
    assert "splitter2" in saved
    # and the next `partnerdesk` on this journal is its one window, not a stale one's guest
    monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    guard = claim(journal, timeout_ms=500)
    assert guard is not None and guard.primary
    guard.release()


def test_a_signal_over_unsaved_edits_asks_first_and_cancel_keeps_the_window(
        qtbot, tmp_path: Path, runtime_dir: Path, monkeypatch: pytest.MonkeyPatch,
        private_state_dir: Path) -> None:
    from datetime import date

    from PySide6.QtWidgets import QApplication, QMessageBox

    from partnerdesk.services.demo import generate
    from partnerdesk.store.journal import Journal
    from partnerdesk.ui import app as app_module

    path = tmp_path / "demo.sqlite3"
    with Journal.open(path) as j:
        generate(j, interactions=20, vendors=2, seed=3, today=date(2026, 11, 20))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_dir))
    app = QApplication.instance()
    launcher = app_module.Launcher(app)
    assert launcher.open(path)
    win = launcher.window
    assert win is not None
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.timeline.rowCount() == 20, timeout=10000)
    win.table.setFocus()
    win.table.selectRow(0)
    qtbot.waitUntil(lambda: win.detail.item is not None, timeout=5000)
    win.detail.form.summary.setFocus()
    qtbot.keyClicks(win.detail.form.summary, " and more")
    assert win.detail.is_dirty()
    asked: list[str] = []

    def cancel(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    app_module._close_on_signal(launcher, app)
    assert asked == ["Save the changes to this interaction?"]
    assert win.isVisible() and win.detail.is_dirty()
    assert "unsaved changes" in win.statusBar().currentMessage()
    win.detail._dirty = False  # leave nothing that would ask on teardown
    win.close()
    win.session.close()
    launcher.guard.release()
