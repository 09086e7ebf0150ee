"""A believable journal from a seed: telecom and IT vendors with stories (buyouts, a new
channel manager, steady partners), contacted in office hours, with follow-ups mostly closed.

Used by screenshots, tests and benchmarks, so it must be deterministic for a seed and fast
at a million interactions: rows are generated in time order (so ids follow time) from random
draws made in bulk, and written with executemany in one transaction. The stories live in
demo_story, the wording in demo_text, follow-ups in demo_followups, office hours in
demo_calendar, vendors and their contacts, events and answers in demo_vendors.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, tzinfo
from itertools import accumulate
from typing import Any

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.services.demo_calendar import OfficeCalendar
from partnerdesk.services.demo_followups import (
    ITEM_STATES_SQL,
    FollowUpMaker,
    item_states,
    row_columns,
)
from partnerdesk.services.demo_story import plan_stories
from partnerdesk.services.demo_text import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    TOPICS,
    NotePools,
    possessive,
    summaries_by,
)
from partnerdesk.services.demo_vendors import VENDOR_NAMES, DemoVendor, vendor_names, write_vendors
from partnerdesk.store.interactions import bulk_insert, optimize_search_index
from partnerdesk.store.journal import Journal

__all__ = ["VENDOR_NAMES", "generate"]

# A rep keeps up with about this many follow-ups a working day, whatever the journal's size, so
# a huge benchmark journal does not drown in open items.
FOLLOW_UPS_PER_DAY = 1.6
MAX_FOLLOW_UP_SHARE = 0.25  # at most this share of interactions end with a follow-up
VENDOR_PROMISE_SHARE = 0.55  # the rest are the rep's own to-dos
CONTACTS_PER_VENDOR_YEAR = 52  # sets the default span: about weekly contact per vendor
BATCH = 50_000
NO_STATES: list[tuple[Any, ...]] = []  # shared, never appended to: most rows have no item state
GONE_BAD = ("after_buyout", "after_cut")  # moods in which a dropped promise is the vendor's fault


def generate(journal: Journal, interactions: int = 2000, vendors: int | None = None, seed: int = 7,
             today: date | None = None, years: int | None = None,
             progress: Callable[[int, int], None] | None = None,
             tz: tzinfo | None = None) -> tuple[int, int]:
    """Fill an empty journal; returns (vendors, interactions) written.

    The span is `years` back from `today` (default: what gives each vendor about weekly
    contact, between 3 and 10 years). Office hours are in `tz` (default the system's zone).
    """
    if interactions < 0 or interactions > 20_000_000:
        raise InvalidInput("Choose between 0 and 20,000,000 demo interactions.")
    with journal.reading() as conn:
        if conn.exec_driver_sql(
                "SELECT (SELECT count(*) FROM vendor) + (SELECT count(*) FROM interaction)"
        ).scalar_one():
            raise InvalidInput(f"{journal.path} already has entries; the demo only fills an empty "
                               "journal (give --db with a new file).")
    n_vendors = vendors if vendors is not None else (12 if interactions <= 50_000 else 40)
    if not 1 <= n_vendors <= 5000:
        raise InvalidInput("Choose between 1 and 5,000 demo vendors.")
    rng = random.Random(seed)
    today = today or date.today()
    if years is None:
        years = min(10, max(3, round(interactions / (n_vendors * CONTACTS_PER_VENDOR_YEAR))))
    start = today - timedelta(days=round(365.25 * years))
    cal = OfficeCalendar(start, today, tz)
    # The demo ends where `today` begins (local midnight): always in the past, and the same for
    # every run on that day, so that a seed gives the same journal (screenshots, tests, benchmarks).
    end_s = int(datetime(today.year, today.month, today.day, tzinfo=tz).timestamp())
    plans = plan_stories(rng, vendor_names(rng, n_vendors), start.toordinal(), today.toordinal())
    with journal.writing() as conn:
        demo_vendors = write_vendors(conn, rng, plans, cal, today)
    written = _write_interactions(journal, rng, demo_vendors, cal, interactions, end_s, today,
                                  progress)
    from partnerdesk.services.demo_ledger import add_ledger_demo  # the ledger's own module

    add_ledger_demo(journal, seed, today)
    return len(demo_vendors), written


def _write_interactions(journal: Journal, rng: random.Random, vendors: list[DemoVendor],
                        cal: OfficeCalendar, total: int, end_s: int, today: date,
                        progress: Callable[[int, int], None] | None) -> int:
    written = 0
    with journal.writing() as conn:
        # A bigger page cache keeps index pages in memory for the whole bulk write.
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        indexes = _drop_secondary_indexes(conn)
        batch: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        states: list[tuple[Any, ...]] = []
        for row, link, state in _rows(rng, vendors, cal, total, end_s, today):
            batch.append(row)
            if link:
                links.append(link)
            if state:
                states.extend(state)
            if len(batch) >= BATCH:
                written += _flush(conn, batch, links, states)
                batch, links, states = [], [], []
                if progress:
                    progress(written, total)
        written += _flush(conn, batch, links, states)
        for sql in indexes:
            conn.exec_driver_sql(sql)
        if written >= 2000:
            optimize_search_index(conn)
        conn.exec_driver_sql("PRAGMA cache_size = -2000")
    if progress:
        progress(written, total)
    return written


def _drop_secondary_indexes(conn: Any) -> list[str]:
    """Drop the interaction tables' non-unique indexes; returns the SQL that re-creates them.

    Built once by sorting after the load, they cost a fraction of keeping them up row by row
    (the per-vendor and per-contact ones take inserts all over their trees: ~40 % of the write
    at 1M rows). Unique indexes stay, so constraints hold throughout. All of it happens in the
    caller's transaction: no other connection ever sees the tables without their indexes.
    """
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('interaction', 'interaction_contact')"
        " AND sql NOT LIKE 'CREATE UNIQUE%'").all()
    for name, _ in rows:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def _flush(conn: Any, batch: list[tuple[Any, ...]], links: list[tuple[int, int]],
           states: list[tuple[Any, ...]]) -> int:
    if batch:
        bulk_insert(conn, batch)
    if links:
        conn.exec_driver_sql("INSERT INTO interaction_contact VALUES (?, ?)", links)
    if states:  # the batch's dropped and snoozed items, created as done or open by the insert
        conn.exec_driver_sql(ITEM_STATES_SQL, states)
    return len(batch)


def _day_counts(vendors: list[DemoVendor], cal: OfficeCalendar,
                total: int) -> tuple[list[int], float]:
    """How many interactions each calendar day gets: its weight (workday, weekend, holiday)
    times the summed cadence of the vendors in touch that day, shared out to make `total`.
    Also returns the interactions a working day brings per unit of vendor weight."""
    days = cal.end - cal.base  # up to yesterday: the calendar runs on for due dates
    delta = [0.0] * (days + 1)
    for v in vendors:
        for k, ph in enumerate(v.phases):
            lo = ph.start - cal.base
            hi = v.phases[k + 1].start - cal.base if k + 1 < len(v.phases) else days
            rate = v.weight * ph.b.cadence
            delta[max(0, min(days, lo))] += rate
            delta[max(0, min(days, hi))] -= rate
    weights = [w * a for w, a in zip(cal.weights[:days], accumulate(delta[:days]), strict=True)]
    grand = sum(weights)
    counts, done, running = [], 0, 0.0
    for w in weights:
        running += w  # the same additions as sum(): the last day ends exactly on `total`
        upto = round(total * running / grand) if grand else 0
        counts.append(upto - done)
        done = upto
    return counts, total / grand if grand else 0.0


def _rows(rng: random.Random, vendors: list[DemoVendor], cal: OfficeCalendar, total: int,
          end_s: int, today: date
          ) -> Iterator[tuple[tuple[Any, ...], tuple[int, int] | None, list[tuple[Any, ...]]]]:
    if total == 0:
        return
    counts, per_weight = _day_counts(vendors, cal, total)
    month = 20 * per_weight  # a month's interactions per unit of weight
    fu_rate = min(MAX_FOLLOW_UP_SHARE, FOLLOW_UPS_PER_DAY * cal.working_days / total)
    follow_ups = FollowUpMaker(cal, end_s, today)
    pools = NotePools(random.Random(rng.random()))
    built = pools.built  # looked up directly: a method call per row is measurable at 1M
    summaries = {"helpful": summaries_by("helpful"), "transactional": summaries_by("transactional")}
    # Pre-computing draws in bulk is what makes 1M rows fast.
    channels = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS, k=total)
    rand = rng.random
    changes = sorted((ph.start, vi, ph) for vi, v in enumerate(vendors) for ph in v.phases)
    current = [v.phases[0] for v in vendors]
    weights = [0.0] * len(vendors)
    luck = [0.0] * len(vendors)  # helpful contacts expected minus had, per vendor
    next_change = 0
    total_weight = 0.0
    owed = [0.0] * len(vendors)  # contacts expected so far minus had, per vendor
    summary_cache: dict[tuple[str, int, int], str] = {}
    vendor_range = range(len(vendors))
    acqs = [possessive(v.acquirer_name) for v in vendors]
    n = 0
    for i, k in enumerate(counts):
        ordinal = cal.base + i
        changed = False
        while next_change < len(changes) and changes[next_change][0] <= ordinal:
            _, vi, ph = changes[next_change]
            current[vi] = ph
            weights[vi] = vendors[vi].weight * ph.b.cadence
            next_change += 1
            changed = True
        if changed:
            total_weight = sum(weights)
        if k <= 0 or not total_weight:
            continue
        # Random, but a vendor whose luck ran one way for weeks leans back toward its cadence,
        # so that a small demo shows its stories (a buyout halving contact) rather than noise.
        leaned = [w * min(3.0, max(0.25, 1.0 + owed[vi] / (month * w))) if w else 0.0
                  for vi, w in enumerate(weights)]
        picks = rng.choices(vendor_range, cum_weights=list(accumulate(leaned)), k=k)
        share = k / total_weight
        for vi, w in enumerate(weights):
            if w:
                owed[vi] += w * share
        for vi in picks:
            owed[vi] -= 1
        fractions = sorted(rand() for _ in range(k))
        opens, span = cal.opens[i], cal.spans[i]
        weekend = cal.weekend[i]
        quarter = (date.fromordinal(ordinal).month - 1) // 3 + 1
        for j in range(k):
            vi = picks[j]
            v = vendors[vi]
            ph = current[vi]
            b = ph.b
            t = opens + int(span * fractions[j])
            channel = "email" if weekend else channels[n]
            # Random, but leaning back toward the vendor's true share when luck ran one way, so
            # that a small demo shows its stories rather than noise.
            if rand() < b.helpful + 0.3 * luck[vi]:
                tag = "helpful"
                luck[vi] += b.helpful - 1.0
            else:
                tag = "transactional"
                luck[vi] += b.helpful
            options = summaries[tag][channel]
            text, direction, topics = options[int(rand() * len(options))]
            topic_i = topics[int(rand() * len(topics))]
            topic = TOPICS[topic_i]
            key = (text, topic_i, quarter)
            summary = summary_cache.get(key)
            if summary is None:
                summary = summary_cache[key] = text.format(topic=topic, q=quarter)
            if direction is None:
                direction = "in" if rand() < (0.55 if tag == "helpful" else 0.4) else "out"
            contact = None
            # only mail and notices come from a faceless partner desk
            if ph.contacts and (channel not in ("email", "other") or rand() < 0.8):
                contact = ph.contacts[int(rand() * len(ph.contacts))]
            who = contact[1] if contact else "the partner desk"
            pool = built.get((channel, tag, b.mood, direction)) or pools.get(
                channel, tag, b.mood, direction)
            note = pool[int(rand() * len(pool))].format(
                who=who, Who=who[0].upper() + who[1:], topic=topic, acq=v.acquirer_name,
                acqs=acqs[vi])
            if rand() < 0.6:
                r = rand()
                quality = (3 + (r > 0.15) + (r > 0.55) if tag == "helpful"
                           else 1 + (r > 0.3) + (r > 0.75) + (r > 0.95))
            else:
                quality = None
            fu: tuple[str | None, str, str | None, int | None] = (None, "", None, None)
            n += 1
            states = NO_STATES
            if rand() < fu_rate * b.chase:  # after a buyout the rep chases more
                items = follow_ups.make(rand, vendor_promise=rand() < VENDOR_PROMISE_SHARE,
                                        who=who, topic=topic, day=ordinal, keeps=b.keeps,
                                        stuck=b.stuck, keep_debts=b.keep_debts,
                                        blame=b.mood in GONE_BAD)
                note = " ".join([note, *(it.mention for it in items if it.mention)])
                fu = row_columns(items)
                states = item_states(n, items)
            yield ((n, v.id, t, channel, direction, tag, quality, summary, note,
                    topic if rand() < 0.8 else "", v.people[contact[0] if contact else None],
                    fu[0], fu[1], fu[2], fu[3], "manual", None, t, t),
                   None if contact is None else (n, contact[0]), states)
