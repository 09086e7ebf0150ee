"""Plain sqlite3 connections kept open for a Journal, for transactions without SQLAlchemy.

`partnerdesk log` must finish in half a second on a large journal, and importing SQLAlchemy
alone takes 0.25-0.3 s of that. A journal opened with ``Journal.open(..., light=True)`` runs
its ``reading()`` and ``writing()`` on these connections (the same pragmas, the same BEGIN
IMMEDIATE, the same check before COMMIT); SQLAlchemy is imported only if something asks for an
ORM session. Connections stay open until the journal closes, like SQLAlchemy's pool: closing
the last one merges the write-ahead log, which should happen once, not after every write.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable


class DriverPool:
    def __init__(self, connect: Callable[[], sqlite3.Connection]):
        self._connect = connect
        self._lock = threading.Lock()
        self._free: list[sqlite3.Connection] = []
        self._all: list[sqlite3.Connection] = []

    def take(self) -> sqlite3.Connection:
        with self._lock:
            if self._free:
                return self._free.pop()
        conn = self._connect()
        with self._lock:
            self._all.append(conn)
        return conn

    def give(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:  # never hand on a connection mid-transaction
            conn.execute("ROLLBACK")
        with self._lock:
            self._free.append(conn)

    def close(self) -> None:
        with self._lock:
            conns, self._all, self._free = self._all, [], []
        for conn in conns:
            conn.close()
