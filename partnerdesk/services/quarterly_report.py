"""The quarterly summary PDF: a cover, an overview of every active vendor, then one section each.

    build_quarterly_report(journal, "2026Q3", Path("q3.pdf"), rep_name="Dana")

A vendor's section holds its health over the last four quarters with its events marked, the
helpful vs transactional interactions per month, the quarter's key interactions, its open
follow-ups and the answers to the partnership questions. The PDF is built in memory and
written whole (see pdf_base.write_atomically): a failed or cancelled export leaves no file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.health_types import Bands, Period, VendorHealth
from partnerdesk.domain.models import Interaction, Vendor, VendorEvent
from partnerdesk.domain.vocab import Tag
from partnerdesk.domain.when import day_start, local_now, to_local
from partnerdesk.services import followup_text
from partnerdesk.services import pdf_base as pb
from partnerdesk.services.pdf_charts import (
    EventMark,
    MonthPoint,
    QuarterLevel,
    health_figure,
    score_badge,
    sparkline,
)
from partnerdesk.services.report_data import (
    OpenItems,
    QuestionAnswers,
    items_of_interactions,
    key_interactions,
    month_counts,
    open_follow_ups,
    questions_for,
)
from partnerdesk.store.journal import Journal

KEY_INTERACTIONS = 8
FOLLOW_UPS_SHOWN = 10
NOTES_LIMIT = 240

_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])\s*$")
_QUARTER_FIRST = re.compile(r"^\s*[Qq]\s*([1-4])\s*[-/ ]?\s*(\d{4})\s*$")


@dataclass(frozen=True, slots=True)
class Quarter:
    year: int
    number: int  # 1-4

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the quarter."""
        return self.shift(1).start

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    def shift(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def months(self) -> list[tuple[date, date]]:
        out = []
        for m in range(3):
            start = date(self.year, 3 * self.number - 2 + m, 1)
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            out.append((start, end))
        return out

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter:
    """'2026Q3' (also '2026-Q3', 'Q3 2026', lower case q)."""
    m = _QUARTER.match(text or "")
    if m:
        year, number = int(m.group(1)), int(m.group(2))
    else:
        m = _QUARTER_FIRST.match(text or "")
        if not m:
            raise InvalidInput(f"'{text}' is not a quarter; write the year and the quarter, "
                               "such as 2026Q3.")
        number, year = int(m.group(1)), int(m.group(2))
    if not 1970 <= year <= 9998:
        raise InvalidInput(f"'{text}': the year must be between 1970 and 9998.")
    return Quarter(year, number)


# -- what goes in --------------------------------------------------------------------------
@dataclass
class VendorSection:
    vendor: Vendor
    row: VendorHealth
    months: list[MonthPoint]
    quarters: list[QuarterLevel]
    events: list[VendorEvent]
    key: list[Interaction]
    in_quarter: int
    helpful_in_quarter: int
    follow_ups: list[ActionItem]  # open ones, the latest due first
    open_count: int
    overdue_count: int
    questions: list[QuestionAnswers]
    before_after: list[tuple[VendorEvent, Any]] = field(default_factory=list)  # the events'
    ledger: Any = None  # services/pdf_ledger.py: money and registrations in the quarter
    # interaction id -> every action item of a key interaction / the interaction each listed
    # open follow-up came from
    key_items: dict[int, tuple[ActionItem, ...]] = field(default_factory=dict)
    follow_up_origins: dict[int, Interaction] = field(default_factory=dict)


@dataclass
class ReportData:
    quarter: Quarter
    today: date
    as_of: date  # the day the scores are taken on: the quarter's last day, or today
    rep_name: str
    rows: list[VendorHealth]
    sections: list[VendorSection] = field(default_factory=list)
    bands: Bands = Bands()
    selected: bool = False  # vendors were named, rather than all active ones


# Past this many vendors, the monthly scores come from one portfolio pass over every vendor
# (~0.3 s at a million interactions) instead of one vendor_health call each (~5 ms apiece).
PORTFOLIO_FROM = 60


def _add_months(day: date, k: int) -> date:
    index = day.year * 12 + day.month - 1 + k
    return date(index // 12, index % 12 + 1, 1)


def _monthly_scores(journal: Journal, order: list[int], since: date, until: date, as_of: date,
                    bands: Bands, include_archived: bool) -> dict[int, dict[date, float | None]]:
    """Each vendor's score per month start in [since, until)."""
    from partnerdesk.services.health import portfolio, vendor_health

    out: dict[int, dict[date, float | None]] = {}
    if len(order) >= PORTFOLIO_FROM:
        last = date(as_of.year, as_of.month, 1)
        starts = [_add_months(last, i - 11) for i in range(12)]
        wanted = set(order)
        for r in portfolio(journal, today=as_of, period=Period.MONTH, bands=bands,
                           include_archived=include_archived, spark_periods=12):
            if r.vendor_id in wanted:
                out[r.vendor_id] = dict(zip(starts, r.sparkline, strict=True))
        return out
    for vid in order:
        points = vendor_health(journal, vid, period=Period.MONTH, since=since, until=until,
                               today=as_of, bands=bands)
        out[vid] = {p.start: p.score for p in points if since <= p.start < until}
    return out


def collect(journal: Journal, quarter: Quarter, *, vendor_ids: list[int] | None = None,
            rep_name: str = "", today: date | None = None, bands: Bands = Bands(),
            progress: Callable[[int, int], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> ReportData:
    from partnerdesk.services.health import events_before_after, portfolio
    from partnerdesk.services.pdf_ledger import collect_ledger

    today = today or local_now().date()
    if quarter.start > today:
        raise InvalidInput(f"{quarter.code} has not started yet; the latest quarter is "
                           f"{Quarter.containing(today).code}.")
    as_of = min(today, quarter.end - timedelta(days=1))
    vendors = {v.id: v for v in journal.vendors.all(include_archived=True)}
    if vendor_ids:
        missing = [v for v in vendor_ids if v not in vendors]
        if missing:
            raise InvalidInput(f"Vendor #{missing[0]} does not exist (it may have been deleted).")
        wanted = list(dict.fromkeys(vendor_ids))
    else:
        wanted = [v.id for v in vendors.values() if not v.archived]
    # The quarter's scores, and the four quarters' as the last four of an eight-quarter sparkline.
    rows_by_id = {r.vendor_id: r for r in portfolio(journal, today=as_of, period=Period.QUARTER,
                                                    bands=bands, include_archived=bool(vendor_ids),
                                                    spark_periods=8)}
    order = sorted(wanted, key=lambda v: (vendors[v].display_name.casefold(), v))
    rows = [rows_by_id.get(v) or _empty_row(vendors[v]) for v in order]
    data = ReportData(quarter, today, as_of, rep_name, rows, bands=bands, selected=bool(vendor_ids))

    spans = [quarter.shift(k) for k in (-3, -2, -1, 0)]
    since, until = spans[0].start, quarter.end
    month_spans = [m for q in spans for m in q.months()]
    bounds = [day_start(start) for start, _ in month_spans] + [day_start(until)]
    scores = _monthly_scores(journal, order, since, until, as_of, bands, bool(vendor_ids))
    follow = open_follow_ups(journal, order, today, FOLLOW_UPS_SHOWN)
    events_by: dict[int, list[VendorEvent]] = {}
    for e in journal.events.all():
        if since <= e.on < until:
            events_by.setdefault(e.vendor_id, []).append(e)
    pb.check_cancel(cancelled)
    for done, vid in enumerate(order, start=1):
        pb.check_cancel(cancelled)
        row = data.rows[done - 1]
        counts = month_counts(journal, vid, bounds)
        by_start = scores.get(vid, {})
        months = [MonthPoint(start, end, by_start.get(start), h, t)
                  for (start, end), (h, t) in zip(month_spans, counts, strict=True)]
        spark = (None,) * 4 + tuple(row.sparkline)
        levels = [QuarterLevel(q.start, q.end, score, q.label)
                  for q, score in zip(spans, spark[-4:], strict=True)]
        key, n, helpful = key_interactions(journal, vid, day_start(quarter.start),
                                           day_start(quarter.end), KEY_INTERACTIONS)
        open_items = follow.get(vid) or OpenItems((), 0, 0, {})
        data.sections.append(VendorSection(
            vendor=vendors[vid], row=row, months=months, quarters=levels,
            events=events_by.get(vid, []), key=key, in_quarter=n, helpful_in_quarter=helpful,
            follow_ups=list(open_items.shown), open_count=open_items.open_count,
            overdue_count=open_items.overdue_count,
            key_items=items_of_interactions(journal, key), follow_up_origins=open_items.origins,
            questions=questions_for(journal, vid),
            before_after=events_before_after(journal, vid, events_by.get(vid, []), as_of),
            ledger=collect_ledger(journal, vid, quarter.start, quarter.end, today)))
        if progress:
            progress(done, len(order))
    return data


def _empty_row(v: Vendor) -> VendorHealth:
    return VendorHealth(v.id, v.display_name, None, None, None, None, 0, None, None, 0, None)


# -- how it looks --------------------------------------------------------------------------
MARGIN = 16 * mm
_table = pb.data_table
_cell_w = pb.cell_w
_h = pb.head_cell
_num = pb.num_cell


def _cover(data: ReportData, width: float) -> list[Any]:
    s = pb.styles()
    q = data.quarter
    last = q.end - timedelta(days=1)
    story: list[Any] = [Spacer(1, 38 * mm),
                        Paragraph("Quarterly partner summary", s["title"]), Spacer(1, 4 * mm),
                        Paragraph(f"{q.label} · {q.start.day} {q.start:%B} – {last.day} {last:%B %Y}",
                                  s["subtitle"]),
                        Spacer(1, 16 * mm)]
    meta = []
    if data.rep_name.strip():
        meta.append(("Prepared by", pb.para(data.rep_name, s["body"], width * 0.7, limit=200)))
    meta.append(("Date", Paragraph(pb.fmt_day(data.today), s["body"])))
    if data.as_of < q.end - timedelta(days=1):
        meta.append(("Scores as of", Paragraph(f"{pb.fmt_day(data.as_of)} (the quarter is not over)",
                                              s["body"])))
    t = Table([[Paragraph(k, s["muted"]), v] for k, v in meta], colWidths=[32 * mm, width - 32 * mm],
              hAlign="LEFT")
    t.setStyle(pb.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    story.append(t)
    story.append(Spacer(1, 18 * mm))
    # the quarter at a glance
    rows = data.rows
    n_int = sum(r.interactions for r in rows)
    helpful = sum(sec.helpful_in_quarter for sec in data.sections)
    counts = {b: sum(1 for r in rows if r.band is not None and r.band.value == b)
              for b in ("green", "amber", "red")}
    unscored = sum(1 for r in rows if r.band is None)
    overdue = sum(r.overdue_promises for r in rows)
    figures = [
        (f"{len(rows)}", "vendors"),
        (f"{n_int:,}", "interactions"),
        (pb.fmt_pct(100 * helpful / n_int if n_int else None), "helpful"),
        (f"{overdue:,}", f"promises overdue as of {pb.fmt_day(data.as_of)}"),
    ]
    big = [Paragraph(v, s["figure"]) for v, _ in figures]
    small = [Paragraph(k, s["muted"]) for _, k in figures]
    ft = Table([big, small], colWidths=[width / 4] * 4, hAlign="LEFT")
    ft.setStyle(pb.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("LINEABOVE", (0, 0), (-1, 0), 1.2, pb.INK),
                            ("TOPPADDING", (0, 0), (-1, 0), 8)]))
    story.append(ft)
    story.append(Spacer(1, 8 * mm))
    band_line = " &nbsp; ".join(
        f'<font color="{pb.BAND_COLOURS[b].hexval()}">●</font> {counts[b]} {b}'
        for b in ("green", "amber", "red"))
    if unscored:
        band_line += f' &nbsp; <font color="{pb.FAINT.hexval()}">●</font> {unscored} without a score'
    story.append(Paragraph(f"Health this quarter: {band_line}", s["body"]))
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(
        f"Scores run 0–100: red below {data.bands.amber_from:.0f}, amber below "
        f"{data.bands.green_from:.0f}, green from {data.bands.green_from:.0f}. A vendor with no "
        "interactions in a period has no score rather than a low one.", s["muted"]))
    return story


def _overview(data: ReportData, width: float) -> list[Any]:
    s = pb.styles()
    story: list[Any] = [pb.SectionMark("Overview", "overview", outline=True),
                        Paragraph(f"Overview · {data.quarter.label}", s["h1"]),
                        Paragraph(f"{'The selected' if data.selected else 'All active'} "
                                  f"vendors, by name. Change is against {data.quarter.shift(-1).label}; "
                                  "the trend line spans eight quarters. Overdue counts the vendor's "
                                  f"promises past due on {pb.fmt_day(data.as_of)}. Rests on: the "
                                  "interactions of the last 12 months + the promises the score "
                                  "counts; fewer than 3 interactions, no score.", s["muted"]),
                        Spacer(1, 4 * mm)]
    if not data.rows:
        story.append(Paragraph("There are no active vendors in the journal.", s["body"]))
        return story
    fixed = [13 * mm, 13 * mm, 15 * mm, 21 * mm, 14 * mm, 17 * mm, 15 * mm, 14 * mm]
    name_w = width - sum(fixed)
    widths = [name_w, *fixed]
    head = [_h("Vendor"), _h("Health", True), _h("Change", True), _h("Trend"),
            _h("Interactions", True), _h("Helpful", True), _h("Promises\nkept", True),
            _h("Overdue", True), _h("Rests on", True)]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    for r_i, r in enumerate(data.rows, start=1):
        band = r.band.value if r.band is not None else None
        change, change_colour = pb.fmt_change(r.change)
        name = pb.para(r.display_name, s["cell"], _cell_w(name_w), limit=240,
                       prefix=f'<a href="#v{r.vendor_id}" color="{pb.INK.hexval()}">', suffix="</a>",
                       align_rtl=False)
        rows.append([
            name,
            _num(pb.fmt_score(r.score), pb.BAND_COLOURS.get(band or "", pb.FAINT), bold=True),
            _num(change, change_colour),
            sparkline(r.sparkline, width=fixed[2] - 4, bands=data.bands),
            _num(f"{r.interactions:,}"),
            _num(pb.fmt_pct(r.helpful_pct)),
            _num(pb.fmt_pct(r.promises_kept_pct)),
            _num(f"{r.overdue_promises:,}" if r.overdue_promises else "–",
                 pb.OVERDUE if r.overdue_promises else pb.FAINT, bold=bool(r.overdue_promises)),
            _num(f"{r.evidence_interactions:,} + {r.evidence_promises:,}", pb.MUTED),
        ])
        if band:
            extra.append(("BACKGROUND", (1, r_i), (1, r_i), pb.BAND_TINTS[band]))
    extra.append(("VALIGN", (3, 1), (3, -1), "MIDDLE"))
    story.append(_table(rows, widths, extra=extra))
    return story


def _vendor_section(sec: VendorSection, data: ReportData, width: float) -> list[Any]:
    s = pb.styles()
    v = sec.vendor
    r = sec.row
    band = r.band.value if r.band is not None else None
    trend = r.trend.value if r.trend is not None else None
    title = pb.para(v.display_name, pb.title_style(v.display_name), width - 122, limit=240,
                    prefix=f'<a name="v{v.id}"/>', align_rtl=False)
    facts = [x for x in (v.programme, v.tier) if x]
    if v.acquirer_name and v.acquired_on:
        facts.append(f"acquired by {v.acquirer_name} on {pb.fmt_day(v.acquired_on)}")
    sub = pb.para(" · ".join(facts) if facts else "No programme recorded", s["muted"], width - 122,
                  limit=300)
    change, _ = pb.fmt_change(r.change)
    badge = score_badge(r.score, band, trend, caption=data.quarter.label,
                        detail=f"{change} vs {data.quarter.shift(-1).label}" if r.change is not None else "")
    head = Table([[[title, sub], badge]], colWidths=[width - badge.width, badge.width], hAlign="LEFT")
    head.setStyle(pb.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    story: list[Any] = [PageBreak(), pb.SectionMark(v.display_name, f"v{v.id}"), head,
                        Spacer(1, 3 * mm)]
    facts_line = [f"{sec.in_quarter:,} interaction{'s' if sec.in_quarter != 1 else ''} "
                  f"in {data.quarter.label}" if sec.in_quarter else
                  f"No interactions in {data.quarter.label}"]
    if sec.in_quarter:
        facts_line.append(f"{pb.fmt_pct(100 * sec.helpful_in_quarter / sec.in_quarter)} helpful")
    if r.promises_kept_pct is not None:
        facts_line.append(f"promises kept {pb.fmt_pct(r.promises_kept_pct)}")
    facts_line.append(f"{sec.open_count:,} open follow-up{'s' if sec.open_count != 1 else ''}")
    facts_line.append(f"{r.overdue_promises:,} of their promises overdue as of "
                      f"{pb.fmt_day(r.as_of or data.as_of)}")
    if r.score is not None:
        from partnerdesk.services.health import evidence_text

        rests = evidence_text(r.evidence_interactions, r.evidence_promises)
        facts_line.append(f"the score {rests}")
    story.append(Paragraph(" · ".join(facts_line), s["body"]))
    story.append(Paragraph("Health and activity, last four quarters", s["h2"]))
    story.append(health_figure(sec.months, width, quarters=sec.quarters,
                               events=[EventMark(e.on, n) for n, e in enumerate(sec.events, 1)],
                               bands=data.bands))
    if sec.events:
        story.append(Spacer(1, 2 * mm))
        ev_rows: list[list[Any]] = [[_h("#"), _h("Date"), _h("Event"), _h("What happened")]]
        ew = [7 * mm, 20 * mm, 30 * mm, width - 57 * mm]
        for n, e in enumerate(sec.events, 1):
            ev_rows.append([pb.Txt(str(n), bold=True), pb.fmt_day(e.on), e.kind.value,
                            pb.cell_text(e.text, ew[3], limit=NOTES_LIMIT)])
        story.append(_table(ev_rows, ew))
    if sec.before_after:
        from partnerdesk.services.pdf_health import before_after_block

        story.append(CondPageBreak(40 * mm))
        story += before_after_block(sec.before_after, width)

    from partnerdesk.services.pdf_ledger import ledger_block

    story += ledger_block(sec.ledger, data.quarter.label, width)

    # the quarter's key interactions
    story.append(CondPageBreak(42 * mm))
    shown = len(sec.key)
    note = (f" ({shown} of {sec.in_quarter:,}: promises, best and worst ratings, meetings first)"
            if sec.in_quarter > shown else "")
    story.append(Paragraph(f"Key interactions in {data.quarter.label}"
                           f'<font size="7.5" color="{pb.MUTED.hexval()}">{note}</font>', s["h2"]))
    if not sec.key:
        story.append(Paragraph(f"No interactions logged in {data.quarter.label}.", s["muted"]))
    else:
        kw = [13 * mm, 16 * mm, 21 * mm, width - 50 * mm - 13 * mm, 13 * mm]
        rows: list[list[Any]] = [[_h("Date"), _h("Channel"), _h("Tag"), _h("What happened"),
                                  _h("Rating", True)]]
        for i in sec.key:
            # One uniform Paragraph per part: a paragraph mixing sizes and weights in markup
            # takes 3.5x as long to break into lines.
            room = _cell_w(kw[3])
            body = [pb.para(i.summary, s["cell-bold"], room, limit=300)]
            if i.notes:
                body.append(pb.para(i.notes, s["cell-muted"], room, limit=NOTES_LIMIT))
            for item in sec.key_items.get(i.id, ()):
                whose = "Vendor promised" if item.owner == "vendor" else "My to-do"
                body.append(pb.para(f"{whose} by {pb.fmt_day(item.due)}"
                                    f" ({followup_text.status(item, data.today, pb.fmt_day)}):"
                                    f" {item.what or '—'}", s["cell-muted"], room, limit=300))
            tag_colour = pb.HELPFUL if i.tag is Tag.HELPFUL else pb.MUTED
            rows.append([
                pb.fmt_short(to_local(i.occurred_at).date()),
                f"{i.channel.value}\n{i.direction.value}",
                pb.Txt(i.tag.value, colour=tag_colour),
                body,
                _num("–" if i.quality is None else f"{i.quality}/5"),
            ])
        story.append(_table(rows, kw))

    # open follow-ups, as of today
    story.append(CondPageBreak(36 * mm))
    more = sec.open_count - len(sec.follow_ups)
    note = (f" (the {len(sec.follow_ups)} with the latest due dates, of {sec.open_count:,})"
            if more > 0 else "")
    story.append(Paragraph(f"Open follow-ups on {pb.fmt_day(data.today)}"
                           f'<font size="7.5" color="{pb.MUTED.hexval()}">{note}</font>', s["h2"]))
    if not sec.follow_ups:
        story.append(Paragraph("Nothing open: every promise and to-do is done.", s["muted"]))
    else:
        fw = [22 * mm, 27 * mm, width - 71 * mm, 22 * mm]
        rows = [[_h("Due"), _h("Whose"), _h("What"), _h("Logged")]]
        for item in sec.follow_ups:
            late = item.is_overdue(data.today)
            due = pb.fmt_day(item.due)
            origin = sec.follow_up_origins.get(item.interaction_id)
            what = item.what or (origin.summary if origin else "")
            if item.snoozed_until is not None and item.is_open:
                what += f" (snoozed until {pb.fmt_day(item.snoozed_until)})"
            rows.append([
                pb.Txt(due, colour=pb.OVERDUE, bold=True) if late else due,
                followup_text.whose(item),
                pb.cell_text(what, fw[2], limit=300),
                pb.Txt(pb.fmt_day(to_local(origin.occurred_at).date()) if origin else "",
                       colour=pb.MUTED, small=True),
            ])
        story.append(_table(rows, fw))

    # partnership questions
    story.append(CondPageBreak(36 * mm))
    story.append(Paragraph("Partnership questions", s["h2"]))
    if not sec.questions:
        story.append(Paragraph("No questions recorded for this vendor.", s["muted"]))
    else:
        qw = [width * 0.38, width * 0.62]
        rows = [[_h("Question"), _h("Answer")]]
        for qa in sec.questions:
            room = _cell_w(qw[1])
            if qa.answers:
                on, text = qa.answers[-1]
                cell: Any = [pb.para(text, s["cell"], room, limit=NOTES_LIMIT,
                                     prefix=f'<font color="{pb.MUTED.hexval()}">'
                                            f"{pb.fmt_day(on)}</font> ")]
                for on, text in reversed(qa.answers[:-1][-2:]):
                    cell.append(pb.para(text, s["cell-muted"], room, limit=200,
                                        prefix=f"earlier, {pb.fmt_day(on)}: "))
            else:
                cell = pb.Txt("not answered yet", colour=pb.MUTED)
            rows.append([pb.cell_text(qa.text, qw[0], limit=400), cell])
        story.append(_table(rows, qw))
    return story


def render(data: ReportData, paper: str = "a4", progress: Callable[[int], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> bytes:
    page_w, page_h = pb.paper_size(paper)
    width = page_w - 2 * MARGIN
    title = f"Quarterly partner summary · {data.quarter.label}"
    rep = data.rep_name.strip()
    foot = f"{rep} · generated {pb.fmt_day(data.today)}" if rep else f"Generated {pb.fmt_day(data.today)}"

    def decorate(canv: Any, number: int, total: int, section: str) -> None:
        if number == 1:
            pb.footer(canv, page_w, MARGIN, "partnerdesk", number, total)
            return
        pb.header(canv, page_w, page_h, MARGIN, title, section)
        pb.footer(canv, page_w, MARGIN, foot, number, total)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(page_w, page_h), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 5 * mm, bottomMargin=MARGIN + 2 * mm,
                            title=title, author=rep or "partnerdesk", subject="Quarterly summary",
                            creator="partnerdesk")
    story = _cover(data, width) + [PageBreak()] + _overview(data, width)
    for sec in data.sections:
        story.extend(_vendor_section(sec, data, width))
    sections_done = 0

    def after(flowable: Any) -> None:
        nonlocal sections_done
        if isinstance(flowable, pb.SectionMark) and flowable.key and flowable.key.startswith("v"):
            sections_done += 1
            pb.check_cancel(cancelled)
            if progress:
                progress(sections_done)

    doc.afterFlowable = after  # type: ignore[method-assign]
    doc.build(story, canvasmaker=pb.canvas_maker(decorate))
    return buf.getvalue()


def build_quarterly_report(journal: Journal, quarter: str, out: Path,
                           vendor_ids: list[int] | None = None, paper: str = "a4",
                           rep_name: str = "", today: date | None = None,
                           progress: Callable[[int, int], None] | None = None,
                           cancelled: Callable[[], bool] | None = None,
                           bands: Bands = Bands()) -> Path:
    """Write the quarter's summary to `out` (whole, or not at all) and return its path.

    progress(done, total) is called as vendors are gathered and laid out; cancelled() is
    polled between vendors and pages, and a True answer raises pdf_base.ExportCancelled.
    """
    q = parse_quarter(quarter)
    pb.paper_size(paper)
    out = pb.check_target(Path(out))
    pb.check_cancel(cancelled)

    # Steps: each vendor gathered, each vendor laid out, the file written.
    def gathered(done: int, n: int) -> None:
        if progress:
            progress(done, 2 * n + 1)

    data = collect(journal, q, vendor_ids=vendor_ids, rep_name=rep_name, today=today, bands=bands,
                   progress=gathered, cancelled=cancelled)
    n = len(data.sections)
    total = 2 * n + 1

    def laid_out(done: int) -> None:
        if progress:
            progress(n + done, total)

    pdf = render(data, paper, progress=laid_out, cancelled=cancelled)
    pb.check_cancel(cancelled)
    path = pb.write_atomically(out, pdf)
    if progress:
        progress(total, total)
    return path
