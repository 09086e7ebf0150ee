"""Health pieces shared by the meeting brief and the quarterly report: before/after an event
with its uncertainty, and the line saying what a score rests on."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from partnerdesk.domain.health_types import BeforeAfter
from partnerdesk.domain.models import VendorEvent
from partnerdesk.services import pdf_base as pb


def before_after_block(items: list[tuple[VendorEvent, BeforeAfter]], width: float,
                       title: str = "Before and after") -> list[Any]:
    """One small table per event: each measure before and after, with its 80 % range, and
    whether it changed beyond chance."""
    from partnerdesk.services.health import before_after_lines

    if not items:
        return []
    s = pb.styles()
    out: list[Any] = [Paragraph(title, s["h2"])]
    w = [30 * mm, (width - 30 * mm - 38 * mm) / 2, (width - 30 * mm - 38 * mm) / 2, 38 * mm]
    for event, ba in items:
        head = (f"{pb.fmt_day(event.on)} · {event.kind.value}"
                + (f": {event.text}" if event.text else "")
                + f" — {ba.months} months before against the months after (to "
                f"{pb.fmt_day(ba.after.end)}); ranges are 80 % intervals")
        out.append(pb.para(head, s["small"], width, limit=300))
        rows: list[list[Any]] = [[pb.head_cell("Measure"), pb.head_cell("Before"),
                                  pb.head_cell("After"), pb.head_cell("Change")]]
        for measure, before, after, verdict in before_after_lines(ba):
            colour = pb.OVERDUE if verdict.startswith("down") else (
                pb.HELPFUL if verdict.startswith("up") else None)
            rows.append([measure, before, after,
                         pb.Txt(verdict, colour=colour, bold=colour is not None) if verdict
                         else ""])
        out.append(pb.data_table(rows, w))
        out.append(Spacer(1, 2 * mm))
    return out
