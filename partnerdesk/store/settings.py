"""Journal-wide settings (the `setting` table): values both the window and the command line read.

`conn` is a Journal connection from ``reading()``/``writing()`` or a LiteJournal's.
"""

from __future__ import annotations

from typing import Any


def get_setting(conn: Any, key: str, default: str | None = None) -> str | None:
    row = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (key,)).all()
    return row[0][0] if row else default


def set_setting(conn: Any, key: str, value: str | None) -> None:
    """Store `value` under `key`; None removes the key. Call inside ``journal.writing()``."""
    if value is None:
        conn.exec_driver_sql("DELETE FROM setting WHERE key = ?", (key,))
    else:
        conn.exec_driver_sql(
            "INSERT INTO setting (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))
