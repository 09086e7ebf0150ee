"""File: logging, switching journals, import and export, the quarterly PDF, backups, settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog

from partnerdesk.ui.actions import make_action, menu_named

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow


def install(w: MainWindow) -> None:
    K = QKeySequence.StandardKey
    w.act_new = make_action(w, "&New interaction…", w.quick_log, "Ctrl+N", "Log an interaction")
    w.act_quick_window = make_action(w, "&Quick log window", lambda: w.quick_log(on_top=True),
                                     "Ctrl+Shift+N", "A small always-on-top log window")
    w.act_open = make_action(w, "&Open journal…", w.open_other_requested.emit, K.Open,
                             "Open another journal file")
    w.act_new_journal = make_action(w, "New &journal…", w.new_journal_requested.emit, None,
                                    "Create a new, empty journal")
    w.act_import = make_action(w, "&Import…", w.import_files, "Ctrl+Shift+I",
                               "Calendar, mail, CRM CSV, vCard or partnerdesk JSON files")
    w.act_export = make_action(w, "E&xport…", lambda: export_files(w), "Ctrl+Shift+E",
                               "Interactions, vendors, contacts, events, answers or the whole journal")
    w.act_report = make_action(w, "Export &quarterly summary…", lambda: export_quarterly(w), "Ctrl+E",
                               "The quarterly relationship summary as a PDF")
    w.act_backup = make_action(w, "&Back up now", lambda: backup_now(w), None,
                               "A checked copy of the journal")
    w.act_restore = make_action(w, "&Restore from backup…", lambda: restore_backup(w), None,
                                "Put a backup in place of this journal")
    w.act_settings = make_action(w, "&Settings…", lambda: open_settings(w), K.Preferences,
                                 "Your name, defaults")
    w.act_quit = make_action(w, "&Quit", w.close, K.Quit)

    m = menu_named(w, "File")
    m.addActions([w.act_new, w.act_quick_window])
    m.addSeparator()
    m.addActions([w.act_open, w.act_new_journal])
    w.recent_menu = m.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: fill_recent(w))
    m.addSeparator()
    m.addActions([w.act_import, w.act_export, w.act_report])
    w.act_import_ledger = make_action(w, "Import registrations or &payments…",
                                      lambda: import_ledger_csv(w), None,
                                      "Deal registrations or payments from a vendor portal's CSV")
    m.insertAction(w.act_export, w.act_import_ledger)
    m.addSeparator()
    m.addActions([w.act_backup, w.act_restore])
    m.addSeparator()
    m.addAction(w.act_settings)
    m.addSeparator()
    m.addAction(w.act_quit)


def quick_log(w: MainWindow, on_top: bool = False) -> None:
    from partnerdesk.ui.quick_log import QuickLogDialog

    if w._quick_log is None or w._quick_log.isHidden():
        # One dialog, reused: a new one per entry would keep every old one alive.
        if w._quick_log is None:
            from PySide6.QtCore import QSize

            from partnerdesk.ui.placement import place_window

            w._quick_log = QuickLogDialog(w.session, w, on_top=on_top)
            place_window(w._quick_log, w, QSize(560, 520))  # inside the screen, even at 2x
        else:
            w._quick_log.set_on_top(on_top)
        w._quick_log.prepare()
        vid = w.selected_vendor_id()
        if vid is not None:
            for v in w.vendor_model.vendors():
                if v.id == vid:
                    w._quick_log.form.vendor.setText(v.name)
                    w._quick_log.form.set_contact_names(w.session.reader.contact_names(v.id))
                    w._quick_log.form.summary.setFocus()
    w._quick_log.show()
    w._quick_log.raise_()
    w._quick_log.activateWindow()


def import_files(w: MainWindow, paths: list[Path] | None = None) -> None:
    from partnerdesk.ui.import_dialog import IMPORTABLE, ImportDialog

    if not paths:
        pattern = " ".join(f"*{ext}" for ext in IMPORTABLE)
        names, _ = QFileDialog.getOpenFileNames(w, "Import", str(Path.home()),
                                                f"Importable files ({pattern});;All files (*)")
        paths = [Path(n) for n in names]
    if not paths:
        return
    dialog = ImportDialog(w.session, paths, w)
    if dialog.exec() == ImportDialog.DialogCode.Accepted and dialog.result_line:
        w.statusBar().showMessage(dialog.result_line, 8000)


def export_files(w: MainWindow) -> None:
    from partnerdesk.ui.journal_files import export_dialog

    w._file_job = export_dialog(w.session, w, w.current_filter())


def export_quarterly(w: MainWindow) -> None:
    from partnerdesk.ui.report_export import ReportExportDialog, run_export

    dialog = ReportExportDialog(w.session, w, preselect_vendor=w.selected_vendor_id())
    if dialog.exec() == ReportExportDialog.DialogCode.Accepted:
        w._export_job = run_export(w.session, w, dialog.choice())


def backup_now(w: MainWindow) -> None:
    from partnerdesk.ui.journal_files import backup_now as start

    w.statusBar().showMessage("Backing up the journal…", 10000)
    w._file_job = start(w.session, w)


def restore_backup(w: MainWindow) -> None:
    from partnerdesk.ui.journal_files import choose_backup

    chosen = choose_backup(w.session, w)
    if chosen is not None:
        w.restore_requested.emit(str(chosen))


def open_settings(w: MainWindow) -> None:
    from partnerdesk.ui.settings_dialog import SettingsDialog

    if SettingsDialog(w, w.session).exec():
        w.timeline.set_ids(w.timeline.id_list())  # date format may have changed


def fill_recent(w: MainWindow) -> None:
    w.recent_menu.clear()
    recent = [p for p in (QSettings().value("journals/recent", []) or []) if p]
    if isinstance(recent, str):
        recent = [recent]
    for path in recent[:10]:
        act = w.recent_menu.addAction(path)
        act.triggered.connect(lambda _c=False, p=path: w.open_journal_requested.emit(p))
    if not recent:
        w.recent_menu.addAction("(none yet)").setEnabled(False)


def dropped(w: MainWindow, paths: list[Path]) -> None:
    """Files dragged from the desktop or a mail client onto the window are imported."""
    from partnerdesk.ui.import_dialog import importable

    chosen = importable(paths)
    if chosen:
        w.import_files(chosen)
    else:
        w.statusBar().showMessage(
            "Nothing to import there: drop .ics, .eml, .mbox, .csv, .vcf or partnerdesk .json files.", 8000)


def import_ledger_csv(w: MainWindow) -> None:
    from partnerdesk.ui.ledger_import import import_ledger_csv as run  # off the first window's path

    run(w)
