"""Contacts from vCard files (.vcf, vCard 2.1, 3.0 and 4.0), parsed by vobject.

Each card is parsed on its own, so one broken card (bad base64 photo, a garbled line) is
reported and skipped while the others import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from partnerdesk.domain.vocab import Role
from partnerdesk.services.importers import limits
from partnerdesk.services.importers.common import (
    FoundContact,
    Person,
    ReadProblem,
    clean_email,
    short,
)
from partnerdesk.services.importers.model import ImportFailed, Skipped, SkipReason

_BEGIN = re.compile(r"^begin:vcard\s*$", re.I)
_END = re.compile(r"^end:vcard\s*$", re.I)
_QP_RE = re.compile(r"^[^:]*encoding=quoted-printable[^:]*:", re.I)
_ROLES = (
    (re.compile(r"partner account|pam\b|alliance manager|partner manager", re.I), Role.PARTNER_ACCOUNT_MANAGER),
    (re.compile(r"channel", re.I), Role.CHANNEL_MANAGER),
    (re.compile(r"sales engineer|solutions? (engineer|architect)|pre-?sales|\bse\b", re.I), Role.SALES_ENGINEER),
    (re.compile(r"support|service desk|help ?desk", re.I), Role.SUPPORT),
    (re.compile(r"\b(ceo|cto|cfo|coo|cro|vp|vice president|chief|director|head of|president|svp|evp)\b", re.I),
     Role.EXECUTIVE),
)


def role_from_title(title: str) -> Role:
    for pattern, role in _ROLES:
        if pattern.search(title):
            return role
    return Role.OTHER


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# The properties read from a card; the rest (PHOTO, NOTE, X-...) is dropped before vobject parses
# it: a card's photo is most of its size, and vobject's unfolding of a 20 MB NOTE took 2.8 GB.
_READ = frozenset({"BEGIN", "END", "VERSION", "FN", "N", "EMAIL", "TEL", "TITLE", "ROLE", "ORG"})
OVERSIZED = ""  # the text of a card over limits.VCARD_LINES_MAX / VCARD_CHARS_MAX


def _property(line: str) -> str:
    """EMAIL of 'item1.EMAIL;TYPE=work:...' (Apple groups properties)."""
    name = re.split(r"[;:]", line, maxsplit=1)[0].strip()
    return name.rsplit(".", 1)[-1].upper()


def split_cards(text: str) -> list[tuple[int, str]]:
    """(line number, text) of each BEGIN:VCARD ... END:VCARD block, with only the properties
    partnerdesk reads; the text is OVERSIZED for a card beyond the limits (it is not parsed)."""
    cards: list[tuple[int, str]] = []
    current: list[str] | None = None
    start = size = 0
    over = dropping = soft_break = False
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if _BEGIN.match(stripped):
            current, start, size = [stripped], n, 0
            over = dropping = soft_break = False
            continue
        if current is None:
            continue
        if _END.match(stripped):
            cards.append((start, OVERSIZED if over else "\r\n".join([*current, stripped]) + "\r\n"))
            current = None
            continue
        if over:
            continue
        joined, folded = soft_break, line[:1] in (" ", "\t")
        if joined or folded:
            if dropping:  # the rest of a property that is not read
                soft_break = joined and line.endswith("=")
                continue
            if joined:
                # A quoted-printable soft break (Android cuts even inside a character's bytes,
                # =C3=\n=BC): joined here, so the value is decoded whole, not line by line.
                current[-1] = current[-1][:-1] + line.lstrip()
            else:
                current.append(line)
        else:
            dropping = _property(line) not in _READ
            if dropping:
                soft_break = bool(_QP_RE.search(line)) and line.endswith("=")
                continue
            current.append(line)
        soft_break = bool(_QP_RE.search(current[-1])) and current[-1].endswith("=")
        size += len(line)
        over = size > limits.VCARD_CHARS_MAX or len(current) > limits.VCARD_LINES_MAX
    if current is not None:  # no END:VCARD: vobject will say so
        cards.append((start, OVERSIZED if over else "\r\n".join(current) + "\r\n"))
    return cards


def _values(card: Any, key: str) -> list[Any]:
    return list(card.contents.get(key, []))


def _first(card: Any, key: str) -> str:
    for line in _values(card, key):
        value = line.value
        if isinstance(value, list):
            value = " ".join(str(v) for v in value if v)
        text = " ".join(str(value).split())
        if text:
            return text
    return ""


def _preferred_email(card: Any) -> str:
    emails = []
    for line in _values(card, "email"):
        addr = clean_email(str(line.value))
        if not addr:
            continue
        params = {k.upper(): [str(v).lower() for v in vs] for k, vs in (line.params or {}).items()}
        pref = "pref" in params.get("TYPE", []) or "PREF" in params
        emails.append((0 if pref else 1, addr))
    return min(emails)[1] if emails else ""


def _name(card: Any) -> str:
    fn = _first(card, "fn")
    if fn:
        return fn
    for line in _values(card, "n"):
        n = line.value
        parts = [getattr(n, a, "") for a in ("prefix", "given", "additional", "family", "suffix")]
        text = " ".join(" ".join(p) if isinstance(p, list) else str(p) for p in parts if p)
        if text.strip():
            return " ".join(text.split())
    return ""


def read_vcf(path: Path, data: bytes) -> Iterator[FoundContact | ReadProblem | Skipped]:
    import vobject

    if not data.strip():
        raise ImportFailed(f"{path} is empty; there is nothing to import.")
    cards = split_cards(decode_text(data))
    if not cards:
        raise ImportFailed(f"{path} has no contact cards in it (no BEGIN:VCARD); export the contacts again.")
    for n, (line, text) in enumerate(cards, 1):
        what = f"card {n} (line {line})"
        if n > limits.VCARDS_MAX:
            yield Skipped(SkipReason.OVER_LIMIT, f"cards {n:,} to {len(cards):,}",
                          f"a file is read up to its first {limits.VCARDS_MAX:,} cards; split it "
                          "and import the rest separately", str(path))
            return
        if text == OVERSIZED:
            yield Skipped(SkipReason.OVER_LIMIT, what,
                          f"it has more than {limits.VCARD_LINES_MAX} lines or "
                          f"{limits.VCARD_CHARS_MAX // 1024} KB of names, addresses and numbers",
                          str(path))
            continue
        try:
            card = vobject.readOne(text, ignoreUnreadable=True)
            name = _name(card)
            email = _preferred_email(card)
            phone = _first(card, "tel")
            if phone.lower().startswith("tel:"):
                phone = phone[4:]
            title = _first(card, "title") or _first(card, "role")
            org_lines = _values(card, "org")
            org = ""
            if org_lines:
                value = org_lines[0].value
                org = " ".join(str(value[0] if isinstance(value, list) and value else value).split())
        except Exception as exc:  # noqa: BLE001 - vobject raises many kinds (ParseError, binascii.Error...)
            yield ReadProblem(what, f"it cannot be read ({short(str(exc), 80) or type(exc).__name__})", str(path))
            continue
        if not name and not email:
            yield ReadProblem(what, "it has neither a name nor an email address", str(path))
            continue
        label = f"card {n} '{short(name or email, 40)}'"
        yield FoundContact(person=Person(name=name, email=email, role=role_from_title(title), phone=phone),
                           what=label, path=str(path), vendor_names=(org,) if org else ())
