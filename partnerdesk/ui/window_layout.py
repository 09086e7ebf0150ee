"""The main window's layout: geometry and splits remembered per screen and scale, columns
fitted to the first rows, and the detail pane beside the timeline (closed on small screens).

Held by the window as `window.window_layout`; it reads the window's widgets and never builds any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt

from partnerdesk.ui.vendor_list import VendorDelegate

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow

NARROW = 1100  # logical pixels of screen width
# A small screen (1366x768, 1280x800) is used whole; where the detail pane would leave the
# timeline's Summary fewer than SUMMARY_CHARS characters it starts closed, and Enter or a
# double-click on a row opens it beside the timeline.
ROOMY = 1500
SUMMARY_CHARS = 45
DETAIL_WIDTH = 340
PANEL_SHARE = 0.45  # of the window's height, when a panel (portfolio, follow-ups) first opens
PANEL_SHARE_NARROW = 0.7  # a small or scaled screen: else the panel shows its header and no rows


class WindowLayout:
    def __init__(self, window: MainWindow):
        self.w = window
        self.columns_fitted = False  # sized to the first rows read, unless the rep's were kept
        self.splitter_restored = False
        self.shown_once = False

    def screen_width(self) -> int:
        from partnerdesk.ui.placement import screen_of

        return screen_of(self.w).availableGeometry().width()

    def narrow(self) -> bool:
        """Less than NARROW logical pixels of screen: lay out for a small or scaled screen."""
        return self.screen_width() < NARROW

    def panel_share(self) -> float:
        """How much of the window's height a bottom panel takes when it first opens."""
        return PANEL_SHARE_NARROW if self.narrow() else PANEL_SHARE

    def detail_closed(self) -> bool:
        return self.w.splitter.sizes()[2] == 0

    def open_detail(self) -> None:
        w = self.w
        sizes = w.splitter.sizes()
        if sizes[2] == 0:  # closed on a small screen: open it beside the timeline
            if self.narrow():  # the vendor list makes room too
                w.splitter.setSizes([0, sizes[0] + sizes[1] - DETAIL_WIDTH, DETAIL_WIDTH])
            else:
                w.splitter.setSizes([sizes[0], sizes[1] - DETAIL_WIDTH, DETAIL_WIDTH])
        w.detail.focus_form()

    def key(self) -> str:
        """Layout is remembered per screen size and scale: what fits 1920x1080 at 1x does not
        fit 1600x1000 at 2x."""
        from partnerdesk.ui.placement import screen_key, screen_of

        return f"window/{screen_key(screen_of(self.w))}"

    def restore(self) -> None:
        from partnerdesk.ui.placement import restore_geometry

        w = self.w
        key = self.key()
        restored = restore_geometry(w, key, QSize(1760, 990))  # at most 92% of the screen
        screen_w = self.screen_width()
        if not restored and screen_w < ROOMY:
            w.setWindowState(Qt.WindowState.WindowMaximized)  # a small screen: all of it
        s = QSettings()
        # "2": states saved before columns were sized to content kept Summary ~8 characters wide
        for name, restore in (("state", w.restoreState),
                              ("splitter2", w.splitter.restoreState),
                              ("timeline_header2", w.table.horizontalHeader().restoreState)):
            value = s.value(f"{key}/{name}")
            if isinstance(value, QByteArray) and restore(value):
                self.columns_fitted |= name == "timeline_header2"
                self.splitter_restored |= name == "splitter2"

    def save(self) -> None:
        from partnerdesk.ui.placement import save_geometry

        w = self.w
        key = self.key()
        save_geometry(w, key)
        s = QSettings()
        s.setValue(f"{key}/state", w.saveState())
        s.setValue(f"{key}/splitter2", w.splitter.saveState())
        s.setValue(f"{key}/timeline_header2", w.table.horizontalHeader().saveState())

    def fit(self) -> None:
        """Columns sized to the first rows; then the default split, if the window is shown."""
        self.w.columns.fit(narrow=self.narrow())
        self.columns_fitted = True
        if self.w.isVisible():
            self.default_split()

    def first_shown(self) -> None:
        if not self.shown_once:
            self.shown_once = True
            self.default_split()

    def default_split(self) -> None:
        """Unless the rep's own split was restored: the vendor list as wide as its lines, the
        detail pane beside the timeline, closed when Summary would get under SUMMARY_CHARS
        (Enter or a double-click opens it), and on a narrow screen no room for three columns."""
        if self.splitter_restored:
            return
        w = self.w
        width = w.splitter.width()
        if self.narrow():
            side = max(w.vendor_view.minimumWidth(), int(width * 0.24))
            w.splitter.setSizes([side, width - side, 0])
            return
        side = min(VendorDelegate.preferred_width(w.vendor_view.font()), width // 4)
        fixed = sum(col_width for col, col_width in w.columns.natural.items()
                    if not w.table.isColumnHidden(col))
        scroll = w.table.verticalScrollBar().sizeHint().width()
        room = width - side - DETAIL_WIDTH - scroll - fixed - 12
        wide_enough = room >= SUMMARY_CHARS * w.table.fontMetrics().averageCharWidth()
        # an empty journal has nothing to show in it
        detail = DETAIL_WIDTH if wide_enough and self.columns_fitted else 0
        w.splitter.setSizes([side, width - side - detail, detail])
