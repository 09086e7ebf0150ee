"""The ledger on a vendor's page of the quarterly PDF: money per currency (never converted),
registrations, and the events in the quarter that changed them. Self-contained, so that the
report asks for it in two lines (services/quarterly_report.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from partnerdesk.services import pdf_base as pb
from partnerdesk.services.ledger_period import (
    LedgerPeriod,
    ledger_period,
    money_rows,
    registrations_text,
    short_day,
)


def collect_ledger(journal: Any, vendor_id: int, start: date, end: date, today: date
                   ) -> LedgerPeriod | None:
    """The vendor's ledger for [start, end) (`end` is the day after the period), or None when
    it has none in the period."""
    with journal.reading() as conn:
        lp = ledger_period(conn, vendor_id, start, end - timedelta(days=1), today)
    return None if lp.empty else lp


def ledger_block(lp: LedgerPeriod | None, label: str, width: float) -> list[Any]:
    """'The ledger in 2026Q3': a money table per currency, a registrations line, the changes."""
    if lp is None:
        return []
    s = pb.styles()
    out: list[Any] = [CondPageBreak(32 * mm), Paragraph(f"The ledger in {label}", s["h2"])]
    if lp.money:
        w = [22 * mm] + [(width - 22 * mm) / 4] * 4
        rows: list[list[Any]] = [[pb.head_cell("Currency"), pb.head_cell("Expected", True),
                                  pb.head_cell("Paid", True), pb.head_cell("Outstanding", True),
                                  pb.head_cell("Short", True)]]
        for cur, expected, paid, outstanding, short in money_rows(lp):
            rows.append([pb.Txt(cur, bold=True), pb.num_cell(expected), pb.num_cell(paid),
                         pb.num_cell(outstanding, colour=pb.OVERDUE if outstanding.strip("0.,")
                                     else None),
                         pb.num_cell(short, colour=pb.OVERDUE if short != "—" else None,
                                     bold=short != "—")])
        out.append(pb.data_table(rows, w))
        out.append(Spacer(1, 1.5 * mm))
    else:
        out.append(Paragraph("No money due in the quarter.", s["muted"]))
    out.append(Paragraph(registrations_text(lp), s["body"]))
    if lp.changes:
        out.append(Spacer(1, 1 * mm))
        for c in lp.changes:
            out.append(pb.para(c.text, s["small"], width, limit=300,
                               prefix=f"<b>{short_day(c.on)}</b> · "))
    return out
