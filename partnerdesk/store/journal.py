"""The Journal: one open SQLite file with its engine, and the doors to its records."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from partnerdesk.domain.errors import JournalError, JournalReadOnly
from partnerdesk.store.db_errors import explain
from partnerdesk.store.journal_file import (
    BUSY_TIMEOUT_MS,
    configure,
    inspect_file,
    locate_existing,
    migrate,
    read_only_uri,
)
from partnerdesk.store.local_days import sync_zone
from partnerdesk.store.schema import LATEST_VERSION

if TYPE_CHECKING:
    from partnerdesk.store.contacts import ContactStore
    from partnerdesk.store.events import EventStore
    from partnerdesk.store.interactions import InteractionStore
    from partnerdesk.store.vendors import VendorStore


class Journal:
    """Open with Journal.open(); close() when done (or use it as a context manager)."""

    def __init__(self, path: Path, engine: Engine, read_only: bool, upgraded_from: Path | None):
        self.path = path
        self.read_only = read_only
        self.upgrade_backup = upgraded_from
        self._engine = engine
        self._writer = engine.execution_options(pd_write=True)
        self._identity = _file_identity(path)
        from partnerdesk.store.contacts import ContactStore
        from partnerdesk.store.events import EventStore
        from partnerdesk.store.interactions import InteractionStore
        from partnerdesk.store.vendors import VendorStore

        self.vendors: VendorStore = VendorStore(self)
        self.contacts: ContactStore = ContactStore(self)
        self.events: EventStore = EventStore(self)
        self.interactions: InteractionStore = InteractionStore(self)
        from partnerdesk.store.questions import QuestionStore

        self.questions: QuestionStore = QuestionStore(self)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, read_only: bool = False,
             migrations: list[str] | None = None) -> Journal:
        path = Path(path).expanduser()
        locate_existing(path, create=create and not read_only)
        state = inspect_file(path)
        upgraded: Path | None = None
        if read_only:
            if state.version < LATEST_VERSION:
                raise JournalError(
                    f"{path} was written by an older partnerdesk; open it once for writing "
                    "to upgrade it, then it can be opened read-only."
                )
        else:
            try:
                raw = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    configure(raw)
                    mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if mode != "wal":
                        raise JournalReadOnly(
                            f"{path} could not be switched to write-ahead logging; "
                            "check that its folder is writable."
                        )
                    upgraded = migrate(raw, path, state, migrations)
                    if migrations is None:  # health's local days follow the journal's zone
                        sync_zone(raw)
                finally:
                    raw.close()
            except sqlite3.Error as exc:
                raise (explain(exc, path) or JournalError(f"{path}: {exc}")) from None
        engine = _make_engine(path, read_only)
        return cls(path, engine, read_only, upgraded)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent snapshot for reads (BEGIN DEFERRED)."""
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction: all of it lands, or none of it (BEGIN IMMEDIATE)."""
        self._refuse_if_read_only()
        self._refuse_if_gone()
        with self._writer.connect() as conn, conn.begin():
            yield conn

    def session(self, write: bool = False) -> Session:
        if write:
            self._refuse_if_read_only()
            self._refuse_if_gone()
        return Session(self._writer if write else self._engine, expire_on_commit=False)

    def raw_connection(self) -> sqlite3.Connection:
        """A driver connection of our own, for the SQLite APIs SQLAlchemy does not wrap (backup)."""
        conn = sqlite3.connect(self._uri(), uri=True, isolation_level=None,
                               check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        configure(conn)
        return conn

    def _uri(self) -> str:
        return _uri(self.path, self.read_only)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise JournalReadOnly(f"{self.path} is open read-only; nothing was saved.")

    def still_there(self) -> bool:
        """Whether the file at self.path is still the one this journal opened.

        SQLite keeps writing to a file that was deleted or moved while open, and those writes
        vanish when it closes; so every write checks first (one stat call).
        """
        return self._identity is None or _file_identity(self.path) == self._identity

    def _refuse_if_gone(self) -> None:
        if not self.still_there():
            raise JournalError(
                f"The journal file {self.path} was moved or deleted while partnerdesk had it "
                "open; nothing was saved. Put the file back, or reopen the journal."
            )

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _uri(path: Path, read_only: bool) -> str:
    return read_only_uri(path) if read_only else f"{path.resolve().as_uri()}?mode=rw"


def _make_engine(path: Path, read_only: bool) -> Engine:
    uri = _uri(path, read_only)

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        configure(conn)
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool,
                           pool_size=2, max_overflow=6)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None); we say BEGIN
        # ourselves so that writers take the lock up front instead of failing mid-way.
        write = conn.get_execution_options().get("pd_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
