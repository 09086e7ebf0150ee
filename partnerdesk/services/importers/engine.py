"""plan_import and apply_import: one preview model over every format, one transaction to write it.

The plan reads every file once and settles each item against the journal (vendor, contacts,
duplicates); what it will write goes to a temporary file (spill.py), so that applying is only
the write: no second parse, and no million drafts in memory.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import SUMMARY_MAX, FollowUp, InteractionDraft, Vendor
from partnerdesk.domain.validation import (
    FIRST_DAY_YEAR,
    LAST_YEAR,
    NOTES_MAX,
    check_moment,
    clean_line,
    clean_text,
    clean_topics,
)
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Source, Tag
from partnerdesk.services.importers import csv_rows, ics, limits, mail, vcard
from partnerdesk.services.importers.common import Found, FoundContact, Person, ReadProblem
from partnerdesk.services.importers.dates import DateReader
from partnerdesk.services.importers.matching import ContactRef, NewRef, Resolver, VendorChoice
from partnerdesk.services.importers.model import (
    ImportCancelled,
    ImportFailed,
    ImportPlan,
    ImportResult,
    PlannedContact,
    PlannedInteraction,
    Skipped,
    SkipReason,
    SourceFile,
)
from partnerdesk.services.importers.spill import Spill
from partnerdesk.store.journal import Journal
from partnerdesk.store.timecodec import from_epoch, now_epoch, to_epoch

PREVIEW_LIMIT = 1000  # interactions listed in a plan (all are counted)
SKIPPED_LIMIT = 5000  # skipped parts listed in a plan (all are counted)
TICK = 1000  # progress / cancel granularity, in interactions

EXTENSIONS = {".ics": "ics", ".ical": "ics", ".ifb": "ics", ".icalendar": "ics",
              ".eml": "eml", ".mbox": "mbox", ".mbx": "mbox", ".csv": "csv", ".tsv": "csv",
              ".vcf": "vcf", ".vcard": "vcf", ".json": "json"}
FORMATS = ("ics", "eml", "mbox", "csv", "vcf", "json")


@dataclass(frozen=True, slots=True)
class Proto:
    """A settled interaction: everything but the ids of contacts the import will create."""

    vendor_id: int
    occurred_at: datetime
    summary: str
    tag: Tag
    channel: Channel
    direction: Direction
    notes: str
    topics: tuple[str, ...]
    quality: int | None
    follow_up: FollowUp | None
    contacts: tuple[ContactRef, ...]
    source: Source
    source_id: str


# -- which files ------------------------------------------------------------------------------------
def detect_format(path: Path, head: bytes) -> str:
    ext = path.suffix.lower()
    if ext == ".msg" and not head.startswith(b"\xd0\xcf\x11\xe0") and _looks_like_mail(head):
        return "eml"  # a plain-text mail saved as .msg (Thunderbird, some web mailers, renamed .eml)
    if ext == ".msg":
        raise ImportFailed(f"{path} is an Outlook .msg file; save the mail as .eml (File ▸ Save As) "
                           "and import that.")
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = text[:40].upper()
    if upper.startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    if upper.startswith(b"BEGIN:VCARD"):
        return "vcf"
    if text.startswith(b"From "):
        return "mbox"
    if text.startswith((b"{", b"[")):
        return "json"
    if _looks_like_mail(text):
        return "eml"
    if ext in (".txt", "") and head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # Excel's "Unicode text": UTF-16, tab separated
    if ext in (".txt", "") and re.match(rb"^[^\r\n]*[,;\t][^\r\n]*\r?\n", text):
        return "csv"
    kinds = "calendar .ics, mail .eml/.mbox, CRM .csv, contact .vcf and partnerdesk .json"
    raise ImportFailed(f"Cannot tell what kind of file {path} is; partnerdesk imports {kinds} files.")


def _looks_like_mail(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(re.match(rb"^(?:[A-Za-z][A-Za-z0-9-]*:[^\r\n]*\r?\n)+", text) and re.search(
        rb"(?im)^(from|subject|date|message-id):", text[:8192]))


def source_files(paths: Sequence[str | Path]) -> list[SourceFile]:
    if not paths:
        raise ImportFailed("No file given; name the files to import.")
    out: list[SourceFile] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            resolved = path
        if resolved in seen:
            continue
        seen.add(resolved)
        if path.is_dir():
            raise ImportFailed(f"{path} is a folder; name the files in it to import.")
        try:
            st = path.stat()
            with open(path, "rb") as fh:
                head = fh.read(16384)
        except FileNotFoundError:
            raise ImportFailed(f"{path} does not exist; check the name.") from None
        except PermissionError:
            raise ImportFailed(f"{path} cannot be read (permission denied).") from None
        except OSError as exc:
            raise ImportFailed(f"{path} cannot be read ({exc.strerror or exc}).") from None
        if st.st_size == 0 or not head.strip():
            raise ImportFailed(f"{path} is empty; there is nothing to import.")
        out.append(SourceFile(path=path, format=detect_format(path, head), size=st.st_size,
                              mtime_ns=st.st_mtime_ns))
    if any(s.format == "json" for s in out) and len(out) > 1:
        from partnerdesk.services.importers.journal_json import kind_of

        if any(s.format == "json" and kind_of(s.path) == "document" for s in out):
            raise ImportFailed("A partnerdesk journal export is imported on its own; import it separately.")
    return out


def _rep_emails(rep_email: str | None) -> tuple[str, ...]:
    if not rep_email:
        return ()
    out = []
    for part in re.split(r"[,;\s]+", rep_email):
        if not part:
            continue
        from partnerdesk.services.importers.common import clean_email

        addr = clean_email(part)
        if not addr:
            raise InvalidInput(f"'{part}' is not an email address; give your own address, like me@example.com.")
        out.append(addr)
    return tuple(out)


# -- settling what the readers found ----------------------------------------------------------------
class _Walk:
    def __init__(self, journal: Journal, plan: ImportPlan, resolver: Resolver, record: bool,
                 preview_limit: int):
        self.j = journal
        self.plan = plan
        self.resolver = resolver
        self.record = record
        self.preview_limit = preview_limit
        self._existing: dict[Source, set[int]] = {}
        self._seen: dict[Source, set[int]] = {}
        self.counters: dict[str, int] = {}
        self.added = 0
        self._settle_cache: dict[Any, tuple[VendorChoice, tuple[ContactRef, ...], bool]] = {}
        self.budget = limits.Budget()  # the per-import bounds, across all the files

    def _skip(self, item: Skipped) -> None:
        if not self.record:
            return
        counts = self.plan.skipped_counts
        counts[item.reason] = counts.get(item.reason, 0) + 1
        if len(self.plan.skipped) < SKIPPED_LIMIT:
            self.plan.skipped.append(item)

    def _existing_ids(self, source: Source) -> set[int]:
        found = self._existing.get(source)
        if found is None:
            found = set()
            with self.j.reading() as conn:
                for (sid,) in conn.exec_driver_sql(
                        "SELECT source_id FROM interaction WHERE source = ? AND source_id IS NOT NULL",
                        (source.value,)):
                    found.add(hash(sid))
            self._existing[source] = found
        return found

    def run(self, items: Iterable[Found | FoundContact | Skipped | ReadProblem]) -> Iterator[Proto]:
        for item in items:
            if isinstance(item, Found):
                proto = self._interaction(item)
                if proto is not None:
                    yield proto
            elif isinstance(item, FoundContact):
                self._contact(item)
            elif isinstance(item, ReadProblem):
                self._skip(Skipped(SkipReason.BROKEN, item.what, item.detail, item.path))
            else:
                self._skip(item)

    def _no_vendor(self, what: str, path: str, domains: tuple[str, ...], names: tuple[str, ...],
                   detail: str) -> None:
        if self.record:
            for d in domains:
                self.plan.unmatched_domains[d] = self.plan.unmatched_domains.get(d, 0) + 1
            for n in names:
                self.plan.unmatched_vendor_names[n] = self.plan.unmatched_vendor_names.get(n, 0) + 1
        self._skip(Skipped(SkipReason.NO_VENDOR, what, detail, path, domains, names))

    def _interaction(self, f: Found) -> Proto | None:
        key = hash(f.source_id)
        if key in self._existing_ids(f.source):
            self._skip(Skipped(SkipReason.DUPLICATE, f.what, "already imported", f.path))
            return None
        seen = self._seen.setdefault(f.source, set())
        if key in seen:
            self._skip(Skipped(SkipReason.DUPLICATE, f.what, "it appears twice in these files", f.path))
            return None
        settled = self._settled(f)
        choice, refs, sender_is_vendor = settled
        vendor = choice.vendor
        if vendor is None:
            detail = _no_vendor_detail(choice.unmatched_domains, choice.unmatched_names)
            self._no_vendor(f.what, f.path, choice.unmatched_domains, choice.unmatched_names, detail)
            return None
        summary = clean_line(f.summary) or "(no subject)"
        notes = clean_text(f.notes)
        if len(summary) > SUMMARY_MAX:
            notes = summary + ("\n\n" + notes if notes else "")
            summary = summary[: SUMMARY_MAX - 1].rstrip() + "…"
        if len(notes) > NOTES_MAX:
            notes = notes[: NOTES_MAX - 40] + "\n[… the rest was cut]"
        moment = f.occurred_at
        try:
            check_moment(moment, "its date")
        except InvalidInput as exc:
            self._skip(Skipped(SkipReason.BROKEN, f.what, str(exc).split(";")[0], f.path))
            return None
        direction = f.direction
        if direction is None:
            direction = Direction.INBOUND if sender_is_vendor else Direction.OUTBOUND
        topics = f.topics
        if topics:
            try:
                topics = clean_topics(topics)
            except InvalidInput:
                topics = ()
        follow_up = f.follow_up
        if follow_up is not None and not FIRST_DAY_YEAR <= follow_up.due.year <= LAST_YEAR:
            follow_up = None  # a follow-up date no one could type: the interaction still imports
        if follow_up is not None:
            follow_up = FollowUp(due=follow_up.due, what=clean_line(follow_up.what), owner=follow_up.owner,
                                 done_at=follow_up.done_at)
        seen.add(key)
        proto = Proto(vendor_id=vendor.id, occurred_at=moment, summary=summary,
                      tag=f.tag or self.plan.default_tag, channel=f.channel, direction=direction, notes=notes,
                      topics=topics, quality=f.quality, follow_up=follow_up, contacts=refs,
                      source=f.source, source_id=f.source_id)
        self.added += 1
        if self.record:
            self.plan.added_count += 1
            if len(self.plan.added) < self.preview_limit:
                self.plan.added.append(PlannedInteraction(
                    vendor=vendor.name, occurred_at=moment, summary=summary, tag=proto.tag, channel=f.channel,
                    direction=direction, contacts=tuple(self._contact_name(c) for c in refs), source=f.source,
                    source_id=f.source_id, what=f.what, path=f.path))
        return proto

    def _settled(self, f: Found) -> tuple[VendorChoice, tuple[ContactRef, ...], bool]:
        """Vendor, contacts and whether the sender is the vendor's: the same for every item with the
        same names and people (a CSV's rows repeat them), so worked out once for each."""
        key = (f.vendor_names, f.people, f.sender)
        found = self._settle_cache.get(key)
        if found is not None:
            return found
        r = self.resolver
        choice = r.choose(f.vendor_names, f.people, f.sender)
        refs: dict[ContactRef, None] = {}  # ordered and de-duplicated in one pass
        sender_is_vendor = False
        if choice.vendor is not None:
            sender_is_vendor = bool(f.sender) and r.belongs(choice, Person(email=f.sender))
            for p in f.people:
                if not r.belongs(choice, p):
                    continue
                ref = r.contact_ref(choice.vendor, p, f.what)
                if ref is not None:
                    refs.setdefault(ref, None)
        if len(self._settle_cache) >= 100_000:
            self._settle_cache.clear()
        found = self._settle_cache[key] = (choice, tuple(refs), sender_is_vendor)
        return found

    def _contact_name(self, ref: ContactRef) -> str:
        if isinstance(ref, tuple):
            planned = self.resolver.new_contacts.get(ref)
            return planned.name if planned else ref[1]
        try:
            return self.j.contacts.get(ref).name
        except Exception:  # noqa: BLE001 - a name for the preview only
            return f"#{ref}"

    def _contact(self, c: FoundContact) -> None:
        r = self.resolver
        person = c.person
        if person.email and r.is_rep(person.email):
            self._skip(Skipped(SkipReason.DUPLICATE, c.what, "this is your own card", c.path))
            return
        by_domain = r.choose((), (person,), person.email)
        vendor: Vendor | None = by_domain.vendor if by_domain.by_domain else None
        by_name = None
        if vendor is None and c.vendor_names:
            by_name = r.choose(c.vendor_names, (), "")  # ORG, else the fallback vendor
            vendor = by_name.vendor
        if vendor is None:
            vendor = r.fallback
        if vendor is None:
            names = by_name.unmatched_names if by_name else ()
            self._no_vendor(c.what, c.path, by_domain.unmatched_domains, names,
                            _no_vendor_detail(by_domain.unmatched_domains, names))
            return
        existing = r.existing_contact(vendor.id, person)
        if existing is not None:
            self._skip(Skipped(SkipReason.DUPLICATE, c.what, f"already a contact at {vendor.name}", c.path))
            return
        name = r.contact_name(person)
        if not name:
            self._skip(Skipped(SkipReason.BROKEN, c.what, "it has no usable name", c.path))
            return
        before = len(r.new_contacts)
        ref = r.contact_ref(vendor, person, c.what)
        if ref is None:
            self._skip(Skipped(SkipReason.BROKEN, c.what, "a no-reply address is not a person", c.path))
        elif len(r.new_contacts) == before:
            self._skip(Skipped(SkipReason.DUPLICATE, c.what, "it appears twice in these files", c.path))


def _no_vendor_detail(domains: tuple[str, ...], names: tuple[str, ...]) -> str:
    if names:
        return f"no vendor named {', '.join(names)}"
    if domains:
        return f"no vendor has the domain {', '.join(domains)}"
    return "nothing in it names a vendor"


def _items(source: SourceFile, plan: ImportPlan, walk: _Walk, rep: frozenset[str],
           csv_mapping: dict[str, str] | None, day_first: bool | None,
           layouts: dict[Path, csv_rows.CsvLayout]) -> Iterator[Any]:
    path = source.path
    whole = {"ics": limits.CALENDAR_BYTES_MAX, "vcf": limits.VCARD_BYTES_MAX}.get(source.format)
    if whole is not None and source.size > whole:  # these are parsed whole: refuse before reading
        raise ImportFailed(f"{path} is {limits.megabytes(source.size)}, more than the {limits.megabytes(whole)} "
                           f"a {'calendar' if source.format == 'ics' else 'contacts'} file may be; "
                           "export it in smaller parts.")
    if source.format == "ics":
        assert plan.ics_range is not None
        yield from ics.read_ics(path, path.read_bytes(), plan.ics_range, rep, walk.budget)
    elif source.format == "eml":
        yield from mail.read_eml_file(path, rep)
    elif source.format == "mbox":
        yield from mail.read_mbox(path, rep)
    elif source.format == "vcf":
        yield from vcard.read_vcf(path, path.read_bytes())
    elif source.format == "csv":
        lay = layouts.get(path)
        if lay is None:
            lay = layouts[path] = csv_rows.layout(path, csv_mapping, day_first)
        yield from csv_rows.read_csv(path, lay, plan.default_tag, walk.counters)
    elif source.format == "json":
        from partnerdesk.services.importers.journal_json import read_interaction_list

        yield from read_interaction_list(path, DateReader(day_first))
    else:  # pragma: no cover - detect_format only hands out the formats above
        raise ImportFailed(f"{path}: unknown format {source.format}.")


def _read_error(source: SourceFile, exc: BaseException) -> ImportFailed:
    if isinstance(exc, ImportFailed):
        return exc
    if isinstance(exc, UnicodeDecodeError):
        return ImportFailed(f"{source.path} is not text in an encoding I can read; export it again as UTF-8.")
    if isinstance(exc, PermissionError):
        return ImportFailed(f"{source.path} cannot be read (permission denied).")
    if isinstance(exc, OSError):
        return ImportFailed(f"{source.path} cannot be read ({exc.strerror or exc}).")
    return ImportFailed(f"{source.path} cannot be read ({type(exc).__name__}: {exc}).")


def _protos(journal: Journal, plan: ImportPlan, walk: _Walk, rep: frozenset[str]) -> Iterator[Proto]:
    opts = plan.options
    layouts: dict[Path, csv_rows.CsvLayout] = {}
    for source in plan.sources:
        try:
            yield from walk.run(_items(source, plan, walk, rep, opts.get("csv_mapping"), opts.get("day_first"),
                                       layouts))
        except (ImportFailed, OSError, UnicodeDecodeError, RecursionError, MemoryError) as exc:
            failed = _read_error(source, exc)
            if len(plan.sources) == 1:
                raise failed from None
            # In a batch, one bad file is reported and the others import (nothing of it is kept
            # beyond what was read before the failure, which was itself fine).
            walk._skip(Skipped(SkipReason.BROKEN, source.path.name, str(failed), str(source.path)))
            continue
        lay = layouts.get(source.path)
        if lay is not None and walk.record:
            plan.csv_mapping.update(lay.mapping)
            plan.notes.extend(lay.notes)
            idx = plan.sources.index(source)
            plan.sources[idx] = SourceFile(source.path, source.format, source.size, source.mtime_ns,
                                           lay.encoding, lay.delimiter)


# -- the API ----------------------------------------------------------------------------------------
def plan_import(journal: Journal, paths: Sequence[str | Path], vendor: str | None = None,
                rep_email: str | None = None, ics_range: tuple[date, date] | None = None,
                csv_mapping: dict[str, str] | None = None, *, default_tag: Tag = Tag.TRANSACTIONAL,
                day_first: bool | None = None, vendor_for: dict[str, str] | None = None,
                preview_limit: int = PREVIEW_LIMIT) -> ImportPlan:
    """Read the files and say what an import would add and skip, and why; write nothing.

    vendor: the vendor for items no domain or name matches (also the vCards' vendor then).
    rep_email: your own address(es), comma-separated: decides direction, never a vendor or contact.
    ics_range: (first day, last day) of meetings to take; default the last two years to today.
    csv_mapping: corrections to the guessed CSV mapping, header -> field ('' or 'ignore' drops one).
    default_tag: the tag of items the file does not tag itself (an interaction always has one).
    day_first: CSV dates like 03/04/2025 are day/month; None decides from the file (else month first).
    vendor_for: answers to "which vendor is this?", domain or company name -> vendor name.
    """
    sources = source_files(paths)
    rep = _rep_emails(rep_email)
    fallback = journal.vendors.resolve(vendor) if vendor else None
    if ics_range is not None and ics_range[1] < ics_range[0]:
        raise InvalidInput("The date range ends before it starts; swap the dates.")
    plan = ImportPlan(sources=sources, default_tag=Tag(default_tag))
    plan.options = {"vendor": fallback.name if fallback else None, "rep_email": ",".join(rep),
                    "csv_mapping": dict(csv_mapping or {}), "day_first": day_first,
                    "vendor_for": dict(vendor_for or {}), "preview_limit": preview_limit}
    if any(s.format == "ics" for s in sources):
        plan.ics_range = ics_range or ics.default_range()
    if len(sources) == 1 and sources[0].format == "json":
        from partnerdesk.services.importers.journal_json import kind_of

        if kind_of(sources[0].path) == "document":
            return _plan_document(journal, plan, preview_limit)
    resolver = Resolver(journal, fallback, rep, vendor_for)
    walk = _Walk(journal, plan, resolver, record=True, preview_limit=preview_limit)
    spill = Spill()
    try:
        for proto in _protos(journal, plan, walk, frozenset(rep)):
            spill.add(_encode(proto))
    except BaseException:
        spill.close()
        raise
    plan.new_contacts = list(resolver.new_contacts.values())
    plan._spill = spill
    _explain(plan, walk, fallback)
    return plan


# Enum -> its plain str (marshal takes exact str only; a dict lookup is cheaper than .value).
_PLAIN: dict[Any, str] = {m: m.value for e in (Tag, Channel, Direction, Source, FollowUpOwner) for m in e}


def _encode(p: Proto) -> tuple[Any, ...]:
    fu = p.follow_up
    plain = _PLAIN
    return (p.vendor_id, to_epoch(p.occurred_at), p.summary, plain[p.tag], plain[p.channel],
            plain[p.direction], p.notes, p.topics, p.quality,
            None if fu is None else (fu.due.isoformat(), fu.what, plain[fu.owner],
                                     to_epoch(fu.done_at) if fu.done_at else None),
            p.contacts, plain[p.source], p.source_id)


_TAG = {t.value: t for t in Tag}
_CHANNEL = {c.value: c for c in Channel}
_DIRECTION = {d.value: d for d in Direction}
_SOURCE = {s.value: s for s in Source}


def _decode(r: tuple[Any, ...], ids: dict[NewRef, int]) -> InteractionDraft:
    contact_ids: list[int] = []
    for ref in r[10]:
        if isinstance(ref, tuple):
            cid = ids.get(ref)
            if cid is None:
                raise ImportFailed("The journal changed since the preview; preview the import again.")
        else:
            cid = ref
        if cid not in contact_ids:
            contact_ids.append(cid)
    fu = r[9]
    follow_up = None
    if fu is not None:
        follow_up = FollowUp(due=date.fromisoformat(fu[0]), what=fu[1], owner=FollowUpOwner(fu[2]),
                             done_at=from_epoch(fu[3]) if fu[3] is not None else None)
    return InteractionDraft(vendor_id=r[0], occurred_at=from_epoch(r[1]), summary=r[2], tag=_TAG[r[3]],
                            channel=_CHANNEL[r[4]], direction=_DIRECTION[r[5]], notes=r[6], quality=r[8],
                            topics=r[7], contact_ids=tuple(contact_ids), follow_up=follow_up,
                            source=_SOURCE[r[11]], source_id=r[12])


def _explain(plan: ImportPlan, walk: _Walk, fallback: Vendor | None) -> None:
    tagged = plan.added_count
    if tagged and any(s.format in ("ics", "eml", "mbox", "csv", "json") for s in plan.sources):
        plan.notes.append(f"Items without a tag of their own are tagged {plan.default_tag.value} "
                          "(every interaction needs a tag); choose another with --tag.")
    unknown = walk.counters.get("unknown_tag", 0)
    if unknown:
        plan.notes.append(f"{unknown:,} rows had a tag/outcome that is neither helpful nor transactional; "
                          f"they were tagged {plan.default_tag.value}.")
    if plan.ics_range:
        a, b = plan.ics_range
        plan.notes.append(f"Meetings from {a.isoformat()} to {b.isoformat()} were taken; "
                          "change the range with --since/--until.")
    if plan.unmatched_domains or plan.unmatched_vendor_names:
        plan.notes.append("Some items match no vendor: add the domain to a vendor, or pass --vendor.")
    if fallback is not None:
        plan.notes.append(f"Items that match no vendor go to {fallback.name}.")


def _plan_document(journal: Journal, plan: ImportPlan, preview_limit: int) -> ImportPlan:
    from partnerdesk.services.importers.journal_json import run_document

    source = plan.sources[0]
    try:
        with journal.reading() as conn:
            job = run_document(conn, source.path, plan, write=False, preview_limit=preview_limit,
                               skipped_limit=SKIPPED_LIMIT)
    except (OSError, UnicodeDecodeError, RecursionError, MemoryError) as exc:
        raise _read_error(source, exc) from None
    counts = dict(job.counts)
    plan.json_mode = "restore" if job.restore else "merge"
    plan.added_count = counts.pop("interactions")
    plan.json_counts = counts
    plan.notes.append(
        "The journal is empty, so the document is restored exactly (same ids and times)." if job.restore else
        "The journal has records, so the document is merged: vendors and contacts are matched by name, "
        "and interactions already present are skipped.")
    return plan


def _backup(journal: Journal) -> Path | None:
    try:
        from partnerdesk.services.backup import backup_before  # type: ignore[import-not-found]
    except ImportError:
        return None
    made = backup_before(journal, reason="import")
    return made if isinstance(made, Path) else None


def apply_import(journal: Journal, plan: ImportPlan, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Write what the plan says, in one transaction (all of it, or nothing).

    progress(done, total) is called as interactions are written; cancelled() is polled and, when it
    returns True, the import stops with ImportCancelled and nothing is written.
    """
    started = time.monotonic()
    if plan.json_mode:
        return _apply_document(journal, plan, progress, cancelled, started)
    if plan.nothing_to_do:
        return ImportResult(seconds=time.monotonic() - started)
    backup = _backup(journal)
    total = plan.added_count
    with journal.writing() as conn:
        ids = _create_contacts(conn, plan.new_contacts)
        drafts = _drafts(plan._spill or (), ids, total, progress, cancelled)
        added, dupes = journal.interactions.add_many(drafts, skip_existing=True, validate=False, conn=conn)
    if progress:
        progress(total, total)
    return ImportResult(added=added, skipped_duplicates=dupes, contacts_added=len(ids), backup=backup,
                        seconds=time.monotonic() - started)


def _create_contacts(conn: Any, planned: list[PlannedContact]) -> dict[NewRef, int]:
    if not planned:
        return {}
    existing: dict[tuple[int, str], int] = {}
    for cid, vid, name in conn.exec_driver_sql("SELECT id, vendor_id, name FROM contact"):
        existing.setdefault((vid, name.casefold()), cid)
    now = now_epoch()
    ids: dict[NewRef, int] = {}
    for c in planned:
        key = (c.vendor_id, c.name.casefold())
        found = existing.get(key)
        if found is None:
            cur = conn.exec_driver_sql(
                "INSERT INTO contact (vendor_id, name, role, email, phone, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?)", (c.vendor_id, c.name, c.role.value, c.email, c.phone, now, now))
            found = existing[key] = int(cur.lastrowid)
        ids[key] = found
    return ids


def _drafts(records: Iterable[tuple[Any, ...]], ids: dict[NewRef, int], total: int,
            progress: Callable[[int, int], None] | None,
            cancelled: Callable[[], bool] | None) -> Iterator[InteractionDraft]:
    done = 0
    for r in records:
        yield _decode(r, ids)
        done += 1
        if done % TICK == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("Import cancelled; nothing was written.")
            if progress:
                progress(done, total)


def _apply_document(journal: Journal, plan: ImportPlan, progress: Callable[[int, int], None] | None,
                    cancelled: Callable[[], bool] | None, started: float) -> ImportResult:
    from partnerdesk.services.exports import LEDGER_SECTIONS
    from partnerdesk.services.importers.journal_json import journal_is_empty, run_document

    source = plan.sources[0]
    total = plan._spill.count if plan._spill is not None else 0

    def tick(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled("Import cancelled; nothing was written.")
        if progress:
            progress(min(done, total), total)

    backup = _backup(journal)
    scratch = ImportPlan(sources=plan.sources, options=dict(plan.options))
    with journal.writing() as conn:
        if journal_is_empty(conn) != (plan.json_mode == "restore"):
            raise ImportFailed("The journal changed since the preview; preview the import again.")
        job = run_document(conn, source.path, scratch, write=True, preview_limit=0, skipped_limit=0, tick=tick,
                           records=plan._spill or Spill())
        counts = dict(job.counts)
    if progress:
        progress(total, total)
    return ImportResult(added=counts["interactions"], contacts_added=counts["contacts"],
                        vendors_added=counts["vendors"], events_added=counts["events"],
                        questions_added=counts["questions"], answers_added=counts["answers"],
                        ledger_added={k: counts.get(k, 0) for k in LEDGER_SECTIONS},
                        skipped_duplicates=max(0, scratch.skipped_counts.get(SkipReason.DUPLICATE, 0)
                                               - plan.skipped_counts.get(SkipReason.DUPLICATE, 0)),
                        backup=backup, seconds=time.monotonic() - started)
