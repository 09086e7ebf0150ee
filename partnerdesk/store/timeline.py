"""Read-only access for the window's timeline, with nothing but the standard library.

The window paints its first rows before SQLAlchemy has even been imported (~0.4 s here), and
its timeline model reads pages of rows by id from here. Each thread opens its own reader.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from partnerdesk.domain.models import Interaction, InteractionFilter
from partnerdesk.store.filters import where_clause
from partnerdesk.store.fts_query import build_match
from partnerdesk.store.journal_file import BUSY_TIMEOUT_MS
from partnerdesk.store.rowmap import fetch_interactions

CHUNK = 10_000


class TimelineRow(NamedTuple):
    """What one line of the timeline shows; a full Interaction is read only for the detail pane."""

    id: int
    occurred_at: int  # UTC seconds
    vendor: str
    channel: str
    direction: str
    tag: str
    quality: int | None
    summary: str
    contacts: str
    follow_up_due: str | None
    follow_up_owner: str | None
    follow_up_done: bool


@dataclass(frozen=True)
class VendorLine:
    id: int
    name: str
    acquirer: str | None
    archived: bool

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acquirer})" if self.acquirer else self.name


@dataclass
class IdList:
    """Ids newest first: 8 bytes a row. Sort keys are read from the file when needed."""

    ids: array
    by_entry: bool = False  # search results: ordered by id rather than time

    def __len__(self) -> int:
        return len(self.ids)


class TimelineReader:
    def __init__(self, path: Path):
        # mode=rw (with query_only) rather than mode=ro: a read-only connection that is first to
        # open a WAL file without its -shm keeps a private wal-index, and every later connection
        # in the process then misses other processes' writes. mode=ro only for read-only files.
        base = Path(path).resolve().as_uri()
        try:
            self.conn = sqlite3.connect(f"{base}?mode=rw", uri=True, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            self.conn = sqlite3.connect(f"{base}?mode=ro", uri=True, check_same_thread=False,
                                        timeout=BUSY_TIMEOUT_MS / 1000)
        self.conn.execute("PRAGMA query_only = ON")

    def close(self) -> None:
        self.conn.close()

    def interrupt(self) -> None:
        """Stop a running query from another thread (a newer search made it stale)."""
        self.conn.interrupt()

    def vendors(self) -> list[VendorLine]:
        rows = self.conn.execute(
            "SELECT v.id, v.name, a.name, v.archived FROM vendor v LEFT JOIN vendor a ON a.id = v.acquirer_id"
            " ORDER BY v.name COLLATE NOCASE").fetchall()
        return [VendorLine(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def vendor_stats(self, today_iso: str) -> dict[int, tuple[int, int | None, int]]:
        """Per vendor: interactions, last contact (UTC seconds), its promises overdue as of
        today (the one definition, store/promises.py)."""
        from datetime import date

        from partnerdesk.store.lite import DriverConnection
        from partnerdesk.store.promises import overdue_by_vendor

        overdue = overdue_by_vendor(DriverConnection(self.conn), date.fromisoformat(today_iso))
        out = {}
        for vid in [r[0] for r in self.conn.execute("SELECT id FROM vendor")]:
            n, last = self.conn.execute(
                "SELECT count(*), max(occurred_at) FROM interaction WHERE vendor_id = ?", (vid,)).fetchone()
            out[vid] = (n, last, overdue.get(vid, 0))
        return out

    def _query(self, f: InteractionFilter) -> tuple[str, list[Any]] | None:
        """Plain lists are ordered by time. Searches are ordered by entry (id), newest first:
        reading the index in rowid order takes 15-85 ms for 100k+ matches on a million rows,
        where sorting the same matches by time takes 300 ms or more. The second column is the
        sort key, kept so that a newly saved row can be slotted into place."""
        clauses, params = where_clause(f)
        if f.text:
            match = build_match(f.text)
            if match is None:
                return None
            if not clauses:
                return ("SELECT rowid, rowid FROM interaction_fts WHERE interaction_fts MATCH ?"
                        " ORDER BY rowid DESC", [match])
            clauses.append("i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?)")
            params.append(match)
            return ("SELECT i.id, i.id FROM interaction i WHERE " + " AND ".join(clauses)
                    + " ORDER BY i.id DESC", params)
        sql = ("SELECT i.id, i.occurred_at FROM interaction i"
               + (" WHERE " + " AND ".join(clauses) if clauses else "")
               + " ORDER BY i.occurred_at DESC, i.id DESC")
        return sql, params

    def first_ids(self, f: InteractionFilter, limit: int) -> IdList:
        q = self._query(f)
        out = IdList(array("q"), by_entry=bool(f.text))
        if q is None:
            return out
        out.ids.extend(r[0] for r in self.conn.execute(q[0] + f" LIMIT {int(limit)}", q[1]))
        return out

    def all_ids(self, f: InteractionFilter, cancelled: Callable[[], bool] = lambda: False) -> IdList | None:
        """Every matching id, read in chunks so a million rows never sit in memory as tuples."""
        q = self._query(f)
        out = IdList(array("q"), by_entry=bool(f.text))
        if q is None:
            return out
        cur = self.conn.execute(*q)
        while True:
            chunk = cur.fetchmany(CHUNK)
            if not chunk:
                return out
            if cancelled():
                return None
            out.ids.extend(r[0] for r in chunk)

    def rows(self, ids: Sequence[int]) -> dict[int, TimelineRow]:
        found: dict[int, TimelineRow] = {}
        for start in range(0, len(ids), 900):
            chunk = tuple(ids[start:start + 900])
            marks = ",".join("?" * len(chunk))
            names: dict[int, list[str]] = {}
            for iid, name in self.conn.execute(
                    "SELECT ic.interaction_id, c.name FROM interaction_contact ic JOIN contact c"
                    f" ON c.id = ic.contact_id WHERE ic.interaction_id IN ({marks})", chunk):
                names.setdefault(iid, []).append(name)
            for r in self.conn.execute(
                    "SELECT i.id, i.occurred_at, v.name || coalesce(' (' || a.name || ')', ''), i.channel,"
                    " i.direction, i.tag, i.quality, i.summary, i.follow_up_due, i.follow_up_owner,"
                    " i.follow_up_done_at IS NOT NULL FROM interaction i JOIN vendor v ON v.id = i.vendor_id"
                    " LEFT JOIN vendor a ON a.id = v.acquirer_id"
                    f" WHERE i.id IN ({marks})", chunk):
                found[r[0]] = TimelineRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                                          ", ".join(sorted(names.get(r[0], []))), r[8], r[9], bool(r[10]))
        return found

    def interaction(self, interaction_id: int) -> Interaction | None:
        """One interaction in full, for the detail pane, without the heavy store."""
        found = fetch_interactions(lambda sql, params: self.conn.execute(sql, params).fetchall(),
                                   [interaction_id])
        return found[0] if found else None

    def sort_key(self, interaction_id: int) -> tuple[int, int] | None:
        """(occurred_at, id) of one row, for slotting a new row into a time-ordered list."""
        row = self.conn.execute("SELECT occurred_at FROM interaction WHERE id = ?", (interaction_id,)).fetchone()
        return (row[0], interaction_id) if row else None

    def count(self, f: InteractionFilter) -> int:
        q = self._query(f)
        if q is None:
            return 0
        return int(self.conn.execute(f"SELECT count(*) FROM ({q[0]})", q[1]).fetchone()[0])

    def contact_names(self, vendor_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM contact WHERE vendor_id = ? ORDER BY active_to IS NOT NULL, name COLLATE NOCASE",
            (vendor_id,))]

    def topics(self, limit_rows: int = 20000) -> list[str]:
        counts: dict[str, int] = {}
        for (text,) in self.conn.execute(
                "SELECT topics FROM interaction WHERE topics <> '' ORDER BY id DESC LIMIT ?", (limit_rows,)):
            for t in text.split("\n"):
                counts[t] = counts.get(t, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t))
