"""`partnerdesk import` and `partnerdesk export` (registered through parser.EXTENSIONS).

Top-level imports stay light: this module is imported for every command, --help included.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from partnerdesk.cli.output import print_json, print_table
from partnerdesk.domain.errors import InvalidInput

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal

SHOWN = 50  # preview rows printed in a table (all are counted; --format json lists more)
REP_EMAIL_ENV = "PARTNERDESK_REP_EMAIL"


def register(sub: Any, db: argparse.ArgumentParser, add_format: Any) -> None:
    p = sub.add_parser(
        "import", parents=[db],
        help="import calendar (.ics), mail (.eml, .mbox), CRM .csv, vCard .vcf or partnerdesk .json files",
        description="Shows what will be added and what is skipped (and why), then imports it all in one "
                    "transaction. Importing the same file again adds nothing.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--vendor", metavar="V", help="vendor for items no domain or company name matches")
    p.add_argument("--dry-run", action="store_true", help="only show the preview; write nothing")
    p.add_argument("--format", choices=["table", "json"], default="table", help="preview format (default: table)")
    p.add_argument("--rep-email", metavar="E",
                   help=f"your own address(es), comma-separated: decides direction (default: ${REP_EMAIL_ENV})")
    p.add_argument("--since", metavar="D", help="calendar: first day of meetings to take (default: 2 years ago)")
    p.add_argument("--until", metavar="D", help="calendar: last day of meetings to take (default: today)")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="CSV: read COLUMN as FIELD (summary, notes, occurred_at, time, vendor, channel, "
                        "direction, tag, contacts, email, topics, quality, source_id ...; 'ignore' drops it)")
    p.add_argument("--day-first", action="store_true", help="CSV: dates like 03/04/2025 are day/month/year")
    p.add_argument("--tag", choices=["helpful", "transactional"], default="transactional",
                   help="tag for items that carry none (default: transactional)")

    p = sub.add_parser(
        "export", parents=[db], help="export interactions, vendors, contacts, events or answers as CSV or JSON",
        description="--format json with no --what writes the whole journal as one document that "
                    "'partnerdesk import' restores exactly; CSV writes interactions unless --what says otherwise.")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write ('-' for standard output)")
    p.add_argument("--format", choices=["csv", "json"], help="csv or json (default: from the file name, else csv)")
    p.add_argument("--what", choices=["interactions", "vendors", "contacts", "events", "answers",
                                      "followups", "all"])
    p.add_argument("--vendor", action="append", default=[], metavar="V")
    p.add_argument("--tag", help="helpful or transactional")
    p.add_argument("--since", metavar="D", help="from this date (inclusive)")
    p.add_argument("--until", metavar="D", help="up to this date (inclusive)")
    p.add_argument("--search", metavar="TEXT", help="only interactions matching this full-text search")


def _mapping(items: list[str]) -> dict[str, str]:
    from partnerdesk.services.importers.csv_rows import parse_field

    out: dict[str, str] = {}
    for item in items:
        column, sep, field = item.rpartition("=")
        if not sep or not column.strip():
            raise InvalidInput(f"--map '{item}' is not COLUMN=FIELD; e.g. --map 'Activity Date=occurred_at'.")
        out[column.strip()] = parse_field(field) if field.strip() else ""
    return out


def _range(a: argparse.Namespace) -> Any:
    from partnerdesk.domain.when import parse_day
    from partnerdesk.services.importers.ics import default_range

    if not a.since and not a.until:
        return None
    lo, hi = default_range()
    since = parse_day(a.since) if a.since else lo
    until = parse_day(a.until) if a.until else hi
    if until < since:
        raise InvalidInput("--until is before --since; swap the dates.")
    return since, until


def _when(moment: Any) -> str:
    from partnerdesk.domain.when import to_local

    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def _plan_json(plan: Any) -> dict[str, Any]:
    return {
        "sources": [{"path": str(s.path), "format": s.format, "encoding": s.encoding or None,
                     "delimiter": s.delimiter or None} for s in plan.sources],
        "added_count": plan.added_count,
        "added": [{"vendor": i.vendor, "occurred_at": i.occurred_at.isoformat(timespec="seconds"),
                   "summary": i.summary, "tag": i.tag.value, "channel": i.channel.value,
                   "direction": i.direction.value, "contacts": list(i.contacts), "source": i.source.value,
                   "source_id": i.source_id, "where": i.what} for i in plan.added],
        "new_contacts": [{"vendor": c.vendor, "name": c.name, "email": c.email, "phone": c.phone,
                          "role": c.role.value} for c in plan.new_contacts],
        "skipped_counts": {r.value: n for r, n in plan.skipped_counts.items()},
        "skipped": [{"reason": s.reason.value, "where": s.what, "detail": s.detail, "path": s.path,
                     "domains": list(s.domains), "vendor_names": list(s.vendor_names)} for s in plan.skipped],
        "unmatched_domains": plan.unmatched_domains,
        "unmatched_vendor_names": plan.unmatched_vendor_names,
        "csv_mapping": plan.csv_mapping,
        "default_tag": plan.default_tag.value,
        "json_mode": plan.json_mode or None,
        "json_counts": plan.json_counts,
        "notes": plan.notes,
    }


def _print_plan(plan: Any) -> None:
    print(plan.summary_line())
    if plan.added:
        print()
        rows = [{"when": _when(i.occurred_at), "vendor": i.vendor, "channel": i.channel.value,
                 "dir": i.direction.value, "tag": i.tag.value, "summary": i.summary,
                 "contacts": ", ".join(i.contacts)} for i in plan.added[:SHOWN]]
        print_table(rows, [("when", "When"), ("vendor", "Vendor"), ("channel", "Channel"), ("dir", "Dir"),
                           ("tag", "Tag"), ("summary", "Summary"), ("contacts", "Contacts")], flexible="summary")
        if plan.added_count > len(rows):
            print(f"… and {plan.added_count - len(rows):,} more.")
    if plan.new_contacts:
        print()
        print("New contacts:")
        for c in plan.new_contacts[:SHOWN]:
            print(f"  {c.vendor}: {c.name}" + (f" <{c.email}>" if c.email else ""))
        if len(plan.new_contacts) > SHOWN:
            print(f"  … and {len(plan.new_contacts) - SHOWN:,} more.")
    if plan.skipped:
        print()
        print("Skipped:")
        for s in plan.skipped[:SHOWN]:
            print(f"  {os.path.basename(s.path)}: {s.describe()}" if s.path else f"  {s.describe()}")
        total = sum(plan.skipped_counts.values())
        if total > SHOWN:
            print(f"  … and {total - SHOWN:,} more.")
    if plan.unmatched_domains:
        top = sorted(plan.unmatched_domains.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        print()
        print("No vendor has these domains: " + ", ".join(f"{d} ({n})" for d, n in top)
              + ". Add one to a vendor (partnerdesk vendor add NAME --domain D) or pass --vendor.")
    if plan.unmatched_vendor_names:
        top = sorted(plan.unmatched_vendor_names.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        print()
        print("No vendor has these names: " + ", ".join(f"{d} ({n})" for d, n in top)
              + ". Add them (partnerdesk vendor add NAME) or pass --vendor.")
    if plan.csv_mapping:
        print()
        used = ", ".join(f"{h} → {f}" for h, f in plan.csv_mapping.items() if f)
        print(f"CSV columns: {used}. Correct with --map 'COLUMN=FIELD'.")
    for note in plan.notes:
        print(f"Note: {note}")


def cmd_import(journal: Journal, a: argparse.Namespace) -> int:
    from partnerdesk.domain.vocab import Tag
    from partnerdesk.services.importers import apply_import, plan_import

    rep = a.rep_email if a.rep_email is not None else os.environ.get(REP_EMAIL_ENV) or None
    plan = plan_import(journal, a.files, vendor=a.vendor, rep_email=rep, ics_range=_range(a),
                       csv_mapping=_mapping(a.map) or None, default_tag=Tag(a.tag),
                       day_first=True if a.day_first else None)
    if a.format == "json":
        out = _plan_json(plan)
        if not a.dry_run and not plan.nothing_to_do:
            result = apply_import(journal, plan, progress=_progress())
            _end_progress()
            out["result"] = _result_json(result)
        print_json(out)
        return 0
    _print_plan(plan)
    if a.dry_run:
        print("\nDry run: nothing was written.")
        return 0
    if plan.nothing_to_do:
        print("\nNothing to import.")
        return 0
    result = apply_import(journal, plan, progress=_progress())
    _end_progress()
    print()
    print(result.summary_line() + (f" A backup was made first: {result.backup}" if result.backup else ""))
    return 0


def _result_json(result: Any) -> dict[str, Any]:
    return {"added": result.added, "skipped_duplicates": result.skipped_duplicates,
            "contacts_added": result.contacts_added, "vendors_added": result.vendors_added,
            "events_added": result.events_added, "questions_added": result.questions_added,
            "answers_added": result.answers_added, "backup": str(result.backup) if result.backup else None,
            "seconds": round(result.seconds, 3)}


def _progress() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done:,} / {total:,}")
        sys.stderr.flush()

    return show


def _end_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")


def cmd_export(journal: Journal, a: argparse.Namespace) -> int:
    from partnerdesk.domain.models import InteractionFilter
    from partnerdesk.domain.vocab import Tag, parse_choice
    from partnerdesk.domain.when import day_start, parse_day
    from partnerdesk.services.exports import export

    fmt = a.format or ("json" if str(a.output).lower().endswith(".json") else "csv")
    filtered = bool(a.vendor or a.tag or a.since or a.until or a.search)
    what = a.what or ("all" if fmt == "json" and not filtered else "interactions")
    if what == "all" and filtered:
        raise InvalidInput("The whole-journal export takes no filter; use --what interactions to filter.")
    if a.search is not None:
        from partnerdesk.store.fts_query import build_match

        if build_match(a.search) is None:
            raise InvalidInput("The search has no words in it; type at least one word to look for.")
    from partnerdesk.cli.commands import _vendor

    vendor_ids = tuple(_vendor(journal, name).id for name in a.vendor)
    since = day_start(parse_day(a.since)) if a.since else None
    until = day_start(parse_day(a.until) + timedelta(days=1)) if a.until else None
    if since and until and until <= since:
        raise InvalidInput("--until is before --since; swap the dates.")
    f = InteractionFilter(vendor_ids=vendor_ids, tag=parse_choice(Tag, a.tag, "tag") if a.tag else None,
                          since=since, until=until, text=a.search or "")
    result = export(journal, a.output, what, fmt, f)
    if a.output != "-":
        print(result.summary_line())
    return 0


HANDLERS = {"import": cmd_import, "export": cmd_export}
