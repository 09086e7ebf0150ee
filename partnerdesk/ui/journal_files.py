"""File menu work on the journal as a whole: export, back up, restore, check.

Each runs off the UI thread; restore goes through the launcher because the window's own
connections must be closed before the file is replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from partnerdesk.ui import workers

if TYPE_CHECKING:
    from partnerdesk.domain.models import InteractionFilter
    from partnerdesk.ui.session import JournalSession

EXPORT_CHOICES = [
    ("Interactions shown, CSV (*.csv)", "interactions", "csv", True),
    ("Interactions shown, JSON (*.json)", "interactions", "json", True),
    ("All interactions, CSV (*.csv)", "interactions", "csv", False),
    ("Whole journal, partnerdesk JSON (*.json)", "all", "json", False),
    ("Vendors, CSV (*.csv)", "vendors", "csv", False),
    ("Contacts, CSV (*.csv)", "contacts", "csv", False),
    ("Events, CSV (*.csv)", "events", "csv", False),
    ("Question answers, CSV (*.csv)", "answers", "csv", False),
]


def _progress(parent: QWidget, text: str) -> QProgressDialog:
    dialog = QProgressDialog(text, "Cancel", 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    return dialog


def export_dialog(session: JournalSession, parent: QWidget, current: InteractionFilter) -> workers.Job | None:
    folder = str(QSettings().value("export/folder", str(Path.home())))
    filters = ";;".join(c[0] for c in EXPORT_CHOICES)
    name, chosen = QFileDialog.getSaveFileName(parent, "Export", str(Path(folder) / "partnerdesk-export"), filters)
    if not name:
        return None
    label, what, fmt, filtered = next(c for c in EXPORT_CHOICES if c[0] == chosen)
    path = Path(name)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_suffix(f".{fmt}")
    QSettings().setValue("export/folder", str(path.parent))
    journal = session.store()
    progress = _progress(parent, f"Exporting {label.split(',')[0].lower()}…")

    def work(_t: workers.CancelToken, report: Any) -> Any:
        from partnerdesk.services.exports import export

        return export(journal, path, what, fmt, f=current if filtered else None, progress=report)

    def done(_result: Any) -> None:
        progress.close()
        QMessageBox.information(parent, "Exported", f"Saved {path}.")

    def failed(message: str) -> None:
        progress.close()
        QMessageBox.warning(parent, "Export failed", f"{message}\n\nNo file was written.")

    return workers.start(work, on_done=done, on_failed=failed,
                         on_progress=lambda d, t: (progress.setMaximum(max(t, 1)), progress.setValue(d)))


def backup_now(session: JournalSession, parent: QWidget) -> workers.Job:
    path = session.path

    def work(_t: workers.CancelToken, _r: Any) -> Path:
        from partnerdesk.services.backup import backup_now as take

        return take(path, "manual")

    def done(saved: Path) -> None:
        QMessageBox.information(parent, "Backed up", f"A checked copy of the journal was saved:\n{saved}")

    return workers.start(work, on_done=done,
                         on_failed=lambda m: QMessageBox.warning(parent, "Backup failed", m))


def choose_backup(session: JournalSession, parent: QWidget) -> Path | None:
    """Ask which backup to restore; None when the rep changes their mind."""
    from partnerdesk.services.backup import backup_folder

    folder = backup_folder(session.path)
    name, _ = QFileDialog.getOpenFileName(parent, "Restore from backup", str(folder),
                                          "partnerdesk backups (*.sqlite3);;All files (*)")
    if not name:
        return None
    answer = QMessageBox.question(
        parent, "Restore from backup",
        f"Replace the journal with the backup {Path(name).name}?\n\nThe current journal is kept "
        "aside in the backups folder, so this can be undone by restoring it.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return Path(name) if answer == QMessageBox.StandardButton.Yes else None


def check_journal(session: JournalSession, parent: QWidget) -> workers.Job:
    path = session.path
    progress = _progress(parent, "Checking the journal…")
    progress.setCancelButton(None)

    def work(_t: workers.CancelToken, _r: Any) -> Any:
        from partnerdesk.services.check import check_journal as run_check

        return run_check(path)

    def done(report: Any) -> None:
        progress.close()
        if report.ok:
            QMessageBox.information(parent, "Check journal", "The journal and its search index are in order.")
            return
        lines = "\n".join(report.lines())
        if report.index_only:
            answer = QMessageBox.question(
                parent, "Check journal",
                f"{lines}\n\nOnly the search index (or the summary it keeps) is damaged; your entries are "
                "intact. Rebuild it now?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer == QMessageBox.StandardButton.Yes:
                repair(path, parent)
            return
        QMessageBox.warning(parent, "Check journal",
                            f"{lines}\n\nThe journal itself is damaged. Use File ▸ Restore from backup… "
                            "to go back to the newest good copy.")

    def failed(message: str) -> None:
        progress.close()
        QMessageBox.warning(parent, "Check journal", message)

    return workers.start(work, on_done=done, on_failed=failed)


def repair(path: Path, parent: QWidget) -> workers.Job:
    """Rebuild the search index (after a backup) on a worker; it reads every interaction."""
    progress = _progress(parent, "Rebuilding the search index…")
    progress.setCancelButton(None)

    def work(_t: workers.CancelToken, _r: Any) -> Any:
        from partnerdesk.services.check import repair_index

        return repair_index(path)

    def done(after: Any) -> None:
        progress.close()
        QMessageBox.information(parent, "Check journal",
                                "Rebuilt; the journal is in order." if after.ok else "\n".join(after.lines()))

    def failed(message: str) -> None:
        progress.close()
        QMessageBox.warning(parent, "Check journal", message)

    return workers.start(work, on_done=done, on_failed=failed)
