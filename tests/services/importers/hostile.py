"""Hostile files for the importers, written to disk (never built whole in memory where they are big).

Shared by tests/services/importers/test_bounds.py (a generous time/memory bound per shape) and
benchmarks/bench_hostile_imports.py (the figures). Each writer takes a path and a size knob and
returns the path; the defaults are the sizes issue 8 reports.
"""

from __future__ import annotations

from pathlib import Path

VENDOR_DOMAIN = "acme.com"  # the tests' and the benchmark's journal has Acme at acme.com


def _calendar(events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n" + events
            + "END:VCALENDAR\r\n").encode()


def _event(uid: str, rule: str, start: str = "20240101T090000Z") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{start}\r\n"
            f"SUMMARY:Sync {uid}\r\nORGANIZER:mailto:dana@{VENDOR_DOMAIN}\r\n{rule}END:VEVENT\r\n")


def ics_endless_secondly(path: Path) -> Path:
    """A series that repeats every second, forever, starting years before the import range."""
    path.write_bytes(_calendar(_event("secondly", "RRULE:FREQ=SECONDLY\r\n", "20150101T090000Z")))
    return path


def ics_million_count(path: Path, count: int = 1_000_000) -> Path:
    """COUNT=1000000 every minute inside the range."""
    path.write_bytes(_calendar(_event("count", f"RRULE:FREQ=MINUTELY;COUNT={count}\r\n")))
    return path


def ics_many_series(path: Path, series: int = 200) -> Path:
    """Many daily series with no end: each alone is fine; together they exceed the per-import cap."""
    path.write_bytes(_calendar("".join(_event(f"daily-{k}", "RRULE:FREQ=DAILY\r\n") for k in range(series))))
    return path


def _mail(to: str, body: str, content_type: str = "text/plain") -> bytes:
    return (f"From: Dana <dana@{VENDOR_DOMAIN}>\r\nTo: {to}\r\nSubject: Hostile\r\n"
            f"Date: Tue, 04 Mar 2025 10:00:00 +0000\r\nMessage-ID: <hostile@{VENDOR_DOMAIN}>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}; charset=utf-8\r\n\r\n{body}\r\n").encode()


def eml_html_a_a_a(path: Path, size: int = 300_000) -> Path:
    """An HTML body of '<a<a<a…' (html.parser is quadratic on it)."""
    path.write_bytes(_mail("me@reseller.com", "<a" * (size // 2), "text/html"))
    return path


def eml_many_recipients(path: Path, count: int = 200_000) -> Path:
    """One To: header with `count` distinct addresses at the vendor, folded the way mailers fold."""
    to = ",\r\n ".join(f"Person {k} <p{k}@{VENDOR_DOMAIN}>" for k in range(count))
    path.write_bytes(_mail(to, "Hello everyone."))
    return path


def mbox_huge_message(path: Path, size: int = 1 << 30) -> Path:
    """An mbox whose second message has a body of `size` bytes (base64-looking lines), then a small
    third message; written in 1 MB steps so the test never holds it."""
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n"
    block = line * ((1 << 20) // len(line))
    with open(path, "wb") as fh:
        for k in (1, 2):
            fh.write(b"From dana@acme.com Tue Mar  4 10:00:00 2025\n")
            fh.write(_mail("me@reseller.com", f"Small message {k}.").replace(
                b"<hostile@", f"<small{k}@".encode()).replace(b"\r\n", b"\n"))
            if k == 1:
                fh.write(b"\nFrom dana@acme.com Tue Mar  4 11:00:00 2025\n")
                fh.write(_mail("me@reseller.com", "").replace(b"<hostile@", b"<huge@").replace(
                    b"text/plain; charset=utf-8", b"text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64")
                    .replace(b"\r\n", b"\n"))
                written = 0
                while written < size:
                    fh.write(block)
                    written += len(block)
                fh.write(b"\n")
    return path


def csv_wide_header(path: Path, columns: int = 9_074, rows: int = 20) -> Path:
    """A CSV whose rows are `columns` repeated values (header detection was cubic on it)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for _ in range(rows):
            fh.write(",".join(["x"] * columns) + "\r\n")
    return path


def csv_wide_with_data(path: Path, columns: int = 9_074, rows: int = 50) -> Path:
    """A real header (Date, Subject, Company) followed by thousands of repeated extra columns."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["Date", "Subject", "Company"] + ["x"] * columns) + "\r\n")
        for k in range(rows):
            fh.write(",".join([f"2025-03-{k % 28 + 1:02d}", f"Call {k}", "Acme"] + ["x"] * columns) + "\r\n")
    return path


def vcf_many_cards(path: Path, count: int = 100_000) -> Path:
    """A hundred thousand small cards (vobject parses ~2,000 a second)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for k in range(count):
            fh.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat Lee {k}\r\nORG:Acme\r\n"
                     f"EMAIL:pat{k}@acme.com\r\nEND:VCARD\r\n")
    return path


def vcf_many_emails(path: Path, count: int = 200_000) -> Path:
    """One card with 200,000 addresses."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat Lee\r\nORG:Acme\r\n")
        for k in range(count):
            fh.write(f"EMAIL:p{k}@acme.com\r\n")
        fh.write("END:VCARD\r\n")
    return path


def vcf_folded_note(path: Path, size: int = 20_000_000) -> Path:
    """One card whose NOTE is 20 MB of folded lines (vobject's unfolding took 2.8 GB)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat Lee\r\nEMAIL:pat@acme.com\r\nNOTE:")
        for _ in range(size // 71):
            fh.write("x" * 68 + "\r\n ")
        fh.write("end\r\nEND:VCARD\r\n")
    return path


def json_nested(path: Path, depth: int = 200_000) -> Path:
    """[[[[...]]]] 200,000 deep (the decoder recurses)."""
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    return path


def json_huge_number(path: Path, digits: int = 1_000_000) -> Path:
    """A quality of a million digits (int() of it is quadratic; Python refuses past 4,300)."""
    path.write_text('[{"vendor": "Acme", "occurred_at": "2025-03-01T09:00:00Z", "summary": "x",'
                    ' "tag": "helpful", "quality": ' + "9" * digits + "}]", encoding="utf-8")
    return path


def json_many_rows(path: Path, count: int = 200_000) -> Path:
    """A JSON list of 200,000 interactions on one line (read whole)."""
    import json

    rows = [{"vendor": "Acme", "occurred_at": f"2025-03-{k % 28 + 1:02d}T09:00:00Z",
             "summary": f"Call {k}", "tag": "helpful"} for k in range(count)]
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


def json_case_vendors(path: Path, count: int = 50_000) -> Path:
    """A document of 50,000 vendors, pairs differing only in case (merged as one, linearly)."""
    import json

    vendors = [{"id": k, "name": ("Acme" if k % 2 else "ACME") + f" {k // 2}"}
               for k in range(1, count + 1)]
    path.write_text(json.dumps({"format": "partnerdesk-journal", "version": 1,
                                "vendors": vendors}), encoding="utf-8")
    return path


SHAPES = {
    "ics: endless FREQ=SECONDLY": ("ics", ics_endless_secondly),
    "ics: COUNT=1000000": ("ics", ics_million_count),
    "ics: 200 endless daily series": ("ics", ics_many_series),
    "eml: HTML '<a<a<a' 300 KB": ("eml", eml_html_a_a_a),
    "eml: To: with 200,000 addresses": ("eml", eml_many_recipients),
    "mbox: one 1 GB message": ("mbox", mbox_huge_message),
    "csv: 9,074 repeated columns": ("csv", csv_wide_header),
    "csv: 9,074 columns with data": ("csv", csv_wide_with_data),
    "vcf: 100,000 cards": ("vcf", vcf_many_cards),
    "vcf: one card, 200,000 addresses": ("vcf", vcf_many_emails),
    "vcf: a 20 MB folded NOTE": ("vcf", vcf_folded_note),
    "json: nested 200,000 deep": ("json", json_nested),
    "json: a million-digit number": ("json", json_huge_number),
    "json: 200,000 rows on one line": ("json", json_many_rows),
    "json: 50,000 vendors, case pairs": ("json", json_case_vendors),
}


# -- measuring one import in its own process -------------------------------------------------------
_CHILD = r"""
import resource, sys, time
from datetime import date
from pathlib import Path
from partnerdesk.services.importers import ImportFailed, plan_import
from partnerdesk.store.journal import Journal

journal, source = Path(sys.argv[1]), Path(sys.argv[2])
with Journal.open(journal) as j:
    if not j.vendors.all():
        j.vendors.add("Acme", domains=["acme.com"])
    started = time.perf_counter()
    try:
        plan = plan_import(j, [source], rep_email="me@reseller.com",
                           ics_range=(date(2024, 1, 1), date(2025, 12, 31)))
        outcome = f"planned {plan.added_count} interactions, {sum(plan.skipped_counts.values())} skipped"
        for s in plan.skipped[:3]:
            outcome += f" | {s.what}: {s.detail}"
        for n in plan.notes:
            outcome += f" | {n}"
    except ImportFailed as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.3f}\t{peak:.1f}\t{outcome}")
"""


def measure(source: Path, journal: Path, timeout: float) -> tuple[float, float, str]:
    """Plan an import of `source` in a fresh process: (seconds, peak RSS in MB, outcome line).
    Raises subprocess.TimeoutExpired when it takes longer than `timeout`."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _CHILD, str(journal), str(source)], capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"the import process failed:\n{done.stderr[-3000:]}")
    seconds, peak, outcome = done.stdout.strip().splitlines()[-1].split("\t", 2)
    return float(seconds), float(peak), outcome
