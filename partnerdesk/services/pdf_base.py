"""What the quarterly report and the meeting brief share: fonts, text that prints, page furniture.

Text a rep typed can be in any script, so nothing here trusts it:

* Fonts are embedded TrueType: DejaVu Sans ships in partnerdesk.resources/fonts (Latin, Greek,
  Cyrillic, Hebrew, Arabic, many symbols). A character DejaVu lacks is drawn in a fallback font
  picked per run of text. Chinese, Japanese and Korean use Droid Sans Fallback, shipped beside
  DejaVu (PARTNERDESK_FALLBACK_FONT may name another TrueType font to try first); other scripts
  and what Droid lacks use a TrueType font of this machine that has it (found with fontconfig),
  else U+FFFD. Never a CID font: reportlab cannot embed those, and a reader without Adobe's
  Asian font pack would see nothing.
* Right-to-left text (Hebrew, Arabic) is broken into lines in logical order first, then each
  line is put in visual order with python-bidi, Arabic letters joined with arabic-reshaper, and
  the paragraph set flush right. Without those packages the text prints in logical order.
* Markup characters (&, <, >) are escaped; control characters are dropped; emoji that no
  embedded font has become U+FFFD.
* Files are written whole or not at all: the PDF is built in memory, then written to a
  temporary file beside the target, flushed and renamed over it.
"""

from __future__ import annotations

import errno
import functools
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from partnerdesk.domain.errors import InvalidInput, PartnerdeskError

SANS = "PD-Sans"
SANS_BOLD = "PD-Sans-Bold"
PAPERS = {"a4": A4, "letter": LETTER}
REPLACEMENT = "\ufffd"


class ExportCancelled(PartnerdeskError):
    """The person cancelled an export; nothing was written."""


class ExportFailed(PartnerdeskError):
    """The PDF could not be written where asked; nothing half-written was left."""


# -- palette -------------------------------------------------------------------------------
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
FAINT = colors.HexColor("#9aa5b1")
RULE = colors.HexColor("#d9dee3")
ZEBRA = colors.HexColor("#f5f7fa")
HEAD_BG = colors.HexColor("#e9edf2")
ACCENT = colors.HexColor("#1d4e89")
HELPFUL = colors.HexColor("#2a7f62")
TRANSACTIONAL = colors.HexColor("#b8c2cc")
BAND_COLOURS = {"red": colors.HexColor("#c0392b"), "amber": colors.HexColor("#c77c02"),
                "green": colors.HexColor("#1e8449")}
BAND_TINTS = {"red": colors.HexColor("#fbeae8"), "amber": colors.HexColor("#fdf3e1"),
              "green": colors.HexColor("#e7f4ec")}
OVERDUE = BAND_COLOURS["red"]


def paper_size(paper: str) -> tuple[float, float]:
    try:
        return PAPERS[paper.lower()]
    except (KeyError, AttributeError):
        raise InvalidInput(f"Paper '{paper}' is not known; choose a4 or letter.") from None


# -- fonts ---------------------------------------------------------------------------------
_lock = threading.RLock()


@dataclass
class _Font:
    name: str
    cmap: Any  # a container of code points; None for a CID font (covers its script)


class _Fonts:
    """The primary fonts, and fallbacks found only when some text needs them."""

    def __init__(self) -> None:
        folder = resources.files("partnerdesk.resources") / "fonts"
        with resources.as_file(folder / "DejaVuSans.ttf") as regular, \
                resources.as_file(folder / "DejaVuSans-Bold.ttf") as bold:
            sans = TTFont(SANS, str(regular))
            sans_bold = TTFont(SANS_BOLD, str(bold))
        pdfmetrics.registerFont(sans)
        pdfmetrics.registerFont(sans_bold)
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS,
                                      boldItalic=SANS_BOLD)
        self.primary = set(sans.face.charToGlyph)
        self.primary_bold = set(sans_bold.face.charToGlyph)
        self.fallbacks: list[_Font] = []
        self._tried_paths: set[str] = set()
        self._lookups = 0
        self._cjk_tier = 0  # 1: named and shipped fonts loaded; 2: this machine's too
        self.by_char: dict[str, str | None] = {}

    # which font draws a character (None: nothing here can)
    def font_for(self, ch: str) -> str | None:
        hit = self.by_char.get(ch, "")
        if hit != "":
            return hit
        with _lock:
            found = self._find(ch)
            self.by_char[ch] = found
            return found

    def _find(self, ch: str) -> str | None:
        cp = ord(ch)
        for f in self.fallbacks:
            if f.cmap is not None and cp in f.cmap:
                return f.name
        if _is_emoji(cp):
            return None  # colour emoji fonts are bitmaps reportlab cannot embed
        if _is_cjk(cp) and self._cjk_tier < 2:
            # First the font the rep named and the shipped one (so every machine prints the
            # same); only for a character neither has, this machine's CJK fonts, searched once.
            while self._cjk_tier < 2:
                self._cjk_tier += 1
                for path in _cjk_candidates(self._cjk_tier):
                    self._load(path)
                for f in self.fallbacks:
                    if f.cmap is not None and cp in f.cmap:
                        return f.name
        elif self._lookups < 16 and not _is_cjk(cp):
            self._lookups += 1
            for path in _fc_match(cp):
                font = self._load(path)
                if font is not None and cp in font.cmap:
                    return font.name
        return None

    def _load(self, path: str) -> _Font | None:
        if path in self._tried_paths:
            return None
        self._tried_paths.add(path)
        name = f"PD-Fallback-{len(self.fallbacks) + 1}"
        try:
            ttf = TTFont(name, path, subfontIndex=0)
        except Exception:  # PostScript outlines, damaged or unreadable files: not usable
            return None
        pdfmetrics.registerFont(ttf)
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        font = _Font(name, set(ttf.face.charToGlyph))
        self.fallbacks.append(font)
        return font


def _is_cjk(cp: int) -> bool:
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0xFF00 <= cp <= 0xFFEF or 0x1100 <= cp <= 0x11FF or 0x20000 <= cp <= 0x3FFFF)


def _is_emoji(cp: int) -> bool:
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x1F1E6 <= cp <= 0x1F1FF


_KNOWN_CJK_FONTS = [
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simsun.ttc", "C:/Windows/Fonts/malgun.ttf",
    "C:/Windows/Fonts/meiryo.ttc", "C:/Windows/Fonts/msgothic.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
]


CJK_FONT = "DroidSansFallback.ttf"  # shipped: Han, kana and all Hangul syllables


def _cjk_candidates(tier: int) -> list[str]:
    """TrueType fonts that may have Han, kana and Hangul, best first. Tier 1: the one named in
    PARTNERDESK_FALLBACK_FONT and the shipped one; tier 2: fontconfig's and known paths."""
    found: list[str] = []
    if tier == 1:
        env = os.environ.get("PARTNERDESK_FALLBACK_FONT")
        return [env, _shipped_font(CJK_FONT)] if env else [_shipped_font(CJK_FONT)]
    if shutil.which("fc-list"):
        for probe in ("4e2d", "3042", "d55c"):  # 中, あ, 한
            found.extend(_run_fc(["fc-list", f":charset={probe}", "file"]))
    found.extend(p for p in _KNOWN_CJK_FONTS if os.path.exists(p))
    out: list[str] = []
    for p in found:
        p = p.strip().rstrip(":")
        if p and p not in out and p.lower().endswith((".ttf", ".ttc")):
            out.append(p)
    return out[:8]


def _shipped_font(name: str) -> str:
    """The path of a font in partnerdesk.resources/fonts. The package is a folder in a wheel, a
    checkout and a PyInstaller bundle alike, so the path stays valid after the call."""
    return str(resources.files("partnerdesk.resources") / "fonts" / name)


def _fc_match(cp: int) -> list[str]:
    if not shutil.which("fc-match"):
        return []
    return [p for p in _run_fc(["fc-match", "-f", "%{file}\n", f":charset={cp:x}"])
            if p.lower().endswith((".ttf", ".ttc"))]


def _run_fc(cmd: list[str]) -> list[str]:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=3, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip().rstrip(":") for line in done.stdout.splitlines() if line.strip()]


@functools.cache
def fonts() -> _Fonts:
    with _lock:
        return _Fonts()


# -- text that prints ----------------------------------------------------------------------
_DROP = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F,
                       *range(0x80, 0xA0), 0xFE0E, 0xFE0F, 0x200D, *range(0x1F3FB, 0x1F400)])
_DROP[0x09] = " "
_DROP[0x0D] = None
_DROP[0x2028] = "\n"
_DROP[0x2029] = "\n"
_REPLACEMENTS = re.compile("\ufffd+")
_RTL_CLASSES = {"R", "AL"}


def clean(text: object) -> str:
    """Printable text: controls dropped, characters no font can draw made U+FFFD (one per run)."""
    s = str(text if text is not None else "").translate(_DROP)
    if s.isascii():  # every printable ASCII character is in DejaVu
        return s
    f = fonts()
    if all(ord(c) in f.primary or c == "\n" for c in s):
        return s
    out = [c if c == "\n" or ord(c) in f.primary or f.font_for(c) else REPLACEMENT for c in s]
    return _REPLACEMENTS.sub(REPLACEMENT, "".join(out))


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, chunk) pieces of clean text, each drawable in its font."""
    base = SANS_BOLD if bold else SANS
    if text.isascii():
        return [(base, text)] if text else []
    f = fonts()
    cover = f.primary_bold if bold else f.primary
    out: list[tuple[str, str]] = []
    for ch in text:
        cp = ord(ch)
        name = base if cp in cover else SANS if cp in f.primary else (f.font_for(ch) or base)
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + ch)
        else:
            out.append((name, ch))
    return out


def text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text, bold))


def is_rtl_text(text: str) -> bool:
    """True when the first strongly directional character is right-to-left."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL_CLASSES:
            return True
        if kind == "L":
            return False
    return False


_RTL_RANGES = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff"
                         "\U0001e800-\U0001efff]")
_CJK_RANGES = re.compile("[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
                         "\U00020000-\U0003ffff]")


def _has_rtl(text: str) -> bool:
    return not text.isascii() and _RTL_RANGES.search(text) is not None


def _has_cjk(text: str) -> bool:
    return not text.isascii() and _CJK_RANGES.search(text) is not None


@functools.cache
def _bidi_tools() -> tuple[Callable[..., str], Callable[[str], str]] | None:
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:
        return None
    return get_display, arabic_reshaper.reshape


def _reshape(text: str) -> str:
    tools = _bidi_tools()
    if tools is None or not any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text):
        return text
    try:
        return tools[1](text)
    except Exception:  # a reshaper bug must not stop a report
        return text


def visual(line: str, rtl: bool) -> str:
    """One line of logical-order text in the order it is drawn, left to right."""
    tools = _bidi_tools()
    if tools is None or not _has_rtl(line):
        return line
    try:
        return tools[0](line, base_dir="R" if rtl else "L")
    except Exception:
        return line


def _wrap_logical(text: str, width: float, size: float, bold: bool) -> list[str]:
    """Greedy line breaking on spaces, measured in the fonts that will draw the text."""
    lines: list[str] = []
    space = text_width(" ", size, bold)
    for hard in text.split("\n"):
        words = hard.split(" ")
        line, used = "", 0.0
        for word in words:
            w = text_width(word, size, bold)
            if line and used + space + w > width:
                lines.append(line)
                line, used = word, w
            else:
                line, used = (f"{line} {word}" if line else word), (used + space + w if line else w)
        lines.append(line)
    return lines


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for clean text: escaped, with <font> runs for fallback fonts."""
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    base = SANS_BOLD if bold else SANS
    parts = []
    for name, chunk in runs(text, bold):
        chunk = escape(chunk).replace("\n", "<br/>")
        parts.append(chunk if name == base else f'<font face="{name}">{chunk}</font>')
    return "".join(parts)


_style_variants: dict[tuple[str, str], ParagraphStyle] = {}


def _variant(style: ParagraphStyle, **changes: Any) -> ParagraphStyle:
    key = (style.name, repr(sorted(changes.items())))
    found = _style_variants.get(key)
    if found is None:
        found = _style_variants[key] = ParagraphStyle(f"{style.name}-{len(_style_variants)}",
                                                      parent=style, **changes)
    return found


@dataclass(frozen=True, slots=True)
class Rich:
    """User text made ready for Paragraph markup: escaped, fallback fonts marked, right-to-left
    lines in visual order."""

    markup: str
    rtl: bool  # its base direction is right to left
    cjk: bool  # it has Chinese, Japanese or Korean (lines may break between any characters)


def rich(text: object, size: float, *, bold: bool = False, width: float | None = None,
         limit: int | None = None) -> Rich:
    """Prepare user text set in `size` points. `width` (the space it will have) lets
    right-to-left text be broken into lines correctly; `limit` cuts long text with an ellipsis."""
    raw = text if isinstance(text, str) else str(text if text is not None else "")
    if limit is not None and len(raw) > 2 * limit:
        raw = raw[:2 * limit]  # a megabyte of notes is not cleaned to print 300 characters
    s = clean(raw)
    if limit is not None and len(s) > limit:
        s = s[:limit].rstrip() + "…"
    rtl = False
    if _has_rtl(s):
        rtl = is_rtl_text(s)
        s = _reshape(s)
        lines = _wrap_logical(s, width - 0.5, size, bold) if width else s.split("\n")
        s = "\n".join(visual(line, rtl) for line in lines)
    return Rich(markup(s, bold), rtl, _has_cjk(s))


def rich_para(pieces: list[Rich], style: ParagraphStyle, *, prefix: str = "", suffix: str = "",
              align_rtl: bool = True, separator: str = "<br/>") -> Paragraph:
    """One Paragraph of prepared pieces (one Paragraph parses much faster than several);
    flush right when the first piece is right-to-left text and `align_rtl`."""
    if pieces and pieces[0].rtl and align_rtl and style.alignment == TA_LEFT:
        style = _variant(style, alignment=TA_RIGHT)
    if any(p.cjk for p in pieces):
        style = _variant(style, wordWrap="CJK")
    return Paragraph(prefix + separator.join(p.markup for p in pieces) + suffix, style)


def para(text: object, style: ParagraphStyle, width: float | None = None,
         limit: int | None = None, prefix: str = "", suffix: str = "",
         align_rtl: bool = True) -> Paragraph:
    """A Paragraph of user text (see rich()); `prefix` and `suffix` are markup put around it as
    they are (already escaped); `align_rtl` sets right-to-left text flush right."""
    piece = rich(text, style.fontSize, bold=style.fontName == SANS_BOLD, width=width, limit=limit)
    return rich_para([piece], style, prefix=prefix, suffix=suffix, align_rtl=align_rtl)


def cell_text(text: object, width: float, *, limit: int | None = None, colour: Any = None
              ) -> Paragraph | Txt:
    """User text for a data_table cell `width` wide: a plain string when it is plain ASCII on
    one line that fits (the common case, and several times cheaper to lay out), else a
    Paragraph that wraps, escapes and falls back as para() does."""
    raw = text if isinstance(text, str) else str(text if text is not None else "")
    if len(raw) <= 160 and raw.isascii() and raw.isprintable():
        if text_width(raw, CELL_SIZE) <= width - 2 * CELL_PAD - 0.5:
            return Txt(raw, colour=colour)
    style = styles()["cell"]
    if colour is not None:
        style = _variant(style, textColor=colour)
    return para(raw, style, cell_w(width), limit=limit)


def ellipsize(text: str, size: float, max_width: float, bold: bool = False) -> str:
    if text_width(text, size, bold) <= max_width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with its ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, bold) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def _prepare_line(text: object, size: float, bold: bool, max_width: float | None) -> str:
    s = clean(text).replace("\n", " ")
    if max_width is not None:
        s = ellipsize(s, size, max_width, bold)
    if _has_rtl(s):
        s = visual(_reshape(s), is_rtl_text(s))
    return s


def draw_line(canv: Canvas, x: float, y: float, text: object, size: float, *, bold: bool = False,
              anchor: str = "start", max_width: float | None = None,
              color: colors.Color = INK) -> None:
    """One line of user text on a canvas, in as many fonts as it needs."""
    s = _prepare_line(text, size, bold, max_width)
    width = text_width(s, size, bold)
    x -= width if anchor == "end" else width / 2 if anchor == "middle" else 0
    canv.setFillColor(color)
    for name, chunk in runs(s, bold):
        canv.setFont(name, size)
        canv.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)


def label(x: float, y: float, text: object, size: float, *, bold: bool = False,
          anchor: str = "start", max_width: float | None = None,
          color: colors.Color = INK) -> list[String]:
    """One line of user text as chart shapes (one String per font run)."""
    s = _prepare_line(text, size, bold, max_width)
    width = text_width(s, size, bold)
    x -= width if anchor == "end" else width / 2 if anchor == "middle" else 0
    shapes = []
    for name, chunk in runs(s, bold):
        shapes.append(String(x, y, chunk, fontName=name, fontSize=size, fillColor=color))
        x += pdfmetrics.stringWidth(chunk, name, size)
    return shapes


# -- styles --------------------------------------------------------------------------------
@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    fonts()
    base = ParagraphStyle("pd-body", fontName=SANS, fontSize=8.6, leading=11.2, textColor=INK)
    s = {
        "body": base,
        "small": ParagraphStyle("pd-small", parent=base, fontSize=7.6, leading=9.6),
        "muted": ParagraphStyle("pd-muted", parent=base, fontSize=7.6, leading=9.6, textColor=MUTED),
        "cell": ParagraphStyle("pd-cell", parent=base, fontSize=7.8, leading=9.8),
        "cell-muted": ParagraphStyle("pd-cell-muted", parent=base, fontSize=7.2, leading=9.0,
                                     textColor=MUTED),
        "cell-bold": ParagraphStyle("pd-cell-bold", parent=base, fontName=SANS_BOLD, fontSize=7.8,
                                    leading=9.8),
        "cell-right": ParagraphStyle("pd-cell-right", parent=base, fontSize=7.8, leading=9.8,
                                     alignment=TA_RIGHT),
        "head": ParagraphStyle("pd-head", parent=base, fontName=SANS_BOLD, fontSize=7.2,
                               leading=9.0, textColor=MUTED),
        "head-right": ParagraphStyle("pd-head-right", parent=base, fontName=SANS_BOLD,
                                     fontSize=7.2, leading=9.0, textColor=MUTED, alignment=TA_RIGHT),
        "h1": ParagraphStyle("pd-h1", parent=base, fontName=SANS_BOLD, fontSize=17, leading=21,
                             spaceAfter=2),
        "h1-long": ParagraphStyle("pd-h1-long", parent=base, fontName=SANS_BOLD, fontSize=12.5,
                                  leading=15.5, spaceAfter=2),
        "h2": ParagraphStyle("pd-h2", parent=base, fontName=SANS_BOLD, fontSize=10.5, leading=13,
                             spaceBefore=9, spaceAfter=4, textColor=ACCENT),
        "title": ParagraphStyle("pd-title", parent=base, fontName=SANS_BOLD, fontSize=30,
                                leading=36, textColor=INK),
        "figure": ParagraphStyle("pd-figure", parent=base, fontName=SANS_BOLD, fontSize=20,
                                 leading=24),
        "subtitle": ParagraphStyle("pd-subtitle", parent=base, fontSize=14, leading=19,
                                   textColor=MUTED),
    }
    return s


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle whose cells start in our font (the default, Helvetica, is not embedded)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), SANS, 8), *commands])


CELL_PAD = 3
CELL_SIZE, CELL_LEADING = 7.8, 9.8
HEAD_SIZE, HEAD_LEADING = 7.2, 9.0


@dataclass(frozen=True, slots=True)
class Txt:
    """A table cell of our own short text (a date, a number, a word from a vocabulary): drawn as
    a plain string, several times cheaper than a Paragraph. Never use it for user text, which
    needs wrapping, escaping and font fallback (para())."""

    text: str
    colour: Any = None
    bold: bool = False
    right: bool = False
    small: bool = False


def data_table(rows: list[list[Any]], widths: list[float], *, header_rows: int = 1,
               zebra: bool = True, extra: list[tuple[Any, ...]] | None = None) -> Table:
    """A table of records: a shaded header row repeated on every page it runs onto, zebra rows,
    and rows that never split across a page (repeatRows, splitByRow)."""
    cmds: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, header_rows - 1), SANS_BOLD, HEAD_SIZE, HEAD_LEADING),
        ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), MUTED),
        ("FONT", (0, header_rows), (-1, -1), SANS, CELL_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, header_rows), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.8),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.7, FAINT),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
    ]
    if zebra:
        for r in range(header_rows + 1, len(rows), 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
    cells: list[list[Any]] = []
    for r, row in enumerate(rows):
        out = []
        for c, cell in enumerate(row):
            if isinstance(cell, str):
                cell = Txt(cell)
            if isinstance(cell, Txt) and not _fits(cell, widths[c], r < header_rows):
                cell = _txt_para(cell, r < header_rows)  # wrap rather than run into the next cell
            if isinstance(cell, Txt):
                at = ((c, r), (c, r))
                if cell.colour is not None:
                    cmds.append(("TEXTCOLOR", *at, cell.colour))
                if cell.bold or cell.small:
                    size, leading = (HEAD_SIZE, HEAD_LEADING) if r < header_rows or cell.small \
                        else (CELL_SIZE, CELL_LEADING)
                    cmds.append(("FONT", *at, SANS_BOLD if cell.bold or r < header_rows else SANS,
                                 size, leading))
                if cell.right:
                    cmds.append(("ALIGN", *at, "RIGHT"))
                cell = cell.text
            out.append(cell)
        cells.append(out)
    cmds.append(("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE))
    t = Table(cells, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    t.setStyle(table_style(cmds + (extra or [])))
    return t


def _fits(cell: Txt, width: float, head: bool) -> bool:
    size = HEAD_SIZE if head or cell.small else CELL_SIZE
    bold = head or cell.bold
    room = width - 2 * CELL_PAD
    return all(text_width(line, size, bold) <= room for line in cell.text.split("\n"))


def _txt_para(cell: Txt, head: bool) -> Paragraph:
    st = styles()
    style = st["head-right" if cell.right else "head"] if head else \
        st["cell-right" if cell.right else "cell"]
    changes: dict[str, Any] = {}
    if cell.colour is not None:
        changes["textColor"] = cell.colour
    if cell.bold and not head:
        changes["fontName"] = SANS_BOLD
    if cell.small and not head:
        changes.update(fontSize=HEAD_SIZE, leading=HEAD_LEADING)
    return Paragraph(markup(clean(cell.text)), _variant(style, **changes) if changes else style)


def cell_w(width: float) -> float:
    """The room a Paragraph has inside a data_table column of this width."""
    return width - 2 * CELL_PAD


def head_cell(text: str, right: bool = False) -> Txt:
    return Txt(text, right=right)


def num_cell(text: str, colour: Any = None, bold: bool = False) -> Txt:
    return Txt(text, colour=colour, bold=bold, right=True)


def title_style(name: str) -> ParagraphStyle:
    """The heading for a vendor's name: smaller when the name is long, so it stays a few lines."""
    return styles()["h1" if len(name) <= 60 else "h1-long"]


# -- page furniture ------------------------------------------------------------------------
class SectionMark(Flowable):
    """Zero-size marker: names the running header from here on, and adds a PDF outline entry."""

    def __init__(self, title: str, key: str | None = None, outline: bool = True):
        super().__init__()
        self.title = title
        self.key = key
        self.outline = outline
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv.section = self.title  # type: ignore[attr-defined]
        if self.key:
            canv.bookmarkPage(self.key)
            if self.outline:
                canv.addOutlineEntry(clean(self.title)[:120] or "—", self.key, level=0)


Decorate = Callable[[Canvas, int, int, str], None]


def canvas_maker(decorate: Decorate) -> Callable[..., Canvas]:
    """A canvas that holds its pages until the end, so that each can say 'page N of M'."""

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            if not kwargs.get("initialFontName"):  # else every page names Helvetica
                kwargs["initialFontName"] = SANS
            super().__init__(*args, **kwargs)
            self.section = ""
            self._pages: list[tuple[dict[str, Any], str]] = []

        def showPage(self) -> None:
            self._pages.append((dict(self.__dict__), self.section))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, (state, section) in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, total, section)
                Canvas.showPage(self)
            Canvas.save(self)

    return _NumberedCanvas


def one_vendor_pdf(paper: str, heading: str, prepared: date, title: str, margin: float,
                   story: Callable[[float], list[Any]]) -> bytes:
    """A one-vendor document (the meeting brief, the QBR workspace): `heading` and the section
    at the top of each page, "Prepared <day>" and the page number at the foot; `story` gets the
    text width and returns the flowables."""
    page_w, page_h = paper_size(paper)

    def decorate(canv: Any, number: int, total: int, section: str) -> None:
        header(canv, page_w, page_h, margin, heading, section)
        footer(canv, page_w, margin, f"Prepared {fmt_day(prepared)} · partnerdesk", number, total)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(page_w, page_h), leftMargin=margin, rightMargin=margin,
                            topMargin=margin + 4 * mm, bottomMargin=margin + 2 * mm, title=title,
                            author="partnerdesk", creator="partnerdesk")
    doc.build(story(page_w - 2 * margin), canvasmaker=canvas_maker(decorate))
    return buf.getvalue()


def footer(canv: Canvas, page_w: float, margin: float, left: str, number: int, total: int) -> None:
    canv.saveState()
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(margin, 12 * mm, page_w - margin, 12 * mm)
    draw_line(canv, margin, 8.5 * mm, left, 7, color=MUTED, max_width=page_w / 2)
    draw_line(canv, page_w - margin, 8.5 * mm, f"Page {number} of {total}", 7, anchor="end",
              color=MUTED)
    canv.restoreState()


def header(canv: Canvas, page_w: float, page_h: float, margin: float, left: str, right: str) -> None:
    canv.saveState()
    y = page_h - 11 * mm
    draw_line(canv, margin, y, left, 7.2, bold=True, color=ACCENT, max_width=page_w * 0.45)
    draw_line(canv, page_w - margin, y, right, 7.2, anchor="end", color=MUTED,
              max_width=page_w * 0.45)
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(margin, y - 2.6 * mm, page_w - margin, y - 2.6 * mm)
    canv.restoreState()


# -- numbers and dates as printed ----------------------------------------------------------
def fmt_day(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "—"


def fmt_short(d: date | None) -> str:
    return f"{d.day} {d:%b}" if d else "—"


def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def fmt_change(value: float | None) -> tuple[str, colors.Color]:
    if value is None:
        return "—", FAINT
    if round(value) == 0:
        return "±0", MUTED
    return (f"▲ {value:.0f}", BAND_COLOURS["green"]) if value > 0 else \
        (f"▼ {-value:.0f}", BAND_COLOURS["red"])


TREND_ARROWS = {"up": "▲", "down": "▼", "flat": "▶"}


# -- writing the file ----------------------------------------------------------------------
def check_target(out: Path) -> Path:
    """Refuse a target that cannot take a file, before any work is done ('-': standard output)."""
    from partnerdesk.services.output_file import is_special, is_stdout, real_target

    if is_stdout(out):
        return Path("-")
    out = Path(out).expanduser()
    if out.is_dir():
        raise ExportFailed(f"{out} is a folder; give a file name, such as {out / 'report.pdf'}.")
    if is_special(real_target(out)):
        return out  # a pipe or a device: written through (services/output_file.py)
    parent = real_target(out).parent
    if not parent.exists():
        raise ExportFailed(f"The folder {parent} does not exist; create it or choose another place.")
    if not parent.is_dir():
        raise ExportFailed(f"{parent} is not a folder; choose another place for the PDF.")
    try:  # a folder we may not write to fails now, not after the whole PDF is built
        fd, probe = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise _write_error(exc, out) from None
    return out


def write_atomically(out: Path, data: bytes) -> Path:
    """Write all of `data` to `out` (0600), or leave `out` as it was; '-' is standard output."""
    from partnerdesk.services.output_file import private_output

    out = check_target(out)
    try:
        with private_output(out) as fh:
            fh.write(data)
    except OSError as exc:
        raise _write_error(exc, out) from None
    return out


def _write_error(exc: OSError, out: Path) -> ExportFailed:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportFailed(f"The disk is full; {out} was not written. Free some space and try again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportFailed(f"Cannot write {out}: permission denied; choose a folder you can write to.")
    return ExportFailed(f"Cannot write {out}: {exc.strerror or exc}; choose another place.")


def check_cancel(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled("The export was cancelled; no file was written.")


def chunked(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
