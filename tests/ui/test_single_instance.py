"""One window per journal: the second claim raises the first; stale names after a crash."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QWidget

from partnerdesk.ui.single_instance import (
    QUICK,
    _lock_path,
    _server_name,
    bring_to_front,
    claim,
    instance_key,
)

CHILD_ENV_EXTRA = {"QT_QPA_PLATFORM": "offscreen"}

# Claims the journal, says so, then reports every raise request; optionally just holds the
# lock without answering (a hung or half-started window).
CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QCoreApplication, QLockFile, QTimer
    from partnerdesk.ui.single_instance import claim, instance_key, _lock_path

    app = QCoreApplication([])
    path, mode = sys.argv[1], sys.argv[2]
    if mode == "mute":
        lock = QLockFile(_lock_path(instance_key(path)))
        lock.setStaleLockTime(0)
        print("locked" if lock.tryLock(0) else "not-locked", flush=True)
        time.sleep(60)
        sys.exit(0)
    guard = claim(path)
    print("primary" if guard is not None and guard.primary else "other", flush=True)
    if guard is not None:
        guard.raise_requested.connect(lambda: print("raised", flush=True))
    QTimer.singleShot(60000, app.quit)
    app.exec()
""")


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture(autouse=True)
def private_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The lock and the socket go to a runtime folder of this test's own (a short path: a
    socket's must stay under ~100 bytes)."""
    run = Path(tempfile.mkdtemp(prefix="pd-run-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    yield run
    shutil.rmtree(run, ignore_errors=True)


@pytest.fixture
def guards():
    made = []
    yield made
    for g in made:
        if g is not None:
            g.release()


def _child(path: Path, mode: str = "claim") -> subprocess.Popen[str]:
    env = {**os.environ, **CHILD_ENV_EXTRA}  # read now: the private runtime folder below
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), mode], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc


def _line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line, proc.stderr.read() if proc.stderr else ""
    return line


def test_the_second_claim_raises_the_first(qtbot, journal_path, guards):
    first = claim(journal_path)
    guards.append(first)
    assert first is not None and first.primary
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        second = claim(journal_path)
        assert second is None
    # And again: the owner keeps answering.
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        assert claim(journal_path) is None


def test_partnerdesk_quick_asks_the_running_window_for_its_quick_log(qtbot, journal_path, guards):
    first = claim(journal_path)
    guards.append(first)
    assert first is not None and first.primary
    with qtbot.waitSignal(first.quick_requested, timeout=5000), \
            qtbot.waitSignal(first.raise_requested, timeout=5000):
        assert claim(journal_path, message=QUICK) is None


def test_different_journals_do_not_interfere_and_one_file_has_one_key(tmp_path, guards):
    a = claim(tmp_path / "a.sqlite3")
    b = claim(tmp_path / "b.sqlite3")
    guards.extend([a, b])
    assert a is not None and a.primary and b is not None and b.primary
    (tmp_path / "a.sqlite3").touch()
    os.symlink(tmp_path / "a.sqlite3", tmp_path / "link.sqlite3")
    assert instance_key(tmp_path / "link.sqlite3") == instance_key(tmp_path / "a.sqlite3")
    assert instance_key(tmp_path / "sub" / ".." / "a.sqlite3") == a.key
    assert str(os.getuid()) in a.key


def test_release_hands_the_journal_on(journal_path, guards):
    first = claim(journal_path)
    assert first is not None and first.primary
    first.release()
    second = claim(journal_path)
    guards.append(second)
    assert second is not None and second.primary


def test_a_window_in_another_process_is_raised(journal_path, guards):
    proc = _child(journal_path)
    try:
        assert _line(proc) == "primary"
        assert claim(journal_path) is None
        assert _line(proc) == "raised"
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_a_crashed_owner_leaves_nothing_that_blocks_the_next(qtbot, journal_path, guards):
    proc = _child(journal_path)
    try:
        assert _line(proc) == "primary"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    key = instance_key(journal_path)
    assert Path(_server_name(key)).exists()  # the socket file a crash leaves behind
    after = claim(journal_path, timeout_ms=3000)
    guards.append(after)
    assert after is not None and after.primary  # stale lock and socket cleaned up
    with qtbot.waitSignal(after.raise_requested, timeout=5000):
        assert claim(journal_path) is None  # and it listens under the same name


def test_a_holder_that_does_not_answer_means_read_only(journal_path, guards):
    proc = _child(journal_path, "mute")
    try:
        assert _line(proc) == "locked"
        guard = claim(journal_path, timeout_ms=600)
        guards.append(guard)
        assert guard is not None and not guard.primary
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_a_stale_server_name_alone_is_removed(journal_path, guards):
    key = instance_key(journal_path)
    stale = Path(_server_name(key))
    stale.write_bytes(b"")  # an old socket path with nothing behind it
    try:
        guard = claim(journal_path)
        guards.append(guard)
        assert guard is not None and guard.primary
    finally:
        QLocalServer.removeServer(_server_name(key))


def test_bring_to_front(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    w.showMinimized()
    bring_to_front(w)
    assert w.isVisible() and not w.isMinimized()


def test_the_lock_and_socket_live_in_a_private_folder_not_tmp(journal_path, private_runtime):
    key = instance_key(journal_path)
    for name in (_lock_path(key), _server_name(key)):
        folder = Path(name).parent
        assert folder == private_runtime / "partnerdesk"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_lock_squatted_in_tmp_does_not_force_read_only(journal_path, guards):
    """Another user could create /tmp/<guessable name>.lock first; it must not matter."""
    key = instance_key(journal_path)
    squat = Path(QDir.tempPath(), f"{key}.lock")
    squat.write_text(f"1\nsquatter\n{os.uname().nodename}\n")  # pid 1 is always alive
    try:
        guard = claim(journal_path, timeout_ms=600)
        guards.append(guard)
        assert guard is not None and guard.primary
    finally:
        squat.unlink(missing_ok=True)
