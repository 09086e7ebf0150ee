"""The journal's read queries, written once for every face, with nothing but the standard library.

The window's TimelineReader, the command line's LiteJournal and the SQLAlchemy-backed Journal
all read through here: the functions take an ``execute(sql, params) -> rows`` callable (as
rowmap does), and the reader classes take a ``reading()`` context manager whose connection has
``exec_driver_sql`` (a Journal's and a LiteJournal's both do). So a read command never needs
SQLAlchemy (~0.5 s to import) and the window and the CLI cannot drift apart.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from partnerdesk.domain.errors import NotFound
from partnerdesk.domain.models import Interaction, InteractionFilter, Vendor
from partnerdesk.domain.validation import clean_line
from partnerdesk.store.filters import where_clause
from partnerdesk.store.fts_query import build_match
from partnerdesk.store.rowmap import Execute, fetch_interactions
from partnerdesk.store.timecodec import from_epoch, from_iso_day, to_epoch

# interactions, last contact (UTC seconds or None), overdue follow-ups
VendorStats = tuple[int, int | None, int]
Reading = Callable[[], AbstractContextManager[Any]]
EVERYTHING = InteractionFilter()
# Names for list types: InteractionReads has a method called `list`.
Interactions = list[Interaction]
Ids = list[int]


class VendorNotFound(NotFound):
    def __init__(self, name: str, suggestions: list[str]):
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No vendor named '{name}'.{hint}")
        self.name = name
        self.suggestions = suggestions


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the previous page ended: continue strictly after (older than) this row."""

    occurred_at: int
    id: int

    @classmethod
    def after(cls, row: Interaction) -> Cursor:
        return cls(to_epoch(row.occurred_at), row.id)


def executor(conn: Any) -> Execute:
    """rowmap's execute callable over a connection with exec_driver_sql (Journal or LiteJournal).
    Parameters always go as one tuple: SQLAlchemy would take a list as many parameter sets."""

    def execute(sql: str, params: Sequence[Any] = ()) -> Sequence[Sequence[Any]]:
        return conn.exec_driver_sql(sql, tuple(params)).all()  # type: ignore[no-any-return]

    return execute


# -- vendors -------------------------------------------------------------------------------
def read_vendors(execute: Execute, include_archived: bool = True) -> list[Vendor]:
    """Every vendor, by name in any case, with its domains and who bought it."""
    rows = execute(
        "SELECT v.id, v.name, v.programme, v.tier, v.notes, v.archived, v.acquirer_id, a.name,"
        " v.acquired_on FROM vendor v LEFT JOIN vendor a ON a.id = v.acquirer_id"
        " ORDER BY lower(v.name)", ())
    domains: dict[int, list[str]] = {}
    for d, vid in execute("SELECT domain, vendor_id FROM vendor_domain ORDER BY domain", ()):
        domains.setdefault(vid, []).append(d)
    return [Vendor(id=r[0], name=r[1], programme=r[2], tier=r[3],
                   domains=tuple(domains.get(r[0], [])), notes=r[4], archived=bool(r[5]),
                   acquirer_id=r[6], acquirer_name=r[7], acquired_on=from_iso_day(r[8]))
            for r in rows if include_archived or not r[5]]


def resolve_vendor(vendors: Sequence[Vendor], name: str) -> Vendor:
    """The vendor with this name (any case); VendorNotFound with close names otherwise."""
    wanted = clean_line(name).casefold()
    for v in vendors:
        if v.name.casefold() == wanted:
            return v
    import difflib  # only for a name that is not there

    names = [v.name for v in vendors]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close += [n for n in names if wanted and wanted in n.casefold() and n not in close][:3]
    raise VendorNotFound(name, close[:3])


def vendor_stats(execute: Execute, today_iso: str) -> dict[int, VendorStats]:
    """Per vendor: interactions, last contact (UTC seconds), its promises overdue today (the one
    definition, Promise.is_overdue: a vendor-owned item still open or snoozed, due before today).

    Counts come from the weekly summary that triggers keep in step with every write (a few
    ms, where counting a million rows takes 100+); the last contact is one index probe each.
    """
    counts: dict[int, int] = {r[0]: r[1] for r in execute(
        "SELECT vendor_id, sum(n) FROM vendor_week GROUP BY vendor_id", ())}
    overdue: dict[int, int] = {r[0]: r[1] for r in execute(
        "SELECT vendor_id, count(*) FROM action_item WHERE owner = 'vendor'"
        " AND state IN ('open', 'snoozed') AND due < ? GROUP BY vendor_id", (today_iso,))}
    out: dict[int, VendorStats] = {}
    for (vid,) in execute("SELECT id FROM vendor", ()):
        last = execute("SELECT max(occurred_at) FROM interaction WHERE vendor_id = ?", (vid,))
        out[vid] = (int(counts.get(vid) or 0), last[0][0], overdue.get(vid, 0))
    return out


# -- interactions --------------------------------------------------------------------------
def id_query(f: InteractionFilter, by_entry: bool = False) -> tuple[str, list[Any]] | None:
    """SELECT id, sort key of every interaction matching the filter, newest first; None for a
    search with no words in it.

    Without text, by time. A search is by time too, unless `by_entry`: then by id (entry order),
    as the window's timeline wants it: reading the index in rowid order takes 15-85 ms for 100k+
    matches on a million rows, where sorting the same matches by time takes 300 ms or more.
    The second column is the sort key, kept so that a newly saved row can be slotted into place.
    """
    clauses, params = where_clause(f)
    if f.text:
        match = build_match(f.text)
        if match is None:
            return None
        if by_entry and not clauses:
            return ("SELECT rowid, rowid FROM interaction_fts WHERE interaction_fts MATCH ?"
                    " ORDER BY rowid DESC", [match])
        clauses.append("i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?)")
        params.append(match)
        if by_entry:
            return ("SELECT i.id, i.id FROM interaction i WHERE " + " AND ".join(clauses)
                    + " ORDER BY i.id DESC", params)
    sql = ("SELECT i.id, i.occurred_at FROM interaction i" + _where(clauses)
           + " ORDER BY i.occurred_at DESC, i.id DESC")
    return sql, params


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


class InteractionReads:
    """Reading interactions as domain values; InteractionStore adds the writes."""

    def __init__(self, reading: Reading):
        self._reading = reading

    def get(self, interaction_id: int) -> Interaction:
        with self._reading() as conn:
            found = fetch_interactions(executor(conn), [interaction_id])
        if not found:
            raise NotFound(f"Interaction #{interaction_id} does not exist "
                           "(it may have been deleted).")
        return found[0]

    def get_many(self, ids: Sequence[int]) -> Interactions:
        """Rows for these ids, in the order asked (missing ids are left out)."""
        with self._reading() as conn:
            return fetch_interactions(executor(conn), list(ids))

    def list(self, f: InteractionFilter = EVERYTHING, limit: int = 200,
             after: Cursor | None = None) -> Interactions:
        """Newest first; pass the last row's Cursor to read the next page."""
        if f.text:
            return self.search(f.text, f, limit)
        clauses, params = where_clause(f)
        if after is not None:
            # A row-value comparison is what lets SQLite seek the index instead of scanning it.
            clauses.append("(i.occurred_at, i.id) < (?, ?)")
            params.extend([after.occurred_at, after.id])
        sql = ("SELECT i.id FROM interaction i" + _where(clauses)
               + " ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?")
        with self._reading() as conn:
            execute = executor(conn)
            ids = [r[0] for r in execute(sql, (*params, limit))]
            return fetch_interactions(execute, ids)

    def ids(self, f: InteractionFilter = EVERYTHING,
            limit: int | None = None) -> Ids:
        """Every matching id, newest first (by time, searches too): what an export walks over."""
        q = id_query(f)
        if q is None:
            return []
        sql = q[0] + (f" LIMIT {int(limit)}" if limit is not None else "")
        with self._reading() as conn:
            return [r[0] for r in executor(conn)(sql, tuple(q[1]))]

    def search(self, text: str, f: InteractionFilter = EVERYTHING,
               limit: int = 200) -> Interactions:
        """The newest `limit` interactions matching the text (see fts_query for the syntax),
        taken by entry order from the index, then sorted by time."""
        match = build_match(text)
        if match is None:
            return []
        clauses, params = where_clause(f)
        sql = ("SELECT i.id FROM interaction_fts JOIN interaction i ON i.id = interaction_fts.rowid"
               " WHERE interaction_fts MATCH ?" + "".join(" AND " + c for c in clauses)
               + " ORDER BY interaction_fts.rowid DESC LIMIT ?")
        with self._reading() as conn:
            execute = executor(conn)
            ids = [r[0] for r in execute(sql, (match, *params, limit))]
            rows = fetch_interactions(execute, ids)
        rows.sort(key=lambda r: (r.occurred_at, r.id), reverse=True)
        return rows

    def count(self, f: InteractionFilter = EVERYTHING) -> int:
        """How many interactions pass the filter (its text aside: count a search with ids())."""
        clauses, params = where_clause(f)
        sql = "SELECT count(*) FROM interaction i" + _where(clauses)
        with self._reading() as conn:
            return int(executor(conn)(sql, tuple(params))[0][0])

    def follow_ups(self, today: date, overdue_only: bool = False,
                   limit: int = 1000) -> Interactions:
        """Interactions with an open (or snoozed) action item, soonest due item first; with
        `overdue_only`, those with one overdue (ActionItem.is_overdue: due before `today`)."""
        late = " AND due < ?" if overdue_only else ""
        params: tuple[Any, ...] = (today.isoformat(),) * 2 if overdue_only else ()
        sql = (f"SELECT interaction_id, min(due) FROM (SELECT interaction_id, due FROM action_item"
               f" WHERE state = 'open'{late} UNION ALL SELECT interaction_id, due FROM action_item"
               f" WHERE state = 'snoozed'{late}) GROUP BY interaction_id"
               " ORDER BY 2, 1 LIMIT ?")
        with self._reading() as conn:
            execute = executor(conn)
            return fetch_interactions(execute, [r[0] for r in execute(sql, (*params, limit))])

    def topics(self, limit_rows: int = 20000) -> builtins.list[str]:
        """Every topic label in use lately, most used first (for completion)."""
        with self._reading() as conn:
            return read_topics(executor(conn), limit_rows)

    def vendor_stats(self, today: date) -> dict[int, tuple[int, datetime | None, int]]:
        """Per vendor: interaction count, last contact and overdue follow-ups."""
        with self._reading() as conn:
            stats = vendor_stats(executor(conn), today.isoformat())
        return {vid: (n, from_epoch(last) if last is not None else None, overdue)
                for vid, (n, last, overdue) in stats.items()}


def read_topics(execute: Execute, limit_rows: int = 20000) -> list[str]:
    counts: dict[str, int] = {}
    for (text,) in execute(
            "SELECT topics FROM interaction WHERE topics <> '' ORDER BY id DESC LIMIT ?",
            (limit_rows,)):
        for t in text.split("\n"):
            counts[t] = counts.get(t, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))


class VendorReads:
    """Reading vendors as domain values; VendorStore adds the writes."""

    def __init__(self, reading: Reading):
        self._reading = reading

    def all(self, include_archived: bool = True) -> list[Vendor]:
        with self._reading() as conn:
            return read_vendors(executor(conn), include_archived)

    def get(self, vendor_id: int) -> Vendor:
        for v in self.all():
            if v.id == vendor_id:
                return v
        raise NotFound(f"Vendor #{vendor_id} does not exist (it may have been deleted).")

    def resolve(self, name: str) -> Vendor:
        """The vendor with this name (any case); VendorNotFound with close names otherwise."""
        return resolve_vendor(self.all(), name)
