"""PARTNERDESK_THEME=dark|light: try the window in dark (or light) mode whatever the desktop says.

By default the app follows the system's palette; this switch is for trying dark mode on a
desktop that has none (a bare X server, a kiosk) and for screenshots.
"""

from __future__ import annotations

import os

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK = {
    QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#232427",
    QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2b2c2f",
    QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2c2f",
    QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    QPalette.ColorRole.Link: "#8ab4f8", QPalette.ColorRole.Mid: "#3c3d40",
}


def apply_theme(app: QApplication, choice: str | None = None) -> str:
    """Apply PARTNERDESK_THEME (or `choice`); returns what was applied ('' for the system's)."""
    choice = (choice if choice is not None else os.environ.get("PARTNERDESK_THEME", "")).strip().lower()
    if choice not in ("dark", "light"):
        return ""
    app.setStyle("Fusion")
    if choice == "light":
        app.setPalette(app.style().standardPalette())
        return choice
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    app.setPalette(palette)
    return choice
