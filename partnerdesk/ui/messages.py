"""The window's voice: counts with the right plural, and core messages with the command line's
words (flags, `partnerdesk check --repair`) put in the window's terms.

The services speak to both faces; their sentences name CLI flags because the command line is
where most of them are raised. The window passes every such sentence through `for_window`.
"""

from __future__ import annotations

import re

from partnerdesk.domain.words import plural  # noqa: F401 (the window's helper is the core's)

# CLI phrase → window phrase; the first that matches each place wins.
WINDOW_WORDS: list[tuple[str, str]] = [
    (r"\s*\(--tag helpful\|transactional\)", " (Ctrl+1 helpful, Ctrl+2 transactional)"),
    (r"add --follow-up YYYY-MM-DD", "fill in the follow-up date"),
    (r"choose another with --tag", "choose a tag for files that have none"),
    (r"change the range with --since/--until", "change the calendar range"),
    (r"or pass --vendor", "or choose a vendor for unmatched items"),
    (r"\s*\(or --db\)", ""),
    (r"\s*\(give --db with a new file\)", " (open a new journal for it)"),
    (r"'partnerdesk check --repair' rebuilds it", "Help ▸ Check journal can rebuild it"),
    (r"use --format json", "choose JSON"),
    (r"\(or pick --what [^)]*\)", "(or choose one kind of record for CSV)"),
    (r"name (it|one) with --map '[^']*'", "choose that column in the import"),
]
ANY_FLAG = re.compile(r"\s*\(?(?:\b(?:use|with|pass|give|add)\s+)?--[a-z][a-z-]*(?:=[^\s,.;)]+)?\)?")


def for_window(text: str) -> str:
    for pattern, words in WINDOW_WORDS:
        text = re.sub(pattern, words, text)
    return ANY_FLAG.sub("", text)
