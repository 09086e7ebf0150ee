"""One interaction holding five action items in every state, for the readers that show them all
(timeline, detail pane, brief, quarterly PDF, `list`). Dates are far in the past or the future
so the states read the same whatever day the tests run."""

from __future__ import annotations

from datetime import UTC, date, datetime

from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import FollowUpOwner
from partnerdesk.services import followups as fu
from partnerdesk.store.journal import Journal
from tests.helpers import draft

WHEN = datetime(2025, 1, 6, 10, tzinfo=UTC)
QUOTE = "Send the revised quote"  # vendor, open, overdue: the headline
DEMO = "Book the demo"  # me, open, due in 2099
ROADMAP = "Share the roadmap"  # vendor, dropped: vendor refused
PRICES = "Old price list"  # me, done
MDF = "Call about MDF"  # vendor, overdue but snoozed until 2099


def three_items(journal: Journal, vendor_id: int, summary: str = "QBR with five asks") -> int:
    """The interaction's id; its items were added in the order of the constants above."""
    i = journal.interactions.add(draft(
        vendor_id, summary, at=WHEN,
        follow_up=FollowUp(date(2025, 1, 10), QUOTE, FollowUpOwner.VENDOR)))
    added = fu.add_items(journal, i.id, [
        (DEMO, date(2099, 6, 20), "me"),
        (ROADMAP, date(2025, 2, 1), "vendor"),
        (PRICES, date(2024, 12, 1), "me"),
        (MDF, date(2025, 3, 1), "vendor"),
    ]).after
    ids = {item.what: item.id for item in added}
    fu.drop(journal, [ids[ROADMAP]], "vendor refused")
    fu.mark_done(journal, [ids[PRICES]])
    fu.snooze(journal, [ids[MDF]], date(2099, 1, 1), date(2025, 6, 1))
    return i.id
