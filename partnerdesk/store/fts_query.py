"""Turn what a person types into a safe FTS5 query.

The simple syntax, documented in the README: every word must appear (any order, any case,
accents ignored); "a quoted phrase" must appear as written; a word of three or more letters
ending in * matches as a prefix. Everything else is literal: AND, OR, NOT, NEAR(, ^, -, : and stray quotes are just
text, never FTS operators.
"""

from __future__ import annotations

import re

from partnerdesk.domain.validation import clean_text

_TOKEN_RE = re.compile(r'"([^"]*)"?|(\S+)')
MAX_TERMS = 32
# Without a prefix index FTS5 merges every matching term's postings: 'p*' takes ~200 ms on
# a million rows, 'com*' ~5 ms. One or two letters before * therefore match whole words only.
MIN_PREFIX = 3  # a pasted paragraph is not a search; more terms only slow the query


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def build_match(text: str) -> str | None:
    """An FTS5 MATCH expression, or None when the text holds nothing searchable."""
    terms: list[str] = []
    text = clean_text(text or "")  # lone surrogates (undecodable input) cannot be bound to SQL
    for m in _TOKEN_RE.finditer(text):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            if _has_word(phrase):
                terms.append(_quote(" ".join(phrase.split())))
            continue
        prefix = word.endswith("*")
        core = word.rstrip("*").replace('"', " ")
        if not _has_word(core):
            continue
        term = _quote(core)
        if prefix and len(core) >= MIN_PREFIX:
            term += "*"
        terms.append(term)
        if len(terms) >= MAX_TERMS:
            break
    return " ".join(terms) if terms else None
