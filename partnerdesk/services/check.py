"""Checking a journal file, and rebuilding its search index when only the index is damaged.

``check_journal`` never writes: SQLite's ``PRAGMA integrity_check`` (or quick_check) runs on a
read-only connection; the full-text index's own checks are INSERT commands, so they run inside
a write transaction that is always rolled back, and only once the file itself passed.

``repair_index`` refuses any file whose own integrity check fails (restore a backup instead);
otherwise it takes a 'before-repair' backup and rebuilds the index in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerdesk.domain.errors import (
    JournalBusy,
    JournalCorrupt,
    JournalError,
    JournalTooNew,
    NotFound,
    PartnerdeskError,
)
from partnerdesk.store.journal_file import (
    BUSY_TIMEOUT_MS,
    file_identity,
    inspect_file,
    read_only_uri,
    refuse_commit_into_another_file,
)
from partnerdesk.store.verified import fingerprint, remember_damaged, remember_healthy

# Where a finding was made. 'file' and 'database' mean the file itself is damaged (restore a
# backup); 'index' (and 'summary') can be rebuilt from the interactions; 'links' are rows that
# point at something missing (reported, not repaired).
FILE, DATABASE, INDEX, SUMMARY, LINKS = "file", "database", "index", "summary", "links"
REBUILDABLE = frozenset({INDEX, SUMMARY})

FTS_TABLE = "interaction_fts"
# The plain form checks the index's own structure; with rank = 1 it also compares the index
# with the interaction table (SQLite 3.40's plain form does not).
_FTS_STRUCTURE = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('integrity-check')"
_FTS_CONTENT = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES('integrity-check', 1)"
_FTS_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')"

MAX_ERRORS = 100


@dataclass(frozen=True)
class Finding:
    area: str  # FILE, DATABASE, INDEX, SUMMARY or LINKS
    message: str

    def line(self) -> str:
        return f"{self.area}: {self.message}"


@dataclass
class CheckReport:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what ran: 'integrity', 'fts', ...
    notes: list[str] = field(default_factory=list)  # e.g. a check skipped and why
    repaired: list[str] = field(default_factory=list)  # what repair_index rebuilt

    @property
    def ok(self) -> bool:
        """Nothing found."""
        return not self.findings

    @property
    def file_damaged(self) -> bool:
        """The file itself fails: never write to it; offer the newest good backup."""
        return any(f.area in (FILE, DATABASE) for f in self.findings)

    @property
    def index_only(self) -> bool:
        """Only rebuildable parts (the search index) are damaged: repair_index fixes it."""
        return bool(self.findings) and all(f.area in REBUILDABLE for f in self.findings)

    def lines(self) -> list[str]:
        return [f.line() for f in self.findings]


SUMMARY_TABLE = "vendor_week"  # the weekly summary kept by triggers (schema V2)


def summary_rebuilder() -> Callable[[Any], None] | None:
    """The store's full rebuild of the weekly summary, when this build has one."""
    try:
        from partnerdesk.store import summary
    except ImportError:
        return None
    rebuild = getattr(summary, "rebuild", None)
    return rebuild if callable(rebuild) else None


class _DriverSQL:
    """Lets the store's rebuild (written for SQLAlchemy's exec_driver_sql) run on sqlite3."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def exec_driver_sql(self, sql: str, params: Any = None) -> sqlite3.Cursor:
        return self._conn.execute(sql, params if params is not None else ())


def check_journal(path: str | os.PathLike[str], *, quick: bool = False) -> CheckReport:
    """Check the journal at ``path`` without writing to it; see CheckReport.

    quick=True uses ``PRAGMA quick_check`` (fast enough for every open; skips index
    comparison) instead of the full ``integrity_check``. The full-text checks run only when the
    file itself passes. Raises JournalBusy when another program holds the write lock for
    longer than the busy timeout (the full-text check needs a moment of that lock).
    """
    file = Path(path).expanduser()
    report = CheckReport(file)
    if not file.exists():
        raise NotFound(f"There is no journal at {file}; check the path (or --db).")
    if file.is_dir():
        raise JournalError(f"{file} is a folder; give the path of a journal file.")
    try:
        state = inspect_file(file)
    except JournalTooNew as exc:
        report.notes.append(str(exc))
        state = None
    except PartnerdeskError as exc:
        report.findings.append(Finding(FILE, _plain(str(exc))))
        return report
    if state is not None and state.fresh:
        report.notes.append("the journal is new and empty; there is nothing to check yet")
        return report

    before = fingerprint(file)
    _integrity(file, report, quick)
    _remember(file, report, quick, before)
    if report.file_damaged or state is None:
        return report
    _derived(file, report, quick)
    return report


def _remember(file: Path, report: CheckReport, quick: bool, before: str | None) -> None:
    """What the check found, for the next command (store/verified.py): a damaged file is then
    named by every read and refused by every writer at once; one that passed the full check,
    unchanged while it ran, need not be read again before the next write."""
    try:
        if report.file_damaged:
            remember_damaged(file, report.findings[0].message)
        elif not quick and before is not None and fingerprint(file) == before:
            remember_healthy(file)
    except OSError:
        pass  # only a cache


def quick_check(path: str | os.PathLike[str]) -> CheckReport:
    """check_journal(path, quick=True): the check to run on every open (on a worker)."""
    return check_journal(path, quick=True)


def repair_index(path: str | os.PathLike[str], *, backup: bool = True) -> CheckReport:
    """Rebuild the full-text index (and any rebuildable summary) when only they are damaged.

    Returns the report of a fresh check after the repair (``repaired`` lists what was
    rebuilt; empty when nothing needed it). Raises JournalCorrupt, without writing, when the
    file's own integrity check fails; JournalBusy when another program is writing; DiskFull /
    JournalReadOnly when the 'before-repair' backup or the rebuild cannot be written.
    """
    file = Path(path).expanduser()
    before = check_journal(file)
    if before.file_damaged:
        raise JournalCorrupt(
            f"The journal {file} is damaged beyond its search index "
            f"({before.findings[0].message}); nothing was written to it. "
            "Restore the newest good backup instead."
        )
    todo = {f.area for f in before.findings if f.area in REBUILDABLE}
    if not todo:
        return before
    if backup:
        from partnerdesk.services.backup import backup_before

        backup_before(file, "repair")
    identity = file_identity(file)  # the file checked and backed up is the one to repair
    conn = _connect(file, readonly=False)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            if INDEX in todo:
                conn.execute(_FTS_REBUILD)
            rebuild = summary_rebuilder()
            if SUMMARY in todo and rebuild is not None:
                rebuild(_DriverSQL(conn))
            if SUMMARY in todo:
                _repair_local_days(conn)
            # Replaced meanwhile (a sync tool, a restore): roll back, as every write does.
            refuse_commit_into_another_file(conn, file, identity)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise _explain(exc, file) from None
    finally:
        conn.close()
    after = check_journal(file)
    after.repaired = sorted(todo)
    return after


# -- the checks -----------------------------------------------------------------------------
def _integrity(file: Path, report: CheckReport, quick: bool) -> None:
    pragma = "quick_check" if quick else "integrity_check"
    report.checked.append(pragma)
    try:
        rows = _run_pragma(file, f"PRAGMA {pragma}({MAX_ERRORS})", immutable=False)
    except sqlite3.Error as exc:
        if _is_busy(exc):
            raise _explain(exc, file) from None
        wal = file.with_name(file.name + "-wal")
        unmerged = wal.exists() and wal.stat().st_size > 0
        if "unable to open" in str(exc).lower() and not unmerged:
            # A read-only folder without the shared-memory file: read the file as it stands.
            try:
                rows = _run_pragma(file, f"PRAGMA {pragma}({MAX_ERRORS})", immutable=True)
            except sqlite3.Error as again:
                report.findings.append(Finding(DATABASE, f"SQLite cannot read the file ({again})"))
                return
        else:
            report.findings.append(Finding(DATABASE, f"SQLite cannot read the file ({exc})"))
            return
    if rows != [("ok",)]:
        report.findings.extend(Finding(DATABASE, " ".join(str(r[0]).split())) for r in rows)


def _derived(file: Path, report: CheckReport, quick: bool = False) -> None:
    """The full-text index and foreign keys: read-only in effect (always rolled back)."""
    try:
        conn = _connect(file, readonly=False)
    except sqlite3.Error as exc:
        report.notes.append(f"the search index was not checked: the file cannot be opened for "
                            f"the check ({exc})")
        return
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise _explain(exc, file) from None
            report.notes.append(f"the search index was not checked: {_reason(exc)}")
            return
        try:
            has_fts = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()
            if has_fts:
                problem = _fts_problem(conn)
                report.checked.append("fts")
                if problem:
                    report.findings.append(Finding(INDEX, problem))
            _check_summary(conn, report)
            _check_local_days(conn, report, recount=not quick)
            report.checked.append("foreign_keys")
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
                report.findings.append(
                    Finding(LINKS, f"{table} row {rowid} refers to a missing {parent}"))
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise _explain(exc, file) from None
            if _is_read_only(exc):
                # The index checks are INSERT commands (always rolled back): a healthy file
                # that may not be written (0444, read-only media) is not damaged.
                report.notes.append(f"the search index was not checked: {_reason(exc)}")
                return
            report.findings.append(Finding(DATABASE, f"SQLite cannot read the file ({exc})"))
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    finally:
        conn.close()


def _fts_problem(conn: sqlite3.Connection) -> str | None:
    try:
        conn.execute(_FTS_STRUCTURE)
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc) or not _is_corrupt(exc):
            raise
        return ("the full-text search index is damaged (search may miss or show wrong entries); "
                "'partnerdesk check --repair' rebuilds it from the interactions")
    try:
        conn.execute(_FTS_CONTENT)
    except sqlite3.DatabaseError as exc:
        if _is_busy(exc) or not _is_corrupt(exc):
            raise
        return ("the full-text search index does not match the interactions (search may miss or "
                "show wrong entries); 'partnerdesk check --repair' rebuilds it")
    return None


def _check_summary(conn: sqlite3.Connection, report: CheckReport) -> None:
    """Rebuild the summary inside a savepoint, compare with what was there, roll back."""
    rebuild = summary_rebuilder()
    if rebuild is None:
        return
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (SUMMARY_TABLE,)).fetchone():
        return
    report.checked.append("summary")
    conn.execute("SAVEPOINT pd_check_summary")
    try:
        conn.execute(f"CREATE TEMP TABLE pd_summary_before AS SELECT * FROM {SUMMARY_TABLE}")
        rebuild(_DriverSQL(conn))
        extra = conn.execute(f"SELECT count(*) FROM (SELECT * FROM {SUMMARY_TABLE} EXCEPT "
                             "SELECT * FROM temp.pd_summary_before)").fetchone()[0]
        wrong = conn.execute("SELECT count(*) FROM (SELECT * FROM temp.pd_summary_before "
                             f"EXCEPT SELECT * FROM {SUMMARY_TABLE})").fetchone()[0]
    except sqlite3.Error as exc:
        if _is_busy(exc):
            raise
        report.notes.append(f"the weekly summary was not checked ({exc})")
        return
    except Exception as exc:  # the store's rebuild changed shape: do not fail the whole check
        report.notes.append(f"the weekly summary was not checked ({type(exc).__name__}: {exc})")
        return
    finally:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK TO pd_check_summary")
                conn.execute("RELEASE pd_check_summary")
            except sqlite3.Error:
                pass  # the outer transaction is rolled back by the caller anyway
    if extra or wrong:
        report.findings.append(Finding(
            SUMMARY, f"the weekly summary behind the health scores is out of step with the "
                     f"interactions ({max(extra, wrong)} week(s) differ); "
                     "'partnerdesk check --repair' rebuilds it"))


def _check_local_days(conn: sqlite3.Connection, report: CheckReport, recount: bool) -> None:
    """The per-day summary health reads (store/local_days.py): present, and (not in the quick
    check every window open runs, which holds the write lock meanwhile) recounted equal."""
    from partnerdesk.store import local_days
    from partnerdesk.store.lite import DriverConnection

    problem = local_days.check_problem(DriverConnection(conn), recount=recount)
    report.checked.append("days")
    if problem:
        report.findings.append(Finding(SUMMARY, problem))


def _repair_local_days(conn: sqlite3.Connection) -> None:
    from partnerdesk.store import local_days
    from partnerdesk.store.lite import DriverConnection

    local_days.repair(DriverConnection(conn))


# -- helpers --------------------------------------------------------------------------------
def _run_pragma(file: Path, sql: str, immutable: bool) -> list[tuple[object, ...]]:
    uri = f"{file.resolve().as_uri()}?mode=ro&immutable=1" if immutable else read_only_uri(file)
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _connect(file: Path, readonly: bool) -> sqlite3.Connection:
    mode = "ro" if readonly else "rw"
    conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode={mode}", uri=True,
                           isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _is_busy(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


def _is_corrupt(exc: BaseException) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_CORRUPT") or "malformed" in str(exc).lower()


def _is_read_only(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return "readonly" in msg or "read-only" in msg


def _reason(exc: BaseException) -> str:
    msg = str(exc).lower()
    if _is_read_only(exc) or "unable to open" in msg:
        return "the journal or its folder is read-only"
    return str(exc)


def _explain(exc: BaseException, file: Path) -> PartnerdeskError:
    from partnerdesk.store.db_errors import explain

    known = explain(exc, file)
    if isinstance(known, JournalBusy):
        return known
    return known or JournalError(f"{file}: {exc}")


def _plain(message: str) -> str:
    """Store messages end with advice for opening; in a report only the finding matters."""
    return message.split("; nothing was written")[0].split("; it was left untouched")[0]
