"""Start partnerdesk at login, minimised to the tray: an XDG autostart entry on Linux and the
BSDs, a LaunchAgent on macOS, a command in the Startup folder on Windows.

The entry runs `partnerdesk tray --db JOURNAL`, so the reminders come from the journal that
was open when the rep turned this on.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

NAME = "partnerdesk"


def entry_path(
    platform: str = sys.platform, home: Path | None = None, env: dict[str, str] | None = None
) -> Path:
    home = home or Path.home()
    env = dict(os.environ) if env is None else env
    if platform == "darwin":
        return home / "Library" / "LaunchAgents" / "org.partnerdesk.tray.plist"
    if platform.startswith("win"):
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        return (
            appdata
            / "Microsoft"
            / "Windows"
            / "Start Menu"
            / "Programs"
            / "Startup"
            / "partnerdesk.cmd"
        )
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return config / "autostart" / "partnerdesk.desktop"


def command(journal: Path) -> list[str]:
    exe = shutil.which(NAME)
    base = [exe] if exe else [sys.executable, "-m", NAME]
    return [*base, "tray", "--db", str(journal)]


def entry_text(argv: list[str], platform: str = sys.platform) -> str:
    if platform == "darwin":
        args = "".join(f"    <string>{_xml(a)}</string>\n" for a in argv)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"'
            ' "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
            '<plist version="1.0"><dict>\n  <key>Label</key><string>org.partnerdesk.tray</string>\n'
            f"  <key>ProgramArguments</key><array>\n{args}  </array>\n"
            "  <key>RunAtLoad</key><true/>\n</dict></plist>\n"
        )
    if platform.startswith("win"):
        return '@echo off\r\nstart "" ' + " ".join(f'"{a}"' for a in argv) + "\r\n"
    # Desktop Entry Exec quoting: arguments with spaces in double quotes; % doubled.
    exec_line = " ".join(shlex.quote(a) if (" " in a or "'" in a) else a for a in argv).replace(
        "%", "%%"
    )
    return (
        "[Desktop Entry]\nType=Application\nName=partnerdesk reminders\n"
        "Comment=Follow-up reminders in the tray\n"
        f"Exec={exec_line}\nIcon=partnerdesk\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_enabled(path: Path | None = None) -> bool:
    return (path or entry_path()).is_file()


def enable(journal: Path, path: Path | None = None) -> Path:
    """Write the entry (atomically: a half-written one would start nothing, or garbage)."""
    target = path or entry_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(entry_text(command(journal)), encoding="utf-8")
    os.replace(tmp, target)
    return target


def disable(path: Path | None = None) -> None:
    (path or entry_path()).unlink(missing_ok=True)
