"""Answering a modal dialog in a window test: the dialog's exec() blocks the test, so the answer
is queued before the action that opens it, and given as soon as the dialog is up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def answer(kind: type, fill: Callable[[Any], Any], accept: bool = True) -> None:
    """When the next modal dialog of `kind` appears, call fill(dialog) the way a rep would fill
    it, then accept it (unless `accept` is False: `fill` closes it itself)."""

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, go)
            return
        fill(dialog)
        if accept:
            dialog.accept()

    QTimer.singleShot(0, go)
