"""Closed vocabularies: the fixed choices a rep picks from."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from partnerdesk.domain.errors import InvalidInput


class Tag(StrEnum):
    """Whether the vendor helped the rep, or only transacted. Always set."""

    HELPFUL = "helpful"
    TRANSACTIONAL = "transactional"


class Channel(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    CHAT = "chat"
    EVENT = "event"
    # One message to many partners (mass email, newsletter, webinar): health weighs it less than
    # a conversation. The channel column has no CHECK, so older journals take it as they are.
    BROADCAST = "broadcast"
    OTHER = "other"


class Direction(StrEnum):
    INBOUND = "in"  # they reached out
    OUTBOUND = "out"  # I reached out

    @property
    def label(self) -> str:
        return "they reached out" if self is Direction.INBOUND else "I reached out"


class Role(StrEnum):
    CHANNEL_MANAGER = "channel manager"
    PARTNER_ACCOUNT_MANAGER = "partner account manager"
    SALES_ENGINEER = "sales engineer"
    SUPPORT = "support"
    EXECUTIVE = "executive"
    OTHER = "other"


class EventKind(StrEnum):
    ACQUISITION = "acquisition"
    MERGER = "merger"
    PROGRAMME_CHANGE = "programme change"
    COMPENSATION_CHANGE = "compensation change"
    CONTACT_CHANGE = "contact change"
    SYSTEM_CHANGE = "system change"
    OTHER = "other"


class Source(StrEnum):
    MANUAL = "manual"
    CALENDAR = "calendar"
    EMAIL = "email"
    CSV = "csv"
    JSON = "json"


class FollowUpOwner(StrEnum):
    VENDOR = "vendor"  # the vendor promised it
    ME = "me"  # the rep's own to-do


_ALIASES: dict[type, dict[str, str]] = {
    Direction: {
        "inbound": "in",
        "they": "in",
        "them": "in",
        "outbound": "out",
        "me": "out",
        "i": "out",
    },
    Role: {
        "cm": "channel manager",
        "pam": "partner account manager",
        "se": "sales engineer",
        "exec": "executive",
    },
    EventKind: {
        "programme": "programme change",
        "program": "programme change",
        "program change": "programme change",
        "compensation": "compensation change",
        "contact": "contact change",
        "system": "system change",
        "portal": "system change",
        "portal change": "system change",
        "system/portal change": "system change",
    },
    Tag: {"h": "helpful", "t": "transactional"},
    Channel: {
        "mass email": "broadcast",
        "mass mail": "broadcast",
        "newsletter": "broadcast",
        "webinar": "broadcast",
    },
}


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], text: str, what: str) -> E:
    """Read one of an enum's values, forgiving case, spacing, '-' or '_' and common aliases."""
    key = " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())
    key = _ALIASES.get(enum, {}).get(key, key)
    for member in enum:
        if member.value == key:
            return member
    choices = ", ".join(m.value for m in enum)
    raise InvalidInput(f"'{text}' is not a {what}; use one of: {choices}.")
