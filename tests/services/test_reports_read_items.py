"""The meeting brief and the quarterly PDF read action items, not the interaction's old single
follow-up: an interaction holding five items in every state shows all five, each as it stands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from partnerdesk.services.brief import brief_data, build_brief
from partnerdesk.services.quarterly_report import build_quarterly_report
from partnerdesk.store.journal import Journal
from tests.services.pdf_checks import needs_pdf_tools, text_of
from tests.three_items import DEMO, MDF, PRICES, QUOTE, ROADMAP, three_items

TODAY = date(2025, 6, 1)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_brief_lists_open_and_snoozed_items_and_counts_overdue_by_the_item(
        journal: Journal) -> None:
    v = journal.vendors.add("Qwest")
    iid = three_items(journal, v.id)
    b = brief_data(journal, v.id, today=TODAY)
    # open or snoozed only; latest due first; the rep's and the vendor's apart
    assert [i.what for i in b.promises] == [MDF, QUOTE]
    assert [i.what for i in b.todos] == [DEMO]
    assert (b.promises_open, b.todos_open, b.overdue, b.overdue_promises) == (2, 1, 2, 2)
    assert [i.what for i in b.recent_items[iid]] == [QUOTE, DEMO, ROADMAP, PRICES, MDF]


@needs_pdf_tools
def test_brief_pdf_shows_every_item_of_a_recent_interaction(journal: Journal,
                                                            tmp_path: Path) -> None:
    v = journal.vendors.add("Qwest")
    three_items(journal, v.id)
    text = _flat(text_of(build_brief(journal, v.id, tmp_path / "b.pdf", today=TODAY)))
    assert "dropped: vendor refused" in text and f"{PRICES} — my to-do, done" in text
    assert "snoozed until" in text
    for what in (QUOTE, DEMO, ROADMAP, MDF):
        assert what in text


@needs_pdf_tools
def test_quarterly_pdf_lists_open_items_and_every_item_of_a_key_interaction(
        journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("Qwest")
    three_items(journal, v.id)
    out = build_quarterly_report(journal, "2025Q1", tmp_path / "q.pdf", today=TODAY)
    text = _flat(text_of(out))
    key = text[text.index("Key interactions in"):text.index("Open follow-ups on")]
    assert "Vendor promised by" in key and "(dropped: vendor refused)" in key
    assert "(done)" in key and "(overdue, snoozed until 1 Jan 2099)" in key
    assert "Vendor promised by 10 Jan 2025 (overdue): Send the revised quote" in key
    for what in (QUOTE, DEMO, ROADMAP, PRICES, MDF):
        assert what in key
    listed = text[text.index("Open follow-ups on"):text.index("Partnership questions")]
    assert all(w in listed for w in (QUOTE, DEMO, MDF))
    assert ROADMAP not in listed and PRICES not in listed  # closed ones are not open
