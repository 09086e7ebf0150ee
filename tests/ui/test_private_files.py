"""What the window writes beside the journal is private too: settings and PDFs (issue 8.8)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import os, sys
    os.umask(0)  # the most open umask a rep could have
    from PySide6.QtCore import QSettings
    from partnerdesk.ui.app import keep_files_private
    keep_files_private()
    s = QSettings(sys.argv[1], QSettings.Format.IniFormat)
    s.setValue("journals/recent", ["/x"])
    s.sync()
    os.makedirs(sys.argv[2])
""")


def test_window_settings_are_written_private_under_any_umask(tmp_path: Path) -> None:
    ini = tmp_path / "conf" / "partnerdesk.ini"
    folder = tmp_path / "made"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", SCRIPT, str(ini), str(folder)], check=True, env=env,
                   timeout=60)
    assert stat.S_IMODE(ini.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
