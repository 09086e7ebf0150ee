"""The fields of one interaction, shared by quick log and the detail pane."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from partnerdesk.domain.errors import PartnerdeskError
from partnerdesk.domain.models import Interaction
from partnerdesk.domain.vocab import Channel, Direction
from partnerdesk.domain.when import local_now, parse_day, parse_when
from partnerdesk.services.log_entry import LogRequest
from partnerdesk.ui.completion import ListCompleter, TabAcceptsCompletion, split_list
from partnerdesk.ui.formatting import date_format

QUALITY_CHOICES = ["–", "1", "2", "3", "4", "5"]


class InteractionForm(QWidget):
    """Emits `edited` on any change, so drafts can be kept and Save enabled."""

    edited = Signal()
    vendor_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, compact: bool = False):
        super().__init__(parent)
        self._loading = False
        self.vendor = QLineEdit()
        self.vendor.setPlaceholderText("Vendor")
        self._vendor_model = QStringListModel(self)
        vc = QCompleter(self._vendor_model, self.vendor)
        vc.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        vc.setFilterMode(Qt.MatchFlag.MatchContains)
        self.vendor.setCompleter(vc)
        TabAcceptsCompletion(self.vendor)

        self.summary = QLineEdit()
        self.summary.setPlaceholderText("One line: what happened")
        self.summary.setMaxLength(500)

        self.helpful = QPushButton("&Helpful")
        self.transactional = QPushButton("&Transactional")
        self.tag_group = QButtonGroup(self)
        for b in (self.helpful, self.transactional):
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.tag_group.addButton(b)
        self.helpful.setToolTip("Helpful (Ctrl+1)")
        self.transactional.setToolTip("Transactional (Ctrl+2)")
        self.helpful.setAccessibleName("Tag: helpful")
        self.transactional.setAccessibleName("Tag: transactional")
        self.helpful.setObjectName("tagHelpful")
        self.transactional.setObjectName("tagTransactional")
        # The tag is the heart of an entry: make the chosen one unmistakable, not a subtle press.
        self.setStyleSheet(
            "QPushButton#tagHelpful:checked { background: #2e7d32; color: white; border: 1px solid #1b5e20;"
            " border-radius: 3px; padding: 3px 12px; }"
            "QPushButton#tagTransactional:checked { background: #b26a00; color: white;"
            " border: 1px solid #8a5200; border-radius: 3px; padding: 3px 12px; }")
        for b in (self.helpful, self.transactional):
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(b.text().replace("&", "")) + 36)
        for key, button in (("Ctrl+1", self.helpful), ("Ctrl+2", self.transactional)):
            sc = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(button.click)
        tags = QHBoxLayout()
        tags.setContentsMargins(0, 0, 0, 0)
        tags.addWidget(self.helpful)
        tags.addWidget(self.transactional)
        tags.addStretch(1)

        self.when = QLineEdit("now")
        self.when.setMinimumWidth(self.when.fontMetrics().horizontalAdvance("2026-11-27 14:30") + 16)
        self.when_hint = QLabel()
        self.when_hint.setObjectName("hint")
        when_row = QHBoxLayout()
        when_row.setContentsMargins(0, 0, 0, 0)
        when_row.addWidget(self.when, 3)
        when_row.addWidget(self.when_hint, 2)

        self.channel = QComboBox()
        self.channel.addItems([c.value for c in Channel])
        self.direction = QComboBox()
        for d in Direction:
            self.direction.addItem(d.label, d.value)
        self.quality = QComboBox()
        self.quality.addItems(QUALITY_CHOICES)
        self.quality.setToolTip("Quality, 1 to 5")
        chan_row = QHBoxLayout()
        chan_row.setContentsMargins(0, 0, 0, 0)
        chan_row.addWidget(self.channel, 1)
        chan_row.addWidget(self.direction, 2)
        quality_row = QHBoxLayout()
        quality_row.setContentsMargins(0, 0, 0, 0)
        quality_row.addWidget(self.quality)
        quality_hint = QLabel("1 = poor … 5 = excellent")
        quality_hint.setObjectName("hint")
        quality_row.addWidget(quality_hint)
        quality_row.addStretch(1)

        self.contacts = QLineEdit()
        self.contacts.setPlaceholderText("Names, separated by commas")
        self.contacts_completer = ListCompleter([], self.contacts)
        self.topics = QLineEdit()
        self.topics.setPlaceholderText("pricing, commission, deal registration…")
        self.topics_completer = ListCompleter([], self.topics)

        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Notes: what was said, promised, changed")
        self.notes.setMinimumHeight(60 if compact else 120)
        self.notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.follow_due = QLineEdit()
        self.follow_due.setPlaceholderText("due: YYYY-MM-DD, friday, in 3 days")
        self.follow_hint = QLabel()
        self.follow_hint.setObjectName("hint")
        self.follow_what = QLineEdit()
        self.follow_what.setPlaceholderText("what is due")
        self.vendor_promise = QCheckBox("Vendor's p&romise")
        self.vendor_promise.setToolTip("Checked: the vendor promised this. Unchecked: your own to-do.")
        self.follow_done = QCheckBox("Done")
        follow_row = QHBoxLayout()
        follow_row.setContentsMargins(0, 0, 0, 0)
        follow_row.addWidget(self.follow_due, 3)
        follow_row.addWidget(self.follow_hint, 2)
        follow_flags = QHBoxLayout()
        follow_flags.setContentsMargins(0, 0, 0, 0)
        follow_flags.addWidget(self.vendor_promise)
        follow_flags.addWidget(self.follow_done)
        follow_flags.addStretch(1)
        self.follow_done.setVisible(not compact)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setVisible(False)
        self.error.setAccessibleName("Error")

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        def row(label: str, field: Any, buddy: QWidget) -> None:
            lab = QLabel(label)
            lab.setBuddy(buddy)
            form.addRow(lab, field)
            buddy.setAccessibleName(label.replace("&", ""))

        row("&Vendor", self.vendor, self.vendor)
        row("&Summary", self.summary, self.summary)
        form.addRow(QLabel("Tag"), tags)
        row("&When", when_row, self.when)
        row("&Channel", chan_row, self.channel)
        self.direction.setAccessibleName("Direction")
        row("&Quality", quality_row, self.quality)
        row("Cont&acts", self.contacts, self.contacts)
        row("To&pics", self.topics, self.topics)
        row("N&otes", self.notes, self.notes)
        row("Follow-&up", follow_row, self.follow_due)
        form.addRow("", self.follow_what)
        form.addRow("", follow_flags)
        form.addRow(self.error)

        self.setTabOrder(self.vendor, self.summary)
        self.setTabOrder(self.summary, self.helpful)
        self.setTabOrder(self.helpful, self.transactional)
        self.setTabOrder(self.transactional, self.when)
        self.setTabOrder(self.when, self.channel)
        self.setTabOrder(self.channel, self.direction)
        self.setTabOrder(self.direction, self.quality)
        self.setTabOrder(self.quality, self.contacts)
        self.setTabOrder(self.contacts, self.topics)
        self.setTabOrder(self.topics, self.notes)
        self.setTabOrder(self.notes, self.follow_due)
        self.setTabOrder(self.follow_due, self.follow_what)
        self.setTabOrder(self.follow_what, self.vendor_promise)

        for w in (self.vendor, self.summary, self.when, self.contacts, self.topics, self.follow_due, self.follow_what):
            w.textChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        for c in (self.channel, self.direction, self.quality):
            c.currentIndexChanged.connect(self._changed)
        for b in (self.helpful, self.transactional, self.vendor_promise, self.follow_done):
            b.toggled.connect(self._changed)
        self.when.textChanged.connect(self._update_hints)
        self.follow_due.textChanged.connect(self._update_hints)
        self.vendor.editingFinished.connect(lambda: self.vendor_chosen.emit(self.vendor.text()))
        self._update_hints()

    # -- vocabulary for completion -------------------------------------------------------
    def set_vendor_names(self, names: list[str]) -> None:
        self._vendor_model.setStringList(names)

    def set_contact_names(self, names: list[str]) -> None:
        self.contacts_completer.set_words(names)

    def set_topics(self, topics: list[str]) -> None:
        self.topics_completer.set_words(topics)

    # -- values --------------------------------------------------------------------------
    def tag_value(self) -> str:
        if self.helpful.isChecked():
            return "helpful"
        if self.transactional.isChecked():
            return "transactional"
        return ""

    def set_tag(self, tag: str) -> None:
        self.tag_group.setExclusive(False)
        self.helpful.setChecked(tag == "helpful")
        self.transactional.setChecked(tag == "transactional")
        self.tag_group.setExclusive(True)

    def to_request(self) -> LogRequest:
        q = self.quality.currentText()
        return LogRequest(
            vendor=self.vendor.text().strip(),
            summary=self.summary.text(),
            tag=self.tag_value(),
            notes=self.notes.toPlainText(),
            channel=self.channel.currentText(),
            direction=str(self.direction.currentData()),
            at=self.when.text().strip() or "now",
            contacts=split_list(self.contacts.text()),
            topics=split_list(self.topics.text()),
            quality=None if q == "–" else int(q),
            follow_up=self.follow_due.text().strip() or None,
            follow_up_text=self.follow_what.text(),
            vendor_promise=self.vendor_promise.isChecked(),
        )

    def fields(self) -> dict[str, Any]:
        """Everything typed, as plain values (for the on-disk draft)."""
        return {
            "vendor": self.vendor.text(), "summary": self.summary.text(), "tag": self.tag_value(),
            "when": self.when.text(), "channel": self.channel.currentText(),
            "direction": self.direction.currentData(), "quality": self.quality.currentText(),
            "contacts": self.contacts.text(), "topics": self.topics.text(),
            "notes": self.notes.toPlainText(), "follow_due": self.follow_due.text(),
            "follow_what": self.follow_what.text(), "vendor_promise": self.vendor_promise.isChecked(),
        }

    def load_fields(self, f: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.vendor.setText(str(f.get("vendor", "")))
            self.summary.setText(str(f.get("summary", "")))
            self.set_tag(str(f.get("tag", "")))
            self.when.setText(str(f.get("when", "now")))
            self.channel.setCurrentText(str(f.get("channel", "other")))
            idx = self.direction.findData(f.get("direction", "out"))
            self.direction.setCurrentIndex(max(0, idx))
            self.quality.setCurrentText(str(f.get("quality", "–")))
            self.contacts.setText(str(f.get("contacts", "")))
            self.topics.setText(str(f.get("topics", "")))
            self.notes.setPlainText(str(f.get("notes", "")))
            self.follow_due.setText(str(f.get("follow_due", "")))
            self.follow_what.setText(str(f.get("follow_what", "")))
            self.vendor_promise.setChecked(bool(f.get("vendor_promise", False)))
            for edit in (self.vendor, self.summary, self.contacts, self.topics, self.follow_what):
                edit.setCursorPosition(0)  # long text shows its start, not its end
                edit.setToolTip(edit.text() if edit.fontMetrics().horizontalAdvance(edit.text()) > 300 else "")
        finally:
            self._loading = False
        self.show_error("")

    def load_interaction(self, item: Interaction, vendor_display: str | None = None) -> None:
        fmt = "%Y-%m-%d %H:%M"
        fu = item.follow_up
        self.load_fields({
            "vendor": item.vendor_name, "summary": item.summary, "tag": item.tag.value,
            "when": item.occurred_at.astimezone().strftime(fmt), "channel": item.channel.value,
            "direction": item.direction.value,
            "quality": str(item.quality) if item.quality else "–",
            "contacts": ", ".join(c.name for c in item.contacts), "topics": ", ".join(item.topics),
            "notes": item.notes, "follow_due": fu.due.isoformat() if fu else "",
            "follow_what": fu.what if fu else "",
            "vendor_promise": bool(fu and fu.owner.value == "vendor"),
        })
        self._loading = True
        self.follow_done.setChecked(bool(fu and fu.done_at))
        self._loading = False

    def has_typed_text(self) -> bool:
        return bool(self.summary.text().strip() or self.notes.toPlainText().strip()
                    or self.follow_what.text().strip())

    def clear(self, keep: tuple[str, ...] = ("channel", "direction")) -> None:
        kept = {k: v for k, v in self.fields().items() if k in keep}
        self.load_fields({"when": "now", **kept})

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def quietly(self, change: Any) -> None:
        """Run a change that is not the rep's edit (formatting, reloads) without emitting edited."""
        was = self._loading
        self._loading = True
        try:
            change()
        finally:
            self._loading = was

    # -- internals -----------------------------------------------------------------------
    def _changed(self) -> None:
        if not self._loading:
            if self.error.isVisible():
                self.show_error("")  # the rep is fixing it: an old error would now be wrong
            self.edited.emit()

    def _update_hints(self) -> None:
        now = local_now()
        text = self.when.text().strip()
        try:
            moment: datetime = parse_when(text, now) if text else now
            local = moment.astimezone()
            self.when_hint.setText(local.strftime("%a %d %b %H:%M"))
            self.when_hint.setToolTip(local.strftime(date_format()[0]))
            self.when_hint.setStyleSheet("")
        except PartnerdeskError:
            self.when_hint.setText("not a time I can read")
            self.when_hint.setStyleSheet("color: #c62828;")
        due = self.follow_due.text().strip()
        if not due:
            self.follow_hint.setText("")
            return
        try:
            self.follow_hint.setText(parse_day(due, now.date()).strftime("%a %d %b %Y"))
            self.follow_hint.setStyleSheet("")
        except PartnerdeskError:
            self.follow_hint.setText("not a date I can read")
            self.follow_hint.setStyleSheet("color: #c62828;")
