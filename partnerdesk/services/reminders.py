"""What the tray says and when: today's due and overdue follow-ups, notifications once per item,
and the morning digest. No Qt here: the tray asks `Reminders` each minute with the time from
its (injectable) clock and shows what comes back.

Computing today's reminders reads only open and snoozed items through their partial indexes,
with counts done in SQL and at most MENU_ITEMS rows turned into objects, so it stays in
milliseconds however long the journal is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from partnerdesk.domain.action_items import ActionItem, KeepInTouchDue
from partnerdesk.store import action_items as store

MENU_ITEMS = 8  # items listed in the tray menu; the rest are counted
# More new items than this at once become one notification listing them: one toast per check
# (several in a row replace each other on some desktops, and are noise on all of them).
BURST = 1


@dataclass(frozen=True)
class Today:
    """Today's reminders: what the tray menu shows."""

    day: date
    due_today: int
    overdue: int
    top: tuple[ActionItem, ...]  # the most pressing first: overdue oldest, then due today
    quiet: tuple[KeepInTouchDue, ...] = ()

    @property
    def total(self) -> int:
        return self.due_today + self.overdue

    def headline(self) -> str:
        if not self.total and not self.quiet:
            return "Nothing due today"
        parts = []
        if self.due_today:
            parts.append(f"{self.due_today:,} due today")
        if self.overdue:
            parts.append(f"{self.overdue:,} overdue")
        if self.quiet:
            parts.append(f"{len(self.quiet)} to get in touch with")
        return " · ".join(parts)


def today_reminders(conn: Any, day: date) -> Today:
    """Counts of items needing attention on `day`, and the first MENU_ITEMS of them.

    Each query reads one partial index (open items by due date, snoozed ones by snooze end) in
    its own order, so nothing is sorted and only index entries are counted.
    """
    iso = day.isoformat()

    def one(sql: str) -> int:
        return int(conn.exec_driver_sql(sql, (iso,)).scalar() or 0)

    overdue = one("SELECT count(*) FROM action_item WHERE state = 'open' AND due < ?")
    due_today = one("SELECT count(*) FROM action_item WHERE state = 'open' AND due = ?")
    woken = conn.exec_driver_sql(
        "SELECT coalesce(sum(due < ?), 0), coalesce(sum(due >= ?), 0) FROM action_item"
        " WHERE state = 'snoozed' AND snoozed_until <= ?",
        (iso, iso, iso),
    ).all()[0]
    overdue += int(woken[0])
    due_today += int(woken[1])
    top = [
        *conn.exec_driver_sql(
            f"SELECT {store.COLUMNS}{store.FROM} WHERE a.state = 'open' AND a.due <= ?"
            f" ORDER BY a.due, a.id LIMIT {MENU_ITEMS}",
            (iso,),
        ).all(),
        *conn.exec_driver_sql(
            f"SELECT {store.COLUMNS}{store.FROM} WHERE a.state = 'snoozed' AND a.snoozed_until <= ?"
            f" ORDER BY a.due, a.id LIMIT {MENU_ITEMS}",
            (iso,),
        ).all(),
    ]
    items = sorted((store._item(r) for r in top), key=lambda i: (i.due, i.id))[:MENU_ITEMS]
    return Today(day, due_today, overdue, tuple(items), tuple(store.past_cadence(conn, day)))


def newly_attention(conn: Any, since: date, day: date) -> list[ActionItem]:
    """Items that came to need attention after `since` up to `day`: due today, newly overdue
    (due from `since` on) or out of a snooze that ended in that span."""
    lo, hi = since.isoformat(), day.isoformat()
    rows = conn.exec_driver_sql(
        f"SELECT {store.COLUMNS}{store.FROM} WHERE a.state = 'open' AND a.due >= ? AND a.due <= ?"
        f" UNION ALL SELECT {store.COLUMNS}{store.FROM} WHERE a.state = 'snoozed'"
        " AND a.snoozed_until >= ? AND a.snoozed_until <= ?",
        (lo, hi, lo, hi),
    ).all()
    return sorted((store._item(r) for r in rows), key=lambda i: (i.due, i.id))


@dataclass(frozen=True)
class Note:
    """One desktop notification."""

    title: str
    body: str
    item_ids: tuple[int, ...] = ()


@dataclass
class NotifyState:
    """What has been said already (kept by the tray between runs): item keys and the last digest."""

    said: set[str] = field(default_factory=set)  # "id:due" / "id:overdue"
    last_check: date | None = None
    last_digest: date | None = None


def _key(item: ActionItem, day: date) -> str:
    return f"{item.id}:{'overdue' if item.due < day else 'due'}"


def notes_for(conn: Any, now: datetime, state: NotifyState, digest_at: time | None) -> list[Note]:
    """The notifications to show at `now` (local time), updating `state` so none repeats.

    Items due today and items newly overdue since the last check each get one notification
    (several at once become one summary). The digest comes once a day at or after `digest_at`.
    """
    day = now.date()
    since = state.last_check or day
    fresh = [
        i
        for i in newly_attention(conn, min(since, day) - timedelta(days=1), day)
        if _key(i, day) not in state.said and i.needs_attention(day)
    ]
    notes: list[Note] = []
    if len(fresh) > BURST:
        n_over = sum(1 for i in fresh if i.due < day)
        lines = [
            f"• {i.what or '(no text)'} — {i.vendor_name}" + (" (overdue)" if i.due < day else "")
            for i in fresh[:4]
        ]
        if len(fresh) > 4:
            lines.append(f"… and {len(fresh) - 4} more in partnerdesk's follow-ups")
        notes.append(
            Note(
                f"{len(fresh)} follow-ups need you"
                + (
                    f" ({len(fresh) - n_over} due today, {n_over} overdue)"
                    if n_over and n_over < len(fresh)
                    else ""
                ),
                "\n".join(lines),
                tuple(i.id for i in fresh),
            )
        )
    else:
        for i in fresh:
            late = i.due < day
            who = "promised by " + i.vendor_name if i.owner == "vendor" else "for " + i.vendor_name
            notes.append(
                Note(
                    "Overdue follow-up" if late else "Follow-up due today",
                    f"{i.what or '(no text)'} — {who}"
                    + (f", due {i.due.isoformat()}" if late else ""),
                    (i.id,),
                )
            )
    state.said.update(_key(i, day) for i in fresh)
    if digest_at is not None and now.time() >= digest_at and state.last_digest != day:
        today = today_reminders(conn, day)
        state.last_digest = day
        lines = [f"• {i.what or '(no text)'} ({i.vendor_name})" for i in today.top[:5]]
        notes.append(
            Note(
                f"Good morning: {today.headline().lower()}",
                "\n".join(lines) if lines else "Nothing is due. A good day to get in touch.",
                tuple(i.id for i in today.top),
            )
        )
    state.last_check = day
    return notes
