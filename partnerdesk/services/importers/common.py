"""What the readers hand the planner: interactions and contacts found in a file, before vendors and
contacts are settled against the journal."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import Channel, Direction, Role, Source, Tag


@dataclass(frozen=True, slots=True)
class Person:
    name: str = ""
    email: str = ""  # lower case; '' when the file gives only a name
    role: Role = Role.OTHER
    phone: str = ""


@dataclass(slots=True)
class Found:
    """An interaction read from a file."""

    occurred_at: datetime
    summary: str
    source: Source
    source_id: str
    what: str  # where it is in the file, for the preview and for skip reasons
    path: str
    notes: str = ""
    channel: Channel = Channel.OTHER
    direction: Direction | None = None  # None: decided from who wrote it (sender vs rep)
    tag: Tag | None = None  # None: the import's default tag
    people: tuple[Person, ...] = ()  # organizer/attendees, From/To/Cc, CSV contact names
    sender: str = ""  # organizer or From address
    vendor_names: tuple[str, ...] = ()  # a CSV's Company/Account column
    topics: tuple[str, ...] = ()
    quality: int | None = None
    follow_up: FollowUp | None = None


@dataclass(slots=True)
class FoundContact:
    """A contact read from a vCard."""

    person: Person
    what: str
    path: str
    vendor_names: tuple[str, ...] = ()  # ORG


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A part of a file that cannot be read; becomes a Skipped(BROKEN)."""

    what: str
    detail: str
    path: str


NOREPLY_RE = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]daemon|postmaster|bounces?)"
                        r"([-+._].*)?$", re.I)
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def clean_email(text: str) -> str:
    """'MAILTO:Dana@Acme.COM' -> 'dana@acme.com'; '' when it is not an address."""
    t = (text or "").strip().strip("<>").strip()
    if t[:7].lower() == "mailto:":
        t = t[7:]
    t = t.strip().lower()
    if not _EMAIL_RE.match(t):
        return ""
    try:
        t.encode("utf-8")
    except UnicodeEncodeError:  # raw 8-bit bytes in a mail header (surrogate escapes)
        return ""
    return t


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip(".").lower() if "@" in email else ""


def name_from_email(email: str) -> str:
    """'dana.reyes@acme.com' -> 'Dana Reyes' (what a contact is called when the file gives no name)."""
    local = email.split("@", 1)[0].split("+", 1)[0]
    words = [w for w in re.split(r"[._\-]+", local) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or email


def is_noreply(email: str) -> bool:
    return bool(NOREPLY_RE.match(email.split("@", 1)[0]))


def stable_hash(*parts: str | bytes) -> str:
    """A short id for things that carry none of their own (same content, same id, every run)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return "sha256:" + h.hexdigest()[:32]


def short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def where(path: Path | str, part: str) -> str:
    return f"{Path(path).name}: {part}"
