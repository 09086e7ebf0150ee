"""Is another program writing to this journal right now? (No Qt here.)"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def is_locked_by_other_writer(path: str | os.PathLike[str], timeout: float = 0.25) -> bool:
    """True when another connection holds the journal's write lock (it is mid-write).

    Tries BEGIN IMMEDIATE on a separate connection for at most ``timeout`` seconds and rolls
    straight back; nothing is written. A missing, unreadable, read-only or damaged file is not
    "locked" (False): opening it will say what is wrong. An idle window holds no write lock,
    so this is the fallback for a second window that could not reach the first one
    (ui.single_instance), not a way to find every open window.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=rw", uri=True,
                               isolation_level=None, timeout=timeout)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        msg = str(exc).lower()
        return "locked" in msg or "busy" in msg
    except sqlite3.Error:
        return False
    finally:
        conn.close()
