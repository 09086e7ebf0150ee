"""The QBR workspace: what a rep brings to a quarterly business review with one vendor.

A QBR is a negotiation. This gathers, for one vendor, what was agreed last time and how it went,
the numbers (health, registrations, money, programme), and an agenda of asks generated from the
evidence, which the rep edits before printing. After the meeting, `record_outcome` logs the QBR
as an interaction whose action items open the next one.

Reads go through any connection with ``exec_driver_sql`` (a LiteJournal's or a Journal's), so
the workspace opens without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from partnerdesk.domain.action_items import ItemState
from partnerdesk.domain.currency import format_amount
from partnerdesk.domain.errors import NotFound
from partnerdesk.services.ledger_measures import VendorLedger, ledger_measures
from partnerdesk.store.promises import vendor_promises

QBR_TOPIC = "qbr"  # an interaction with this topic is a QBR; its action items are the outcome
DEFAULT_LOOKBACK_DAYS = 92  # without an earlier QBR, "since last time" means the last quarter
SILENCE_DAYS = 60  # no word from the vendor for this long after a buyout is worth raising
SLOW_DECISION_DAYS = 10  # registrations decided slower than this (median) are worth raising
LIST_CAP = 5  # agenda lines of one kind before "and N more"

# The kinds of agenda items, in the order they are raised.
KINDS = ("last time", "promise", "registrations", "money", "change", "silence", "programme",
         "question")

_CHANGE_ASKS = {
    "compensation change": "ask for grandfathering of existing deals, in writing",
    "programme change": "ask how it changes our tier, margins and targets, in writing",
    "acquisition": "ask who owns the partner programme now and what stays as agreed",
    "merger": "ask who owns the partner programme now and what stays as agreed",
    "system change": "ask who to call when orders or claims get stuck",
    "contact change": "ask to be introduced to the new contact",
}


@dataclass(frozen=True, slots=True)
class Commitment:
    """One action item recorded at the previous QBR, and how it went."""

    what: str
    owner: str  # 'vendor' or 'me'
    due: date
    status: str  # 'kept', 'kept late', 'overdue', 'open', 'dropped'
    closed_on: date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AgendaItem:
    kind: str  # one of KINDS
    text: str  # what happened, then the ask: one line the rep may edit


@dataclass(frozen=True, slots=True)
class HealthLine:
    score: float | None
    band: str | None
    label: str  # the period it is for, e.g. 'Q4 2026'
    interactions: int  # the evidence the score rests on
    promises: int
    why: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QbrData:
    vendor_id: int
    vendor: str
    acquirer: str | None
    acquired_on: date | None
    programme: str
    tier: str
    today: date
    since: date  # the previous QBR's day, or DEFAULT_LOOKBACK_DAYS ago
    last_qbr: tuple[int, date, str] | None  # interaction id, day, summary
    last_time: tuple[Commitment, ...]
    health: HealthLine | None
    ledger: VendorLedger
    overdue_promises: int
    agenda: tuple[AgendaItem, ...] = field(default_factory=tuple)


def _day(epoch: int | None) -> date | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).date()


def fmt_day(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _vendor(conn: Any, vendor_id: int) -> tuple[Any, ...]:
    rows = conn.exec_driver_sql(
        "SELECT v.name, a.name, v.acquired_on, v.programme, v.tier FROM vendor v"
        " LEFT JOIN vendor a ON a.id = v.acquirer_id WHERE v.id = ?", (vendor_id,)).all()
    if not rows:
        raise NotFound("That vendor is not in this journal; pick one from the vendor list.")
    return tuple(rows[0])


def last_qbr(conn: Any, vendor_id: int, before: date) -> tuple[int, date, str] | None:
    """The latest QBR with this vendor before `before`: an interaction tagged with the QBR topic
    (or whose summary starts with 'QBR')."""
    end = int(datetime(before.year, before.month, before.day, tzinfo=UTC).timestamp())
    exact = ("i.vendor_id = ? AND i.occurred_at < ? AND (instr(char(10) || i.topics || char(10),"
             " char(10) || 'qbr' || char(10)) > 0 OR i.summary LIKE 'QBR%')")
    # The full-text index names the few interactions that mention a QBR at all; walking the
    # vendor's own interactions instead costs ~0.2 s at 40,000 of them (a 1M journal).
    fts = ("SELECT i.id, i.occurred_at, i.summary FROM interaction_fts f"
           " CROSS JOIN interaction i ON i.id = f.rowid"
           " WHERE interaction_fts MATCH '{summary topics} : qbr*' AND " + exact +
           " ORDER BY i.occurred_at DESC, i.id DESC LIMIT 1")
    scan = ("SELECT i.id, i.occurred_at, i.summary FROM interaction i WHERE " + exact +
            " ORDER BY i.occurred_at DESC, i.id DESC LIMIT 1")
    try:
        rows = conn.exec_driver_sql(fts, (vendor_id, end)).all()
    except Exception as exc:  # no usable full-text index (an old or damaged one): walk instead
        if "fts" not in str(exc).lower() and "no such" not in str(exc).lower():
            raise
        rows = conn.exec_driver_sql(scan, (vendor_id, end)).all()
    if not rows:
        return None
    iid, at, summary = rows[0]
    day = _day(at)
    assert day is not None
    return int(iid), day, str(summary)


def _commitments(conn: Any, interaction_id: int, today: date) -> list[Commitment]:
    out = []
    for what, owner, due, state, closed_at, reason in conn.exec_driver_sql(
            "SELECT what, owner, due, state, closed_at, reason FROM action_item"
            " WHERE interaction_id = ? ORDER BY due, id", (interaction_id,)):
        due_day = date.fromisoformat(due)
        closed = _day(closed_at)
        st = ItemState(state)
        if st is ItemState.DONE:
            status = "kept" if closed is not None and closed <= due_day else "kept late"
        elif st is ItemState.DROPPED:
            status = "dropped"
        else:
            status = "overdue" if due_day < today else "open"
        out.append(Commitment(what, owner, due_day, status, closed, reason or ""))
    return out


def _health(journal: Any, vendor_id: int, today: date) -> HealthLine | None:
    """This quarter's health with the evidence it rests on (the latest scored quarter within a
    year when this one has none yet)."""
    from partnerdesk.domain.health_types import Period
    from partnerdesk.services.health import explain, vendor_health

    points = vendor_health(journal, vendor_id, Period.QUARTER, since=today - timedelta(days=365),
                           today=today)
    if not points:
        return None
    current = points[-1]
    scored = [p for p in points if p.score is not None]
    shown = current if current.score is not None or not scored else scored[-1]
    label = f"Q{(shown.start.month - 1) // 3 + 1} {shown.start.year}"
    if shown is not current:
        label += " (none yet this quarter)"
    # The evidence the score rests on (twelve months of it), not the quarter's own counts: a
    # quiet quarter still has a score, and "rests on 0 interactions" would belie it.
    return HealthLine(shown.score, shown.band.value if shown.band else None, label,
                      shown.evidence_interactions, shown.evidence_promises, tuple(explain(shown)))


def _events_since(conn: Any, vendor_id: int, since: date) -> list[tuple[date, str, str]]:
    return [(date.fromisoformat(on), kind, text) for on, kind, text in conn.exec_driver_sql(
        "SELECT occurred_on, kind, text FROM vendor_event WHERE vendor_id = ? AND occurred_on >= ?"
        " ORDER BY occurred_on", (vendor_id, since.isoformat()))]


def _last_from_vendor(conn: Any, vendor_id: int) -> date | None:
    """When the vendor last reached out or met the rep (not the rep's own unanswered mail)."""
    at = conn.exec_driver_sql(
        "SELECT max(occurred_at) FROM interaction WHERE vendor_id = ?"
        " AND (direction = 'in' OR channel IN ('meeting', 'call'))", (vendor_id,)).scalar()
    return _day(at)


def _questions(conn: Any, vendor_id: int) -> list[tuple[str, list[tuple[date, str]]]]:
    answers: dict[int, list[tuple[date, str]]] = {}
    for qid, on, text in conn.exec_driver_sql(
            "SELECT question_id, answered_on, text FROM answer WHERE vendor_id = ?"
            " ORDER BY answered_on, id", (vendor_id,)):
        answers.setdefault(qid, []).append((date.fromisoformat(on), text))
    return [(text, answers.get(qid, [])) for qid, text in conn.exec_driver_sql(
        "SELECT id, text FROM question WHERE vendor_id IS NULL OR vendor_id = ?"
        " ORDER BY vendor_id IS NOT NULL, position, id", (vendor_id,))]


def _lapsed(expires_on: date | None, today: date) -> bool:
    return expires_on is not None and expires_on < today


def _cert_when(expires_on: date | None, today: date) -> str:
    """'expired 10 Oct 2026' or 'expires 22 Dec 2026': the measures list both kinds."""
    if expires_on is None:
        return "expires soon"
    return f"{'expired' if _lapsed(expires_on, today) else 'expires'} {fmt_day(expires_on)}"


def _capped(items: list[AgendaItem], kind: str, what: str) -> list[AgendaItem]:
    if len(items) <= LIST_CAP:
        return items
    rest = len(items) - LIST_CAP
    return items[:LIST_CAP] + [AgendaItem(kind, f"…and {plural(rest, 'more ' + what)}")]


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_agenda(conn: Any, data: QbrData) -> list[AgendaItem]:
    """Asks generated from the evidence, most pressing kinds first."""
    today, since, vid = data.today, data.since, data.vendor_id
    agenda: list[AgendaItem] = []

    # What the vendor agreed last time and did not deliver.
    owed = [c for c in data.last_time if c.owner == "vendor" and c.status in ("overdue", "open")]
    for c in owed:
        late = f", {plural((today - c.due).days, 'day')} late" if c.status == "overdue" else ""
        agenda.append(AgendaItem("last time", f"Agreed last QBR: {_short(c.what)} (due "
                                 f"{fmt_day(c.due)}{late}): ask for a firm date"))
    from_last = {c.what for c in owed}

    promises = [p for p in vendor_promises(conn, [vid])
                if p.is_overdue(today) and p.what not in from_last]
    promises.sort(key=lambda p: p.due)
    agenda += _capped([AgendaItem("promise", f"Overdue promise: {_short(p.what) or 'no text'} "
                                  f"(due {fmt_day(p.due)}): ask for a date in writing")
                       for p in promises], "promise", "overdue promise")

    regs = data.ledger.registrations
    if regs.rejected:
        why = (f", {regs.rejected_without_reason} without a reason"
               if regs.rejected_without_reason else "")
        agenda.append(AgendaItem("registrations", (
            f"{regs.rejected} of {plural(regs.decided, 'registration')} rejected since "
            f"{fmt_day(since)}{why}: ask for the reasons and what gets the next one approved")))
    median = regs.median_days_to_decision
    if median is not None and median > SLOW_DECISION_DAYS:
        agenda.append(AgendaItem("registrations", (
            f"Registrations take {median:.0f} days to decide (median): "
            f"ask for a decision within {SLOW_DECISION_DAYS} days")))
    if regs.expiring_soon:
        agenda.append(AgendaItem("registrations", (
            f"{plural(regs.expiring_soon, 'registration')} lose protection within 30 days: "
            "ask for extensions")))

    for m in data.ledger.money:
        parts = []
        if m.outstanding:
            parts.append(f"{format_amount(m.outstanding, m.currency)} outstanding")
        if m.late:
            most = f" (up to {plural(m.days_late_max, 'day')})" if m.days_late_max else ""
            parts.append(f"{plural(m.late, 'payment')} late{most}")
        if m.shortfall:
            parts.append(f"{format_amount(m.shortfall, m.currency)} short-paid")
        if parts:
            agenda.append(AgendaItem("money", "; ".join(parts)
                                     + ": ask for a payment date and a statement"))
        if m.mdf_unclaimed:
            agenda.append(AgendaItem("money", (
                f"{format_amount(m.mdf_unclaimed, m.currency)} of MDF unclaimed before its "
                "deadline: agree the claim and what it needs")))

    events = _events_since(conn, vid, since)
    for on, kind, text in events:
        if kind in _CHANGE_ASKS:
            agenda.append(AgendaItem("change", f"{_short(text, 70)} ({kind}, {fmt_day(on)}): "
                                     f"{_CHANGE_ASKS[kind]}"))

    bought_on = data.acquired_on
    if bought_on is None:
        bought = [on for on, kind, _ in _events_since(conn, vid, date(1900, 1, 1))
                  if kind in ("acquisition", "merger")]
        bought_on = bought[-1] if bought else None
    if bought_on is not None and bought_on <= today:
        last = _last_from_vendor(conn, vid)
        quiet_since = max(bought_on, last) if last else bought_on
        if (today - quiet_since).days >= SILENCE_DAYS and (last is None or last <= today):
            who = f" by {data.acquirer}" if data.acquirer else ""
            heard = f"last heard from them {fmt_day(last)}" if last else "not heard from them since"
            agenda.append(AgendaItem("silence", (
                f"Quiet since the buyout{who} on {fmt_day(bought_on)} ({heard}): "
                "ask who owns us now and who our contact is")))

    prog = data.ledger.programme
    for t in prog.changes:
        agenda.append(AgendaItem("programme", (
            f"Tier changed to {t.tier or 'none'} on {fmt_day(t.changed_on)}: ask what it takes "
            "to keep or regain it")))
    for b in prog.benefits_not_met:
        agenda.append(AgendaItem("programme", f"Tier benefit not delivered: {_short(b.text)}: "
                                 "ask when it will be"))
    for cert in prog.certifications_expiring:
        agenda.append(AgendaItem("programme", (
            f"Certification {cert.name} ({cert.holder}) {_cert_when(cert.expires_on, today)}: "
            + ("ask for a training slot to renew it" if _lapsed(cert.expires_on, today)
               else "ask for a training slot"))))

    for text, answers in _questions(conn, vid):
        if not answers:
            agenda.append(AgendaItem("question", f"Unanswered: {_short(text)}"))
        elif len(answers) > 1 and answers[-1][0] >= since and answers[-1][1] != answers[-2][1]:
            agenda.append(AgendaItem("question", (
                f"Answer changed on {fmt_day(answers[-1][0])}: {_short(text, 60)} "
                f"(was \"{_short(answers[-2][1], 50)}\"): ask why, and for it in writing")))
    return agenda


def qbr_data(journal: Any, vendor_id: int, today: date | None = None) -> QbrData:
    """Everything the workspace shows for one vendor. `journal` is a Journal or a LiteJournal."""
    from partnerdesk.services.ledger_measures import today_in_journal

    with journal.reading() as conn:
        name, acquirer, acquired_on, programme, tier = _vendor(conn, vendor_id)
        today = today or today_in_journal(conn)
        previous = last_qbr(conn, vendor_id, today + timedelta(days=1))
        since = previous[1] if previous else today - timedelta(days=DEFAULT_LOOKBACK_DAYS)
        last_time = tuple(_commitments(conn, previous[0], today)) if previous else ()
        ledger = ledger_measures(conn, vendor_id, since, today, today)
        overdue = sum(1 for p in vendor_promises(conn, [vendor_id]) if p.is_overdue(today))
        data = QbrData(vendor_id, name, acquirer, date.fromisoformat(acquired_on) if acquired_on
                       else None, programme, tier, today, since, previous, last_time, None,
                       ledger, overdue)
        agenda = tuple(build_agenda(conn, data))
    health = _health(journal, vendor_id, today)
    return QbrData(**{**{f: getattr(data, f) for f in data.__dataclass_fields__},
                      "health": health, "agenda": agenda})


def record_outcome(journal: Any, vendor_id: int, when: datetime, summary: str,
                   items: Sequence[tuple[str, date, str]], notes: str = "",
                   helpful: bool = True) -> int:
    """Log the QBR as a meeting with the QBR topic and its agreed action items; returns the
    interaction's id. The items are what the next QBR's "Last time" reviews."""
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.domain.models import InteractionDraft
    from partnerdesk.domain.vocab import Channel, Direction, Tag
    from partnerdesk.services import followups

    # Check every item before anything is written: a bad line leaves the journal as it was.
    cleaned = [(followups.clean_what(w), d, followups.clean_owner(o)) for w, d, o in items]
    for what, due, _owner in cleaned:
        # Agreed at the meeting, so due on or after it: an earlier date is a typing slip that
        # would open the next QBR with a commitment already broken.
        if due < when.date():
            raise InvalidInput(f"'{what[:40]}' is due {fmt_day(due)}, before the meeting "
                               f"({fmt_day(when.date())}); give a date on or after it.")
    draft = InteractionDraft(vendor_id=vendor_id, occurred_at=when,
                             summary=summary.strip() or "QBR",
                             tag=Tag.HELPFUL if helpful else Tag.TRANSACTIONAL,
                             channel=Channel.MEETING, direction=Direction.OUTBOUND, notes=notes,
                             topics=(QBR_TOPIC,))
    interaction = journal.interactions.add(draft)
    if cleaned:
        try:
            followups.add_items(journal, interaction.id, cleaned)
        except BaseException:
            journal.interactions.delete(interaction.id)
            raise
    return interaction.id


def agenda_lines(agenda: Sequence[AgendaItem]) -> list[str]:
    return [a.text for a in agenda if a.text.strip()]


def number_lines(d: QbrData) -> list[tuple[str, str]]:
    """'The numbers' as (label, sentence) pairs: what the window shows and the PDF prints."""
    lines: list[tuple[str, str]] = []
    h = d.health
    if h is not None:
        from partnerdesk.services.health import evidence_text

        evidence = evidence_text(h.interactions, h.promises)
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
        certs = ", ".join(f"{c.name} ({c.holder}, {_cert_when(c.expires_on, d.today)})"
                          for c in prog.certifications_expiring)
        lines.append(("Certifications lapsed or expiring", certs))
    if prog.benefits_met or prog.benefits_not_met:
        lines.append(("Tier benefits", f"{len(prog.benefits_met)} delivered, "
                     f"{len(prog.benefits_not_met)} not delivered"))
    return lines


MONEY_HEADERS = ("Currency", "Expected", "Paid", "Outstanding", "Short-paid", "Late",
                 "MDF unclaimed")


def money_rows(d: QbrData) -> list[tuple[str, ...]]:
    """One row a currency under MONEY_HEADERS (amounts without the code: the row names it)."""
    return [(m.currency, *(format_amount(v, m.currency, code=False)
                           for v in (m.expected, m.paid, m.outstanding, m.shortfall)),
             str(m.late), format_amount(m.mdf_unclaimed, m.currency, code=False))
            for m in d.ledger.money]
