"""The meeting brief: what to know about one vendor before meeting them, on one or two pages.

    data = brief_data(journal, vendor_id)          # plain data, for the window
    build_brief(journal, vendor_id, Path("b.pdf"))  # the same as a PDF, written whole or not at all
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.health_types import Bands, HealthPoint, Period
from partnerdesk.domain.models import Contact, Interaction, InteractionFilter, Vendor, VendorEvent
from partnerdesk.domain.vocab import Tag
from partnerdesk.domain.when import local_now, to_local
from partnerdesk.services import followup_text
from partnerdesk.services import pdf_base as pb
from partnerdesk.services.pdf_charts import EventMark, MonthPoint, health_figure, score_badge
from partnerdesk.services.report_data import (
    QuestionAnswers,
    items_of_interactions,
    questions_for,
    vendor_follow_ups,
)
from partnerdesk.store.journal import Journal

RECENT = 10
FOLLOW_UPS_SHOWN = 8
CHANGES_DAYS = 180  # "lately", for contacts
EVENTS_DAYS = 365
TREND_MONTHS = 12


@dataclass(frozen=True, slots=True)
class ContactChange:
    contact: Contact
    change: str  # "joined" or "left"
    on: date


@dataclass(frozen=True, slots=True)
class BriefData:
    vendor: Vendor
    today: date
    current: HealthPoint | None  # this quarter's score, or the latest quarter that has one
    current_label: str  # "Q4 2026", or "Q3 2026 (none yet this quarter)"
    previous_score: float | None  # the quarter before `current`
    why: tuple[str, ...]  # explain(current): one sentence per component
    months: tuple[HealthPoint, ...]  # monthly scores, the last 12 months, oldest first
    recent: tuple[Interaction, ...]  # the last 10 interactions, newest first
    promises: tuple[ActionItem, ...]  # the vendor's open (or snoozed) promises, latest due first
    promises_open: int
    todos: tuple[ActionItem, ...]  # the rep's open (or snoozed) to-dos, latest due first
    todos_open: int
    overdue: int  # open action items of either kind past due (ActionItem.is_overdue)
    contact_changes: tuple[ContactChange, ...]  # joined or left in the last 180 days, newest first
    events: tuple[VendorEvent, ...]  # the last 12 months, newest first
    unanswered: tuple[str, ...]  # partnership questions with no answer yet
    questions: tuple[QuestionAnswers, ...]
    overdue_promises: int = 0  # the vendor's open promises due before `today` (Promise.is_overdue)
    before_after: tuple[tuple[VendorEvent, Any], ...] = ()  # each recent event, measured
    # interaction id -> every action item of a recent interaction, whatever its state
    recent_items: dict[int, tuple[ActionItem, ...]] = field(default_factory=dict)


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def brief_data(journal: Journal, vendor_id: int, today: date | None = None,
               bands: Bands = Bands()) -> BriefData:
    from partnerdesk.services.health import events_before_after, explain, vendor_health
    from partnerdesk.store.promises import vendor_promises

    today = today or local_now().date()
    vendor = journal.vendors.get(vendor_id)
    tomorrow = today + timedelta(days=1)

    # This quarter's score; early in a quarter with no contact yet, the latest one that has one.
    q_since = _month_start(_quarter_start(today), 12)
    quarters = [p for p in vendor_health(journal, vendor_id, period=Period.QUARTER, since=q_since,
                                         until=tomorrow, today=today, bands=bands)
                if p.start <= today]
    scored = [p for p in quarters if p.score is not None]
    current = quarters[-1] if quarters else None
    label = _q_label(current.start) if current else _q_label(_quarter_start(today))
    if current is not None and current.score is None and scored:
        current = scored[-1]
        label = f"{_q_label(current.start)} (none yet this quarter)"
    previous = None
    if current is not None:
        earlier = [p for p in quarters if p.start < current.start]
        previous = earlier[-1].score if earlier else None
    m_since = _month_start(today, TREND_MONTHS - 1)
    months = [p for p in vendor_health(journal, vendor_id, period=Period.MONTH, since=m_since,
                                       until=tomorrow, today=today, bands=bands)
              if m_since <= p.start <= today]

    recent = journal.interactions.list(InteractionFilter(vendor_ids=(vendor_id,)), limit=RECENT)
    open_items = vendor_follow_ups(journal, vendor_id)
    promises = [i for i in open_items if i.owner == "vendor"]
    todos = [i for i in open_items if i.owner != "vendor"]
    overdue = sum(1 for i in open_items if i.is_overdue(today))

    lately = today - timedelta(days=CHANGES_DAYS)
    changes: list[ContactChange] = []
    for c in journal.contacts.for_vendor(vendor_id):
        if c.active_from and lately <= c.active_from <= today:
            changes.append(ContactChange(c, "joined", c.active_from))
        if c.active_to and lately <= c.active_to <= today:
            changes.append(ContactChange(c, "left", c.active_to))
    changes.sort(key=lambda ch: (ch.on, ch.contact.name), reverse=True)
    since_events = today - timedelta(days=EVENTS_DAYS)
    events = [e for e in journal.events.for_vendor(vendor_id) if since_events <= e.on <= today]
    events.reverse()
    questions = questions_for(journal, vendor_id)
    with journal.reading() as conn:  # the one definition of overdue, as of today
        overdue_promises = sum(p.is_overdue(today) for p in vendor_promises(conn, [vendor_id]))
    measured = events_before_after(journal, vendor_id, events, today)
    return BriefData(
        vendor=vendor, today=today, current=current, current_label=label,
        previous_score=previous, why=tuple(explain(current)) if current is not None else (),
        months=tuple(months), recent=tuple(recent),
        promises=tuple(promises[:FOLLOW_UPS_SHOWN]), promises_open=len(promises),
        todos=tuple(todos[:FOLLOW_UPS_SHOWN]), todos_open=len(todos), overdue=overdue,
        contact_changes=tuple(changes), events=tuple(events),
        unanswered=tuple(q.text for q in questions if not q.answered), questions=tuple(questions),
        overdue_promises=overdue_promises, before_after=tuple(measured),
        recent_items=items_of_interactions(journal, recent))


def _q_label(start: date) -> str:
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


# -- the PDF -------------------------------------------------------------------------------
MARGIN = 15 * mm


def _follow_table(items: tuple[ActionItem, ...], today: date, width: float) -> Table:
    w = [21 * mm, width - 21 * mm]
    rows: list[list[Any]] = [[pb.head_cell("Due"), pb.head_cell("What")]]
    for i in items:
        due = pb.fmt_day(i.due)
        what = i.what or "(no text)"
        if i.snoozed_until is not None:
            what += f" (snoozed until {pb.fmt_day(i.snoozed_until)})"
        rows.append([
            pb.Txt(due, colour=pb.OVERDUE, bold=True) if i.is_overdue(today) else due,
            pb.cell_text(what, w[1], limit=220),
        ])
    return pb.data_table(rows, w)


def _side_by_side(left: list[Any], right: list[Any], width: float, gap: float = 6 * mm) -> Table:
    half = (width - gap) / 2
    t = Table([[left, "", right]], colWidths=[half, gap, half], hAlign="LEFT")
    t.setStyle(pb.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return t


def _story(b: BriefData, width: float, bands: Bands) -> list[Any]:
    s = pb.styles()
    v = b.vendor
    cur = b.current
    band = cur.band.value if cur is not None and cur.band is not None else None
    trend = cur.trend.value if cur is not None and cur.trend is not None else None
    change = None if cur is None or cur.score is None or b.previous_score is None \
        else cur.score - b.previous_score
    change_text, _ = pb.fmt_change(change)
    badge = score_badge(cur.score if cur else None, band, trend, caption=b.current_label.split(" (")[0],
                        detail=f"{change_text} vs {_q_label(_month_start(cur.start, 3))}"
                        if cur is not None and change is not None else "")
    facts = [x for x in (v.programme, v.tier) if x]
    if v.acquirer_name and v.acquired_on:
        facts.append(f"acquired by {v.acquirer_name} on {pb.fmt_day(v.acquired_on)}")
    title = [pb.para(v.display_name, pb.title_style(v.display_name), width - badge.width - 4,
                     limit=240, align_rtl=False),
             pb.para(" · ".join(facts) if facts else "No programme recorded", s["muted"],
                     width - badge.width - 4, limit=300)]
    head = Table([[title, badge]], colWidths=[width - badge.width, badge.width], hAlign="LEFT")
    head.setStyle(pb.table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Any] = [pb.SectionMark(v.display_name, "brief", outline=False), head,
                        Spacer(1, 2 * mm)]

    # why this score, and the trend
    why_title = (f"Why {band}" if band else "Why there is no score") + f" · {b.current_label}"
    why = [Paragraph(why_title, s["h2"])]
    if b.why:
        why += [pb.para(line, s["small"], width / 2 - 10, prefix="•&nbsp;&nbsp;") for line in b.why]
    else:
        why.append(Paragraph("No interactions in the last five quarters, so there is nothing to "
                             "score.", s["muted"]))
    last = b.recent[0].occurred_at if b.recent else None
    open_line = (f"{b.promises_open} open promise{'s' if b.promises_open != 1 else ''} from them, "
                 f"{b.todos_open} to-do{'s' if b.todos_open != 1 else ''} of mine; "
                 + (f"<b>{b.overdue_promises} of their promises overdue</b>"
                    if b.overdue_promises else "none of their promises overdue")
                 + f" as of {pb.fmt_day(b.today)}")
    at_a_glance = [Paragraph("At a glance", s["h2"]),
                   Paragraph(f"Last contact: {pb.fmt_day(to_local(last).date()) if last else 'never'}",
                             s["small"]),
                   Paragraph(open_line, s["small"])]
    if cur is not None:
        from partnerdesk.services.health import evidence_text

        at_a_glance.append(Paragraph(
            f"The score {evidence_text(cur.evidence_interactions, cur.evidence_promises)}"
            " (the last 12 months)", s["small"]))
    if cur is not None and cur.interactions:
        at_a_glance.append(Paragraph(
            f"{cur.interactions} interaction{'s' if cur.interactions != 1 else ''} in "
            f"{b.current_label.split(' (')[0]}, {cur.helpful} helpful", s["small"]))
    story.append(_side_by_side(why, at_a_glance, width))

    events_in_chart = [e for e in reversed(b.events)]
    month_points = [MonthPoint(p.start, p.end, p.score, p.helpful, p.transactional) for p in b.months]
    story.append(Paragraph("Health and activity, last twelve months", s["h2"]))
    story.append(health_figure(month_points, width, bands=bands, health_h=62, bars_h=30,
                               events=[EventMark(e.on, n) for n, e in enumerate(events_in_chart, 1)]))

    # the last interactions
    story.append(CondPageBreak(36 * mm))
    story.append(Paragraph(f"Last {len(b.recent)} interactions" if len(b.recent) > 1
                           else "Last interaction"
                           if b.recent else "Interactions", s["h2"]))
    if not b.recent:
        story.append(Paragraph("Nothing logged with this vendor yet.", s["muted"]))
    else:
        w = [20 * mm, 15 * mm, 22 * mm, width - 57 * mm - 13 * mm, 13 * mm]
        rows: list[list[Any]] = [[pb.head_cell("Date"), pb.head_cell("Channel"), pb.head_cell("Tag"),
                                  pb.head_cell("What happened"), pb.head_cell("Rating", True)]]
        for i in b.recent:
            tag_colour = pb.HELPFUL if i.tag is Tag.HELPFUL else pb.MUTED
            body = [pb.para(i.summary, s["cell-bold"], pb.cell_w(w[3]), limit=200)]
            if i.notes:
                body.append(pb.para(i.notes, s["cell-muted"], pb.cell_w(w[3]), limit=130))
            for item in b.recent_items.get(i.id, ()):
                body.append(pb.para(f"{followup_text.item_line(item, b.today, pb.fmt_day)}",
                                    s["cell-muted"], pb.cell_w(w[3]), limit=200))
            rows.append([pb.fmt_day(to_local(i.occurred_at).date()), i.channel.value,
                         pb.Txt(i.tag.value, colour=tag_colour),
                         body,
                         pb.num_cell("–" if i.quality is None else f"{i.quality}/5")])
        story.append(pb.data_table(rows, w))

    # promises and to-dos
    half = (width - 6 * mm) / 2
    story.append(CondPageBreak(36 * mm))

    def follow_block(title: str, items: tuple[ActionItem, ...], total: int, empty: str
                     ) -> list[Any]:
        more = f' <font size="7.5" color="{pb.MUTED.hexval()}">({len(items)} latest of {total})</font>' \
            if total > len(items) else ""
        block: list[Any] = [Paragraph(title + more, s["h2"])]
        block.append(_follow_table(items, b.today, half) if items else Paragraph(empty, s["muted"]))
        return block

    story.append(Spacer(1, 2 * mm))
    story.append(_side_by_side(
        follow_block("Their open promises", b.promises, b.promises_open, "No open promises."),
        follow_block("My open to-dos", b.todos, b.todos_open, "No open to-dos."), width))

    # people and events
    story.append(CondPageBreak(30 * mm))
    people: list[Any] = [Paragraph("Contacts who changed lately", s["h2"])]
    if b.contact_changes:
        w = [21 * mm, half - 21 * mm]
        rows = [[pb.head_cell("When"), pb.head_cell("Who")]]
        for ch in b.contact_changes:
            verb = "joined as" if ch.change == "joined" else "left, was"
            rows.append([pb.fmt_day(ch.on),
                         pb.cell_text(f"{ch.contact.name}, {verb} {ch.contact.role.value}", w[1],
                                      limit=200)])
        people.append(pb.data_table(rows, w))
    else:
        people.append(Paragraph(f"No contact joined or left in the last {CHANGES_DAYS} days.",
                                s["muted"]))
    happened: list[Any] = [Paragraph("Recent events", s["h2"])]
    if b.events:
        w = [6 * mm, 21 * mm, half - 27 * mm]
        rows = [[pb.head_cell("#"), pb.head_cell("Date"), pb.head_cell("What happened")]]
        numbers = {id(e): n for n, e in enumerate(events_in_chart, 1)}
        for e in b.events:
            rows.append([pb.Txt(str(numbers[id(e)]), bold=True),
                         pb.fmt_day(e.on),
                         pb.cell_text(f"{e.kind.value}: {e.text}", w[2], limit=220)])
        happened.append(pb.data_table(rows, w))
    else:
        happened.append(Paragraph("No events in the last twelve months.", s["muted"]))
    story.append(Spacer(1, 4 * mm))
    story.append(_side_by_side(people, happened, width))
    if b.before_after:
        from partnerdesk.services.pdf_health import before_after_block

        story.append(CondPageBreak(40 * mm))
        story += before_after_block(list(b.before_after), width,
                                    "Before and after this year's events")

    # questions still open
    story.append(CondPageBreak(20 * mm))
    story.append(Paragraph("Questions to ask", s["h2"]))
    if b.unanswered:
        story += [pb.para(q, s["body"], width - 12, prefix="•&nbsp;&nbsp;", limit=400)
                  for q in b.unanswered]
    elif b.questions:
        story.append(Paragraph("Every partnership question has an answer.", s["muted"]))
    else:
        story.append(Paragraph("No partnership questions recorded for this vendor.", s["muted"]))
    return story


def render_brief(b: BriefData, paper: str = "a4", bands: Bands = Bands()) -> bytes:
    return pb.one_vendor_pdf(paper, "Meeting brief", b.today,
                             f"Meeting brief: {pb.clean(b.vendor.display_name)}", MARGIN,
                             lambda width: _story(b, width, bands))


def build_brief(journal: Journal, vendor_id: int, out: Path, paper: str = "a4",
                today: date | None = None, bands: Bands = Bands()) -> Path:
    """Write the vendor's meeting brief to `out` (whole, or not at all) and return its path."""
    pb.paper_size(paper)
    out = pb.check_target(Path(out))
    data = brief_data(journal, vendor_id, today=today, bands=bands)
    return pb.write_atomically(out, render_brief(data, paper, bands))
