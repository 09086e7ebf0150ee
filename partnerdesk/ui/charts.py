"""Relationship-health charts: the score over time on red/amber/green bands with the vendor's
events as labelled markers, and helpful vs transactional interactions per period as stacked bars.

pyqtgraph rather than Qt Charts (deprecated since Qt 6.10): it draws from numpy arrays with no
Python object per point, so ten years of weeks zoom and pan smoothly, and it runs on PySide6.
Both charts read their colours from the application palette and restyle when it changes.

x values are epoch seconds of UTC midnights (the axis is told utcOffset=0), so a period that
starts on 1 March is drawn on 1 March whatever the local zone or daylight saving does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from partnerdesk.domain.health_types import Band, Bands, HealthPoint, Period
from partnerdesk.domain.models import VendorEvent

DAY = 86400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
AXIS_WIDTH = 58
DENSE = 260  # above this many periods the score line drops its dots (isolated ones stay)

# (light palette, dark palette): dark variants are lighter so they read on a dark background.
BAND_COLOURS: dict[Band, tuple[str, str]] = {
    Band.RED: ("#c62828", "#ef5350"),
    Band.AMBER: ("#b26a00", "#ffb74d"),
    Band.GREEN: ("#2e7d32", "#66bb6a"),
}
HELPFUL_COLOURS = ("#1f6fb2", "#64a8e8")
TRANSACTIONAL_COLOURS = ("#a3a3a3", "#6f6f6f")
TREND_SYMBOLS = {"up": "▲", "down": "▼", "flat": "▶"}


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


def band_colour(band: Band | None, dark: bool | None = None) -> QColor:
    """The band's colour for the current palette; a neutral grey when there is no score."""
    dark = is_dark() if dark is None else dark
    if band is None:
        return QColor("#8a8a8a")
    return QColor(BAND_COLOURS[Band(band)][1 if dark else 0])


def _pick(pair: tuple[str, str], dark: bool) -> QColor:
    return QColor(pair[1 if dark else 0])


def epoch_days(days: Sequence[date]) -> np.ndarray:
    """Dates as epoch seconds of their UTC midnight, as float64 (pyqtgraph's x type)."""
    ords = np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days))
    return ((ords - _EPOCH_ORDINAL) * DAY).astype(np.float64)


def period_label(p: HealthPoint) -> str:
    if p.period is Period.QUARTER or p.period == "quarter":
        return f"{p.start.year} Q{(p.start.month - 1) // 3 + 1}"
    if p.period is Period.MONTH or p.period == "month":
        return p.start.strftime("%B %Y")
    from partnerdesk.ui.formatting import date_format

    return "Week of " + p.start.strftime(date_format()[1])


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.0f}"


@dataclass(frozen=True)
class Series:
    """A list of HealthPoints as arrays: what the charts draw and search on hover."""

    points: tuple[HealthPoint, ...]
    start: np.ndarray  # epoch seconds
    end: np.ndarray
    mid: np.ndarray
    score: np.ndarray  # NaN where a period has no score (a gap, not a zero)
    helpful: np.ndarray
    transactional: np.ndarray

    @classmethod
    def of(cls, points: Sequence[HealthPoint]) -> Series:
        pts = tuple(sorted(points, key=lambda p: p.start))
        n = len(pts)
        start = epoch_days([p.start for p in pts])
        end = epoch_days([p.end for p in pts])
        score = np.fromiter((np.nan if p.score is None else p.score for p in pts), dtype=np.float64,
                            count=n)
        helpful = np.fromiter((p.helpful for p in pts), dtype=np.float64, count=n)
        transactional = np.fromiter((p.transactional for p in pts), dtype=np.float64, count=n)
        return cls(pts, start, end, (start + end) / 2, score, helpful, transactional)

    def __len__(self) -> int:
        return len(self.points)

    def index_at(self, x: float) -> int | None:
        """The period that contains x (epoch seconds), if any."""
        if not len(self.points):
            return None
        i = int(np.searchsorted(self.start, x, side="right")) - 1
        if 0 <= i < len(self.points) and x < self.end[i]:
            return i
        return None

    def isolated(self) -> np.ndarray:
        """Indexes of scored periods with no scored neighbour: a line cannot show them."""
        ok = np.isfinite(self.score)
        prev = np.concatenate(([False], ok[:-1]))
        nxt = np.concatenate((ok[1:], [False]))
        return np.flatnonzero(ok & ~prev & ~nxt)


class PaletteWatch(QObject):
    """Tells when the application palette changes (light to dark, say). A widget is not always
    sent PaletteChange itself (not one with a style sheet, nor one whose parent has one), but
    the application always knows."""

    changed = Signal()
    _instance: PaletteWatch | None = None

    @classmethod
    def get(cls) -> PaletteWatch:
        if cls._instance is None:
            app = QApplication.instance()
            watch = cls._instance = cls(app)
            signal = getattr(app, "paletteChanged", None)  # deprecated in Qt 6, still there
            if signal is not None:
                signal.connect(lambda *_: watch.changed.emit())
            else:  # a filter on the application sees every event: only when there is no signal
                app.installEventFilter(watch)
        return cls._instance

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is QApplication.instance() and event.type() == QEvent.Type.ApplicationPaletteChange:
            self.changed.emit()
        return False


def palette_watch() -> PaletteWatch:
    return PaletteWatch.get()


class _TimeChart(pg.PlotWidget):
    """A PlotWidget with a date axis, x-only zoom and pan, a hover crosshair and palette colours."""

    hovered = Signal(object)  # the HealthPoint under the mouse, or None
    point_clicked = Signal(object)  # the HealthPoint clicked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0)})
        self.series = Series.of(())
        item = self.getPlotItem()
        item.setMenuEnabled(False)  # pyqtgraph's own menu is not ours; double-click shows all
        item.hideButtons()
        item.showGrid(x=False, y=True, alpha=0.12)
        # Both axes a fixed width, so charts stacked in a column line up period for period.
        item.showAxis("right")
        for name in ("left", "right"):
            item.getAxis(name).setWidth(AXIS_WIDTH)
        self.vb = item.getViewBox()
        self.vb.setMouseEnabled(x=True, y=False)
        self.setMinimumHeight(140)
        self.hover_text = ""  # what the tooltip says now, for tests and screen readers

        self._vline = pg.InfiniteLine(angle=90, movable=False)
        self._vline.setZValue(20)
        self._vline.hide()
        self.addItem(self._vline, ignoreBounds=True)
        self._tip = pg.TextItem(anchor=(0, 0))
        self._tip.setZValue(30)
        self._tip.hide()
        self.addItem(self._tip, ignoreBounds=True)

        self._empty = QLabel(self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._empty.hide()

        self._proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=60, slot=self._mouse_moved)
        self.scene().sigMouseClicked.connect(self._mouse_clicked)
        self._restyle_soon = QTimer(self, singleShot=True, interval=0, timeout=self.restyle)
        palette_watch().changed.connect(self._restyle_soon.start)

    # -- data ----------------------------------------------------------------------------
    def set_points(self, points: Sequence[HealthPoint], empty_text: str = "No interactions yet") -> None:
        self.series = Series.of(points)
        self._empty.setText(empty_text)
        self._empty.setVisible(not len(self.series))
        self._draw()
        self._limit_x()
        self.hide_hover()

    def _draw(self) -> None:
        raise NotImplementedError

    def _limit_x(self) -> None:
        s = self.series
        if not len(s):
            self.vb.setLimits(xMin=None, xMax=None, minXRange=None)
            return
        lo, hi = float(s.start[0]), float(s.end[-1])
        pad = max((hi - lo) * 0.02, 7 * DAY)
        # Pan no further than the data; zoom in to a few periods at most.
        shortest = float(np.min(s.end - s.start)) if len(s) else 7 * DAY
        self.vb.setLimits(xMin=lo - pad, xMax=hi + pad, minXRange=shortest * 3)
        self.vb.setXRange(lo - pad, hi + pad, padding=0)

    def show_all(self) -> None:
        if len(self.series):
            self._limit_x()

    # -- hover ---------------------------------------------------------------------------
    def describe(self, p: HealthPoint) -> str:
        raise NotImplementedError

    def hover_at(self, x: float, y: float | None = None) -> str | None:
        """Show the crosshair and tooltip for the period at x (beside the mouse at height y, or
        at the top); returns the text shown."""
        i = self.series.index_at(x)
        if i is None:
            self.hide_hover()
            return None
        p = self.series.points[i]
        text = self.describe(p)
        self.hover_text = text
        mid = float(self.series.mid[i])
        self._vline.setPos(mid)
        self._vline.show()
        (x0, x1), (y0, y1) = self.vb.viewRange()
        left = mid < (x0 + x1) / 2
        high = y is None or y > (y0 + y1) / 2
        self._tip.setAnchor((0 if left else 1, 0 if high else 1))
        self._tip.setText(text)
        ty = y1 - (y1 - y0) * 0.02 if y is None else y
        self._tip.setPos(mid + (x1 - x0) * (0.01 if left else -0.01), ty)
        self._tip.show()
        self.setToolTip("")
        self.hovered.emit(p)
        return text

    def hide_hover(self) -> None:
        if self._vline.isVisible() or self.hover_text:
            self._vline.hide()
            self._tip.hide()
            self.hover_text = ""
            self.hovered.emit(None)

    def _mouse_moved(self, args: tuple[QPointF]) -> None:
        pos = args[0]
        if not self.vb.sceneBoundingRect().contains(pos):
            self.hide_hover()
            return
        at = self.vb.mapSceneToView(pos)
        self.hover_at(at.x(), at.y())

    def _mouse_clicked(self, event: object) -> None:
        pos = event.scenePos()  # type: ignore[attr-defined]
        if not self.vb.sceneBoundingRect().contains(pos):
            return
        if event.double():  # type: ignore[attr-defined]
            self.show_all()
            return
        i = self.series.index_at(self.vb.mapSceneToView(pos).x())
        if i is not None:
            self.point_clicked.emit(self.series.points[i])

    def leaveEvent(self, event: QEvent) -> None:
        self.hide_hover()
        super().leaveEvent(event)

    # -- palette -------------------------------------------------------------------------
    def colours(self) -> tuple[QColor, QColor, bool]:
        pal = self.palette()
        return pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), is_dark(pal)

    def restyle(self) -> None:
        bg, fg, dark = self.colours()
        self.setBackground(bg)
        item = self.getPlotItem()
        axis_pen = QColor(fg)
        axis_pen.setAlphaF(0.55)
        for name in ("left", "bottom", "right"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(axis_pen))
            axis.setTextPen(pg.mkPen(fg))
            axis.setStyle(tickFont=QFont(self.font()))
        cross = QColor(fg)
        cross.setAlphaF(0.5)
        self._vline.setPen(pg.mkPen(cross, width=1, style=Qt.PenStyle.DashLine))
        tip_bg = QColor(bg)
        tip_bg.setAlphaF(0.92)
        self._tip.fill = pg.mkBrush(tip_bg)
        self._tip.border = pg.mkPen(axis_pen)
        self._tip.setColor(fg)
        dim = QColor(fg)
        dim.setAlphaF(0.6)
        self._empty.setStyleSheet(f"color: {dim.name(QColor.NameFormat.HexArgb)}; background: transparent;")
        self._draw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.StyleChange):
            timer = self.__dict__.get("_restyle_soon")  # not yet there while the base class builds
            if timer is not None:
                timer.start()
        super().changeEvent(event)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        empty = self.__dict__.get("_empty")  # pyqtgraph resizes once while it builds
        if empty is not None:
            empty.setGeometry(self.rect())


class HealthChart(_TimeChart):
    """The score per period (0-100) as a line with gaps where a period has no score, over the
    red/amber/green bands, with the vendor's events as labelled dashed lines."""

    def __init__(self, parent: QWidget | None = None, bands: Bands | None = None):
        super().__init__(parent)
        self.setObjectName("healthChart")
        self.setAccessibleName("Health over time")
        self.bands = bands or Bands()
        self.events: list[VendorEvent] = []
        self._event_x = np.empty(0)
        self.vb.setLimits(yMin=-4, yMax=104)
        self.vb.setYRange(0, 100, padding=0.03)
        self.vb.enableAutoRange(axis="y", enable=False)
        item = self.getPlotItem()
        item.setLabel("left", "Score")
        self._regions: list[tuple[Band, pg.LinearRegionItem]] = []
        for band in (Band.RED, Band.AMBER, Band.GREEN):
            region = pg.LinearRegionItem(orientation="horizontal", movable=False)
            region.setZValue(-20)
            for line in region.lines:
                line.setPen(pg.mkPen(None))
                line.setHoverPen(pg.mkPen(None))
            self.addItem(region, ignoreBounds=True)
            self._regions.append((band, region))
        self._set_band_spans()
        self._line = pg.PlotDataItem(connect="finite", antialias=True)
        self._line.setZValue(5)
        self.addItem(self._line)
        self._dots = pg.ScatterPlotItem(pxMode=True, antialias=True)
        self._dots.setZValue(6)
        self.addItem(self._dots)
        self._span = [pg.LinearRegionItem(movable=False), pg.LinearRegionItem(movable=False)]
        self._span_labels = []
        for region, word, edge, anchor in zip(self._span, ("before", "after"), (1, 0),
                                              ((1, 1), (0, 1)), strict=True):
            region.setZValue(-15)
            region.hide()
            self.addItem(region, ignoreBounds=True)
            # Named at the foot, either side of the event's date ("before | after"), clear of
            # the event labels at the top and readable however narrow the windows are drawn.
            self._span_labels.append(pg.InfLineLabel(region.lines[edge], text=word, position=0.04,
                                                     anchors=[anchor, anchor]))
        self._event_lines: list[pg.InfiniteLine] = []
        self.restyle()

    def set_bands(self, bands: Bands) -> None:
        self.bands = bands
        self._set_band_spans()
        self.restyle()

    def _set_band_spans(self) -> None:
        spans = {Band.RED: (-10, self.bands.amber_from), Band.AMBER: (self.bands.amber_from, self.bands.green_from),
                 Band.GREEN: (self.bands.green_from, 110)}
        for band, region in self._regions:
            region.setRegion(spans[band])
        # Say the band in words on the right axis, not by colour alone.
        a, g = self.bands.amber_from, self.bands.green_from
        self.getPlotItem().getAxis("right").setTicks([[(a / 2, "red"), ((a + g) / 2, "amber"),
                                                       ((g + 100) / 2, "green")], []])

    def set_events(self, events: Sequence[VendorEvent]) -> None:
        self.events = sorted(events, key=lambda e: (e.on, e.id))
        self._event_x = epoch_days([e.on for e in self.events])
        for line in self._event_lines:
            self.removeItem(line)
        self._event_lines = []
        _bg, fg, dark = self.colours()
        for i, (e, x) in enumerate(zip(self.events, self._event_x, strict=True)):
            text = e.text if len(e.text) <= 28 else e.text[:27] + "…"
            line = pg.InfiniteLine(pos=float(x), angle=90, movable=False,
                                   label=f"{e.kind.value}: {text}",
                                   labelOpts={"position": (0.95, 0.82, 0.69)[i % 3],
                                              "anchors": [(0, 0.5), (1, 0.5)]})
            line.setToolTip(f"{e.on.isoformat()} · {e.kind.value}\n{e.text}")
            line.setZValue(10)
            self.addItem(line, ignoreBounds=True)
            self._event_lines.append(line)
        self._style_events()

    def _style_events(self) -> None:
        bg, fg, dark = self.colours()
        colour = QColor("#7e57c2" if not dark else "#b39ddb")  # events: violet, apart from bands
        fill = QColor(bg)
        fill.setAlphaF(0.85)
        for line in self._event_lines:
            line.setPen(pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine))
            line.label.setColor(fg)
            line.label.fill = pg.mkBrush(fill)
            line.label.border = pg.mkPen(colour)
            line.label.update()

    def show_windows(self, before: tuple[date, date] | None, after: tuple[date, date] | None) -> None:
        """Shade the before/after windows of the before/after panel (None hides them)."""
        for region, label, span, word in zip(self._span, self._span_labels, (before, after),
                                             ("before ", " after"), strict=True):
            if span is None:
                region.hide()
            else:
                xs = epoch_days(list(span))
                region.setRegion((float(xs[0]), float(xs[1])))
                region.show()
                label.setFormat(word)  # a label hidden with its region skipped its text

    def _draw(self) -> None:
        s = self.series
        bg, fg, dark = self.colours()
        for band, region in self._regions:
            c = band_colour(band, dark)
            c.setAlpha(48 if dark else 34)
            region.setBrush(pg.mkBrush(c))
            region.setHoverBrush(pg.mkBrush(c))
        for i, region in enumerate(self._span):
            c = QColor(fg)
            c.setAlpha(22 if i == 0 else 38)
            region.setBrush(pg.mkBrush(c))
            region.setHoverBrush(pg.mkBrush(c))
            for line in region.lines:
                line.setPen(pg.mkPen(c.darker(100), width=1))
            self._span_labels[i].setColor(fg)
        self._line.setData(s.mid, s.score, connect="finite")
        self._line.setPen(pg.mkPen(fg, width=2))
        idx = np.flatnonzero(np.isfinite(s.score)) if len(s) <= DENSE else s.isolated()
        if len(idx):
            brushes = {b: pg.mkBrush(band_colour(b, dark)) for b in Band}
            grey = pg.mkBrush(band_colour(None, dark))
            self._dots.setData(x=s.mid[idx], y=s.score[idx], size=7 if len(s) <= DENSE else 6,
                               pen=pg.mkPen(fg, width=1),
                               brush=[brushes.get(s.points[i].band, grey) if s.points[i].band else grey
                                      for i in idx])
        else:
            self._dots.clear()
        self._style_events()

    def describe(self, p: HealthPoint) -> str:
        lines = [period_label(p)]
        if p.score is None:
            lines.append("No score: no interactions")
        else:
            band = p.band.value if p.band else ""
            lines.append(f"Score {p.score:.0f} · {band}")
        if p.interactions:
            lines.append(f"{p.interactions:,} interactions, {p.helpful:,} helpful")
        if p.promises_due:
            lines.append(f"Promises kept {p.promises_kept} of {p.promises_due}")
        lo, hi = epoch_days([p.start, p.end])
        for e, x in zip(self.events, self._event_x, strict=True):
            if lo <= x < hi:
                lines.append(f"◆ {e.kind.value}: {e.text}")
        return "\n".join(lines)


class StackedBars(_TimeChart):
    """Helpful (below) and transactional (above) interactions per period, stacked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tagBars")
        self.setAccessibleName("Helpful and transactional interactions per period")
        self.getPlotItem().setLabel("left", "Interactions")
        self.getPlotItem().getAxis("right").setStyle(showValues=False)
        self.vb.setAutoVisible(y=True)
        self.vb.enableAutoRange(axis="y", enable=True)
        self.vb.setLimits(yMin=0)
        self._helpful = pg.BarGraphItem(x=[], height=[], width=1)
        self._trans = pg.BarGraphItem(x=[], height=[], width=1)
        self.addItem(self._helpful)
        self.addItem(self._trans)
        self.legend = self.getPlotItem().addLegend(offset=(8, 4))
        self.legend.addItem(self._helpful, "helpful")
        self.legend.addItem(self._trans, "transactional")
        self.restyle()

    def _draw(self) -> None:
        s = self.series
        bg, fg, dark = self.colours()
        helpful, trans = _pick(HELPFUL_COLOURS, dark), _pick(TRANSACTIONAL_COLOURS, dark)
        width = (s.end - s.start) * 0.8
        none = pg.mkPen(None)
        self._helpful.setOpts(x=s.mid, height=s.helpful, width=width, y0=np.zeros(len(s)),
                              brush=pg.mkBrush(helpful), pen=none)
        self._trans.setOpts(x=s.mid, height=s.transactional, width=width, y0=s.helpful,
                            brush=pg.mkBrush(trans), pen=none)
        if len(s):
            top = float(np.max(s.helpful + s.transactional))
            self.vb.setLimits(yMax=max(top * 1.15, 1.0))
        legend_bg = QColor(bg)
        legend_bg.setAlphaF(0.85)
        self.legend.setBrush(pg.mkBrush(legend_bg))
        self.legend.setLabelTextColor(fg)
        for sample, label in self.legend.items:
            label.setText(label.text, color=fg)
            sample.update()

    def describe(self, p: HealthPoint) -> str:
        total = p.helpful + p.transactional
        text = f"{period_label(p)}\n{p.helpful:,} helpful · {p.transactional:,} transactional"
        if total:
            text += f"\n{100 * p.helpful / total:.0f}% helpful"
        return text


def link(charts: Sequence[_TimeChart]) -> None:
    """Zoom and pan the charts together (the first one leads)."""
    for chart in charts[1:]:
        chart.setXLink(charts[0])
