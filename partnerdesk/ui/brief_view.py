"""The meeting brief on one screen: what to know about a vendor before meeting them.

The same data (services.brief.brief_data) makes the PDF (Save as PDF…, built on a worker,
then one click opens it in the system viewer) and a printable document (Print… renders the
brief as a QTextDocument through the system print dialog).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QSettings,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.action_items import ActionItem
from partnerdesk.domain.models import Interaction
from partnerdesk.domain.vocab import Tag
from partnerdesk.services import followup_text
from partnerdesk.ui.charts import HealthChart, band_colour, period_label, score_text
from partnerdesk.ui.form_dialog import error_colour, error_line
from partnerdesk.ui.formatting import date_format
from partnerdesk.ui.health_common import (
    BandChip,
    BusyIndicator,
    Loader,
    RefreshOnChange,
    band_name,
    heading,
    journal_of,
    page_scroll,
)
from partnerdesk.ui.report_export import SavedPdfBar
from partnerdesk.ui.table_models import RowsTableModel

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from partnerdesk.services.brief import BriefData
    from partnerdesk.ui.session import JournalSession

REFRESH_ON = ("interaction", "vendor", "contact", "event", "question", "settings")


def load_brief(session: JournalSession, vendor_id: int) -> BriefData:
    """Runs on a worker thread."""
    from partnerdesk.services.brief import brief_data

    return brief_data(journal_of(session), vendor_id)


def _day(d: date) -> str:
    return d.strftime(date_format()[1])


def _when(i: Interaction) -> str:
    return i.occurred_at.astimezone().strftime(date_format()[1])


def _due(i: ActionItem, today: date) -> tuple[str, bool]:
    overdue = i.is_overdue(today)
    text = _day(i.due) + (" · overdue" if overdue else " · today" if i.due == today else "")
    if i.snoozed_until is not None:
        text += f" · snoozed until {_day(i.snoozed_until)}"
    return text, overdue


def _with_items(data: BriefData, i: Interaction) -> str:
    """A recent interaction's summary and every action item it holds, each with its state."""
    items = data.recent_items.get(i.id, ())
    if not items:
        return i.summary
    return i.summary + " — " + "; ".join(
        followup_text.item_line(item, data.today, _day) for item in items)


def _before_after_parts(data: BriefData, event: Any) -> list[str]:
    """['helpful share 52% → 29% (down, beyond chance)', …] for an event of the brief."""
    from partnerdesk.services.health import before_after_lines

    for e, ba in data.before_after:
        if e.id == event.id:
            return [f"{m.lower()} {b.split(' (')[0]} → {a.split(' (')[0]} ({v})"
                    for m, b, a, v in before_after_lines(ba)[:3] if "no data" not in (b, a)]
    return []


def _before_after_words(data: BriefData, event: Any) -> str:
    """' — since then: helpful share 52% → 29% (down, beyond chance); …'"""
    parts = _before_after_parts(data, event)
    return (" — since then: " + "; ".join(parts)) if parts else ""


def _before_after_sentences(data: BriefData) -> list[str]:
    """For the health box, where they are read whole (the events table cuts its text)."""
    out = []
    for e in data.events:
        parts = _before_after_parts(data, e)
        if parts:
            out.append(f"Before → after the {e.kind.value} on {_day(e.on)}: " + "; ".join(parts)
                       + ".")
    return out


def _score_change(data: BriefData) -> str:
    cur = data.current.score if data.current is not None else None
    if cur is None or data.previous_score is None:
        return "no earlier quarter to compare"
    delta = cur - data.previous_score
    if abs(delta) < 0.5:
        return f"▶ steady on the quarter before ({data.previous_score:.0f})"
    arrow, word = ("▲", "up") if delta > 0 else ("▼", "down")
    return f"{arrow} {word} {abs(delta):.0f} on the quarter before ({data.previous_score:.0f})"


class _Rows(RowsTableModel):
    """Ready-made text rows; a row can be marked (said in words too) to draw it in red."""

    def __init__(self, headers: Sequence[str], parent: Any = None):
        super().__init__(parent, headers=headers)
        self.marked: list[bool] = []

    def set_rows(self, rows: Sequence[tuple[str, ...]], marked: Sequence[bool] | None = None) -> None:
        self.marked = list(marked) if marked is not None else [False] * len(rows)
        super().set_rows(rows)

    def foreground(self, row: int, column: int) -> Any:
        if self.marked[row] and column == 0:
            from PySide6.QtGui import QColor

            return QColor(error_colour())
        return None


class _Section(QFrame):
    """A titled box with a table (or a note when there is nothing to list)."""

    def __init__(self, title: str, headers: Sequence[str], stretch: int, empty: str):
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = heading(title)
        self.model = _Rows(headers, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(title)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.empty_text = empty
        self.note = QLabel("Loading…")  # the empty sentence only once the brief has been read
        self.note.setWordWrap(True)
        self.more = QLabel()
        self.more.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 8)
        box.addWidget(self.title)
        box.addWidget(self.view)
        box.addWidget(self.note)
        box.addWidget(self.more)
        box.addStretch(1)

    def fill(self, rows: Sequence[tuple[str, ...]], marked: Sequence[bool] | None = None,
             title: str | None = None, more: str = "") -> None:
        if title:
            self.title.setText(title)
        self.model.set_rows(rows, marked)
        self.view.setVisible(bool(rows))
        self.note.setText(self.empty_text)
        self.note.setVisible(not rows)
        self.more.setText(more)
        self.more.setVisible(bool(more))
        h = self.view.horizontalHeader().sizeHint().height()
        h += len(rows) * self.view.verticalHeader().defaultSectionSize()
        self.view.setFixedHeight(h + 2)


class BriefView(QWidget):
    """A vendor's meeting brief; Save as PDF… and Print… make paper of it."""

    saved = Signal(str)  # the PDF's path, once written

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.data: BriefData | None = None
        self.setObjectName("briefView")
        self.setWindowTitle("Meeting brief — partnerdesk")

        # -- header ---------------------------------------------------------------------
        self.title = heading("", 1.5)
        self.title.setAccessibleName("Vendor")
        self.subtitle = QLabel()
        self.busy = BusyIndicator("Preparing…")
        self.pdf_busy = BusyIndicator("Writing the PDF…")
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.setToolTip("A one-to-two-page PDF of this brief, to take along or print")
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip("Print this brief")
        self.print_button.clicked.connect(self.print_brief)
        for b in (self.save_button, self.print_button):
            b.setAutoDefault(False)
            b.setEnabled(False)
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(self.busy)
        top.addWidget(self.pdf_busy)
        top.addWidget(self.save_button)
        top.addWidget(self.print_button)

        # the PDF is saved: where, and a one-click open
        self.saved_bar = SavedPdfBar("Open it in the system PDF viewer, to read or print")

        # -- health ---------------------------------------------------------------------
        self.score = heading("—", 2.2)
        self.score.setAccessibleName("Score")
        self.band = BandChip()
        self.band.setAccessibleName("Band")
        self.quarter = QLabel()
        self.trend = QLabel()
        self.trend.setAccessibleName("Trend")
        self.overdue = QLabel()
        self.overdue.setAccessibleName("Overdue promises")
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.RichText)
        self.why.setAccessibleName("Why the score is what it is")
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = HealthChart()
        self.chart.setMinimumHeight(190)
        self.chart.setMaximumHeight(240)
        score_row = QHBoxLayout()
        score_row.addWidget(self.score)
        score_row.addSpacing(6)
        score_row.addWidget(self.band, 0, Qt.AlignmentFlag.AlignVCenter)
        score_row.addSpacing(10)
        facts = QVBoxLayout()
        facts.addWidget(self.quarter)
        facts.addWidget(self.trend)
        score_row.addLayout(facts)
        score_row.addStretch(1)
        health_text = QVBoxLayout()
        health_text.addWidget(heading("Health"))
        health_text.addLayout(score_row)
        health_text.addWidget(self.overdue)
        health_text.addWidget(self.why)
        health_text.addStretch(1)
        health = QFrame()
        health.setFrameShape(QFrame.Shape.StyledPanel)
        health_row = QHBoxLayout(health)
        health_row.setContentsMargins(8, 6, 8, 8)
        health_row.addLayout(health_text, 2)
        chart_box = QVBoxLayout()
        self.chart_title = heading("Last 12 months")
        chart_box.addWidget(self.chart_title)
        chart_box.addWidget(self.chart)
        health_row.addLayout(chart_box, 3)

        # -- sections -------------------------------------------------------------------
        self.recent = _Section("Last 10 interactions", ["When", "Tag", "Channel", "Summary"], 3,
                               "No interactions logged with this vendor yet.")
        self.promises = _Section("Open vendor promises", ["Due", "What"], 1,
                                 "The vendor owes you nothing right now.")
        self.todos = _Section("My open to-dos", ["Due", "What"], 1, "Nothing open on your side.")
        self.contacts = _Section("Contacts who changed lately", ["When", "Who", "Change"], 1,
                                 "No one joined or left in the last six months.")
        self.events = _Section("Recent events", ["When", "Kind", "What happened"], 2,
                               "No events in the last twelve months.")
        self.questions = _Section("Unanswered partnership questions", ["Question"], 0,
                                  "Every partnership question has an answer.")
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        # Three columns, so that on a 1080p screen the whole brief fits without scrolling.
        grid.addWidget(self.recent, 0, 0, 1, 3)
        grid.addWidget(self.promises, 1, 0)
        grid.addWidget(self.todos, 1, 1)
        grid.addWidget(self.events, 1, 2)
        grid.addWidget(self.contacts, 2, 0)
        grid.addWidget(self.questions, 2, 1, 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)

        page = QWidget()
        page_box = QVBoxLayout(page)
        page_box.setContentsMargins(0, 0, 4, 0)
        page_box.addWidget(health)
        page_box.addLayout(grid)
        page_box.addStretch(1)
        scroll = page_scroll(page)

        self.error = error_line()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.saved_bar)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)

        self.loader = Loader(self.busy, self.show_error, self)
        self.pdf_loader = Loader(self.pdf_busy, self._pdf_failed, self)
        self._watch = RefreshOnChange(session, self, REFRESH_ON, self.refresh)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(1100, 860)

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        session, vid = self.session, self.vendor_id
        self.loader.run(lambda: load_brief(session, vid), self._show)

    def _show(self, data: BriefData) -> None:
        self.show_error("")
        self.data = data
        v = data.vendor
        self.setWindowTitle(f"Meeting brief: {v.display_name} — partnerdesk")
        self.title.setText(v.display_name)
        bits = [f"Meeting brief · {_day(data.today)}"]
        if v.programme:
            bits.append(v.programme + (f" ({v.tier})" if v.tier else ""))
        if v.acquirer_name:
            bits.append(f"acquired by {v.acquirer_name}"
                        + (f" on {_day(v.acquired_on)}" if v.acquired_on else ""))
        self.subtitle.setText(" · ".join(bits))
        for b in (self.save_button, self.print_button):
            b.setEnabled(True)

        cur = data.current
        score = cur.score if cur is not None else None
        self.score.setText(score_text(score))
        self.band.set_band(cur.band if cur else None)
        self.quarter.setText(data.current_label if cur is not None else "No score yet")
        self.trend.setText(_score_change(data) if cur is not None else "")
        # The one definition of overdue (their promises, Promise.is_overdue), dated; and what
        # the score rests on.
        as_of = _day(data.today)
        n = data.overdue_promises
        if n:
            self.overdue.setText(f"{n} of their promises overdue as of {as_of}")
            self.overdue.setStyleSheet(f"color: {error_colour()}; font-weight: bold;")
        else:
            self.overdue.setText(f"None of their promises overdue as of {as_of}")
            self.overdue.setStyleSheet("")
        if cur is not None:
            from partnerdesk.services.health import evidence_text

            rests = evidence_text(cur.evidence_interactions, cur.evidence_promises)
            self.quarter.setText(f"{self.quarter.text()} · the score {rests}")
        why = [*data.why, *_before_after_sentences(data)]
        if why:
            self.why.setText("<ul style='margin-left:-20px'>"
                             + "".join(f"<li>{escape(s)}</li>" for s in why) + "</ul>")
        else:
            self.why.setText("No interactions to score yet.")
        self.chart.set_points(list(data.months), empty_text="No interactions in the last 12 months")
        self.chart.set_events(list(data.events))

        today = data.today
        self.recent.fill([(_when(i), i.tag.value, i.channel.value, _with_items(data, i))
                          for i in data.recent])
        for section, items, total, label in ((self.promises, data.promises, data.promises_open,
                                              "Open vendor promises"),
                                             (self.todos, data.todos, data.todos_open, "My open to-dos")):
            rows, marks = [], []
            for i in items:
                due, overdue = _due(i, today)
                rows.append((due, i.what or "(no text)"))
                marks.append(overdue)
            more = f"and {total - len(items)} more (see Follow-ups)" if total > len(items) else ""
            section.fill(rows, marks, title=f"{label} ({total})", more=more)
        self.contacts.fill([(_day(ch.on), f"{ch.contact.name} ({ch.contact.role.value})", ch.change)
                            for ch in data.contact_changes])
        self.events.fill([(_day(e.on), e.kind.value, e.text + _before_after_words(data, e))
                          for e in data.events])
        self.questions.fill([(q,) for q in data.unanswered],
                            title=f"Unanswered partnership questions ({len(data.unanswered)})")
        if not data.questions:
            self.questions.note.setText("No partnership questions recorded for this vendor.")
        else:
            self.questions.note.setText(self.questions.empty_text)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -- paper ---------------------------------------------------------------------------
    def suggested_path(self) -> Path:
        folder = Path(str(QSettings().value("reports/folder", str(Path.home()))))
        name = self.data.vendor.name if self.data else f"vendor-{self.vendor_id}"
        safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in name).strip() or "vendor"
        day = (self.data.today if self.data else date.today()).isoformat()
        return folder / f"Brief {safe} {day}.pdf"

    def save_pdf(self, out: Path | None = None, paper: str | None = None) -> None:
        """Ask where (unless told), then build the PDF on a worker; `saved` says when."""
        from partnerdesk.ui.report_export import ask_pdf_path, default_paper

        if out is None:
            out = ask_pdf_path(self, "Save meeting brief", self.suggested_path().stem)
            if out is None:
                return
        QSettings().setValue("reports/folder", str(Path(out).parent))
        if paper is None:
            paper = default_paper()
        session, vid, target, size = self.session, self.vendor_id, Path(out), paper

        def build() -> Path:
            from partnerdesk.services.brief import build_brief

            return Path(build_brief(journal_of(session), vid, target, paper=size))

        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.pdf_loader.run(build, self._pdf_saved)

    def _pdf_saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        self.save_button.setText("&Save as PDF…")
        self.saved_bar.show_saved(path)
        self.saved_bar.open_button.setFocus()
        self.saved.emit(str(path))

    def _pdf_failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.save_button.setText("&Save as PDF…")
        self.show_error(f"{message} No PDF was written.")

    def document(self) -> QTextDocument:
        """The brief as a printable document (what Print… sends to the printer)."""
        doc = QTextDocument()
        font = QFont(self.font())
        font.setPointSizeF(10)
        doc.setDefaultFont(font)
        doc.setHtml(brief_html(self.data) if self.data else "")
        return doc

    def print_to(self, printer: QPrinter) -> None:
        self.document().print_(printer)

    def print_brief(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.data is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Meeting brief {self.data.vendor.display_name}")
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print meeting brief")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)


def brief_html(d: BriefData) -> str:
    """The brief as simple HTML for QTextDocument: black on white, whatever the screen's theme."""
    e = escape
    today = d.today
    cur = d.current
    parts = [f"<h2>{e(d.vendor.display_name)}</h2>",
             f"<p>Meeting brief · {e(_day(today))}</p>"]
    if cur is not None and cur.score is not None:
        colour = band_colour(cur.band, dark=False).name()
        parts.append(f"<p><b style='font-size:16pt'>{cur.score:.0f}</b> "
                     f"<b style='color:{colour}'>{e(band_name(cur.band))}</b> · {e(d.current_label)}"
                     f" · {e(_score_change(d))}</p>")
    else:
        parts.append("<p>No score yet.</p>")
    # The one definition of overdue (their promises), dated, as on the screen and in the PDF.
    n = d.overdue_promises
    parts.append(f"<p><b>{n} of their promises overdue as of {e(_day(today))}</b></p>" if n
                 else f"<p>None of their promises overdue as of {e(_day(today))}</p>")
    why = [*d.why, *_before_after_sentences(d)]
    if why:
        parts.append("<ul>" + "".join(f"<li>{e(s)}</li>" for s in why) + "</ul>")
    trend = [f"{e(period_label(p))}: {score_text(p.score)}" for p in d.months]
    if trend:
        parts.append("<p><b>Monthly scores:</b> " + " · ".join(trend) + "</p>")

    def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], empty: str) -> None:
        parts.append(f"<h3>{e(title)}</h3>")
        if not rows:
            parts.append(f"<p><i>{e(empty)}</i></p>")
            return
        head = "".join(f"<th align='left'>{e(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
        parts.append(f"<table cellspacing='0' cellpadding='3' width='100%'><tr>{head}</tr>{body}</table>")

    table("Last 10 interactions", ["When", "Tag", "Summary"],
          [(_when(i), "helpful" if i.tag is Tag.HELPFUL else "transactional", _with_items(d, i))
           for i in d.recent], "No interactions yet.")
    table(f"Open vendor promises ({d.promises_open})", ["Due", "What"],
          [(_due(i, today)[0], i.what or "(no text)") for i in d.promises], "None.")
    table(f"My open to-dos ({d.todos_open})", ["Due", "What"],
          [(_due(i, today)[0], i.what or "(no text)") for i in d.todos], "None.")
    table("Contacts who changed lately", ["When", "Who", "Change"],
          [(_day(c.on), f"{c.contact.name} ({c.contact.role.value})", c.change)
           for c in d.contact_changes], "No one joined or left in the last six months.")
    table("Recent events", ["When", "Kind", "What happened"],
          [(_day(ev.on), ev.kind.value, ev.text) for ev in d.events], "None in the last twelve months.")
    table("Unanswered partnership questions", ["Question"], [(q,) for q in d.unanswered],
          "Every partnership question has an answer.")
    return "\n".join(parts)
