"""Counts in words: '1 registration', '3 registrations', '1,204 matches'.

One helper for the core's sentences (health's economics, follow-ups) and the window's
(ui/messages.py re-exports it), so every face pluralises the same way.
"""

from __future__ import annotations

IRREGULAR = {"match": "matches", "follow-up": "follow-ups", "company": "companies",
             "was a broadcast": "were broadcasts"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """`n` and `word`, the plural when n is not 1 (`many`, a known irregular one, or +s)."""
    return f"{n:,} {word if n == 1 else (many or IRREGULAR.get(word) or word + 's')}"
