"""A document section's records counted in a rep's words: '720 money items', '1 action item'.

One place for the export and import lines of the whole-journal document and the ledger file.
"""

from __future__ import annotations

# section -> (one, many); any other section is its plural name ('registrations').
_WORDS = {"action_items": ("action item", "action items"), "money": ("money item", "money items"),
          "tiers": ("tier change", "tier changes")}


def count_phrase(n: int, section: str) -> str:
    one, many = _WORDS.get(section, (section[:-1], section))
    return f"{n:,} {one if n == 1 else many}"
