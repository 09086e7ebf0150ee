"""Journals with known behaviour, and the figures issue 9 asks of the health score on them.

Shared by tests/services/test_health_simulation.py (a small run, a few seconds) and
benchmarks/bench_health_simulation.py (a larger one). Every vendor is a real vendor in a real
journal, its interactions and promises written through the store's public bulk path, scored
through the public API (services/health.vendor_health, monthly).

Behaviours: constant vendors at several helpfulness levels and volumes (twice a month to three
times a week), vendors that turn (helpful share and cadence halve, promises start breaking) or
improve (the reverse) on a known date, and vendors that go silent on a known date.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from partnerdesk.domain.health_types import Bands, Period
from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.vocab import Channel, Direction, FollowUpOwner, Tag
from partnerdesk.services.health import vendor_health

START = date(2019, 1, 7)
CHANGE = date(2023, 1, 1)  # declines, improvements and silences begin here
END = date(2024, 1, 1)
STEADY_FROM = date(2020, 1, 1)  # steadiness is judged on months from here (a year of history)

# Contacts per month: twice a month, weekly, three times a week.
VOLUMES = {"2/month": 2.0, "weekly": 4.35, "3/week": 13.0}


@dataclass
class Behaviour:
    name: str
    per_month: float
    helpful: float
    keep: float = 0.9  # share of its promises the vendor keeps
    inbound: float = 0.35
    broadcast: float = 0.1
    change: date | None = None
    after: dict[str, float] = field(default_factory=dict)  # per_month/helpful/keep after change
    silent_from: date | None = None


def behaviours(reps: int = 1, levels: tuple[float, ...] = (0.35, 0.6, 0.85)) -> list[Behaviour]:
    out: list[Behaviour] = []
    for r in range(reps):
        for vol, rate in VOLUMES.items():
            for level in levels:
                out.append(Behaviour(f"steady {vol} {level:.0%} #{r}", rate, level))
                out.append(Behaviour(f"turns {vol} {level:.0%} #{r}", rate, level, change=CHANGE,
                                     after={"per_month": rate / 2, "helpful": level / 2,
                                            "keep": 0.3}))
                out.append(Behaviour(f"improves {vol} {level:.0%} #{r}", rate / 2, level / 2,
                                     keep=0.3, change=CHANGE,
                                     after={"per_month": rate, "helpful": level, "keep": 0.9}))
                out.append(Behaviour(f"silent {vol} {level:.0%} #{r}", rate, level,
                                     silent_from=CHANGE))
    return out


def _drafts(rng: random.Random, vendor_id: int, b: Behaviour) -> list[InteractionDraft]:
    out: list[InteractionDraft] = []
    day = START
    while day < END:
        if b.silent_from and day >= b.silent_from:
            break
        changed = b.change is not None and day >= b.change
        rate = b.after.get("per_month", b.per_month) if changed else b.per_month
        helpful = b.after.get("helpful", b.helpful) if changed else b.helpful
        keep = b.after.get("keep", b.keep) if changed else b.keep
        if day.weekday() < 5:  # office days only
            lam = rate * 12 / 261  # per weekday
            k, p, limit = 0, rng.random(), pow(2.718281828459045, -lam)
            while p > limit:
                k += 1
                p *= rng.random()
            for _ in range(k):
                at = datetime(day.year, day.month, day.day, rng.randrange(9, 17),
                              rng.randrange(60), tzinfo=UTC)
                bcast = rng.random() < b.broadcast
                follow = None
                if not bcast and rng.random() < 0.15:
                    due = day + timedelta(days=14)
                    u = rng.random()
                    done = None
                    if u < keep:
                        done = datetime.combine(due - timedelta(days=rng.randrange(10)),
                                                datetime.min.time(), UTC) + timedelta(hours=12)
                    elif u < keep + (1 - keep) / 2:
                        done = datetime.combine(due + timedelta(days=rng.randrange(5, 40)),
                                                datetime.min.time(), UTC) + timedelta(hours=12)
                    settles = b.change is not None and not changed and \
                        b.after.get("keep", 0) > b.keep
                    if done is None and settles:  # an improving vendor settles old debts
                        done = datetime.combine(b.change + timedelta(days=rng.randrange(60)),
                                                datetime.min.time(), UTC) + timedelta(hours=12)
                    if done is not None and done.date() > END:
                        done = None
                    follow = FollowUp(due=due, what="Send the numbers",
                                      owner=FollowUpOwner.VENDOR, done_at=done)
                out.append(InteractionDraft(
                    vendor_id=vendor_id, occurred_at=at, summary="Talked",
                    tag=Tag.HELPFUL if rng.random() < helpful else Tag.TRANSACTIONAL,
                    channel=Channel.BROADCAST if bcast else Channel.CALL,
                    direction=(Direction.INBOUND if rng.random() < b.inbound
                               else Direction.OUTBOUND),
                    follow_up=follow))
        day += timedelta(days=1)
    return out


def build(journal, items: list[Behaviour], seed: int = 9) -> dict[str, int]:  # noqa: ANN001
    """Write every behaviour as a vendor; returns name -> vendor id."""
    rng = random.Random(seed)
    ids: dict[str, int] = {}
    drafts: list[InteractionDraft] = []
    for b in items:
        vid = journal.vendors.add(b.name).id
        ids[b.name] = vid
        drafts.extend(_drafts(rng, vid, b))
    drafts.sort(key=lambda d: d.occurred_at)
    journal.interactions.add_many(drafts, skip_existing=False)
    return ids


@dataclass
class Figures:
    band_change: float  # share of consecutive known months that change band (steady vendors)
    median_move: float  # median |month-to-month change| (steady vendors)
    false_alarms: float  # share of months 15+ below the vendor's own mean (steady vendors)
    months_to_15_down: float  # median months after a turn until 15+ below the former level
    drop_6_months: float  # median fall by the second quarter after a turn (mean of months 4-6)
    months_to_15_up: float  # the same for improvements
    rise_6_months: float
    months_to_red: float  # median months after the last contact until red (silences)
    worst_months_to_red: int
    unscored_first_months: bool  # no vendor's first month had a score


def _months(points):  # noqa: ANN001, ANN202
    return {p.start: p for p in points}


def measure(journal, items: list[Behaviour], ids: dict[str, int]) -> Figures:  # noqa: ANN001
    bands = Bands()
    moves: list[float] = []
    changes = pairs = alarms = months = 0
    to_down: list[int] = []
    drops: list[float] = []
    to_up: list[int] = []
    rises: list[float] = []
    to_red: list[int] = []
    first_unscored = True
    for b in items:
        points = vendor_health(journal, ids[b.name], Period.MONTH, today=END - timedelta(days=1))
        first_unscored &= points[0].score is None and points[0].band is None
        by = _months(points)
        if b.change is None and b.silent_from is None:
            known = [p for p in points if p.start >= STEADY_FROM and p.score is not None]
            scores = [p.score for p in known]
            mean = statistics.mean(scores)
            alarms += sum(1 for s in scores if s <= mean - 15)
            months += len(scores)
            for x, y in zip(known, known[1:], strict=False):
                moves.append(abs(y.score - x.score))
                pairs += 1
                changes += x.band is not y.band
            continue
        start = b.change or b.silent_from
        assert start is not None
        before = [p.score for p in points if start - timedelta(days=183) <= p.start < start
                  and p.score is not None]
        level = statistics.mean(before)
        after = [by.get(_add_months(start, k)) for k in range(6)]
        scores = [p.score if p is not None and p.score is not None else level for p in after]
        if b.silent_from:
            red = next((k + 1 for k, p in enumerate(after)
                        if p is not None and p.band is not None and p.score is not None
                        and p.score < bands.amber_from), 99)
            to_red.append(red)
        elif b.after.get("helpful", 1) < b.helpful:
            to_down.append(next((k + 1 for k, s in enumerate(scores) if s <= level - 15), 99))
            drops.append(level - statistics.mean(scores[3:6]))
        else:
            to_up.append(next((k + 1 for k, s in enumerate(scores) if s >= level + 15), 99))
            rises.append(statistics.mean(scores[3:6]) - level)
    return Figures(
        band_change=changes / max(1, pairs), median_move=statistics.median(moves),
        false_alarms=alarms / max(1, months),
        months_to_15_down=statistics.median(to_down), drop_6_months=statistics.median(drops),
        months_to_15_up=statistics.median(to_up), rise_6_months=statistics.median(rises),
        months_to_red=statistics.median(to_red), worst_months_to_red=max(to_red),
        unscored_first_months=first_unscored)


def _add_months(d: date, k: int) -> date:
    """The first of the month k months after d's month (the k-th month from d on)."""
    index = d.year * 12 + d.month - 1 + k
    return date(index // 12, index % 12 + 1, 1)
