"""Property tests for the bounded readers: the streaming mbox splitter finds the same messages as
the standard library's mailbox module, whatever the bytes and wherever a read step ends; the
one-pass HTML reader never fails and keeps plain text as it is; a series' step estimate is never
below the dates dateutil really walks (else a series that repeats too often would be expanded)."""

from __future__ import annotations

import io
import itertools
import mailbox
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from partnerdesk.services.importers.html_text import html_to_text
from partnerdesk.services.importers.mail import split_mbox

LINES = st.lists(st.one_of(
    st.sampled_from([b"From a@b Tue Mar  4 10:00:00 2025", b"From ", b"", b"\r", b">From x", b"From",
                     b"Subject: x", b"xFrom y"]),
    st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(LINES, st.booleans(), st.integers(1, 64), st.integers(1, 80))
def test_split_mbox_finds_what_mailbox_finds(lines, final_newline, step, keep):
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "box"
        path.write_bytes(data)
        box = mailbox.mbox(str(path), create=False)
        try:
            expected = [box.get_bytes(k) for k in box.iterkeys()]
        finally:
            box.close()
    found = list(split_mbox(io.BytesIO(data), keep=10**9, step=step))
    assert len(found) == len(expected)
    for (_, raw, size), theirs in zip(found, expected, strict=True):
        assert raw in (theirs, theirs + b"\n")  # mailbox drops the blank line before 'From '
        assert size == len(raw)
    for (_, raw, size), (_, cut, cut_size) in zip(found, split_mbox(io.BytesIO(data), keep=keep, step=step),
                                                  strict=True):
        assert cut == raw[:keep] and cut_size == size


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["<a", "<", ">", "<p>", "</p>", "<script>", "</script>", "<!--",
                                           "-->", "<head>", "</head>", "<body>", "&amp;", "&", "<br/>",
                                           "<title>", "<!DOCTYPE html>", "<a href='x>y'>"]),
                          st.text(max_size=8)), max_size=60))
def test_html_reader_never_fails(parts):
    text = html_to_text("".join(parts))
    assert isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=("Cs",)), max_size=200))
def test_html_reader_keeps_plain_text(text):
    expected = "\n".join(" ".join(line.split()) for line in text.replace("\xa0", " ").split("\n"))
    got = html_to_text(text)
    assert got.split() == expected.split()


FREQS = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]


@settings(max_examples=150, deadline=None)
@given(freq=st.sampled_from(FREQS), interval=st.integers(1, 30), count=st.none() | st.integers(1, 3000),
       days=st.integers(0, 800), byday=st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
                                                 unique=True, max_size=7),
       byhour=st.lists(st.integers(0, 23), unique=True, max_size=4),
       bymonth=st.lists(st.integers(1, 12), unique=True, max_size=3),
       bymonthday=st.lists(st.integers(1, 28), unique=True, max_size=3))
def test_step_estimate_is_never_below_what_dateutil_walks(freq, interval, count, days, byday, byhour, bymonth,
                                                           bymonthday):
    import icalendar
    from dateutil.rrule import rrulestr

    from partnerdesk.services.importers.ics import series_steps

    parts = [f"FREQ={freq}", f"INTERVAL={interval}"]
    if count:
        parts.append(f"COUNT={count}")
    for name, values in (("BYDAY", byday), ("BYHOUR", byhour), ("BYMONTH", bymonth),
                         ("BYMONTHDAY", bymonthday)):
        if values:
            parts.append(f"{name}={','.join(map(str, values))}")
    rule = ";".join(parts)
    start = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    hi = start + timedelta(days=days)
    cal = icalendar.Calendar.from_ical(
        f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20240101T090000Z\r\nRRULE:{rule}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n")
    estimate = series_steps(cal.walk("VEVENT")[0], hi)
    assume(estimate <= 20_000)  # above that the series is cut anyway; walking it here costs minutes
    try:
        dates = iter(rrulestr(f"RRULE:{rule}", dtstart=start))
        walked = sum(1 for _ in itertools.islice(itertools.takewhile(lambda d: d <= hi, dates), estimate + 1))
    except ValueError:  # a rule dateutil rejects (BYHOUR that HOURLY;INTERVAL never reaches)
        assume(False)
    assert walked <= estimate, (rule, walked, estimate)
