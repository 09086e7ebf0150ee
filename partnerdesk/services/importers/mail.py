"""Mail saved as .eml or collected in an .mbox (Gmail Takeout, Thunderbird, Apple Mail, Outlook).

The standard library's email package (policy.default) decodes RFC 2047 words, any charset and
any MIME structure; headers it cannot parse become defects, not errors, and we fall back to the
raw text where a parsed value is missing.

Bounded whatever the file (limits.py): an .mbox is split by scanning it in 1 MB steps, and of each
message only the first MESSAGE_BYTES_MAX are kept and parsed (a 1 GB message is read once, from
disk, and cut); address headers are parsed up to ADDRESS_HEADER_CHARS_MAX and de-duplicated in
one pass; a message keeps at most PEOPLE_MAX people.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

from partnerdesk.domain.validation import FIRST_YEAR, LAST_YEAR
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
from partnerdesk.services.importers.limits import (
    ADDRESS_HEADER_CHARS_MAX,
    MESSAGE_BYTES_MAX,
    PEOPLE_MAX,
    megabytes,
)
from partnerdesk.services.importers.model import ImportFailed, Skipped, SkipReason

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
    """The people of one address header, each address once, in order (linear in the header)."""
    raw = _raw_header(msg, name)
    pairs: list[tuple[str, str]] = []
    if len(raw) > ADDRESS_HEADER_CHARS_MAX:
        # Thousands of recipients: parse the first ones only (up to the last comma in the limit).
        head = raw[:ADDRESS_HEADER_CHARS_MAX]
        pairs = email.utils.getaddresses([head[: head.rfind(",")] if "," in head else head])
    else:
        value = _header(msg, name)
        addresses = getattr(value, "addresses", None) if value is not None else None
        if addresses and getattr(value, "defects", ()) and "<" in raw:
            # 'alice@x <bob@y>': the parser gives up after the unquoted address in the display
            # name; the address in angle brackets is the one mail goes to.
            pairs = _bracketed(raw)
            addresses = None if pairs else addresses
        if addresses:
            for a in addresses:
                try:
                    pairs.append((a.display_name or "", a.addr_spec or ""))
                except Exception:  # noqa: BLE001 - an address with broken parts
                    continue
        elif raw and not pairs:
            pairs = email.utils.getaddresses([raw])
    out: dict[str, Person] = {}
    for display, spec in pairs:
        display, spec = _utf8(display), _utf8(spec)
        addr = clean_email(spec)
        if addr and addr not in out:
            out[addr] = Person(name=" ".join(str(display).split()), email=addr)
    if not out:
        # A header too broken to parse ('"Acme Support <support@acme.com'): any addresses in it.
        for found in _ADDRESS_RE.findall(_utf8(raw[:ADDRESS_HEADER_CHARS_MAX])):
            addr = clean_email(found)
            if addr and addr not in out:
                out[addr] = Person(email=addr)
    return list(out.values())


# An address starts after a delimiter (or at the start): never inside a word whose first letters
# the regex could not read ('jürgen' in raw 8-bit became the invented 'rgen@…').
_ADDRESS_RE = re.compile(r"(?<![^\s<>,;:\"'(])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_BRACKETED_RE = re.compile(r"<([^<>@\s]+@[^<>\s]+)>")


def _bracketed(raw: str) -> list[tuple[str, str]]:
    """(display name, address) for each comma-separated part that has an address in <…>."""
    out = []
    for part in raw.split(","):
        m = _BRACKETED_RE.search(part)
        if m:
            out.append((part[:m.start()].strip().strip('"').strip(), m.group(1)))
    return out


def _utf8(text: str) -> str:
    """Header text with raw 8-bit bytes (surrogate escapes) read as UTF-8, as RFC 6532 mail sends
    it: 'jürgen.müller@…' stays whole instead of losing its non-ASCII letters."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return text


def _date(msg: Message, envelope: str = "") -> datetime | None:
    value = _header(msg, "Date")
    moment = getattr(value, "datetime", None) if value is not None else None
    if moment is None:
        raw = _raw_header(msg, "Date")
        moment = _parse_date(raw)
    if moment is None:
        # No usable Date: when it was resent, else the newest Received stamp (when it reached the
        # mailbox), else the mbox 'From ' line's date (UTC by convention).
        moment = _parse_date(_raw_header(msg, "Resent-Date"))
    if moment is None:
        for key, value in getattr(msg, "_headers", []):
            if key.lower() == "received" and ";" in str(value):
                moment = _parse_date(str(value).rsplit(";", 1)[1])
                if moment is not None:
                    break
    if moment is None and envelope:
        moment = _envelope_date(envelope)
    if moment is None:
        return None
    if moment.tzinfo is None:  # "-0000": the time is UTC with no zone known
        moment = moment.replace(tzinfo=UTC)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return moment


def _envelope_date(envelope: str) -> datetime | None:
    """'From dana@acme.com Tue Mar  4 10:00:00 2025' -> that time, UTC."""
    parts = envelope.split()
    if len(parts) < 6:
        return None
    try:
        return datetime.strptime(" ".join(parts[-5:]), "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
    except ValueError:
        return _parse_date(" ".join(parts[2:]))


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


def message_found(msg: Message, raw: bytes, path: Path, what: str, rep_emails: frozenset[str],
                  cut: bool = False, envelope: str = "") -> Found | ReadProblem:
    """One message as an interaction. cut: only the start of it was read; envelope: its mbox
    'From ' line, whose date is used when the headers carry none."""
    subject_value = _header(msg, "Subject")
    subject = " ".join(str(subject_value if subject_value is not None else _raw_header(msg, "Subject")).split())
    label = f"{what} '{short(subject, 50)}'" if subject else what
    moment = _date(msg, envelope)
    if moment is None:
        return ReadProblem(label, "it has no readable date (Date header)", str(path))
    mid = _header(msg, "Message-ID")
    source_id = " ".join(str(mid if mid is not None else _raw_header(msg, "Message-ID")).split()).strip("<>")
    if not source_id:
        source_id = stable_hash(raw)
    senders = _addresses(msg, "From")
    sender = senders[0].email if senders else ""
    unique: dict[str, Person] = {}
    for p in senders + [p for h in ("To", "Cc") for p in _addresses(msg, h)]:
        unique.setdefault(p.email, p)
    people = list(unique.values())
    left_out = _header_count(msg) - PEOPLE_MAX if len(people) >= PEOPLE_MAX else 0
    direction = None
    if rep_emails and sender:
        direction = Direction.OUTBOUND if sender in rep_emails else Direction.INBOUND
    text, attachments = _body(msg)
    if len(text) > NOTES_LIMIT or cut:
        text = text[:NOTES_LIMIT] + "\n[… the rest of the message was cut]"
    if attachments:
        text = (text + "\n\n" if text else "") + "Attachments: " + ", ".join(attachments)
    if left_out > 0:
        text = (text + "\n\n" if text else "") + f"[{left_out:,} more recipients were not recorded]"
    return Found(occurred_at=moment, summary=subject or "(no subject)", source=Source.EMAIL,
                 source_id=source_id, what=label, path=str(path), notes=text, channel=Channel.EMAIL,
                 direction=direction, people=tuple(people[:PEOPLE_MAX]), sender=sender)


def _header_count(msg: Message) -> int:
    """How many addresses From/To/Cc hold (a count of '@', for the note on those left out)."""
    return sum(_raw_header(msg, h).count("@") for h in ("From", "To", "Cc"))


def parse_message(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=_PARSER)


def read_eml(path: Path, data: bytes, rep_emails: frozenset[str],
             cut: bool = False) -> Iterator[Found | ReadProblem]:
    if not data.strip():
        raise ImportFailed(f"{path} is empty; there is nothing to import.")
    msg = parse_message(data)
    if not msg.keys():
        raise ImportFailed(f"{path} is not an email message (it has no headers); save the mail as .eml again.")
    yield message_found(msg, data, path, "message", rep_emails, cut=cut)


def read_eml_file(path: Path, rep_emails: frozenset[str]) -> Iterator[Found | ReadProblem]:
    """An .eml of any size: only its first MESSAGE_BYTES_MAX are read."""
    with open(path, "rb") as fh:
        data = fh.read(MESSAGE_BYTES_MAX + 1)
    yield from read_eml(path, data[:MESSAGE_BYTES_MAX], rep_emails, cut=len(data) > MESSAGE_BYTES_MAX)


_SCAN = 1 << 20  # an mbox is scanned in steps of this many bytes
_SEPARATOR = b"\nFrom "


def split_mbox(fh: Any, keep: int = MESSAGE_BYTES_MAX, step: int = _SCAN) -> Iterator[tuple[str, bytes, int]]:
    """(the 'From ' line, the message's first `keep` bytes, its whole size) for each message.

    Messages start at lines beginning 'From ' (as the mailbox module reads mbox files). The file is
    scanned in 1 MB steps with bytes.find, so a message is never held beyond `keep` bytes, and a
    1 GB one costs one read of the disk, not memory.
    """
    envelope: str | None = None
    kept = bytearray()
    size = 0
    carry, start = b"\n", 1  # a virtual newline (the first line can be a 'From ' line), already read

    def take(part: bytes) -> None:
        nonlocal size, kept
        if envelope is not None:
            size += len(part)
            if len(kept) < keep:
                kept += part[: keep - len(kept)]

    while True:
        chunk = fh.read(step)
        data = carry + chunk
        i = start  # data[:i] is read; data[i - 1] is a newline when i > 0
        while True:
            j = data.find(_SEPARATOR, i - 1 if i else 0)
            if j < 0:
                # Keep the last bytes back: a separator may begin there and end in the next step.
                e = max(i, len(data) - len(_SEPARATOR) + 1) if chunk else len(data)
                take(data[i:e])
                c = e if e > i else max(i - 1, 0)
                carry, start = data[c:], max(0, i - c)
                break
            take(data[i:j + 1])
            end = data.find(b"\n", j + 1, j + 1 + 4096)
            if end < 0 and chunk and len(data) - j <= 4096:
                carry, start = data[j:], 1  # the 'From ' line goes on in the next step (its newline is read)
                break
            end = end if end >= 0 else min(len(data), j + 1 + 4096)  # a 'From ' line is short
            if envelope is not None:
                yield envelope, bytes(kept), size
            envelope = data[j + 1:end].decode("latin-1").strip()
            kept, size = bytearray(), 0
            i = end + 1
        if not chunk:
            break
    if envelope is not None:
        yield envelope, bytes(kept), size


def read_mbox(path: Path, rep_emails: frozenset[str]) -> Iterator[Found | ReadProblem | Skipped]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, also when the caller stops early
    except OSError as exc:
        raise ImportFailed(f"{path} cannot be read as a mailbox ({exc.strerror or exc}).") from None
    n = 0
    try:
        for n, (envelope, raw, size) in enumerate(split_mbox(fh), 1):  # noqa: B007 - n counts after
            try:
                msg = parse_message(raw)
            except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything else is one message
                yield ReadProblem(f"message {n}", short(str(exc), 80), str(path))
                continue
            if size > len(raw):
                yield Skipped(SkipReason.OVER_LIMIT, f"message {n} after its first {megabytes(len(raw))}",
                              f"the rest of a {megabytes(size)} message was not read", str(path))
            yield message_found(msg, raw, path, f"message {n}", rep_emails, cut=size > len(raw),
                                envelope=envelope)
    finally:
        fh.close()
    if n == 0:
        raise ImportFailed(f"{path} has no messages in it; is it an mbox file (messages start with 'From ')?")
