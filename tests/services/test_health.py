"""Health scores against hand-computed examples: each component, the total, renormalising,
gaps, bands and trend, the portfolio, before/after an acquisition, and the sentences.

Every journal is a real SQLite file; interactions go in through the store, so the summary
table is kept by its triggers exactly as in use. Days are UTC (see docs/health.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.health_types import Band, Bands, Period, Trend
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.services.health import (
    DAYS_PER_MONTH,
    WEIGHTS,
    before_after,
    explain,
    period_label,
    portfolio,
    vendor_health,
)
from tests.helpers import draft

H, T = Tag.HELPFUL, Tag.TRANSACTIONAL


def at(y: int, m: int, d: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=UTC)


def log(j, vendor_id, when, tag=H, quality=None, follow_up=None):
    return j.interactions.add(draft(vendor_id, "Talked", at=when, tag=tag, quality=quality,
                                    follow_up=follow_up))


def promise(due: date, done: datetime | None = None) -> FollowUp:
    return FollowUp(due=due, what="Send the quote", owner=FollowUpOwner.VENDOR, done_at=done)


def by_start(points):
    return {p.start: p for p in points}


def comp(point, name):
    return {c.name: c for c in point.components}.get(name)


def weighted(values: dict[str, float]) -> float:
    total = sum(WEIGHTS[k] for k in values)
    return round(sum(WEIGHTS[k] * v for k, v in values.items()) / total, 1)


@pytest.fixture
def vendor(journal):
    return journal.vendors.add("Acme Telecom").id


# -- helpfulness ------------------------------------------------------------------------------
def test_helpfulness_decays_with_a_90_day_half_life(journal, vendor):
    log(journal, vendor, at(2026, 1, 5), H)  # Monday: its own slice
    log(journal, vendor, at(2026, 2, 2), T)  # Monday
    points = by_start(vendor_health(journal, vendor, Period.MONTH, today=date(2026, 3, 31)))
    assert list(points) == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]

    jan = points[date(2026, 1, 1)]
    assert comp(jan, "helpfulness").value == 100.0
    assert (jan.interactions, jan.helpful, jan.transactional) == (1, 1, 0)

    feb = points[date(2026, 2, 1)]
    # Valued at 1 March: the helpful one is 55 days old, the transactional one 27. The day the
    # weights are valued at cancels out: only the 28 days between them matter.
    share = 2 ** (-55 / 90) / (2 ** (-55 / 90) + 2 ** (-27 / 90))
    assert share == pytest.approx(1 / (1 + 2 ** (28 / 90)))
    assert comp(feb, "helpfulness").value == round(100 * share, 1) == 44.6
    detail = comp(feb, "helpfulness").detail
    assert "0 of 1 helpful this month; 45% with older ones fading" in detail
    # No ratings, no promises, and no usual cadence before three months of history: the
    # score is helpfulness alone, weight 100 %.
    assert [(c.name, c.weight) for c in feb.components] == [("helpfulness", 1.0)]
    assert feb.score == 44.6 and feb.band is Band.AMBER


# -- promises kept ----------------------------------------------------------------------------
def test_promises_kept_by_the_end_of_their_due_date(journal, vendor):
    log(journal, vendor, at(2026, 1, 5), follow_up=promise(date(2026, 1, 10), at(2026, 1, 10, 20)))
    log(journal, vendor, at(2026, 1, 6), follow_up=promise(date(2026, 1, 12), at(2026, 1, 14)))
    log(journal, vendor, at(2026, 1, 7), follow_up=promise(date(2026, 1, 20)))  # never closed
    # Closed the morning after, UTC: still the due date somewhere on Earth (UTC-12): kept.
    log(journal, vendor, at(2026, 1, 8),
        follow_up=promise(date(2026, 1, 25), at(2026, 1, 26, 11, 59)))
    # ... but from noon UTC the next day it is late everywhere.
    log(journal, vendor, at(2026, 1, 8),
        follow_up=promise(date(2026, 1, 25), at(2026, 1, 26, 12, 0)))
    # Open and due today or later: not yet decided, left out.
    log(journal, vendor, at(2026, 1, 9), follow_up=promise(date(2026, 3, 31)))
    # The rep's own to-do is not the vendor's promise.
    journal.interactions.add(draft(vendor, "Mine", at=at(2026, 1, 9), follow_up=FollowUp(
        due=date(2026, 1, 9), what="Chase", owner=FollowUpOwner.ME)))

    today = date(2026, 3, 31)
    q1 = vendor_health(journal, vendor, Period.QUARTER, today=today)[-1]
    assert q1.start == date(2026, 1, 1)
    assert (q1.promises_due, q1.promises_kept) == (5, 2)
    assert comp(q1, "promises kept").value == 40.0
    assert ("2 of 5 vendor promises due 1 Jan 2026 to 31 Mar 2026 kept"
            in comp(q1, "promises kept").detail)

    # A month looks back over three months: March's window holds January's promises. March
    # itself has no interaction, no decided promise and no usual cadence yet: a gap.
    march = vendor_health(journal, vendor, Period.MONTH, today=today)[-1]
    assert march.start == date(2026, 3, 1)
    assert (march.promises_due, march.promises_kept, march.interactions) == (5, 2, 0)
    assert march.score is None
    jan = vendor_health(journal, vendor, Period.MONTH, today=today)[0]
    assert (jan.promises_due, jan.promises_kept) == (5, 2)
    assert jan.score == weighted({"helpfulness": 100.0, "promises kept": 40.0}) == 76.9

    # The next day the promise due on the 31st is broken.
    q1_later = vendor_health(journal, vendor, Period.QUARTER, today=date(2026, 4, 1))[0]
    assert (q1_later.promises_due, q1_later.promises_kept) == (6, 2)

    # Closing the open one in time turns it into a kept promise.
    open_one = next(i for i in journal.interactions.list()
                    if i.follow_up and i.follow_up.due == today)
    journal.interactions.set_follow_up_done(open_one.id, at(2026, 3, 31, 9))
    q1 = vendor_health(journal, vendor, Period.QUARTER, today=today)[-1]
    assert (q1.promises_due, q1.promises_kept) == (6, 3)


def test_weekly_promise_window_is_13_weeks(journal, vendor):
    log(journal, vendor, at(2026, 1, 5), follow_up=promise(date(2026, 1, 6), at(2026, 1, 6)))
    log(journal, vendor, at(2026, 4, 6), follow_up=promise(date(2026, 4, 7)))  # broken
    points = by_start(vendor_health(journal, vendor, Period.WEEK, today=date(2026, 4, 30)))
    # The week of 6 April looks back to 12 January: the January promise is outside.
    w = points[date(2026, 4, 6)]
    assert (w.promises_due, w.promises_kept) == (1, 0)
    assert "due 12 Jan 2026 to 12 Apr 2026" in comp(w, "promises kept").detail
    # The week of 30 March still saw it (window from 5 January) but had no data of its own.
    assert points[date(2026, 3, 30)].score is None
    quiet = points[date(2026, 3, 30)]
    assert (quiet.promises_due, quiet.promises_kept) == (1, 1)


# -- quality ----------------------------------------------------------------------------------
def test_quality_maps_the_mean_rating_onto_0_to_100(journal, vendor):
    log(journal, vendor, at(2026, 1, 5), quality=5)
    log(journal, vendor, at(2026, 1, 6), quality=3)
    log(journal, vendor, at(2026, 1, 7))  # unrated: not a zero
    log(journal, vendor, at(2026, 2, 3), T, quality=1)
    jan, feb = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 28))
    assert comp(jan, "quality").value == 75.0  # mean 4 -> (4 - 1) / 4
    assert comp(jan, "quality").detail == "mean rating 4.0 of 5 (2 rated)"
    assert comp(feb, "quality").value == 0.0
    # January: helpfulness 100 and quality 75 only (no promises, no cadence yet).
    assert jan.score == weighted({"helpfulness": 100.0, "quality": 75.0}) == 93.2
    assert [c.weight for c in jan.components] == pytest.approx([0.40 / 0.55, 0.15 / 0.55])
    assert sum(c.weight for c in jan.components) == pytest.approx(1.0)


# -- engagement -------------------------------------------------------------------------------
def _cadence_year(j, vendor_id, counts, year=2025):
    for month, n in enumerate(counts, start=1):
        for k in range(n):
            log(j, vendor_id, at(year, month, 2 + k))


def test_engagement_against_the_median_of_the_last_12_months(journal, vendor):
    _cadence_year(journal, vendor, [2, 2, 2, 2, 4, 4, 4, 4, 6, 6, 6, 6])  # median (4 + 4) / 2
    log(journal, vendor, at(2026, 1, 12))
    log(journal, vendor, at(2026, 1, 13))
    points = by_start(vendor_health(journal, vendor, Period.MONTH, today=date(2026, 3, 10)))
    jan = points[date(2026, 1, 1)]
    expected = 4 * 31 / DAYS_PER_MONTH  # 4.07 contacts expected in a 31-day month
    assert comp(jan, "engagement").value == round(100 * 2 / expected, 1) == 49.1
    assert comp(jan, "engagement").detail == (
        "2 contacts against a usual 4.1 (median 4 a month over the previous 12 months)")
    assert jan.score == weighted({"helpfulness": 100.0, "engagement": 49.1}) == 83.0

    # Silence shows: February has no interaction, but 3.7 were expected.
    feb = points[date(2026, 2, 1)]
    assert feb.interactions == 0
    assert comp(feb, "engagement").value == 0.0
    assert feb.score == weighted({"helpfulness": 100.0, "engagement": 0.0}) == 66.7
    assert feb.trend is Trend.DOWN

    # The current month is judged on its first 10 days: median of Mar 2025..Feb 2026 is 4.
    mar = points[date(2026, 3, 1)]
    assert mar.score is not None and comp(mar, "engagement").value == 0.0
    assert "against a usual 1.3 " in comp(mar, "engagement").detail  # 4 * 10 / 30.4375


def test_weekly_engagement_scales_the_monthly_cadence(journal, vendor):
    _cadence_year(journal, vendor, [8] * 12)
    log(journal, vendor, at(2026, 1, 6))
    weeks = by_start(vendor_health(journal, vendor, Period.WEEK, today=date(2026, 1, 11)))
    week = weeks[date(2026, 1, 5)]
    # 8 a month is 8 * 7 / 30.4375 = 1.84 a week.
    assert comp(week, "engagement").value == round(100 / (8 * 7 / DAYS_PER_MONTH), 1) == 54.4


# -- gaps and the series' shape ---------------------------------------------------------------
def test_a_period_without_data_is_a_gap_not_a_zero(journal, vendor):
    log(journal, vendor, at(2026, 1, 14))
    log(journal, vendor, at(2026, 4, 14), T)
    points = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 4, 30))
    assert [p.start.month for p in points] == [1, 2, 3, 4]
    jan, feb, mar, apr = points
    # One contact a month is the usual cadence: a silent month expects fewer than one.
    assert (feb.score, feb.band, feb.trend, feb.components) == (None, None, None, ())
    assert mar.score is None
    assert explain(feb) == ["No interactions, no vendor promises due and no contact expected this "
                            "month: no score (a gap, not a zero)."]
    assert jan.score == 100.0 and jan.trend is None  # nothing before it to compare with
    assert apr.score is not None and apr.score < jan.score
    assert apr.trend is Trend.DOWN  # against January, the previous scored period


def test_series_bounds(journal, vendor):
    assert vendor_health(journal, vendor, today=date(2026, 1, 1)) == []  # no interactions yet
    log(journal, vendor, at(2026, 1, 29))  # Thursday
    log(journal, vendor, at(2026, 2, 1))  # Sunday of the same week, but February
    weeks = vendor_health(journal, vendor, Period.WEEK, today=date(2026, 2, 20))
    assert [w.start for w in weeks] == [date(2026, 1, 26), date(2026, 2, 2), date(2026, 2, 9),
                                        date(2026, 2, 16)]
    assert weeks[0].interactions == 2 and weeks[0].end == date(2026, 2, 2)
    months = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 20))
    assert [(m.start, m.end, m.interactions) for m in months] == [
        (date(2026, 1, 1), date(2026, 2, 1), 1), (date(2026, 2, 1), date(2026, 3, 1), 1)]
    # since / until pick the periods holding them; until never goes past today.
    q = vendor_health(journal, vendor, Period.QUARTER, since=date(2025, 8, 15),
                      until=date(2027, 1, 1), today=date(2026, 2, 20))
    assert [(p.start, p.end) for p in q] == [(date(2025, 7, 1), date(2025, 10, 1)),
                                             (date(2025, 10, 1), date(2026, 1, 1)),
                                             (date(2026, 1, 1), date(2026, 4, 1))]
    assert [p.score is None for p in q] == [True, True, False]
    later = vendor_health(journal, vendor, Period.MONTH, since=date(2026, 2, 5),
                          today=date(2026, 2, 20))
    assert [m.start for m in later] == [date(2026, 2, 1)]
    assert later[0].trend is Trend.FLAT  # still compared with January, before `since`
    with pytest.raises(InvalidInput):
        vendor_health(journal, vendor, since=date(2026, 3, 1), today=date(2026, 2, 20))
    assert vendor_health(journal, vendor, until=date(2025, 12, 31), today=date(2026, 2, 20)) == []
    with pytest.raises(NotFound):
        vendor_health(journal, 999)


def test_period_labels():
    assert period_label(date(2026, 1, 26), Period.WEEK) == "2026-W05"
    assert period_label(date(2024, 12, 30), Period.WEEK) == "2025-W01"
    assert period_label(date(2026, 2, 1), Period.MONTH) == "2026-02"
    assert period_label(date(2026, 7, 1), Period.QUARTER) == "2026Q3"


def test_scores_do_not_depend_on_the_machines_time_zone(journal, vendor, local_tz):
    _cadence_year(journal, vendor, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8])
    log(journal, vendor, at(2026, 1, 2, 23, 30), T, quality=2)
    local_tz("UTC")
    utc = vendor_health(journal, vendor, Period.WEEK, today=date(2026, 1, 31))
    local_tz("Pacific/Kiritimati")
    assert vendor_health(journal, vendor, Period.WEEK, today=date(2026, 1, 31)) == utc


# -- bands and trend --------------------------------------------------------------------------
def test_bands_and_the_flat_trend_margin(journal, vendor):
    # Four helpful contacts rated 5 in January and February, then four transactional ones
    # rated 1 in March and April.
    for month, tag, rating in ((1, H, 5), (2, H, 5), (3, T, 1), (4, T, 1)):
        for k in range(4):
            log(journal, vendor, at(2026, month, 3 + k), tag, quality=rating)
    jan, feb, mar, apr = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 4, 30))
    assert (jan.score, jan.band, jan.trend) == (100.0, Band.GREEN, None)
    assert (feb.score, feb.band, feb.trend) == (100.0, Band.GREEN, Trend.FLAT)
    # March, valued at 1 April: January's slices (1 Jan: 3rd, 4th; 5 Jan: 5th, 6th) are 90 and
    # 86 days old, February's (2 Feb) 58, March's transactional ones (2 Mar) 30.
    helpful = 2 * 2 ** (-90 / 90) + 2 * 2 ** (-86 / 90) + 4 * 2 ** (-58 / 90)
    share = round(100 * helpful / (helpful + 4 * 2 ** (-30 / 90)), 1)
    assert comp(mar, "helpfulness").value == share == 59.1
    assert mar.score == weighted({"helpfulness": share, "quality": 0.0}) == 43.0
    assert (mar.band, mar.trend) == (Band.AMBER, Trend.DOWN)
    # April: helpfulness falls further, but three months of history now give a usual cadence
    # (4 a month), met in full: engagement joins at 100 and lifts the score by over 3 points.
    assert comp(apr, "helpfulness").value < comp(mar, "helpfulness").value
    assert 4 > 4 * 30 / DAYS_PER_MONTH and comp(apr, "engagement").value == 100.0  # capped
    assert (apr.band, apr.trend) == (Band.AMBER, Trend.UP)
    custom = Bands(amber_from=10, green_from=101)
    again = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 4, 30), bands=custom)
    assert [p.band for p in again] == [Band.AMBER, Band.AMBER, Band.AMBER, Band.AMBER]
    assert Bands().band(39.9) is Band.RED and Bands().band(40) is Band.AMBER
    assert Bands().band(69.9) is Band.AMBER and Bands().band(70) is Band.GREEN


def test_trend_is_flat_within_three_points(journal, vendor):
    # January 10 helpful; February 40 more and 1 transactional: a dip of under 3 points.
    for k in range(10):
        log(journal, vendor, at(2026, 1, 3 + k))
    for k in range(40):
        log(journal, vendor, at(2026, 2, 3 + k % 10, 8 + k // 10))
    log(journal, vendor, at(2026, 2, 20), T)
    jan, feb = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 28))
    assert 0 < jan.score - feb.score <= 3
    assert feb.trend is Trend.FLAT


# -- explain ----------------------------------------------------------------------------------
def test_explain_lists_what_cost_points_first(journal, vendor):
    log(journal, vendor, at(2026, 1, 5), H, quality=5)
    log(journal, vendor, at(2026, 2, 2), T, quality=1, follow_up=promise(date(2026, 2, 10)))
    feb = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 28))[1]
    # Weights 0.40, 0.25, 0.15 over 0.80 present: 50 %, 31.25 %, 18.75 %.
    assert feb.score == round(0.5 * 44.6, 1) == 22.3 and feb.band is Band.RED
    lines = explain(feb)
    assert lines == [
        "Promises kept cost 31 points (0/100, weight 31%): 0 of 1 vendor promises due "
        "1 Dec 2025 to 28 Feb 2026 kept by their due date.",
        "Helpfulness cost 28 points (45/100, weight 50%): 0 of 1 helpful this month; 45% with "
        "older ones fading (half-life 90 days).",
        "Quality cost 19 points (0/100, weight 19%): mean rating 1.0 of 5 (1 rated).",
        "No usual cadence yet (under 3 months of history): engagement is left out; the other "
        "weights are scaled up.",
    ]
    costs = sum(c.weight * (100 - c.value) for c in feb.components)
    assert costs == pytest.approx(100 - feb.score, abs=0.05)
    jan = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 28))[0]
    assert explain(jan)[0] == ("Helpfulness at 100/100 (weight 73%): 1 of 1 helpful this month; "
                               "100% with older ones fading (half-life 90 days).")


# -- portfolio --------------------------------------------------------------------------------
def test_portfolio_rows(journal, vendor):
    other = journal.vendors.add("Bluepeak").id
    gone = journal.vendors.add("Zed Old").id
    journal.vendors.update(gone, archived=True)
    buyer = journal.vendors.add("Mega Corp").id
    journal.vendors.set_acquirer(other, buyer, date(2025, 6, 1))
    _cadence_year(journal, vendor, [3] * 12)
    log(journal, vendor, at(2026, 1, 5), T, quality=2)
    log(journal, vendor, at(2026, 2, 9, 15), H, follow_up=promise(date(2026, 2, 10)))  # broken
    log(journal, other, at(2024, 3, 1))
    log(journal, gone, at(2026, 1, 5))
    today = date(2026, 2, 20)

    rows = portfolio(journal, today=today)
    assert [r.display_name for r in rows] == ["Acme Telecom", "Bluepeak (Mega Corp)", "Mega Corp"]
    acme, blue, mega = rows
    series = vendor_health(journal, vendor, Period.QUARTER, today=today)
    assert acme.score == series[-1].score and acme.band == series[-1].band
    assert acme.sparkline == tuple([None] * 3 + [p.score for p in series])
    assert len(acme.sparkline) == 8
    assert acme.change == round(series[-1].score - series[-2].score, 1)
    assert acme.trend == series[-1].trend
    assert (acme.interactions, acme.helpful_pct, acme.promises_kept_pct) == (2, 50.0, 0.0)
    assert acme.overdue_promises == 1
    assert acme.last_contact == at(2026, 2, 9, 15)
    # Bluepeak: one contact two years ago; nothing now, and no cadence to miss.
    assert (blue.score, blue.band, blue.trend, blue.change) == (None, None, None, None)
    assert blue.interactions == 0
    assert blue.sparkline == (None,) * 8 and blue.last_contact == at(2024, 3, 1)
    assert (mega.score, mega.last_contact, mega.helpful_pct) == (None, None, None)

    with_archived = portfolio(journal, today=today, include_archived=True, period=Period.MONTH,
                              spark_periods=3)
    assert [r.display_name for r in with_archived][-1] == "Zed Old"
    acme_m = with_archived[0]
    months = vendor_health(journal, vendor, Period.MONTH, today=today)
    assert acme_m.sparkline == tuple(p.score for p in months[-3:])
    assert acme_m.score == months[-1].score


def test_portfolio_trend_looks_back_past_the_sparkline(journal, vendor):
    log(journal, vendor, at(2023, 1, 10))  # scored long ago, then silence, then a bad contact
    log(journal, vendor, at(2026, 2, 10), T)
    row = portfolio(journal, today=date(2026, 2, 20), spark_periods=2)[0]
    assert row.sparkline[0] is None and row.score is not None
    old = vendor_health(journal, vendor, Period.QUARTER, today=date(2026, 2, 20))
    scored = [p.score for p in old if p.score is not None]
    assert row.change == round(scored[-1] - scored[-2], 1) and row.trend is Trend.DOWN


# -- before / after ---------------------------------------------------------------------------
def test_before_and_after_an_acquisition(journal, vendor):
    # Four helpful contacts a month for the first half of 2025; then bought, and two
    # transactional ones a month.
    for month in range(1, 7):
        for k in range(4):
            log(journal, vendor, at(2025, month, 3 + 7 * k), H, quality=5)
    for month in range(7, 13):
        for k in range(2):
            log(journal, vendor, at(2025, month, 3 + 7 * k), T, quality=2)
    log(journal, vendor, at(2025, 6, 3), follow_up=promise(date(2025, 6, 10), at(2025, 6, 9)))
    log(journal, vendor, at(2025, 8, 3), T, follow_up=promise(date(2025, 8, 10)))
    journal.events.add(vendor, date(2025, 7, 1), "acquisition", "Bought by Mega Corp")

    ba = before_after(journal, vendor, date(2025, 7, 1), months=3, today=date(2026, 1, 15))
    b, a = ba.before, ba.after
    assert (b.start, b.end) == (date(2025, 4, 1), date(2025, 7, 1))
    assert (a.start, a.end) == (date(2025, 7, 1), date(2025, 10, 1))
    assert (b.interactions, b.helpful_pct, b.promises_kept_pct) == (13, 100.0, 100.0)
    assert (a.interactions, a.helpful_pct, a.promises_kept_pct) == (7, 0.0, 0.0)
    assert b.per_month == round(13 * DAYS_PER_MONTH / 91, 2)
    assert a.per_month == round(7 * DAYS_PER_MONTH / 92, 2)
    # Usual cadence before the event: the median of January..June's counts (4, 4, 4, 4, 4, 5).
    assert b.score == weighted({"helpfulness": 100, "promises kept": 100, "quality": 100,
                                "engagement": 100})
    expected_after = 4 * 92 / DAYS_PER_MONTH
    assert a.score == weighted({"helpfulness": 0, "promises kept": 0, "quality": 25,
                                "engagement": 100 * 7 / expected_after})
    assert a.score < 40 < b.score

    # An event last month: the after side stops today.
    recent = before_after(journal, vendor, date(2025, 12, 20), months=6, today=date(2026, 1, 15))
    assert recent.after.end == date(2026, 1, 16)
    with pytest.raises(InvalidInput):
        before_after(journal, vendor, date(2025, 7, 1), months=0)
    with pytest.raises(NotFound):
        before_after(journal, 999, date(2025, 7, 1))


def test_portfolio_without_sqlite_math_functions(journal, vendor, monkeypatch):
    import partnerdesk.services.health as health

    _cadence_year(journal, vendor, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], year=2022)
    _cadence_year(journal, vendor, [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5], year=2025)
    log(journal, vendor, at(2026, 2, 1), T)
    with_pow = portfolio(journal, today=date(2026, 2, 20), period=Period.MONTH)
    monkeypatch.setattr(health, "_OLD_SQL", health._OLD_SQL.replace("pow(", "no_such_pow("))
    assert portfolio(journal, today=date(2026, 2, 20), period=Period.MONTH) == with_pow
    months = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 20))
    assert with_pow[0].sparkline == tuple(p.score for p in months[-8:])


def test_worked_example_from_the_docs(journal):
    """docs/health.md's worked example, number for number."""
    qwest = journal.vendors.add("Qwest").id
    for day in (date(2025, 12, 1), date(2025, 12, 15), date(2026, 1, 5), date(2026, 1, 19),
                date(2026, 2, 2)):
        log(journal, qwest, at(day.year, day.month, day.day, 15), H)
    log(journal, qwest, at(2026, 2, 16, 15), T,
        follow_up=promise(date(2026, 3, 5), at(2026, 3, 4, 15)))
    log(journal, qwest, at(2026, 3, 9, 15), T, quality=2, follow_up=promise(date(2026, 3, 20)))
    dec, jan, feb, mar = vendor_health(journal, qwest, Period.MONTH, today=date(2026, 3, 31))

    ages_helpful, ages_transactional = (121, 107, 86, 72, 58), (44, 23)
    helpful = sum(0.5 ** (a / 90) for a in ages_helpful)
    share = helpful / (helpful + sum(0.5 ** (a / 90) for a in ages_transactional))
    expected_contacts = 2 * 31 / DAYS_PER_MONTH
    values = {"helpfulness": round(100 * share, 1), "promises kept": 50.0, "quality": 25.0,
              "engagement": round(100 * 1 / expected_contacts, 1)}
    assert values == {"helpfulness": 62.3, "promises kept": 50.0, "quality": 25.0,
                      "engagement": 49.1}
    assert {c.name: c.value for c in mar.components} == values
    assert mar.score == round(0.40 * 62.3 + 0.25 * 50 + 0.15 * 25 + 0.20 * 49.1, 1) == 51.0
    assert (mar.band, mar.trend) == (Band.AMBER, Trend.DOWN)
    assert [line.split(":")[0] for line in explain(mar)] == [
        "Helpfulness cost 15 points (62/100, weight 40%)",
        "Promises kept cost 12 points (50/100, weight 25%)",
        "Quality cost 11 points (25/100, weight 15%)",
        "Engagement cost 10 points (49/100, weight 20%)",
    ]
    assert (dec.score, jan.score, feb.score) == (100.0, 100.0, 78.2)
    assert feb.band is Band.GREEN and [c.name for c in feb.components] == ["helpfulness"]


def test_as_of_a_past_day_nothing_later_counts(journal, vendor):
    """A report as of a past day scores what was known then: later contacts, and promises
    closed later, do not count; a promise due later and closed later was still undecided."""
    log(journal, vendor, at(2026, 1, 5), H)
    log(journal, vendor, at(2026, 1, 6), H, follow_up=promise(date(2026, 1, 12), at(2026, 1, 11)))
    log(journal, vendor, at(2026, 1, 7), H, follow_up=promise(date(2026, 1, 7), at(2026, 1, 20)))
    log(journal, vendor, at(2026, 1, 26), T)  # a later week of January
    then = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 1, 9))[-1]
    assert (then.interactions, then.helpful) == (3, 3)
    # Due 7 Jan and still open on the 9th: broken then. Due the 12th: undecided on the 9th.
    assert (then.promises_due, then.promises_kept) == (1, 0)
    now = vendor_health(journal, vendor, Period.MONTH, today=date(2026, 2, 1))[0]
    assert (now.interactions, now.promises_due, now.promises_kept) == (4, 2, 1)
    row = portfolio(journal, today=date(2026, 1, 9), period=Period.MONTH)[0]
    assert (row.interactions, row.overdue_promises, row.score) == (3, 1, then.score)
    assert row.last_contact == at(2026, 1, 7)
    assert portfolio(journal, today=date(2026, 2, 1), period=Period.MONTH)[0].overdue_promises == 0
