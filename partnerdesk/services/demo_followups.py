"""Follow-ups in the demo: what the vendor promised or the rep owes after an interaction, and
how each had ended by the demo's "today".

A good vendor keeps most promises on time; a broken one is delivered late, given up on
("vendor failed"), or, for a vendor the rep is holding to account, left open as a debt. The
rep does most of their own to-dos. Items still open long after their due date were retired at
a review, so today's overdue list is short and recent, as a tidy rep's would be.

`FollowUpMaker.make` is the one place that decides follow-ups; `row_columns` is the one place
that writes them, today as the single follow-up an interaction row can hold. When action items
(several per interaction, dropped, snoozed) arrive, only `row_columns` and the caller's writer
change: `make` already returns a list of items with their end state.
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


@dataclass(frozen=True, slots=True)
class DemoItem:
    owner: str  # "vendor" (a promise) or "me" (a to-do)
    what: str
    due: date
    state: ItemState
    closed_at: int | None  # UTC seconds when done or dropped
    reason: str  # DropReason value when dropped, else ""
    mention: str  # the sentence the interaction's note adds about it, or ""


class FollowUpMaker:
    def __init__(self, cal: OfficeCalendar, end_s: int, today: date):
        self.cal = cal
        self.end_s = end_s
        self.today = today.toordinal()

    def make(self, rand: Callable[[], float], *, vendor_promise: bool, who: str, topic: str,
             day: int, keeps: float, stuck: float, keep_debts: bool) -> list[DemoItem]:
        """The follow-ups agreed on day `day` (an ordinal), each with how it ended.

        keeps: the chance the vendor delivers on time; stuck: the chance a broken promise is
        never closed; keep_debts: the rep leaves those open on purpose (never retired).
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
        else:
            r = rand()
            never = stuck if vendor_promise else 0.03
            if r < never:  # nobody closed it...
                state, closed = ItemState.OPEN, None
                if due < self.today - RETIRE_AFTER_DAYS and not (vendor_promise and keep_debts):
                    # ...until a review retired it
                    state = ItemState.DROPPED
                    reason = DropReason.VENDOR_FAILED if vendor_promise else \
                        DropReason.NO_LONGER_NEEDED
                    closed = self._at(workday(due + 120 + int(rand() * 60), True), rand)
            elif r < never + 0.3:  # given up on after a few weeks
                state = ItemState.DROPPED
                reason = DropReason.VENDOR_FAILED if vendor_promise else DropReason.SUPERSEDED
                closed = self._at(workday(due + 20 + int(rand() * 30), True), rand)
            else:  # done, late
                state = ItemState.DONE
                closed = self._at(workday(due + 1 + int(rand() * 14), True), rand)
        if closed is not None and closed >= self.end_s:  # not happened yet "today"
            state, closed, reason = ItemState.OPEN, None, ""
        mention = ""
        if rand() < MENTION_SHARE:
            lower = what[0].lower() + what[1:]
            mention = (f"{who[0].upper()}{who[1:]} promised to {lower} by {day_words(due)}."
                       if vendor_promise else f"On me: {lower} by {day_words(due)}.")
        return [DemoItem("vendor" if vendor_promise else "me", what, date.fromordinal(due), state,
                         closed, str(reason), mention)]

    def _at(self, ordinal: int, rand: Callable[[], float]) -> int:
        return self.cal.moment(ordinal, rand())


def row_columns(items: list[DemoItem]) -> tuple[str | None, str, str | None, int | None]:
    """The interaction row's follow-up columns (due, what, owner, closed at) for `items`.

    A row holds one follow-up that is open or done, so a dropped item is written as closed on
    the day it was dropped: for a vendor promise that is after its due date, i.e. not kept.
    """
    if not items:
        return None, "", None, None
    item = items[0]
    return item.due.isoformat(), item.what, item.owner, item.closed_at
