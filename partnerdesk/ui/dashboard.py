"""One vendor's relationship health: score now and over time, helpful vs transactional, why the
score is what it is, and what changed around an event (did things get worse after the buyout?).

Everything is computed off the UI thread (services.health) and drawn when it arrives; a busy
indicator appears only for work that takes over half a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.health_types import (
    BeforeAfter,
    BeforeAfterSide,
    HealthPoint,
    Period,
)
from partnerdesk.domain.models import Vendor, VendorEvent
from partnerdesk.ui.charts import HealthChart, StackedBars, link, period_label, score_text
from partnerdesk.ui.form_dialog import error_line
from partnerdesk.ui.formatting import date_format
from partnerdesk.ui.health_common import (
    BandChip,
    BusyIndicator,
    Loader,
    RefreshOnChange,
    band_name,
    change_colour,
    heading,
    journal_of,
    page_scroll,
    trend_text,
)
from partnerdesk.ui.table_models import RowsTableModel, read_only_table

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal
    from partnerdesk.ui.session import JournalSession

_Index = QModelIndex | QPersistentModelIndex
PERIODS = [(Period.WEEK, "Week"), (Period.MONTH, "Month"), (Period.QUARTER, "Quarter")]
REFRESH_ON = ("interaction", "vendor", "event", "settings")


@dataclass(frozen=True)
class DashboardData:
    vendor: Vendor
    events: list[VendorEvent]
    points: list[HealthPoint]


def load_dashboard(journal: Journal, vendor_id: int, period: Period) -> DashboardData:
    """What the dashboard shows; runs on a worker thread."""
    from partnerdesk.services.health import vendor_health

    vendor = journal.vendors.get(vendor_id)
    events = journal.events.for_vendor(vendor_id)
    points = vendor_health(journal, vendor_id, period=period)
    return DashboardData(vendor, events, list(points))


def load_before_after(journal: Journal, vendor_id: int, on: date, months: int) -> BeforeAfter:
    from partnerdesk.services.health import before_after

    return before_after(journal, vendor_id, on, months=months)


def explain_point(point: HealthPoint) -> list[str]:
    from partnerdesk.services.health import explain

    return list(explain(point))


def latest_scored(points: list[HealthPoint]) -> tuple[HealthPoint | None, HealthPoint | None]:
    """The newest period with a score, and the one with a score before it."""
    scored = [p for p in points if p.score is not None]
    return (scored[-1] if scored else None), (scored[-2] if len(scored) > 1 else None)


class _TextTable(RowsTableModel):
    """Rows of text; a cell's tooltip is its own text unless `_tips` says more."""

    numeric: tuple[int, ...] = ()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._tips: list[tuple[str, ...]] = []

    def text(self, row: int, column: int) -> str:
        return self.rows[row][column]

    def tooltip(self, row: int, column: int) -> Any:
        tips = self._tips[row] if row < len(self._tips) else ()
        return tips[column] if column < len(tips) and tips[column] else self.rows[row][column]

    def role_data(self, row: int, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BreakdownModel(_TextTable):
    """The score's components: value, weight after renormalising, what it adds, and why."""

    headers = ["Component", "Value", "Weight", "Adds", "Why"]
    numeric = (1, 2, 3)

    def set_point(self, point: HealthPoint | None) -> None:
        self.beginResetModel()
        comps = point.components if point is not None else ()
        self.rows = [(c.name, f"{c.value:.0f}", f"{100 * c.weight:.0f}%", f"{c.value * c.weight:.1f}",
                      c.detail) for c in comps]
        self._tips = [("", "", "Share of the score once components without data are left out",
                       "Value × weight: this component's part of the score", c.detail) for c in comps]
        self.endResetModel()


MEASURES = ["Helpful", "Contacts/month", "Promises kept", "Score", "Interactions"]
_SHORT = {"Helpful share": "Helpful", "Contacts a month": "Contacts/month",
          "Score at the end": "Score",  # the dock is narrow
          # economics (services/economics_component.py), when the vendor has ledger data
          "Registrations approved": "Approved", "Days to a decision (median)": "Days to decide",
          "Paid in full and on time": "Paid in full"}
# (Each range is an 80 % interval: see the tooltips and docs/health.md.)


class BeforeAfterModel(_TextTable):
    """Two sides of an event, measure by measure, each with its 80 % range (or "too little
    data"), and whether it changed beyond chance, said in words and colour."""

    headers = ["", "Before", "After", "Change"]
    numeric = (1, 2)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.result: BeforeAfter | None = None
        self.spans = ("", "")  # the two windows' dates, as text

    def set_result(self, result: BeforeAfter | None) -> None:
        from partnerdesk.services.health import before_after_lines

        self.beginResetModel()
        self.result = result
        self.rows, self._tips = [], []
        if result is not None:
            fmt = date_format()[1]

            def span(s: BeforeAfterSide) -> str:
                last = s.end - timedelta(days=1) if s.end > s.start else s.end
                return f"{s.start.strftime(fmt)} – {last.strftime(fmt)}"

            self.spans = (span(result.before), span(result.after))
            for measure, before, after, verdict in before_after_lines(result):
                self.rows.append((_SHORT.get(measure, measure), _compact(before),
                                  _compact(after), _verdict_text(verdict)))
                self._tips.append((measure, f"{before}; the range is an 80 % interval",
                                   f"{after}; the range is an 80 % interval",
                                   _verdict_tip(verdict)))
            b, a = result.before.interactions, result.after.interactions
            self.rows.append(("Interactions", f"{b:,}", f"{a:,}", ""))
            self._tips.append(("Interactions", "", "", ""))
        else:
            self.spans = ("", "")
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.column() == 3 and role in (Qt.ItemDataRole.ForegroundRole,
                                            Qt.ItemDataRole.FontRole):
            text = self.rows[index.row()][3]
            delta = -1.0 if text.startswith("▼") else 1.0 if text.startswith("▲") else None
            if delta is None:
                return None
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return change_colour(delta, True)
        return super().data(index, role)


def _compact(cell: str) -> str:
    """'18% (8–37%)' -> '18% (8–37)', '1.9/month (1.2–2.6)' -> '1.9 (1.2–2.6)', '(too little
    data)' -> '(too few)': the dock is narrow; the tooltip keeps the full words."""
    return (cell.replace("%)", ")").replace("/month", "")
            .replace("(too little data)", "(too few)"))


def _verdict_text(verdict: str) -> str:
    """Short words for the narrow dock; the tooltip and the sentence below say it in full."""
    if verdict.startswith("down"):
        return "▼ down"
    if verdict.startswith("up"):
        return "▲ up"
    if verdict == "no clear change":
        return "▶ unclear"
    if verdict.startswith("too little"):
        return "too few"
    if verdict.startswith(("slower", "faster")):  # days to a decision: no arrow, no colour
        return verdict.split(",")[0]
    return verdict


def _verdict_tip(verdict: str) -> str:
    if "beyond chance" in verdict:
        return "The two 80 % ranges do not overlap: this is unlikely to be chance"
    if verdict == "no clear change":
        return "The two 80 % ranges overlap: the difference could be chance"
    return "Fewer than 3 interactions (or promises) on a side: nothing to conclude"


def _table(model: QAbstractTableModel, name: str, stretch: int) -> QTableView:
    view = read_only_table(model, name, stretch)
    view.setShowGrid(False)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view


def _fit_rows(view: QTableView, rows: int) -> None:
    """As tall as `rows` rows and the header: these tables are read, not scrolled."""
    h = view.horizontalHeader().sizeHint().height() + rows * view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(h + 2 * view.frameWidth() + 2)


class VendorDashboard(QWidget):
    """A vendor's health: open it as a tab, a dock or its own window (it has a title)."""

    def __init__(self, session: JournalSession, vendor_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.vendor_id = vendor_id
        self.data: DashboardData | None = None
        self.selected: HealthPoint | None = None  # the period the breakdown explains
        self.setObjectName("vendorDashboard")
        self.setWindowTitle("Vendor health — partnerdesk")

        # -- header ---------------------------------------------------------------------
        self.title = heading("", 1.5)
        self.title.setAccessibleName("Vendor")
        self.score = heading("—", 2.2)
        self.score.setAccessibleName("Current score")
        self.score.setMinimumWidth(self.score.fontMetrics().horizontalAdvance("100") + 8)
        self.band = BandChip()
        self.band.setAccessibleName("Band")
        self.trend = QLabel()
        self.trend.setAccessibleName("Trend")
        self.as_of = QLabel()
        self.as_of.setAccessibleName("Period of the score")
        self.period = QComboBox()
        for value, text in PERIODS:
            self.period.addItem(text, value.value)
        saved = str(QSettings().value("dashboard/period", Period.MONTH.value))
        self.period.setCurrentIndex(max(0, self.period.findData(saved)))
        self.period.setAccessibleName("Period")
        period_label_ = QLabel("&Period:")
        period_label_.setBuddy(self.period)
        self.busy = BusyIndicator("Computing…")

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.busy)
        top.addSpacing(12)
        top.addWidget(period_label_)
        top.addWidget(self.period)
        facts = QHBoxLayout()
        facts.addWidget(self.score)
        facts.addSpacing(6)
        facts.addWidget(self.band, 0, Qt.AlignmentFlag.AlignVCenter)
        facts.addSpacing(12)
        facts.addWidget(self.trend, 0, Qt.AlignmentFlag.AlignVCenter)
        facts.addSpacing(12)
        facts.addWidget(self.as_of, 0, Qt.AlignmentFlag.AlignVCenter)
        facts.addStretch(1)

        # -- charts ---------------------------------------------------------------------
        self.chart = HealthChart()
        self.bars = StackedBars()
        link([self.chart, self.bars])
        self.chart.point_clicked.connect(self.select_point)
        self.bars.point_clicked.connect(self.select_point)
        hint = QLabel("Scroll to zoom, drag to pan, double-click to see everything; "
                      "click a period to explain it.")
        hint.setObjectName("hint")
        small = QFont(hint.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        hint.setFont(small)
        hint.setWordWrap(True)
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.setChildrenCollapsible(False)
        charts.addWidget(self.chart)
        charts.addWidget(self.bars)
        charts.setStretchFactor(0, 3)
        charts.setStretchFactor(1, 2)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(charts, 1)
        left_box.addWidget(hint)

        # -- why ------------------------------------------------------------------------
        self.why_title = heading("Why is it …?")
        self.why_period = QLabel()
        self.breakdown = BreakdownModel(self)
        self.breakdown_view = _table(self.breakdown, "Score breakdown", 4)
        self.breakdown_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.breakdown_view.setWordWrap(True)
        _fit_rows(self.breakdown_view, 4)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setAccessibleName("Explanation")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        # -- before / after -------------------------------------------------------------
        self.ba_title = heading("Before and after an event")
        self.event = QComboBox()
        self.event.setAccessibleName("Event")
        self.event.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event.setMinimumContentsLength(18)
        self.months = QSpinBox()
        self.months.setRange(1, 36)
        self.months.setValue(6)
        self.months.setSuffix(" months")
        self.months.setAccessibleName("Months before and after")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Event:", self.event)
        form.addRow("&Window:", self.months)
        self.ba_model = BeforeAfterModel(self)
        self.ba_view = _table(self.ba_model, "Before and after", 3)
        self.ba_spans = QLabel()
        self.ba_spans.setWordWrap(True)
        self.ba_spans.setAccessibleName("Before and after windows")
        self.ba_summary = QLabel()
        self.ba_summary.setWordWrap(True)
        self.ba_summary.setAccessibleName("Before and after, in words")
        self.ba_busy = BusyIndicator("Comparing…")

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(6, 0, 2, 0)
        right_box.addWidget(self.why_title)
        right_box.addWidget(self.why_period)
        right_box.addWidget(self.breakdown_view)
        right_box.addWidget(self.explanation)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        right_box.addSpacing(6)
        right_box.addWidget(line)
        ba_head = QHBoxLayout()
        ba_head.addWidget(self.ba_title, 1)
        ba_head.addWidget(self.ba_busy)
        right_box.addLayout(ba_head)
        right_box.addLayout(form)
        right_box.addWidget(self.ba_spans)
        right_box.addWidget(self.ba_view)
        right_box.addWidget(self.ba_summary)
        right_box.addStretch(1)
        scroll = page_scroll(right, sideways=False)
        scroll.setMinimumWidth(380)

        self.split = QSplitter()
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(left)
        self.split.addWidget(scroll)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setSizes([880, 460])

        self.error = error_line()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(facts)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.error)

        self.loader = Loader(self.busy, self.show_error, self)
        self.ba_loader = Loader(self.ba_busy, self.show_error, self)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.event.currentIndexChanged.connect(lambda _i: self.compare())
        self.months.valueChanged.connect(lambda _v: self.compare())
        self._watch = RefreshOnChange(session, self, REFRESH_ON, self.refresh)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(1280, 780)

    # -- loading -------------------------------------------------------------------------
    def current_period(self) -> Period:
        return Period(self.period.currentData())

    def refresh(self) -> None:
        period = self.current_period()
        session, vid = self.session, self.vendor_id
        self.loader.run(lambda: load_dashboard(journal_of(session), vid, period), self._show)

    def _period_changed(self) -> None:
        QSettings().setValue("dashboard/period", self.current_period().value)
        self.selected = None
        self.refresh()

    def _show(self, data: DashboardData) -> None:
        self.show_error("")
        previous = self.data
        self.data = data
        vendor = data.vendor
        self.setWindowTitle(f"{vendor.display_name} — health — partnerdesk")
        self.title.setText(vendor.display_name)
        period = self.current_period()
        self.chart.set_points(data.points, empty_text="No interactions with this vendor yet")
        self.chart.set_events(data.events)
        self.bars.set_points(data.points, empty_text="")
        now, before = latest_scored(data.points)
        if now is None:
            self.score.setText("—")
            self.band.set_band(None)
            self.trend.setText("")
            self.as_of.setText("No interactions to score yet.")
        else:
            self.score.setText(score_text(now.score))
            self.band.set_band(now.band)
            change = now.score - before.score if before is not None and before.score is not None \
                and now.score is not None else None
            self.trend.setText(trend_text(now.trend, change, period))
            from partnerdesk.services.health import evidence_text

            self.as_of.setText(f"for {period_label(now)} · "
                               f"{evidence_text(now.evidence_interactions, now.evidence_promises)}"
                               + (f" · {now.overdue_promises} of their promises overdue as of "
                                  f"{now.as_of.strftime(date_format()[1])}"
                                  if now.overdue_promises and now.as_of else ""))
            self.as_of.setToolTip("The newest period with a score; it rests on the interactions "
                                  "of the 12 months before its end and the vendor's promises "
                                  "(fewer than 3 interactions: no score)")
        self.score.setAccessibleDescription(self.as_of.text())
        # Keep explaining the period the rep picked, if it still exists; else the newest.
        keep = None
        if self.selected is not None:
            keep = next((p for p in data.points if p.start == self.selected.start), None)
        self.select_point(keep or now)
        self._fill_events(previous)

    def _fill_events(self, previous: DashboardData | None) -> None:
        current = self.event.currentData()
        events = sorted(self.data.events if self.data else [], key=lambda e: (e.on, e.id), reverse=True)
        fmt = date_format()[1]
        self.event.blockSignals(True)
        self.event.clear()
        for e in events:
            text = e.text if len(e.text) <= 40 else e.text[:39] + "…"
            self.event.addItem(f"{e.on.strftime(fmt)} · {e.kind.value}: {text}", e.id)
            self.event.setItemData(self.event.count() - 1, f"{e.on.strftime(fmt)} · {e.kind.value}\n{e.text}",
                                   Qt.ItemDataRole.ToolTipRole)
        if not events:
            self.event.addItem("No events recorded (add one on the vendor page)", None)
        self.event.setEnabled(bool(events))
        self.months.setEnabled(bool(events))
        row = self.event.findData(current) if current is not None else -1
        self.event.setCurrentIndex(max(row, 0))
        self.event.blockSignals(False)
        if previous is None or current != self.event.currentData() or not events \
                or self.ba_model.result is None:
            self.compare()

    def select_point(self, point: HealthPoint | None) -> None:
        """Explain this period in the 'Why is it …?' panel."""
        self.selected = point
        self.breakdown.set_point(point)
        if point is None:
            self.why_title.setText("Why is there no score?")
            self.why_period.setText("")
            self.explanation.setText("There are no interactions with this vendor to score yet.")
            return
        if point.score is None:
            self.why_title.setText("Why is there no score?")
            self.why_period.setText(period_label(point))
            self.explanation.setText(" ".join(explain_point(point)))
            return
        self.why_title.setText(f"Why is it {band_name(point.band)}?")
        self.why_period.setText(f"{period_label(point)} · score {score_text(point.score)}")
        try:
            sentences = explain_point(point)
        except Exception as exc:  # the explanation is a courtesy; never lose the chart over it
            sentences = [f"(No explanation: {exc})"]
        from html import escape

        self.explanation.setText("<ul style='margin-left:-20px'>"
                                 + "".join(f"<li>{escape(s)}</li>" for s in sentences) + "</ul>")
        _fit_rows(self.breakdown_view, max(1, len(point.components)))

    def compare(self) -> None:
        """Before/after for the chosen event and window."""
        event_id = self.event.currentData()
        event = next((e for e in (self.data.events if self.data else []) if e.id == event_id), None)
        if event is None:
            self.ba_loader.cancel()
            self.ba_model.set_result(None)
            self.ba_spans.setText("")
            self.ba_summary.setText("Record an event (an acquisition, a programme change…) to "
                                    "compare the months before it with the months after."
                                    if self.data is not None else "")
            self.chart.show_windows(None, None)
            return
        session, vid, months = self.session, self.vendor_id, self.months.value()
        self.ba_loader.run(lambda: load_before_after(journal_of(session), vid, event.on, months),
                           lambda r: self._show_before_after(r, event))

    def _show_before_after(self, result: BeforeAfter, event: VendorEvent) -> None:
        self.ba_model.set_result(result)
        _fit_rows(self.ba_view, self.ba_model.rowCount())
        self.ba_spans.setText(f"Before: {self.ba_model.spans[0]}\nAfter: {self.ba_model.spans[1]}")
        self.chart.show_windows((result.before.start, result.before.end),
                                (result.after.start, result.after.end))
        self.ba_summary.setText(self._summary(result, event))

    def _summary(self, r: BeforeAfter, event: VendorEvent) -> str:
        from partnerdesk.services.health import before_after_lines

        what = f"the {event.kind.value}" if event.kind.value != "other" else "the event"
        parts = []
        for measure, before, after, verdict in before_after_lines(r)[:3]:
            if "no data" in (before, after):
                continue
            name = {"Contacts a month": "contacts"}.get(measure, measure.lower())
            parts.append(f"{name} {before.split(' (')[0]} → {after.split(' (')[0]} "
                         f"({verdict})")
        if not parts:
            return f"Not enough interactions around {what} to compare."
        text = f"In the {r.months} months after {what}: " + "; ".join(parts) + "."
        return text[0].upper() + text[1:]

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def closeEvent(self, event: Any) -> None:
        self.loader.cancel()
        self.ba_loader.cancel()
        super().closeEvent(event)
