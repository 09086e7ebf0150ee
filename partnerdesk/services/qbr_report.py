"""The QBR workspace printed: one or two pages to take into the meeting.

    build_qbr(journal, vendor_id, Path("qbr.pdf"), agenda=edited_lines)
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from partnerdesk.domain.currency import format_amount
from partnerdesk.services import pdf_base as pb
from partnerdesk.services.pdf_charts import score_badge
from partnerdesk.services.qbr import QbrData, agenda_lines, fmt_day, plural, qbr_data

MARGIN = 15 * mm
OUTCOME_ROWS = 5  # empty lines to write the agreed actions on

_STATUS_COLOUR = {"overdue": pb.OVERDUE, "kept": pb.HELPFUL}


def _numbers(d: QbrData, width: float) -> list[Any]:
    s = pb.styles()
    out: list[Any] = [Paragraph("The numbers", s["h2"])]
    lines: list[tuple[str, str]] = []
    h = d.health
    if h is not None:
        evidence = (f"rests on {plural(h.interactions, 'interaction')} and "
                    f"{plural(h.promises, 'promise')}")
        score = f"{h.score:.0f} ({h.band})" if h.score is not None and h.band else "not scored"
        lines.append((f"Health {h.label}", f"{score}, {evidence}"))
    lines.append(("Open promises past due", f"{d.overdue_promises} as of {fmt_day(d.today)}"))
    r = d.ledger.registrations
    if r.submitted or r.decided or r.pending or r.expiring_soon:
        median = (f", median {r.median_days_to_decision:.0f} days to a decision"
                  if r.median_days_to_decision is not None else "")
        lines.append((f"Registrations since {fmt_day(d.since)}", f"{r.submitted} submitted, "
                     f"{r.approved} approved, {r.rejected} rejected "
                     f"({r.rejected_without_reason} without a reason){median}; {r.pending} waiting,"
                     f" {r.expiring_soon} losing protection within 30 days"))
    else:
        lines.append((f"Registrations since {fmt_day(d.since)}", "none recorded"))
    prog = d.ledger.programme
    if prog.tier is not None:
        tier = f"{prog.tier.programme} {prog.tier.tier}".strip()
        lines.append(("Programme", f"{tier} since {fmt_day(prog.tier.changed_on)}"))
    elif d.programme or d.tier:
        lines.append(("Programme", " ".join(x for x in (d.programme, d.tier) if x)))
    if prog.certifications_expiring:
        certs = ", ".join(f"{c.name} ({c.holder}, {fmt_day(c.expires_on)})"
                          for c in prog.certifications_expiring if c.expires_on)
        lines.append(("Certifications expiring", certs))
    if prog.benefits_met or prog.benefits_not_met:
        lines.append(("Tier benefits", f"{len(prog.benefits_met)} delivered, "
                     f"{len(prog.benefits_not_met)} not delivered"))
    out += [pb.para(text, s["small"], width - 12, limit=600,
                    prefix=f"•&nbsp;&nbsp;<b>{pb.escape(label)}:</b> ") for label, text in lines]
    if d.ledger.money:
        w = [18 * mm] + [(width - 18 * mm) / 6] * 6
        rows: list[list[Any]] = [[pb.head_cell(t, i > 0) for i, t in enumerate(
            ("Currency", "Expected", "Paid", "Outstanding", "Short-paid", "Late", "MDF unclaimed"))]]
        for m in d.ledger.money:
            rows.append([m.currency] + [pb.num_cell(format_amount(v, m.currency, code=False))
                                        for v in (m.expected, m.paid, m.outstanding, m.shortfall)]
                        + [pb.num_cell(str(m.late)),
                           pb.num_cell(format_amount(m.mdf_unclaimed, m.currency, code=False))])
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
        story += [pb.para(line, s["body"], width - 14, prefix=f"{n}.&nbsp;&nbsp;", limit=500)
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
    page_w, page_h = pb.paper_size(paper)
    width = page_w - 2 * MARGIN
    lines = list(agenda) if agenda is not None else agenda_lines(d.agenda)

    def decorate(canv: Any, number: int, total: int, section: str) -> None:
        pb.header(canv, page_w, page_h, MARGIN, "QBR workspace", section)
        pb.footer(canv, page_w, MARGIN, f"Prepared {pb.fmt_day(d.today)} · partnerdesk", number,
                  total)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(page_w, page_h), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN + 2 * mm,
                            title=f"QBR: {pb.clean(d.vendor)}", author="partnerdesk",
                            creator="partnerdesk")
    doc.build(_story(d, [ln for ln in lines if ln.strip()], width),
              canvasmaker=pb.canvas_maker(decorate))
    return buf.getvalue()


def build_qbr(journal: Any, vendor_id: int, out: Path, agenda: Sequence[str] | None = None,
              paper: str = "a4", today: date | None = None, data: QbrData | None = None) -> Path:
    """Write the QBR workspace to `out` (whole, or not at all) and return its path."""
    pb.paper_size(paper)
    out = pb.check_target(Path(out))
    d = data or qbr_data(journal, vendor_id, today=today)
    return pb.write_atomically(out, render_qbr(d, agenda, paper))
