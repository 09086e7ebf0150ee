"""View: the portfolio and follow-ups panels, archived vendors, refresh.

The panels share one tabbed dock area under the timeline and open at a usable height (about
half the window), instead of two short docks side by side that cut every name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from partnerdesk.ui.actions import make_action, menu_named

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow


def install(w: MainWindow) -> None:
    K = QKeySequence.StandardKey
    w.act_portfolio = make_action(w, "&Portfolio", w.show_portfolio, "Ctrl+Shift+P",
                                  "All vendors' health side by side")
    w.act_followups = make_action(w, "&Follow-ups", w.show_followups, "Ctrl+Shift+F",
                                  "Open promises and to-dos")
    w.act_archived = QAction("Show &archived vendors", w, checkable=True)
    w.act_archived.toggled.connect(w.vendor_model.set_show_archived)
    w.act_reload = make_action(w, "&Refresh", w.refresh_all, K.Refresh, "Read the journal again")
    m = menu_named(w, "View")
    m.addActions([w.act_portfolio, w.act_followups, w.act_archived, w.act_reload])


def show_panel(w: MainWindow, name: str, title: str, build: Callable[[], QWidget]) -> QDockWidget:
    """The dock called `name`, built on first use, tabbed with the other panels, shown in front."""
    dock = w.findChild(QDockWidget, name)
    others_before = True
    if dock is None:
        dock = QDockWidget(title, w)
        dock.setObjectName(name)
        dock.setWidget(build())
        others = [d for d in w.findChildren(QDockWidget)
                  if d is not dock and w.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
        w.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        if others:
            w.tabifyDockWidget(others[0], dock)
        others_before = bool(others)
    dock.show()
    dock.raise_()
    if not others_before:
        # sized once laid out; before that the dock area ignores the request
        d = dock
        share = w.window_layout.panel_share()
        QTimer.singleShot(0, lambda: w.resizeDocks([d], [int(w.height() * share)],
                                                   Qt.Orientation.Vertical))
    return dock


def show_followups(w: MainWindow) -> None:
    from partnerdesk.ui.followups_view import FollowUpsView

    def build() -> QWidget:
        view = FollowUpsView(w.session, w)
        view.open_interaction.connect(w.open_interaction)
        return view

    w._followups_dock = show_panel(w, "followupsDock", "Follow-ups", build)


def show_portfolio(w: MainWindow) -> None:
    from partnerdesk.ui.portfolio import PortfolioView

    def build() -> QWidget:
        view = PortfolioView(w.session, w)
        view.open_vendor.connect(lambda vid: w.open_dashboard(vid))
        return view

    w._portfolio_dock = show_panel(w, "portfolioDock", "Portfolio", build)
