"""Vector charts for the PDFs, drawn with reportlab's own graphics (no raster images).

One figure: the monthly health score over a span of months on the band colours, the score of
each quarter as a dashed level, the vendor's events as labelled markers, and below it the
helpful vs transactional interactions per month as stacked bars on the same month axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab import rl_config
from reportlab.lib import colors

from partnerdesk.domain.health_types import Bands
from partnerdesk.services.pdf_base import (
    ACCENT,
    BAND_COLOURS,
    BAND_TINTS,
    FAINT,
    HELPFUL,
    INK,
    MUTED,
    RULE,
    SANS,
    SANS_BOLD,
    TRANSACTIONAL,
    text_width,
)

EVENT_INK = colors.HexColor("#52606d")

# Every attribute set on a chart shape is validated by default (a third of a chart's cost);
# these shapes are built by this module alone, with known-good values.
rl_config.shapeChecking = 0


@dataclass(frozen=True, slots=True)
class MonthPoint:
    start: date
    end: date  # the day after the month
    score: float | None
    helpful: int
    transactional: int


@dataclass(frozen=True, slots=True)
class QuarterLevel:
    start: date
    end: date
    score: float | None
    label: str  # "Q3 2026"


@dataclass(frozen=True, slots=True)
class EventMark:
    on: date
    number: int  # shown on the marker; the table beside the figure has the same numbers


def _drawing(width: float, height: float) -> Drawing:
    """A Drawing that starts in our font: by default each one selects Helvetica first, which
    would put an unembedded font in the PDF."""
    d = Drawing(width, height)
    d.initialFontName = SANS
    d.initialFontSize = 8
    return d


def _band_key(score: float, bands: Bands) -> str:
    return str(bands.band(score).value)  # type: ignore[union-attr]


def health_figure(months: list[MonthPoint], width: float, *, quarters: list[QuarterLevel] = (),  # type: ignore[assignment]
                  events: list[EventMark] = (), bands: Bands = Bands(),  # type: ignore[assignment]
                  health_h: float = 104, bars_h: float = 54, show_bars: bool = True) -> Drawing:
    n = max(1, len(months))
    left, right = 24.0, 14.0
    pw = width - left - right
    quarter_row = 0.0 if quarters else -1.0
    month_row = (quarter_row + 11) if quarters else 2.0
    bars_y = month_row + 11
    bars_top = bars_y + (bars_h if show_bars else 0)
    health_y = bars_top + (14 if show_bars else 4)
    health_top = health_y + health_h
    step = pw / n

    def x_of(day: date) -> float | None:
        for i, m in enumerate(months):
            if m.start <= day < m.end:
                return left + step * (i + (day - m.start).days / max(1, (m.end - m.start).days))
        return None

    # events: numbers closer than a tag's width go up a row
    placed: list[tuple[EventMark, float, int]] = []
    last_x = [-1e9, -1e9]
    for e in sorted(events, key=lambda e: (e.on, e.number)):
        x = x_of(e.on)
        if x is None:
            continue
        row = 0 if x - last_x[0] >= 11 else 1 if x - last_x[1] >= 11 else 0
        last_x[row] = x
        placed.append((e, x, row))
    events_h = 0 if not placed else 12 if all(r == 0 for _, _, r in placed) else 22
    legend_y = health_top + events_h + 5
    height = legend_y + 10
    d = _drawing(width, height)

    # band tints behind the score, with their thresholds as the axis labels
    edges = [(0.0, bands.amber_from, "red"), (bands.amber_from, bands.green_from, "amber"),
             (bands.green_from, 100.0, "green")]
    for lo, hi, key in edges:
        d.add(Rect(left, health_y + health_h * lo / 100, pw, health_h * (hi - lo) / 100,
                   fillColor=BAND_TINTS[key], strokeColor=None))
    for value in (0.0, bands.amber_from, bands.green_from, 100.0):
        y = health_y + health_h * value / 100
        d.add(String(left - 3, y - 2.2, f"{value:.0f}", fontName=SANS, fontSize=6,
                     fillColor=MUTED, textAnchor="end"))
    # quarter dividers across both panels
    if quarters:
        for q in quarters[1:]:
            x = x_of(q.start)
            if x is not None:
                d.add(Line(x, bars_y, x, health_top, strokeColor=RULE, strokeWidth=0.6))
    # the quarters' scores as dashed levels
    for q in quarters:
        if q.score is None:
            continue
        x0, x1 = x_of(q.start), _end_x(q.end, months, left, step)
        if x0 is None or x1 is None:
            continue
        y = health_y + health_h * q.score / 100
        d.add(Line(x0 + 1.5, y, x1 - 1.5, y, strokeColor=BAND_COLOURS[_band_key(q.score, bands)],
                   strokeWidth=1.1, strokeDashArray=[3, 2]))
    # the monthly score, broken where a month has no score
    segments: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i, m in enumerate(months):
        if m.score is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((i + 0.5, max(0.0, min(100.0, m.score))))
    if current:
        segments.append(current)
    if segments:
        lp = LinePlot()
        lp.x, lp.y, lp.width, lp.height = left, health_y, pw, health_h
        lp.data = segments
        lp.xValueAxis.valueMin, lp.xValueAxis.valueMax = 0, n
        lp.yValueAxis.valueMin, lp.yValueAxis.valueMax = 0, 100
        lp.xValueAxis.visible = lp.yValueAxis.visible = False
        lp.joinedLines = 1
        for k in range(len(segments)):
            lp.lines[k].strokeColor = ACCENT
            lp.lines[k].strokeWidth = 1.4
            lp.lines[k].symbol = makeMarker("FilledCircle", size=3.2, fillColor=ACCENT,
                                            strokeColor=colors.white, strokeWidth=0.4)
        d.add(lp)
    else:
        d.add(String(left + pw / 2, health_y + health_h / 2 - 3, "No score in this span",
                     fontName=SANS, fontSize=8, fillColor=MUTED, textAnchor="middle"))
    d.add(Rect(left, health_y, pw, health_h, fillColor=None, strokeColor=RULE, strokeWidth=0.5))

    # stacked bars: helpful at the bottom, transactional on top
    if show_bars:
        helpful = [m.helpful for m in months]
        transactional = [m.transactional for m in months]
        top = max((h + t for h, t in zip(helpful, transactional, strict=True)), default=0)
        vmax = _nice(top)
        bc = VerticalBarChart()
        bc.x, bc.y, bc.width, bc.height = left, bars_y, pw, bars_h
        bc.data = [helpful or [0], transactional or [0]]
        bc.categoryAxis.style = "stacked"
        bc.categoryAxis.visible = False
        bc.valueAxis.valueMin, bc.valueAxis.valueMax = 0, vmax
        bc.valueAxis.valueSteps = [0, vmax]
        bc.valueAxis.visible = False
        bc.barSpacing = 0
        bc.groupSpacing = max(2.0, step * 0.28)
        bc.bars[0].fillColor = HELPFUL
        bc.bars[1].fillColor = TRANSACTIONAL
        bc.bars.strokeColor = None
        bc.bars.strokeWidth = 0
        d.add(bc)
        d.add(Line(left, bars_y, left + pw, bars_y, strokeColor=FAINT, strokeWidth=0.5))
        d.add(String(left - 3, bars_y + bars_h - 2.2, f"{vmax}", fontName=SANS, fontSize=6,
                     fillColor=MUTED, textAnchor="end"))
        d.add(String(left - 3, bars_y - 2.2, "0", fontName=SANS, fontSize=6, fillColor=MUTED,
                     textAnchor="end"))
        if top == 0:
            d.add(String(left + pw / 2, bars_y + bars_h / 2 - 3, "No interactions", fontName=SANS,
                         fontSize=8, fillColor=MUTED, textAnchor="middle"))

    # month and quarter labels under the bars
    every = 1 if step >= 14 else 2 if step >= 7 else 3
    for i, m in enumerate(months):
        if i % every == 0:
            d.add(String(left + step * (i + 0.5), month_row, f"{m.start:%b}", fontName=SANS,
                         fontSize=6.2, fillColor=MUTED, textAnchor="middle"))
    for q in quarters:
        x0, x1 = x_of(q.start), _end_x(q.end, months, left, step)
        if x0 is None or x1 is None:
            continue
        score = "" if q.score is None else f"  {q.score:.0f}"
        d.add(String((x0 + x1) / 2, quarter_row, q.label, fontName=SANS_BOLD, fontSize=6.6,
                     fillColor=INK, textAnchor="middle"))
        if score:
            w = text_width(q.label, 6.6, True)
            d.add(String((x0 + x1) / 2 + w / 2 + 2, quarter_row, score.strip(), fontName=SANS_BOLD,
                         fontSize=6.6, fillColor=BAND_COLOURS[_band_key(q.score, bands)]))  # type: ignore[arg-type]

    # events: a dashed rule through both panels, topped by its number (the list below the
    # figure says what happened)
    for e, x, row in placed:
        y = health_top + 3 + row * 10
        d.add(Line(x, bars_y, x, y, strokeColor=EVENT_INK, strokeWidth=0.7,
                   strokeDashArray=[1.5, 1.5]))
        tag = str(e.number)
        tw = max(8.0, text_width(tag, 6, True) + 4)
        d.add(Rect(x - tw / 2, y, tw, 8, rx=1.5, ry=1.5, fillColor=EVENT_INK, strokeColor=None))
        d.add(String(x, y + 2.1, tag, fontName=SANS_BOLD, fontSize=6, fillColor=colors.white,
                     textAnchor="middle"))

    # legend
    lx = left
    items: list[tuple[str, str]] = [("line", "monthly score")]
    if any(q.score is not None for q in quarters):
        items.append(("dash", "quarter score"))
    if show_bars:
        items += [("helpful", "helpful"), ("transactional", "transactional")]
    if placed:
        items.append(("event", "event (numbered as in the list below)"))
    for kind, text in items:
        if kind == "line":
            d.add(Line(lx, legend_y + 2.3, lx + 10, legend_y + 2.3, strokeColor=ACCENT, strokeWidth=1.4))
        elif kind == "dash":
            d.add(Line(lx, legend_y + 2.3, lx + 10, legend_y + 2.3, strokeColor=MUTED, strokeWidth=1.1,
                       strokeDashArray=[3, 2]))
        elif kind == "event":
            d.add(Rect(lx + 1, legend_y - 0.5, 8, 7, rx=1.5, ry=1.5, fillColor=EVENT_INK,
                       strokeColor=None))
        else:
            d.add(Rect(lx + 2, legend_y, 6.5, 5, fillColor=HELPFUL if kind == "helpful" else TRANSACTIONAL,
                       strokeColor=None))
        d.add(String(lx + 13, legend_y, text, fontName=SANS, fontSize=6.4, fillColor=MUTED))
        lx += 13 + text_width(text, 6.4) + 12
    return d


def _end_x(end: date, months: list[MonthPoint], left: float, step: float) -> float | None:
    for i, m in enumerate(months):
        if m.end == end:
            return left + step * (i + 1)
    return None


def _nice(value: int) -> int:
    if value <= 4:
        return 4
    mag = 10 ** int(math.log10(value))
    for f in (1, 2, 2.5, 5, 10):
        if value <= f * mag:
            return int(f * mag)
    return value


def sparkline(values: tuple[float | None, ...], width: float = 54, height: float = 13,
              bands: Bands = Bands()) -> Drawing:
    """A tiny line of scores, oldest first; the last point coloured by its band."""
    d = _drawing(width, height)
    n = len(values)
    if not n or all(v is None for v in values):
        d.add(Line(2, height / 2, width - 2, height / 2, strokeColor=RULE, strokeWidth=0.6,
                   strokeDashArray=[1, 2]))
        return d
    step = (width - 6) / max(1, n - 1)

    def pt(i: int, v: float) -> tuple[float, float]:
        return 3 + i * step, 2 + (height - 4) * max(0.0, min(100.0, v)) / 100

    d.add(Line(2, 2 + (height - 4) * bands.amber_from / 100, width - 2,
               2 + (height - 4) * bands.amber_from / 100, strokeColor=RULE, strokeWidth=0.4))
    seg: list[float] = []
    for i, v in enumerate(values):
        if v is None:
            if len(seg) >= 4:
                d.add(PolyLine(seg, strokeColor=FAINT, strokeWidth=0.9))
            seg = []
            continue
        seg.extend(pt(i, v))
    if len(seg) >= 4:
        d.add(PolyLine(seg, strokeColor=FAINT, strokeWidth=0.9))
    last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
    if last is not None:
        x, y = pt(*last)
        d.add(Rect(x - 1.5, y - 1.5, 3, 3, fillColor=BAND_COLOURS[_band_key(last[1], bands)],
                   strokeColor=None))
    return d


def score_badge(score: float | None, band: str | None, trend: str | None,
                caption: str = "", detail: str = "") -> Drawing:
    """A rounded tile: the score large, its band in words with the trend arrow, and two short
    lines of context (e.g. the period, the change)."""
    w, h = 118.0, 42.0
    d = _drawing(w, h)
    colour = BAND_COLOURS.get(band or "", MUTED)
    tint = BAND_TINTS.get(band or "", colors.HexColor("#eef1f4"))
    d.add(Rect(0.5, 0.5, w - 1, h - 1, rx=4, ry=4, fillColor=tint, strokeColor=colour,
               strokeWidth=0.8))
    d.add(String(26, 13, "—" if score is None else f"{score:.0f}", fontName=SANS_BOLD,
                 fontSize=21, fillColor=colour, textAnchor="middle"))
    arrow = {"up": "▲", "down": "▼", "flat": "▶"}.get(trend or "", "")
    word = band.upper() if band else "NO SCORE"
    d.add(String(52, 28, f"{word} {arrow}".strip(), fontName=SANS_BOLD, fontSize=7.4,
                 fillColor=colour))
    if caption:
        d.add(String(52, 18, caption, fontName=SANS, fontSize=6.6, fillColor=INK))
    if detail:
        d.add(String(52, 9, detail, fontName=SANS, fontSize=6.6, fillColor=MUTED))
    return d
