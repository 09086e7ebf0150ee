"""Exporting the ledger (CSV per kind, one JSON document) and importing it back, or importing the
registrations and payments a vendor portal exports as CSV.

Imports run in one transaction; a preview is the same run rolled back, so it shows exactly what
the import would do. Importing the same file again adds nothing: portal rows are keyed by the
vendor's registration number or payment reference (else a hash of the row), and a row whose
record changed since (a registration now approved, a payment now paid) updates it.
A ledger JSON file imported into a journal without ledger records keeps every id, so
export → import into an empty journal → export gives the same file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from partnerdesk.domain.currency import CLAWBACK_HINT, parse_amount
from partnerdesk.domain.errors import InvalidInput, NotFound, PartnerdeskError
from partnerdesk.domain.ledger import (
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    validate_money,
    validate_registration,
)
from partnerdesk.domain.validation import clean_line, clean_name
from partnerdesk.services import ledger_serialize as ser
from partnerdesk.store import ledger as store
from partnerdesk.store import programme
from partnerdesk.store.registration_history import histories
from partnerdesk.store.timecodec import now_epoch

DOCUMENT_FORMAT = "partnerdesk-ledger"
DOCUMENT_VERSION = 1
# Written and read in this order: registrations before the money that points at them.
SECTIONS = ("tiers", "benefits", "certifications", "registrations", "money")
PREVIEW_LIMIT = 200
PORTAL_SOURCE = "portal-csv"


# -- export -----------------------------------------------------------------------------------
def ledger_document(conn: Any) -> dict[str, Any]:
    names = store.vendor_names(conn)
    regs = sorted(store.registrations(conn), key=lambda r: r.id or 0)
    if regs and len(regs) > 2000:  # the list skips links on big reads: fetch them all at once
        links: dict[int, list[int]] = {}
        for rid, iid in conn.exec_driver_sql(
                "SELECT registration_id, interaction_id FROM deal_registration_interaction"
                " ORDER BY registration_id, interaction_id"):
            links.setdefault(rid, []).append(iid)
        regs = [replace(r, interaction_ids=tuple(links.get(r.id or 0, ()))) for r in regs]
    history = histories(conn)  # every registration's status history, in one read
    return {
        "format": DOCUMENT_FORMAT, "version": DOCUMENT_VERSION,
        "tiers": [ser.tier_dict(t, names[t.vendor_id]) for t in
                  sorted(programme.tier_history(conn), key=lambda t: t.id or 0)],
        "benefits": [ser.benefit_dict(b, names[b.vendor_id]) for b in
                     sorted(programme.benefits(conn), key=lambda b: b.id or 0)],
        "certifications": [ser.cert_dict(c, names[c.vendor_id]) for c in
                           sorted(programme.certifications(conn), key=lambda c: c.id or 0)],
        "registrations": [{**ser.registration_dict(r, names[r.vendor_id]),
                           "history": ser.history_list(history.get(r.id or 0, ()))}
                          for r in regs],
        "money": [ser.money_dict(m, names[m.vendor_id]) for m in
                  sorted(store.money_items(conn), key=lambda m: m.id or 0)],
    }


_CSV_KINDS = {"registrations": ("registrations", ser.REGISTRATION_COLUMNS),
              "money": ("money", ser.MONEY_COLUMNS), "tiers": ("tiers", ser.TIER_COLUMNS),
              "certifications": ("certifications", ser.CERT_COLUMNS)}


def export_ledger(journal: Any, output: str, what: str = "all", fmt: str = "json") -> str:
    """Write the ledger (or one kind of record) to `output` ('-' for standard output); returns
    a one-line summary. The file appears only once completely written."""
    from partnerdesk.services.exports import atomic_text

    if fmt == "csv" and what == "all":
        raise InvalidInput("A CSV file holds one kind of record; choose registrations, money, "
                           "tiers or certifications (or export all of them as JSON).")
    with journal.reading() as conn:
        doc = ledger_document(conn)
    if what != "all":
        section, columns = _CSV_KINDS[what]
        doc = {"format": DOCUMENT_FORMAT, "version": DOCUMENT_VERSION, section: doc[section]}
    with atomic_text(output) as fh:
        if fmt == "json":
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        else:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in doc[section]:
                flat = ser.flat(row)
                writer.writerow([_csv_cell(flat.get(c)) for c in columns])
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
    parts = [_count(n, k) for k, n in counts.items()]
    return f"Exported {', '.join(parts)} to {'standard output' if output == '-' else output}."


def _count(n: int, section: str) -> str:
    from partnerdesk.services.section_words import count_phrase

    return count_phrase(n, section)


def _one(section: str) -> str:
    return {"money": "money item", "registrations": "registration", "tiers": "tier change",
            "benefits": "benefit", "certifications": "certification"}[section]


def _csv_cell(value: Any) -> Any:
    # A cell a spreadsheet would run as a formula is written with a leading apostrophe.
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# -- import results ---------------------------------------------------------------------------
@dataclass
class LedgerImport:
    path: str
    kind: str  # 'ledger json', 'registrations', 'payments'
    added: dict[str, int] = field(default_factory=dict)
    updated: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)  # "row 4: why"
    new_vendors: list[str] = field(default_factory=list)
    preview: list[str] = field(default_factory=list)
    written: bool = False

    def note(self, line: str) -> None:
        if len(self.preview) < PREVIEW_LIMIT:
            self.preview.append(line)

    def count(self, section: str) -> None:
        self.added[section] = self.added.get(section, 0) + 1

    @property
    def nothing_to_do(self) -> bool:
        return not any(self.added.values()) and not self.updated

    def summary_line(self, *, imported: bool | None = None) -> str:
        """imported=True: the import ran (a preview with nothing new is its whole answer, and
        says 'Imported nothing new', not 'Would import')."""
        verb = "Imported" if (self.written if imported is None else imported) else "Would import"
        parts = [_count(n, k) for k, n in self.added.items() if n]
        text = f"{verb} {', '.join(parts) or 'nothing new'}"
        if self.updated:
            text += f", {'updated' if self.written else 'would update'} {self.updated:,}"
        if self.duplicates:
            text += f"; {self.duplicates:,} already in the journal"
        if self.skipped:
            text += f"; {len(self.skipped):,} skipped"
        return text + f" from {self.path}."


def _one_line(text: str) -> str:
    """A skip reason quotes the file's cells, which may hold line breaks: keep it one line."""
    return " ".join(text.split())


class _Rollback(Exception):
    pass


def import_ledger_file(journal: Any, path: str | Path, *, vendor: str | None = None,
                       kind: str | None = None, day_first: bool = False,
                       write: bool = True) -> LedgerImport:
    """Import a ledger JSON document or a vendor portal CSV; write=False previews only."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file; give the path of the exported file.")
    is_json = path.suffix.lower() == ".json"
    result = LedgerImport(str(path), "ledger json" if is_json else (kind or "csv"))
    try:
        with journal.writing() as conn:
            if is_json:
                _import_json(conn, path, result)
            else:
                _import_csv(conn, path, result, vendor, kind, day_first)
            if not write:
                raise _Rollback
    except _Rollback:
        return result
    result.written = True
    return result


# -- JSON documents ---------------------------------------------------------------------------
def _load(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            doc = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} is not a JSON file partnerdesk can read ({exc}).") from None
    except OSError as exc:
        raise InvalidInput(f"{path} cannot be read ({exc.strerror}).") from None
    if not isinstance(doc, dict) or doc.get("format") != DOCUMENT_FORMAT:
        raise InvalidInput(f"{path} is not a partnerdesk ledger file; export one with: "
                           "partnerdesk ledger export -o FILE.json")
    version = doc.get("version")
    if not isinstance(version, int) or version > DOCUMENT_VERSION:
        raise InvalidInput(f"{path} was written by a newer partnerdesk (ledger format "
                           f"{version}); update partnerdesk to import it.")
    return doc


def _ledger_empty(conn: Any) -> bool:
    return not any(conn.exec_driver_sql(f"SELECT 1 FROM {t} LIMIT 1").all() for t in (
        "deal_registration", "money_owed", "tier_change", "certification", "tier_benefit"))


def _vendor_id(conn: Any, name: Any, result: LedgerImport, cache: dict[str, int]) -> int:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("it names no vendor")
    key = clean_line(name).casefold()
    if key in cache:
        return cache[key]
    try:
        vid = store.find_vendor(conn, name)[0]
    except NotFound:
        clean = clean_name(name, "vendor")
        now = now_epoch()
        vid = int(conn.exec_driver_sql(
            "INSERT INTO vendor (name, created_at, updated_at) VALUES (?, ?, ?)",
            (clean, now, now)).lastrowid)
        result.new_vendors.append(clean)
    cache[key] = vid
    return vid


def _keys(conn: Any) -> dict[str, set[tuple[Any, ...]]]:
    """What is already in the journal, by what makes a record the same one."""
    return {
        "tiers": set(conn.exec_driver_sql(
            "SELECT vendor_id, tier, changed_on FROM tier_change").all()),
        "benefits": set(conn.exec_driver_sql("SELECT vendor_id, text FROM tier_benefit").all()),
        "certifications": set(conn.exec_driver_sql(
            "SELECT vendor_id, holder, name FROM certification").all()),
        "registrations": set(conn.exec_driver_sql(
            "SELECT vendor_id, customer, number, submitted_on FROM deal_registration").all()),
        "money": set(conn.exec_driver_sql(
            "SELECT vendor_id, kind, currency, expected_minor, due_on FROM money_owed").all()),
    }


def _key(section: str, rec: Any) -> tuple[Any, ...]:
    if section == "tiers":
        return (rec.vendor_id, rec.tier, rec.changed_on.isoformat())
    if section == "benefits":
        return (rec.vendor_id, rec.text)
    if section == "certifications":
        return (rec.vendor_id, rec.holder, rec.name)
    if section == "registrations":
        return (rec.vendor_id, rec.customer, rec.number,
                rec.submitted_on.isoformat() if rec.submitted_on else None)
    return (rec.vendor_id, rec.kind.value, rec.currency, rec.expected_minor, rec.due_on.isoformat())


_FROM: dict[str, Callable[[dict[str, Any], int], Any]] = {
    "tiers": ser.tier_from, "benefits": ser.benefit_from,
         "certifications": ser.cert_from, "registrations": ser.registration_from,
         "money": ser.money_from}
_ADD: dict[str, Callable[..., Any]] = {
    "tiers": programme.set_tier, "benefits": programme.add_benefit,
        "certifications": programme.add_certification, "registrations": store.add_registration,
        "money": store.add_money}


def _import_json(conn: Any, path: Path, result: LedgerImport) -> None:
    import_document(conn, _load(path), result)


def import_document(conn: Any, doc: dict[str, Any], result: LedgerImport) -> None:
    """The ledger sections of `doc` (a ledger file, or the whole-journal document's ledger) into
    the journal, inside the caller's transaction. Into a journal without ledger records every
    id is kept (the round trip); otherwise records already there are counted as duplicates."""
    restore = _ledger_empty(conn)
    keys = _keys(conn)
    vendors: dict[str, int] = {}
    reg_ids: dict[int, int | None] = {}  # the file's registration id -> the journal's
    for section in SECTIONS:
        items = doc.get(section, [])
        if not isinstance(items, list):
            result.skipped.append(f"{section}: not a list")
            continue
        for n, item in enumerate(items, 1):
            where = f"{section} item {n}"
            try:
                if not isinstance(item, dict):
                    raise InvalidInput("not a record")
                vid = _vendor_id(conn, item.get("vendor"), result, vendors)
                rec: Any = _FROM[section](item, vid)
                if section == "registrations":
                    rec = replace(rec, interaction_ids=_known_interactions(conn, rec))
                elif section == "money" and rec.registration_id is not None:
                    rec = replace(rec, registration_id=reg_ids.get(rec.registration_id))
                key = _key(section, rec)
                if key in keys[section]:
                    result.duplicates += 1
                    if section == "registrations" and isinstance(item.get("id"), int):
                        reg_ids[item["id"]] = _existing_registration(conn, rec)
                    continue
                added = _ADD[section](conn, rec, keep_id=restore)
            except PartnerdeskError as exc:
                result.skipped.append(_one_line(f"{where}: {exc}"))
                continue
            # `keys` stays what the journal held before this import: a file's records that look
            # alike (two equal SPIFFs, two drafts for one customer) are distinct, all come in.
            if section == "registrations" and isinstance(item.get("id"), int):
                reg_ids[item["id"]] = added.id
            result.count(section)
            result.note(f"add {_one(section)}: {item.get('vendor')} — {_describe(section, added)}")


def new_record_counts(conn: Any, sections: dict[str, list[Any]],
                      vendor_id: Callable[[Any], int | None]) -> dict[str, int]:
    """How many of each section's records an import would add, without writing (the whole-
    journal import's preview): those of a vendor not yet in the journal (vendor_id gives None)
    all come in; the others unless already present, as import_document decides."""
    keys = _keys(conn) if not _ledger_empty(conn) else {s: set() for s in SECTIONS}
    counts = dict.fromkeys(SECTIONS, 0)
    for section in SECTIONS:
        for item in sections.get(section, []):
            vid = vendor_id(item.get("vendor")) if isinstance(item, dict) else None
            try:
                if vid is not None and _key(section, _FROM[section](item, vid)) in keys[section]:
                    continue
            except PartnerdeskError:
                continue
            counts[section] += 1
    return counts


def _known_interactions(conn: Any, reg: Registration) -> tuple[int, ...]:
    """The registration's links to interactions this journal has (with the same vendor)."""
    if not reg.interaction_ids:
        return ()
    ids = list(reg.interaction_ids)
    have = {i for (i,) in conn.exec_driver_sql(
        f"SELECT id FROM interaction WHERE vendor_id = ? AND id IN ({','.join('?' * len(ids))})",
        (reg.vendor_id, *ids))}
    return tuple(i for i in ids if i in have)


def _existing_registration(conn: Any, reg: Registration) -> int | None:
    return conn.exec_driver_sql(
        "SELECT id FROM deal_registration WHERE vendor_id = ? AND customer = ? AND number = ?"
        " AND submitted_on IS ?",
        (reg.vendor_id, reg.customer, reg.number,
         reg.submitted_on.isoformat() if reg.submitted_on else None)).scalar()


def _describe(section: str, rec: Any) -> str:
    if section == "registrations":
        return f"{rec.customer}{f' ({rec.number})' if rec.number else ''}, {rec.status.value}"
    if section == "money":
        return f"{rec.kind.value} {rec.amount_shown()} due {rec.due_on}"
    if section == "tiers":
        return f"{rec.tier} from {rec.changed_on}"
    if section == "certifications":
        return f"{rec.name} ({rec.holder})"
    return rec.text


# -- vendor portal CSV ------------------------------------------------------------------------
# field -> header synonyms (normalised: lower case, punctuation as spaces), best first.
REGISTRATION_HEADERS: dict[str, tuple[str, ...]] = {
    "vendor": ("vendor", "manufacturer", "supplier", "program owner"),
    "customer": ("customer", "end customer", "end user", "account", "account name", "company",
                 "customer name", "opportunity", "opportunity name", "deal name", "project"),
    "number": ("registration number", "registration id", "registration", "reg number", "reg id",
               "reg", "deal id", "deal registration id", "deal number", "reference", "id"),
    "status": ("status", "registration status", "approval status", "deal status", "stage"),
    "value": ("value", "deal value", "deal size", "amount", "estimated value",
              "opportunity amount", "total value", "revenue"),
    "currency": ("currency", "currency code", "ccy"),
    "submitted": ("submitted", "submitted on", "submitted date", "date submitted",
                  "submission date", "registration date", "created", "created date"),
    "decided": ("decided", "decided on", "decision date", "approved date", "approval date",
                "rejected date", "date decided", "reviewed date"),
    "reason": ("reason", "rejection reason", "decline reason", "reason for rejection",
               "comments", "vendor comments"),
    "expires": ("expires", "expires on", "expiration", "expiration date", "expiry", "expiry date",
                "protection end", "protection end date", "valid until", "end date"),
    "notes": ("notes", "description"),
}
PAYMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "vendor": ("vendor", "manufacturer", "supplier", "program owner"),
    "kind": ("kind", "type", "payment type", "program", "program type", "incentive type",
             "fund type", "category"),
    "expected": ("expected", "expected amount", "amount due", "earned", "amount earned",
                 "accrued", "amount owed", "approved amount", "amount"),
    "paid": ("paid", "amount paid", "paid amount", "payment amount", "payout"),
    "currency": ("currency", "currency code", "ccy"),
    "due": ("due", "due date", "payment due", "payment due date", "expected payment date"),
    "paid_on": ("paid on", "payment date", "paid date", "date paid", "payout date"),
    "period": ("period", "fiscal period", "quarter", "month"),
    "claim_deadline": ("claim deadline", "claim by", "claim due", "claim due date",
                       "funds expire", "expiration date"),
    "claimed": ("claimed", "claim date", "claim submitted", "claim submitted on",
                "date claimed"),
    "reference": ("reference", "payment id", "claim id", "transaction id", "invoice",
                  "invoice number", "payment reference", "id"),
    "registration": ("registration number", "registration id", "deal id"),
    "dispute": ("dispute", "dispute note", "disputed"),
    "notes": ("notes", "comments", "description"),
}
_STATUS_WORDS = {
    "draft": RegStatus.DRAFT, "saved": RegStatus.DRAFT, "not submitted": RegStatus.DRAFT,
    "submitted": RegStatus.SUBMITTED, "pending": RegStatus.SUBMITTED,
    "pending approval": RegStatus.SUBMITTED, "in review": RegStatus.SUBMITTED,
    "under review": RegStatus.SUBMITTED, "new": RegStatus.SUBMITTED, "open": RegStatus.SUBMITTED,
    "approved": RegStatus.APPROVED, "accepted": RegStatus.APPROVED, "active": RegStatus.APPROVED,
    "rejected": RegStatus.REJECTED, "declined": RegStatus.REJECTED, "denied": RegStatus.REJECTED,
    "expired": RegStatus.EXPIRED, "lapsed": RegStatus.EXPIRED,
    "won": RegStatus.WON, "closed won": RegStatus.WON, "lost": RegStatus.LOST,
    "closed lost": RegStatus.LOST, "cancelled": RegStatus.LOST, "canceled": RegStatus.LOST,
}
_KIND_WORDS = {
    "commission": MoneyKind.COMMISSION, "commissions": MoneyKind.COMMISSION,
    "spiff": MoneyKind.SPIFF, "spiffs": MoneyKind.SPIFF, "incentive": MoneyKind.SPIFF,
    "sales incentive": MoneyKind.SPIFF, "bonus": MoneyKind.SPIFF,
    "residual": MoneyKind.RESIDUAL, "residuals": MoneyKind.RESIDUAL,
    "rebate": MoneyKind.REBATE, "rebates": MoneyKind.REBATE, "back end rebate": MoneyKind.REBATE,
    "mdf": MoneyKind.MDF, "co op": MoneyKind.MDF, "coop": MoneyKind.MDF,
    "mdf co op": MoneyKind.MDF, "market development funds": MoneyKind.MDF,
}


def _map(headers: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    from partnerdesk.services.importers.csv_rows import norm

    normal = [norm(h) for h in headers]
    taken: set[int] = set()
    out: dict[str, int] = {}
    for fieldname, names in synonyms.items():
        for name in names:
            if name in normal and normal.index(name) not in taken:
                out[fieldname] = normal.index(name)
                taken.add(out[fieldname])
                break
    return out


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """The header, the rows with their line numbers, and the records csv could not read (each
    'row N: ...'). Read strictly: a quote never closed swallows the rest of the file into one
    cell, which leniently read became a registration named after the next rows."""
    from partnerdesk.services.importers.csv_rows import detect_encoding
    from partnerdesk.services.importers.model import ImportFailed

    encoding = detect_encoding(path)
    rows: list[tuple[int, list[str]]] = []
    broken: list[str] = []
    try:
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            sample = fh.read(64 * 1024)
            fh.seek(0)
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            start = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    if len(broken) >= 1000:
                        raise ImportFailed(f"{path} has too many unreadable lines to be a CSV "
                                           "file partnerdesk can read.") from None
                    what = ("a quote is never closed" if "end of data" in str(exc)
                            else str(exc))
                    broken.append(f"row {start}: cannot be read ({what})")
                    start = reader.line_num + 1
                    continue
                if any(c.strip() for c in row):
                    rows.append((start, row))
                start = reader.line_num + 1
    except OSError as exc:
        raise ImportFailed(f"{path} cannot be read ({exc.strerror}).") from None
    if not rows:
        raise ImportFailed(f"{path} is empty; export the registrations or payments again.")
    return rows[0][1], rows[1:], broken


def _import_csv(conn: Any, path: Path, result: LedgerImport, vendor: str | None,
                kind: str | None, day_first: bool) -> None:
    from partnerdesk.services.importers.dates import DateReader
    from partnerdesk.services.importers.model import ImportFailed

    headers, rows, broken = _read_rows(path)
    result.skipped.extend(broken)
    reg_map = _map(headers, REGISTRATION_HEADERS)
    pay_map = _map(headers, PAYMENT_HEADERS)
    if kind is None:
        if "customer" in reg_map:
            kind = "registrations"
        elif "expected" in pay_map or "paid" in pay_map:
            kind = "payments"
        else:
            raise ImportFailed(f"{path} has neither a customer column (registrations) nor an "
                               "amount column (payments); say which with --kind.")
    result.kind = kind
    mapping = reg_map if kind == "registrations" else pay_map
    need = ("customer",) if kind == "registrations" else ("expected",)
    missing = [n for n in need if n not in mapping]
    if missing:
        raise ImportFailed(f"{path} has no {missing[0]} column; the columns are: "
                           + ", ".join(h for h in headers if h)[:200] + ".")
    fixed = store.find_vendor(conn, vendor) if vendor else None
    if fixed is None and "vendor" not in mapping:
        raise ImportFailed(f"{path} has no vendor column; say whose file it is with --vendor.")
    dates = DateReader(day_first=True if day_first else None)
    vendor_cache: dict[str, int | None] = {}
    for line, row in rows:
        cell = {f: (row[i].strip() if i < len(row) else "") for f, i in mapping.items()}
        where = f"row {line}"
        try:
            if fixed is not None:
                vid, vname = fixed
            else:
                vname = clean_line(cell.get("vendor", ""))
                key = vname.casefold()
                if key not in vendor_cache:
                    try:
                        vendor_cache[key] = store.find_vendor(conn, vname)[0] if vname else None
                    except NotFound:
                        vendor_cache[key] = None
                found = vendor_cache[key]
                if found is None:
                    raise InvalidInput(f"no vendor named '{vname[:40]}' in the journal; add it "
                                       "or import with --vendor")
                vid = found

            def day(name: str, cell: dict[str, str] = cell) -> date | None:
                text = cell.get(name, "")
                if not text:
                    return None
                try:
                    return dates.parse(text).date()
                except (InvalidInput, ValueError, OverflowError):
                    raise InvalidInput(f"'{text[:30]}' ({name.replace('_', ' ')}) is not a "
                                       "date") from None

            if kind == "registrations":
                _portal_registration(conn, cell, vid, vname, day, result)
            else:
                _portal_payment(conn, cell, vid, vname, day, result)
        except PartnerdeskError as exc:
            result.skipped.append(_one_line(f"{where}: {str(exc).rstrip('.')}"))


def _portal_registration(conn: Any, cell: dict[str, str], vid: int, vname: str, day: Any,
                         result: LedgerImport) -> None:
    from partnerdesk.services.importers.common import stable_hash

    status = _word(cell, "status", _STATUS_WORDS, "a registration status partnerdesk knows")
    submitted = day("submitted")
    status = status or (RegStatus.SUBMITTED if submitted else RegStatus.DRAFT)
    currency = cell.get("currency", "")
    value = parse_amount(cell["value"], currency or "?") if cell.get("value") else None
    number = clean_line(cell.get("number", ""))
    source_id = (f"{vid}:{number}" if number else
                 stable_hash(str(vid), cell.get("customer", ""), cell.get("submitted", "")))
    decided = day("decided")  # portals often leave it out: the decision then has no date
    reg = Registration(None, vid, cell.get("customer", ""), status, number=number,
                       value_minor=value, currency=currency, submitted_on=submitted,
                       decided_on=decided, reason=cell.get("reason", ""),
                       expires_on=day("expires"), notes=cell.get("notes", ""),
                       source=PORTAL_SOURCE, source_id=source_id)
    existing = conn.exec_driver_sql(
        "SELECT id FROM deal_registration WHERE (source = ? AND source_id = ?)"
        " OR (vendor_id = ? AND number <> '' AND number = ?) ORDER BY id LIMIT 1",
        (PORTAL_SOURCE, source_id, vid, number)).scalar()
    if existing is None:
        _added(result, "registrations", vname, store.add_registration(conn, reg))
        return
    old = store.get_registration(conn, existing)
    new = validate_registration(replace(
        reg, id=old.id, interaction_ids=old.interaction_ids, source=old.source,
        source_id=old.source_id, notes=reg.notes or old.notes))
    same = ser.registration_dict(new, "") == ser.registration_dict(old, "")
    if not same:
        new = store.update_registration(conn, new)
    _updated(result, "registrations", vname, new, same, f" (was {old.status.value})")


def _portal_payment(conn: Any, cell: dict[str, str], vid: int, vname: str, day: Any,
                    result: LedgerImport) -> None:
    from partnerdesk.domain.ledger import parse_period
    from partnerdesk.services.importers.common import stable_hash

    kind = _word(cell, "kind", _KIND_WORDS, "a kind of payment partnerdesk knows (commission, "
                 "SPIFF, residual, rebate, MDF)") or MoneyKind.COMMISSION
    currency = cell.get("currency", "")
    if not currency:
        raise InvalidInput("no currency; the file needs a currency column")
    expected = parse_amount(cell["expected"], currency, CLAWBACK_HINT)
    paid = parse_amount(cell["paid"], currency, CLAWBACK_HINT) if cell.get("paid") else None
    paid_on = day("paid_on")
    if paid is not None and paid_on is None:
        raise InvalidInput("an amount paid without the date it was paid")
    if paid_on is not None and paid is None:
        paid = expected
    start = end = None
    if cell.get("period"):
        start, end = parse_period(cell["period"])
    due = day("due") or end or paid_on
    if due is None:
        raise InvalidInput("no due date, period or payment date to place it in time")
    reference = clean_line(cell.get("reference", ""))
    source_id = (f"{vid}:{reference}" if reference else
                 stable_hash(str(vid), kind.value, cell.get("expected", ""), currency,
                             due.isoformat()))
    reg_id = None
    if cell.get("registration"):
        reg_id = conn.exec_driver_sql(
            "SELECT id FROM deal_registration WHERE vendor_id = ? AND number = ?",
            (vid, clean_line(cell["registration"]))).scalar()
    m = MoneyOwed(None, vid, kind, expected, currency, due, period_start=start, period_end=end,
                  claim_submitted_on=day("claimed"), claim_deadline=day("claim_deadline"),
                  paid_minor=paid, paid_on=paid_on, dispute=cell.get("dispute", ""),
                  notes=cell.get("notes", ""), registration_id=reg_id, source=PORTAL_SOURCE,
                  source_id=source_id)
    existing = conn.exec_driver_sql("SELECT id FROM money_owed WHERE source = ? AND source_id = ?",
                                    (PORTAL_SOURCE, source_id)).scalar()
    if existing is None:
        _added(result, "money", vname, store.add_money(conn, m))
        return
    old = store.get_money(conn, existing)
    new = validate_money(replace(
        m, id=old.id, registration_id=m.registration_id or old.registration_id,
        dispute=m.dispute or old.dispute, notes=m.notes or old.notes))
    same = ser.money_dict(new, "") == ser.money_dict(old, "")
    if not same:
        new = store.update_money(conn, new)
    _updated(result, "money", vname, new, same)


def _word(cell: dict[str, str], key: str, words: dict[str, Any], what: str) -> Any:
    """The vocabulary value a portal's cell names (None when empty), or InvalidInput."""
    from partnerdesk.services.importers.csv_rows import norm

    text = norm(cell.get(key, ""))
    if text and text not in words:
        raise InvalidInput(f"'{cell[key][:30]}' is not {what}")
    return words.get(text)


def _added(result: LedgerImport, section: str, vname: str, record: Any) -> None:
    result.count(section)
    result.note(f"add {'registration' if section == 'registrations' else section}: {vname} — "
                f"{_describe(section, record)}")


def _updated(result: LedgerImport, section: str, vname: str, record: Any, same: bool,
             extra: str = "") -> None:
    """A portal row met a record it had imported before: the same (a duplicate) or changed."""
    if same:
        result.duplicates += 1
        return
    result.updated += 1
    result.note(f"update {'registration' if section == 'registrations' else section}: "
                f"{vname} — {_describe(section, record)}{extra}")
