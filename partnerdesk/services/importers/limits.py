"""The bounds every import stays within, whatever the file (docs/safety.md, "Imports are bounded").

Each number is far above what a rep's real files reach (a two-year Outlook export, a Gmail Takeout,
a CRM report) and low enough that a hostile or broken file finishes, or is refused with one line,
in seconds and in a few hundred MB. The figures are measured by benchmarks/bench_hostile_imports.py
and asserted (generously) by tests/services/importers/test_bounds.py.
"""

from __future__ import annotations

from dataclasses import dataclass

# Calendars -----------------------------------------------------------------------------------------
CALENDAR_BYTES_MAX = 128 << 20  # an .ics is parsed whole; a 2-year Outlook export is a few MB
SERIES_STEPS_MAX = 200_000  # rule steps walked from a series' first meeting to the range's end
SERIES_OCCURRENCES_MAX = 5_000  # meetings taken from one series (daily for 13 years)
IMPORT_OCCURRENCES_MAX = 20_000  # meetings taken from recurring series in one import (27 a day for 2 years)

# Mail ----------------------------------------------------------------------------------------------
MESSAGE_BYTES_MAX = 16 << 20  # of one message, what is read and parsed; the rest is skipped unread
HTML_CHARS_MAX = 4_000_000  # of an HTML body, what is turned into text
ADDRESS_HEADER_CHARS_MAX = 64 * 1024  # of one To/Cc/From header, what is parsed for addresses
PEOPLE_MAX = 100  # people kept per meeting or message (organiser and sender first)

# Contacts ------------------------------------------------------------------------------------------
VCARD_BYTES_MAX = 128 << 20  # a .vcf is parsed whole; a phone's full address book is a few MB
VCARDS_MAX = 20_000  # cards read from one file (a large CRM address book has ~10,000)
VCARD_LINES_MAX = 500  # lines of the properties partnerdesk reads, in one card
VCARD_CHARS_MAX = 256 * 1024  # characters of those properties in one card (photos are not read)

# partnerdesk JSON ---------------------------------------------------------------------------------
JSON_WHOLE_BYTES_MAX = 128 << 20  # a document not laid out one record per line is read whole


def megabytes(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


@dataclass
class Budget:
    """What one import (all its files) has used of the per-import limits."""

    occurrences: int = 0

    def occurrences_left(self) -> int:
        return max(0, IMPORT_OCCURRENCES_MAX - self.occurrences)
