"""Help: getting started, keyboard shortcuts (read from the actions, so the list cannot drift),
check journal, about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from partnerdesk import __version__
from partnerdesk.ui.actions import make_action, menu_named

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow

GETTING_STARTED = """
<h2>Getting started</h2>
<p>partnerdesk is your private record of every vendor you resell: who helped you, who only
processed orders, and what changed when they were bought or changed their programme.</p>
<h3>1. Log what happened</h3>
<p>Press <b>Ctrl+N</b> after a call, meeting or mail. Type the vendor (Tab takes the suggestion),
one line of what happened, and say whether it was <b>helpful</b> (Ctrl+1) or
<b>transactional</b> (Ctrl+2). <b>Ctrl+Enter</b> saves.</p>
<ul>
<li><b>Helpful</b>: the vendor did something for you beyond the paperwork: a deal registration
approved in an hour, an introduction, a fix for your customer, training that won you a deal.</li>
<li><b>Transactional</b>: the ordinary business: a quote, an order, an invoice, a portal
reset, an outage notice. Necessary, but not a partnership.</li>
</ul>
<h3>2. Watch each relationship's health</h3>
<p>Each vendor gets a score from 0 to 100 for every week, month or quarter: green from 70,
amber from 40, red below. It rises when the vendor is often helpful, keeps the promises they
made to you by the date they gave, when you rate interactions well, and when you hear from
them about as often as usual. A part you have no notes for is left out rather than counted as
zero. <b>Vendor ▸ Dashboard</b> (Ctrl+Shift+D) shows the score over time and why it is what it is,
and whether things got worse after an acquisition or a programme change.</p>
<h3>3. Before a meeting</h3>
<p><b>Vendor ▸ Meeting brief</b> (Ctrl+B) puts the last interactions, open promises, contact
changes and unanswered questions on one screen; <b>File ▸ Export quarterly summary</b> prints it.</p>
<h3>Getting your history in</h3>
<p><b>File ▸ Import</b> (Ctrl+Shift+I) reads calendar files (.ics), mail (.eml, .mbox), a CRM
export (.csv) and contacts (.vcf); you can also drop files on the window. To look around first,
open the demo journal: run <code>partnerdesk demo</code> once in a terminal, then
<b>File ▸ Open journal</b>.</p>
"""


def install(w: MainWindow) -> None:
    w.act_getting_started = make_action(w, "&Getting started", lambda: show_getting_started(w), "F1",
                                        "Helpful or transactional, the health score, the first steps")
    w.act_shortcuts = make_action(w, "&Keyboard shortcuts", lambda: show_shortcuts(w), "Ctrl+/",
                                  "Every shortcut in the window")
    w.act_check = make_action(w, "&Check journal", lambda: check_journal(w), None,
                              "Integrity check of the file and its search index")
    w.act_about = make_action(w, "&About partnerdesk", lambda: about(w))
    m = menu_named(w, "Help")
    m.addActions([w.act_getting_started, w.act_shortcuts])
    m.addSeparator()
    m.addAction(w.act_check)
    m.addSeparator()
    m.addAction(w.act_about)


def shortcut_rows(w: MainWindow) -> list[tuple[str, str, str]]:
    """(keys, what, where) for every action in the menus that has a shortcut, in menu order."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, where: str) -> None:
        for act in menu.actions():
            if act.menu() is not None:
                walk(act.menu(), f"{where} ▸ {act.text().replace('&', '')}")
            elif act.shortcuts() and id(act) not in seen:
                seen.add(id(act))
                names = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in act.shortcuts()]
                keys = ", ".join(dict.fromkeys(names))  # Redo's standard key may repeat Ctrl+Shift+Z
                rows.append((keys, act.text().replace("&", "").rstrip("…"), where))

    for top in w.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.text().replace("&", ""))
    return rows


def _dialog(w: MainWindow, title: str, body: QWidget, size: tuple[int, int]) -> QDialog:
    from PySide6.QtCore import QSize

    from partnerdesk.ui.placement import place_window

    dialog = QDialog(w)
    dialog.setWindowTitle(title)
    box = QVBoxLayout(dialog)
    box.addWidget(body)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    box.addWidget(buttons)
    place_window(dialog, w, QSize(*size))
    return dialog


def show_shortcuts(w: MainWindow) -> None:
    rows = shortcut_rows(w)
    table = QTableWidget(len(rows), 3)
    table.setObjectName("shortcutTable")
    table.setHorizontalHeaderLabels(["Keys", "Does", "Menu"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    _dialog(w, "Keyboard shortcuts", table, (620, 640)).exec()


def show_getting_started(w: MainWindow) -> None:
    text = QTextBrowser()
    text.setObjectName("gettingStarted")
    text.setOpenExternalLinks(False)
    text.setHtml(GETTING_STARTED)
    _dialog(w, "Getting started", text, (640, 640)).exec()


def check_journal(w: MainWindow) -> None:
    from partnerdesk.ui.journal_files import check_journal as start

    w.statusBar().showMessage("Checking the journal…", 10000)
    w._file_job = start(w.session, w)


def about(w: MainWindow) -> None:
    QMessageBox.about(
        w, "About partnerdesk",
        f"<h3>partnerdesk {__version__}</h3>"
        "<p>A private journal of your vendor relationships: who helped, who only transacted, "
        "and what changed after each acquisition.</p>"
        f"<p>Journal: <code>{w.session.path}</code></p>"
        "<p>Works offline. Your notes never leave this computer.</p>")


