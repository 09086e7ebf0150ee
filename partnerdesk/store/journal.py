"""The Journal: one open SQLite file with its engine, and the doors to its records.

SQLAlchemy's engine is made on first use. A journal opened with ``light=True`` runs its
transactions on plain sqlite3 connections (store/driver_pool.py) and needs SQLAlchemy only for
an ORM session: that is how `partnerdesk log` stays under half a second.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from partnerdesk.domain.errors import JournalError, JournalReadOnly
from partnerdesk.store.db_errors import explain
from partnerdesk.store.driver_pool import DriverPool
from partnerdesk.store.journal_file import (
    BUSY_TIMEOUT_MS,
    configure,
    file_identity,
    forget_side_files,
    inspect_file,
    locate_existing,
    migrate,
    read_only_uri,
    refuse_commit_into_another_file,
    side_files_present,
)
from partnerdesk.store.local_days import sync_zone
from partnerdesk.store.schema import LATEST_VERSION
from partnerdesk.store.verified import (
    ensure_healthy_before_writing,
    fingerprint,
    remember_healthy,
    vouch_after_own_write,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlmodel import Session

    from partnerdesk.store.contacts import ContactStore
    from partnerdesk.store.events import EventStore
    from partnerdesk.store.interactions import InteractionStore
    from partnerdesk.store.lite import DriverConnection
    from partnerdesk.store.questions import QuestionStore
    from partnerdesk.store.vendors import VendorStore


class Journal:
    """Open with Journal.open(); close() when done (or use it as a context manager)."""

    def __init__(self, path: Path, read_only: bool, upgraded_from: Path | None,
                 light: bool = False, identity: tuple[int, int] | None = None):
        self.path = path
        self.read_only = read_only
        self.upgrade_backup = upgraded_from
        self._identity = identity or file_identity(path)
        # The file's fingerprint as each thread's write transaction found it once it held the
        # write lock (store/verified.py: our own verified writes keep the journal trusted).
        self._began = threading.local()
        self._pool = DriverPool(_connector(path, read_only)) if light else None

    @functools.cached_property
    def _engine(self) -> Engine:
        from sqlalchemy import event

        engine = _make_engine(self.path, self.read_only)
        # Checked again right before every COMMIT, while the write lock is held (see
        # _before_commit): a sync tool or a restore may put another file at the path mid-write.
        event.listen(engine, "commit", self._before_commit)
        event.listen(engine, "begin", self._note_fingerprint)  # after _make_engine's BEGIN
        return engine

    @functools.cached_property
    def _writer(self) -> Engine:
        return self._engine.execution_options(pd_write=True)

    # The doors to the records, built on first use: each store's module is imported only by a
    # command that needs it (the contact and event stores pull in sqlmodel, ~0.3 s).
    @functools.cached_property
    def vendors(self) -> VendorStore:
        from partnerdesk.store.vendors import VendorStore

        return VendorStore(self)

    @functools.cached_property
    def contacts(self) -> ContactStore:
        from partnerdesk.store.contacts import ContactStore

        return ContactStore(self)

    @functools.cached_property
    def events(self) -> EventStore:
        from partnerdesk.store.events import EventStore

        return EventStore(self)

    @functools.cached_property
    def interactions(self) -> InteractionStore:
        from partnerdesk.store.interactions import InteractionStore

        return InteractionStore(self)

    @functools.cached_property
    def questions(self) -> QuestionStore:
        from partnerdesk.store.questions import QuestionStore

        return QuestionStore(self)

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, read_only: bool = False,
             migrations: list[str] | None = None, light: bool = False) -> Journal:
        path = Path(path).expanduser()
        locate_existing(path, create=create and not read_only)
        sides = side_files_present(path)
        identity = file_identity(path)  # the file every write, the upgrade too, must commit into
        vouched: str | None = None
        try:
            state = inspect_file(path)
            if not read_only and not state.fresh:
                # Never write into a damaged journal, not even the switch to WAL or a
                # migration.
                vouched = ensure_healthy_before_writing(path)
        except JournalError:
            forget_side_files(path, sides)  # a refused journal gets no -wal/-shm from us
            raise
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
                    upgraded = migrate(raw, path, state, migrations, identity)
                    if migrations is None:  # health's local days follow the journal's zone
                        sync_zone(raw, before_commit=lambda: refuse_commit_into_another_file(
                            raw, path, identity))
                finally:
                    raw.close()
                # Our own writes since the check (WAL switch, upgrade, zone): still trusted;
                # a journal we just started is healthy by construction.
                if state.fresh:
                    remember_healthy(path)
                else:
                    vouch_after_own_write(path, vouched)
            except sqlite3.Error as exc:
                if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
                    # Read-only media or a write-protected file: say so, so that callers
                    # which only read can open it read-only instead.
                    raise JournalReadOnly(
                        f"{path} is read-only (write-protected, or on read-only media); nothing "
                        "was saved. Copy it somewhere you can write to change it."
                    ) from None
                raise (explain(exc, path) or JournalError(f"{path}: {exc}")) from None
        return cls(path, read_only, upgraded, light=light, identity=identity)

    def close(self) -> None:
        # The last connection to close merges the write-ahead log into the file: when the
        # journal was as partnerdesk last recorded it, the next process need not read it all
        # again (store/verified.py).
        before = None if self.read_only or not self.still_there() else fingerprint(self.path)
        if "_engine" in self.__dict__:
            self._engine.dispose()
        if self._pool is not None:
            self._pool.close()
        if before is not None and self.still_there():
            vouch_after_own_write(self.path, before)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent snapshot for reads (BEGIN DEFERRED)."""
        if self._pool is not None:
            with self._plain(write=False) as plain:
                yield plain  # type: ignore[misc]  # the exec_driver_sql slice of a Connection
            return
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction: all of it lands, or none of it (BEGIN IMMEDIATE)."""
        self._refuse_if_read_only()
        self._refuse_if_gone()
        if self._pool is not None:
            with self._plain(write=True) as plain:
                yield plain  # type: ignore[misc]
            self._vouch()
            return
        with self._writer.connect() as conn:
            with conn.begin():
                yield conn
            self._vouch()

    @contextmanager
    def _plain(self, write: bool) -> Iterator[DriverConnection]:
        """A transaction on a plain sqlite3 connection, kept exactly as the engine's are."""
        from partnerdesk.store.lite import DriverConnection

        raw = self._pool.take()  # type: ignore[union-attr]
        try:
            raw.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if write:
                self._began.fingerprint = fingerprint(self.path)
            yield DriverConnection(raw)
            if write:
                self._refuse_commit_into_another_file(raw)
            raw.execute("COMMIT")
        finally:
            self._pool.give(raw)  # type: ignore[union-attr]  # rolls back what did not commit

    def session(self, write: bool = False) -> Session:
        from sqlmodel import Session  # the ORM only for the stores that still use it

        if write:
            self._refuse_if_read_only()
            self._refuse_if_gone()
        session = Session(self._writer if write else self._engine, expire_on_commit=False)
        if write:
            from sqlalchemy import event

            event.listen(session, "after_commit", lambda _s: self._vouch())
        return session

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
        return self._identity is None or file_identity(self.path) == self._identity

    def _refuse_if_gone(self) -> None:
        if not self.still_there():
            raise JournalError(
                f"The journal file {self.path} was moved or deleted while partnerdesk had it "
                "open; nothing was saved. Put the file back, or reopen the journal."
            )

    def _note_fingerprint(self, conn: Connection) -> None:
        if conn.get_execution_options().get("pd_write"):
            self._began.fingerprint = fingerprint(self.path)

    def _vouch(self) -> None:
        """After our commit: the journal stays trusted if nobody else changed it meanwhile."""
        before = getattr(self._began, "fingerprint", None)
        self._began.fingerprint = None
        if before is not None and self.still_there():
            vouch_after_own_write(self.path, before)

    def _before_commit(self, conn: Connection) -> None:
        """Roll back instead of committing into a file that is no longer at self.path.

        Its writes would vanish with the old file, and committed pages left in the -wal beside
        the path would be replayed onto the new file by the next process (SQLite pairs a log
        with a file by name only). So: roll back, then fold the log into the old file and
        empty it, leaving nothing another file could adopt.
        """
        if not conn.get_execution_options().get("pd_write"):
            return
        raw = conn.connection.driver_connection
        if isinstance(raw, sqlite3.Connection):
            self._refuse_commit_into_another_file(raw)
        elif not self.still_there():
            raise JournalError(
                f"The journal file {self.path} was replaced, moved or deleted while partnerdesk "
                "was saving; nothing was saved. Reopen the journal and try again."
            )

    def _refuse_commit_into_another_file(self, raw: sqlite3.Connection) -> None:
        refuse_commit_into_another_file(raw, self.path, self._identity)

    def schema_version(self) -> int:
        with self.reading() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())


def _uri(path: Path, read_only: bool) -> str:
    return read_only_uri(path) if read_only else f"{path.resolve().as_uri()}?mode=rw"


def _connector(path: Path, read_only: bool) -> Callable[[], sqlite3.Connection]:
    uri = _uri(path, read_only)

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        configure(conn)
        return conn

    return connect


def _make_engine(path: Path, read_only: bool) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    engine = create_engine("sqlite://", creator=_connector(path, read_only), poolclass=QueuePool,
                           pool_size=2, max_overflow=6)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None); we say BEGIN
        # ourselves so that writers take the lock up front instead of failing mid-way.
        write = conn.get_execution_options().get("pd_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
