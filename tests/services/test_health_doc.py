"""docs/health.md's worked example, number for number: Qwest as of 31 March 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from partnerdesk.domain.health_types import Band, Period
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Tag
from partnerdesk.services.health import explain, vendor_health
from partnerdesk.store.local_days import set_journal_zone
from tests.helpers import draft


def _at(d: date, hour: int = 15) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def test_worked_example(journal):
    set_journal_zone(journal, "Europe/London")
    qwest = journal.vendors.add("Qwest").id
    drafts = []
    monday = date(2025, 3, 3)
    while monday <= date(2025, 12, 29):  # every Monday, helpful: 44 calls
        fu = None
        if monday == date(2025, 6, 9):
            fu = FollowUp(date(2025, 6, 20), "Price list", FollowUpOwner.VENDOR,
                          _at(date(2025, 6, 18)))
        drafts.append(draft(qwest, "Weekly call", at=_at(monday), tag=Tag.HELPFUL,
                            follow_up=fu))
        monday += timedelta(days=7)
    for d in (date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2), date(2026, 2, 16),
              date(2026, 3, 2), date(2026, 3, 16), date(2026, 3, 30)):  # every other Monday
        fu = None
        if d == date(2026, 2, 2):
            fu = FollowUp(date(2026, 2, 15), "MDF claim", FollowUpOwner.VENDOR)  # never done
        drafts.append(draft(qwest, "Call", at=_at(d),
                            tag=Tag.HELPFUL if d in (date(2026, 1, 5), date(2026, 2, 2))
                            else Tag.TRANSACTIONAL,
                            direction=Direction.INBOUND if d == date(2026, 3, 16)
                            else Direction.OUTBOUND, follow_up=fu))
    drafts.append(draft(qwest, "Partner webinar", at=_at(date(2026, 3, 10)), tag=Tag.HELPFUL,
                        channel=Channel.BROADCAST))
    journal.interactions.add_many(drafts, skip_existing=False)

    march = vendor_health(journal, qwest, Period.MONTH, today=date(2026, 3, 31))[-1]
    values = {c.name: c.value for c in march.components}
    # The docs' arithmetic (docs/health.md, "A worked example").
    year_share = (41 + 0.25 + 3 * 0.5) / (46 + 0.25 + 3)
    helpfulness = round(100 * (2 + 0.25 + 2 * year_share) / (7 + 0.25 + 2), 1)
    year_in = (1 + 3 * 0.25) / (46 + 3)
    initiative = round(100 * min(1, ((1 + 2 * year_in) / (7 + 2)) / 0.5), 1)
    expected = 39 * 90 / 275
    cadence = round(100 * ((7 + 3) / (expected + 3) - 0.35) / 0.65, 1)
    promises = round(100 * (1 + 1.5 * 0.8) / (2 + 1.5), 1)
    assert (helpfulness, promises, cadence, initiative) == (43.1, 62.9, 43.7, 23.8)
    assert values == {"helpfulness": 43.1, "promises": 62.9, "cadence": 43.7,
                      "who reaches out": 23.8}
    score = round(0.50 * 43.1 + 0.25 * 62.9 + 0.20 * 43.7 + 0.05 * 23.8, 1)
    assert march.score == score == 47.2 and march.band is Band.AMBER
    assert (march.evidence_interactions, march.evidence_promises) == (47, 2)
    assert march.overdue_promises == 1
    assert explain(march)[:2] == [
        "Helpfulness: 3 of your 8 contacts in the last 90 days helped (1 was a broadcast, "
        "counted a quarter); the last helpful one was 10 Mar 2026 (costs 28 points).",
        "Cadence: you spoke on 7 days in the last 90, against a usual 13 (costs 11 points).",
    ]
