"""Completion for comma-separated lists (contacts, topics) in a single line edit."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
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


class TabAcceptsCompletion(QObject):
    """Tab in an open completion list takes the highlighted name (or the first one), closes the
    list and lets focus move on: keyboard users otherwise tab away with the half-typed text."""

    def __init__(self, edit: QLineEdit):
        super().__init__(edit)
        self._edit = edit
        completer = edit.completer()
        if completer is not None:
            completer.popup().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Tab:
            completer = self._edit.completer()
            popup = completer.popup()
            if popup.isVisible():
                index = popup.currentIndex()
                if not index.isValid():
                    index = popup.model().index(0, 0)
                if index.isValid():
                    self._edit.setText(str(index.data()))
                popup.hide()
                self._edit.focusNextChild()
                return True
        return super().eventFilter(watched, event)
