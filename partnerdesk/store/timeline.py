"""Read-only access for the window's timeline, with nothing but the standard library.

The window paints its first rows before SQLAlchemy has even been imported (~0.4 s here), and
its timeline model reads pages of rows by id from here. Each thread opens its own reader.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.models import Interaction, InteractionFilter
from partnerdesk.store.action_items import items_by_interaction
from partnerdesk.store.lite import DriverConnection, connect_reader
from partnerdesk.store.reading import VendorStats, id_query, read_topics, vendor_stats
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
    items: tuple[ActionItem, ...]  # every action item of the interaction, in the order added


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
        self.conn = connect_reader(path, check_same_thread=False)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

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

    def vendor_stats(self, today_iso: str) -> dict[int, VendorStats]:
        """Per vendor: interactions, last contact (UTC seconds), overdue follow-ups."""
        return vendor_stats(self._execute, today_iso)

    def _query(self, f: InteractionFilter) -> tuple[str, list[Any]] | None:
        """Plain lists by time, searches by entry (id): see reading.id_query."""
        return id_query(f, by_entry=True)

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
        """A page of lines: three queries per 900 ids (contacts, action items, the rows)."""
        found: dict[int, TimelineRow] = {}
        driver = DriverConnection(self.conn)
        for start in range(0, len(ids), 900):
            chunk = tuple(ids[start:start + 900])
            marks = ",".join("?" * len(chunk))
            names: dict[int, list[str]] = {}
            for iid, name in self.conn.execute(
                    "SELECT ic.interaction_id, c.name FROM interaction_contact ic JOIN contact c"
                    f" ON c.id = ic.contact_id WHERE ic.interaction_id IN ({marks})", chunk):
                names.setdefault(iid, []).append(name)
            items = items_by_interaction(driver, chunk)
            for r in self.conn.execute(
                    "SELECT i.id, i.occurred_at, v.name || coalesce(' (' || a.name || ')', ''),"
                    " i.channel, i.direction, i.tag, i.quality, i.summary FROM interaction i"
                    " JOIN vendor v ON v.id = i.vendor_id"
                    " LEFT JOIN vendor a ON a.id = v.acquirer_id"
                    f" WHERE i.id IN ({marks})", chunk):
                found[r[0]] = TimelineRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                                          ", ".join(sorted(names.get(r[0], []))),
                                          tuple(items.get(r[0], ())))
        return found

    def interaction(self, interaction_id: int) -> Interaction | None:
        """One interaction in full, for the detail pane, without the heavy store."""
        found = fetch_interactions(self._execute, [interaction_id])
        return found[0] if found else None

    def action_items(self, interaction_id: int) -> list[ActionItem]:
        """Every action item of one interaction, in the order added, for the detail pane."""
        return items_by_interaction(DriverConnection(self.conn), [interaction_id]).get(
            interaction_id, [])

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
        return read_topics(self._execute, limit_rows)
