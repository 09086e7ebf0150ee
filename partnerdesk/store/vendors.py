"""Vendors: names, programmes, domains and who bought whom.

The reads live in store/reading.py. The writes use sqlmodel, imported inside them: `partnerdesk
log` resolves a vendor through this store and should not pay ~0.3 s to import the ORM.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from partnerdesk.domain.errors import AlreadyExists, InvalidInput, NotFound
from partnerdesk.domain.models import Vendor
from partnerdesk.domain.validation import (
    check_acquirer,
    check_day,
    clean_domain,
    clean_line,
    clean_name,
    clean_text,
)
from partnerdesk.store.reading import VendorNotFound, VendorReads  # noqa: F401 (re-exported)
from partnerdesk.store.timecodec import now_epoch, to_iso_day

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlmodel import Session

    from partnerdesk.store.journal import Journal

# Recomputes the names full-text search knows an interaction by: vendor, acquirer, contacts.
REFRESH_PEOPLE_SQL = """
UPDATE interaction SET people =
    (SELECT v.name || coalesce(' ' || a.name, '')
       FROM vendor v LEFT JOIN vendor a ON a.id = v.acquirer_id
      WHERE v.id = interaction.vendor_id)
    || coalesce((SELECT ' ' || group_concat(c.name, ' ')
                   FROM interaction_contact ic JOIN contact c ON c.id = ic.contact_id
                  WHERE ic.interaction_id = interaction.id), '')
"""


def refresh_people(conn: Connection, where: str, params: dict[str, object]) -> None:
    conn.exec_driver_sql(REFRESH_PEOPLE_SQL + " WHERE " + where, params)


class VendorStore(VendorReads):
    """The reads (store/reading.py, shared with the window and the command line) and the writes."""

    def __init__(self, journal: Journal):
        super().__init__(journal.reading)
        self._j = journal

    # -- reading (all, get, resolve: store/reading.py) ---------------------------------
    def by_domain(self, domain: str) -> Vendor | None:
        """The vendor whose domain matches, including parent domains (mail.acme.com → acme.com)."""
        from sqlmodel import select

        from partnerdesk.store.tables import VendorDomainRow

        parts = domain.lower().strip(".").split(".")
        candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
        if not candidates:
            return None
        with self._j.session() as s:
            rows = s.exec(select(VendorDomainRow).where(VendorDomainRow.domain.in_(candidates))).all()  # type: ignore[attr-defined]
        if not rows:
            return None
        best = max(rows, key=lambda r: len(r.domain))
        return self.get(best.vendor_id)

    # -- writing -------------------------------------------------------------------------
    def add(self, name: str, programme: str = "", tier: str = "", domains: list[str] | tuple[str, ...] = (),
            notes: str = "") -> Vendor:
        from sqlalchemy.exc import IntegrityError  # with the ORM: `log` imports neither

        from partnerdesk.store.tables import VendorDomainRow, VendorRow

        name = clean_name(name, "vendor")
        clean = [clean_domain(d) for d in domains]
        now = now_epoch()
        try:
            with self._j.session(write=True) as s, s.begin():
                _refuse_taken_name(s, name, None)
                row = VendorRow(name=name, programme=clean_line(programme), tier=clean_line(tier),
                                notes=clean_text(notes), created_at=now, updated_at=now)
                s.add(row)
                s.flush()
                self._check_domains_free(s, clean, row.id)
                for d in dict.fromkeys(clean):
                    s.add(VendorDomainRow(domain=d, vendor_id=row.id))
                vid = row.id
        except IntegrityError:
            raise AlreadyExists(f"A vendor named '{name}' already exists; pick another name or edit that one.") from None
        assert vid is not None
        return self.get(vid)

    def update(self, vendor_id: int, *, name: str | None = None, programme: str | None = None,
               tier: str | None = None, notes: str | None = None,
               domains: list[str] | tuple[str, ...] | None = None, archived: bool | None = None) -> Vendor:
        from sqlalchemy import delete
        from sqlalchemy.exc import IntegrityError

        from partnerdesk.store.tables import VendorDomainRow, VendorRow

        clean = [clean_domain(d) for d in domains] if domains is not None else None
        try:
            with self._j.session(write=True) as s, s.begin():
                row = s.get(VendorRow, vendor_id)
                if row is None:
                    raise NotFound(f"Vendor #{vendor_id} does not exist.")
                renamed = False
                if name is not None:
                    new = clean_name(name, "vendor")
                    _refuse_taken_name(s, new, vendor_id)
                    renamed = new != row.name
                    row.name = new
                if programme is not None:
                    row.programme = clean_line(programme)
                if tier is not None:
                    row.tier = clean_line(tier)
                if notes is not None:
                    row.notes = clean_text(notes)
                if archived is not None:
                    row.archived = archived
                row.updated_at = now_epoch()
                if clean is not None:
                    self._check_domains_free(s, clean, vendor_id)
                    s.exec(delete(VendorDomainRow).where(VendorDomainRow.vendor_id == vendor_id))  # type: ignore[call-overload, arg-type]
                    for d in dict.fromkeys(clean):
                        s.add(VendorDomainRow(domain=d, vendor_id=vendor_id))
                s.flush()
                if renamed:
                    conn = s.connection()
                    refresh_people(conn, "vendor_id = :v OR vendor_id IN "
                                   "(SELECT id FROM vendor WHERE acquirer_id = :v)", {"v": vendor_id})
        except IntegrityError:
            raise AlreadyExists(f"A vendor named '{name}' already exists; pick another name.") from None
        return self.get(vendor_id)

    def set_acquirer(self, vendor_id: int, acquirer_id: int | None, on: date | None) -> Vendor:
        """Record 'acquired by ACQUIRER on DATE' (or clear it with None)."""
        if on is not None:
            check_day(on, "The acquisition date")
        from partnerdesk.store.tables import VendorRow

        if acquirer_id == vendor_id:
            raise InvalidInput("A vendor cannot acquire itself; name the company that bought it.")
        with self._j.session(write=True) as s, s.begin():
            row = s.get(VendorRow, vendor_id)
            if row is None:
                raise NotFound(f"Vendor #{vendor_id} does not exist.")

            def acquirer_of(vid: int) -> int | None:
                parent = s.get(VendorRow, vid)
                if parent is None:
                    raise NotFound(f"Vendor #{vid} does not exist.")
                return parent.acquirer_id

            check_acquirer(vendor_id, acquirer_id, acquirer_of)  # itself, or a cycle: refused
            row.acquirer_id = acquirer_id
            row.acquired_on = to_iso_day(on) if acquirer_id else None
            row.updated_at = now_epoch()
            s.flush()
            refresh_people(s.connection(), "vendor_id = :v", {"v": vendor_id})
        return self.get(vendor_id)

    def delete(self, vendor_id: int) -> None:
        """Only a vendor with no interactions can go; archive the others."""
        with self._j.writing() as conn:
            n = conn.exec_driver_sql("SELECT count(*) FROM interaction WHERE vendor_id = ?",
                                     (vendor_id,)).scalar_one()
            if n:
                raise InvalidInput(f"This vendor has {n} interactions; archive it instead of deleting it.")
            conn.exec_driver_sql("DELETE FROM vendor WHERE id = ?", (vendor_id,))

    @staticmethod
    def _check_domains_free(s: object, domains: list[str], vendor_id: int | None) -> None:
        from sqlmodel import select

        from partnerdesk.store.tables import VendorDomainRow, VendorRow

        if not domains:
            return
        rows = s.exec(select(VendorDomainRow, VendorRow.name)  # type: ignore[attr-defined]
                      .join(VendorRow, VendorRow.id == VendorDomainRow.vendor_id)  # type: ignore[arg-type]
                      .where(VendorDomainRow.domain.in_(domains))).all()  # type: ignore[attr-defined]
        for dom, owner in rows:
            if dom.vendor_id != vendor_id:
                raise AlreadyExists(f"The domain {dom.domain} already belongs to {owner}; remove it there first.")


def _refuse_taken_name(s: Session, name: str, vendor_id: int | None) -> None:
    """Names are unique in any case. SQLite's NOCASE folds ASCII only, so 'TELEFÓNICA' would
    slip past the index next to 'Telefónica' (and resolve() could then reach only one of them)."""
    from sqlmodel import select

    from partnerdesk.store.tables import VendorRow

    folded = name.casefold()
    for other_id, other in s.exec(select(VendorRow.id, VendorRow.name)).all():
        if other_id != vendor_id and other.casefold() == folded:
            raise AlreadyExists(f"A vendor named '{other}' already exists; pick another name or edit that one.")
