"""Every script a rep may type prints in a font embedded in the PDF, from fonts partnerdesk ships.

On a clean machine (no CJK system font) Chinese and Korean names used to print in reportlab's
CID fonts, which are never embedded: a reader without Adobe's Asian font pack saw nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest

from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import EventKind, FollowUpOwner, Tag
from partnerdesk.services import pdf_base
from partnerdesk.services.brief import build_brief
from partnerdesk.services.quarterly_report import build_quarterly_report
from partnerdesk.store.journal import Journal
from tests.helpers import draft
from tests.services.pdf_checks import assert_fonts_embedded, fonts, needs_pdf_tools, text_of

TODAY = date(2026, 11, 27)
SCRIPTS = {
    "Chinese": "华为云计算",
    "Japanese": "ソフトバンク株式会社",
    "Korean": "삼성전자 파트너",
    "Arabic": "شركة الاتصالات",
    "Hebrew": "שותפים בע״מ",
}


@pytest.fixture
def world(journal: Journal) -> tuple[Journal, int]:
    """One vendor per script, with notes, a promise and an event in that script too."""
    first = 0
    for k, (script, text) in enumerate(SCRIPTS.items()):
        v = journal.vendors.add(f"{text} {script}")
        first = first or v.id
        journal.interactions.add(draft(
            v.id, f"{text}: deal registration", at=datetime(2026, 8, 3 + k, 10, tzinfo=UTC),
            notes=" ".join(SCRIPTS.values()), quality=4, tag=Tag.HELPFUL,
            follow_up=FollowUp(date(2026, 12, 1), text, FollowUpOwner.VENDOR)))
        journal.events.add(v.id, date(2026, 7, 15), EventKind.PROGRAMME_CHANGE, text)
    return journal, first


def test_the_cjk_font_ships_with_its_licence() -> None:
    folder = resources.files("partnerdesk.resources") / "fonts"
    assert (folder / pdf_base.CJK_FONT).is_file()
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert pdf_base.CJK_FONT in licence and "Apache License" in licence


def test_the_wheel_and_the_bundle_carry_the_fonts() -> None:
    """An editable install finds the font in the checkout either way; the wheel only when
    pyproject.toml's package data names it, the PyInstaller bundle only when the spec does."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["partnerdesk.resources"]
    for name in (pdf_base.CJK_FONT, "DejaVuSans.ttf", "LICENSE"):
        assert any(fnmatch.fnmatch(f"fonts/{name}", p) for p in patterns), name
    spec = (root / "packaging" / "partnerdesk.spec").read_text(encoding="utf-8")
    assert '"fonts" / "*.ttf"' in spec and '"fonts" / "LICENSE"' in spec


def test_every_script_has_an_embeddable_font() -> None:
    """Each character is drawn by a registered TrueType font, never replaced by U+FFFD."""
    for text in SCRIPTS.values():
        assert pdf_base.REPLACEMENT not in pdf_base.clean(text), text
        for name, _chunk in pdf_base.runs(pdf_base.clean(text)):
            assert name in (pdf_base.SANS, pdf_base.SANS_BOLD) or name.startswith("PD-Fallback-")


def _check(path: Path) -> None:
    assert_fonts_embedded(path)
    names = [r["name"] for r in fonts(path)]
    # Han, kana and Hangul come from the shipped font, not from whatever this machine has.
    assert any("DroidSansFallback" in n for n in names), names
    text = text_of(path)
    for script, sample in SCRIPTS.items():
        assert sample in text, script


@needs_pdf_tools
def test_quarterly_report_embeds_every_font(world: tuple[Journal, int], tmp_path: Path) -> None:
    journal, _ = world
    _check(build_quarterly_report(journal, "2026Q3", tmp_path / "q.pdf", today=TODAY))


@needs_pdf_tools
def test_brief_embeds_every_font(world: tuple[Journal, int], tmp_path: Path) -> None:
    journal, first = world
    _check(build_brief(journal, first, tmp_path / "b.pdf", today=TODAY))
