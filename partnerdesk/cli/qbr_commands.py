"""qbr: the QBR workspace from a terminal — show it, print it, record what was agreed.

Top-level imports stay light: this module is imported for every command, including --help.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any


def register(sub: Any, db: argparse.ArgumentParser,
             add_format: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "qbr", parents=[db], help="the QBR workspace: last time, the numbers, an agenda of asks",
        description="What was agreed at the last QBR with a vendor and how it went, the numbers "
                    "(health with its evidence, registrations, money, programme) and an agenda "
                    "generated from the evidence. 'print' writes it as a PDF (give your edited "
                    "agenda with --agenda FILE, one line an item); 'record' logs the QBR and what "
                    "was agreed, which the next QBR reviews.")
    verbs = p.add_subparsers(dest="qbr_verb", metavar="show|print|record", required=True,
                             parser_class=type(p))
    show = verbs.add_parser("show", parents=[db], help="print the workspace")
    show.add_argument("vendor")
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    pr = verbs.add_parser("print", parents=[db], help="write the workspace as a PDF")
    pr.add_argument("vendor")
    pr.add_argument("--agenda", metavar="FILE",
                    help="your edited agenda, one line an item ('-' reads standard input)")
    pr.add_argument("--paper", type=str.lower, choices=["a4", "letter"], default="a4")
    pr.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    pr.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    rec = verbs.add_parser("record", parents=[db], help="log the QBR and what was agreed")
    rec.add_argument("vendor")
    rec.add_argument("--summary", default="QBR", help="one line (default: QBR)")
    rec.add_argument("--notes", default="")
    rec.add_argument("--at", metavar="WHEN", help="when it was held (default: now)")
    rec.add_argument("--item", action="append", default=[], metavar="OWNER:YYYY-MM-DD:WHAT",
                     help="an agreed action: vendor or me, due date, what (repeatable)")
    rec.add_argument("--transactional", action="store_true",
                     help="tag the meeting transactional (default: helpful)")


def _vendor_id(journal: Any, name: str) -> int:
    from partnerdesk.cli.report_commands import _vendor_id as resolve

    return resolve(journal, name)


def _today(text: str | None) -> date | None:
    from partnerdesk.domain.when import parse_day

    return parse_day(text, date.today()) if text else None


def _item(text: str) -> tuple[str, date, str]:
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.domain.when import parse_day

    owner, _, rest = text.partition(":")
    due, _, what = rest.partition(":")
    if not what.strip():
        raise InvalidInput(f"The item '{text}' is not OWNER:YYYY-MM-DD:WHAT, e.g. "
                           "'vendor:2026-12-15:Send the co-op rules'.")
    return what, parse_day(due, date.today()), owner


def _text(d: Any) -> str:
    from partnerdesk.domain.currency import format_amount
    from partnerdesk.services.qbr import fmt_day, plural

    out = [f"QBR workspace: {d.vendor}" + (f" ({d.acquirer})" if d.acquirer else "")
           + f", {fmt_day(d.today)}", ""]
    if d.last_qbr is None:
        out.append("Last time: no earlier QBR recorded; the numbers cover the last quarter.")
    else:
        out.append(f"Last time ({fmt_day(d.last_qbr[1])}):")
        out += [f"  {c.status:<10} {c.owner:<7} due {fmt_day(c.due):<12} {c.what}"
                for c in d.last_time] or ["  nothing was recorded as agreed"]
    out += ["", "The numbers:"]
    h = d.health
    if h is not None:
        score = f"{h.score:.0f} ({h.band})" if h.score is not None and h.band else "not scored"
        out.append(f"  health {h.label}: {score}, from {plural(h.interactions, 'interaction')} and "
                   f"{plural(h.promises, 'promise')}")
    out.append(f"  open promises past due: {d.overdue_promises} as of {fmt_day(d.today)}")
    r = d.ledger.registrations
    out.append(f"  registrations since {fmt_day(d.since)}: {r.submitted} submitted, {r.approved} "
               f"approved, {r.rejected} rejected ({r.rejected_without_reason} without a reason)")
    for m in d.ledger.money:
        out.append(f"  {m.currency}: expected {format_amount(m.expected, m.currency)}, paid "
                   f"{format_amount(m.paid, m.currency)}, outstanding "
                   f"{format_amount(m.outstanding, m.currency)}, {m.late} late")
    out += ["", "Agenda and asks:"]
    out += [f"  {n}. {a.text}" for n, a in enumerate(d.agenda, 1)] or ["  nothing stands out"]
    return "\n".join(out)


def _json(d: Any) -> str:
    def plain(x: Any) -> Any:
        if isinstance(x, date):
            return x.isoformat()
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [plain(v) for v in x]
        return x

    return json.dumps(plain(asdict(d)), indent=2, ensure_ascii=False)


def cmd_qbr(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.services import qbr

    vendor_id = _vendor_id(journal, a.vendor)
    if a.qbr_verb == "record":
        from partnerdesk.domain.when import local_now, parse_when

        items = [_item(t) for t in a.item]  # every item checked before anything is written
        when = parse_when(a.at, local_now()) if a.at else local_now()
        iid = qbr.record_outcome(journal, vendor_id, when, a.summary, items, notes=a.notes,
                                 helpful=not a.transactional)
        n = len(items)
        print(f"Logged QBR #{iid} with {n} agreed action{'s' if n != 1 else ''}.")
        return 0
    data = qbr.qbr_data(journal, vendor_id, today=_today(a.today))
    if a.qbr_verb == "show":
        # Plain text goes through the terminal guard cli/main installs (services/safe_text.py).
        print(_json(data) if a.format == "json" else _text(data))
        return 0
    from partnerdesk.services import pdf_base
    from partnerdesk.services.qbr_report import build_qbr

    out = pdf_base.check_target(Path(a.output))
    agenda = None
    if a.agenda:
        from partnerdesk.domain.errors import InvalidInput

        try:
            raw = sys.stdin.read() if a.agenda == "-" else Path(a.agenda).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = ("it is not plain UTF-8 text" if isinstance(exc, UnicodeDecodeError)
                   else "it does not exist" if isinstance(exc, FileNotFoundError)
                   else "it is a folder" if isinstance(exc, IsADirectoryError)
                   else "you may not read it" if isinstance(exc, PermissionError)
                   else exc.strerror or "it cannot be read")
            raise InvalidInput(f"Cannot read the agenda file {a.agenda}: {why}; give a UTF-8 "
                               "text file, one agenda line a line.") from None
        agenda = [line.strip() for line in raw.splitlines() if line.strip()]
    path = build_qbr(journal, vendor_id, out, agenda=agenda, paper=a.paper, data=data)
    print(f"Wrote {path}.")
    return 0


HANDLERS = {"qbr": cmd_qbr}
