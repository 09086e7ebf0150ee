"""CSV from CRMs (Salesforce activity/task reports, HubSpot engagements) and reps' own sheets.

Columns are mapped from their headers through synonyms; the caller can correct the mapping
(header -> field, '' to leave a column out) and gets the mapping used back in the plan. Messy
files are expected: a BOM, ';' or tab separators, quoted newlines, title rows above the header,
total rows below the data, Excel's cp1252 when the file is not UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.validation import clean_topics
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Source, Tag
from partnerdesk.services.importers.common import (
    Found,
    Person,
    ReadProblem,
    clean_email,
    short,
    stable_hash,
)
from partnerdesk.services.importers.dates import DateReader
from partnerdesk.services.importers.model import ImportFailed

# field -> header synonyms (normalised: lower case, punctuation as spaces), best first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "subject", "title", "activity subject", "task subject", "engagement title",
                "activity title", "subject title", "call title", "meeting name", "activity", "name of activity",
                "topic title", "betreff", "titel"),
    "notes": ("notes", "comments", "full comments", "description", "body", "body preview", "details",
              "note", "call notes", "meeting notes", "engagement body", "email body", "note body",
              "comment", "activity notes", "message", "text", "call and meeting notes", "notizen", "notiz",
              "bemerkung", "bemerkungen", "kommentar"),
    "occurred_at": ("occurred at", "date", "activity date", "date time", "datetime", "timestamp",
                    "created date", "create date", "start date", "start", "start time date",
                    "activity date time", "engagement date", "completed date", "date of activity",
                    "created", "created at", "when", "meeting date", "call date", "sent date", "due date",
                    "datum", "fecha", "date de l activite"),
    "time": ("time", "start time", "activity time", "time of day"),
    "vendor": ("vendor", "company", "account", "account name", "company name", "company account",
               "organization", "organisation", "partner", "associated company", "associated companies",
               "related to", "customer", "org", "firma", "unternehmen", "hersteller"),
    "channel": ("channel", "type", "activity type", "engagement type", "task type", "call type",
                "event type", "medium", "method"),
    "direction": ("direction", "call direction", "email direction", "inbound outbound", "in out"),
    "tag": ("tag", "outcome", "helpful", "result", "call outcome", "verdict", "was it helpful"),
    "contacts": ("contacts", "contact", "name", "contact name", "associated contact", "associated contacts",
                 "attendees", "participants", "who", "person", "people", "full name", "contact full name",
                 "kontakt", "ansprechpartner"),
    "email": ("email", "contact email", "email address", "e mail", "from email", "to email"),
    "topics": ("topics", "topic", "keywords", "categories", "category", "labels", "tags"),
    "quality": ("quality", "rating", "score", "stars"),
    "follow_up_due": ("follow up due", "follow up date", "next step date", "follow up on"),
    "follow_up_what": ("follow up what", "follow up", "next step", "next steps"),
    "follow_up_owner": ("follow up owner",),
    "source_id": ("id", "activity id", "task id", "engagement id", "record id", "event id", "row id",
                  "activity record id", "call id", "meeting id", "external id", "unique id"),
}
FIELDS = tuple(SYNONYMS)
IGNORE = ""
_FIELD_ALIASES = {"date": "occurred_at", "when": "occurred_at", "subject": "summary", "company": "vendor",
                  "contact": "contacts", "type": "channel", "id": "source_id", "ignore": IGNORE,
                  "skip": IGNORE, "none": IGNORE, "-": IGNORE}

_CHANNELS = {
    "call": Channel.CALL, "phone": Channel.CALL, "phone call": Channel.CALL, "log a call": Channel.CALL,
    "call logged": Channel.CALL, "voicemail": Channel.CALL, "calls": Channel.CALL,
    "email": Channel.EMAIL, "e mail": Channel.EMAIL, "mail": Channel.EMAIL, "incoming email": Channel.EMAIL,
    "forwarded email": Channel.EMAIL, "sent email": Channel.EMAIL, "emails": Channel.EMAIL,
    "meeting": Channel.MEETING, "meetings": Channel.MEETING, "visit": Channel.MEETING,
    "video call": Channel.MEETING, "in person": Channel.MEETING, "onsite": Channel.MEETING,
    "chat": Channel.CHAT, "sms": Channel.CHAT, "text": Channel.CHAT, "linkedin": Channel.CHAT,
    "linkedin message": Channel.CHAT, "whatsapp": Channel.CHAT, "teams": Channel.CHAT, "slack": Channel.CHAT,
    "event": Channel.EVENT, "webinar": Channel.EVENT, "conference": Channel.EVENT, "trade show": Channel.EVENT,
    "other": Channel.OTHER, "task": Channel.OTHER, "note": Channel.OTHER, "todo": Channel.OTHER,
}
_DIRECTIONS = {"in": Direction.INBOUND, "inbound": Direction.INBOUND, "incoming": Direction.INBOUND,
               "received": Direction.INBOUND, "they": Direction.INBOUND, "incoming email": Direction.INBOUND,
               "out": Direction.OUTBOUND, "outbound": Direction.OUTBOUND, "outgoing": Direction.OUTBOUND,
               "sent": Direction.OUTBOUND, "me": Direction.OUTBOUND}
_TAGS = {"helpful": Tag.HELPFUL, "h": Tag.HELPFUL, "yes": Tag.HELPFUL, "y": Tag.HELPFUL, "true": Tag.HELPFUL,
         "1": Tag.HELPFUL, "positive": Tag.HELPFUL, "good": Tag.HELPFUL, "great": Tag.HELPFUL,
         "useful": Tag.HELPFUL, "valuable": Tag.HELPFUL, "x": Tag.HELPFUL,
         "transactional": Tag.TRANSACTIONAL, "t": Tag.TRANSACTIONAL, "no": Tag.TRANSACTIONAL,
         "n": Tag.TRANSACTIONAL, "false": Tag.TRANSACTIONAL, "0": Tag.TRANSACTIONAL,
         "negative": Tag.TRANSACTIONAL, "neutral": Tag.TRANSACTIONAL, "routine": Tag.TRANSACTIONAL}
_NORM = re.compile(r"[^0-9a-z]+")
_SPLIT_NAMES = re.compile(r"\s*[;|\n]\s*")
SUMMARY_FROM_NOTES = 120
HEADER_SCAN_ROWS = 15
DATE_SAMPLE_ROWS = 20_000


def norm(header: str) -> str:
    return " ".join(_NORM.sub(" ", header.casefold().replace("\ufeff", "")).split())


def parse_field(text: str) -> str:
    """A field name the user typed: 'occurred_at', 'Date', 'ignore' ..."""
    key = norm(text).replace(" ", "_")
    if key in FIELDS:
        return key
    key = _FIELD_ALIASES.get(key.replace("_", " "), _FIELD_ALIASES.get(key, key))
    if key in FIELDS or key == IGNORE:
        return key
    raise InvalidInput(f"'{text}' is not a field; use one of: {', '.join(FIELDS)} (or 'ignore').")


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """header -> field for each header (IGNORE for those that map to nothing); each field once,
    by the best-ranked synonym."""
    where: dict[str, list[int]] = {}  # normalised header -> its columns, left to right
    for i, h in enumerate(headers):
        where.setdefault(norm(h), []).append(i)
    mapping = {h: IGNORE for h in headers}
    taken: set[int] = set()
    for field, synonyms in SYNONYMS.items():
        for syn in synonyms:
            idx = next((i for i in where.get(syn, ()) if i not in taken), None)
            if idx is not None:
                mapping[headers[idx]] = field
                taken.add(idx)
                break
    return mapping


def apply_corrections(mapping: dict[str, str], corrections: dict[str, str] | None) -> dict[str, str]:
    if not corrections:
        return mapping
    out = dict(mapping)
    by_norm = {norm(h): h for h in mapping}
    for column, field in corrections.items():
        header = column if column in out else by_norm.get(norm(column))
        if header is None:
            continue  # a remembered mapping for a column this file does not have
        field = parse_field(field) if field else IGNORE
        if field:
            for h, f in out.items():
                if f == field and h != header:
                    out[h] = IGNORE  # one column per field: the user's choice wins
        out[header] = field
    return out


# -- reading the file ---------------------------------------------------------------------------
def detect_encoding(path: Path) -> str:
    """utf-8 (BOM or not), utf-16 with a BOM (Excel's 'Unicode text'), else cp1252, else latin-1."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(enc)()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _sniff(sample: str) -> str:
    lines = [ln for ln in sample.splitlines() if ln.strip()][:HEADER_SCAN_ROWS]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        if any(dialect.delimiter in ln for ln in lines[:3]):
            return dialect.delimiter
    except csv.Error:
        pass
    counts = {d: max((ln.count(d) for ln in lines), default=0) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class CsvLayout:
    encoding: str
    delimiter: str
    header_row: int  # rows before the header (title rows)
    headers: list[str]
    mapping: dict[str, str]
    day_first: bool | None
    notes: list[str]


def _open(path: Path, encoding: str):  # type: ignore[no-untyped-def]
    return open(path, encoding=encoding, errors="strict" if encoding != "latin-1" else "replace",
                newline="")


def _rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """(line number, row or None, error) for each record; a record csv cannot read is reported, not fatal."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _open(path, encoding) as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        errors = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                errors += 1
                if errors > 1000:
                    raise ImportFailed(f"{path} has too many unreadable lines to be a CSV file ({exc}).") from None
                yield reader.line_num, None, str(exc)
                continue
            yield reader.line_num, row, ""


def layout(path: Path, corrections: dict[str, str] | None, day_first: bool | None) -> CsvLayout:
    encoding = detect_encoding(path)
    try:
        with _open(path, encoding) as fh:
            sample = fh.read(64 * 1024)
    except UnicodeError as exc:
        raise ImportFailed(f"{path} cannot be decoded as text ({exc}).") from None
    if not sample.strip():
        raise ImportFailed(f"{path} is empty; there is nothing to import.")
    if "\x00" in sample[:4096]:
        raise ImportFailed(f"{path} is not a text file (it holds binary data); export the CSV again.")
    delimiter = _sniff(sample)
    # The header is the first of the top rows whose names map to at least two fields (Salesforce
    # report exports put a title and a blank line above it).
    best: tuple[int, list[str], dict[str, str]] | None = None
    for index, (_, row, _err) in enumerate(_rows(path, encoding, delimiter)):
        if index >= HEADER_SCAN_ROWS:
            break
        if not row or not any(c.strip() for c in row):
            continue
        headers = _unique_headers(row)
        mapping = apply_corrections(guess_mapping(headers), corrections)
        known = sum(1 for f in mapping.values() if f)
        if known >= 2 or (corrections and known):
            best = (index, headers, mapping)
            break
        if best is None:
            best = (index, headers, mapping)
    if best is None:
        raise ImportFailed(f"{path} has no header row; the first line should name the columns.")
    index, headers, mapping = best
    fields = set(mapping.values())
    if "occurred_at" not in fields:
        raise ImportFailed(
            f"{path} has no date column I recognise (columns: {short(', '.join(headers), 120)}); "
            "name it with --map 'COLUMN=occurred_at'.")
    if "summary" not in fields and "notes" not in fields:
        raise ImportFailed(
            f"{path} has no subject or notes column I recognise (columns: {short(', '.join(headers), 120)}); "
            "name one with --map 'COLUMN=summary'.")
    notes: list[str] = []
    if day_first is None:
        date_col = headers.index(next(h for h, f in mapping.items() if f == "occurred_at"))
        samples = []
        for n, (_, row, _err) in enumerate(_rows(path, encoding, delimiter)):
            if n <= index:
                continue
            if n > index + DATE_SAMPLE_ROWS:
                break
            if row and date_col < len(row):
                samples.append(row[date_col])
        learned = DateReader().learn(samples)
        if learned is None and any(re.match(r"^\d{1,2}/\d{1,2}/\d{2,4}", s.strip()) for s in samples):
            notes.append(f"{path.name}: dates like 03/04/2025 were read month first (US); "
                         "use the day-first option if they are day/month/year.")
        elif learned:
            notes.append(f"{path.name}: dates were read day first (day/month/year), as the file shows.")
        day_first = learned
    return CsvLayout(encoding, delimiter, index, headers, mapping, day_first, notes)


def _unique_headers(row: list[str]) -> list[str]:
    """Header names made unique ('x', 'x (2)', 'x (3)' …) in one pass: a set of names taken and the
    next number per name (9,074 equal names took minutes when each was searched for in a list)."""
    out: list[str] = []
    taken: set[str] = set()
    next_n: dict[str, int] = {}
    for i, h in enumerate(row):
        h = " ".join(h.replace("\ufeff", "").split()) or f"Column {i + 1}"
        base, n = h, next_n.get(h, 2)
        while h in taken:
            h, n = f"{base} ({n})", n + 1
        next_n[base] = n
        taken.add(h)
        out.append(h)
    return out


class _Memo(dict):  # type: ignore[type-arg]
    """A small cache for values that repeat down a column (types, tags, dates, names)."""

    def __init__(self, compute: Any, limit: int = 50_000):
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value


def _channel_of(text: str) -> Channel:
    key = norm(text)
    return _CHANNELS.get(key, _CHANNELS.get(key.rstrip("s"), Channel.OTHER))


def _people_of(key: tuple[str, str]) -> tuple[Person, ...]:
    names, email_text = key
    people = tuple(Person(name=" ".join(n.split())) for n in _SPLIT_NAMES.split(names) if n.strip())
    email_addr = clean_email(email_text)
    if email_addr:
        if len(people) == 1:
            return (Person(name=people[0].name, email=email_addr),)
        return (*people, Person(email=email_addr))
    return people


def _topics_of(text: str) -> tuple[str, ...]:
    try:
        return clean_topics([t for t in re.split(r"[;,\n]", text) if t.strip()])
    except InvalidInput:
        return ()


def read_csv(path: Path, lay: CsvLayout, default_tag: Tag,
             counters: dict[str, int]) -> Iterator[Found | ReadProblem]:
    col = {f: lay.headers.index(h) for h, f in lay.mapping.items() if f}
    dates = DateReader(lay.day_first)
    id_header = norm(lay.headers[col["source_id"]]) if "source_id" in col else ""
    width = len(lay.headers)
    normed = [norm(h) for h in lay.headers]
    source = str(path)
    # Column positions (-1: not mapped); the loop below is the hot path of a million-row import.
    i_sum, i_notes, i_date, i_time, i_id, i_tag, i_chan, i_dir, i_contacts, i_email, i_vendor, i_topics, \
        i_quality, i_due = (col.get(f, -1) for f in (
            "summary", "notes", "occurred_at", "time", "source_id", "tag", "channel", "direction", "contacts",
            "email", "vendor", "topics", "quality", "follow_up_due"))
    parse_date = _Memo(lambda key: _try(dates.parse, key[0], key[1]))
    tags = _Memo(lambda text: _TAGS.get(norm(text)) if text else None)
    channels = _Memo(_channel_of)
    directions = _Memo(lambda text: _DIRECTIONS.get(norm(text)))
    people_of = _Memo(_people_of)
    vendors_of = _Memo(lambda text: tuple(n for n in _SPLIT_NAMES.split(text) if n.strip())[:1])
    topics_of = _Memo(_topics_of)
    header_row = lay.header_row
    for n, (line, row, error) in enumerate(_rows(path, lay.encoding, lay.delimiter)):
        if n <= header_row:
            continue
        if row is None:
            yield ReadProblem(f"row {n - header_row} (line {line})", f"it cannot be read as CSV ({error})", source)
            continue
        if len(row) < width:
            if not any(c.strip() for c in row):
                continue
            row = row + [""] * (width - len(row))
        raw_date = row[i_date].strip()
        if not raw_date:
            if not any(c.strip() for c in row):
                continue
            filled = sum(1 for c in row if c.strip())
            yield ReadProblem(f"row {n - header_row} (line {line})",
                              "it is not an activity (a title or total line)" if filled <= 2 else "it has no date",
                              source)
            continue
        moment = parse_date[(raw_date, row[i_time].strip() if i_time >= 0 else "")]
        if isinstance(moment, str):
            yield ReadProblem(f"row {n - header_row} (line {line})", moment, source)
            continue
        summary = _unguarded(" ".join(row[i_sum].split())) if i_sum >= 0 else ""
        notes = _unguarded(row[i_notes].strip().replace("\r\n", "\n")) if i_notes >= 0 else ""
        if not summary:
            if not notes:
                yield ReadProblem(f"row {n - header_row} (line {line})", "it has neither a subject nor notes",
                                  source)
                continue
            first = " ".join(notes.split("\n", 1)[0].split())
            summary = first if len(first) <= SUMMARY_FROM_NOTES else first[: SUMMARY_FROM_NOTES - 1] + "…"
        raw_id = row[i_id].strip() if i_id >= 0 else ""
        if raw_id:
            source_id = f"{id_header}:{raw_id}"
        else:
            source_id = stable_hash(*sorted(f"{h}={c.strip()}" for h, c in zip(normed, row, strict=False)))
        tag = None
        if i_tag >= 0:
            raw_tag = row[i_tag].strip()
            if raw_tag:
                tag = tags[raw_tag]
                if tag is None:
                    counters["unknown_tag"] = counters.get("unknown_tag", 0) + 1
        channel_text = row[i_chan].strip() if i_chan >= 0 else ""
        channel = channels[channel_text] if channel_text else Channel.OTHER
        direction = directions[row[i_dir].strip()] if i_dir >= 0 else None
        if direction is None and norm(channel_text) == "incoming email":
            direction = Direction.INBOUND
        people = people_of[(row[i_contacts] if i_contacts >= 0 else "", row[i_email] if i_email >= 0 else "")]
        vendor_names = vendors_of[row[i_vendor].strip()] if i_vendor >= 0 else ()
        topics = topics_of[row[i_topics]] if i_topics >= 0 and row[i_topics].strip() else ()
        quality = None
        if i_quality >= 0:
            q = row[i_quality].strip()
            if q.isdigit() and 1 <= int(q) <= 5:
                quality = int(q)
        follow_up = None
        if i_due >= 0 and row[i_due].strip():
            due = parse_date[(row[i_due].strip(), "")]
            if not isinstance(due, str):
                owner_text = row[col["follow_up_owner"]] if "follow_up_owner" in col else ""
                owner = FollowUpOwner.VENDOR if norm(owner_text) == "vendor" else FollowUpOwner.ME
                what_text = row[col["follow_up_what"]].strip() if "follow_up_what" in col else ""
                follow_up = FollowUp(due=due.date(), what=what_text, owner=owner)
        yield Found(occurred_at=moment, summary=summary, source=Source.CSV, source_id=source_id,
                    what=f"row {n - header_row} (line {line})", path=source, notes=notes, channel=channel,
                    direction=direction or Direction.OUTBOUND, tag=tag, people=people, vendor_names=vendor_names,
                    topics=topics, quality=quality, follow_up=follow_up)


def _unguarded(text: str) -> str:
    """'=SUM(…) as partnerdesk's CSV export wrote it (safe_text.csv_cell) -> '=SUM(…)' again."""
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


_FORMULA_STARTS = "=+-@\t\r"


def _try(parse: Any, text: str, time_text: str) -> Any:
    """The parsed time, or the reason it cannot be read (a str), so that both can be cached."""
    try:
        return parse(text, time_text)
    except ValueError as exc:
        return str(exc)
