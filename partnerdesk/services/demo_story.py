"""Each demo vendor's story: how helpful, how often in touch and how reliable it is, and when
that changes (a buyout, a new channel manager, a slow decline, a portal move…).

The first five vendors tell the stories a new user should see, whatever the seed:
Meridian Telecom is steady and buys others; Crestline Networks improves under a new channel
manager; Harbor Fiber stays good; Bluepeak Cloud is bought by Meridian, its helpful share and
cadence halve, promises start breaking, residuals are cut, then it goes silent; Northgate
Hosting is bought by Crestline and cools. Later vendors draw a story at random.

A story compiles to phases: spans of days with constant behaviour, which the generator walks
through in time order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from partnerdesk.services.demo_calendar import workday
from partnerdesk.services.demo_text import (
    ANSWER_AFTER_BUYOUT,
    ANSWER_AFTER_IMPROVEMENT,
    ANSWERS,
    possessive,
)

STEADY_REFERENCE = 2  # the scripted vendor to which nothing ever happens
MOOD_DAYS = 120  # how long an event (portal move, new tiers) colours the notes
IMPROVED_DAYS = 240  # how long the rep keeps remarking on an improvement

RANDOM_EVENTS = [
    ("programme change", "New partner tiers based on annual bookings", "tiers"),
    ("system change", "Partner portal moved to a new platform", "portal"),
    ("programme change", "Deal registration now requires a customer PO", "po_rule"),
    ("compensation change", "SPIFF programme introduced for new logos", "spiff"),
]


@dataclass(slots=True)
class Behaviour:
    helpful: float  # chance an interaction helps
    cadence: float  # relative contact rate; 0 is silence
    keeps: float  # chance a promise is kept on time
    stuck: float = 0.02  # chance a broken promise is never closed
    mood: str = "steady"  # which notes fit (see demo_text.MOODS)
    keep_debts: bool = False  # broken promises are left open on purpose, never retired
    chase: float = 1.0  # how much more often than usual a contact ends with a follow-up


@dataclass
class Plan:
    """One vendor's story, in date ordinals."""

    name: str
    weight: float  # how much of the rep's time the vendor gets, relative to the others
    kind: str  # steady, improves, buyout, mild_buyout, declines
    first_day: int
    base: Behaviour
    turn: int | None = None  # when things change (acquisition, new manager, decline)
    acquirer: int | None = None  # index of the buyer among the plans
    cut: int | None = None  # residuals cut after a buyout
    silence: int | None = None  # no contact from this day on
    manager_leaves: int | None = None  # the channel manager's last day
    events: list[tuple[int, str, str, str | None]] = field(default_factory=list)
    # (day, kind, text, mood); acquisition, cut and contact-change events are added on writing


@dataclass(slots=True)
class Phase:
    start: int
    b: Behaviour
    contacts: tuple[tuple[int, str], ...]


def plan_stories(rng: random.Random, names: list[str], start: int, today: int) -> list[Plan]:
    span = today - start
    plans: list[Plan] = []
    scripted = [_meridian, _crestline, _harbor, _bluepeak, _northgate]
    for i, name in enumerate(names):
        if i < len(scripted):
            plans.append(scripted[i](name, start, today, span, len(names)))
        else:
            plans.append(_random_plan(rng, name, i, plans, start, today, span))
    for i, p in enumerate(plans):  # programme, portal and pay events for a third of the others
        if i == STEADY_REFERENCE:
            continue  # Harbor Fiber: nothing happens, so steadiness can be seen
        if p.kind in ("steady", "declines") and rng.random() < 0.4:
            lo, hi = p.first_day + 200, today - 30
            if hi > lo:
                kind, text, mood = rng.choice(RANDOM_EVENTS)
                p.events.append((lo + rng.randrange(hi - lo), kind, text, mood))
        if p.manager_leaves is None and p.kind == "steady" and rng.random() < 0.45:
            lo, hi = p.first_day + 400, today - 200
            if hi > lo:
                p.manager_leaves = lo + rng.randrange(hi - lo)
    return plans


def _meridian(name: str, start: int, today: int, span: int, n: int) -> Plan:
    return Plan(name, 2.0, "steady", start, Behaviour(0.62, 1.0, 0.86))


def _crestline(name: str, start: int, today: int, span: int, n: int) -> Plan:
    turn = today - int(span * 0.4)
    return Plan(name, 1.1, "improves", start, Behaviour(0.3, 0.7, 0.6), turn=turn,
                manager_leaves=turn - 1)


def _harbor(name: str, start: int, today: int, span: int, n: int) -> Plan:
    return Plan(name, 1.2, "steady", start, Behaviour(0.8, 1.0, 0.93))


def _bluepeak(name: str, start: int, today: int, span: int, n: int) -> Plan:
    silence = today - min(180, int(span * 0.12))
    acquired = today - max(int(span * 0.225), min(int(span * 0.45), 430))
    cut = acquired + min(150, (silence - acquired) // 3)
    return Plan(name, 1.4, "buyout", start, Behaviour(0.72, 1.0, 0.9), turn=acquired, acquirer=0,
                cut=cut, silence=silence, manager_leaves=acquired + 40)


def _northgate(name: str, start: int, today: int, span: int, n: int) -> Plan:
    return Plan(name, 1.0, "mild_buyout", start, Behaviour(0.58, 1.0, 0.85),
                turn=today - int(span * 0.35), acquirer=1 if n > 1 else 0)


def _random_plan(rng: random.Random, name: str, i: int, plans: list[Plan], start: int,
                 today: int, span: int) -> Plan:
    first = start if rng.random() < 0.65 else start + int(span * rng.uniform(0.05, 0.5))
    base = Behaviour(round(rng.uniform(0.4, 0.8), 2), 1.0, round(rng.uniform(0.7, 0.92), 2))
    plan = Plan(name, round(rng.uniform(0.4, 2.2), 2), "steady", first, base)
    lo, hi = max(first + 365, start + int(span * 0.3)), today - 200
    r = rng.random()
    buyers = [k for k, p in enumerate(plans[: max(2, (len(plans) + 1) // 5)])
              if p.acquirer is None]
    if hi <= lo or r < 0.6:
        return plan
    plan.turn = lo + rng.randrange(hi - lo)
    if r < 0.74:
        plan.kind = "improves"
        plan.base.helpful = round(min(plan.base.helpful, 0.5), 2)
        plan.manager_leaves = plan.turn - 1
    elif r < 0.88 and buyers:
        plan.kind = "mild_buyout"
        plan.acquirer = rng.choice(buyers)
        cut = plan.turn + rng.randint(60, 200)
        plan.cut = cut if cut < today - 30 else None
    else:
        plan.kind = "declines"
    return plan


def behaviour_on(p: Plan, day: int) -> Behaviour:
    """What the vendor is like on `day` (before event moods and contacts)."""
    b = p.base
    if day < p.first_day or (p.silence is not None and day >= p.silence):
        return Behaviour(b.helpful, 0.0, b.keeps)
    if p.turn is None or day < p.turn:
        return b
    if p.kind == "improves":
        mood = "improved" if day < p.turn + IMPROVED_DAYS else "steady"
        return Behaviour(min(0.85, b.helpful + 0.4), 1.4 if p.base.cadence < 1 else 1.5,
                         min(0.93, b.keeps + 0.25), mood=mood)
    if p.kind == "declines":
        return Behaviour(b.helpful * 0.5, 0.55, b.keeps - 0.3, stuck=0.05, mood="cooling")
    # a buyout: the scripted one halves at once and worsens after the cut
    scripted = p.kind == "buyout"
    if p.cut is not None and day >= p.cut:
        return Behaviour(b.helpful * (0.28 if scripted else 0.45), 0.4 if scripted else 0.6,
                         b.keeps - (0.6 if scripted else 0.35), stuck=0.5 if scripted else 0.1,
                         mood="after_cut", keep_debts=scripted, chase=2.0 if scripted else 1.0)
    return Behaviour(b.helpful * (0.5 if scripted else 0.62), 0.45 if scripted else 0.75,
                     b.keeps - (0.4 if scripted else 0.25), stuck=0.1 if scripted else 0.05,
                     mood="after_buyout", chase=2.0 if scripted else 1.0)


def compile_phases(p: Plan, start: int,
                   contacts: list[tuple[int, str, int, int | None]]) -> list[Phase]:
    """The vendor's phases from `start`: a new one wherever behaviour, mood or contacts change.

    contacts: (id, name, first day, last day or None).
    """
    cuts = {start, p.first_day}
    for day in (p.turn, p.cut, p.silence):
        if day is not None:
            cuts.add(day)
    if p.kind == "improves" and p.turn is not None:
        cuts.add(p.turn + IMPROVED_DAYS)
    windows = [(day, day + MOOD_DAYS, mood) for day, _, _, mood in p.events if mood]
    for lo, hi, _ in windows:
        cuts.update((lo, hi))
    for _, _, first, last in contacts:
        cuts.add(first)
        if last is not None:
            cuts.add(last + 1)
    phases: list[Phase] = []
    for day in sorted(c for c in cuts if c >= start):
        b = behaviour_on(p, day)
        if b.mood == "steady":
            for lo, hi, mood in windows:
                if lo <= day < hi:
                    b = Behaviour(b.helpful, b.cadence, b.keeps, b.stuck, mood, b.keep_debts,
                                  b.chase)
        active = tuple((cid, name) for cid, name, lo, hi in contacts
                       if lo <= day and (hi is None or day <= hi))
        phases.append(Phase(day, b, active))
    return phases


# Which standard questions (by position) the scripted vendors have answered.
SCRIPTED_ANSWERS = {0: (1, 2, 4), 1: (1, 2), 2: (1, 2, 3, 4, 5), 3: (1, 4, 5), 4: (2, 3)}


def answers_for(rng: random.Random, p: Plan, index: int, acquirer_name: str,
                today: int) -> list[tuple[int, int, str]]:
    """(question position, day, text) for the questions the vendor answered, oldest first.

    Answers come early in the relationship; the buyout vendor's "how will you help us
    benefit" answer changes after the residuals cut, and an improver's measure of success
    changes under its new channel manager.
    """
    if index in SCRIPTED_ANSWERS:
        positions = SCRIPTED_ANSWERS[index]
    else:
        positions = tuple(q for q in ANSWERS if rng.random() < 0.3)
    lo, hi = p.first_day + 30, min(p.turn or today, today) - 30
    out: list[tuple[int, int, str]] = []
    for pos in positions:
        if hi <= lo:
            break
        good, poor = ANSWERS[pos]
        out.append((pos, workday(lo + rng.randrange(hi - lo)),
                    good if p.base.helpful >= 0.6 else poor))
    answered = {pos for pos, _, _ in out}
    if p.kind == "buyout" and p.cut is not None and 4 in answered:
        changed = ANSWER_AFTER_BUYOUT.format(acqs=possessive(acquirer_name))
        out.append((4, workday(p.cut + 14), changed))
    if p.kind == "improves" and p.turn is not None and 2 in answered and p.turn + 60 < today:
        out.append((2, workday(p.turn + 60), ANSWER_AFTER_IMPROVEMENT))
    return sorted(out, key=lambda a: a[1])
