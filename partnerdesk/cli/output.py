"""Printing records as an aligned table, CSV or JSON.

csv and json are imported where used: every read command loads this module, and most print a
table.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO

from partnerdesk.services.safe_text import csv_cell


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK is two wide, combining marks none)."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, w = [], 0
    for ch in text:
        cw = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else (0 if unicodedata.combining(ch) else 1)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
                out: TextIO | None = None, flexible: str | None = None) -> None:
    """Columns given as (key, heading). The `flexible` column shrinks to fit the terminal."""
    out = out or sys.stdout
    if not rows:
        return
    cells = [[_cell(r.get(k)) for k, _ in columns] for r in rows]
    widths = [max([_width(h)] + [_width(c[i]) for c in cells]) for i, (_, h) in enumerate(columns)]
    term = shutil.get_terminal_size((120, 24)).columns if out.isatty() else 160
    if flexible is not None:
        idx = [k for k, _ in columns].index(flexible)
        others = sum(w for i, w in enumerate(widths) if i != idx) + 2 * (len(widths) - 1)
        widths[idx] = max(12, min(widths[idx], term - others))
    for i, w in enumerate(widths):
        widths[i] = min(w, 60) if flexible is None or i != [k for k, _ in columns].index(flexible) else w

    def line(values: Sequence[str]) -> str:
        parts = []
        for v, w in zip(values, widths, strict=True):
            v = _clip(v, w)
            parts.append(v + " " * (w - _width(v)))
        return "  ".join(parts).rstrip()

    out.write(line([h for _, h in columns]) + "\n")
    out.write(line(["─" * w for w in widths]) + "\n")
    for c in cells:
        out.write(line(c) + "\n")


def print_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else csv_cell(r.get(c)) for c in columns])


def print_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    import json

    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
