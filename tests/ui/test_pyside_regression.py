"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every Qt call that returns nothing;
after about 5,300 such calls the process aborts with 'Fatal Python error: none_dealloc'.

pyproject.toml keeps 6.12.0 off Python 3.11; this test makes sure whatever is installed survives
20,000 void calls in one process. It runs in a child process because the failure is an abort that
would otherwise take the whole test session down with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="PySide6 is not installed", exc_type=ImportError)

CALLS = 20_000
MARKER = "survived-void-calls"

CHILD = textwrap.dedent(f"""
    import PySide6
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([])
    widget = QWidget()
    for n in range({CALLS}):
        widget.resize(100 + n % 50, 80)  # returns None: the call that leaked a reference
    widget.setWindowTitle("done")
    print("{MARKER}", {CALLS}, widget.width(), PySide6.__version__, flush=True)
""")


def test_twenty_thousand_void_qt_calls_survive():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert "none_dealloc" not in result.stderr
    words = result.stdout.split()
    assert words[:3] == [MARKER, str(CALLS), str(100 + (CALLS - 1) % 50)], result.stdout


def test_installed_pyside_is_not_the_broken_one_on_311():
    import PySide6

    version = tuple(int(p) for p in PySide6.__version__.split(".")[:3])
    if sys.version_info < (3, 12):
        assert version != (6, 12, 0), "PySide6 6.12.0 aborts on Python 3.11 (see pyproject.toml)"
