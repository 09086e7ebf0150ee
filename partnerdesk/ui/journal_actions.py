"""What the window does to the journal, in one place: the form's text in, a saved record out.

Unknown vendors and contacts are offered for creation instead of being an error, because a
rep logging after a call should not have to leave the quick log to add a new person.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from partnerdesk.domain.errors import NotFound
from partnerdesk.domain.models import Interaction, InteractionDraft
from partnerdesk.services.log_entry import LogRequest, build_draft
from partnerdesk.ui.undo_commands import AddInteraction, DeleteInteraction, EditInteraction

if TYPE_CHECKING:
    from partnerdesk.ui.session import JournalSession


def failure_text(exc: BaseException, path: object = None, doing: str = "Not saved") -> str:
    """One sentence for any failure: ours as it is, SQLite's and the OS's explained, others named."""
    from partnerdesk.domain.errors import PartnerdeskError
    from partnerdesk.store.db_errors import explain
    from partnerdesk.ui.messages import for_window

    if isinstance(exc, PartnerdeskError):
        return for_window(str(exc))
    known = explain(exc, path)  # type: ignore[arg-type]
    return for_window(str(known)) if known else f"{doing}: {exc}"


def _offer_missing(session: JournalSession, req: LogRequest, parent: QWidget | None,
                   ask: bool) -> LogRequest | None:
    """The request with the vendor the rep meant, after adding the vendor or contacts it names
    but the journal lacks, if the rep agrees; None when they do not."""
    from dataclasses import replace

    from partnerdesk.store.vendors import VendorNotFound

    store = session.store()
    try:
        vendor = store.vendors.resolve(req.vendor)
    except NotFound as exc:
        typed = req.vendor.strip()
        if not typed or not ask:
            return None
        suggestions = exc.suggestions if isinstance(exc, VendorNotFound) else []
        chosen = choose_vendor(parent, typed, suggestions)
        if chosen is None:
            return None
        if chosen in suggestions:
            req = replace(req, vendor=chosen)
            vendor = store.vendors.resolve(chosen)
        else:
            vendor = store.vendors.add(typed)
            session.notify("vendor", [vendor.id])
    missing = []
    for name in req.contacts:
        try:
            store.contacts.resolve(vendor.id, name, vendor.name)
        except NotFound:
            missing.append(name)
    if missing:
        names = ", ".join(missing)
        if not ask or QMessageBox.question(
                parent, "New contacts", f"{vendor.name} has no contact named {names}.\n\nAdd them?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return None
        for name in missing:
            store.contacts.add(vendor.id, name)
        session.notify("contact", [vendor.id])
    return req


def draft_from_form(session: JournalSession, req: LogRequest, parent: QWidget | None = None,
                    ask: bool = True) -> InteractionDraft:
    """Build a valid draft, offering close vendor names or creating unknown names; raises
    PartnerdeskError otherwise."""
    try:
        return build_draft(session.store(), req)
    except NotFound:
        fixed = _offer_missing(session, req, parent, ask)
        if fixed is not None:
            return build_draft(session.store(), fixed)
        raise


def choose_vendor(parent: QWidget | None, typed: str, suggestions: list[str]) -> str | None:
    """Ask which vendor an unknown name meant. The close names come first and the nearest is
    the default (Enter), so a typo never makes a vendor by accident; adding the name as a new
    vendor is an explicit second choice. Returns the name to use, or None to go back."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Which vendor?")
    box.setText(f"There is no vendor called “{typed}” yet."
                + (" Did you mean one of these?" if suggestions else ""))
    choices: dict[object, str] = {}
    for name in suggestions:
        button = box.addButton(f"Use {name}", QMessageBox.ButtonRole.AcceptRole)
        choices[button] = name
    add = box.addButton(f"Add “{typed}” as a new vendor", QMessageBox.ButtonRole.YesRole)
    choices[add] = typed
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(next(iter(choices)) if suggestions else back)  # type: ignore[arg-type]
    box.setEscapeButton(back)
    box.exec()
    return choices.get(box.clickedButton())


def log_new(session: JournalSession, draft: InteractionDraft) -> Interaction:
    item = session.store().interactions.add(draft)
    session.undo.push(AddInteraction(session, item))
    session.notify("interaction", {"added": [(item.id, int(item.occurred_at.timestamp()))]})
    return item


def log_new_with_items(session: JournalSession, draft: InteractionDraft,
                       more: list[tuple[str, date, str]]) -> Interaction:
    """Log an interaction and its further follow-ups (what, due, owner) as one undo step."""
    if not more:
        return log_new(session, draft)
    from partnerdesk.services import followups
    from partnerdesk.ui.followup_undo import record

    session.undo.beginMacro(f"Log “{draft.summary[:40]}” with {followups.plural(len(more) + 1)}")
    try:
        item = log_new(session, draft)
        record(session, followups.add_items(session.store(), item.id, more))
    finally:
        session.undo.endMacro()
    return item


def save_edit(session: JournalSession, before: Interaction, draft: InteractionDraft) -> Interaction:
    after = session.store().interactions.update(before.id, draft)
    session.undo.push(EditInteraction(session, before, after))
    session.notify("interaction", {"updated": [(after.id, int(after.occurred_at.timestamp()))]})
    return after


def delete(session: JournalSession, interaction_id: int) -> Interaction:
    from partnerdesk.services.followups import items_of

    action_items = items_of(session.store(), interaction_id)
    item = session.store().interactions.delete(interaction_id)
    session.undo.push(DeleteInteraction(session, item, action_items))
    session.notify("interaction", {"removed": [interaction_id]})
    return item


def duplicate(session: JournalSession, item: Interaction) -> Interaction:
    """A copy logged now, as a starting point for a similar interaction."""
    from dataclasses import replace

    from partnerdesk.domain.vocab import Source
    from partnerdesk.domain.when import local_now

    draft = replace(item.as_draft(), occurred_at=local_now(), source=Source.MANUAL, source_id=None,
                    follow_up=None)
    new = session.store().interactions.add(draft)
    session.undo.push(AddInteraction(session, new, "Duplicate"))
    session.notify("interaction", {"added": [(new.id, int(new.occurred_at.timestamp()))]})
    return new
