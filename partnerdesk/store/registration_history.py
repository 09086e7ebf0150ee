"""Each status a deal registration has had, with its day (table registration_status, rung 8).

store/ledger.py writes it: one entry when a registration is added (or the history it brings,
from a JSON file or an undo), one more each time its status changes. Entries are in id order,
which is the order they happened in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from partnerdesk.domain.ledger import RegStatus, StatusChange


def record_status(conn: Any, reg_id: int, status: RegStatus, on: date) -> int:
    """Append one entry; returns its id (undo removes it by that id)."""
    cur = conn.exec_driver_sql(
        "INSERT INTO registration_status(registration_id, status, changed_on) VALUES (?, ?, ?)",
        (reg_id, status.value, on.isoformat()))
    return int(cur.lastrowid)


def write_history(conn: Any, reg_id: int, history: Iterable[StatusChange]) -> None:
    """Replace the registration's history with `history` (oldest first)."""
    conn.exec_driver_sql("DELETE FROM registration_status WHERE registration_id = ?", (reg_id,))
    for change in history:
        record_status(conn, reg_id, change.status, change.on)


def remove_entry(conn: Any, entry_id: int) -> None:
    conn.exec_driver_sql("DELETE FROM registration_status WHERE id = ?", (entry_id,))


def latest_entry(conn: Any, reg_id: int) -> int | None:
    return conn.exec_driver_sql(
        "SELECT max(id) FROM registration_status WHERE registration_id = ?", (reg_id,)).scalar()


def histories(conn: Any, reg_ids: Sequence[int] | None = None
              ) -> dict[int, tuple[StatusChange, ...]]:
    """Per registration, its history oldest first (None: every registration's)."""
    sql = "SELECT registration_id, status, changed_on FROM registration_status"
    params: tuple[int, ...] = ()
    if reg_ids is not None:
        if not reg_ids:
            return {}
        sql += f" WHERE registration_id IN ({','.join('?' * len(reg_ids))})"
        params = tuple(reg_ids)
    out: dict[int, list[StatusChange]] = {}
    for rid, status, on in conn.exec_driver_sql(sql + " ORDER BY registration_id, id", params):
        out.setdefault(rid, []).append(StatusChange(RegStatus(status), date.fromisoformat(on)))
    return {rid: tuple(h) for rid, h in out.items()}
