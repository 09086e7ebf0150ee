"""Reads the PDFs need that the stores do not offer in one call: open action items for many
vendors at once, and a vendor's questions with their dated answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.models import Interaction
from partnerdesk.store.journal import Journal
from partnerdesk.store.timecodec import to_epoch


@dataclass(frozen=True, slots=True)
class QuestionAnswers:
    text: str
    answers: tuple[tuple[date, str], ...]  # oldest first

    @property
    def answered(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True, slots=True)
class OpenItems:
    """A vendor's open action items (open or snoozed), as a report lists them."""

    shown: tuple[ActionItem, ...]  # the latest due first
    open_count: int
    overdue_count: int  # ActionItem.is_overdue as of the report's day
    origins: dict[int, Interaction]  # interaction id -> the interaction each shown item came from


def open_follow_ups(journal: Journal, vendor_ids: Sequence[int], today: date, shown: int
                    ) -> dict[int, OpenItems]:
    """Per vendor with any: its open action items with the latest due dates (at most `shown`),
    how many are open, and how many of those are overdue.

    One pass over the partial indexes of open and snoozed items for every vendor, then one fetch
    of the interactions the shown items came from.
    """
    from partnerdesk.store.action_items import open_items

    per: dict[int, list[ActionItem]] = {}
    with journal.reading() as conn:
        for item in open_items(conn, vendor_ids):
            per.setdefault(item.vendor_id, []).append(item)
    picked = {vid: items[::-1][:shown] for vid, items in per.items()}
    origins = {i.id: i for i in journal.interactions.get_many(
        list(dict.fromkeys(item.interaction_id for items in picked.values() for item in items)))}
    return {vid: OpenItems(tuple(picked[vid]), len(items),
                           sum(1 for i in items if i.is_overdue(today)),
                           {i.interaction_id: origins[i.interaction_id] for i in picked[vid]
                            if i.interaction_id in origins})
            for vid, items in per.items()}


def items_of_interactions(journal: Journal, interactions: Sequence[Interaction]
                          ) -> dict[int, tuple[ActionItem, ...]]:
    """interaction id -> all its action items, for the interactions a report shows in full."""
    from partnerdesk.store.action_items import items_by_interaction

    with journal.reading() as conn:
        found = items_by_interaction(conn, [i.id for i in interactions])
    return {iid: tuple(items) for iid, items in found.items()}


def questions_for(journal: Journal, vendor_id: int) -> list[QuestionAnswers]:
    """The vendor's partnership questions (the standard ones, then its own), each with its
    answers oldest first."""
    out = []
    for q in journal.questions.for_vendor(vendor_id):
        answers = tuple(sorted(((a.on, a.text) for a in q.answers), key=lambda a: a[0]))
        out.append(QuestionAnswers(q.text, answers))
    return out


def vendor_follow_ups(journal: Journal, vendor_id: int) -> list[ActionItem]:
    """Every open (or snoozed) action item of one vendor, latest due first."""
    from partnerdesk.store.action_items import open_items

    with journal.reading() as conn:
        return open_items(conn, [vendor_id])[::-1]


# How much an interaction is worth rereading in a quarterly summary: a promise or a to-do
# (any of its action items, one index seek a row), a best or worst rating, a meeting, help,
# notes. Ties go to the most recent.
_KEY_WEIGHT = (
    "coalesce((SELECT max(CASE WHEN a.owner = 'vendor' THEN 3 ELSE 2 END) FROM action_item a"
    " WHERE a.interaction_id = interaction.id), 0)"
    " + 2 * (quality IN (1, 5)) + 2 * (channel IN ('meeting', 'event'))"
    " + (tag = 'helpful') + (notes <> '')"
)


def key_interactions(journal: Journal, vendor_id: int, since: datetime, until: datetime,
                     limit: int) -> tuple[list[Interaction], int, int]:
    """The `limit` interactions of [since, until) most worth rereading, in time order, with how
    many there were and how many of them were helpful. Only the rows shown are fetched."""
    a, b = to_epoch(since), to_epoch(until)
    with journal.reading() as conn:
        total, helpful = conn.exec_driver_sql(
            "SELECT count(*), coalesce(sum(tag = 'helpful'), 0) FROM interaction"
            " WHERE vendor_id = ? AND occurred_at >= ? AND occurred_at < ?", (vendor_id, a, b)).one()
        ids = [r[0] for r in conn.exec_driver_sql(
            f"SELECT id FROM interaction WHERE vendor_id = ? AND occurred_at >= ? AND occurred_at < ?"
            f" ORDER BY {_KEY_WEIGHT} DESC, occurred_at DESC, id DESC LIMIT ?",
            (vendor_id, a, b, limit))]
    items = journal.interactions.get_many(ids)
    items.sort(key=lambda i: (i.occurred_at, i.id))
    return items, int(total), int(helpful)


def month_counts(journal: Journal, vendor_id: int, bounds: Sequence[datetime]
                 ) -> list[tuple[int, int]]:
    """(helpful, transactional) for each span between consecutive `bounds` (month starts)."""
    edges = [to_epoch(b) for b in bounds]
    bucket = " + ".join(f"(occurred_at >= {e})" for e in edges[1:-1]) or "0"
    out = [(0, 0)] * (len(edges) - 1)
    counts: dict[int, list[int]] = {}
    with journal.reading() as conn:
        for m, tag, n in conn.exec_driver_sql(
                f"SELECT {bucket}, tag, count(*) FROM interaction WHERE vendor_id = ?"
                " AND occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2",
                (vendor_id, edges[0], edges[-1])):
            counts.setdefault(int(m), [0, 0])[0 if tag == "helpful" else 1] += int(n)
    for m, (h, t) in counts.items():
        out[m] = (h, t)
    return out
