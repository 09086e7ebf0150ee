"""File ▸ Import… and drag-and-drop: preview what an import adds and skips, then apply it.

Reading and planning run on a worker (big mailboxes take seconds); nothing is written until
the rep presses Import, and then all of it is written in one transaction with a progress bar
and a cancel button. Unmatched domains can be given a vendor and the plan made again; a CSV's
column mapping can be corrected and is remembered for files with the same headers.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QSettings,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.vocab import Tag
from partnerdesk.ui import workers
from partnerdesk.ui.table_models import RowsTableModel, read_only_table

if TYPE_CHECKING:
    from partnerdesk.services.importers import ImportPlan
    from partnerdesk.ui.session import JournalSession

IMPORTABLE = (".ics", ".ical", ".eml", ".mbox", ".csv", ".tsv", ".txt", ".vcf", ".vcard", ".json")
CSV_FIELDS = ["", "summary", "notes", "occurred_at", "date", "time", "vendor", "channel", "direction", "tag",
              "quality", "contacts", "topics", "follow_up_due", "follow_up_what", "source_id"]


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    return read_only_table(model, name, stretch=model.columnCount() - 1)


def _mapping_key(headers: list[str]) -> str:
    return hashlib.sha1("\x1f".join(headers).encode("utf-8")).hexdigest()[:16]


class ImportDialog(QDialog):
    def __init__(self, session: JournalSession, paths: list[Path], parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.paths = [Path(p) for p in paths]
        self.plan: ImportPlan | None = None
        self._job: workers.Job | None = None
        self.result_line = ""
        self.setWindowTitle("Import — partnerdesk")
        names = ", ".join(p.name for p in self.paths[:4]) + (" …" if len(self.paths) > 4 else "")
        header = QLabel(f"<b>Import {names}</b>")
        header.setWordWrap(True)

        settings = QSettings()
        self.default_tag = QComboBox()
        for t in Tag:
            self.default_tag.addItem(t.value.capitalize(), t.value)
        self.default_tag.setCurrentIndex(max(0, self.default_tag.findData(
            settings.value("import/default_tag", "transactional"))))
        self.default_tag.setToolTip("The tag of items the file does not tag itself; edit them later.")
        self.fallback_vendor = QComboBox()
        self.fallback_vendor.addItem("(match by mail domain or company name)", "")
        for v in session.reader.vendors():
            if not v.archived:
                self.fallback_vendor.addItem(v.display_name, v.name)
        self.fallback_vendor.setAccessibleName("Vendor for unmatched items")
        today = date.today()
        self.ics_from = QDateEdit(QDate(today.year - 2, today.month, min(today.day, 28)))
        self.ics_to = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.ics_from, self.ics_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.day_first = QCheckBox("Dates are day first (31/01/2026)")
        options = QFormLayout()
        options.addRow("Tag when the file has none", self.default_tag)
        options.addRow("Vendor for unmatched items", self.fallback_vendor)
        ics_row = QHBoxLayout()
        ics_row.addWidget(self.ics_from)
        ics_row.addWidget(QLabel("to"))
        ics_row.addWidget(self.ics_to)
        ics_row.addStretch(1)
        options.addRow("Calendar range", ics_row)
        # only calendar files have a range to choose
        if not any(p.suffix.lower() == ".ics" for p in paths):
            for i in range(ics_row.count()):
                item = ics_row.itemAt(i).widget()
                if item is not None:
                    item.setVisible(False)
            label = options.labelForField(ics_row)
            if label is not None:
                label.setVisible(False)
        options.addRow("", self.day_first)
        self.options_box = QGroupBox("Options")
        self.options_box.setLayout(options)

        self.summary = QLabel("Reading the files…")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        self._mapping_boxes: dict[str, QComboBox] = {}
        self.replan_button = QPushButton("Preview again")
        self.replan_button.clicked.connect(self.replan)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.replan_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.options_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.resize(900, 640)
        self.replan()

    # -- planning ------------------------------------------------------------------------
    def _csv_corrections(self) -> dict[str, str] | None:
        if not self._mapping_boxes:
            return None
        return {header: box.currentText() or "ignore" for header, box in self._mapping_boxes.items()}

    def replan(self) -> None:
        if self._job is not None:
            self._job.token.cancel()
        self.import_button.setEnabled(False)
        self.replan_button.setEnabled(False)
        self.summary.setText("Reading the files…")
        journal = self.session.store()
        rep_email = str(QSettings().value("rep/email", "") or "") or None
        vendor = self.fallback_vendor.currentData() or None
        tag = Tag(self.default_tag.currentData())
        ics_range = (self.ics_from.date().toPython(), self.ics_to.date().toPython())
        corrections = self._csv_corrections()
        day_first = True if self.day_first.isChecked() else None
        paths = list(self.paths)

        def work(token: workers.CancelToken, _r: Any) -> ImportPlan:
            from partnerdesk.services.importers import plan_import

            return plan_import(journal, paths, vendor=vendor, rep_email=rep_email, ics_range=ics_range,
                               csv_mapping=corrections, default_tag=tag, day_first=day_first)

        self._job = workers.start(work, on_done=self._planned, on_failed=self._plan_failed)

    def _saved_mapping(self, headers: list[str]) -> dict[str, str] | None:
        try:
            saved = json.loads(str(QSettings().value("import/csv_mappings", "{}")))
        except ValueError:
            return None
        mapping = saved.get(_mapping_key(headers)) if isinstance(saved, dict) else None
        return mapping if isinstance(mapping, dict) else None

    def _plan_failed(self, message: str) -> None:
        self._job = None
        self.replan_button.setEnabled(True)
        self.summary.setText(f"<span style='color:#c62828'>{message}</span>")

    def _planned(self, plan: ImportPlan) -> None:
        self._job = None
        if plan.csv_mapping and not self._mapping_boxes:
            saved = self._saved_mapping(list(plan.csv_mapping))
            if saved and saved != plan.csv_mapping:
                # These columns were corrected before: plan again with that mapping.
                self._mapping_tab(plan.csv_mapping)
                for header, box in self._mapping_boxes.items():
                    box.setCurrentText("" if saved.get(header) == "ignore" else saved.get(header, ""))
                plan.close()
                self.replan()
                return
        if self.plan is not None:
            self.plan.close()
        self.plan = plan
        self.replan_button.setEnabled(True)
        counts = ", ".join(f"{n:,} {reason.value}" for reason, n in plan.skipped_counts.items() if n)
        parts = [f"<b>{plan.added_count:,}</b> interactions will be added"]
        if plan.new_contacts:
            parts.append(f"{len(plan.new_contacts):,} new contacts")
        if plan.json_mode:
            from partnerdesk.services.section_words import count_phrase

            parts = [f"<b>{plan.json_mode}</b>: "
                     + ", ".join(count_phrase(n, k) for k, n in plan.json_counts.items())]
        text = "; ".join(parts) + "."
        if counts:
            text += f" Skipped: {counts}."
        if plan.unmatched_domains:
            doms = ", ".join(list(plan.unmatched_domains)[:6])
            text += (f"<br>No vendor matched {len(plan.unmatched_domains)} domain(s) ({doms}): choose a "
                     "vendor above, or add the domain to a vendor, then Preview again.")
        for note in plan.notes:
            text += f"<br><i>{note}</i>"
        self.summary.setText(text)
        self._fill_tabs(plan)
        self.import_button.setEnabled(not plan.nothing_to_do)

    def _fill_tabs(self, plan: ImportPlan) -> None:
        self.tabs.clear()
        added = [(p.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M"), p.vendor, p.channel.value,
                  p.tag.value, p.summary, ", ".join(p.contacts), p.what) for p in plan.added]
        headers = ["When", "Vendor", "Channel", "Tag", "Summary", "Contacts", "From"]
        self.tabs.addTab(_table(RowsTableModel(self, headers=headers, rows=added), "Will be added"),
                         f"Will be added ({plan.added_count:,})")
        skipped = [(s.reason.value, s.what, s.detail) for s in plan.skipped]
        total_skipped = sum(plan.skipped_counts.values())
        headers = ["Why", "What", "Detail"]
        self.tabs.addTab(_table(RowsTableModel(self, headers=headers, rows=skipped), "Skipped"),
                         f"Skipped ({total_skipped:,})")
        if plan.new_contacts:
            contacts = [(c.vendor, c.name, c.email) for c in plan.new_contacts]
            headers = ["Vendor", "Name", "Email"]
            self.tabs.addTab(_table(RowsTableModel(self, headers=headers, rows=contacts), "New contacts"),
                             f"New contacts ({len(plan.new_contacts):,})")
        if plan.csv_mapping:
            current = {h: b.currentText() for h, b in self._mapping_boxes.items()}
            self._mapping_tab(plan.csv_mapping)
            for header, value in current.items():
                if header in self._mapping_boxes:
                    self._mapping_boxes[header].setCurrentText(value)

    def _mapping_tab(self, mapping: dict[str, str]) -> None:
        holder = QWidget()
        form = QFormLayout(holder)
        self._mapping_boxes = {}
        for header, field_name in mapping.items():
            box = QComboBox()
            box.addItems(CSV_FIELDS)
            if field_name and box.findText(field_name) < 0:
                box.addItem(field_name)
            box.setCurrentText(field_name or "")
            box.setAccessibleName(f"Field for column {header}")
            form.addRow(header, box)
            self._mapping_boxes[header] = box
        note = QLabel("Correct a column's field and press Preview again; the mapping is remembered "
                      "for files with the same columns. Empty means the column is not imported.")
        note.setWordWrap(True)
        form.addRow(note)
        self.mapping_area.setWidget(holder)
        self.tabs.addTab(self.mapping_area, "Columns")

    def _remember_mapping(self) -> None:
        if not self._mapping_boxes:
            return
        headers = list(self._mapping_boxes)
        key = _mapping_key(headers)
        try:
            saved = json.loads(str(QSettings().value("import/csv_mappings", "{}")))
        except ValueError:
            saved = {}
        saved[key] = {h: b.currentText() or "ignore" for h, b in self._mapping_boxes.items()}
        QSettings().setValue("import/csv_mappings", json.dumps(saved))

    # -- applying ------------------------------------------------------------------------
    def apply(self) -> None:
        plan = self.plan
        if plan is None:
            return
        QSettings().setValue("import/default_tag", self.default_tag.currentData())
        self._remember_mapping()
        journal = self.session.store()
        progress = QProgressDialog("Importing…", "Cancel", 0, max(plan.added_count, 1), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        self.import_button.setEnabled(False)

        def work(token: workers.CancelToken, report: Any) -> Any:
            from partnerdesk.services.importers import apply_import

            return apply_import(journal, plan, progress=report, cancelled=lambda: token.cancelled)

        def done(result: Any) -> None:
            progress.close()
            self.result_line = result.summary_line()
            self.session.notify("vendor", None)
            self.session.notify("interaction", {})
            self.accept()

        def failed(message: str) -> None:
            progress.close()
            self.import_button.setEnabled(True)
            QMessageBox.warning(self, "Import failed", f"{message}\n\nNothing was written to the journal.")

        def cancelled() -> None:
            progress.close()
            self.import_button.setEnabled(True)
            self.summary.setText(self.summary.text() + "<br><b>Import cancelled; nothing was written.</b>")

        job = workers.start(work, on_done=done, on_failed=failed,
                            on_progress=lambda d, t: (progress.setMaximum(max(t, 1)), progress.setValue(d)))
        job.signals.cancelled.connect(cancelled)
        progress.canceled.connect(job.token.cancel)
        self._job = job

    def done(self, code: int) -> None:  # noqa: D401 - Qt's name
        if self._job is not None and code != QDialog.DialogCode.Accepted:
            self._job.token.cancel()
        if self.plan is not None and code != QDialog.DialogCode.Accepted:
            self.plan.close()
        super().done(code)


def importable(paths: list[Path]) -> list[Path]:
    return [p for p in paths if p.is_file() and p.suffix.lower() in IMPORTABLE]


def default_range() -> tuple[date, date]:
    today = date.today()
    return today - timedelta(days=730), today
