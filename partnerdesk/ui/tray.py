"""Reminders without the window: a tray icon with today's due and overdue follow-ups, desktop
notifications once per item, a morning digest, and closing the window to the tray.

All of it is off until the rep turns it on (Reminders and tray…; tests turn it on themselves),
and every "when" comes from `clock`, so tests drive days and mornings without waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from partnerdesk.services.reminders import Note, NotifyState, Today, notes_for, today_reminders

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow

TICK_MS = 60_000
KEEP_SAID = 2000  # remembered notification keys, newest kept


def settings_flag(key: str, default: bool = False) -> bool:
    return bool(QSettings().value(key, default, type=bool))


def digest_time() -> time | None:
    if not settings_flag("tray/digest", False):
        return None
    text = str(QSettings().value("tray/digest_time", "08:30"))
    try:
        return time.fromisoformat(text)
    except ValueError:
        return time(8, 30)


class ReminderTray(QObject):
    def __init__(self, window: MainWindow, clock: Callable[[], datetime] | None = None):
        super().__init__(window)
        from partnerdesk.ui.app import app_icon

        self.window = window
        self.session = window.session
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.shown: list[Note] = []  # every notification shown (what tests and the log read)
        self.quitting = False
        self.active = False
        # Without a tray to come back from, closing the window must quit as usual.
        self.tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.today: Today | None = None
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.menu = QMenu(window)  # owned by the window, so it goes with it
        self.menu.setObjectName("trayMenu")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.state = self._load_state()
        self.timer = QTimer(self, interval=TICK_MS, timeout=self.tick)
        self._soon = QTimer(self, singleShot=True, interval=300, timeout=self.refresh)
        self.session.changed.connect(
            lambda kind, _ids: (
                self._soon.start() if kind in ("interaction", "action_item", "vendor") else None
            )
        )
        window.installEventFilter(self)

    # -- life ------------------------------------------------------------------------------
    def start(self) -> None:
        self.active = True
        if self.tray_available:  # hidden to the tray, the window must not end the app
            QApplication.setQuitOnLastWindowClosed(False)
        self.icon.show()
        self.refresh()
        self.tick()
        self.timer.start()

    def stop(self) -> None:
        self.active = False
        QApplication.setQuitOnLastWindowClosed(True)
        self.timer.stop()
        self.icon.hide()

    def _state_key(self) -> str:
        from partnerdesk.ui.single_instance import instance_key

        return f"tray/state/{instance_key(self.session.path)}"

    def _load_state(self) -> NotifyState:
        raw = QSettings().value(self._state_key(), {}) or {}
        if not isinstance(raw, dict):
            raw = {}

        def day(key: str) -> date | None:
            try:
                return date.fromisoformat(str(raw.get(key)))
            except ValueError:
                return None

        said = raw.get("said") or []
        return NotifyState(
            set(said if isinstance(said, list) else [said]), day("last_check"), day("last_digest")
        )

    def _save_state(self) -> None:
        said = sorted(self.state.said, key=lambda k: int(k.split(":")[0]))[-KEEP_SAID:]
        self.state.said = set(said)
        QSettings().setValue(
            self._state_key(),
            {
                "said": said,
                "last_check": self.state.last_check.isoformat() if self.state.last_check else "",
                "last_digest": self.state.last_digest.isoformat() if self.state.last_digest else "",
            },
        )

    # -- reading ---------------------------------------------------------------------------
    def _read(self, work: Callable[[Any], Any]) -> Any:
        from partnerdesk.store.lite import LiteJournal

        with LiteJournal(self.session.path).reading() as conn:
            return work(conn)

    def refresh(self) -> None:
        """Rebuild the menu and tooltip from today's reminders."""
        day = self.clock().date()
        try:
            self.today = self._read(lambda conn: today_reminders(conn, day))
        except Exception as exc:  # a tray never takes the app down; it says what it could not do
            self.icon.setToolTip(f"partnerdesk: reminders unavailable ({exc})")
            return
        self.icon.setToolTip(f"partnerdesk — {self.today.headline()}")
        self._build_menu(self.today)

    def _build_menu(self, today: Today) -> None:
        m = self.menu
        m.clear()
        head = m.addAction(today.headline())
        head.setEnabled(False)
        for item in today.top:
            late = item.is_overdue(today.day)
            text = (
                f"{'Overdue' if late else 'Today'}: {item.what or '(no text)'} — {item.vendor_name}"
            )
            act = m.addAction(text.replace("&", "&&"))
            act.triggered.connect(lambda _c=False, i=item.interaction_id: self._open_item(i))
        more = today.total - len(today.top)
        if more > 0:
            m.addAction(f"… and {more:,} more").triggered.connect(self.open_followups)
        for q in today.quiet[:3]:
            m.addAction(f"Get in touch: {q.vendor_name}".replace("&", "&&")).triggered.connect(
                lambda _c=False: self.open_followups()
            )
        m.addSeparator()
        self.act_log = m.addAction("&Log an interaction…")
        self.act_log.triggered.connect(self.log_interaction)
        self.act_add = m.addAction("Add a &follow-up…")
        self.act_add.triggered.connect(self.add_follow_up)
        m.addAction("Open f&ollow-ups").triggered.connect(self.open_followups)
        m.addAction("&Show partnerdesk").triggered.connect(self.show_window)
        m.addSeparator()
        m.addAction("&Quit partnerdesk").triggered.connect(self.quit)

    # -- notifying -------------------------------------------------------------------------
    def tick(self) -> None:
        """Once a minute: what is newly due or overdue, and the digest when its time has come."""
        now = self.clock()
        try:
            notes = self._read(lambda conn: notes_for(conn, now, self.state, digest_time()))
        except Exception:
            return  # the journal is busy or being restored: the next tick tries again
        for note in notes:
            self.notify(note)
        self._save_state()
        if self.today is None or self.today.day != now.date() or notes:
            self.refresh()

    def notify(self, note: Note) -> None:
        self.shown.append(note)
        if settings_flag("tray/notify", True):
            self.icon.showMessage(
                note.title, note.body, QSystemTrayIcon.MessageIcon.Information, 15_000
            )

    # -- doing -----------------------------------------------------------------------------
    def show_window(self) -> None:
        from partnerdesk.ui.single_instance import bring_to_front

        bring_to_front(self.window)

    def open_followups(self) -> None:
        self.show_window()
        self.window.show_followups()

    def _open_item(self, interaction_id: int) -> None:
        self.open_followups()
        self.window.open_interaction(interaction_id)

    def log_interaction(self) -> None:
        self.show_window()
        self.window.quick_log(on_top=True)

    def add_follow_up(self) -> None:
        """The quick log, with the cursor in its follow-up: a follow-up needs the interaction
        it came from, and the quick log records both."""
        self.log_interaction()
        dialog = getattr(self.window, "_quick_log", None)
        if dialog is not None:
            dialog.form.follow_due.setFocus()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_window()

    def quit(self) -> None:
        self.quitting = True
        self.window.close()
        if not self.window.isVisible():
            self.stop()
            QApplication.quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Closing the window keeps the reminders: hide to the tray, and say so the first time.
        if (
            watched is self.window
            and event.type() == QEvent.Type.Close
            and not self.quitting
            and self.active
            and self.tray_available
        ):
            event.ignore()
            self.window.hide()
            if not settings_flag("tray/said_close"):
                QSettings().setValue("tray/said_close", True)
                self.notify(
                    Note(
                        "partnerdesk is still running",
                        "Follow-up reminders keep coming from the tray. To quit, use Quit "
                        "in the tray menu.",
                    )
                )
            return True
        return super().eventFilter(watched, event)


def install_followup_actions(
    window: MainWindow, clock: Callable[[], datetime] | None = None, force_tray: bool = False
) -> ReminderTray | None:
    """The window's hook: a "Reminders and tray…" action next to Follow-ups, and the tray when
    the rep turned it on (or `force_tray`, for `partnerdesk tray`)."""
    if getattr(window, "act_reminders", None) is None:
        act = QAction("&Reminders and tray…", window)
        act.setObjectName("actReminders")
        act.triggered.connect(lambda: _settings(window))
        followups = getattr(window, "act_followups", None)
        for menu_action in window.menuBar().actions():
            menu = menu_action.menu()
            if isinstance(menu, QMenu) and followups in menu.actions():
                menu.insertAction(_after(menu, followups), act)
                break
        window.act_reminders = act  # type: ignore[attr-defined]
        window.reminder_tray = None  # type: ignore[attr-defined]
    if force_tray or settings_flag("tray/enabled"):
        return enable_tray(window, clock)
    return None


def enable_tray(window: MainWindow, clock: Callable[[], datetime] | None = None) -> ReminderTray:
    tray: ReminderTray | None = getattr(window, "reminder_tray", None)
    if tray is None:
        tray = ReminderTray(window, clock)
        window.reminder_tray = tray  # type: ignore[attr-defined]
    tray.start()
    return tray


def disable_tray(window: MainWindow) -> None:
    tray: ReminderTray | None = getattr(window, "reminder_tray", None)
    if tray is not None:
        tray.stop()


def _after(menu: QMenu, action: QAction) -> QAction | None:
    actions = menu.actions()
    i = actions.index(action)
    return actions[i + 1] if i + 1 < len(actions) else None


def _settings(window: MainWindow) -> None:
    from partnerdesk.ui.reminder_settings import ReminderSettings

    ReminderSettings(window).exec()
