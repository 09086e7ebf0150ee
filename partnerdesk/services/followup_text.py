"""An interaction's action items in words, the same in the timeline, the detail pane, the brief,
the quarterly PDF and the `list` command.

Every item is shown with its state (done, dropped and why, snoozed until when), and "overdue"
only where ActionItem.is_overdue says so. Standard library only: the timeline uses it before
SQLAlchemy is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from partnerdesk.domain.action_items import ActionItem, ItemState

DayText = Callable[[date], str]


def _iso(d: date) -> str:
    return d.isoformat()


def whose(item: ActionItem) -> str:
    return "vendor's promise" if item.owner == "vendor" else "my to-do"


def state_text(item: ActionItem, today: date, day: DayText = _iso) -> str:
    """'due 2026-12-01', 'due today', 'overdue since 2026-01-02', 'snoozed until …', 'done',
    'dropped: superseded'."""
    if item.state is ItemState.DONE:
        return "done"
    if item.state is ItemState.DROPPED:
        return f"dropped: {item.reason}" if item.reason else "dropped"
    if item.is_overdue(today):
        late = f"overdue since {day(item.due)}"
        if item.state is ItemState.SNOOZED and item.snoozed_until is not None:
            return f"{late}, snoozed until {day(item.snoozed_until)}"
        return late
    if item.state is ItemState.SNOOZED and item.snoozed_until is not None:
        return f"due {day(item.due)}, snoozed until {day(item.snoozed_until)}"
    return "due today" if item.due == today else f"due {day(item.due)}"


def status(item: ActionItem, today: date, day: DayText = _iso) -> str:
    """The state without the due date, for where the date is shown beside it: 'open',
    'due today', 'overdue', 'overdue, snoozed until …', 'snoozed until …', 'done', 'dropped: …'."""
    if item.state is ItemState.DONE:
        return "done"
    if item.state is ItemState.DROPPED:
        return f"dropped: {item.reason}" if item.reason else "dropped"
    snoozed = (f"snoozed until {day(item.snoozed_until)}"
               if item.state is ItemState.SNOOZED and item.snoozed_until is not None else "")
    if item.is_overdue(today):
        return f"overdue, {snoozed}" if snoozed else "overdue"
    return snoozed or ("due today" if item.due == today else "open")


def item_line(item: ActionItem, today: date, day: DayText = _iso) -> str:
    """'Send the quote — vendor's promise, overdue since 2026-01-02'."""
    return f"{item.what or '(no text)'} — {whose(item)}, {state_text(item, today, day)}"


def headline(items: Sequence[ActionItem]) -> ActionItem | None:
    """The item that matters most: the open one due first, else the first one added."""
    if not items:
        return None
    live = [i for i in items if i.is_open]
    return min(live, key=lambda i: (i.due, i.id)) if live else items[0]


def short_state(item: ActionItem, today: date, day: DayText = _iso) -> str:
    """The headline's state in a few characters, for a table cell."""
    if item.state is ItemState.DONE:
        return "done"
    if item.state is ItemState.DROPPED:
        return "dropped"
    if item.is_overdue(today):
        return f"overdue {day(item.due)}"
    if item.state is ItemState.SNOOZED and item.snoozed_until is not None:
        return f"snoozed to {day(item.snoozed_until)}"
    return day(item.due)


def cell_text(items: Sequence[ActionItem], today: date, day: DayText = _iso) -> str:
    """'overdue 2026-01-02 · Send the quote (+2 more)': the headline item and how many others."""
    first = headline(items)
    if first is None:
        return ""
    more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
    return f"{short_state(first, today, day)} · {first.what or '(no text)'}{more}"


def tooltip_text(items: Sequence[ActionItem], today: date, day: DayText = _iso) -> str:
    """Every item on its own line, in the order they were added."""
    return "\n".join(item_line(i, today, day) for i in items)


def any_overdue(items: Sequence[ActionItem], today: date) -> bool:
    return any(i.is_overdue(today) for i in items)
