"""A read-only journal over the standard library, for the window's and the command line's reads.

It offers the slice of Journal that reading needs (`reading()` with `exec_driver_sql`,
`vendors` and `interactions` with the same read methods), so the portfolio scores behind the
vendor list's health dots and the read commands (`list`, `search`, `vendor list`, `health`)
run without importing SQLAlchemy and sqlmodel (~0.5 s, ~45 MiB).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from partnerdesk.store.journal_file import (
    BUSY_TIMEOUT_MS,
    inspect_file,
    locate_existing,
    read_only_uri,
)
from partnerdesk.store.reading import InteractionReads, VendorReads
from partnerdesk.store.schema import LATEST_VERSION


class _Result:
    """The slice of SQLAlchemy's result that the store and the services use."""

    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def all(self) -> list[Any]:
        return self._cursor.fetchall()

    fetchall = all

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    first = fetchone

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


Params = Sequence[Any] | dict[str, Any] | list[Sequence[Any]] | list[dict[str, Any]]


class DriverConnection:
    """exec_driver_sql over a plain sqlite3 connection, as SQLAlchemy's offers it: a list of
    tuples (or of dicts) runs the statement once per item, like SQLAlchemy's executemany."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    @property
    def driver_connection(self) -> sqlite3.Connection:
        return self._conn

    def exec_driver_sql(self, sql: str, params: Params = ()) -> _Result:
        if isinstance(params, list) and params and isinstance(params[0], (tuple, list, dict)):
            return _Result(self._conn.executemany(sql, params))
        return _Result(self._conn.execute(sql, params))


class LiteJournal:
    """A journal to read from, over the standard library: vendors and interactions (the same
    readers a Journal has, store/reading.py) and `reading()` for the services."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.read_only = True
        self.vendors = VendorReads(self.reading)
        self.interactions = InteractionReads(self.reading)

    @contextmanager
    def reading(self) -> Iterator[DriverConnection]:
        conn = connect_reader(self.path)
        try:
            conn.execute("BEGIN")
            yield DriverConnection(conn)
        finally:
            conn.close()


def connect_reader(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A query-only connection to a journal.

    mode=rw (with query_only) rather than mode=ro: a read-only connection that is first to open
    a WAL file without its -shm keeps a private wal-index, and every later connection in the
    process then misses other processes' writes. A file that cannot be opened for writing (a
    read-only file or folder) is read through read_only_uri instead.
    """
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True,
                               check_same_thread=check_same_thread, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        conn = sqlite3.connect(read_only_uri(Path(path)), uri=True,
                               check_same_thread=check_same_thread, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA query_only = ON")
    return conn


def open_current(path: Path) -> LiteJournal | None:
    """A LiteJournal on the journal at `path` when it is one this build reads as it is; None when
    Journal.open must first create, initialise or upgrade it (a read command then takes that
    path, exactly as before). The file is checked by journal_file's own rules first: a folder,
    a file that is not a journal, or one from a newer partnerdesk fails with their sentence.
    """
    path = Path(path).expanduser()
    if not path.exists():
        return None
    locate_existing(path, create=False)
    state = inspect_file(path)
    if state.fresh or state.version != LATEST_VERSION:
        return None
    return LiteJournal(path)
