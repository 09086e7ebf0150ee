"""Marks the words of the current search in the detail pane's notes."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument


def search_words(text: str) -> list[str]:
    words = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', text):
        raw = (m.group(1) or m.group(2) or "").strip().rstrip("*")
        if any(ch.isalnum() for ch in raw):
            words.append(raw)
    return words


class SearchHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self._pattern: re.Pattern[str] | None = None
        self._format = QTextCharFormat()
        self._format.setBackground(QColor(255, 213, 79, 170))
        self._format.setForeground(QColor("black"))

    def set_query(self, text: str) -> None:
        words = search_words(text)
        self._pattern = (re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)),
                                    re.IGNORECASE) if words else None)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self._format)
