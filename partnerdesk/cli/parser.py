"""The command line's grammar. Kept free of heavy imports so that --help is instant."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from partnerdesk import __version__

FORMATS = ["table", "csv", "json"]

# Modules that add subcommands: each has register(subparsers, db_parent, add_format) and a
# HANDLERS dict of command name -> handler(journal, args) -> exit code (a handler with the
# attribute takes_path = True gets the journal's Path instead of an open Journal; one with
# reads_only = a function of the args that returns True gets a LiteJournal, the standard library
# reader, for those invocations). Keep their top-level imports light: they are imported for every
# command, including --help.
EXTENSIONS: list[str] = [
    "partnerdesk.cli.backup_commands",
    "partnerdesk.cli.report_commands",
    "partnerdesk.cli.io_commands",
    "partnerdesk.cli.health_commands",
    "partnerdesk.cli.followup_commands",
    "partnerdesk.cli.ledger_commands",
    "partnerdesk.cli.qbr_commands",
]


# Control characters and line breaks a user typed (echoed back in messages) are shown escaped,
# so that an error stays one line and cannot drive the terminal.
_ESCAPES = {c: repr(chr(c))[1:-1] for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}


def one_line(message: str) -> str:
    return message.translate(_ESCAPES)


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes are one line on stderr, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(one_line(f"{self.prog}: error: {message} (see '{self.prog} --help')") + "\n")
        raise SystemExit(2)


def _db_parent() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                   help="journal file (default: $PARTNERDESK_DB, else the user data folder)")
    return p


def _fmt(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def build_parser() -> OneLineParser:
    db = _db_parent()
    root = OneLineParser(
        prog="partnerdesk",
        description="A private journal of your vendor relationships: log every interaction, "
                    "tag it helpful or transactional, watch each relationship's health.",
        epilog="With no command, partnerdesk opens its window on the journal.",
        parents=[db],
    )
    root.add_argument("--version", action="version", version=f"partnerdesk {__version__}")
    sub = root.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    # vendor ...
    vendor = sub.add_parser("vendor", help="add, list and describe vendors", parents=[db])
    vsub = vendor.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=OneLineParser)
    p = vsub.add_parser("add", help="add a vendor", parents=[db])
    p.add_argument("name")
    p.add_argument("--programme", "--program", default="", help="partner programme name")
    p.add_argument("--tier", default="", help="your tier in the programme")
    p.add_argument("--domain", action="append", default=[], metavar="D",
                   help="email/web domain (repeatable), used to match imported mail and meetings")
    p.add_argument("--notes", default="")
    p = vsub.add_parser("list", help="list vendors with interaction counts", parents=[db])
    p.add_argument("--archived", action="store_true", help="include archived vendors")
    _fmt(p)
    p = vsub.add_parser("acquired", help="record that a vendor was bought by another", parents=[db])
    p.add_argument("name")
    p.add_argument("--by", required=True, metavar="ACQUIRER")
    p.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    p = vsub.add_parser("archive", help="hide a vendor from everyday lists (history is kept)", parents=[db])
    p.add_argument("name")
    p.add_argument("--undo", action="store_true", help="bring it back")

    # contact ...
    contact = sub.add_parser("contact", help="people at a vendor", parents=[db])
    csub = contact.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=OneLineParser)
    p = csub.add_parser("add", help="add a contact to a vendor", parents=[db])
    p.add_argument("vendor")
    p.add_argument("name")
    p.add_argument("--role", default="other",
                   help="channel manager, partner account manager, sales engineer, support, executive, other")
    p.add_argument("--email", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--from", dest="active_from", metavar="YYYY-MM-DD", help="in the role since")
    p.add_argument("--to", dest="active_to", metavar="YYYY-MM-DD", help="left the role on")
    p = csub.add_parser("list", help="list contacts", parents=[db])
    p.add_argument("vendor", nargs="?")
    _fmt(p)

    # event ...
    event = sub.add_parser("event", help="acquisitions, programme and compensation changes", parents=[db])
    esub = event.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=OneLineParser)
    p = esub.add_parser("add", help="record something that happened to a vendor", parents=[db])
    p.add_argument("vendor")
    p.add_argument("--kind", required=True,
                   help="acquisition, merger, programme change, compensation change, contact change, "
                        "system change, other")
    p.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--text", required=True)
    p = esub.add_parser("list", help="list events", parents=[db])
    p.add_argument("vendor", nargs="?")
    _fmt(p)

    # log
    p = sub.add_parser("log", help="log an interaction", parents=[db])
    p.add_argument("vendor")
    p.add_argument("--summary", "-s", required=True, help="one line: what happened")
    p.add_argument("--tag", "-t", required=True, help="helpful or transactional")
    p.add_argument("--notes", "-n", default="", help="notes; '-' reads them from standard input")
    p.add_argument("--channel", "-c", default="other", help="call, email, meeting, chat, event, other")
    p.add_argument("--direction", "-d", default="out",
                   help="in (they reached out) or out (I reached out)")
    p.add_argument("--at", help="when: ISO 8601, '2026-11-27 14:30', 'today 9:15', 'yesterday 15:00' "
                                "(local time; default now)")
    p.add_argument("--contact", action="append", default=[], metavar="NAME")
    p.add_argument("--topic", action="append", default=[], metavar="T")
    p.add_argument("--quality", "-q", help="1-5")
    p.add_argument("--follow-up", metavar="YYYY-MM-DD", help="a follow-up due on this date")
    p.add_argument("--follow-up-text", default="", metavar="T", help="what is due")
    p.add_argument("--vendor-promise", action="store_true",
                   help="the follow-up is the vendor's promise (default: your own to-do)")
    _fmt(p)

    # list / search (followups: cli/followup_commands.py)
    p = sub.add_parser("list", help="list interactions, newest first", parents=[db])
    p.add_argument("--vendor", action="append", default=[], metavar="V")
    p.add_argument("--tag")
    p.add_argument("--channel")
    p.add_argument("--since", metavar="D", help="from this date (inclusive)")
    p.add_argument("--until", metavar="D", help="up to this date (inclusive)")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50; 0 for all)")
    _fmt(p)
    p = sub.add_parser("search", help="full-text search over interactions, events, answers and the "
                                      "ledger", parents=[db],
                       description="Interactions first, then events, question answers and ledger "
                                   "records, each row saying its kind. "
                                   'Every word must match; "a phrase" in quotes matches as written; '
                                   "word* matches as a prefix (3+ letters). Other symbols are literal.")
    p.add_argument("query", nargs="+")
    p.add_argument("--vendor", action="append", default=[], metavar="V")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="at most N interactions and N other records (default 50; 0 for all)")
    _fmt(p)

    # demo
    p = sub.add_parser("demo", help="fill an empty journal with a believable demo", parents=[db])
    p.add_argument("--interactions", type=int, default=2000, metavar="N")
    p.add_argument("--vendors", type=int, metavar="N")
    p.add_argument("--seed", type=int, default=7)

    # Later capabilities register their own commands (see EXTENSIONS).
    import importlib

    for module_name in EXTENSIONS:
        importlib.import_module(module_name).register(sub, db, _fmt)
    return root
