"""partnerdesk's own JSON: the whole-journal document (see services/exports.py), read back.

Into an EMPTY journal it is a restore: every record keeps its id and timestamps, so exporting
again gives the same document byte for byte. Into a journal that already has records it is a
merge:
- vendors are matched by name (any case); new ones come with their programme, tier, notes,
  archive flag, acquirer and those of their domains no other vendor has. Existing vendors are
  left as they are.
- contacts are matched by vendor and name (any case); new ones are added with all their fields.
- events are added unless the vendor already has one with the same date, kind and text.
- interactions are skipped when one with the same source and source id is there (imports), or,
  for those without a source id (typed in), one with the same vendor, time and summary.
- questions and answers (journals of schema v2 and later) are restored into an empty journal;
  in a merge, those with a question text already present are skipped.

The document is read one record per line, as partnerdesk writes it, so a million interactions
never sit in memory; a document reformatted by another tool is read whole instead.

A plain JSON list of interactions (`partnerdesk export --what interactions --format json`, or
`partnerdesk list --format json`) is read as rows instead, matched by vendor and contact name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import SUMMARY_MAX, FollowUp
from partnerdesk.domain.validation import (
    check_acquirer,
    check_day,
    check_moment,
    clean_line,
    clean_name,
    clean_text,
)
from partnerdesk.domain.vocab import Channel, Direction, EventKind, FollowUpOwner, Role, Source, Tag
from partnerdesk.services.exports import (
    DOCUMENT_FORMAT,
    DOCUMENT_VERSION,
    LEDGER_SECTIONS,
    SECTIONS,
)
from partnerdesk.services.importers import limits
from partnerdesk.services.importers.common import Found, Person, ReadProblem, short, stable_hash
from partnerdesk.services.importers.model import (
    ImportFailed,
    ImportPlan,
    PlannedContact,
    PlannedInteraction,
    Skipped,
    SkipReason,
)
from partnerdesk.services.importers.spill import Spill
from partnerdesk.store.interactions import bulk_insert, optimize_search_index
from partnerdesk.store.timecodec import now_epoch

_raw_decode = json.JSONDecoder().raw_decode
_SECTION = re.compile(r'^  "(\w+)": \[(\]?),?\s*$')
_QA_TABLES = {"questions": "question", "answers": "answer"}  # partnership questions, schema v2 on
BATCH = 50_000


class _NotOurLayout(Exception):
    pass


# -- reading -------------------------------------------------------------------------------------
def _stream_lines(path: Path) -> Iterator[tuple[str, Any]]:
    """('header', dict) once the header is read, then (section, item) per record line."""
    header: dict[str, Any] = {}
    section: str | None = None
    header_sent = False
    with open(path, encoding="utf-8-sig") as fh:
        first = fh.readline()
        if first.strip() != "{":
            raise _NotOurLayout
        for line in fh:
            if section is None:
                m = _SECTION.match(line)
                if m:
                    if not header_sent:
                        yield "header", header
                        header_sent = True
                    if not m.group(2):
                        section = m.group(1)
                    continue
                if line.strip() == "}":
                    break
                if not line.startswith("  \"") or header_sent:
                    raise _NotOurLayout
                try:
                    header.update(json.loads("{" + line.strip().rstrip(",") + "}"))
                except ValueError:
                    raise _NotOurLayout from None
                continue
            stripped = line.strip()
            if stripped[-1:] == ",":
                stripped = stripped[:-1]
            if stripped[:1] != "{" or stripped[-1:] != "}" or line[:1] != " ":
                if stripped in ("]", "],") or line.strip() in ("]", "],"):
                    section = None
                    continue
                raise _NotOurLayout
            try:
                item, end = _raw_decode(stripped)
            except ValueError:
                raise _NotOurLayout from None
            if end != len(stripped):
                raise _NotOurLayout
            yield section, item
        else:
            raise _NotOurLayout  # no closing brace: cut short
    if not header_sent:
        yield "header", header


def _load_whole(path: Path) -> Any:
    size = path.stat().st_size
    if size > limits.JSON_WHOLE_BYTES_MAX:
        # json.load holds ~10 bytes of objects per byte of text: a 1 GB file needs 10 GB.
        raise ImportFailed(
            f"{path} is {limits.megabytes(size)} of JSON that is not laid out one record per "
            f"line as partnerdesk writes it; such a file is read whole, up to "
            f"{limits.megabytes(limits.JSON_WHOLE_BYTES_MAX)}. Export it again from partnerdesk "
            "(export --format json), or split it.")
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except UnicodeDecodeError:
        raise ImportFailed(f"{path} is not UTF-8 text, so not a partnerdesk JSON export.") from None
    except (ValueError, RecursionError) as exc:
        raise ImportFailed(f"{path} is not valid JSON ({short(str(exc), 80)}).") from None


def _whole_items(doc: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    yield "header", {k: v for k, v in doc.items() if k not in SECTIONS}
    for name in SECTIONS:
        items = doc.get(name, [])
        if not isinstance(items, list):
            raise ImportFailed(f"the document's '{name}' is not a list; it is not a partnerdesk export.")
        for item in items:
            yield name, item


def kind_of(path: Path) -> str:
    """'document' (a whole-journal export) or 'list' (a JSON list of interactions)."""
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "list"
    if head.startswith(b"{"):
        return "document"
    raise ImportFailed(f"{path} is not a partnerdesk JSON export (it does not start with {{ or [).")


def read_document(path: Path) -> Iterator[tuple[str, Any]]:
    """The document's records in file order, streamed when it has partnerdesk's own layout."""
    try:
        stream = _stream_lines(path)
        yield from _checked(path, stream)
        return
    except _NotOurLayout:
        pass
    except UnicodeDecodeError:
        raise ImportFailed(f"{path} is not UTF-8 text, so not a partnerdesk JSON export.") from None
    raise _Restart


class _Restart(Exception):
    """The line reader gave up part-way: read the whole document instead (the caller restarts)."""


def read_document_whole(path: Path) -> Iterator[tuple[str, Any]]:
    doc = _load_whole(path)
    if not isinstance(doc, dict):
        raise ImportFailed(f"{path} is not a partnerdesk journal export.")
    yield from _checked(path, _whole_items(doc))


def _checked(path: Path, items: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    for section, item in items:
        if section == "header":
            if item.get("format") != DOCUMENT_FORMAT:
                raise ImportFailed(f"{path} is JSON but not a partnerdesk journal export "
                                   f"(no \"format\": \"{DOCUMENT_FORMAT}\").")
            version = item.get("version")
            if not isinstance(version, int) or version < 1:
                raise ImportFailed(f"{path} has no readable document version.")
            if version > DOCUMENT_VERSION:
                raise ImportFailed(f"{path} was written by a newer partnerdesk (document version {version}); "
                                   "update partnerdesk to import it.")
        yield section, item


# -- checking one record -----------------------------------------------------------------------------
_LAST_EPOCH: list[Any] = [None, None]  # created_at and updated_at often repeat occurred_at


def _epoch(value: Any, what: str, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if value == _LAST_EPOCH[0] and value is not None:
        return _LAST_EPOCH[1]  # type: ignore[no-any-return]
    if not isinstance(value, str):
        raise ValueError(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} '{short(value, 30)}' is not a time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    _domain_rule(check_moment, moment, what)  # year 1 or 9999 imported, then reports failed
    epoch = int(moment.timestamp())
    _LAST_EPOCH[0], _LAST_EPOCH[1] = value, epoch
    return epoch


def _day(value: Any, what: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a date")
    try:
        if len(value) != 10:
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} '{short(value, 20)}' is not a date (YYYY-MM-DD)") from None
    return _domain_rule(check_day, day, what).isoformat()


def _domain_rule(check: Callable[..., Any], value: Any, what: str) -> Any:
    """The rule typed input obeys (domain.validation), as the ValueError a record is skipped for."""
    try:
        return check(value, what)
    except InvalidInput as exc:
        raise ValueError(str(exc).rstrip(".")) from None


def _id(item: dict[str, Any], key: str = "id", required: bool = True) -> int | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value < 2**63:
        raise ValueError(f"{key} is missing or not a whole number")
    return value


def _str(item: dict[str, Any], key: str, default: str = "") -> str:
    value = item.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def _choice(value: Any, allowed: set[str], what: str, default: str | None = None) -> str:
    if value is None and default is not None:
        return default
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{what} '{short(str(value), 20)}' is not one of {', '.join(sorted(allowed))}")
    return str(value)


_TAGS = {t.value for t in Tag}
_DIRS = {d.value for d in Direction}
_CHANNELS = {c.value for c in Channel}
_ROLES = {r.value for r in Role}
_KINDS = {k.value for k in EventKind}
_OWNERS = {o.value for o in FollowUpOwner}
_SOURCES = {s.value for s in Source}


def _vendor_row(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    name = _domain_rule(clean_name, _str(item, "name"), "vendor")
    domains = item.get("domains") or []
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise ValueError("domains is not a list of text")
    now = now_epoch()
    return {"id": _id(item), "name": name, "programme": _str(item, "programme"), "tier": _str(item, "tier"),
            "notes": clean_text(_str(item, "notes")), "archived": 1 if item.get("archived") else 0,
            "domains": [d.strip().lower() for d in domains if d.strip()],
            "acquirer_id": _id(item, "acquirer_id", required=False),
            "acquired_on": _day(item.get("acquired_on"), "acquired_on"),
            "created_at": _epoch(item.get("created_at"), "created_at", False) or now,
            "updated_at": _epoch(item.get("updated_at"), "updated_at", False) or now}


def _contact_row(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    name = _domain_rule(clean_name, _str(item, "name"), "contact")
    now = now_epoch()
    return {"id": _id(item), "vendor_id": _id(item, "vendor_id"), "name": name,
            "role": _choice(item.get("role"), _ROLES, "role", "other"), "email": _str(item, "email"),
            "phone": _str(item, "phone"), "active_from": _day(item.get("active_from"), "active_from"),
            "active_to": _day(item.get("active_to"), "active_to"),
            "created_at": _epoch(item.get("created_at"), "created_at", False) or now,
            "updated_at": _epoch(item.get("updated_at"), "updated_at", False) or now}


def _event_row(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    on = _day(item.get("on"), "on")
    if on is None:
        raise ValueError("it has no date")
    text = clean_line(_str(item, "text"))
    return {"id": _id(item), "vendor_id": _id(item, "vendor_id"), "on": on,
            "kind": _choice(item.get("kind"), _KINDS, "kind", "other"), "text": text,
            "created_at": _epoch(item.get("created_at"), "created_at", False) or now_epoch()}


def _interaction_row(item: Any) -> tuple[Any, ...]:
    if type(item) is not dict:
        raise ValueError("it is not an object")
    get = item.get
    summary = get("summary")
    if type(summary) is not str or not summary.strip() or len(summary) > SUMMARY_MAX or not summary.isprintable():
        summary = clean_line(_str(item, "summary"))
        if not summary:
            raise ValueError("it has no summary")
        if len(summary) > SUMMARY_MAX:
            raise ValueError("its summary is longer than one line")
    quality = get("quality")
    if quality is not None and (type(quality) is not int or not 1 <= quality <= 5):
        raise ValueError("quality is not 1 to 5")
    topics = get("topics") or []
    if type(topics) is not list or (topics and not all(type(t) is str for t in topics)):
        raise ValueError("topics is not a list of text")
    contact_ids = get("contact_ids") or []
    if type(contact_ids) is not list or (contact_ids and not all(type(c) is int for c in contact_ids)):
        raise ValueError("contact_ids is not a list of ids")
    fu = item.get("follow_up")
    fu_row: tuple[Any, ...] = (None, "", None, None)
    if fu is not None:
        if not isinstance(fu, dict):
            raise ValueError("follow_up is not an object")
        due = _day(fu.get("due"), "follow_up.due")
        if due is not None:
            fu_row = (due, clean_line(_str(fu, "what")), _choice(fu.get("owner"), _OWNERS, "owner", "me"),
                      _epoch(fu.get("done_at"), "follow_up.done_at", False))
    source_id = get("source_id")
    if source_id is not None and type(source_id) is not str:
        raise ValueError("source_id is not text")
    occurred = _epoch(get("occurred_at"), "occurred_at")
    now = now_epoch()
    channel, direction, tag, source = get("channel"), get("direction"), get("tag"), get("source")
    if type(channel) is not str or channel not in _CHANNELS:
        channel = _choice(channel, _CHANNELS, "channel", "other")
    if type(direction) is not str or direction not in _DIRS:
        direction = _choice(direction, _DIRS, "direction", "out")
    if type(tag) is not str or tag not in _TAGS:
        tag = _choice(tag, _TAGS, "tag")
    if type(source) is not str or source not in _SOURCES:
        source = _choice(source, _SOURCES, "source", "manual")
    notes = get("notes")
    notes = clean_text(notes) if type(notes) is str else clean_text(_str(item, "notes"))
    # A tuple, not a dict: a million of these go through the spill (see the I_ indices).
    return (_id(item), _id(item, "vendor_id"), occurred, channel, direction, tag, quality, summary, notes,
            "\n".join(topics), tuple(contact_ids), fu_row, source, source_id,
            _epoch(get("created_at"), "created_at", False) or now,
            _epoch(get("updated_at"), "updated_at", False) or now)


(I_ID, I_VENDOR, I_AT, I_CHANNEL, I_DIR, I_TAG, I_QUALITY, I_SUMMARY, I_NOTES, I_TOPICS, I_CONTACTS, I_FU,
 I_SOURCE, I_SOURCE_ID, I_CREATED, I_UPDATED) = range(16)


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "vendors": _vendor_row, "contacts": _contact_row, "events": _event_row,
    "interactions": _interaction_row, "action_items": lambda item: _check_action_item(item)}


def _ledger_record(item: Any) -> dict[str, Any]:
    # Checked field by field when imported (ledger_serialize, the rules typed records obey).
    if not isinstance(item, dict):
        raise ValueError("it is not an object")
    return item


_CHECKS.update(dict.fromkeys(LEDGER_SECTIONS, _ledger_record))


def _check_action_item(item: Any) -> dict[str, Any]:
    from partnerdesk.services.action_item_io import check_record

    return check_record(item)


# -- planning and writing ----------------------------------------------------------------------------
def journal_is_empty(conn: Any) -> bool:
    """No vendors, contacts, events, interactions or answers (the standard questions every new
    journal starts with do not count)."""
    tables = ["vendor", "contact", "vendor_event", "interaction"]
    if _has_table(conn, "answer"):
        tables.append("answer")
    if any(conn.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {t})").scalar() for t in tables):
        return False
    if _has_table(conn, "question"):
        return not conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM question WHERE vendor_id IS NOT NULL)").scalar()
    return True


def _has_table(conn: Any, name: str) -> bool:
    return bool(conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).scalar())


class DocumentImport:
    """One pass over a document: decides, for each record, whether it is added and under what id.

    With `write=False` (the preview) nothing is written and new records get provisional ids;
    with `write=True` the same decisions are carried out on `conn`, inside the caller's transaction.
    """

    def __init__(self, conn: Any, path: Path, plan: ImportPlan, write: bool, preview_limit: int,
                 skipped_limit: int, spill: Spill | None = None):
        self.spill = spill
        self.conn = conn
        self.path = path
        self.plan = plan
        self.write = write
        self.preview_limit = preview_limit
        self.skipped_limit = skipped_limit
        self.restore = journal_is_empty(conn)
        self.counts = {"vendors": 0, "contacts": 0, "events": 0, "questions": 0, "answers": 0,
                       "interactions": 0, "action_items": 0, **dict.fromkeys(LEDGER_SECTIONS, 0)}
        self._ledger: dict[str, list[dict[str, Any]]] = {s: [] for s in LEDGER_SECTIONS}
        self.interaction_map: dict[int, int] = {}  # document id -> journal id (a merge's only)
        self.vendor_map: dict[int, int] = {}  # document id -> journal id
        self.vendor_names: dict[int, str] = {}  # journal id -> name
        self.contact_map: dict[int, int] = {}
        self.contact_names: dict[int, str] = {}
        self.acquirers: list[tuple[int, int, str | None]] = []  # (vendor, document acquirer id, on)
        self._provisional = -1
        self._seen_ids: dict[str, set[int]] = {s: set() for s in SECTIONS}
        self._rows: list[tuple[Any, ...]] = []
        self._links: list[tuple[int, int]] = []
        self._people_of_vendor: dict[int, str] = {}
        self._next_interaction = 0
        self._keys: set[int] | None = None
        self.question_map: dict[int, int] = {}
        self._questions: dict[tuple[int | None, str], int] | None = None
        self._answer_keys: set[tuple[Any, ...]] = set()
        if not self.restore:
            for vid, name in conn.exec_driver_sql("SELECT id, name FROM vendor"):
                self.vendor_names[vid] = name
            self._vendor_by_name = {n.casefold(): vid for vid, n in self.vendor_names.items()}
            self._domains = {d for (d,) in conn.exec_driver_sql("SELECT domain FROM vendor_domain")}
            self._contacts_by_key = {(v, n.casefold()): cid for cid, v, n in conn.exec_driver_sql(
                "SELECT id, vendor_id, name FROM contact")}
            self._event_keys = {tuple(r) for r in conn.exec_driver_sql(
                "SELECT vendor_id, occurred_on, kind, text FROM vendor_event")}
        else:
            self._domains = set()
            self._vendor_by_name = {}
            self._contacts_by_key = {}

    # -- bookkeeping ---------------------------------------------------------------------------
    def skip(self, reason: SkipReason, what: str, detail: str = "") -> None:
        counts = self.plan.skipped_counts
        counts[reason] = counts.get(reason, 0) + 1
        if len(self.plan.skipped) < self.skipped_limit:
            self.plan.skipped.append(Skipped(reason, what, detail, str(self.path)))

    def _new_id(self) -> int:
        self._provisional -= 1
        return self._provisional

    def _first_time(self, section: str, doc_id: int, what: str) -> bool:
        seen = self._seen_ids[section]
        if doc_id in seen:
            self.skip(SkipReason.BROKEN, what, f"id {doc_id} appears twice in the document")
            return False
        seen.add(doc_id)
        return True

    # -- sections ------------------------------------------------------------------------------
    def take(self, section: str, item: Any, n: int) -> None:
        """A record from the file: checked, kept in the spill (the preview), then decided on."""
        what = f"{section[:-1]} {n}"
        try:
            if section in _QA_TABLES:
                row = self._check_qa(section, item)
            else:
                check = _CHECKS.get(section)
                if check is None:
                    return  # a section this version does not know: ignored
                row = check(item)
        except ValueError as exc:
            self.skip(SkipReason.BROKEN, what, str(exc))
            return
        if self.spill is not None:
            self.spill.add((section, row, what))
        self.take_row(section, row, what)

    def take_row(self, section: str, row: dict[str, Any], what: str) -> None:
        """A checked record (from the file, or from the preview's spill when applying)."""
        if section in self._ledger:  # imported together once the rest is in (see finish)
            self._ledger[section].append(row)
            return
        if not self._first_time(section, row[I_ID] if isinstance(row, tuple) else row["id"], what):
            return
        getattr(self, f"_{section}_" if section in _QA_TABLES else f"_{section}")(row, what)

    def _vendors(self, row: dict[str, Any], what: str) -> None:
        doc_id = row["id"]
        existing = self._vendor_by_name.get(row["name"].casefold())
        if existing is not None:
            self.vendor_map[doc_id] = existing
            if self.restore:  # the journal keeps one vendor per name, whatever its case
                self.skip(SkipReason.DUPLICATE, what, f"its name differs from '{self.vendor_names[existing]}' "
                          "only in case; its records go to that vendor")
            return
        domains = [d for d in dict.fromkeys(row["domains"]) if d not in self._domains]
        self._domains.update(domains)
        new_id = doc_id if self.restore else self._new_id()
        if self.write:
            cur = self.conn.exec_driver_sql(
                "INSERT INTO vendor (id, name, programme, tier, notes, archived, acquirer_id, acquired_on,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,NULL,NULL,?,?)",
                (doc_id if self.restore else None, row["name"], row["programme"], row["tier"], row["notes"],
                 row["archived"], row["created_at"], row["updated_at"]))
            new_id = doc_id if self.restore else int(cur.lastrowid)
            if domains:
                self.conn.exec_driver_sql("INSERT INTO vendor_domain VALUES (?, ?)",
                                          [(d, new_id) for d in domains])
        self.vendor_map[doc_id] = new_id
        self.vendor_names[new_id] = row["name"]
        self._vendor_by_name[row["name"].casefold()] = new_id
        if row["acquirer_id"] is not None:
            self.acquirers.append((new_id, row["acquirer_id"], row["acquired_on"]))
        self.counts["vendors"] += 1

    def _finish_vendors(self) -> None:
        """Acquisitions, once every vendor is known: each obeys the rule typed ones do (no vendor
        acquired by itself, no cycle); one that breaks it is skipped and said, in the preview too."""
        parents: dict[int, int] = {}
        if not self.restore:
            parents = {v: a for v, a in self.conn.exec_driver_sql(
                "SELECT id, acquirer_id FROM vendor WHERE acquirer_id IS NOT NULL")}
        for vid, doc_acquirer, on in self.acquirers:
            acquirer = self.vendor_map.get(doc_acquirer)
            if acquirer is None:
                continue
            try:
                check_acquirer(vid, acquirer, parents.get)
            except InvalidInput as exc:
                self.skip(SkipReason.BROKEN, f"the acquisition of {self.vendor_names.get(vid, vid)}",
                          str(exc).split(";")[0])
                continue
            parents[vid] = acquirer
            if self.write:
                self.conn.exec_driver_sql("UPDATE vendor SET acquirer_id = ?, acquired_on = ? WHERE id = ?",
                                          (acquirer, on, vid))
        self.acquirers.clear()

    def _contacts(self, row: dict[str, Any], what: str) -> None:
        vendor = self.vendor_map.get(row["vendor_id"])
        if vendor is None:
            self.skip(SkipReason.BROKEN, what, f"its vendor #{row['vendor_id']} is not in the document")
            return
        doc_id = row["id"]
        key = (vendor, row["name"].casefold())
        existing = self._contacts_by_key.get(key)
        if existing is not None:
            self.contact_map[doc_id] = existing
            self.contact_names[existing] = row["name"]
            if self.restore:
                self.skip(SkipReason.DUPLICATE, what, "its name differs from another contact of the vendor "
                          "only in case; its interactions go to that contact")
            return
        new_id = doc_id if self.restore else self._new_id()
        if self.write:
            cur = self.conn.exec_driver_sql(
                "INSERT INTO contact (id, vendor_id, name, role, email, phone, active_from, active_to,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (doc_id if self.restore else None, vendor, row["name"], row["role"], row["email"], row["phone"],
                 row["active_from"], row["active_to"], row["created_at"], row["updated_at"]))
            new_id = doc_id if self.restore else int(cur.lastrowid)
        self._contacts_by_key[(vendor, row["name"].casefold())] = new_id
        self.contact_map[doc_id] = new_id
        self.contact_names[new_id] = row["name"]
        self.counts["contacts"] += 1
        if len(self.plan.new_contacts) < self.preview_limit:
            self.plan.new_contacts.append(PlannedContact(
                vendor=self.vendor_names.get(vendor, ""), vendor_id=vendor, name=row["name"],
                email=row["email"], phone=row["phone"], role=Role(row["role"]), what=what))

    def _events(self, row: dict[str, Any], what: str) -> None:
        vendor = self.vendor_map.get(row["vendor_id"])
        if vendor is None:
            self.skip(SkipReason.BROKEN, what, f"its vendor #{row['vendor_id']} is not in the document")
            return
        if not self.restore:
            key = (vendor, row["on"], row["kind"], row["text"])
            if key in self._event_keys:
                self.skip(SkipReason.DUPLICATE, what, "the vendor already has this event")
                return
            self._event_keys.add(key)
        if self.write:
            self.conn.exec_driver_sql(
                "INSERT INTO vendor_event (id, vendor_id, occurred_on, kind, text, created_at)"
                " VALUES (?,?,?,?,?,?)",
                (row["id"] if self.restore else None, vendor, row["on"], row["kind"], row["text"],
                 row["created_at"]))
        self.counts["events"] += 1

    def _check_qa(self, section: str, item: Any) -> dict[str, Any]:
        if not _has_table(self.conn, "question"):
            raise ValueError("this journal predates partnership questions; open it once with this "
                             "partnerdesk to upgrade it")
        if not isinstance(item, dict):
            raise ValueError("it is not an object")
        text = clean_text(_str(item, "text")).strip()
        if not text:
            raise ValueError("it has no text")
        row = {"id": _id(item), "text": text,
               "created_at": _epoch(item.get("created_at"), "created_at", False) or now_epoch()}
        if section == "questions":
            position = item.get("position")
            if not isinstance(position, int) or isinstance(position, bool):
                raise ValueError("position is not a whole number")
            row.update(vendor_id=_id(item, "vendor_id", required=False), position=position)
        else:
            answered_on = _day(item.get("answered_on"), "answered_on")
            if answered_on is None:
                raise ValueError("it has no date")
            row.update(question_id=_id(item, "question_id"), vendor_id=_id(item, "vendor_id"),
                       answered_on=answered_on)
        return row

    def _qa_state(self) -> None:
        if self._questions is not None:
            return
        self._questions = {}
        self._answer_keys = set()
        if self.restore:
            if self.write:  # the standard questions a new journal starts with give way to the document's
                self.conn.exec_driver_sql("DELETE FROM question WHERE vendor_id IS NULL AND id NOT IN "
                                          "(SELECT question_id FROM answer)")
            return
        for qid, vid, text in self.conn.exec_driver_sql("SELECT id, vendor_id, text FROM question"):
            self._questions[(vid, text.casefold())] = qid
        self._answer_keys = {tuple(r) for r in self.conn.exec_driver_sql(
            "SELECT question_id, vendor_id, answered_on, text FROM answer")}

    def _questions_(self, row: dict[str, Any], what: str) -> None:
        self._question(row["id"], row["vendor_id"], row["text"], row["position"], row["created_at"], what)

    def _answers_(self, row: dict[str, Any], what: str) -> None:
        self._answer(row["id"], row["question_id"], row["vendor_id"], row["answered_on"], row["text"],
                     row["created_at"], what)

    def _question(self, doc_id: int, doc_vendor: int | None, text: str, position: int, created: int,
                  what: str) -> None:
        self._qa_state()
        vendor = None
        if doc_vendor is not None:
            vendor = self.vendor_map.get(doc_vendor)
            if vendor is None:
                self.skip(SkipReason.BROKEN, what, f"its vendor #{doc_vendor} is not in the document")
                return
        if not self.restore:
            assert self._questions is not None
            existing = self._questions.get((vendor, text.casefold()))
            if existing is not None:
                self.question_map[doc_id] = existing
                return
        new_id = doc_id if self.restore else self._new_id()
        if self.write:
            cur = self.conn.exec_driver_sql(
                "INSERT INTO question (id, vendor_id, text, position, created_at) VALUES (?,?,?,?,?)",
                (doc_id if self.restore else None, vendor, text, position, created))
            new_id = doc_id if self.restore else int(cur.lastrowid)
        if self._questions is not None and not self.restore:
            self._questions[(vendor, text.casefold())] = new_id
        self.question_map[doc_id] = new_id
        self.counts["questions"] += 1

    def _answer(self, doc_id: int, doc_question: int | None, doc_vendor: int | None, answered_on: str,
                text: str, created: int, what: str) -> None:
        self._qa_state()
        question = self.question_map.get(doc_question or 0)
        vendor = self.vendor_map.get(doc_vendor or 0)
        if question is None or vendor is None:
            self.skip(SkipReason.BROKEN, what, "its question or vendor is not in the document")
            return
        key = (question, vendor, answered_on, text)
        if key in self._answer_keys:
            self.skip(SkipReason.DUPLICATE, what, "the vendor already has this answer")
            return
        self._answer_keys.add(key)
        if self.write:
            self.conn.exec_driver_sql(
                "INSERT INTO answer (id, question_id, vendor_id, answered_on, text, created_at)"
                " VALUES (?,?,?,?,?,?)", (doc_id if self.restore else None, question, vendor, answered_on, text,
                                          created))
        self.counts["answers"] += 1

    def _action_items(self, row: dict[str, Any], what: str) -> None:
        from partnerdesk.services.action_item_io import take

        take(self, row, what)

    def _load_keys(self) -> set[int]:
        keys: set[int] = set()
        if not self.restore:
            for source, sid, vid, at, summary in self.conn.exec_driver_sql(
                    "SELECT source, source_id, vendor_id, occurred_at, summary FROM interaction"):
                keys.add(hash((source, sid)) if sid is not None else hash((vid, at, summary)))
            self._next_interaction = int(self.conn.exec_driver_sql(
                "SELECT coalesce(max(id), 0) FROM interaction").scalar_one())
        return keys

    def _interactions(self, row: tuple[Any, ...], what: str) -> None:
        if self._keys is None:
            self._keys = self._load_keys()
            self._finish_vendors()
        vendor = self.vendor_map.get(row[I_VENDOR])
        if vendor is None:
            self.skip(SkipReason.BROKEN, self._label(row, what),
                      f"its vendor #{row[I_VENDOR]} is not in the document")
            return
        source_id = row[I_SOURCE_ID]
        key = (hash((row[I_SOURCE], source_id)) if source_id is not None
               else hash((vendor, row[I_AT], row[I_SUMMARY])))
        if key in self._keys:
            self.skip(SkipReason.DUPLICATE, self._label(row, what), "already in the journal" if not self.restore
                      else "it appears twice in the document")
            return
        if source_id is not None or not self.restore:
            self._keys.add(key)
        contact_map = self.contact_map
        doc_contacts = row[I_CONTACTS]
        if len(doc_contacts) == 1:  # the common case, without the general path's overhead
            only = contact_map.get(doc_contacts[0])
            contacts = [only] if only is not None else []
        else:
            contacts = [contact_map[c] for c in dict.fromkeys(doc_contacts) if c in contact_map]
        if self.restore:
            new_id = row[I_ID]
        else:
            self._next_interaction += 1
            new_id = self._next_interaction
            self.interaction_map[row[I_ID]] = new_id
        self.counts["interactions"] += 1
        plan = self.plan
        if len(plan.added) < self.preview_limit:
            plan.added.append(PlannedInteraction(
                vendor=self.vendor_names.get(vendor, ""), occurred_at=datetime.fromtimestamp(row[I_AT], UTC),
                summary=row[I_SUMMARY], tag=Tag(row[I_TAG]), channel=Channel(row[I_CHANNEL]),
                direction=Direction(row[I_DIR]),
                contacts=tuple(self.contact_names.get(c, "") for c in contacts),
                source=Source(row[I_SOURCE]), source_id=source_id or "", what=self._label(row, what),
                path=str(self.path)))
        if not self.write:
            return
        people = self._people_of_vendor.get(vendor)
        if people is None:
            people = self._people_of_vendor[vendor] = str(self.conn.exec_driver_sql(
                "SELECT v.name || coalesce(' ' || a.name, '') FROM vendor v"
                " LEFT JOIN vendor a ON a.id = v.acquirer_id WHERE v.id = ?", (vendor,)).scalar_one())
        if len(contacts) == 1:
            people = people + " " + self.contact_names.get(contacts[0], "")
            self._links.append((new_id, contacts[0]))
        elif contacts:
            people = " ".join([people, *(self.contact_names.get(c, "") for c in contacts)])
            self._links.extend((new_id, c) for c in contacts)
        fu = row[I_FU]
        self._rows.append((new_id, vendor, row[I_AT], row[I_CHANNEL], row[I_DIR], row[I_TAG], row[I_QUALITY],
                           row[I_SUMMARY], row[I_NOTES], row[I_TOPICS], people, fu[0], fu[1], fu[2], fu[3],
                           row[I_SOURCE], source_id, row[I_CREATED], row[I_UPDATED]))
        if len(self._rows) >= BATCH:
            self._flush()

    @staticmethod
    def _label(row: tuple[Any, ...], what: str) -> str:
        return f"{what} '{short(row[I_SUMMARY], 50)}'"

    def _flush(self) -> None:
        if self._rows:
            self._rows.sort(key=lambda r: r[0])
            bulk_insert(self.conn, self._rows)
            self._rows = []
        if self._links:
            self.conn.exec_driver_sql("INSERT OR IGNORE INTO interaction_contact VALUES (?, ?)", self._links)
            self._links = []

    def finish(self) -> dict[str, int]:
        self._finish_vendors()
        if self.write:
            self._flush()
            if self.counts["interactions"] >= 2000:
                optimize_search_index(self.conn)
            self._import_ledger()
        elif any(self._ledger.values()):
            from partnerdesk.services.ledger_io import new_record_counts

            def vendor_id(name: Any) -> int | None:
                vid = self._vendor_by_name.get(name.casefold()) if isinstance(name, str) else None
                return vid if vid is not None and vid > 0 else None  # < 0: new in this import

            self.counts.update(new_record_counts(self.conn, self._ledger, vendor_id))
        return dict(self.counts)

    def _import_ledger(self) -> None:
        """The ledger's records through the ledger's own import (ledger_io), which matches their
        vendors by name, keeps their ids in an empty journal and skips those already present.
        A merge's registrations link to the interactions as this import numbered them."""
        if not any(self._ledger.values()):
            return
        from partnerdesk.services.ledger_io import DOCUMENT_FORMAT as LEDGER_FORMAT
        from partnerdesk.services.ledger_io import LedgerImport, import_document

        regs = self._ledger["registrations"]
        if not self.restore:
            regs = [{**r, "interaction_ids": [self.interaction_map[i] for i in r["interaction_ids"]
                                              if i in self.interaction_map]}
                    if isinstance(r.get("interaction_ids"), list) else r for r in regs]
        result = LedgerImport(str(self.path), "ledger json")
        # Tier changes also set the vendor's programme, tier and updated_at; a restore keeps the
        # vendor rows exactly as the document has them (else the round trip differs).
        vendors = self.conn.exec_driver_sql(
            "SELECT programme, tier, updated_at, id FROM vendor").all() if self.restore else []
        import_document(self.conn, {"format": LEDGER_FORMAT, **self._ledger, "registrations": regs},
                        result)
        if vendors:
            self.conn.exec_driver_sql(
                "UPDATE vendor SET programme = ?, tier = ?, updated_at = ? WHERE id = ?",
                [tuple(v) for v in vendors])
        for section in LEDGER_SECTIONS:
            self.counts[section] = result.added.get(section, 0)
        for line in result.skipped:
            what, _, why = line.partition(": ")
            self.skip(SkipReason.BROKEN, what, why)
        for _ in range(result.duplicates):
            self.skip(SkipReason.DUPLICATE, "a ledger record", "already in the journal")


def run_document(conn: Any, path: Path, plan: ImportPlan, write: bool, preview_limit: int,
                 skipped_limit: int, tick: Callable[[int], None] | None = None,
                 records: Spill | None = None) -> DocumentImport:
    """Take the document's records through a DocumentImport.

    Previewing (records None), the file is read, one record per line when it has partnerdesk's own
    layout, else whole (restarting: the preview is rebuilt, nothing was written), and the checked
    records go to plan._spill. Applying, `records` is that spill: nothing is parsed again.
    """
    if records is not None:
        job = DocumentImport(conn, path, plan, write, preview_limit, skipped_limit)
        for done, (section, row, what) in enumerate(records, 1):
            job.take_row(section, row, what)
            if tick and done % 5000 == 0:
                tick(done)
        job.finish()
        return job
    for reader in (read_document, read_document_whole):
        spill = Spill()
        job = DocumentImport(conn, path, plan, write, preview_limit, skipped_limit, spill)
        plan.added.clear()
        plan.skipped.clear()
        plan.skipped_counts.clear()
        plan.new_contacts.clear()
        numbers = {s: 0 for s in SECTIONS}
        try:
            done = 0
            for section, item in reader(path):
                if section == "header":
                    continue
                numbers[section] = numbers.get(section, 0) + 1
                job.take(section, item, numbers[section])
                done += 1
                if tick and done % 5000 == 0:
                    tick(done)
        except _Restart:
            spill.close()
            continue
        except BaseException:
            spill.close()
            raise
        job.finish()
        plan._spill = spill
        return job
    raise ImportFailed(f"{path} cannot be read as a partnerdesk journal export.")


# -- a JSON list of interactions (the 'list'/'export --what interactions' shape) ---------------------
def read_interaction_list(path: Path, dates: Any) -> Iterator[Found | ReadProblem]:
    data = _load_whole(path)
    if not isinstance(data, list):
        raise ImportFailed(f"{path} is not a list of interactions.")
    for n, item in enumerate(data, 1):
        what = f"item {n}"
        if not isinstance(item, dict):
            yield ReadProblem(what, "it is not an object", str(path))
            continue
        summary = " ".join(str(item.get("summary") or "").split())
        when = item.get("occurred_at")
        if not summary or not isinstance(when, str):
            yield ReadProblem(what, "it has no summary or no occurred_at", str(path))
            continue
        try:
            moment = dates.parse(when)
        except ValueError as exc:
            yield ReadProblem(what, str(exc), str(path))
            continue
        tag = Tag(item["tag"]) if item.get("tag") in _TAGS else None
        channel = Channel(item["channel"]) if item.get("channel") in _CHANNELS else Channel.OTHER
        direction = Direction(item["direction"]) if item.get("direction") in _DIRS else Direction.OUTBOUND
        contacts = item.get("contacts") or []
        people = tuple(Person(name=str(c)) for c in contacts if isinstance(c, str) and c.strip()) \
            if isinstance(contacts, list) else ()
        topics = tuple(t for t in (item.get("topics") or []) if isinstance(t, str)) \
            if isinstance(item.get("topics"), list) else ()
        quality = item.get("quality") if isinstance(item.get("quality"), int) and 1 <= item["quality"] <= 5 else None
        follow_up = None
        fu = item.get("follow_up")
        if isinstance(fu, dict) and isinstance(fu.get("due"), str):
            try:
                due = check_day(datetime.strptime(fu["due"], "%Y-%m-%d").date())
                owner = FollowUpOwner(fu["owner"]) if fu.get("owner") in _OWNERS else FollowUpOwner.ME
                follow_up = FollowUp(due=due, what=clean_line(str(fu.get("what") or "")), owner=owner)
            except (ValueError, InvalidInput):
                follow_up = None
        source = item.get("source")
        sid = item.get("source_id")
        if source in _SOURCES and source not in ("manual", "json") and isinstance(sid, str) and sid:
            src, source_id = Source(source), sid  # keeps an imported item's identity across journals
        else:
            src = Source.JSON
            source_id = stable_hash(json.dumps({k: v for k, v in item.items() if k != "id"},
                                               sort_keys=True, ensure_ascii=False))
        vendor = item.get("vendor")
        yield Found(occurred_at=moment, summary=summary, source=src, source_id=source_id,
                    what=f"{what} '{short(summary, 50)}'", path=str(path), notes=str(item.get("notes") or ""),
                    channel=channel, direction=direction, tag=tag, people=people,
                    vendor_names=(vendor,) if isinstance(vendor, str) and vendor.strip() else (),
                    topics=topics, quality=quality, follow_up=follow_up)
