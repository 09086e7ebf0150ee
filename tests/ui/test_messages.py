"""The window's voice: plurals, and no command-line words in sentences shown in the window."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from partnerdesk.ui.messages import for_window, plural

CORE_SENTENCES = [
    "Say whether it was helpful or transactional (--tag helpful|transactional).",
    "A follow-up needs a due date; add --follow-up YYYY-MM-DD.",
    "3 rows have no tag (every interaction needs a tag); choose another with --tag.",
    "Some items match no vendor: add the domain to a vendor, or pass --vendor.",
    "There is no journal at /x; check the path (or --db).",
    "The search index is out of step; 'partnerdesk check --repair' rebuilds it",
    "The whole journal exports as one JSON document; use --format json "
    "(or pick --what interactions, vendors, contacts, events or answers for CSV).",
]


def test_plurals():
    assert plural(1, "interaction") == "1 interaction"
    assert plural(0, "interaction") == "0 interactions"
    assert plural(1204, "match") == "1,204 matches"
    assert plural(1, "match") == "1 match"


def test_core_sentences_lose_their_flags_and_keep_their_meaning():
    for sentence in CORE_SENTENCES:
        shown = for_window(sentence)
        assert not re.search(r"(?<![\w-])--[a-z]", shown), shown
        assert len(shown) > 20
    assert "Ctrl+1 helpful" in for_window(CORE_SENTENCES[0])
    assert "Help ▸ Check journal" in for_window(CORE_SENTENCES[5])


WORDS = st.text(st.characters(blacklist_characters="-", blacklist_categories=("Cs",)), max_size=60)


@given(WORDS, st.from_regex(r"--[a-z]{2,10}", fullmatch=True), WORDS)
def test_no_flag_survives(before, flag, after):
    assert "--" not in for_window(f"{before} use {flag} {after}")


def test_dark_theme_switch_gives_a_dark_palette(qapp):
    from partnerdesk.ui.charts import is_dark
    from partnerdesk.ui.theme import apply_theme

    saved = qapp.palette()
    try:
        assert apply_theme(qapp, "dark") == "dark"
        assert is_dark(qapp.palette())
        assert apply_theme(qapp, "") == ""
    finally:
        qapp.setPalette(saved)


def test_open_without_a_viewer_says_where_the_file_is(qapp, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from partnerdesk.ui.open_file import open_in_viewer

    said: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    assert not open_in_viewer(None, tmp_path / "q3.pdf")
    assert str(tmp_path / "q3.pdf") in said[0] and "no program" in said[0]
