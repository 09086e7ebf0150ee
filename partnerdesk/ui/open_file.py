"""Open a saved file in the desktop's viewer, or say where it is when there is none.

QDesktopServices.openUrl only returns False (and writes to stderr) when no viewer is set up,
which left the rep clicking "Open" with nothing happening.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def open_in_viewer(parent: QWidget | None, path: Path) -> bool:
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.information(
        parent, "No viewer for this file",
        f"This computer has no program set up to open {path.suffix or 'this kind of'} files, so "
        f"it was not opened. It is saved at:\n\n{path}\n\nOpen it from your file manager, or "
        "install a PDF viewer and try again.")
    return False
