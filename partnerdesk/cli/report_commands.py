"""report and brief: the quarterly summary PDF and a vendor's meeting brief.

Top-level imports stay light (reportlab loads only when a PDF is made): this module is
imported for every command, including --help.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REP_NAME_ENV = "PARTNERDESK_REP_NAME"


def _paper(text: str) -> str:
    return text.strip().lower()


def register(sub: Any, db: argparse.ArgumentParser,
             add_format: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "report", parents=[db], help="write the quarterly summary PDF",
        description="A cover, an overview of every active vendor (health and its change, "
                    "interactions, helpful share, promises kept, overdue), then a section per "
                    "vendor. The file is written whole or not at all.")
    p.add_argument("--quarter", "-q", required=True, metavar="YYYYQN", help="e.g. 2026Q3")
    p.add_argument("--vendor", action="append", default=[], metavar="V",
                   help="only this vendor (repeatable); default: every active vendor")
    p.add_argument("--paper", type=_paper, choices=["a4", "letter"], default="a4")
    p.add_argument("--rep-name", metavar="NAME",
                   help=f"your name on the cover (default: ${REP_NAME_ENV})")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                   help="where to write the PDF ('-' for standard output)")

    p = sub.add_parser(
        "brief", parents=[db], help="write a vendor's one-to-two-page meeting brief PDF",
        description="Current health and why, the trend, the last 10 interactions, open "
                    "promises and to-dos, contacts who changed lately, recent events and "
                    "unanswered questions.")
    p.add_argument("vendor")
    p.add_argument("--paper", type=_paper, choices=["a4", "letter"], default="a4")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf",
                   help="where to write the PDF ('-' for standard output)")


def _vendor_id(journal: Any, name: str) -> int:
    from partnerdesk.domain.errors import NotFound

    try:
        return int(journal.vendors.resolve(name).id)
    except NotFound as exc:
        raise NotFound(f"{exc} To add it: partnerdesk vendor add '{name}'") from None


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def cmd_report(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.services import pdf_base
    from partnerdesk.services.quarterly_report import build_quarterly_report, parse_quarter

    quarter = parse_quarter(a.quarter)  # a typo fails before any work
    out = pdf_base.check_target(Path(a.output))
    vendor_ids = [_vendor_id(journal, v) for v in a.vendor] or None
    rep = a.rep_name if a.rep_name is not None else os.environ.get(REP_NAME_ENV, "")
    path = build_quarterly_report(journal, quarter.code, out, vendor_ids=vendor_ids,
                                  paper=a.paper, rep_name=rep)
    count = len(vendor_ids) if vendor_ids else len(journal.vendors.all(include_archived=False))
    _said(path, f": {quarter.label}, {count} vendor{'s' if count != 1 else ''}.")
    return 0


def cmd_brief(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.services import pdf_base
    from partnerdesk.services.brief import build_brief

    out = pdf_base.check_target(Path(a.output))
    vendor_id = _vendor_id(journal, a.vendor)
    path = build_brief(journal, vendor_id, out, paper=a.paper)
    _said(path, ".")
    return 0


def _said(path: Path, tail: str) -> None:
    """Where the PDF went; with '-o -' the PDF is standard output, so this goes to stderr."""
    if str(path) == "-":
        sys.stderr.write(f"Wrote the PDF to standard output{tail}\n")
        return
    size = f" ({_size(path.stat().st_size)})" if path.is_file() else ""
    print(f"Wrote {path}{size}{tail}")


HANDLERS = {"report": cmd_report, "brief": cmd_brief}
