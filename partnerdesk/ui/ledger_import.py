"""File ▸ Import registrations or payments…: a vendor portal's CSV into the ledger, with the same
preview as `partnerdesk ledger import` (services/ledger_io: a dry run rolled back), then the
import in one transaction. Importing the same file again adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.errors import PartnerdeskError
from partnerdesk.ui.ledger_models import LEDGER

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession

SHOWN = 200
# The service's advice names the CLI's options; the window has a field for each.
_WINDOW_WORDS = {"with --kind": "under What the file holds", "with --vendor": "under Vendor",
                 "or import with --vendor": "or choose the vendor above"}


def window_words(text: str) -> str:
    for cli, window in sorted(_WINDOW_WORDS.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(cli, window)
    return text


class LedgerImportDialog(QDialog):
    def __init__(self, session: JournalSession, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.path = session, path
        self.result_line = ""
        self.setWindowTitle(f"Import registrations or payments — {path.name}")
        self.kind = QComboBox()
        for text, data in (("Found by its columns", None), ("Deal registrations", "registrations"),
                           ("Payments", "payments")):
            self.kind.addItem(text, data)
        self.vendor = QComboBox()
        self.vendor.addItem("From the file's vendor column", None)
        for v in session.store().vendors.all():
            self.vendor.addItem(v.name, v.name)
        form = QFormLayout()
        form.addRow("What the file holds", self.kind)
        form.addRow("Vendor", self.vendor)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.lines = QPlainTextEdit()
        self.lines.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self.preview)
        self.vendor.currentIndexChanged.connect(self.preview)
        self.resize(760, 480)
        self.preview()

    def _run(self, write: bool) -> Any:
        from partnerdesk.services.ledger_io import import_ledger_file

        return import_ledger_file(self.session.store(), self.path, vendor=self.vendor.currentData(),
                                  kind=self.kind.currentData(), write=write)

    def preview(self) -> None:
        try:
            plan = self._run(write=False)
        except PartnerdeskError as exc:
            self.summary.setText(f'<span style="color:#c62828">{window_words(str(exc))}</span>')
            self.lines.clear()
            self.import_button.setEnabled(False)
            return
        shown = plan.preview[:SHOWN] + [f"skipped {window_words(s)}" for s in plan.skipped[:SHOWN]]
        if plan.new_vendors:
            shown.append("New vendors: " + ", ".join(plan.new_vendors))
        self.lines.setPlainText("\n".join(shown))
        self.summary.setText(plan.summary_line(imported=False).replace(f" from {plan.path}", ""))
        self.import_button.setEnabled(not plan.nothing_to_do)

    def apply(self) -> None:
        try:
            result = self._run(write=True)
        except PartnerdeskError as exc:
            self.summary.setText(f'<span style="color:#c62828">{window_words(str(exc))}</span>')
            return
        self.result_line = result.summary_line().replace(f" from {result.path}", "")
        self.session.notify(LEDGER, None)
        self.accept()


def import_ledger_csv(w: Any) -> None:
    """The File menu's action: pick the portal's CSV, preview, import."""
    name, _ = QFileDialog.getOpenFileName(w, "Import registrations or payments", str(Path.home()),
                                          "Portal exports (*.csv *.tsv *.txt);;All files (*)")
    if not name:
        return
    dialog = LedgerImportDialog(w.session, Path(name), w)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_line:
        w.statusBar().showMessage(dialog.result_line, 8000)
