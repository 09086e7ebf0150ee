"""The QBR workspace printed: one or two pages to take into the meeting.

    build_qbr(journal, vendor_id, Path("qbr.pdf"), agenda=edited_lines)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table

from partnerdesk.services import pdf_base as pb
from partnerdesk.services.pdf_charts import score_badge
from partnerdesk.services.qbr import (
    MONEY_HEADERS,
    QbrData,
    agenda_lines,
    fmt_day,
    money_rows,
    number_lines,
    plural,
    qbr_data,
)

MARGIN = 15 * mm
OUTCOME_ROWS = 5  # empty lines to write the agreed actions on

_STATUS_COLOUR = {"overdue": pb.OVERDUE, "kept": pb.HELPFUL}


def hanging(style: ParagraphStyle, indent: float) -> ParagraphStyle:
    """A numbered or bulleted line whose second line starts under its text, not its number."""
    return ParagraphStyle(f"{style.name}-hanging", parent=style, leftIndent=indent,
                          firstLineIndent=-indent)


def _numbers(d: QbrData, width: float) -> list[Any]:
    s = pb.styles()
    out: list[Any] = [Paragraph("The numbers", s["h2"])]
    lines = number_lines(d)
    out += [pb.para(text, hanging(s["small"], 9), width - 12, limit=600,
                    prefix=f"•&nbsp;&nbsp;<b>{pb.escape(label)}:</b> ") for label, text in lines]
    if d.ledger.money:
        w = [18 * mm] + [(width - 18 * mm) / 6] * 6
        rows: list[list[Any]] = [[pb.head_cell(t, i > 0) for i, t in enumerate(MONEY_HEADERS)]]
        rows += [[cells[0]] + [pb.num_cell(c) for c in cells[1:]] for cells in money_rows(d)]
        out += [Spacer(1, 2 * mm), pb.data_table(rows, w)]
    else:
        out.append(Paragraph(f"No money owed recorded since {fmt_day(d.since)}.", s["muted"]))
    return out


def _last_time(d: QbrData, width: float) -> list[Any]:
    s = pb.styles()
    if d.last_qbr is None:
        return [Paragraph("Last time", s["h2"]),
                Paragraph("No earlier QBR with this vendor is recorded; the numbers cover the last "
                          "quarter.", s["muted"])]
    out: list[Any] = [Paragraph(f"Last time · {fmt_day(d.last_qbr[1])}", s["h2"])]
    if not d.last_time:
        out.append(Paragraph("Nothing was recorded as agreed at that QBR.", s["muted"]))
        return out
    w = [22 * mm, 18 * mm, 22 * mm, width - 62 * mm]
    rows: list[list[Any]] = [[pb.head_cell("Status"), pb.head_cell("Who"), pb.head_cell("Due"),
                              pb.head_cell("What was agreed")]]
    for c in d.last_time:
        colour = _STATUS_COLOUR.get(c.status, pb.MUTED)
        status = c.status + (f" ({c.reason})" if c.reason else "")
        rows.append([pb.Txt(status, colour=colour, bold=c.status == "overdue"),
                     "vendor" if c.owner == "vendor" else "me", pb.fmt_day(c.due),
                     pb.cell_text(c.what, w[3], limit=220)])
    out.append(pb.data_table(rows, w))
    return out


def _story(d: QbrData, agenda: Sequence[str], width: float) -> list[Any]:
    s = pb.styles()
    h = d.health
    badge = score_badge(h.score if h else None, h.band if h else None, None,
                        caption=(h.label.split(" (")[0] if h else "health"),
                        detail=(f"{plural(h.interactions, 'interaction')}" if h else ""))
    name = d.vendor + (f" ({d.acquirer})" if d.acquirer else "")
    facts = [f"Quarterly business review, {fmt_day(d.today)}"]
    if d.acquirer and d.acquired_on:
        facts.append(f"acquired by {d.acquirer} on {fmt_day(d.acquired_on)}")
    title = [pb.para(name, pb.title_style(name), width - badge.width - 4, limit=240,
                     align_rtl=False),
             pb.para(" · ".join(facts), s["muted"], width - badge.width - 4, limit=300)]
    head = Table([[title, badge]], colWidths=[width - badge.width, badge.width], hAlign="LEFT")
    head.setStyle(pb.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Any] = [pb.SectionMark(name, "qbr", outline=False), head, Spacer(1, 2 * mm)]
    story += _last_time(d, width)
    story.append(Spacer(1, 2 * mm))
    story += _numbers(d, width)

    story.append(CondPageBreak(40 * mm))
    story.append(Paragraph("Agenda and asks", s["h2"]))
    if agenda:
        body = hanging(s["body"], 16 if len(agenda) > 9 else 12)
        story += [pb.para(line, body, width - 14, prefix=f"{n}.&nbsp;&nbsp;", limit=500)
                  for n, line in enumerate(agenda, 1)]
    else:
        story.append(Paragraph("Nothing stands out in the evidence: a good time to ask how the "
                               "vendor defines partnership and how it will help you grow.",
                               s["muted"]))

    story.append(CondPageBreak(45 * mm))
    story.append(Paragraph("Agreed at this meeting", s["h2"]))
    w = [width - 60 * mm, 25 * mm, 35 * mm]
    rows: list[list[Any]] = [[pb.head_cell("What"), pb.head_cell("Who"), pb.head_cell("By when")]]
    rows += [[Spacer(1, 6 * mm), "", ""] for _ in range(OUTCOME_ROWS)]  # room to write by hand
    story.append(pb.data_table(rows, w))
    return story


def render_qbr(d: QbrData, agenda: Sequence[str] | None = None, paper: str = "a4") -> bytes:
    lines = list(agenda) if agenda is not None else agenda_lines(d.agenda)
    return pb.one_vendor_pdf(paper, "QBR workspace", d.today, f"QBR: {pb.clean(d.vendor)}", MARGIN,
                             lambda width: _story(d, [ln for ln in lines if ln.strip()], width))


def build_qbr(journal: Any, vendor_id: int, out: Path, agenda: Sequence[str] | None = None,
              paper: str = "a4", today: date | None = None, data: QbrData | None = None) -> Path:
    """Write the QBR workspace to `out` (whole, or not at all) and return its path."""
    pb.paper_size(paper)
    out = pb.check_target(Path(out))
    d = data or qbr_data(journal, vendor_id, today=today)
    return pb.write_atomically(out, render_qbr(d, agenda, paper))
