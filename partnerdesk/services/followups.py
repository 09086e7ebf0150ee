"""Follow-up work: add, close, drop, snooze, reschedule and retire action items, undoably.

Every change returns a `Change` holding the items as they were and as they became, so that the
window's undo (and tests) can put either side back with `apply(journal, change.before)`. Inputs
are what a rep typed; a bad one is one InvalidInput sentence and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from partnerdesk.domain.action_items import (
    OWNERS,
    WHAT_MAX,
    ActionItem,
    ItemState,
    drop_reason,
)
from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.validation import clean_line
from partnerdesk.domain.words import plural as count_words
from partnerdesk.store import action_items as store
from partnerdesk.store.timecodec import now_epoch

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal


@dataclass(frozen=True)
class Change:
    """What one operation did: the touched items before and after (absent = did not exist)."""

    text: str  # what the rep did, in their words ("Drop 3 follow-ups")
    before: tuple[ActionItem, ...] = ()
    after: tuple[ActionItem, ...] = ()
    skipped: tuple[int, ...] = field(default=())  # ids asked for that were already in that state

    @property
    def count(self) -> int:
        return len(self.after) or len(self.before)


def plural(n: int, word: str = "follow-up") -> str:
    return count_words(n, word)


def clean_what(text: str) -> str:
    what = clean_line(text)
    if not what:
        raise InvalidInput("The follow-up says nothing; type what is to be done.")
    if len(what) > WHAT_MAX:
        raise InvalidInput(f"The follow-up is {len(what)} characters; keep it under {WHAT_MAX}.")
    return what


def clean_owner(text: str) -> str:
    owner = text.strip().lower()
    if owner in ("vendor", "them", "they", "promise"):
        return "vendor"
    if owner in ("me", "mine", "i", "self"):
        return "me"
    raise InvalidInput(f"'{text}' is not an owner; use {' or '.join(OWNERS)}.")


def _missing(ids: Sequence[int], found: Sequence[ActionItem]) -> None:
    missing = sorted(set(ids) - {i.id for i in found})
    if missing:
        shown = ", ".join(str(m) for m in missing[:5])
        raise NotFound(
            f"No follow-up with id {shown}; list them with: partnerdesk followups"
            if len(missing) == 1
            else f"No follow-ups with ids {shown}; list them with: partnerdesk followups"
        )


def apply(journal: Journal, items: Sequence[ActionItem], remove: Sequence[int] = ()) -> None:
    """Make the journal hold exactly these item rows (and not those in `remove`): undo/redo."""
    with journal.writing() as conn:
        store.delete_items(conn, list(remove))
        store.put_items(conn, list(items))


def undo(journal: Journal, change: Change) -> None:
    before_ids = {i.id for i in change.before}
    apply(journal, change.before, [i.id for i in change.after if i.id not in before_ids])


def redo(journal: Journal, change: Change) -> None:
    after_ids = {i.id for i in change.after}
    apply(journal, change.after, [i.id for i in change.before if i.id not in after_ids])


def add_items(
    journal: Journal,
    interaction_id: int,
    entries: Sequence[tuple[str, date, str]],
    contact_id: int | None = None,
) -> Change:
    """Add (what, due, owner) items to one interaction, all or none."""
    cleaned = [(clean_what(w), d, clean_owner(o)) for w, d, o in entries]
    now = now_epoch()
    with journal.writing() as conn:
        ids = [
            store.insert_item(conn, interaction_id, w, d, o, now, contact_id) for w, d, o in cleaned
        ]
        after = store.get_items(conn, ids)
    return Change(f"Add {plural(len(after))}", (), tuple(after))


def _change(
    journal: Journal,
    ids: Sequence[int],
    text: str,
    edit: Callable[[ActionItem, int], ActionItem | None],
) -> Change:
    """Read, edit and write the items in one transaction: all of them change, or none."""
    now = now_epoch()
    before: list[ActionItem] = []
    after: list[ActionItem] = []
    skipped: list[int] = []
    with journal.writing() as conn:
        items = store.get_items(conn, list(dict.fromkeys(ids)))
        _missing(ids, items)
        for item in items:
            new = edit(item, now)
            if new is None or new == item:
                skipped.append(item.id)
                continue
            before.append(item)
            after.append(replace(new, updated_at=now))
        store.update_items(conn, after)
    return Change(text.format(n=plural(len(after))), tuple(before), tuple(after), tuple(skipped))


def mark_done(journal: Journal, ids: Sequence[int]) -> Change:
    def edit(i: ActionItem, now: int) -> ActionItem | None:
        if i.state is ItemState.DONE:
            return None
        return replace(i, state=ItemState.DONE, closed_at=now, reason="", snoozed_until=None)

    return _change(journal, ids, "Mark {n} done", edit)


def drop(journal: Journal, ids: Sequence[int], reason: str) -> Change:
    why = drop_reason(reason)
    if not why:
        raise InvalidInput(
            "Say why these are dropped (e.g. superseded, no longer needed, vendor refused)."
        )
    if len(why) > 200:
        raise InvalidInput("The reason is too long; keep it under 200 characters.")

    def edit(i: ActionItem, now: int) -> ActionItem | None:
        if i.state is ItemState.DROPPED and i.reason == why:
            return None
        return replace(i, state=ItemState.DROPPED, closed_at=now, reason=why, snoozed_until=None)

    return _change(journal, ids, "Drop {n}", edit)


def snooze(journal: Journal, ids: Sequence[int], until: date, today: date) -> Change:
    if until <= today:
        raise InvalidInput(
            f"Snooze until a day after today ({today.isoformat()}); "
            f"{until.isoformat()} has already come."
        )

    def edit(i: ActionItem, now: int) -> ActionItem | None:
        if not i.is_open:
            return None
        return replace(i, state=ItemState.SNOOZED, snoozed_until=until, closed_at=None, reason="")

    return _change(journal, ids, "Snooze {n}", edit)


def reopen(journal: Journal, ids: Sequence[int]) -> Change:
    def edit(i: ActionItem, now: int) -> ActionItem | None:
        if i.state is ItemState.OPEN:
            return None
        return replace(i, state=ItemState.OPEN, snoozed_until=None, closed_at=None, reason="")

    return _change(journal, ids, "Reopen {n}", edit)


def reschedule(journal: Journal, ids: Sequence[int], due: date) -> Change:
    def edit(i: ActionItem, now: int) -> ActionItem | None:
        if i.due == due and i.state is not ItemState.SNOOZED:
            return None
        # A new due date ends a snooze: the item is due when it says.
        state = ItemState.OPEN if i.state is ItemState.SNOOZED else i.state
        return replace(
            i,
            due=due,
            state=state,
            snoozed_until=None if state is ItemState.OPEN else i.snoozed_until,
        )

    return _change(journal, ids, "Reschedule {n}", edit)


def overdue_by_more_than(journal: Journal, days: int, today: date) -> list[ActionItem]:
    """Open or snoozed items whose due date is more than `days` days before `today`."""
    if days < 0:
        raise InvalidInput("Give a number of days of 0 or more.")
    with journal.reading() as conn:
        return store.list_items(
            conn,
            states=(ItemState.OPEN, ItemState.SNOOZED),
            due_before=today - timedelta(days=days),
        )


def retire_overdue(journal: Journal, days: int, reason: str, today: date) -> Change:
    """Drop every item overdue by more than `days` days, with one reason for all of them."""
    old = overdue_by_more_than(journal, days, today)
    if not old:
        return Change("Retire 0 follow-ups")
    change = drop(journal, [i.id for i in old], reason)
    return replace(
        change,
        text=f"Retire {plural(len(change.after))} overdue by more than {plural(days, 'day')}",
    )


def items_of(journal: Journal, interaction_id: int) -> list[ActionItem]:
    with journal.reading() as conn:
        return store.items_of(conn, interaction_id)


def restore_items_of(journal: Journal, interaction_id: int, saved: Sequence[ActionItem]) -> None:
    """Undo of an interaction's delete: its items come back as they were, not just the first.

    Restoring the interaction re-created its first item from the follow_up_* columns; that copy
    makes way for the saved rows, which keep their ids unless another item took one meanwhile.
    """
    with journal.writing() as conn:
        store.delete_items(conn, [i.id for i in store.items_of(conn, interaction_id)])
        taken = {i.id for i in store.get_items(conn, [i.id for i in saved])}
        back = [replace(i, interaction_id=interaction_id) for i in saved if i.id not in taken]
        store.put_items(conn, back)
        now = now_epoch()
        for i in saved:
            if i.id in taken:
                new_id = store.insert_item(
                    conn, interaction_id, i.what, i.due, i.owner, now, i.contact_id
                )
                store.update_items(conn, [replace(i, id=new_id, interaction_id=interaction_id)])


# -- keep in touch --------------------------------------------------------------------------------
CADENCE_MAX = 3650


@dataclass(frozen=True)
class CadenceChange:
    """A vendor's keep-in-touch cadence before and after (None: none); undo sets `before`."""

    vendor_id: int
    vendor_name: str
    before: int | None
    after: int | None

    @property
    def text(self) -> str:
        if self.after is None:
            return f"Stop the keep-in-touch reminder for {self.vendor_name}"
        return f"Keep in touch with {self.vendor_name} every {plural(self.after, 'day')}"


def set_cadence(journal: Journal, vendor_id: int, every_days: int | None) -> CadenceChange:
    """Keep in touch with a vendor at least every `every_days` days (None or 0: no cadence)."""
    if every_days is not None and not 0 <= every_days <= CADENCE_MAX:
        raise InvalidInput(
            f"Give the cadence in days, from 1 to {CADENCE_MAX} (0 turns it off).")
    vendor = journal.vendors.get(vendor_id)
    with journal.writing() as conn:
        before = store.cadences(conn).get(vendor_id)
        store.set_cadence(conn, vendor_id, every_days or None)
    return CadenceChange(vendor_id, vendor.name, before, every_days or None)
