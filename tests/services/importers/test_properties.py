"""Property tests: every importer, fed arbitrary bytes or a real-looking file with bytes changed,
lines dropped or repeated, either imports or refuses with ImportFailed (a one-sentence reason);
never another exception. What it imports, it imports once."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerdesk.domain.errors import PartnerdeskError
from partnerdesk.domain.validation import validate_draft
from partnerdesk.services.importers import ImportFailed, apply_import, plan_import
from partnerdesk.services.importers.engine import _decode
from partnerdesk.store.journal import Journal
from tests.services.importers import hostile, samples
from tests.services.importers import test_real_shapes as real
from tests.services.importers.conftest import RANGE, REP

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SAMPLES = {
    "ics": [samples.google_calendar(), samples.outlook_calendar(), samples.apple_calendar(),
            samples.thunderbird_calendar()],
    "eml": [samples.gmail_alternative(), samples.outlook_html_only_cp1252(), samples.shift_jis_mail(),
            samples.malformed_mail()],
    "mbox": [samples.mbox(samples.gmail_alternative(), samples.malformed_mail(), samples.shift_jis_mail())],
    "csv": [samples.salesforce_activities(), samples.hubspot_engagements(), samples.rep_spreadsheet_eu()],
    "vcf": [samples.vcards()],
}


def _hostile(make, ext: str, **size) -> bytes:
    """A hostile shape of test_bounds.py, small enough for many examples."""
    with tempfile.TemporaryDirectory() as tmp:
        return make(Path(tmp) / f"h.{ext}", **size).read_bytes()


# The hostile shapes (item 5) and the real-world shapes (issue 8's calendar and mail list) join
# the pool the mutations start from: bounded or not, a file never ends in a traceback.
SAMPLES["ics"] += [_hostile(hostile.ics_endless_secondly, "ics"), _hostile(hostile.ics_million_count, "ics"),
                   real._cal(real._event("w", ":20250106T090000Z", "RRULE:FREQ=WEEKLY\r\n"),
                             real._event("w", ":20250602T100000Z",
                                         "RECURRENCE-ID;RANGE=THISANDFUTURE:20250602T090000Z\r\n"),
                             real._event("a", ":20250304T090000Z", "DTEND:2025-03-04 10:00\r\nBEGIN:VALARM\r\n"
                                         "TRIGGER:soon\r\nEND:VALARM\r\n"),
                             real._event("z", ";TZID=W. Europe Standard Time:20250304T090000"))]
SAMPLES["eml"] += [_hostile(hostile.eml_html_a_a_a, "eml", size=3000),
                   _hostile(hostile.eml_many_recipients, "eml", count=300),
                   real._mail("Jürgen <jürgen.müller@acme.com>, alice@globex.com <bob@acme.com>".encode())]
SAMPLES["csv"] += [_hostile(hostile.csv_wide_with_data, "csv", columns=300, rows=5),
                   b"Date,Subject,Company\r\n1741082400,Call,Acme\r\n1741168800000,Call 2,Acme\r\n"]
SAMPLES["vcf"] += [b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=\r\n"
                   b"=BCller\r\nEMAIL:j@acme.com\r\nEND:VCARD\r\n"]


def _journal(folder: Path) -> Journal:
    j = Journal.open(folder / "j.sqlite3")
    j.vendors.add("Acme", domains=["acme.com"])
    j.vendors.add("Globex", domains=["globex.com", "globex.co.jp"])
    return j


def _import_twice(ext: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"in.{ext}"
        path.write_bytes(data)
        with _journal(folder) as j:
            try:
                plan = plan_import(j, [path], rep_email=REP, ics_range=RANGE)
            except ImportFailed as exc:
                message = str(exc)
                assert message and "\n" not in message.strip()
                return
            for record in plan._spill or ():
                draft = _decode(record, {ref: 10**6 for ref in _refs(record)})
                assert validate_draft(draft) == draft  # what is written is already clean
            result = apply_import(j, plan)
            assert result.added == plan.added_count
            assert len(j.contacts.all()) == len(plan.new_contacts)
            again = plan_import(j, [path], rep_email=REP, ics_range=RANGE)
            assert again.added_count == 0 and not again.new_contacts


def _refs(record: tuple) -> list:
    return [r for r in record[10] if isinstance(r, tuple)]


def _mutate(data: bytes, edits: list[tuple[int, int, int]], drop: int, repeat: int) -> bytes:
    """Change bytes; drop one line; repeat another: the ways files really break."""
    buf = bytearray(data)
    for kind, pos, value in edits:
        if not buf:
            break
        i = pos % len(buf)
        if kind == 0:
            buf[i] = value
        elif kind == 1:
            del buf[i]
        else:
            buf.insert(i, value)
    lines = bytes(buf).split(b"\n")
    if lines and drop:
        del lines[drop % len(lines)]
    if lines and repeat:
        i = repeat % len(lines)
        lines.insert(i, lines[i])
    return b"\n".join(lines)


edits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**6), st.integers(0, 255)), max_size=6)


@SETTINGS
@given(ext=st.sampled_from(sorted(SAMPLES) + ["json"]), data=st.binary(max_size=2000))
def test_arbitrary_bytes(ext, data):
    _import_twice(ext, data)


@SETTINGS
@given(ext=st.sampled_from(sorted(SAMPLES)), which=st.integers(0, 10), edits=edits,
       drop=st.integers(0, 200), repeat=st.integers(0, 200))
def test_near_valid_files(ext, which, edits, drop, repeat):
    options = SAMPLES[ext]
    _import_twice(ext, _mutate(options[which % len(options)], edits, drop, repeat))


@SETTINGS
@given(text=st.text(max_size=300), ext=st.sampled_from(["csv", "ics", "vcf", "eml"]))
def test_arbitrary_text(text, ext):
    _import_twice(ext, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=8, deadline=None)
@given(edits=edits, drop=st.integers(0, 400), repeat=st.integers(0, 400))
def test_mutated_journal_json(edits, drop, repeat):
    """A damaged export: refused, or restored without an exception and only once."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Journal.open(folder / "src.sqlite3") as src:
            src.vendors.add("Acme", domains=["acme.com"])
            acme = src.vendors.resolve("Acme")
            dana = src.contacts.add(acme.id, "Dana")
            from tests.helpers import draft

            src.interactions.add(draft(acme.id, "Good call", contact_ids=(dana.id,)))
            src.interactions.add(draft(acme.id, "Another", source_id=None))
            from partnerdesk.services.exports import export_journal

            export_journal(src, folder / "doc.json")
        data = _mutate((folder / "doc.json").read_bytes(), edits, drop, repeat)
        (folder / "doc.json").write_bytes(data)
        with Journal.open(folder / "dst.sqlite3") as dst:
            try:
                plan = plan_import(dst, [folder / "doc.json"])
                apply_import(dst, plan)
            except PartnerdeskError as exc:
                assert isinstance(exc, ImportFailed), exc
                return
            again = plan_import(dst, [folder / "doc.json"])
            assert again.added_count == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2**64) | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["helpful", "call", "in", "manual", "2025-01-01", "2025-01-01T10:00:00Z", "other",
                       "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-12:00", "0001-01-01", "9999-12-31"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "vendor_id", "name", "summary", "tag", "occurred_at", "contact_ids", "topics",
                         "follow_up", "due", "quality", "domains", "acquirer_id", "on", "kind", "text",
                         "question_id", "answered_on", "position", "source_id", "channel", "role"]),
        inner, max_size=8),
    max_leaves=20)


@settings(max_examples=40, deadline=None)
@given(sections=st.dictionaries(st.sampled_from(["vendors", "contacts", "events", "questions", "answers",
                                                 "interactions"]), st.lists(json_values, max_size=4)),
       layout=st.booleans())
def test_journal_json_with_arbitrary_records(sections, layout):
    """Every record of any shape: imported, or skipped as broken; never an exception."""
    import json

    doc = {"format": "partnerdesk-journal", "version": 1, **sections}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "doc.json"
        if layout:  # partnerdesk's own one-record-per-line layout
            lines = ['{', '  "format": "partnerdesk-journal",', '  "version": 1,']
            for name, items in sections.items():
                body = ",\n".join("    " + json.dumps(i) for i in items)
                lines.append(f'  "{name}": [' + ("\n" + body + "\n  ]" if items else "]") + ",")
            lines[-1] = lines[-1].rstrip(",")
            path.write_text("\n".join(lines) + "\n}\n")
        else:
            path.write_text(json.dumps(doc))
        with Journal.open(folder / "j.sqlite3") as j:
            try:
                plan = plan_import(j, [path])
            except ImportFailed:
                return
            apply_import(j, plan)
