"""One handler per command: turn arguments into service calls and print the result."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from partnerdesk.cli.output import print_csv, print_json, print_table
from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.models import InteractionFilter
from partnerdesk.domain.vocab import Channel, EventKind, Role, Tag, parse_choice
from partnerdesk.domain.when import day_start, local_now, parse_day, to_local
from partnerdesk.services import serialize

if TYPE_CHECKING:  # a read command gets a LiteJournal and never imports SQLAlchemy
    from partnerdesk.store.journal import Journal

INTERACTION_COLUMNS = [("id", "ID"), ("when", "When"), ("vendor", "Vendor"), ("channel", "Channel"),
                       ("dir", "Dir"), ("tag", "Tag"), ("summary", "Summary"), ("follow", "Follow-up")]
CSV_INTERACTION_COLUMNS = ["id", "vendor", "occurred_at", "channel", "direction", "tag", "quality",
                           "summary", "notes", "topics", "contacts", "follow_up_due", "follow_up_what",
                           "follow_up_owner", "follow_up_done_at", "source", "source_id",
                           "action_items"]


def _vendor(journal: Journal, name: str) -> Any:
    try:
        return journal.vendors.resolve(name)
    except NotFound as exc:
        raise NotFound(f"{exc} To add it: partnerdesk vendor add '{name}'") from None


def _action_items(journal: Journal, items: list[Any]) -> dict[int, list[Any]]:
    """Every action item of these interactions, in one read."""
    from partnerdesk.store.action_items import items_by_interaction

    with journal.reading() as conn:
        return items_by_interaction(conn, [i.id for i in items])


def _emit_interactions(journal: Journal, items: list[Any], fmt: str, empty: str) -> None:
    found = _action_items(journal, items) if items else {}
    if fmt == "json":
        print_json([serialize.interaction_dict(i, found.get(i.id, [])) for i in items])
    elif fmt == "csv":
        print_csv([serialize.interaction_flat(i, found.get(i.id, [])) for i in items],
                  CSV_INTERACTION_COLUMNS)
    elif not items:
        print(empty)
    else:
        print_table(interaction_rows(items, found), INTERACTION_COLUMNS, flexible="summary")


def interaction_rows(items: list[Any], found: dict[int, list[Any]]) -> list[dict[str, Any]]:
    """The table's cells for each interaction (list and search); `found` holds their action
    items by interaction id."""
    from partnerdesk.services.followup_text import cell_text

    today = local_now().date()
    rows = []
    for i in items:
        follow = cell_text(found.get(i.id, []), today)
        if follow.startswith("overdue"):  # loud in a terminal, where there is no red
            follow = "OVERDUE" + follow.removeprefix("overdue")
        rows.append({
            "id": i.id,
            "when": to_local(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "vendor": i.vendor_name,
            "channel": i.channel.value,
            "dir": i.direction.value,
            "tag": i.tag.value,
            "summary": i.summary,
            "follow": follow,
        })
    return rows


def cmd_vendor(journal: Journal, a: argparse.Namespace) -> int:
    if a.action == "add":
        v = journal.vendors.add(a.name, programme=a.programme, tier=a.tier, domains=a.domain, notes=a.notes)
        print(f"Added vendor {v.display_name} (#{v.id}).")
    elif a.action == "list":
        stats = journal.interactions.vendor_stats(local_now().date())
        vendors = journal.vendors.all(include_archived=a.archived)
        rows = [serialize.vendor_dict(v, stats.get(v.id, (0, None, 0))) for v in vendors]
        if a.format == "json":
            print_json(rows)
        elif a.format == "csv":
            cols = ["id", "name", "display_name", "programme", "tier", "domains", "archived", "acquired_by",
                    "acquired_on", "interactions", "last_contact", "overdue_follow_ups"]
            for r in rows:
                r["domains"] = "; ".join(r["domains"])
            print_csv(rows, cols)
        elif not rows:
            print("No vendors yet. Add one: partnerdesk vendor add NAME")
        else:
            for r in rows:
                r["last_contact"] = (r["last_contact"] or "")[:10]
                r["archived"] = "archived" if r["archived"] else ""
            print_table(rows, [("display_name", "Vendor"), ("programme", "Programme"), ("tier", "Tier"),
                               ("interactions", "Interactions"), ("last_contact", "Last contact"),
                               ("overdue_follow_ups", "Overdue"), ("archived", "")], flexible="display_name")
    elif a.action == "acquired":
        target = _vendor(journal, a.name)
        buyer = _vendor(journal, a.by)
        on = parse_day(a.on)
        v = journal.vendors.set_acquirer(target.id, buyer.id, on)
        kinds = {e.kind for e in journal.events.for_vendor(target.id) if e.on == on}
        if EventKind.ACQUISITION not in kinds:
            journal.events.add(target.id, on, EventKind.ACQUISITION, f"Acquired by {buyer.name}")
        print(f"Recorded: {target.name} acquired by {buyer.name} on {on.isoformat()}; shown as {v.display_name}.")
    elif a.action == "archive":
        v = journal.vendors.update(_vendor(journal, a.name).id, archived=not a.undo)
        print(f"{'Restored' if a.undo else 'Archived'} {v.display_name}.")
    return 0


def cmd_contact(journal: Journal, a: argparse.Namespace) -> int:
    if a.action == "add":
        v = _vendor(journal, a.vendor)
        c = journal.contacts.add(
            v.id, a.name, role=parse_choice(Role, a.role, "role"), email=a.email, phone=a.phone,
            active_from=parse_day(a.active_from) if a.active_from else None,
            active_to=parse_day(a.active_to) if a.active_to else None)
        print(f"Added {c.name} ({c.role.value}) at {v.display_name} (#{c.id}).")
        return 0
    vendors = {v.id: v for v in journal.vendors.all()}
    contacts = journal.contacts.for_vendor(_vendor(journal, a.vendor).id) if a.vendor else journal.contacts.all()
    rows = [serialize.contact_dict(c, vendors[c.vendor_id].name) for c in contacts]
    if a.format == "json":
        print_json(rows)
    elif a.format == "csv":
        print_csv(rows, ["id", "vendor", "name", "role", "email", "phone", "active_from", "active_to"])
    elif not rows:
        print("No contacts yet. Add one: partnerdesk contact add VENDOR NAME")
    else:
        print_table(rows, [("vendor", "Vendor"), ("name", "Name"), ("role", "Role"), ("email", "Email"),
                           ("phone", "Phone"), ("active_from", "From"), ("active_to", "To")])
    return 0


def cmd_event(journal: Journal, a: argparse.Namespace) -> int:
    if a.action == "add":
        v = _vendor(journal, a.vendor)
        e = journal.events.add(v.id, parse_day(a.on), parse_choice(EventKind, a.kind, "kind of event"), a.text)
        print(f"Recorded {e.kind.value} for {v.display_name} on {e.on.isoformat()} (#{e.id}).")
        return 0
    vendors = {v.id: v for v in journal.vendors.all()}
    events = journal.events.for_vendor(_vendor(journal, a.vendor).id) if a.vendor else journal.events.all()
    rows = [serialize.event_dict(e, vendors[e.vendor_id].name) for e in events]
    if a.format == "json":
        print_json(rows)
    elif a.format == "csv":
        print_csv(rows, ["id", "vendor", "on", "kind", "text"])
    elif not rows:
        print("No events yet. Record one: partnerdesk event add VENDOR --kind K --on YYYY-MM-DD --text T")
    else:
        print_table(rows, [("on", "Date"), ("vendor", "Vendor"), ("kind", "Kind"), ("text", "What happened")],
                    flexible="text")
    return 0


def cmd_log(journal: Journal, a: argparse.Namespace) -> int:
    from partnerdesk.services.log_entry import LogRequest, build_draft
    from partnerdesk.store.vendors import VendorNotFound

    notes = a.notes
    if notes == "-":
        notes = _read_stdin()
    req = LogRequest(vendor=a.vendor, summary=a.summary, tag=a.tag, notes=notes, channel=a.channel,
                     direction=a.direction, at=a.at, contacts=a.contact, topics=a.topic, quality=a.quality,
                     follow_up=a.follow_up, follow_up_text=a.follow_up_text, vendor_promise=a.vendor_promise)
    try:
        draft = build_draft(journal, req)
    except VendorNotFound as exc:
        raise NotFound(f"{exc} To add it: partnerdesk vendor add '{a.vendor}'") from None
    item = journal.interactions.add(draft)
    if a.format == "json":
        items = _action_items(journal, [item]).get(item.id, [])
        print_json(serialize.interaction_dict(item, items))
    else:
        when = to_local(item.occurred_at).strftime("%Y-%m-%d %H:%M")
        print(f"Logged #{item.id}: {item.vendor_name}, {when}, {item.tag.value}: {item.summary}")
    return 0


def _read_stdin() -> str:
    """Piped notes in the terminal's encoding; bytes that are not (a Latin-1 file) become U+FFFD
    instead of failing the whole command."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    return buffer.read().decode(sys.stdin.encoding or "utf-8", errors="replace")


def _filter(journal: Journal, a: argparse.Namespace) -> InteractionFilter:
    vendor_ids = tuple(_vendor(journal, name).id for name in getattr(a, "vendor", []) or [])
    since = day_start(parse_day(a.since)) if getattr(a, "since", None) else None
    until = day_start(parse_day(a.until) + timedelta(days=1)) if getattr(a, "until", None) else None
    if since and until and until <= since:
        raise InvalidInput("--until is before --since; swap the dates.")
    return InteractionFilter(
        vendor_ids=vendor_ids,
        tag=parse_choice(Tag, a.tag, "tag") if getattr(a, "tag", None) else None,
        channel=parse_choice(Channel, a.channel, "channel") if getattr(a, "channel", None) else None,
        since=since, until=until)


NO_LIMIT = 10**12  # SQLite integers stop at 2**63 - 1: a bigger --limit means "all" too
MAX_ID = 2**63 - 1


def _limit(value: int) -> int:
    if value < 0:
        raise InvalidInput("--limit must be 0 (no limit) or more.")
    return min(value, NO_LIMIT) or NO_LIMIT


def cmd_list(journal: Journal, a: argparse.Namespace) -> int:
    items = journal.interactions.list(_filter(journal, a), limit=_limit(a.limit))
    _emit_interactions(journal, items, a.format, "No interactions match. Log one: partnerdesk log VENDOR -s SUMMARY -t helpful")
    return 0


def cmd_search(journal: Journal, a: argparse.Namespace) -> int:
    from partnerdesk.store.fts_query import build_match

    text = " ".join(a.query)
    if build_match(text) is None:
        raise InvalidInput("The search has no words in it; type at least one word to look for.")
    f = _filter(journal, a)
    items = journal.interactions.search(text, f, limit=_limit(a.limit))
    from partnerdesk.cli.search_output import emit_search
    from partnerdesk.store.search_all import search_other_records

    with journal.reading() as conn:  # events, answers, the ledger: small indexes, a few ms
        others = search_other_records(conn, text, list(f.vendor_ids) or None, limit=_limit(a.limit))
    emit_search(items, _action_items(journal, items) if items else {}, others, a.format,
                f"Nothing matches '{text}'.")
    return 0


def cmd_demo(journal: Journal, a: argparse.Namespace) -> int:
    from partnerdesk.services.demo import generate

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() and total:
            sys.stderr.write(f"\r{done:,} / {total:,} interactions")
            sys.stderr.flush()

    vendors, written = generate(journal, interactions=a.interactions, vendors=a.vendors, seed=a.seed,
                                progress=progress)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"Wrote a demo journal to {journal.path}: {vendors} vendors, {written:,} interactions.")
    return 0


# Read commands run on a LiteJournal (store/lite.py: the standard library only) when the
# journal needs no creating or upgrading; `reads_only(args)` says which invocations those are.
cmd_vendor.reads_only = lambda a: a.action == "list"  # type: ignore[attr-defined]
cmd_list.reads_only = lambda a: True  # type: ignore[attr-defined]
cmd_search.reads_only = lambda a: True  # type: ignore[attr-defined]

HANDLERS = {
    "vendor": cmd_vendor,
    "contact": cmd_contact,
    "event": cmd_event,
    "log": cmd_log,
    "list": cmd_list,
    "search": cmd_search,
    "demo": cmd_demo,
}


def all_handlers() -> dict[str, Any]:
    import importlib

    from partnerdesk.cli.parser import EXTENSIONS

    handlers = dict(HANDLERS)
    for module_name in EXTENSIONS:
        handlers.update(importlib.import_module(module_name).HANDLERS)
    return handlers
