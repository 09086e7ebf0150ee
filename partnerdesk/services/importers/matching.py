"""Settling what a file names against the journal: which vendor, which contacts (existing or new).

Vendors are matched by company name first (a CSV's Company column, a vCard's ORG), then by the
mail domains of the people involved (VendorStore.by_domain, parent domains included), then the
caller's fallback vendor. The rep's own addresses and domain never pick a vendor or become contacts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import NAME_MAX, Vendor
from partnerdesk.domain.validation import clean_line
from partnerdesk.domain.vocab import Role
from partnerdesk.services.importers.common import (
    Person,
    domain_of,
    is_noreply,
    name_from_email,
)
from partnerdesk.services.importers.model import PlannedContact

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal

# A contact the import will create, by (vendor id, case-folded name): resolved to an id on apply.
NewRef = tuple[int, str]
ContactRef = int | NewRef

_SUFFIX_RE = re.compile(
    r"[\s,.]+(inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|ag|sa|s\.a|"
    r"bv|b\.v|nv|plc|pty|srl|spa|oy|ab|as|kk|lp|llp)\.?$", re.I)


def company_key(name: str) -> str:
    """'Acme Corp.' and 'ACME, Inc.' both become 'acme'."""
    key = clean_line(name).casefold()
    for _ in range(2):
        key = _SUFFIX_RE.sub("", key).strip(" ,.")
    return key


@dataclass(frozen=True, slots=True)
class VendorChoice:
    vendor: Vendor | None
    by_domain: bool  # matched through a mail domain (contacts are then those at its domains)
    unmatched_domains: tuple[str, ...]
    unmatched_names: tuple[str, ...]


class Resolver:
    def __init__(self, journal: Journal, fallback: Vendor | None, rep_emails: tuple[str, ...] = (),
                 vendor_for: dict[str, str] | None = None):
        self._j = journal
        self.fallback = fallback
        self.rep_emails = frozenset(e.lower() for e in rep_emails if e)
        self.rep_domains = frozenset(domain_of(e) for e in self.rep_emails if domain_of(e))
        vendors = journal.vendors.all()
        self._by_id = {v.id: v for v in vendors}
        self._by_name = {v.name.casefold(): v for v in vendors}
        self._by_company: dict[str, Vendor] = {}
        for v in vendors:
            self._by_company.setdefault(company_key(v.name), v)
        # The window's (or --vendor-for's) answers: a domain or a company name -> a vendor.
        self._answers: dict[str, Vendor] = {}
        for key, name in (vendor_for or {}).items():
            answer = self._by_name.get(clean_line(name).casefold())
            if answer is None:
                raise InvalidInput(f"No vendor named '{name}' (given for '{key}'); add it first.")
            self._answers[clean_line(key).casefold().lstrip("@")] = answer
        self._domain_cache: dict[str, Vendor | None] = {}
        self._contacts: dict[int, tuple[dict[str, int], dict[str, int]]] = {}  # vid -> (email, name)
        self.new_contacts: dict[NewRef, PlannedContact] = {}
        self._new_by_email: dict[tuple[int, str], NewRef] = {}

    # -- vendors -------------------------------------------------------------------------------
    def vendor_of_domain(self, domain: str) -> Vendor | None:
        if not domain or domain in self.rep_domains:
            return None
        if domain in self._domain_cache:
            return self._domain_cache[domain]
        found = self._answers.get(domain)
        if found is None:
            found = self._j.vendors.by_domain(domain)
        self._domain_cache[domain] = found
        return found

    def vendor_of_name(self, name: str) -> Vendor | None:
        key = clean_line(name).casefold()
        if not key:
            return None
        return (self._answers.get(key) or self._by_name.get(key)
                or self._by_company.get(company_key(name)))

    def choose(self, names: tuple[str, ...], people: tuple[Person, ...], sender: str = "") -> VendorChoice:
        for n in names:
            v = self.vendor_of_name(n)
            if v is not None:
                return VendorChoice(v, False, (), ())
        votes: Counter[int] = Counter()  # insertion-ordered: the first vendor seen wins a tie
        unmatched: dict[str, None] = {}
        for p in people:
            if not p.email or p.email in self.rep_emails:
                continue
            d = domain_of(p.email)
            if d in self.rep_domains:
                continue
            v = self.vendor_of_domain(d)
            if v is None:
                if d:
                    unmatched.setdefault(d, None)
                continue
            votes[v.id] += 2 if p.email == sender else 1  # the organizer / sender breaks ties
        if votes:
            best = max(votes, key=lambda vid: votes[vid])  # max keeps the first of equals
            return VendorChoice(self._by_id.get(best) or self._j.vendors.get(best), True, (), ())
        clean_names = tuple(n for n in (clean_line(x) for x in names) if n)
        return VendorChoice(self.fallback, False, tuple(unmatched), clean_names)

    # -- contacts ------------------------------------------------------------------------------
    def _known(self, vendor_id: int) -> tuple[dict[str, int], dict[str, int]]:
        if vendor_id not in self._contacts:
            by_email: dict[str, int] = {}
            by_name: dict[str, int] = {}
            for c in self._j.contacts.for_vendor(vendor_id):
                if c.email:
                    by_email.setdefault(c.email.lower(), c.id)
                by_name.setdefault(c.name.casefold(), c.id)
            self._contacts[vendor_id] = (by_email, by_name)
        return self._contacts[vendor_id]

    def is_rep(self, email: str) -> bool:
        return email in self.rep_emails

    def belongs(self, choice: VendorChoice, person: Person) -> bool:
        """Whether this person is one of the chosen vendor's people."""
        if choice.vendor is None:
            return False
        if not person.email:
            return bool(person.name)
        if person.email in self.rep_emails or domain_of(person.email) in self.rep_domains:
            return False
        at = self.vendor_of_domain(domain_of(person.email))
        if choice.by_domain:
            return at is not None and at.id == choice.vendor.id
        return at is None or at.id == choice.vendor.id  # a given vendor: anyone not elsewhere

    def existing_contact(self, vendor_id: int, person: Person) -> int | None:
        by_email, by_name = self._known(vendor_id)
        if person.email and person.email in by_email:
            return by_email[person.email]
        name = self.contact_name(person)
        return by_name.get(name.casefold()) if name else None

    @staticmethod
    def contact_name(person: Person) -> str:
        name = clean_line(person.name)
        if not name or "@" in name:
            name = clean_line(name_from_email(person.email)) if person.email else name
        return name[:NAME_MAX].strip()

    def contact_ref(self, vendor: Vendor, person: Person, what: str = "") -> ContactRef | None:
        """The contact this person is at the vendor: an existing id, or a new one to create."""
        if person.email and is_noreply(person.email):
            return None
        found = self.existing_contact(vendor.id, person)
        if found is not None:
            return found
        name = self.contact_name(person)
        if not name:
            return None
        if person.email and (vendor.id, person.email) in self._new_by_email:
            return self._new_by_email[(vendor.id, person.email)]
        key: NewRef = (vendor.id, name.casefold())
        if key not in self.new_contacts:
            self.new_contacts[key] = PlannedContact(
                vendor=vendor.name, vendor_id=vendor.id, name=name, email=person.email,
                phone=clean_line(person.phone), role=person.role if isinstance(person.role, Role) else Role.OTHER,
                what=what)
        if person.email:
            self._new_by_email[(vendor.id, person.email)] = key
        return key
