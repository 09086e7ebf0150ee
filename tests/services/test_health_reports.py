"""Health in the meeting brief and the quarterly PDF: before/after each event with its ranges,
overdue with the day it is counted as of, and what every score rests on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.services.brief import brief_data, build_brief
from partnerdesk.services.quarterly_report import build_quarterly_report
from tests.helpers import draft
from tests.services.pdf_checks import text_of

TODAY = date(2026, 11, 27)


def _journal(journal):
    v = journal.vendors.add("Northgate").id
    start = date(2025, 9, 1)
    drafts = [draft(v, f"Call {k}", at=datetime.combine(start + timedelta(days=7 * k),
                                                       datetime.min.time(), UTC)
                    + timedelta(hours=15), tag=Tag.HELPFUL if k < 45 else Tag.TRANSACTIONAL)
              for k in range(64)]
    drafts.append(draft(v, "Promised the MDF numbers", at=datetime(2026, 9, 1, 15, tzinfo=UTC),
                        follow_up=FollowUp(date(2026, 9, 15), "MDF numbers",
                                           FollowUpOwner.VENDOR)))
    journal.interactions.add_many(drafts, skip_existing=False)
    journal.events.add(v, date(2026, 7, 20), "acquisition", "Bought by Vantage")
    return v


def test_the_brief_measures_each_recent_event_and_dates_overdue(journal, tmp_path):
    v = _journal(journal)
    b = brief_data(journal, v, today=TODAY)
    assert b.overdue_promises == 1
    [(event, ba)] = b.before_after
    assert event.on == date(2026, 7, 20)
    assert ba.before.helpful_pct > 90 and ba.after.helpful_pct < 10
    text = " ".join(text_of(build_brief(journal, v, tmp_path / "b.pdf", today=TODAY)).split())
    assert "Before and after this year's events" in text
    assert "down, beyond chance" in text and "80 % intervals" in text
    assert "1 of their promises overdue as of 27 Nov 2026" in text
    assert "The score rests on" in text


def test_the_quarterly_pdf_measures_the_quarters_events(journal, tmp_path):
    v = _journal(journal)
    path = build_quarterly_report(journal, "2026Q3", tmp_path / "q.pdf", today=TODAY,
                                  vendor_ids=[v])
    text = " ".join(text_of(path).split())
    assert "Before and after" in text and "down, beyond chance" in text
    assert "of their promises overdue as of 30 Sep 2026" in text
    assert "Rests on" in text and "the score rests on" in text
