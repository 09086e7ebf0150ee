"""Checks on a generated PDF with the command-line tools a reader's system has: qpdf, poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

TOOLS = ("qpdf", "pdftotext", "pdfinfo", "pdffonts")
MISSING = [t for t in TOOLS if shutil.which(t) is None]
needs_pdf_tools = pytest.mark.skipif(
    bool(MISSING), reason=f"{', '.join(MISSING)} not installed (Debian: qpdf poppler-utils)")


def qpdf_ok(path: Path) -> None:
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout, done.stdout


def text_of(path: Path, layout: bool = False) -> str:
    """The PDF's text; Arabic presentation forms folded back to letters (NFKC)."""
    cmd = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return unicodedata.normalize("NFKC", done.stdout)


def pages_text(path: Path) -> list[str]:
    return text_of(path).split("\f")[:-1]


def page_count(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    m = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    assert m, done.stdout
    return int(m.group(1))


def page_size(path: Path) -> tuple[float, float]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", done.stdout, re.M)
    assert m, done.stdout
    return float(m.group(1)), float(m.group(2))


def fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' rows: name, type, emb."""
    done = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=60)
    rows = []
    for line in done.stdout.splitlines()[2:]:
        parts = line.split()
        # name, type (1-2 words), encoding, emb, sub, uni, object, id
        rows.append({"name": parts[0], "emb": parts[-5], "type": " ".join(parts[1:-6])})
    return rows


def assert_fonts_embedded(path: Path) -> None:
    """Every font is embedded TrueType: a reader's machine needs no font of its own (no CID
    font that only Adobe's Asian font pack can draw)."""
    rows = fonts(path)
    assert rows, "no fonts listed"
    for r in rows:
        assert r["emb"] == "yes" and r["type"] == "TrueType", rows
    assert any("DejaVuSans" in r["name"] for r in rows), rows


def no_leftovers(folder: Path) -> list[str]:
    """Temporary files an export may have left behind (there must be none)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))
