"""Completion for comma-separated lists (contacts, topics) in a single line edit."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit


class ListCompleter(QCompleter):
    """Completes the word after the last comma and keeps what came before it."""

    def __init__(self, words: list[str], edit: QLineEdit):
        super().__init__(edit)
        self._model = QStringListModel(words, self)
        self.setModel(self._model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._edit = edit
        edit.setCompleter(self)

    def set_words(self, words: list[str]) -> None:
        self._model.setStringList(words)

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: QModelIndex) -> str:
        chosen = str(index.data())
        parts = [p.strip() for p in self._edit.text().split(",")[:-1] if p.strip()]
        return ", ".join([*parts, chosen]) + ", "


def split_list(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]
