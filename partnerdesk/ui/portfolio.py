"""All active vendors side by side: score, band, trend, helpful share, last contact, overdue
promises and a small sparkline of recent periods. Sortable; a double-click opens a vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSettings,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPainterPath, QPalette, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.health_types import Band, Period, VendorHealth
from partnerdesk.domain.when import local_now
from partnerdesk.ui import workers
from partnerdesk.ui.charts import band_colour, is_dark, score_text
from partnerdesk.ui.form_dialog import error_colour, error_line
from partnerdesk.ui.formatting import date_format
from partnerdesk.ui.health_common import (
    BusyIndicator,
    Loader,
    RefreshOnChange,
    band_name,
    reader_journal,
    trend_text,
)

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal
    from partnerdesk.ui.session import JournalSession

_Index = QModelIndex | QPersistentModelIndex
VENDOR_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a number or a casefolded name; None sorts last
SPARK_ROLE = Qt.ItemDataRole.UserRole + 3  # the sparkline tuple, oldest first
BAND_ROLE = Qt.ItemDataRole.UserRole + 4

COL_VENDOR, COL_SCORE, COL_BAND, COL_TREND, COL_HELPFUL, COL_INTERACTIONS, COL_LAST, COL_OVERDUE, \
    COL_SPARK, COL_EVIDENCE = range(10)
HEADERS = ["Vendor", "Score", "Band", "Trend", "Helpful", "Interactions", "Last contact",
           "Overdue promises", "Recent periods", "Rests on"]
NUMERIC = {COL_SCORE, COL_HELPFUL, COL_INTERACTIONS, COL_OVERDUE, COL_EVIDENCE}
REFRESH_ON = ("interaction", "vendor", "event", "settings", "ledger")  # ledger: economics
PERIODS = [(Period.WEEK, "Week"), (Period.MONTH, "Month"), (Period.QUARTER, "Quarter")]


def health_colours(portfolio_rows: Sequence[VendorHealth]) -> dict[int, QColor]:
    """Band colours by vendor id, for VendorListModel.set_health (no score: left out, grey)."""
    dark = is_dark()
    return {r.vendor_id: band_colour(r.band, dark) for r in portfolio_rows if r.band is not None}


def load_portfolio(journal: Journal, period: Period = Period.QUARTER, include_archived: bool = False
                   ) -> list[VendorHealth]:
    """Runs on a worker thread."""
    from partnerdesk.services.health import portfolio

    return list(portfolio(journal, period=period, include_archived=include_archived))


def start_health_colours(session: JournalSession, on_done: Callable[[dict[int, QColor]], None],
                         period: Period = Period.QUARTER) -> workers.Job:
    """Compute the vendor list's health dots off the UI thread:
    `start_health_colours(session, window.vendor_model.set_health)`."""
    return workers.start(lambda _t, _r: load_portfolio(reader_journal(session), period, include_archived=True),
                         on_done=lambda rows: on_done(health_colours(rows)))


def keep_names_whole(view: QTableView, col: int, most_chars: int = 32) -> None:
    """A stretching name column squeezed under its names (a small screen, 2x) gets its content
    width instead, and the table scrolls sideways: 'Blue…' told the rep nothing."""
    header = view.horizontalHeader()
    others = sum(view.columnWidth(c) for c in range(header.count()) if c != col)
    wanted = min(view.sizeHintForColumn(col), view.fontMetrics().averageCharWidth() * most_chars)
    if view.viewport().width() - others < wanted:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        view.setColumnWidth(col, wanted)


class PortfolioModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[VendorHealth] = []
        self._texts: list[tuple[str, ...]] = []
        self.period = Period.QUARTER

    def set_rows(self, rows: Sequence[VendorHealth], period: Period = Period.QUARTER) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.period = period
        fmt = date_format()[1]
        texts = []
        for r in self.rows:
            last = r.last_contact.astimezone().strftime(fmt) if r.last_contact else "never"
            texts.append((r.display_name, score_text(r.score), band_name(r.band),
                          trend_text(r.trend, r.change).replace(" on the previous", "") if r.trend else "—",
                          "—" if r.helpful_pct is None else f"{r.helpful_pct:.0f}%",
                          f"{r.interactions:,}", last,
                          f"{r.overdue_promises:,}" if r.overdue_promises else "—", "",
                          f"{r.evidence_interactions:,} + {r.evidence_promises:,}"))
        self._texts = texts
        self.endResetModel()

    def row_of(self, vendor_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.vendor_id == vendor_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == COL_SPARK:
                return f"Last {self.period.value}s"
            if section == COL_INTERACTIONS:
                return f"This {self.period.value}"
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {COL_SCORE: f"Health score of the newest {self.period.value} with interactions (0-100)",
                    COL_TREND: f"Against the previous {self.period.value} with a score",
                    COL_HELPFUL: "Share of interactions tagged helpful",
                    COL_INTERACTIONS: f"Interactions this {self.period.value}",
                    COL_OVERDUE: "The vendor's promises still open after their due date, as of "
                                 "today",
                    COL_SPARK: f"Score per {self.period.value}, oldest on the left; gaps have no data",
                    COL_EVIDENCE: "What the score rests on: interactions in the last 12 months + "
                                  "vendor promises; fewer than 3 interactions, no score",
                    }.get(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][col]
        if role == SORT_ROLE:
            return {COL_VENDOR: r.display_name.casefold(), COL_SCORE: r.score,
                    COL_BAND: None if r.score is None else r.score, COL_TREND: r.change,
                    COL_HELPFUL: r.helpful_pct, COL_INTERACTIONS: r.interactions,
                    COL_LAST: r.last_contact.timestamp() if r.last_contact else None,
                    COL_OVERDUE: r.overdue_promises,
                    COL_SPARK: next((v for v in reversed(r.sparkline) if v is not None), None),
                    COL_EVIDENCE: r.evidence_interactions}[col]
        if role == VENDOR_ID_ROLE:
            return r.vendor_id
        if role == SPARK_ROLE:
            return r.sparkline
        if role == BAND_ROLE:
            return r.band
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_BAND and r.band is not None:
                return band_colour(r.band)
            if col == COL_OVERDUE and r.overdue_promises:
                return QColor(error_colour())
        if role == Qt.ItemDataRole.DecorationRole and col == COL_BAND:
            return band_colour(r.band)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_LAST and r.last_contact:
                days = (local_now().date() - r.last_contact.astimezone().date()).days
                return f"{days:,} day{'s' if days != 1 else ''} ago"
            if col == COL_SPARK:
                vals = ", ".join(score_text(v) for v in r.sparkline)
                return f"Score per {self.period.value}, oldest first: {vals}"
            if col == COL_TREND and r.trend:
                return trend_text(r.trend, r.change, self.period)
            if col in (COL_SCORE, COL_BAND, COL_EVIDENCE):
                from partnerdesk.services.health import evidence_text

                rests = evidence_text(r.evidence_interactions, r.evidence_promises)
                why = "\n".join(f"• {line}" for line in r.reasons[:4])
                return f"The score {rests} (the last 12 months)" + (f"\n{why}" if why else "")
            return self._texts[index.row()][col]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col == COL_SPARK:
                return "Scores, oldest first: " + ", ".join(score_text(v) for v in r.sparkline)
            return self._texts[index.row()][col]
        return None


class PortfolioProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE with rows that have no value last, whichever way round; filters by name."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(COL_VENDOR)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            if a is None and b is None:
                return left.row() < right.row()
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return (a is None) == descending
        if a == b:  # ties: by name, so the order is stable and readable
            na = left.siblingAtColumn(COL_VENDOR).data(SORT_ROLE)
            nb = right.siblingAtColumn(COL_VENDOR).data(SORT_ROLE)
            return bool(na < nb) != (self.sortOrder() == Qt.SortOrder.DescendingOrder)
        return bool(a < b)


class SparklineDelegate(QStyledItemDelegate):
    """A polyline of the recent scores on a 0-100 scale, broken where a period has no score,
    with faint lines at the band edges and the newest point as a dot in its band colour."""

    def __init__(self, parent: Any = None, amber_from: float = 40.0, green_from: float = 70.0):
        super().__init__(parent)
        self.edges = (amber_from, green_from)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(120, option.fontMetrics.height() + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, option.widget)
        values: Sequence[float | None] = index.data(SPARK_ROLE) or ()
        if not values:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fg = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = QRectF(option.rect).adjusted(6, 4, -8, -4)
        n = len(values)

        def at(i: int, v: float) -> QPointF:
            x = rect.left() + (rect.width() * (i / (n - 1)) if n > 1 else rect.width() / 2)
            return QPointF(x, rect.bottom() - rect.height() * max(0.0, min(100.0, v)) / 100.0)

        guide = QColor(fg)
        guide.setAlphaF(0.18)
        painter.setPen(QPen(guide, 1, Qt.PenStyle.DotLine))
        for edge in self.edges:
            y = rect.bottom() - rect.height() * edge / 100.0
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        pen = QPen(fg, 1.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        path = QPainterPath()
        run = 0
        for i, v in enumerate(values):
            if v is None:
                if run == 1:  # a lone point between gaps: a line cannot show it, a dot can
                    painter.drawPoint(path.currentPosition())
                run = 0
                continue
            p = at(i, v)
            if run == 0:
                path.moveTo(p)
            else:
                path.lineTo(p)
            run += 1
        if run == 1:
            painter.drawPoint(path.currentPosition())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
        if last is not None:
            band = index.data(BAND_ROLE)
            painter.setBrush(band_colour(band if last[0] == n - 1 else None))
            painter.setPen(QPen(fg, 1))
            painter.drawEllipse(at(*last), 3.0, 3.0)
        painter.restore()


class PortfolioView(QWidget):
    """Double-click (or Enter) on a vendor emits open_vendor(vendor_id)."""

    open_vendor = Signal(int)
    loaded = Signal(list)  # the VendorHealth rows, each time they are (re)computed

    def __init__(self, session: JournalSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("portfolioView")
        self.setWindowTitle("Portfolio health — partnerdesk")

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter vendors…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter vendors")
        self.period = QComboBox()
        for value, text in PERIODS:
            self.period.addItem(text, value.value)
        saved = str(QSettings().value("portfolio/period", Period.QUARTER.value))
        self.period.setCurrentIndex(max(0, self.period.findData(saved)))
        self.period.setAccessibleName("Period")
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period)
        self.archived = QCheckBox("Include &archived")
        self.summary = QLabel()
        self.summary.setAccessibleName("Portfolio summary")
        self.busy = BusyIndicator("Scoring…")
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(period_label)
        top.addWidget(self.period)
        top.addWidget(self.archived)
        top.addStretch(1)
        top.addWidget(self.busy)
        top.addWidget(self.summary)

        self.model = PortfolioModel(self)
        self.proxy = PortfolioProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Vendors by health")
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 12)
        self.sparkline = SparklineDelegate(self.view)
        self.view.setItemDelegateForColumn(COL_SPARK, self.sparkline)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_VENDOR, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        self._sized = False
        self.view.sortByColumn(COL_SCORE, Qt.SortOrder.AscendingOrder)  # weakest first: they need you
        self.view.doubleClicked.connect(self._open)
        for key in ("Return", "Enter"):
            QShortcut(QKeySequence(key), self.view, activated=lambda: self._open(self.view.currentIndex()),
                      context=Qt.ShortcutContext.WidgetShortcut)

        self.error = error_line()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        from partnerdesk.ui.portfolio_ledger import attach_ledger

        self.ledger = attach_ledger(self, layout)  # the selected vendor's ledger for the period
        layout.addWidget(self.error)

        self.loader = Loader(self.busy, self.show_error, self)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.archived.toggled.connect(lambda _c: self.refresh())
        self._watch = RefreshOnChange(session, self, REFRESH_ON, self.refresh)
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(1000, 520)

    def current_period(self) -> Period:
        return Period(self.period.currentData())

    def refresh(self) -> None:
        session = self.session
        period, archived = self.current_period(), self.archived.isChecked()
        self.loader.run(lambda: load_portfolio(reader_journal(session), period, archived),
                        lambda rows: self._show(rows, period))

    def _period_changed(self) -> None:
        QSettings().setValue("portfolio/period", self.current_period().value)
        self.refresh()

    def _show(self, rows: list[VendorHealth], period: Period) -> None:
        self.show_error("")
        selected = self.selected_vendor()
        self.model.set_rows(rows, period)
        counts = {b: sum(1 for r in rows if r.band is b) for b in Band}
        unscored = sum(1 for r in rows if r.band is None)
        parts = [f"{len(rows)} vendor{'s' if len(rows) != 1 else ''}"]
        parts += [f"{counts[b]} {b.value}" for b in (Band.RED, Band.AMBER, Band.GREEN) if counts[b]]
        if unscored:
            parts.append(f"{unscored} without a score")
        self.summary.setText(" · ".join(parts))
        if not self._sized and rows:
            self._sized = True
            for col in range(1, len(HEADERS)):
                self.view.resizeColumnToContents(col)
            self.view.setColumnWidth(COL_SPARK, max(self.view.columnWidth(COL_SPARK), 130))
            keep_names_whole(self.view, COL_VENDOR)
        if selected is not None and (row := self.model.row_of(selected)) >= 0:
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        self.loaded.emit(rows)

    def selected_vendor(self) -> int | None:
        idx = self.view.currentIndex()
        return idx.data(VENDOR_ID_ROLE) if idx.isValid() else None

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_vendor.emit(int(index.data(VENDOR_ID_ROLE)))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
