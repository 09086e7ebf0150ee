"""Mail saved as .eml or collected in an .mbox (Gmail Takeout, Thunderbird, Apple Mail, Outlook).

The standard library's email package (policy.default) decodes RFC 2047 words, any charset and
any MIME structure; headers it cannot parse become defects, not errors, and we fall back to the
raw text where a parsed value is missing.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import mailbox
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

from partnerdesk.domain.vocab import Channel, Direction, Source
from partnerdesk.services.importers.common import (
    Found,
    Person,
    ReadProblem,
    clean_email,
    short,
    stable_hash,
)
from partnerdesk.services.importers.html_text import html_to_text
from partnerdesk.services.importers.model import ImportFailed

NOTES_LIMIT = 1_000_000  # a mail body longer than this is cut (the notes say so)
_PARSER = email.policy.default


def _header(msg: Message, name: str) -> Any:
    try:
        return msg[name]
    except Exception:  # noqa: BLE001 - a header the parser chokes on is read raw below
        return None


def _raw_header(msg: Message, name: str) -> str:
    for key, value in getattr(msg, "_headers", []):
        if key.lower() == name.lower():
            return str(value)
    return ""


def _addresses(msg: Message, name: str) -> list[Person]:
    out: list[Person] = []
    value = _header(msg, name)
    pairs: list[tuple[str, str]] = []
    addresses = getattr(value, "addresses", None) if value is not None else None
    if addresses:
        for a in addresses:
            try:
                pairs.append((a.display_name or "", a.addr_spec or ""))
            except Exception:  # noqa: BLE001 - an address with broken parts
                continue
    else:
        raw = _raw_header(msg, name)
        if raw:
            pairs = email.utils.getaddresses([raw])
    for display, spec in pairs:
        addr = clean_email(spec)
        if addr and not any(p.email == addr for p in out):
            out.append(Person(name=" ".join(str(display).split()), email=addr))
    if not out:
        # A header too broken to parse ('"Acme Support <support@acme.com'): any addresses in it.
        for addr in _ADDRESS_RE.findall(_raw_header(msg, name)):
            addr = clean_email(addr)
            if addr and not any(p.email == addr for p in out):
                out.append(Person(email=addr))
    return out


_ADDRESS_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _date(msg: Message) -> datetime | None:
    value = _header(msg, "Date")
    moment = getattr(value, "datetime", None) if value is not None else None
    if moment is None:
        raw = _raw_header(msg, "Date")
        moment = _parse_date(raw)
    if moment is None:
        # No usable Date: the newest Received stamp is when it reached the mailbox.
        for key, value in getattr(msg, "_headers", []):
            if key.lower() == "received" and ";" in str(value):
                moment = _parse_date(str(value).rsplit(";", 1)[1])
                if moment is not None:
                    break
    if moment is None:
        return None
    if moment.tzinfo is None:  # "-0000": the time is UTC with no zone known
        moment = moment.replace(tzinfo=UTC)
    if not 1970 <= moment.year <= 9998:
        return None
    return moment


def _parse_date(text: str) -> datetime | None:
    text = " ".join(str(text).split())
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _decode(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except Exception:  # noqa: BLE001 - unknown charset, broken base64/QP: decode by hand below
        pass
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or "utf-8"
    for enc in (charset, "utf-8", "cp1252"):
        try:
            return payload.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _body(msg: Message) -> tuple[str, list[str]]:
    text = ""
    body: Any = None
    if isinstance(msg, EmailMessage):
        try:
            body = msg.get_body(preferencelist=("plain", "html"))
        except Exception:  # noqa: BLE001
            body = None
    if body is None:
        # Not multipart/alternative-shaped: take the first text part there is.
        for part in msg.walk():
            if part.get_content_maintype() == "text" and not part.get_filename():
                body = part
                break
    if body is not None:
        text = _decode(body)
        if body.get_content_subtype() == "html":
            text = html_to_text(text)
    attachments: list[str] = []
    for part in msg.walk():
        try:
            name = part.get_filename()
        except Exception:  # noqa: BLE001
            name = None
        if name:
            attachments.append(" ".join(str(name).split()))
    return text.replace("\r\n", "\n").strip(), attachments


def message_found(msg: Message, raw: bytes, path: Path, what: str,
                  rep_emails: frozenset[str]) -> Found | ReadProblem:
    subject_value = _header(msg, "Subject")
    subject = " ".join(str(subject_value if subject_value is not None else _raw_header(msg, "Subject")).split())
    label = f"{what} '{short(subject, 50)}'" if subject else what
    moment = _date(msg)
    if moment is None:
        return ReadProblem(label, "it has no readable date (Date header)", str(path))
    mid = _header(msg, "Message-ID")
    source_id = " ".join(str(mid if mid is not None else _raw_header(msg, "Message-ID")).split()).strip("<>")
    if not source_id:
        source_id = stable_hash(raw)
    senders = _addresses(msg, "From")
    sender = senders[0].email if senders else ""
    people = senders + [p for h in ("To", "Cc") for p in _addresses(msg, h)]
    unique: list[Person] = []
    for p in people:
        if not any(u.email == p.email for u in unique):
            unique.append(p)
    direction = None
    if rep_emails and sender:
        direction = Direction.OUTBOUND if sender in rep_emails else Direction.INBOUND
    text, attachments = _body(msg)
    if len(text) > NOTES_LIMIT:
        text = text[:NOTES_LIMIT] + "\n[… the rest of the message was cut]"
    if attachments:
        text = (text + "\n\n" if text else "") + "Attachments: " + ", ".join(attachments)
    return Found(occurred_at=moment, summary=subject or "(no subject)", source=Source.EMAIL,
                 source_id=source_id, what=label, path=str(path), notes=text, channel=Channel.EMAIL,
                 direction=direction, people=tuple(unique), sender=sender)


def parse_message(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=_PARSER)


def read_eml(path: Path, data: bytes, rep_emails: frozenset[str]) -> Iterator[Found | ReadProblem]:
    if not data.strip():
        raise ImportFailed(f"{path} is empty; there is nothing to import.")
    msg = parse_message(data)
    if not msg.keys():
        raise ImportFailed(f"{path} is not an email message (it has no headers); save the mail as .eml again.")
    yield message_found(msg, data, path, "message", rep_emails)


def read_mbox(path: Path, rep_emails: frozenset[str]) -> Iterator[Found | ReadProblem]:
    try:
        box = mailbox.mbox(str(path), create=False)
    except (OSError, mailbox.Error) as exc:
        raise ImportFailed(f"{path} cannot be read as a mailbox ({exc}).") from None
    try:
        try:
            keys = list(box.iterkeys())
        except Exception as exc:  # noqa: BLE001 - mailbox's own errors on a damaged file
            raise ImportFailed(f"{path} cannot be read as a mailbox ({short(str(exc), 80)}).") from None
        if not keys:
            raise ImportFailed(f"{path} has no messages in it; is it an mbox file (messages start with 'From ')?")
        for n, key in enumerate(keys, 1):
            try:
                raw = box.get_bytes(key)
            except Exception as exc:  # noqa: BLE001
                yield ReadProblem(f"message {n}", short(str(exc), 80), str(path))
                continue
            yield message_found(parse_message(raw), raw, path, f"message {n}", rep_emails)
    finally:
        box.close()
