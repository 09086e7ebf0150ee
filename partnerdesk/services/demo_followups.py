"""Follow-ups in the demo: what the vendor promised or the rep owes after an interaction, and
how each had ended by the demo's "today".

A good vendor keeps most promises on time; a broken one is delivered late or given up on. Most
things given up on were overtaken by events ("superseded", "no longer needed"); only a vendor
gone bad (after a buyout or a cut) is dropped as "vendor failed" or "vendor refused", which
health counts as broken promises. A vendor the rep is holding to account has its broken promises
left open as a debt. The rep does most of their own to-dos. Items still open long after their
due date were retired at a review, so today's overdue list is short and recent, as a tidy rep's
would be; a few items are not due yet, and a couple near today were snoozed.

`FollowUpMaker.make` is the one place that decides follow-ups, with their end state. They are
written as the interaction's follow-up columns (`row_columns`: its first action item, done or
open, as the schema mirrors it), then `item_states` sets the state those columns cannot hold
(dropped with its reason, snoozed until a day) on the action items the insert created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from partnerdesk.domain.action_items import DropReason, ItemState
from partnerdesk.services.demo_calendar import OfficeCalendar, workday
from partnerdesk.services.demo_text import day_words

# What a vendor promises, by what the interaction was about.
VENDOR_PROMISES = {
    "pricing": ["Send the revised quote", "Confirm the renewal pricing in writing"],
    "commission": ["Correct the commission statement", "Pay the missing commission"],
    "deal registration": ["Approve the deal registration",
                          "Explain why the registration was rejected"],
    "support": ["Escalate the ticket to engineering", "Send the root-cause report"],
    "onboarding": ["Set up portal logins for our new hires", "Send the onboarding checklist"],
    "co-op funds": ["Approve the co-op funds for the spring event", "Send the co-op claim form"],
    "training": ["Book two certification seats", "Send the training schedule"],
    "quoting": ["Send the revised quote", "Quote the three-year term"],
    "portal": ["Restore our deal history in the portal", "Fix the portal login for our SE"],
    "contract": ["Send the partner addendum for signature",
                 "Confirm the renewal terms in writing"],
    "escalation": ["Get an engineer on the customer call", "Send a written update on the outage"],
    "forecast": ["Share the territory pipeline", "Send the forecast template"],
    "spiff": ["Confirm the SPIFF payout", "Send the SPIFF rules in writing"],
}
# What the rep owes in turn, by topic.
MY_TODOS = {
    "pricing": ["Send the customer the revised pricing", "Check the quote against last year's"],
    "commission": ["Send them the list of unpaid deals",
                   "Check the commission statement against our invoices"],
    "deal registration": ["Submit the deal registration",
                          "Send the customer's PO for the registration"],
    "support": ["Send them the customer's logs", "Update the customer on the ticket"],
    "onboarding": ["Finish the onboarding forms", "Send the list of new hires for portal access"],
    "co-op funds": ["Send the co-op event plan", "File the co-op claim with receipts"],
    "training": ["Sign up two engineers for certification", "Finish the sales training module"],
    "quoting": ["Send the customer's usage figures", "Send the signed order form"],
    "portal": ["Re-enter last month's registrations", "Send screenshots of the portal error"],
    "contract": ["Get the addendum signed by our director",
                 "Send the contract back with our comments"],
    "escalation": ["Update the customer after the call",
                   "Send the outage timeline to the customer"],
    "forecast": ["Update the forecast sheet", "Book the quarterly review"],
    "spiff": ["Send the list of new logos for the SPIFF", "Chase the answer on the SPIFF payout"],
}
MENTION_SHARE = 0.75  # how often the note says what was agreed
RETIRE_AFTER_DAYS = 180  # items this far past due and still open were retired at a review
SNOOZE_WINDOW = (-10, 7)  # open items due about now (or just past) may have been snoozed
# The decisions below reuse values already drawn (days, seconds) rather than drawing more: an
# extra draw would shift every later random number, and so the whole demo journal.


@dataclass(frozen=True, slots=True)
class DemoItem:
    owner: str  # "vendor" (a promise) or "me" (a to-do)
    what: str
    due: date
    state: ItemState
    closed_at: int | None  # UTC seconds when done or dropped
    reason: str  # DropReason value when dropped, else ""
    mention: str  # the sentence the interaction's note adds about it, or ""
    snoozed_until: date | None = None


class FollowUpMaker:
    def __init__(self, cal: OfficeCalendar, end_s: int, today: date):
        self.cal = cal
        self.end_s = end_s
        self.today = today.toordinal()

    def make(self, rand: Callable[[], float], *, vendor_promise: bool, who: str, topic: str,
             day: int, keeps: float, stuck: float, keep_debts: bool,
             blame: bool = False) -> list[DemoItem]:
        """The follow-ups agreed on day `day` (an ordinal), each with how it ended.

        keeps: the chance the vendor delivers on time; stuck: the chance a broken promise is
        never closed; keep_debts: the rep leaves those open on purpose (never retired); blame:
        the vendor has gone bad, so a promise given up on is dropped as failed or refused.
        """
        due = workday(day + 2 + int(rand() * 20), forward=True)
        options = VENDOR_PROMISES[topic] if vendor_promise else MY_TODOS[topic]
        what = options[int(rand() * len(options))]
        r = rand()
        on_time = keeps if vendor_promise else 0.86
        closed: int | None
        reason = ""
        if r < on_time:  # done by its due day
            close = workday(min(day + 1 + int(rand() * (due - day)), due), False)
            state, closed = ItemState.DONE, self._at(close if close > day else due, rand)
            if due >= self.today and close > day + 2:  # not due yet: most are still to do
                state, closed = ItemState.OPEN, None
        else:
            r = rand()
            never = stuck if vendor_promise else 0.03
            if r < never:  # nobody closed it...
                state, closed = ItemState.OPEN, None
                if due < self.today - RETIRE_AFTER_DAYS and not (vendor_promise and keep_debts):
                    # ...until a review retired it
                    state = ItemState.DROPPED
                    reason = DropReason.VENDOR_FAILED if vendor_promise and blame else \
                        DropReason.NO_LONGER_NEEDED
                    closed = self._at(workday(due + 120 + int(rand() * 60), True), rand)
            elif r < never + 0.3:  # given up on after a few weeks
                state = ItemState.DROPPED
                closed = self._at(workday(due + 20 + int(rand() * 30), True), rand)
                if vendor_promise and blame:
                    reason = DropReason.VENDOR_REFUSED if closed % 3 == 0 else \
                        DropReason.VENDOR_FAILED
                else:
                    reason = DropReason.SUPERSEDED if closed % 4 else DropReason.NO_LONGER_NEEDED
            else:  # done, late
                state = ItemState.DONE
                closed = self._at(workday(due + 1 + int(rand() * 14), True), rand)
        if closed is not None and closed >= self.end_s:  # not happened yet "today"
            state, closed, reason = ItemState.OPEN, None, ""
        snoozed = None
        if state is ItemState.OPEN and SNOOZE_WINDOW[0] <= due - self.today <= SNOOZE_WINDOW[1] \
                and (day + due) % 2 == 0:  # "remind me next week"
            state = ItemState.SNOOZED
            snoozed = date.fromordinal(workday(max(due, self.today) + 3 + day % 8, True))
        mention = ""
        if rand() < MENTION_SHARE:
            lower = what[0].lower() + what[1:]
            mention = (f"{who[0].upper()}{who[1:]} promised to {lower} by {day_words(due)}."
                       if vendor_promise else f"On me: {lower} by {day_words(due)}.")
        return [DemoItem("vendor" if vendor_promise else "me", what, date.fromordinal(due), state,
                         closed, str(reason), mention, snoozed)]

    def _at(self, ordinal: int, rand: Callable[[], float]) -> int:
        return self.cal.moment(ordinal, rand())


def row_columns(items: list[DemoItem]) -> tuple[str | None, str, str | None, int | None]:
    """The interaction row's follow-up columns (due, what, owner, closed at) for `items`.

    The columns mirror the first action item as open or closed (the schema's mirror: a dropped
    item shows as closed on the day it was dropped); inserting the row creates that item, and
    `item_states` then gives it its true state.
    """
    if not items:
        return None, "", None, None
    item = items[0]
    return item.due.isoformat(), item.what, item.owner, item.closed_at


ITEM_STATES_SQL = ("UPDATE action_item SET state = ?, reason = ?, snoozed_until = ?"
                   " WHERE interaction_id = ?")


def item_states(interaction_id: int,
                items: list[DemoItem]) -> list[tuple[str, str, str | None, int]]:
    """ITEM_STATES_SQL's parameters for the items the row's columns cannot say: dropped (with
    the reason) or snoozed (until a day). Run after the interaction rows are inserted."""
    return [(str(it.state), it.reason, it.snoozed_until.isoformat() if it.snoozed_until else None,
             interaction_id)
            for it in items if it.state in (ItemState.DROPPED, ItemState.SNOOZED)]
