"""Edit: undo and redo, duplicate and delete the selected interaction, find."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from partnerdesk.ui.actions import make_action, menu_named

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow


def install(w: MainWindow) -> None:
    K = QKeySequence.StandardKey
    w.act_undo = w.session.undo.createUndoAction(w, "&Undo")
    w.act_undo.setShortcut(K.Undo)
    w.act_redo = w.session.undo.createRedoAction(w, "&Redo")
    w.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(K.Redo)])
    w.act_duplicate = make_action(w, "D&uplicate interaction", lambda: duplicate_selected(w), "Ctrl+D",
                                  "Copy the selected interaction as a new one")
    w.act_delete = make_action(w, "&Delete interaction", lambda: delete_selected(w), K.Delete,
                               "Delete the selected interaction")
    w.act_find = make_action(w, "&Find", w.filters.focus_search, K.Find, "Search the journal")
    m = menu_named(w, "Edit")
    m.addActions([w.act_undo, w.act_redo])
    m.addSeparator()
    m.addActions([w.act_duplicate, w.act_delete])
    m.addSeparator()
    m.addAction(w.act_find)


def delete_selected(w: MainWindow) -> None:
    iid = w.interaction_or_warn()
    if iid is None:
        return
    if w.detail.item is None or w.detail.item.id != iid:
        w.detail.show_item(w.session.read_interaction(iid))
    row = w.table.currentIndex().row()
    w.detail.delete()
    if w.timeline.rowCount():
        w.table.setCurrentIndex(w.timeline.index(min(row, w.timeline.rowCount() - 1), 0))
    w.statusBar().showMessage("Deleted. Ctrl+Z brings it back.", 5000)


def duplicate_selected(w: MainWindow) -> None:
    from partnerdesk.ui import journal_actions

    iid = w.interaction_or_warn()
    if iid is None:
        return
    try:
        item = w.session.read_interaction(iid)
        if item is not None:
            journal_actions.duplicate(w.session, item)
    except Exception as exc:
        w.show_error(w.explain(exc))
