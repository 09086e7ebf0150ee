"""Run as a script under the offscreen platform with a given screen (tests/ui/test_layout_fits.py):
opens the main window on a journal as the app does and prints, as JSON, what a rep would see cut."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(journal: str, settings: str) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    QCoreApplication.setOrganizationName("partnerdesk-tests")
    QCoreApplication.setApplicationName("partnerdesk-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)

    from partnerdesk.store.journal import Journal
    from partnerdesk.ui.main_window import MainWindow
    from partnerdesk.ui.session import JournalSession
    from partnerdesk.ui.timeline_model import COL_SUMMARY, HEADERS
    from partnerdesk.ui.vendor_list import STATS_ROLE, VendorDelegate

    path = Path(journal)
    session = JournalSession(path, journal=Journal.open(path))
    win = MainWindow(session)
    win.show()
    deadline = 0
    while win.vendor_model.index(1).data(STATS_ROLE) is None and deadline < 200:
        app.processEvents()
        QApplication.instance().thread().msleep(20)
        deadline += 1
    for _ in range(20):
        app.processEvents()
    fm = win.table.fontMetrics()
    view = win.vendor_view
    delegate: VendorDelegate = view.itemDelegate()
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    cut_lines = []
    small = delegate.small_metrics(option.font)
    for row in range(win.vendor_model.rowCount()):
        index = win.vendor_model.index(row)
        for line in delegate.sub_lines(option, index):
            if small.horizontalAdvance(line) > delegate.text_width(option):
                cut_lines.append(line)
    shown_lines = [line for row in range(win.vendor_model.rowCount())
                   for line in delegate.sub_lines(option, win.vendor_model.index(row))]
    header = win.table.horizontalHeader()
    print(json.dumps({
        "screen": [app.primaryScreen().availableGeometry().width(),
                   app.primaryScreen().availableGeometry().height()],
        "window": [win.width(), win.height()],
        "summary_chars": win.table.columnWidth(COL_SUMMARY) // max(1, fm.averageCharWidth()),
        "columns": {HEADERS[c]: win.table.columnWidth(c) for c in range(len(HEADERS))
                    if not win.table.isColumnHidden(c)},
        "table_width": win.table.viewport().width(), "splitter": win.splitter.sizes(),
        "side_pref": VendorDelegate.preferred_width(view.font()),
        "header_length": header.length(),
        "search_visible": win.filters.search.isVisible() and win.filters.search.width() > 150,
        "vendor_lines": shown_lines,
        "cut_vendor_lines": cut_lines,
    }))
    win.close()
    session.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
