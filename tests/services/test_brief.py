"""The meeting brief: its plain data (what the window shows) and its one-to-two-page PDF."""

from __future__ import annotations

import errno
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from partnerdesk.domain.errors import NotFound
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import EventKind, FollowUpOwner, Role, Tag
from partnerdesk.services import pdf_base
from partnerdesk.services.brief import brief_data, build_brief
from partnerdesk.services.demo import generate
from partnerdesk.store.journal import Journal
from tests.helpers import draft
from tests.services.pdf_checks import (
    assert_fonts_embedded,
    needs_pdf_tools,
    no_leftovers,
    page_count,
    qpdf_ok,
    text_of,
)

TODAY = date(2026, 11, 27)


@pytest.fixture
def demo(journal: Journal) -> Journal:
    generate(journal, interactions=3000, vendors=8, seed=3, today=TODAY)
    return journal


@pytest.fixture
def acme(journal: Journal) -> tuple[Journal, int]:
    """A vendor built by hand so that every part of the brief has a known answer."""
    v = journal.vendors.add("Acme Networks", programme="Acme Partner Advantage", tier="Gold")
    old = journal.contacts.add(v.id, "Dana Old", role=Role.CHANNEL_MANAGER,
                               active_from=date(2020, 1, 1), active_to=date(2026, 9, 30))
    journal.contacts.add(v.id, "Sam New", role=Role.CHANNEL_MANAGER, active_from=date(2026, 10, 1))
    journal.contacts.add(v.id, "Long Gone", active_from=date(2019, 1, 1), active_to=date(2021, 1, 1))
    start = datetime(2026, 1, 5, 15, tzinfo=UTC)
    for k in range(14):
        journal.interactions.add(draft(
            v.id, f"Call number {k + 1}", at=start + timedelta(days=21 * k),
            tag=Tag.HELPFUL if k % 3 else Tag.TRANSACTIONAL, quality=4, contact_ids=(old.id,)))
    journal.interactions.add(draft(v.id, "They promised a quote", at=start + timedelta(days=300),
                                   follow_up=FollowUp(date(2026, 11, 20), "Revised quote",
                                                      FollowUpOwner.VENDOR)))
    journal.interactions.add(draft(v.id, "I owe them numbers", at=start + timedelta(days=301),
                                   follow_up=FollowUp(date(2026, 12, 4), "Send forecast")))
    journal.interactions.add(draft(v.id, "Done already", at=start + timedelta(days=302),
                                   follow_up=FollowUp(date(2026, 11, 1), "Closed one",
                                                      FollowUpOwner.VENDOR,
                                                      done_at=start + timedelta(days=303))))
    journal.events.add(v.id, date(2026, 6, 1), EventKind.PROGRAMME_CHANGE, "New tiers")
    journal.events.add(v.id, date(2024, 6, 1), EventKind.OTHER, "Ancient history")
    return journal, v.id


def test_brief_data_has_every_part(acme: tuple[Journal, int]) -> None:
    journal, vid = acme
    b = brief_data(journal, vid, today=TODAY)
    assert b.vendor.name == "Acme Networks" and b.today == TODAY
    assert len(b.recent) == 10
    assert [i.occurred_at for i in b.recent] == sorted((i.occurred_at for i in b.recent), reverse=True)
    assert b.recent[0].summary == "Done already"
    assert [i.what for i in b.promises] == ["Revised quote"]
    assert [i.what for i in b.todos] == ["Send forecast"]
    assert (b.promises_open, b.todos_open, b.overdue) == (1, 1, 1)
    changes = {(c.contact.name, c.change) for c in b.contact_changes}
    assert changes == {("Dana Old", "left"), ("Sam New", "joined")}
    assert [e.text for e in b.events] == ["New tiers"]
    assert b.current is not None and b.current.score is not None
    assert b.why and all(isinstance(line, str) and line for line in b.why)
    assert 1 <= len(b.months) <= 12 and all(p.start <= TODAY for p in b.months)


def test_brief_data_for_a_vendor_with_nothing(journal: Journal) -> None:
    v = journal.vendors.add("Blank Slate")
    b = brief_data(journal, v.id, today=TODAY)
    assert b.recent == () and b.promises == () and b.events == () and b.contact_changes == ()
    assert b.current is None or b.current.score is None


def test_unknown_vendor(journal: Journal, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        build_brief(journal, 4242, tmp_path / "b.pdf", today=TODAY)
    assert not (tmp_path / "b.pdf").exists()


@needs_pdf_tools
def test_brief_pdf(acme: tuple[Journal, int], tmp_path: Path) -> None:
    journal, vid = acme
    path = build_brief(journal, vid, tmp_path / "b.pdf", today=TODAY)
    qpdf_ok(path)
    assert_fonts_embedded(path)
    assert 1 <= page_count(path) <= 2
    text = text_of(path)
    for part in ("Acme Networks", "Acme Partner Advantage · Gold", "Health and activity",
                 "Last 10 interactions", "Their open promises", "Revised quote", "My open to-dos",
                 "Send forecast", "Contacts who changed lately", "Sam New", "Dana Old",
                 "Recent events", "New tiers", "Questions to ask", "Meeting brief"):
        assert part in text, part
    assert "Ancient history" not in text and "Long Gone" not in text
    assert "Page 1 of" in text


@needs_pdf_tools
def test_brief_of_a_busy_demo_vendor_stays_within_two_pages(demo: Journal, tmp_path: Path) -> None:
    for v in demo.vendors.all():
        path = build_brief(demo, v.id, tmp_path / f"b{v.id}.pdf", today=TODAY, paper="letter")
        qpdf_ok(path)
        assert 1 <= page_count(path) <= 2, v.name


@needs_pdf_tools
def test_brief_of_an_empty_vendor(journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("Blank Slate")
    path = build_brief(journal, v.id, tmp_path / "b.pdf", today=TODAY)
    qpdf_ok(path)
    text = text_of(path)
    assert "Nothing logged with this vendor yet." in text and "No open promises." in text


@needs_pdf_tools
def test_brief_with_hard_text(journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("שותפים <&> شركة 华为 🚀 " + "W" * 150)
    journal.interactions.add(draft(v.id, "x" * 500, at=datetime(2026, 11, 2, 9, tzinfo=UTC),
                                   notes="ملاحظات طويلة جدا " * 20000,
                                   follow_up=FollowUp(date(2026, 12, 1), "להחזיר הצעת מחיר " * 30,
                                                      FollowUpOwner.VENDOR)))
    path = build_brief(journal, v.id, tmp_path / "b.pdf", today=TODAY)
    qpdf_ok(path)
    assert page_count(path) <= 2
    text = text_of(path)
    assert "שותפים <&>" in text or "<&> שותפים" in text
    assert "להחזיר הצעת מחיר" in text


def test_brief_write_failure_leaves_nothing(acme: tuple[Journal, int], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    journal, vid = acme

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(pdf_base.ExportFailed, match="disk is full"):
        build_brief(journal, vid, tmp_path / "b.pdf", today=TODAY)
    assert not (tmp_path / "b.pdf").exists() and no_leftovers(tmp_path) == []


@needs_pdf_tools
def test_unanswered_questions_are_the_ones_to_ask(acme: tuple[Journal, int], tmp_path: Path) -> None:
    journal, vid = acme
    questions = journal.questions.for_vendor(vid)
    journal.questions.answer(vid, questions[0].id, "Joint plans", on=date(2026, 5, 1))
    own = journal.questions.add(vid, "Who owns partner escalations after the reorg?")
    b = brief_data(journal, vid, today=TODAY)
    assert questions[0].text not in b.unanswered
    assert questions[1].text in b.unanswered and own.text in b.unanswered
    text = text_of(build_brief(journal, vid, tmp_path / "b.pdf", today=TODAY))
    assert own.text in text and questions[1].text in text
    assert questions[0].text not in text.split("Questions to ask", 1)[1]
