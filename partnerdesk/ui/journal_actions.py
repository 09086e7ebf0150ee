"""What the window does to the journal, in one place: the form's text in, a saved record out.

Unknown vendors and contacts are offered for creation instead of being an error, because a
rep logging after a call should not have to leave the quick log to add a new person.
"""

from __future__ import annotations

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

    if isinstance(exc, PartnerdeskError):
        return str(exc)
    known = explain(exc, path)  # type: ignore[arg-type]
    return str(known) if known else f"{doing}: {exc}"


def _offer_missing(session: JournalSession, req: LogRequest, parent: QWidget | None, ask: bool) -> bool:
    """Add the vendor or contacts the request names but the journal lacks, if the rep agrees."""
    store = session.store()
    try:
        vendor = store.vendors.resolve(req.vendor)
    except NotFound as exc:
        if not req.vendor.strip():
            return False
        if not ask or QMessageBox.question(
                parent, "New vendor", f"{exc}\n\nAdd “{req.vendor.strip()}” as a new vendor?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        vendor = store.vendors.add(req.vendor)
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
            return False
        for name in missing:
            store.contacts.add(vendor.id, name)
        session.notify("contact", [vendor.id])
    return True


def draft_from_form(session: JournalSession, req: LogRequest, parent: QWidget | None = None,
                    ask: bool = True) -> InteractionDraft:
    """Build a valid draft, offering to create unknown names; raises PartnerdeskError otherwise."""
    try:
        return build_draft(session.store(), req)
    except NotFound:
        if _offer_missing(session, req, parent, ask):
            return build_draft(session.store(), req)
        raise


def log_new(session: JournalSession, draft: InteractionDraft) -> Interaction:
    item = session.store().interactions.add(draft)
    session.undo.push(AddInteraction(session, item))
    session.notify("interaction", {"added": [(item.id, int(item.occurred_at.timestamp()))]})
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
