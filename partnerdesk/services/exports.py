"""Exports: CSV and JSON lists of interactions, vendors, contacts, events and answers, and the
whole journal as one versioned JSON document that partnerdesk imports back exactly.

Rows are streamed to the file (no row cap, no list of a million rows in memory) and every file
is written to a temporary name beside the target and renamed into place, so a failed or
interrupted export never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import InteractionFilter
from partnerdesk.domain.when import to_local
from partnerdesk.services import serialize
from partnerdesk.services.output_file import private_output, real_target
from partnerdesk.services.safe_text import csv_cell
from partnerdesk.services.section_words import count_phrase
from partnerdesk.store.db_errors import explain
from partnerdesk.store.journal import Journal
from partnerdesk.store.timecodec import from_epoch

DOCUMENT_FORMAT = "partnerdesk-journal"
DOCUMENT_VERSION = 1
# The document's sections, in the order they are written (and read back: interactions last).
# action_items (schema V_ACTION_ITEMS on) come after the interactions they belong to.
# The ledger's sections (ledger_io.SECTIONS, written by ledger_serialize) come last: its
# registrations link to interactions. A document written before the ledger has none of them.
LEDGER_SECTIONS = ("tiers", "benefits", "certifications", "registrations", "money")
SECTIONS = ("vendors", "contacts", "events", "questions", "answers", "interactions", "action_items",
            *LEDGER_SECTIONS)
WHATS = ("interactions", "vendors", "contacts", "events", "answers", "followups", "all")

INTERACTION_CSV_COLUMNS = ["id", "vendor", "occurred_at", "channel", "direction", "tag", "quality",
                           "summary", "notes", "topics", "contacts", "follow_up_due", "follow_up_what",
                           "follow_up_owner", "follow_up_done_at", "source", "source_id",
                           "action_items"]
VENDOR_COLUMNS = ["id", "name", "display_name", "programme", "tier", "domains", "archived", "acquired_by",
                  "acquired_on"]
CONTACT_COLUMNS = ["id", "vendor", "name", "role", "email", "phone", "active_from", "active_to"]
EVENT_COLUMNS = ["id", "vendor", "on", "kind", "text"]
CHUNK = 900  # ids per IN (...) query: under SQLite's variable limit


@dataclass(frozen=True)
class ExportResult:
    path: str
    what: str
    format: str
    counts: dict[str, int]

    def summary_line(self) -> str:
        parts = [count_phrase(n, k) for k, n in self.counts.items() if n or k == self.what]
        where = "standard output" if self.path == "-" else self.path
        return f"Exported {', '.join(parts) or 'nothing'} to {where}."


# -- writing files safely ----------------------------------------------------------------------
@contextmanager
def atomic_text(path: str | Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file that appears under `path` only once it is completely written ('-': stdout)."""
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give a file name to export to.")
    folder = real_target(target).parent
    if not folder.is_dir():
        raise InvalidInput(
            f"The folder {folder} does not exist; create it or export somewhere else.")
    try:
        # Private (0600), written through a pipe or device, never left half-written.
        with private_output(target) as raw:
            fh = io.TextIOWrapper(raw, encoding=encoding, newline="")
            try:
                yield fh
                fh.flush()
            finally:
                fh.detach()
    except OSError as exc:
        raise (explain(exc, target) or InvalidInput(f"Cannot write {target}: {exc}.")) from None


def _iso_utc(epoch: int | None) -> str | None:
    return None if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _local(epoch: int | None) -> str | None:
    return None if epoch is None else to_local(from_epoch(epoch)).isoformat(timespec="seconds")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


# -- the whole-journal document -------------------------------------------------------------------
def _has_table(conn: Any, name: str) -> bool:
    return bool(conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).scalar())


def _document_sections(conn: Any) -> dict[str, Callable[[], Iterator[dict[str, Any]]]]:
    def vendors() -> Iterator[dict[str, Any]]:
        domains: dict[int, list[str]] = {}
        for d, vid in conn.exec_driver_sql("SELECT domain, vendor_id FROM vendor_domain ORDER BY domain"):
            domains.setdefault(vid, []).append(d)
        for r in conn.exec_driver_sql(
                "SELECT id, name, programme, tier, notes, archived, acquirer_id, acquired_on, created_at,"
                " updated_at FROM vendor ORDER BY id"):
            yield {"id": r[0], "name": r[1], "programme": r[2], "tier": r[3], "notes": r[4],
                   "archived": bool(r[5]), "domains": domains.get(r[0], []), "acquirer_id": r[6],
                   "acquired_on": r[7], "created_at": _iso_utc(r[8]), "updated_at": _iso_utc(r[9])}

    def contacts() -> Iterator[dict[str, Any]]:
        for r in conn.exec_driver_sql(
                "SELECT id, vendor_id, name, role, email, phone, active_from, active_to, created_at, updated_at"
                " FROM contact ORDER BY id"):
            yield {"id": r[0], "vendor_id": r[1], "name": r[2], "role": r[3], "email": r[4], "phone": r[5],
                   "active_from": r[6], "active_to": r[7], "created_at": _iso_utc(r[8]),
                   "updated_at": _iso_utc(r[9])}

    def events() -> Iterator[dict[str, Any]]:
        for r in conn.exec_driver_sql(
                "SELECT id, vendor_id, occurred_on, kind, text, created_at FROM vendor_event ORDER BY id"):
            yield {"id": r[0], "vendor_id": r[1], "on": r[2], "kind": r[3], "text": r[4],
                   "created_at": _iso_utc(r[5])}

    def interactions() -> Iterator[dict[str, Any]]:
        rows = conn.exec_driver_sql(
            "SELECT i.id, i.vendor_id, i.occurred_at, i.channel, i.direction, i.tag, i.quality, i.summary,"
            " i.notes, i.topics, i.follow_up_due, i.follow_up_text, i.follow_up_owner, i.follow_up_done_at,"
            " i.source, i.source_id, i.created_at, i.updated_at,"
            " (SELECT group_concat(contact_id) FROM interaction_contact WHERE interaction_id = i.id)"
            " FROM interaction i ORDER BY i.id")
        for r in rows:
            yield {"id": r[0], "vendor_id": r[1], "occurred_at": _iso_utc(r[2]), "channel": r[3],
                   "direction": r[4], "tag": r[5], "quality": r[6], "summary": r[7], "notes": r[8],
                   "topics": [t for t in r[9].split("\n") if t],
                   "contact_ids": sorted(int(c) for c in r[18].split(",")) if r[18] else [],
                   "follow_up": None if r[10] is None else {
                       "due": r[10], "what": r[11], "owner": r[12] or "me", "done_at": _iso_utc(r[13])},
                   "source": r[14], "source_id": r[15], "created_at": _iso_utc(r[16]),
                   "updated_at": _iso_utc(r[17])}

    sections: dict[str, Callable[[], Iterator[dict[str, Any]]]] = {
        "vendors": vendors, "contacts": contacts, "events": events}
    for name in ("questions", "answers"):
        if _has_table(conn, _QA_TABLES[name]):
            sections[name] = _table_rows(conn, _QA_TABLES[name])
    sections["interactions"] = interactions
    if _has_table(conn, "action_item"):
        from partnerdesk.services.action_item_io import document_rows

        sections["action_items"] = lambda: document_rows(conn)
    if _has_table(conn, "deal_registration"):
        sections.update(_ledger_sections(conn))
    return sections


def _ledger_sections(conn: Any) -> dict[str, Callable[[], Iterator[dict[str, Any]]]]:
    """The ledger as `ledger export` writes it (the same records, one serializer), read once."""
    from partnerdesk.services.ledger_io import SECTIONS as ORDER
    from partnerdesk.services.ledger_io import ledger_document

    doc: dict[str, Any] = {}

    def rows(name: str) -> Callable[[], Iterator[dict[str, Any]]]:
        def read() -> Iterator[dict[str, Any]]:
            if not doc:
                doc.update(ledger_document(conn))
            yield from doc[name]
        return read

    assert set(ORDER) == set(LEDGER_SECTIONS)
    return {name: rows(name) for name in LEDGER_SECTIONS}


# The partnership question/answer tables arrive with schema v2; until then the document has none.
_QA_TABLES = {"questions": "question", "answers": "answer"}
_TIME_COLUMNS = ("created_at", "updated_at", "answered_at", "asked_at", "archived_at", "occurred_at")


def _table_rows(conn: Any, table: str) -> Callable[[], Iterator[dict[str, Any]]]:
    def rows() -> Iterator[dict[str, Any]]:
        cur = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY rowid")
        names = list(cur.keys())
        for r in cur:
            item = dict(zip(names, r, strict=True))
            for k in _TIME_COLUMNS:
                if isinstance(item.get(k), int):
                    item[k] = _iso_utc(item[k])
            yield item
    return rows


def write_document(journal: Journal, out: TextIO,
                   progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """The whole journal as one JSON document, one record per line (which lets the importer stream it)."""
    with journal.reading() as conn:
        version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
        sections = _document_sections(conn)
        counts = {name: int(conn.exec_driver_sql(f"SELECT count(*) FROM {_table_of(name)}").scalar_one())
                  for name in sections}
        total = sum(counts.values())
        out.write("{\n")
        out.write(f'  "format": {_dumps(DOCUMENT_FORMAT)},\n')
        out.write(f'  "version": {DOCUMENT_VERSION},\n')
        out.write(f'  "schema_version": {version},\n')
        out.write(f'  "counts": {_dumps(counts)},\n')
        done = 0
        names = list(sections)
        for s_index, name in enumerate(names):
            last_section = s_index == len(names) - 1
            out.write(f'  {_dumps(name)}: [')
            first = True
            for item in sections[name]():
                out.write(("\n    " if first else ",\n    ") + _dumps(item))
                first = False
                done += 1
                if progress and done % 10_000 == 0:
                    progress(done, total)
            out.write(("]" if first else "\n  ]") + ("\n" if last_section else ",\n"))
        out.write("}\n")
    if progress:
        progress(total, total)
    return counts


def _table_of(section: str) -> str:
    return {"vendors": "vendor", "contacts": "contact", "events": "vendor_event",
            "interactions": "interaction",
            "action_items": "action_item", "tiers": "tier_change", "benefits": "tier_benefit",
            "certifications": "certification", "registrations": "deal_registration",
            "money": "money_owed"}.get(section) or _QA_TABLES[section]


# -- lists ------------------------------------------------------------------------------------------
def _interaction_rows(journal: Journal, f: InteractionFilter,
                      total: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """interaction_dict()s (see serialize) for every match, newest first, read in chunks.
    `total`, when given, receives the number of rows before the first is yielded."""
    ids: Sequence[int] = journal.interactions.ids(f)
    if total is not None:
        total.append(len(ids))
    from partnerdesk.store.action_items import items_by_interaction

    with journal.reading() as conn:
        has_items = _has_table(conn, "action_item")  # an export from a journal not yet upgraded
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            marks = ",".join("?" * len(chunk))
            names: dict[int, list[str]] = {}
            for iid, name in conn.exec_driver_sql(
                    "SELECT ic.interaction_id, c.name FROM interaction_contact ic JOIN contact c"
                    f" ON c.id = ic.contact_id WHERE ic.interaction_id IN ({marks}) ORDER BY c.name",
                    tuple(chunk)):
                names.setdefault(iid, []).append(name)
            items = items_by_interaction(conn, chunk) if has_items else {}
            found: dict[int, dict[str, Any]] = {}
            for r in conn.exec_driver_sql(
                    "SELECT i.id, v.name, i.occurred_at, i.channel, i.direction, i.tag, i.quality, i.summary,"
                    " i.notes, i.topics, i.follow_up_due, i.follow_up_text, i.follow_up_owner,"
                    " i.follow_up_done_at, i.source, i.source_id FROM interaction i JOIN vendor v"
                    f" ON v.id = i.vendor_id WHERE i.id IN ({marks})", tuple(chunk)):
                found[r[0]] = {
                    "id": r[0], "vendor": r[1], "occurred_at": _local(r[2]), "channel": r[3],
                    "direction": r[4], "tag": r[5], "quality": r[6], "summary": r[7], "notes": r[8],
                    "topics": [t for t in r[9].split("\n") if t], "contacts": names.get(r[0], []),
                    "follow_up": None if r[10] is None else {
                        "due": r[10], "what": r[11], "owner": r[12] or "me", "done_at": _local(r[13])},
                    "source": r[14], "source_id": r[15],
                    "action_items": serialize.action_item_dicts(items.get(r[0], []))}
            for iid in chunk:
                if iid in found:
                    yield found[iid]


def _records(journal: Journal, what: str, f: InteractionFilter,
             total: list[int] | None = None) -> tuple[list[str], Iterator[dict[str, Any]]]:
    if what == "interactions":
        return INTERACTION_CSV_COLUMNS, _interaction_rows(journal, f, total)
    vendors = journal.vendors.all()
    names = {v.id: v.name for v in vendors}
    wanted = set(f.vendor_ids)
    if what == "vendors":
        return VENDOR_COLUMNS, (serialize.vendor_dict(v) for v in vendors if not wanted or v.id in wanted)
    if what == "contacts":
        return CONTACT_COLUMNS, (serialize.contact_dict(c, names[c.vendor_id]) for c in journal.contacts.all()
                                 if not wanted or c.vendor_id in wanted)
    if what == "events":
        since = f.since.date() if f.since else None
        until = f.until.date() if f.until else None
        return EVENT_COLUMNS, (serialize.event_dict(e, names[e.vendor_id]) for e in journal.events.all()
                               if (not wanted or e.vendor_id in wanted) and (since is None or e.on >= since)
                               and (until is None or e.on < until))
    if what == "answers":
        return _answers(journal, wanted)
    if what == "followups":
        from partnerdesk.services.action_item_io import CSV_COLUMNS, list_rows

        return CSV_COLUMNS, list_rows(journal, wanted)
    raise InvalidInput(f"'{what}' cannot be exported; choose one of: {', '.join(WHATS)}.")


ANSWER_COLUMNS = ["id", "vendor", "question", "answered_on", "text"]


def _answers(journal: Journal, wanted: set[int]) -> tuple[list[str], Iterator[dict[str, Any]]]:
    with journal.reading() as conn:
        present = _has_table(conn, "answer")
    if not present:
        raise InvalidInput("This journal has no partnership answers yet (it predates them); "
                           "open it once with this partnerdesk to upgrade it.")

    def rows() -> Iterator[dict[str, Any]]:
        with journal.reading() as conn:
            for r in conn.exec_driver_sql(
                    "SELECT a.id, v.id, v.name, q.text, a.answered_on, a.text FROM answer a"
                    " JOIN vendor v ON v.id = a.vendor_id JOIN question q ON q.id = a.question_id"
                    " ORDER BY v.name COLLATE NOCASE, q.position, a.answered_on, a.id"):
                if not wanted or r[1] in wanted:
                    yield {"id": r[0], "vendor": r[2], "question": r[3], "answered_on": r[4], "text": r[5]}

    return ANSWER_COLUMNS, rows()


def _cell(value: Any) -> Any:
    """A CSV cell; text a spreadsheet would run as a formula is neutralised (safe_text.csv_cell)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return csv_cell("; ".join(str(v) for v in value))
    return csv_cell(value)


def export(journal: Journal, path: str | Path, what: str = "interactions", fmt: str = "csv",
           f: InteractionFilter | None = None,
           progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """Write `what` ('interactions', 'vendors', 'contacts', 'events', 'answers' or 'all') as CSV or JSON.

    'all' is the whole-journal document (JSON only; the filter does not apply to it). CSV files start
    with a UTF-8 byte order mark so that Excel reads accents right; JSON is plain UTF-8.
    """
    if what not in WHATS:
        raise InvalidInput(f"'{what}' cannot be exported; choose one of: {', '.join(WHATS)}.")
    if fmt not in ("csv", "json"):
        raise InvalidInput(f"'{fmt}' is not an export format; use csv or json.")
    if what == "all":
        if fmt != "json":
            raise InvalidInput("The whole journal exports as one JSON document; use --format json "
                               "(or pick --what interactions, vendors, contacts, events or answers for CSV).")
        with atomic_text(path) as out:
            counts = write_document(journal, out, progress)
        return ExportResult(str(path), what, fmt, counts)
    total: list[int] = []
    columns, rows = _records(journal, what, f or InteractionFilter(), total)
    n = 0

    def tick() -> None:
        if progress and n % 5000 == 0:
            progress(n, total[0] if total else n)

    encoding = "utf-8-sig" if fmt == "csv" and str(path) != "-" else "utf-8"
    with atomic_text(path, encoding) as out:
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n" if str(path) != "-" else "\n")
            writer.writerow(columns)
            for r in rows:
                if what == "interactions":
                    r = serialize.flat(r)
                writer.writerow([_cell(r.get(c)) for c in columns])
                n += 1
                tick()
        else:
            out.write("[")
            for r in rows:
                out.write(("\n  " if n == 0 else ",\n  ") + _dumps(r))
                n += 1
                tick()
            out.write("\n]\n" if n else "]\n")
    if progress:
        progress(n, n)
    return ExportResult(str(path), what, fmt, {what: n})


def export_journal(journal: Journal, path: str | Path,
                   progress: Callable[[int, int], None] | None = None) -> ExportResult:
    """The whole journal as partnerdesk's versioned JSON document."""
    return export(journal, path, "all", "json", progress=progress)

