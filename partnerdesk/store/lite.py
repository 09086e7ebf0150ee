"""A read-only journal over the standard library, for read paths the window runs often.

It offers the slice of Journal that read-only services use (`reading()` with
`exec_driver_sql`, and `vendors.all()`), so the portfolio scores behind the vendor list's
health dots can be computed without importing SQLAlchemy and sqlmodel (~45 MiB) in a session
that only reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from partnerdesk.domain.models import Vendor
from partnerdesk.store.journal_file import BUSY_TIMEOUT_MS
from partnerdesk.store.timecodec import from_iso_day


class _Result:
    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    def all(self) -> list[Any]:
        return self._cursor.fetchall()

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return row[0] if row else None

    def scalar_one(self) -> Any:
        row = self._cursor.fetchone()
        if row is None:
            raise LookupError("no row")
        return row[0]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


class DriverConnection:
    """exec_driver_sql over a plain sqlite3 connection, as SQLAlchemy's offers it."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def exec_driver_sql(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> _Result:
        return _Result(self._conn.execute(sql, params))


class _Vendors:
    def __init__(self, lite: LiteJournal):
        self._lite = lite

    def all(self, include_archived: bool = True) -> list[Vendor]:
        with self._lite.reading() as conn:
            rows = conn.exec_driver_sql(
                "SELECT v.id, v.name, v.programme, v.tier, v.notes, v.archived, v.acquirer_id, a.name,"
                " v.acquired_on FROM vendor v LEFT JOIN vendor a ON a.id = v.acquirer_id"
                " ORDER BY lower(v.name)").all()
            domains: dict[int, list[str]] = {}
            for d, vid in conn.exec_driver_sql("SELECT domain, vendor_id FROM vendor_domain ORDER BY domain"):
                domains.setdefault(vid, []).append(d)
        return [Vendor(id=r[0], name=r[1], programme=r[2], tier=r[3], domains=tuple(domains.get(r[0], [])),
                       notes=r[4], archived=bool(r[5]), acquirer_id=r[6], acquirer_name=r[7],
                       acquired_on=from_iso_day(r[8]))
                for r in rows if include_archived or not r[5]]


class LiteJournal:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.read_only = True
        self.vendors = _Vendors(self)

    @contextmanager
    def reading(self) -> Iterator[DriverConnection]:
        base = self.path.resolve().as_uri()
        conn = sqlite3.connect(f"{base}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("BEGIN")
            yield DriverConnection(conn)
        finally:
            conn.close()
