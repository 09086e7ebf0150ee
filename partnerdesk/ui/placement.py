"""Windows placed and sized inside the screen they open on, and geometry remembered per screen.

A window sized for a 1920-pixel screen opened partly off a 1600x1000 one, and geometry saved at
one scale was reused at another; so sizes are clamped to the available area and saved under a
key naming the screen's size and scale.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

MAX_SHARE = 0.92  # of the available screen a secondary window may take


def screen_of(widget: QWidget | None) -> QScreen:
    screen = widget.screen() if widget is not None else None
    return screen or QGuiApplication.primaryScreen()


def screen_key(screen: QScreen) -> str:
    """'1600x1000@2': what the window's size depends on (logical size and scale)."""
    size = screen.availableGeometry().size()
    scale = round(screen.devicePixelRatio(), 2)
    return f"{size.width()}x{size.height()}@{scale:g}"


def fit_size(wanted: QSize, area: QRect, share: float = MAX_SHARE) -> QSize:
    return QSize(min(wanted.width(), int(area.width() * share)),
                 min(wanted.height(), int(area.height() * share)))


def place_window(widget: QWidget, anchor: QWidget | None, wanted: QSize | None = None) -> None:
    """Size `widget` (at least its size hint, at most most of the screen) and centre it over
    `anchor`, moved as needed to lie wholly inside the available screen area."""
    area = screen_of(anchor).availableGeometry()
    hint = widget.sizeHint()
    want = wanted or QSize(max(widget.width(), hint.width(), 1000), max(widget.height(), hint.height(), 720))
    size = fit_size(want, area)
    widget.resize(size)
    centre = anchor.frameGeometry().center() if anchor is not None and anchor.isVisible() else area.center()
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(centre)
    rect.moveLeft(max(area.left(), min(rect.left(), area.right() - rect.width())))
    rect.moveTop(max(area.top(), min(rect.top(), area.bottom() - rect.height())))
    widget.move(rect.topLeft())


def restore_geometry(widget: QWidget, name: str, default: QSize) -> bool:
    """The geometry saved for this screen size and scale; else `default`, fitted and centred."""
    value = QSettings().value(f"{name}/geometry/{screen_key(screen_of(widget))}")
    if isinstance(value, QByteArray) and widget.restoreGeometry(value):
        return True
    place_window(widget, None, default)
    return False


def save_geometry(widget: QWidget, name: str) -> None:
    QSettings().setValue(f"{name}/geometry/{screen_key(screen_of(widget))}", widget.saveGeometry())
