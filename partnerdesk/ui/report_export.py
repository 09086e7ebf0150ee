"""File ▸ Export quarterly summary…: choose quarter, vendors and paper; build off the UI thread.

The PDF is built by services/quarterly_report.py on a worker with a progress dialog and a
cancel button; a cancelled or failed export leaves no file behind (the service writes to a
temporary name and renames at the end). When it is done, one click opens it in the system
viewer, from where it prints.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QSettings, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.when import local_now
from partnerdesk.ui import workers

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession


def quarter_label(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def recent_quarters(today: date, count: int = 8) -> list[str]:
    year, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        out.append(f"{year}Q{q}")
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return out


def default_paper() -> str:
    return "letter" if QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "a4"


def ask_pdf_path(parent: QWidget | None, title: str, stem: str) -> Path | None:
    """Where to save a PDF, asked in the last reports folder with `stem` (made safe for a file
    name) suggested; '.pdf' added when the rep leaves it off, the folder remembered. None when
    the rep cancels."""
    folder = Path(str(QSettings().value("reports/folder", str(Path.home()))))
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in stem).strip() or "report"
    name, _ = QFileDialog.getSaveFileName(parent, title, str(folder / f"{safe}.pdf"),
                                          "PDF (*.pdf)")
    if not name:
        return None
    out = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
    QSettings().setValue("reports/folder", str(out.parent))
    return out


class SavedPdfBar(QFrame):
    """The line a window shows once its PDF is written: where it went, and an Open button
    (the brief and the QBR workspace both offer it)."""

    def __init__(self, open_tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.path: Path | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("&Open PDF")
        self.open_button.setToolTip(open_tip)
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda _checked=False: self.open_pdf())
        bar = QHBoxLayout(self)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.label, 1)
        bar.addWidget(self.open_button)
        self.hide()

    def show_saved(self, path: Path) -> None:
        self.path = path
        self.label.setText(f"Saved {path}")
        self.show()

    def open_pdf(self) -> None:
        if self.path is not None:
            from partnerdesk.ui.open_file import open_in_viewer

            open_in_viewer(self.window(), self.path)


class ReportExportDialog(QDialog):
    """Asks what to export; `.choice()` returns the parameters once accepted."""

    def __init__(self, session: JournalSession, parent: QWidget | None = None,
                 preselect_vendor: int | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export quarterly summary")
        self.session = session
        today = local_now().date()
        self.quarter = QComboBox()
        self.quarter.setEditable(True)
        quarters = recent_quarters(today)
        self.quarter.addItems(quarters)
        # The quarter that just ended is what a quarterly review is about; early in a quarter
        # that is the previous one.
        self.quarter.setCurrentIndex(1 if (today.month - 1) % 3 == 0 and today.day < 20 else 0)
        self.quarter.setAccessibleName("Quarter")
        self.all_vendors = QRadioButton("All active vendors")
        self.some_vendors = QRadioButton("Only these vendors:")
        self.all_vendors.setChecked(preselect_vendor is None)
        self.some_vendors.setChecked(preselect_vendor is not None)
        self._vendors = [v for v in session.reader.vendors() if not v.archived]
        self.vendor_model = QStringListModel([v.display_name for v in self._vendors], self)
        self.vendor_list = QListView()
        self.vendor_list.setModel(self.vendor_model)
        self.vendor_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.vendor_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.vendor_list.setAccessibleName("Vendors to include")
        self.vendor_list.setMinimumHeight(140)
        if preselect_vendor is not None:
            for row, v in enumerate(self._vendors):
                if v.id == preselect_vendor:
                    self.vendor_list.setCurrentIndex(self.vendor_model.index(row))
        self.vendor_list.setEnabled(self.some_vendors.isChecked())
        self.some_vendors.toggled.connect(self.vendor_list.setEnabled)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        self.paper.setCurrentIndex(self.paper.findData(default_paper()))
        self.paper.setAccessibleName("Paper size")
        self.out = QLineEdit()
        self.out.setAccessibleName("Save to")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Quarter", self.quarter)
        form.addRow("Vendors", self.all_vendors)
        form.addRow("", self.some_vendors)
        form.addRow("", self.vendor_list)
        form.addRow("&Paper", self.paper)
        form.addRow("Save to", out_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.quarter.currentTextChanged.connect(lambda _t: self._suggest_path())
        self._suggest_path()
        self.resize(460, 480)

    def _suggest_path(self) -> None:
        folder = QSettings().value("reports/folder", str(Path.home()))
        self.out.setText(str(Path(str(folder)) / f"partnerdesk-{self.quarter.currentText().strip()}.pdf"))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save quarterly summary", self.out.text(), "PDF (*.pdf)")
        if name:
            self.out.setText(name if name.lower().endswith(".pdf") else name + ".pdf")

    def _accept(self) -> None:
        quarter = self.quarter.currentText().strip().upper()
        if len(quarter) != 6 or quarter[4] != "Q" or not quarter[:4].isdigit() or quarter[5] not in "1234":
            return self._fail(f"'{quarter}' is not a quarter; write it like 2026Q3.")
        if self.some_vendors.isChecked() and not self.vendor_list.selectedIndexes():
            return self._fail("Pick at least one vendor, or choose all active vendors.")
        out = Path(self.out.text().strip()).expanduser()
        if not self.out.text().strip():
            return self._fail("Choose where to save the PDF.")
        if not out.parent.is_dir():
            return self._fail(f"The folder {out.parent} does not exist; choose another place.")
        QSettings().setValue("reports/folder", str(out.parent))
        self.accept()
        return None

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def choice(self) -> dict[str, Any]:
        vendor_ids = None
        if self.some_vendors.isChecked():
            vendor_ids = [self._vendors[i.row()].id for i in self.vendor_list.selectedIndexes()]
        return {
            "quarter": self.quarter.currentText().strip().upper(),
            "vendor_ids": vendor_ids,
            "paper": self.paper.currentData(),
            "out": Path(self.out.text().strip()).expanduser(),
        }


def run_export(session: JournalSession, parent: QWidget, choice: dict[str, Any]) -> workers.Job:
    """Build the PDF on a worker with a cancellable progress dialog; offer to open it after."""
    journal = session.store()
    rep_name = str(QSettings().value("rep/name", "") or "")
    progress = QProgressDialog("Building the quarterly summary…", "Cancel", 0, 0, parent)
    progress.setWindowTitle("Export quarterly summary")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)  # only for exports that take a noticeable time

    def work(token: workers.CancelToken, report: Any) -> Path:
        from partnerdesk.services.quarterly_report import build_quarterly_report

        return build_quarterly_report(journal, choice["quarter"], choice["out"],
                                      vendor_ids=choice["vendor_ids"], paper=choice["paper"],
                                      rep_name=rep_name, progress=report,
                                      cancelled=lambda: token.cancelled)

    def on_progress(done: int, total: int) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(done)

    def done(path: Path) -> None:
        progress.close()
        open_pdf_offer(parent, path)

    def failed(message: str) -> None:
        progress.close()
        QMessageBox.warning(parent, "Export failed", f"{message}\n\nNo file was written.")

    job = workers.start(work, on_done=done, on_failed=failed, on_progress=on_progress)
    job.signals.cancelled.connect(progress.close)
    progress.canceled.connect(job.token.cancel)
    return job


def open_pdf_offer(parent: QWidget | None, path: Path) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("PDF saved")
    box.setText(f"Saved {path.name}.")
    box.setInformativeText(str(path))
    open_button = box.addButton("Open (to view or print)", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_button:
        from partnerdesk.ui.open_file import open_in_viewer

        open_in_viewer(parent, path)
