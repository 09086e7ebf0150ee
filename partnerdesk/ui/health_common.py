"""What the health views share: off-thread loading with a late busy indicator, refresh on
session changes (later, if hidden), and how bands and trends read on screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QScrollArea, QWidget
from shiboken6 import isValid

from partnerdesk.domain.health_types import Band, Period, Trend
from partnerdesk.ui import workers
from partnerdesk.ui.charts import TREND_SYMBOLS, band_colour, is_dark, palette_watch

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal
    from partnerdesk.ui.session import JournalSession

BUSY_AFTER_MS = 500  # work shorter than this shows no indicator at all
PERIOD_NAMES = {Period.WEEK: "week", Period.MONTH: "month", Period.QUARTER: "quarter"}


_opening = threading.Lock()


def journal_of(session: JournalSession) -> Journal:
    """The full store, for a worker: opening it costs ~0.4 s the first time, which must not
    happen on the UI thread; the lock keeps two workers from opening it twice."""
    if session.journal is not None:
        return session.journal
    with _opening:
        return session.store()


def reader_journal(session: JournalSession) -> Any:
    """For read-only scores: the full store when it is already open, else a stdlib journal, so
    that looking at the portfolio never loads SQLAlchemy into a session that only reads."""
    if session.journal is not None:
        return session.journal
    from partnerdesk.store.lite import LiteJournal

    return LiteJournal(session.path)


def trend_text(trend: Trend | str | None, change: float | None = None,
               period: Period | str | None = None) -> str:
    """'▲ up 5 on the previous month': an arrow and words, never colour alone."""
    if trend is None:
        return "no trend yet"
    trend = Trend(trend)
    against = f" on the previous {Period(period).value}" if period else ""
    amount = f" {abs(change):.0f}" if change is not None and round(abs(change)) >= 1 else ""
    if trend is Trend.UP:
        return f"{TREND_SYMBOLS['up']} up{amount}{against}"
    if trend is Trend.DOWN:
        return f"{TREND_SYMBOLS['down']} down{amount}{against}"
    return f"{TREND_SYMBOLS['flat']} steady{against}"


def band_chip_css(band: Band | None) -> str:
    """A coloured pill with the band's name in it (white on the band colour)."""
    colour = band_colour(band)
    text = "#ffffff" if colour.lightness() < 150 else "#1a1a1a"
    return (f"background: {colour.name()}; color: {text}; border-radius: 9px; "
            "padding: 2px 10px; font-weight: bold;")


def band_name(band: Band | None) -> str:
    return Band(band).value if band else "no score"


class BandChip(QLabel):
    """The band as a coloured pill with its name in it; recoloured when the application's
    palette turns light or dark (the band colours have a variant for each)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.band: Band | None = None
        self._dark = is_dark()
        self.set_band(None)
        palette_watch().changed.connect(self._palette_changed)

    def set_band(self, band: Band | None) -> None:
        self.band = band
        self._dark = is_dark()
        self.setText(band_name(band))
        self.setStyleSheet(band_chip_css(band))

    def _palette_changed(self) -> None:
        if is_dark() != self._dark:
            self.set_band(self.band)


class BusyIndicator(QWidget):
    """An indeterminate bar and a word, shown only once work has run for half a second."""

    def __init__(self, text: str = "Computing…", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("busy")
        self.label = QLabel(text)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(120)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(text)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        self._timer = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        self._timer.timeout.connect(lambda: self.setVisible(True))
        self._running = 0
        self.setVisible(False)
        # Keep the header from jumping when it appears: reserve its room from the start.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)

    def begin(self) -> None:
        self._running += 1
        if not self._timer.isActive() and not self.isVisible():
            self._timer.start()

    def end(self) -> None:
        self._running = max(0, self._running - 1)
        if not self._running:
            self._timer.stop()
            self.setVisible(False)

    @property
    def running(self) -> bool:
        return self._running > 0


class Loader(QObject):
    """Runs one kind of work off the UI thread; a newer run makes an older one's result moot."""

    def __init__(self, busy: BusyIndicator, on_failed: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        self.busy = busy
        self.on_failed = on_failed
        self.generation = 0
        self.job: workers.Job | None = None

    def _alive(self) -> bool:
        # The window may be closed (and deleted) while its work is still running.
        return isValid(self) and isValid(self.busy)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        if self.job is not None:
            self.job.token.cancel()
            self.busy.end()
        self.generation += 1
        generation = self.generation
        self.busy.begin()

        def work(token: workers.CancelToken, _report: Any) -> Any:
            token.check()
            return fn()

        def done(result: Any) -> None:
            if generation == self.generation and self._alive():
                self.job = None
                self.busy.end()
                on_done(result)

        def failed(message: str) -> None:
            if generation == self.generation and self._alive():
                self.job = None
                self.busy.end()
                self.on_failed(message)

        def cancelled() -> None:
            if generation == self.generation and self._alive():
                self.job = None
                self.busy.end()

        self.job = workers.start(work, on_done=done, on_failed=failed)
        self.job.signals.cancelled.connect(cancelled)

    @property
    def idle(self) -> bool:
        return self.job is None

    def cancel(self) -> None:
        if self.job is not None:
            self.job.token.cancel()
            self.job = None
            self.generation += 1
            self.busy.end()


class RefreshOnChange(QObject):
    """Calls `refresh` a moment after the session says one of `kinds` changed, so a burst of
    changes costs one refresh; a hidden widget refreshes when it is shown again."""

    def __init__(self, session: JournalSession, widget: QWidget, kinds: Collection[str],
                 refresh: Callable[[], None], delay_ms: int = 300):
        super().__init__(widget)
        self.widget = widget
        self.kinds = set(kinds)
        self.refresh = refresh
        self.stale = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._fire)
        session.changed.connect(self._changed)
        widget.installEventFilter(self)

    def _changed(self, kind: str, _ids: object) -> None:
        if kind in self.kinds:
            self._timer.start()

    def _fire(self) -> None:
        if self.widget.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.widget and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            QTimer.singleShot(0, self.refresh)
        return False


def heading(text: str, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def page_scroll(page: QWidget, sideways: bool = True) -> QScrollArea:
    """`page` in a frameless scroll area that resizes it to the width; `sideways=False`: never a
    horizontal scroll bar (the page's text wraps to the width instead)."""
    scroll = QScrollArea()
    scroll.setWidget(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    if not sideways:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


def change_colour(delta: float | None, good_when_up: bool = True) -> QColor | None:
    """Green for a change for the better, red for the worse (the text says which, too)."""
    if delta is None or abs(delta) < 0.5:
        return None
    better = (delta > 0) == good_when_up
    return band_colour(Band.GREEN if better else Band.RED)
