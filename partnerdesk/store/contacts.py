"""The people at each vendor, and when they held the job."""

from __future__ import annotations

import difflib
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from partnerdesk.domain.errors import AlreadyExists, InvalidInput, NotFound
from partnerdesk.domain.models import Contact
from partnerdesk.domain.validation import check_day, clean_line, clean_name
from partnerdesk.domain.vocab import Role
from partnerdesk.store.tables import ContactRow
from partnerdesk.store.timecodec import from_iso_day, now_epoch, to_iso_day
from partnerdesk.store.vendors import refresh_people

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal


class ContactStore:
    def __init__(self, journal: Journal):
        self._j = journal

    def for_vendor(self, vendor_id: int) -> list[Contact]:
        with self._j.session() as s:
            rows = s.exec(select(ContactRow).where(ContactRow.vendor_id == vendor_id)
                          .order_by(func.lower(ContactRow.name))).all()
        return [to_contact(r) for r in rows]

    def all(self) -> list[Contact]:
        with self._j.session() as s:
            rows = s.exec(select(ContactRow).order_by(ContactRow.vendor_id, func.lower(ContactRow.name))).all()
        return [to_contact(r) for r in rows]

    def get(self, contact_id: int) -> Contact:
        with self._j.session() as s:
            row = s.get(ContactRow, contact_id)
        if row is None:
            raise NotFound(f"Contact #{contact_id} does not exist.")
        return to_contact(row)

    def resolve(self, vendor_id: int, name: str, vendor_name: str = "this vendor") -> Contact:
        wanted = clean_line(name).casefold()
        people = self.for_vendor(vendor_id)
        for c in people:
            if c.name.casefold() == wanted:
                return c
        matches = [c for c in people if c.name.casefold().startswith(wanted)] if wanted else []
        if len(matches) == 1:
            return matches[0]
        close = difflib.get_close_matches(name, [c.name for c in people], n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise NotFound(f"{vendor_name} has no contact named '{name}'.{hint}")

    def add(self, vendor_id: int, name: str, role: Role = Role.OTHER, email: str = "", phone: str = "",
            active_from: date | None = None, active_to: date | None = None) -> Contact:
        name = clean_name(name, "contact")
        _check_span(active_from, active_to)
        now = now_epoch()
        try:
            with self._j.session(write=True) as s, s.begin():
                _refuse_taken_name(s, vendor_id, name, None)
                row = ContactRow(vendor_id=vendor_id, name=name, role=Role(role).value,
                                 email=clean_line(email).lower(), phone=clean_line(phone),
                                 active_from=to_iso_day(active_from), active_to=to_iso_day(active_to),
                                 created_at=now, updated_at=now)
                s.add(row)
                s.flush()
                cid = row.id
        except IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise NotFound(f"Vendor #{vendor_id} does not exist.") from None
            raise AlreadyExists(f"This vendor already has a contact named '{name}'.") from None
        assert cid is not None
        return self.get(cid)

    def update(self, contact_id: int, *, name: str | None = None, role: Role | None = None,
               email: str | None = None, phone: str | None = None,
               active_from: date | None | bool = False, active_to: date | None | bool = False) -> Contact:
        """Change the given fields. For the dates, False means 'leave as is', None clears."""
        try:
            with self._j.session(write=True) as s, s.begin():
                row = s.get(ContactRow, contact_id)
                if row is None:
                    raise NotFound(f"Contact #{contact_id} does not exist.")
                renamed = False
                if name is not None:
                    new = clean_name(name, "contact")
                    _refuse_taken_name(s, row.vendor_id, new, contact_id)
                    renamed = new != row.name
                    row.name = new
                if role is not None:
                    row.role = Role(role).value
                if email is not None:
                    row.email = clean_line(email).lower()
                if phone is not None:
                    row.phone = clean_line(phone)
                if active_from is not False:
                    row.active_from = to_iso_day(active_from)  # type: ignore[arg-type]
                if active_to is not False:
                    row.active_to = to_iso_day(active_to)  # type: ignore[arg-type]
                _check_span(from_iso_day(row.active_from), from_iso_day(row.active_to))
                row.updated_at = now_epoch()
                s.flush()
                if renamed:
                    refresh_people(s.connection(), "id IN (SELECT interaction_id FROM interaction_contact "
                                   "WHERE contact_id = :c)", {"c": contact_id})
        except IntegrityError:
            raise AlreadyExists(f"This vendor already has a contact named '{name}'.") from None
        return self.get(contact_id)


def _refuse_taken_name(s: Session, vendor_id: int, name: str, contact_id: int | None) -> None:
    """One name per person at a vendor, in any case (SQLite's NOCASE folds ASCII only)."""
    folded = name.casefold()
    rows = s.exec(select(ContactRow.id, ContactRow.name).where(ContactRow.vendor_id == vendor_id)).all()
    for other_id, other in rows:
        if other_id != contact_id and other.casefold() == folded:
            raise AlreadyExists(f"This vendor already has a contact named '{other}'.")


def _check_span(start: date | None, end: date | None) -> None:
    for day in (start, end):
        if day is not None:
            check_day(day, "The contact's date")
    if start and end and end < start:
        raise InvalidInput("The contact's end date is before the start date; check the dates.")


def to_contact(r: ContactRow) -> Contact:
    assert r.id is not None
    return Contact(
        id=r.id,
        vendor_id=r.vendor_id,
        name=r.name,
        role=Role(r.role) if r.role in Role._value2member_map_ else Role.OTHER,
        email=r.email,
        phone=r.phone,
        active_from=from_iso_day(r.active_from),
        active_to=from_iso_day(r.active_to),
    )
