"""Follow-ups: every action item, soonest due first, grouped by vendor or owner; review and retire.

The keyboard does the work on the selected items: Space or D marks them done, Delete drops them
(asking why), S snoozes, R reschedules, O reopens; "Retire old…" drops everything overdue by more
than N days with one reason. Every change is one step on the window's undo stack. The list reads
through the standard library (LiteJournal), so opening it never waits for SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.action_items import ActionItem, ItemState, KeepInTouchDue
from partnerdesk.domain.when import local_now
from partnerdesk.services import followups
from partnerdesk.ui.form_dialog import error_colour, error_line, error_text
from partnerdesk.ui.formatting import date_format

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Due", "State", "Vendor", "Owner", "What", "From"]
COL_DUE, COL_STATE, COL_VENDOR, COL_OWNER, COL_WHAT, COL_FROM = range(6)
LIMIT = 2000  # items read per refresh, soonest due first: beyond this a rep filters, not scrolls

# (label, states) for the Show box; None is every state.
SHOW = [
    ("Open and snoozed", ("open", "snoozed")),
    ("Due now", ("open", "snoozed")),
    ("Open", ("open",)),
    ("Snoozed", ("snoozed",)),
    ("Done", ("done",)),
    ("Dropped", ("dropped",)),
    ("All", None),
]
DUE_NOW = 1  # the Show entry that keeps only items needing attention today
GROUPS = ["Due date", "Vendor", "Owner"]
OWNER_TEXT = {"vendor": "Vendor promise", "me": "My to-do"}


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _due_tip(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return "Due today"
    span = plural(abs(days), "day")
    return f"Overdue by {span}" if days < 0 else f"Due in {span}"


def state_text(item: ActionItem, today: date) -> str:
    """The state in words (said, not only coloured)."""
    if item.state is ItemState.DONE:
        return "done"
    if item.state is ItemState.DROPPED:
        return f"dropped: {item.reason}"
    snooze = f"snoozed to {item.snoozed_until.isoformat()}" if item.snoozed_until else ""
    if item.state is ItemState.SNOOZED and item.snoozed_until and item.snoozed_until > today:
        return snooze
    if item.due < today:
        return "overdue" + (f" ({snooze})" if snooze else "")
    return "due today" if item.due == today else "open"


@dataclass
class _Group:
    title: str
    items: list[ActionItem]


class FollowUpsModel(QAbstractItemModel):
    """Items in groups (a tree of two levels), or one flat list when grouped by due date.

    Group rows have internalId 0; an item's internalId is its group's row + 1.
    """

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.groups: list[_Group] = []
        self.flat = True
        self.today = date.today()
        self.summaries: dict[int, tuple[str, str]] = {}  # interaction id -> (day, summary)
        self._red = QBrush(QColor(error_colour()))
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(
        self,
        items: list[ActionItem],
        group_by: str,
        today: date,
        summaries: dict[int, tuple[str, str]],
    ) -> None:
        self.beginResetModel()
        self.today = today
        self.summaries = summaries
        self.flat = group_by == "Due date"
        if self.flat:
            self.groups = [_Group("", items)]
        else:
            by: dict[str, list[ActionItem]] = {}
            for it in items:
                key = it.vendor_name if group_by == "Vendor" else OWNER_TEXT.get(it.owner, it.owner)
                by.setdefault(key, []).append(it)
            # Groups in the order of their soonest item: the most pressing group first.
            self.groups = [_Group(k, v) for k, v in by.items()]
        self.endResetModel()

    def all_items(self) -> list[ActionItem]:
        return [it for g in self.groups for it in g.items]

    # -- structure -------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if self.flat or not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or self.flat or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not self.groups:
            return 0
        if self.flat:
            return 0 if parent.isValid() else len(self.groups[0].items)
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()].items)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def item(self, index: _Index) -> ActionItem | None:
        if not index.isValid():
            return None
        if self.flat:
            return self.groups[0].items[index.row()]
        gid = int(index.internalId())
        return self.groups[gid - 1].items[index.row()] if gid else None

    def group_items(self, index: _Index) -> list[ActionItem]:
        if not index.isValid() or self.flat or index.internalId() != 0:
            return []
        return self.groups[index.row()].items

    # -- content ---------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        it = self.item(index)
        col = index.column()
        if it is None:  # a group row
            g = self.groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and col == 0:
                late = sum(1 for i in g.items if i.is_overdue(self.today))
                return f"{g.title} ({len(g.items)}" + (f", {late} overdue)" if late else ")")
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            day, summary = self.summaries.get(it.interaction_id, ("", ""))
            if col == COL_DUE:
                return (
                    it.due.isoformat()
                    if role == Qt.ItemDataRole.DisplayRole
                    else _due_tip(it.due, self.today)
                )
            if col == COL_STATE:
                return state_text(it, self.today)
            if col == COL_VENDOR:
                return it.vendor_name
            if col == COL_OWNER:
                return OWNER_TEXT.get(it.owner, it.owner)
            if col == COL_WHAT:
                text = it.what or summary
                return (
                    text
                    if role == Qt.ItemDataRole.DisplayRole
                    else f"{text}\nFrom {day}: {summary}"
                )
            return day if role == Qt.ItemDataRole.DisplayRole else f"{day}: {summary}"
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and it.is_overdue(self.today)
            and it.needs_attention(self.today)
        ):
            return self._red
        return None


class FollowUpsView(QWidget):
    """The follow-ups list and its actions; a double-click opens the interaction."""

    open_interaction = Signal(int)

    def __init__(
        self,
        session: JournalSession,
        parent: QWidget | None = None,
        clock: Callable[[], date] | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.clock = clock or (lambda: local_now().date())  # tests pass a fixed day
        self.setObjectName("followUpsView")
        settings = QSettings()

        self.show_box = QComboBox()
        self.show_box.addItems([label for label, _ in SHOW])
        self.show_box.setCurrentIndex(
            min(int(settings.value("followups/show", 0, type=int)), len(SHOW) - 1)
        )
        self.show_box.setAccessibleName("Show")
        self.group_box = QComboBox()
        self.group_box.addItems(GROUPS)
        group = str(settings.value("followups/group", "Due date"))
        self.group_box.setCurrentIndex(GROUPS.index(group) if group in GROUPS else 0)
        self.group_box.setAccessibleName("Group by")
        show_label = QLabel("Sho&w:")
        show_label.setBuddy(self.show_box)
        group_label = QLabel("&Group by:")
        group_label.setBuddy(self.group_box)
        self.summary = QLabel()
        self.summary.setAccessibleName("Follow-up count")
        top = QHBoxLayout()
        for w in (show_label, self.show_box, group_label, self.group_box):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.summary)

        self.keep_in_touch = QLabel()
        self.keep_in_touch.setWordWrap(True)
        self.keep_in_touch.setAccessibleName("Vendors to get in touch with")
        self.keep_in_touch.hide()

        self.model = FollowUpsModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Follow-ups")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setTabKeyNavigation(False)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(COL_WHAT, self.tree.header().ResizeMode.Stretch)
        self.tree.doubleClicked.connect(self._open)
        self.tree.installEventFilter(self)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        # (button text, keys, slot): each key works in the list; the buttons for the mouse.
        self.buttons: dict[str, QPushButton] = {}
        # Plain keys in the list; taken before the window's shortcuts (its Delete deletes an
        # interaction), see eventFilter.
        self._keys: dict[Qt.Key, Callable[[], None]] = {}
        bar = QHBoxLayout()
        for name, text, keys, slot, tip in (
            (
                "done",
                "&Done",
                ("Space", "D"),
                self.mark_done,
                "Mark the selected follow-ups done (Space or D)",
            ),
            (
                "drop",
                "Dro&p…",
                ("Delete", "X"),
                self.drop,
                "Drop the selected follow-ups, saying why (Delete)",
            ),
            (
                "snooze",
                "&Snooze…",
                ("S",),
                self.snooze,
                "Hide the selected follow-ups until a day (S)",
            ),
            (
                "reschedule",
                "&Reschedule…",
                ("R",),
                self.reschedule,
                "Give the selected follow-ups a new due date (R)",
            ),
            (
                "reopen",
                "Re&open",
                ("O",),
                self.reopen,
                "Open closed or snoozed follow-ups again (O)",
            ),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[name] = button
            for key in keys:
                self._keys[QKeySequence(key)[0].key()] = slot
        bar.addStretch(1)
        self.touch_button = QPushButton("&Keep in touch…")
        self.touch_button.setToolTip("How often you want to hear from a vendor at least")
        self.touch_button.clicked.connect(self.keep_in_touch_with)
        bar.addWidget(self.touch_button)
        self.retire_button = QPushButton("Retire &old…")
        self.retire_button.setToolTip(
            "Drop everything overdue by more than a number of days, with one reason"
        )
        self.retire_button.clicked.connect(self.retire_old)
        bar.addWidget(self.retire_button)

        self.error = error_line()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.keep_in_touch)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bar)
        layout.addWidget(self.error)

        self._stale = False
        self._soon = QTimer(self, singleShot=True, interval=30, timeout=self._refresh_if_shown)
        session.changed.connect(self._on_changed)
        self.show_box.currentIndexChanged.connect(self._filters_changed)
        self.group_box.currentIndexChanged.connect(self._filters_changed)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            key_event: QKeyEvent = event  # type: ignore[assignment]
            plain = key_event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            slot = self._keys.get(Qt.Key(key_event.key())) if plain else None
            if slot is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    slot()
                return True
        return super().eventFilter(watched, event)

    # -- reading ---------------------------------------------------------------------------
    def _read(
        self, today: date
    ) -> tuple[list[ActionItem], int, dict[int, tuple[str, str]], list[KeepInTouchDue]]:
        from partnerdesk.store import action_items as store
        from partnerdesk.store.lite import LiteJournal

        states = SHOW[self.show_box.currentIndex()][1]
        with LiteJournal(self.session.path).reading() as conn:
            if self.show_box.currentIndex() == DUE_NOW:
                items = store.needing_attention(conn, today)[:LIMIT]
                total = len(items)
            else:
                items = store.list_items(conn, states=states, limit=LIMIT)
                total = len(items) if len(items) < LIMIT else store.count_items(conn, states=states)
            ids = sorted({i.interaction_id for i in items})
            summaries: dict[int, tuple[str, str]] = {}
            fmt = date_format()[1]
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                for iid, at, summary in conn.exec_driver_sql(
                    "SELECT id, occurred_at, summary FROM interaction WHERE id IN"
                    f" ({','.join('?' * len(chunk))})",
                    tuple(chunk),
                ):
                    summaries[iid] = (_day_text(at, fmt), summary)
            quiet = store.past_cadence(conn, today)
        return items, total, summaries, quiet

    def refresh(self) -> None:
        today = self.clock()
        self._stale = False
        keep = {i.id for i in self.selected_items()}
        try:
            items, total, summaries, quiet = self._read(today)
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        self.show_error("")
        self.model.set_items(items, self.group_box.currentText(), today, summaries)
        self.tree.setRootIsDecorated(not self.model.flat)
        for row in range(0 if self.model.flat else self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)  # a group's title, whole
        self.tree.expandAll()
        late = sum(1 for i in items if i.is_overdue(today))
        hidden = sum(1 for i in items if i.is_overdue(today) and not i.needs_attention(today))
        label = SHOW[self.show_box.currentIndex()][0].lower()
        if total > len(items):
            self.summary.setText(f"showing the {len(items):,} due soonest of {total:,} {label}")
        else:
            self.summary.setText(
                f"{plural(len(items), 'follow-up')} {label}"
                + (f" · {late:,} overdue" if late else "")
                + (f" ({hidden:,} of them snoozed)" if hidden else "")
            )
        if quiet:
            names = ", ".join(
                f"{q.vendor_name} (every {plural(q.every_days, 'day')})" for q in quiet[:6]
            )
            more = f" and {len(quiet) - 6} more" if len(quiet) > 6 else ""
            self.keep_in_touch.setText(f"Time to get in touch: {names}{more}")
        self.keep_in_touch.setVisible(bool(quiet))
        self._size_columns(items)
        self._reselect(keep)
        self._update_buttons()

    def _size_columns(self, items: list[ActionItem]) -> None:
        """Widths from the font, not from every row (resizeColumnToContents reads them all:
        most of a second for 2,000 rows); once, then they are the rep's to drag."""
        if getattr(self, "_sized", False):
            return
        self._sized = True
        fm = self.tree.fontMetrics()
        pad = 24
        vendors = {i.vendor_name for i in items[:500]} or {"Vendor"}
        widths = {
            COL_DUE: fm.horizontalAdvance("2026-12-31") + pad + 2 * self.tree.indentation(),
            COL_STATE: fm.horizontalAdvance("snoozed to 2026-12-31") + pad,
            COL_VENDOR: min(260, max(fm.horizontalAdvance(v) for v in vendors) + pad),
            COL_OWNER: fm.horizontalAdvance("Vendor promise") + pad,
            COL_FROM: fm.horizontalAdvance("2026-12-31") + pad,
        }
        for col, width in widths.items():
            self.tree.setColumnWidth(col, width)

    def _reselect(self, ids: set[int]) -> None:
        if not ids:
            return
        sel = self.tree.selectionModel()
        flags = sel.SelectionFlag.Select | sel.SelectionFlag.Rows
        for index in self._item_indexes():
            it = self.model.item(index)
            if it is not None and it.id in ids:
                sel.select(index, flags)

    def _item_indexes(self) -> list[QModelIndex]:
        out: list[QModelIndex] = []
        if self.model.flat:
            return [self.model.index(r, 0) for r in range(self.model.rowCount())]
        for g in range(self.model.rowCount()):
            parent = self.model.index(g, 0)
            out.extend(self.model.index(r, 0, parent) for r in range(self.model.rowCount(parent)))
        return out

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _on_changed(self, kind: str, _ids: object) -> None:
        if kind in ("interaction", "vendor", "action_item"):
            self._soon.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _filters_changed(self) -> None:
        QSettings().setValue("followups/show", self.show_box.currentIndex())
        QSettings().setValue("followups/group", self.group_box.currentText())
        self.refresh()

    # -- choosing --------------------------------------------------------------------------
    def selected_items(self) -> list[ActionItem]:
        """The selected items; a selected group header stands for all of its items."""
        seen: dict[int, ActionItem] = {}
        for index in self.tree.selectionModel().selectedRows():
            it = self.model.item(index)
            for x in [it] if it is not None else self.model.group_items(index):
                seen.setdefault(x.id, x)
        if not seen:  # nothing selected: the row under the cursor
            it = self.model.item(self.tree.currentIndex())
            if it is not None:
                seen[it.id] = it
        return sorted(seen.values(), key=lambda i: (i.due, i.id))

    def _update_buttons(self) -> None:
        chosen = self.selected_items()
        for button in self.buttons.values():
            button.setEnabled(bool(chosen))

    def _open(self, index: QModelIndex) -> None:
        it = self.model.item(index)
        if it is not None:
            self.open_interaction.emit(it.interaction_id)

    # -- doing -----------------------------------------------------------------------------
    def _apply(self, work: Callable[[list[int]], followups.Change]) -> None:
        chosen = self.selected_items()
        if not chosen:
            return
        row = self.tree.currentIndex().row()
        try:
            change = work([i.id for i in chosen])
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        from partnerdesk.ui.followup_undo import record

        record(self.session, change)
        self.refresh()  # at once: the rep is watching this list
        self._soon.stop()
        self._place_cursor(row)

    def _place_cursor(self, row: int) -> None:
        """Keep the cursor where it was, so the rep can work down the list with the keyboard."""
        indexes = self._item_indexes()
        if indexes:
            index = indexes[min(max(row, 0), len(indexes) - 1)]
            self.tree.setCurrentIndex(index)
        self.tree.setFocus()

    def mark_done(self) -> None:
        self._apply(lambda ids: followups.mark_done(self.session.store(), ids))

    def reopen(self) -> None:
        self._apply(lambda ids: followups.reopen(self.session.store(), ids))

    def drop(self) -> None:
        from partnerdesk.ui.followup_dialogs import DropDialog

        chosen = self.selected_items()
        if not chosen:
            return
        dialog = DropDialog(_these(len(chosen)), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._apply(lambda ids: followups.drop(self.session.store(), ids, dialog.reason))

    def _ask_day(self, title: str, verb: str, label: str) -> date | None:
        from partnerdesk.ui.followup_dialogs import DayDialog

        chosen = self.selected_items()
        if not chosen:
            return None
        dialog = DayDialog(title, f"{verb} {_these(len(chosen))}.", label, self.clock(), self)
        return dialog.day if dialog.exec() == QDialog.DialogCode.Accepted else None

    def snooze(self) -> None:
        day = self._ask_day("Snooze follow-ups", "Hide", "&Until:")
        if day is not None:
            self._apply(lambda ids: followups.snooze(self.session.store(), ids, day, self.clock()))

    def reschedule(self) -> None:
        day = self._ask_day("Reschedule follow-ups", "New due date for", "&Due:")
        if day is not None:
            self._apply(lambda ids: followups.reschedule(self.session.store(), ids, day))

    def retire_old(self) -> None:
        from partnerdesk.ui.followup_dialogs import RetireDialog

        today = self.clock()

        def count_for(days: int) -> int:
            from datetime import timedelta

            from partnerdesk.store import action_items as store
            from partnerdesk.store.lite import LiteJournal

            with LiteJournal(self.session.path).reading() as conn:
                return store.count_items(
                    conn, states=("open", "snoozed"), due_before=today - timedelta(days=days)
                )

        dialog = RetireDialog(count_for, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            change = followups.retire_overdue(
                self.session.store(), dialog.days, dialog.reason, today
            )
        except Exception as exc:
            self.show_error(error_text(exc, self.session.path))
            return
        from partnerdesk.ui.followup_undo import record

        record(self.session, change)
        self.refresh()
        self._soon.stop()

    def keep_in_touch_with(self, vendor_id: int | None = None) -> None:
        from partnerdesk.ui.keep_in_touch import ask_cadence

        if ask_cadence(self.session, self, vendor_id, self.show_error):
            self.refresh()


def _these(n: int) -> str:
    return "this follow-up" if n == 1 else f"these {n:,} follow-ups"


def _day_text(epoch: int, fmt: str) -> str:
    import time

    return time.strftime(fmt, time.localtime(epoch))
