"""Reads the PDFs need that the stores do not offer in one call: open follow-ups for many
vendors at once, and a vendor's questions with their dated answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from partnerdesk.domain.models import Interaction
from partnerdesk.store.journal import Journal


@dataclass(frozen=True, slots=True)
class QuestionAnswers:
    text: str
    answers: tuple[tuple[date, str], ...]  # oldest first

    @property
    def answered(self) -> bool:
        return bool(self.answers)


def open_follow_ups(journal: Journal, vendor_ids: Sequence[int], today: date, shown: int
                    ) -> dict[int, tuple[list[Interaction], int, int]]:
    """Per vendor: its open follow-ups with the latest due dates (at most `shown`, latest
    first), how many are open, and how many of those are overdue.

    One pass over the open-follow-up index for every vendor, then one fetch of the rows shown:
    at a million interactions that is ~20 ms, where a filtered list per vendor scans each
    vendor's whole history.
    """
    wanted = set(vendor_ids)
    per: dict[int, list[tuple[str, int]]] = {}
    with journal.reading() as conn:
        for iid, vid, due in conn.exec_driver_sql(
                "SELECT id, vendor_id, follow_up_due FROM interaction"
                " WHERE follow_up_due IS NOT NULL AND follow_up_done_at IS NULL"):
            if vid in wanted:
                per.setdefault(vid, []).append((due, iid))
    today_iso = today.isoformat()
    picked: dict[int, list[int]] = {}
    counts: dict[int, tuple[int, int]] = {}
    for vid, rows in per.items():
        rows.sort(reverse=True)
        picked[vid] = [iid for _, iid in rows[:shown]]
        counts[vid] = (len(rows), sum(1 for due, _ in rows if due < today_iso))
    fetched = {i.id: i for i in journal.interactions.get_many([i for ids in picked.values() for i in ids])}
    return {vid: ([fetched[i] for i in ids if i in fetched], *counts[vid]) for vid, ids in picked.items()}


def questions_for(journal: Journal, vendor_id: int) -> list[QuestionAnswers]:
    """The vendor's partnership questions, each with its answers oldest first."""
    store = getattr(journal, "questions", None)
    if store is None:
        return []
    out = []
    for q in store.for_vendor(vendor_id):
        answers = tuple(sorted(((a.on, a.text) for a in q.answers), key=lambda a: a[0]))
        out.append(QuestionAnswers(q.text, answers))
    return out


def vendor_follow_ups(journal: Journal, vendor_id: int) -> list[Interaction]:
    """Every open follow-up of one vendor, latest due first."""
    with journal.reading() as conn:
        ids = [r[0] for r in conn.exec_driver_sql(
            "SELECT id FROM interaction WHERE follow_up_due IS NOT NULL"
            " AND follow_up_done_at IS NULL AND vendor_id = ? ORDER BY follow_up_due DESC, id DESC",
            (vendor_id,))]
    return journal.interactions.get_many(ids)
