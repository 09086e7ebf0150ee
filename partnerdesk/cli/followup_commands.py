"""followups and followup: action items on the command line (list, add, done, drop, snooze...).

`followups` only reads, through the standard library (no SQLAlchemy: it answers in well under
0.3 s on a million-interaction journal); the `followup` changes open the full store. Top-level
imports stay light: this module is imported for every command, including --help.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_ID = 2**63 - 1
STATES = ["open", "snoozed", "done", "dropped", "all"]


def register(
    sub: Any, db: argparse.ArgumentParser, add_format: Callable[[argparse.ArgumentParser], None]
) -> None:
    p = sub.add_parser(
        "followups",
        parents=[db],
        help="follow-ups: vendor promises and your to-dos, soonest due first",
        description="Without options: every open and snoozed follow-up, vendor promises then your "
        "to-dos, and vendors you have not been in touch with for longer than their "
        "keep-in-touch cadence.",
    )
    p.add_argument(
        "--state",
        action="append",
        choices=STATES,
        metavar="STATE",
        help="open, snoozed, done, dropped or all (repeatable; default open and snoozed)",
    )
    p.add_argument("--due-before", metavar="D", help="only those due before this date")
    p.add_argument("--overdue", action="store_true", help="only those past their due date")
    p.add_argument("--vendor", action="append", default=[], metavar="V", help="only this vendor's")
    p.add_argument(
        "--limit",
        type=int,
        default=50,
        metavar="N",
        help="the table shows at most N of each kind (default 50; 0 for all); "
        "csv and json give all",
    )
    p.add_argument(
        "--done",
        type=int,
        metavar="INTERACTION_ID",
        help="mark interaction INTERACTION_ID's first follow-up done (older form of "
        "'followup done')",
    )
    add_format(p)

    f = sub.add_parser(
        "followup", parents=[db], help="add, close, drop, snooze or reschedule follow-ups"
    )
    fsub = f.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(f))
    sub.add_parser(
        "quick",
        parents=[db],
        help="open the quick log (in the running window, or start it)",
        description="Bind this to a keyboard shortcut of your desktop to log from anywhere "
        "(see the README).",
    )
    sub.add_parser("tray", parents=[db], help="start in the system tray with follow-up reminders")
    p = fsub.add_parser("add", parents=[db], help="add a follow-up to an interaction")
    p.add_argument("interaction_id", type=int, metavar="INTERACTION_ID")
    p.add_argument("--what", required=True, metavar="T", help="what is to be done")
    p.add_argument(
        "--due", required=True, metavar="D", help="due date (YYYY-MM-DD, 'friday', 'in 2 weeks')"
    )
    p.add_argument(
        "--owner",
        default="me",
        metavar="vendor|me",
        help="vendor (their promise) or me (your to-do; the default)",
    )
    for name, text in (
        ("done", "mark follow-ups done"),
        ("reopen", "open closed or snoozed follow-ups again"),
    ):
        p = fsub.add_parser(name, parents=[db], help=text)
        p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p = fsub.add_parser(
        "drop", parents=[db], help="drop follow-ups that no longer matter, saying why"
    )
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument(
        "--reason",
        required=True,
        metavar="R",
        help="superseded, no longer needed, vendor refused, vendor failed, or your words",
    )
    p = fsub.add_parser(
        "snooze", parents=[db], help="hide follow-ups from the due list until a date"
    )
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--until", required=True, metavar="D")
    p = fsub.add_parser("reschedule", parents=[db], help="give follow-ups a new due date")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--due", required=True, metavar="D")
    p = fsub.add_parser(
        "retire",
        parents=[db],
        help="drop every follow-up overdue by more than N days, with one reason",
    )
    p.add_argument("--older-than", type=int, required=True, metavar="DAYS")
    p.add_argument("--reason", required=True, metavar="R")
    p = fsub.add_parser(
        "cadence",
        parents=[db],
        help="keep in touch with a vendor at least every N days (0 turns it off)",
    )
    p.add_argument("vendor")
    p.add_argument("days", type=int, metavar="DAYS")


def _check_ids(ids: list[int]) -> None:
    from partnerdesk.domain.errors import NotFound

    for i in ids:
        if not 1 <= i <= MAX_ID:
            raise NotFound(f"No follow-up with id {i}; list them with: partnerdesk followups")


def _today() -> Any:
    from partnerdesk.domain.when import local_now

    return local_now().date()


def _states(a: argparse.Namespace) -> tuple[str, ...] | None:
    chosen = a.state or ["open", "snoozed"]
    return None if "all" in chosen else tuple(dict.fromkeys(chosen))


def _open(path: Path, a: argparse.Namespace) -> Any:
    """The full store, by the rule every command follows: a missing or empty path is named and
    nothing is created (these commands only work on interactions that already exist)."""
    from partnerdesk.cli.journal_path import open_for_command

    return open_for_command(path, a)[0]


def _reader(path: Path, a: argparse.Namespace) -> Any:
    """A stdlib reader when the journal is ready at this schema; else the full store (which
    creates or upgrades it, with its usual messages)."""
    from partnerdesk.store.lite import LiteJournal
    from partnerdesk.store.schema import LATEST_VERSION

    if path.is_file() and path.stat().st_size > 0:
        lite = LiteJournal(path)
        try:
            with lite.reading() as conn:
                version = conn.exec_driver_sql("PRAGMA user_version").scalar()
        except Exception:
            version = None
        if version == LATEST_VERSION:
            return lite
    return _open(path, a)


def cmd_followups(path: Path, a: argparse.Namespace) -> int:
    from datetime import timedelta

    from partnerdesk.domain.errors import NotFound
    from partnerdesk.domain.when import parse_day
    from partnerdesk.store import action_items as store

    if a.done is not None:  # the older form: an interaction's follow-up

        if not 1 <= a.done <= MAX_ID:
            raise NotFound(f"Interaction #{a.done} has no follow-up to mark.")
        from partnerdesk.services import followups as fu

        # Every open item of the interaction, not only the first one the old form knew.
        with _open(path, a) as journal:
            items = fu.items_of(journal, a.done)
            if not items:
                raise NotFound(f"Interaction #{a.done} has no follow-up to mark.")
            change = fu.mark_done(journal, [i.id for i in items if i.is_open])
        for item in change.after:
            print(f"Marked done: #{a.done} {item.what}".rstrip())
        if not change.after:
            print(f"Nothing to mark: every follow-up of interaction #{a.done} is already closed.")
        return 0
    today = _today()
    due_before = parse_day(a.due_before, today) if a.due_before else None
    if a.overdue:
        due_before = min(due_before, today) if due_before else today
    journal = _reader(path, a)
    try:
        with journal.reading() as conn:
            vendor_ids = None
            if a.vendor:
                vendor_ids = []
                for name in a.vendor:
                    row = conn.exec_driver_sql(
                        "SELECT id FROM vendor WHERE name = ? COLLATE NOCASE", (name.strip(),)
                    ).all()
                    if not row:
                        raise NotFound(
                            f"No vendor named '{name}'. To add it: partnerdesk vendor add '{name}'"
                        )
                    vendor_ids.append(row[0][0])
            query = {"states": _states(a), "due_before": due_before, "vendor_ids": vendor_ids}
            parts: dict[str, tuple[int, list[Any]]] = {}
            if a.format == "table":  # the first `limit` of each kind, and how many there are
                for owner in ("vendor", "me"):
                    parts[owner] = (
                        store.count_items(conn, owner=owner, **query),
                        store.list_items(
                            conn, owner=owner, **query, limit=a.limit if a.limit > 0 else None
                        ),
                    )
                items = parts["vendor"][1] + parts["me"][1]
            else:
                from partnerdesk.services.action_item_io import records

                items = []
                rows = list(records(conn, store.list_items(conn, **query)))
            summaries = (
                _summaries(conn, {i.interaction_id for i in items}) if a.format == "table" else {}
            )
            quiet = (
                store.past_cadence(conn, today)
                if not (a.state or a.due_before or a.overdue)
                else []
            )
            if vendor_ids is not None:
                quiet = [q for q in quiet if q.vendor_id in vendor_ids]
    finally:
        if hasattr(journal, "close"):
            journal.close()
    if a.format == "json":
        from partnerdesk.cli.output import print_json

        print_json(rows)
        return 0
    if a.format == "csv":
        from partnerdesk.cli.output import print_csv
        from partnerdesk.services.action_item_io import CSV_COLUMNS

        print_csv(rows, CSV_COLUMNS)
        return 0
    if not items and not quiet:
        print(
            "No overdue follow-ups."
            if a.overdue
            else "No follow-ups match."
            if (a.state or a.due_before or a.vendor)
            else "No open follow-ups."
        )
        return 0
    from partnerdesk.cli.output import print_table

    for title, owner in (("Vendor promises", "vendor"), ("My to-dos", "me")):
        total, shown = parts[owner]
        if not total:
            continue
        print(f"{title} ({total:,})")
        print_table([_row(i, today, summaries) for i in shown], TABLE_COLUMNS, flexible="what")
        if len(shown) < total:
            print(
                f"… and {total - len(shown):,} more, due later; narrow with --vendor or "
                "--due-before, or show all with --limit 0"
            )
        print()
    if quiet:
        print(f"Keep in touch ({len(quiet)})")
        print_table(
            [
                {
                    "vendor": q.vendor_name,
                    "every": f"every {q.every_days} d",
                    "last": q.last_contact.isoformat() if q.last_contact else "never",
                    "due": (q.last_contact + timedelta(days=q.every_days)).isoformat()
                    if q.last_contact
                    else "",
                }
                for q in quiet
            ],
            [
                ("vendor", "Vendor"),
                ("every", "Cadence"),
                ("last", "Last contact"),
                ("due", "Due since"),
            ],
        )
        print()
    return 0


cmd_followups.takes_path = True  # type: ignore[attr-defined]

TABLE_COLUMNS = [
    ("id", "ID"),
    ("due", "Due"),
    ("state", "State"),
    ("vendor", "Vendor"),
    ("what", "What"),
    ("from", "From #"),
]


def _summaries(conn: Any, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        out.update(
            conn.exec_driver_sql(
                f"SELECT id, summary FROM interaction WHERE id IN ({','.join('?' * len(chunk))})",
                tuple(chunk),
            ).all()
        )
    return out


def _state_text(i: Any, today: Any) -> str:
    if i.state == "snoozed":
        return f"snoozed to {i.snoozed_until.isoformat()}" + (
            " OVERDUE" if i.is_overdue(today) else ""
        )
    if i.state == "dropped":
        return f"dropped: {i.reason}"
    if i.state == "done":
        return "done"
    return "OVERDUE" if i.is_overdue(today) else ("today" if i.due == today else "")


def _row(i: Any, today: Any, summaries: dict[int, str]) -> dict[str, Any]:
    return {
        "id": i.id,
        "due": i.due.isoformat(),
        "state": _state_text(i, today),
        "vendor": i.vendor_name,
        "what": i.what or summaries.get(i.interaction_id, ""),
        "from": i.interaction_id,
    }


def cmd_followup(path: Path, a: argparse.Namespace) -> int:
    from partnerdesk.domain.errors import InvalidInput, NotFound
    from partnerdesk.domain.when import parse_day
    from partnerdesk.services import followups as fu

    today = _today()
    if a.action == "add":
        if not 1 <= a.interaction_id <= MAX_ID:
            raise NotFound(
                f"Interaction #{a.interaction_id} does not exist; find its number with: "
                "partnerdesk list"
            )
        due = parse_day(a.due, today)
        with _open(path, a) as journal:
            change = fu.add_items(journal, a.interaction_id, [(a.what, due, a.owner)])
        item = change.after[0]
        who = "vendor promise" if item.owner == "vendor" else "to-do"
        print(f"Added follow-up #{item.id} ({who}, due {item.due.isoformat()}): {item.what}")
        return 0
    if a.action == "cadence":
        if a.days < 0 or a.days > fu.CADENCE_MAX:  # before the journal is opened
            raise InvalidInput(
                f"Give the cadence in days, from 1 to {fu.CADENCE_MAX} (0 turns it off).")
        with _open(path, a) as journal:
            vendor = journal.vendors.resolve(a.vendor)
            fu.set_cadence(journal, vendor.id, a.days)
        print(
            f"Keep in touch with {vendor.name} at least every {a.days} days."
            if a.days
            else f"No keep-in-touch cadence for {vendor.name}."
        )
        return 0
    if a.action == "retire":
        with _open(path, a) as journal:
            change = fu.retire_overdue(journal, a.older_than, a.reason, today)
        print(
            f"Dropped {fu.plural(change.count)} overdue by more than "
            f"{fu.plural(a.older_than, 'day')}"
            f" ({change.after[0].reason})."
            if change.count
            else f"No open follow-ups are overdue by more than {fu.plural(a.older_than, 'day')}."
        )
        return 0
    _check_ids(a.ids)
    with _open(path, a) as journal:
        if a.action == "done":
            change = fu.mark_done(journal, a.ids)
            verb = "Marked done"
        elif a.action == "reopen":
            change = fu.reopen(journal, a.ids)
            verb = "Reopened"
        elif a.action == "drop":
            change = fu.drop(journal, a.ids, a.reason)
            verb = "Dropped"
        elif a.action == "snooze":
            change = fu.snooze(journal, a.ids, parse_day(a.until, today), today)
            verb = "Snoozed"
        else:
            change = fu.reschedule(journal, a.ids, parse_day(a.due, today))
            verb = "Rescheduled"
    for item in change.after:
        extra = (
            f" until {item.snoozed_until.isoformat()}"
            if a.action == "snooze"
            else f" to {item.due.isoformat()}"
            if a.action == "reschedule"
            else f" ({item.reason})"
            if a.action == "drop"
            else ""
        )
        print(f"{verb}: #{item.id} {item.what}{extra}".rstrip())
    if change.skipped:
        print(f"Unchanged (already so): {', '.join('#' + str(i) for i in change.skipped)}")
    return 0


cmd_followup.takes_path = True  # type: ignore[attr-defined]


def _window(start: str) -> Callable[[Path, argparse.Namespace], int]:
    def handler(path: Path, _a: argparse.Namespace) -> int:
        try:
            from partnerdesk.ui.app import run
        except ImportError as exc:
            from partnerdesk.domain.errors import JournalError

            raise JournalError(
                f"the window cannot start ({exc}); the commands still work: partnerdesk --help"
            ) from None
        return run(str(path), start=start)

    handler.takes_path = True  # type: ignore[attr-defined]
    return handler


HANDLERS = {
    "followups": cmd_followups,
    "followup": cmd_followup,
    "quick": _window("quick"),
    "tray": _window("tray"),
}
