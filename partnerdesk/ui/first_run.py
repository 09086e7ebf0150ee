"""What the timeline shows when it has nothing to show: on an empty journal, the ways to start;
for a vendor with no interactions or a search with no matches, what would appear there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from partnerdesk.ui import workers

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow

WELCOME = (
    "<h2>Your journal is empty</h2>"
    "<p>Every call, meeting and mail with a vendor goes here, marked <b>helpful</b> or "
    "<b>transactional</b>, so you can see which relationships are worth your time.</p>"
    "<p>Ways to start:</p>"
    "<ul>"
    "<li><b>Log your first interaction</b>: Ctrl+N, anywhere in the window.</li>"
    "<li><b>Add the vendors you resell</b>: Vendor ▸ Add vendor… (Ctrl+Shift+V).</li>"
    "<li><b>Bring in your history</b>: File ▸ Import… (Ctrl+Shift+I) reads calendar (.ics), "
    "mail (.eml, .mbox), CRM exports (.csv) and contacts (.vcf); or drop the files here.</li>"
    "<li><b>Look around first</b> in a demo journal with made-up vendors (your journal is left "
    "as it is).</li>"
    "</ul>"
    "<p>Help ▸ Getting started (F1) explains the health score.</p>")

DEMO_INTERACTIONS = 3000


def empty_text(has_vendors: bool, vendor_name: str | None, search: str) -> str:
    """The line shown over an empty timeline (the journal itself is not empty)."""
    if search:
        return f"Nothing matches “{search}”. Try fewer words, or a word's start followed by *."
    if vendor_name:
        return f"No interactions with {vendor_name} yet. Ctrl+N logs one."
    if has_vendors:
        return "No interactions match these filters."
    return ""


class EmptyJournalPanel(QWidget):
    """The welcome page: the ways to start, as words and as buttons."""

    def __init__(self, window: MainWindow):
        super().__init__()
        self.setObjectName("emptyJournal")
        self.window_ = window
        box = QVBoxLayout(self)
        box.setContentsMargins(32, 24, 32, 24)
        text = QLabel(WELCOME)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(text)
        for label, action in (("Log an interaction", window.act_new),
                              ("Add a vendor", window.act_add_vendor),
                              ("Import files…", window.act_import)):
            button = QPushButton(label)
            button.clicked.connect(action.trigger)
            box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.demo_button = QPushButton("Open a demo journal")
        self.demo_button.clicked.connect(self.open_demo)
        box.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addStretch(1)
        self._job: workers.Job | None = None

    def demo_path(self) -> Path:
        return self.window_.session.path.with_name("demo-journal.sqlite3")

    def open_demo(self) -> None:
        """Fill a demo journal beside this one (a few seconds) and open it."""
        path = self.demo_path()
        window = self.window_
        if path.exists():
            window.open_journal_requested.emit(str(path))
            return
        self.demo_button.setEnabled(False)
        window.statusBar().showMessage("Making a demo journal with made-up vendors…", 30000)

        def work(_t: workers.CancelToken, _r: Any) -> Path:
            from partnerdesk.services.demo import generate
            from partnerdesk.store.journal import Journal

            with Journal.open(path) as journal:
                generate(journal, interactions=DEMO_INTERACTIONS)
            return path

        def failed(message: str) -> None:
            self.demo_button.setEnabled(True)
            window.show_error(f"The demo journal could not be made: {message}")

        self._job = workers.start(work, on_done=lambda p: window.open_journal_requested.emit(str(p)),
                                  on_failed=failed)
