"""A believable journal from a seed: telecom and IT vendors over ten years, with buyouts.

Used by screenshots, tests and benchmarks, so it must be deterministic for a seed and fast
at a million interactions (rows are generated in time order so ids follow time, and written
with executemany in one transaction).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.when import day_start
from partnerdesk.store.interactions import bulk_insert, optimize_search_index
from partnerdesk.store.journal import Journal
from partnerdesk.store.timecodec import now_epoch

VENDOR_NAMES = [
    "Meridian Telecom", "Crestline Networks", "Harbor Fiber", "Bluepeak Cloud", "Northgate Hosting",
    "Vantage Voice", "Summit Data Centers", "Ironbridge Security", "Clearwave Wireless",
    "Keystone UCaaS", "Lakeshore Connect", "Orbital SD-WAN", "Pinecrest IT Services",
    "Redline Carrier Services", "Silverline Backup", "Tidewater Colocation", "Upland Managed IT",
    "Westfield Broadband", "Zenith Contact Center", "Aurora Edge Compute",
]
PROGRAMMES = ["Partner Advantage", "Channel Elite", "Alliance Program", "Referral Agent Program",
              "Solution Provider Network", "Growth Partners"]
TIERS = ["Registered", "Silver", "Gold", "Platinum"]
FIRST = ["Dana", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Jonas", "Mei", "Carlos", "Fiona",
         "Ravi", "Sofia", "Ben", "Olga", "Kwame", "Hannah", "Luis", "Ingrid", "Sam", "Zoë"]
LAST = ["Reyes", "Patel", "Okafor", "Novak", "Brennan", "Haddad", "Lindqvist", "Chen", "Duarte",
        "MacLeod", "Iyer", "Romano", "Walsh", "Petrova", "Mensah", "Schmidt", "García", "Berg",
        "O'Neill", "Müller"]
ROLES = ["channel manager", "partner account manager", "sales engineer", "support", "executive"]
CHANNELS = ["call", "email", "meeting", "chat", "event", "other"]
CHANNEL_WEIGHTS = [30, 35, 18, 10, 4, 3]
TOPICS = ["pricing", "commission", "deal registration", "support", "onboarding", "co-op funds",
          "training", "quoting", "portal", "contract", "escalation", "forecast", "spiff"]

HELPFUL_SUMMARIES = [
    "Channel manager fast-tracked our {topic} request",
    "SE joined the customer call and fixed the design",
    "Vendor flagged a renewal risk before it bit us",
    "Got an exception on {topic} for the hospital deal",
    "Joint account plan for Q{q}: real commitment",
    "Escalation resolved the same day",
    "Shared pipeline leads in our territory",
    "Helped rebuild the quote after a pricing change",
    "Walked me through the new {topic} rules",
    "Introduced me to their product team",
]
TRANSACTIONAL_SUMMARIES = [
    "Commission statement sent, no explanation of changes",
    "Asked for {topic} help, pointed to the portal",
    "Quarterly target reminder",
    "Mass email about the new partner tiers",
    "Deal registration rejected without a reason",
    "Chased an unpaid commission again",
    "Ticket closed without a fix",
    "Price list update, nothing else",
    "Generic webinar invite about {topic}",
    "Asked for forecast numbers for their deck",
]
NOTE_OPENERS = [
    "Spoke with {who} about the {topic} situation.",
    "{who} called back within the hour.",
    "Long thread with {who}; took three replies to get an answer.",
    "Met {who} at the regional office.",
    "Quick chat with {who} before the customer meeting.",
    "{who} was new in the role and still learning the programme.",
]
NOTE_BODIES = [
    "They confirmed the margin stays the same for renewals this year.",
    "Since the acquisition nobody seems to own partner escalations.",
    "Compensation plan changes again next quarter; details still vague.",
    "The portal migration broke our deal registrations from last month.",
    "Offered co-op funds for a joint event with two customers.",
    "Promised a written answer by Friday.",
    "They want us to sell the bundled SKU instead of the standalone one.",
    "Customer loved the demo; the SE knew the product cold.",
    "Support ticket had been open for three weeks before they looked.",
    "Our rep of four years has moved to the enterprise direct team.",
    "The new programme counts only net-new logos towards the tier.",
    "Clear, honest answer about roadmap timing — appreciated.",
]
NOTE_CLOSERS = [
    "", "", "Next step: follow up after the customer's board meeting.",
    "Worth raising at the quarterly review.", "Felt like a partnership, for once.",
    "Felt like we were a revenue line, not a partner.",
]


@dataclass
class DemoVendor:
    id: int
    name: str
    helpful_rate: float
    weight: float
    contacts: list[tuple[int, str, date | None, date | None]]
    acquired_on: date | None


def _date_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _setup_vendors(journal: Journal, rng: random.Random, count: int, start: date,
                   today: date) -> list[DemoVendor]:
    names = list(VENDOR_NAMES)
    n = 1
    while len(names) < count:
        names.append(f"{rng.choice(VENDOR_NAMES).split()[0]} {rng.choice(['Telecom', 'Cloud', 'Networks', 'IT', 'Voice', 'Data'])} {n}")
        n += 1
    names = names[:count]
    created: list[DemoVendor] = []
    now = now_epoch()
    used_names: set[str] = set()
    with journal.writing() as conn:
        for idx, name in enumerate(names):
            slug = "".join(ch for ch in name.lower() if ch.isalnum())
            cur = conn.exec_driver_sql(
                "INSERT INTO vendor (name, programme, tier, notes, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?)",
                (name, f"{name.split()[0]} {rng.choice(PROGRAMMES)}", rng.choice(TIERS),
                 "Demo vendor.", now, now))
            vid = int(cur.lastrowid)
            conn.exec_driver_sql("INSERT INTO vendor_domain VALUES (?, ?)", (f"{slug}.example", vid))
            contacts = []
            span_start = start
            for k in range(rng.randint(3, 6)):
                while True:
                    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    if person not in used_names or len(used_names) > 350:
                        break
                used_names.add(person)
                role = ROLES[k % len(ROLES)]
                left = None
                if role == "channel manager" and k == 0 and rng.random() < 0.6:
                    left = _date_between(rng, span_start + timedelta(days=400), today - timedelta(days=200))
                first, last_name = person.split(" ", 1)
                email = f"{first.lower()}.{''.join(ch for ch in last_name.lower() if ch.isalpha())}@{slug}.example"
                try:
                    cur = conn.exec_driver_sql(
                        "INSERT INTO contact (vendor_id, name, role, email, phone, active_from, active_to,"
                        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                        (vid, person, role, email, f"+1 555 01{rng.randrange(10, 99)}",
                         span_start.isoformat(), left.isoformat() if left else None, now, now))
                except Exception:  # same name twice at one vendor: just skip the extra one
                    continue
                contacts.append((int(cur.lastrowid), person, span_start, left))
                if left:
                    # the successor starts the day after
                    successor = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    f2, l2 = successor.split(" ", 1)
                    try:
                        cur = conn.exec_driver_sql(
                            "INSERT INTO contact (vendor_id, name, role, email, phone, active_from,"
                            " active_to, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                            (vid, successor, role, f"{f2.lower()}.{''.join(ch for ch in l2.lower() if ch.isalpha())}@{slug}.example",
                             "", (left + timedelta(days=1)).isoformat(), None, now, now))
                        contacts.append((int(cur.lastrowid), successor, left + timedelta(days=1), None))
                        conn.exec_driver_sql(
                            "INSERT INTO vendor_event (vendor_id, occurred_on, kind, text, created_at)"
                            " VALUES (?,?,?,?,?)",
                            (vid, left.isoformat(), "contact change",
                             f"Channel manager {person} left; {successor} took over", now))
                    except Exception:
                        pass
            created.append(DemoVendor(vid, name, helpful_rate=rng.uniform(0.35, 0.85),
                                      weight=rng.uniform(0.3, 3.0), contacts=contacts, acquired_on=None))
        # A buyout history: the biggest buy smaller ones, and things get worse afterwards.
        buyers = created[: max(1, len(created) // 5)]
        for target in created[len(buyers):][: max(1, len(created) // 4)]:
            buyer = rng.choice(buyers)
            on = _date_between(rng, start + timedelta(days=700), today - timedelta(days=250))
            target.acquired_on = on
            conn.exec_driver_sql("UPDATE vendor SET acquirer_id = ?, acquired_on = ? WHERE id = ?",
                                 (buyer.id, on.isoformat(), target.id))
            conn.exec_driver_sql(
                "INSERT INTO vendor_event (vendor_id, occurred_on, kind, text, created_at) VALUES (?,?,?,?,?)",
                (target.id, on.isoformat(), "acquisition", f"Acquired by {buyer.name}", now))
            later = on + timedelta(days=rng.randint(60, 200))
            if later < today:
                conn.exec_driver_sql(
                    "INSERT INTO vendor_event (vendor_id, occurred_on, kind, text, created_at) VALUES (?,?,?,?,?)",
                    (target.id, later.isoformat(), "compensation change",
                     f"Partner commissions folded into {buyer.name}'s plan; residuals cut", now))
        for v in rng.sample(created, k=max(1, len(created) // 3)):
            on = _date_between(rng, start + timedelta(days=200), today - timedelta(days=30))
            kind, text = rng.choice([
                ("programme change", "New partner tiers based on annual bookings"),
                ("system change", "Partner portal moved to a new platform"),
                ("programme change", "Deal registration now requires a customer PO"),
                ("compensation change", "SPIFF programme introduced for new logos"),
            ])
            conn.exec_driver_sql(
                "INSERT INTO vendor_event (vendor_id, occurred_on, kind, text, created_at) VALUES (?,?,?,?,?)",
                (v.id, on.isoformat(), kind, text, now))
    return created


def _notes_pool(rng: random.Random, size: int) -> list[str]:
    pool = []
    for _ in range(size):
        parts = [rng.choice(NOTE_OPENERS), rng.choice(NOTE_BODIES)]
        if rng.random() < 0.5:
            parts.append(rng.choice(NOTE_BODIES))
        parts.append(rng.choice(NOTE_CLOSERS))
        pool.append(" ".join(p for p in parts if p))
    return pool


def generate(journal: Journal, interactions: int = 2000, vendors: int | None = None, seed: int = 7,
             today: date | None = None, years: int = 10,
             progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Fill an empty journal; returns (vendors, interactions) written."""
    if interactions < 0 or interactions > 20_000_000:
        raise InvalidInput("Choose between 0 and 20,000,000 demo interactions.")
    with journal.reading() as conn:
        if conn.exec_driver_sql("SELECT (SELECT count(*) FROM vendor) + (SELECT count(*) FROM interaction)").scalar_one():
            raise InvalidInput(f"{journal.path} already has entries; the demo only fills an empty journal "
                               "(give --db with a new file).")
    rng = random.Random(seed)
    today = today or date.today()
    start = today - timedelta(days=365 * years)
    n_vendors = vendors if vendors is not None else (12 if interactions <= 50_000 else 40)
    if not 1 <= n_vendors <= 5000:
        raise InvalidInput("Choose between 1 and 5,000 demo vendors.")
    demo_vendors = _setup_vendors(journal, rng, n_vendors, start, today)
    notes = _notes_pool(rng, 4000)
    with journal.reading() as conn:
        acquirer = dict(conn.exec_driver_sql(
            "SELECT v.id, coalesce(' ' || a.name, '') FROM vendor v LEFT JOIN vendor a ON a.id = v.acquirer_id").all())
    written = 0
    start_s = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
    # The demo ends where `today` begins (local midnight): always in the past, and the same for
    # every run on that day, so that a seed gives the same journal (screenshots, tests, benchmarks).
    end_s = int(day_start(today).timestamp())
    with journal.writing() as conn:
        # A bigger page cache keeps index pages in memory for the whole bulk write.
        conn.exec_driver_sql("PRAGMA cache_size = -262144")
        batch: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        for row, link in _rows(rng, demo_vendors, notes, acquirer, interactions, start_s, end_s, today):
            batch.append(row)
            if link:
                links.append(link)
            if len(batch) >= 50_000:
                bulk_insert(conn, batch)
                conn.exec_driver_sql("INSERT INTO interaction_contact VALUES (?, ?)", links)
                written += len(batch)
                batch, links = [], []
                if progress:
                    progress(written, interactions)
        if batch:
            bulk_insert(conn, batch)
        if links:
            conn.exec_driver_sql("INSERT INTO interaction_contact VALUES (?, ?)", links)
        written += len(batch)
        if written >= 2000:
            optimize_search_index(conn)
        conn.exec_driver_sql("PRAGMA cache_size = -2000")
    if progress:
        progress(written, interactions)
    from partnerdesk.services.demo_ledger import add_ledger_demo  # the ledger's own module

    add_ledger_demo(journal, seed, today)
    return len(demo_vendors), written


def _rows(rng: random.Random, vendors: list[DemoVendor], notes: list[str], acquirer: dict[int, str],
          total: int, start_s: int, end_s: int, today: date
          ) -> Iterator[tuple[tuple[Any, ...], tuple[int, int] | None]]:
    if total == 0:
        return
    step = (end_s - start_s) / total
    weights = [v.weight for v in vendors]
    cum = list(_accumulate(weights))
    today_iso = today.isoformat()
    # Pre-computing the vendor sequence and random draws in bulk is what makes 1M rows fast.
    picks = rng.choices(range(len(vendors)), cum_weights=cum, k=total)
    channels = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS, k=total)
    rand = rng.random

    def randrange(n: int) -> int:  # 3x cheaper than Random.randrange; exactness is not needed
        return int(rand() * n)

    summary_cache: dict[tuple[bool, int, str, int], str] = {}
    for n in range(total):
        v = vendors[picks[n]]
        base = start_s + n * step + rand() * step * 0.9
        day0 = base - base % 86400
        # squeeze the day into office hours (08:00-18:00 UTC), keeping time order, so ids follow time
        t = int(day0 + 8 * 3600 + (base - day0) * (10 / 24))
        day = datetime.fromtimestamp(t, UTC).date() if n % 64 == 0 or v.acquired_on else None
        rate = v.helpful_rate
        if v.acquired_on and day and day > v.acquired_on:
            rate *= 0.55  # the buyout effect the product exists to reveal
        helpful = rand() < rate
        topic = TOPICS[randrange(len(TOPICS))]
        summaries = HELPFUL_SUMMARIES if helpful else TRANSACTIONAL_SUMMARIES
        key = (helpful, randrange(len(summaries)), topic, 1 + (n % 4))
        summary = summary_cache.get(key)
        if summary is None:
            summary = summary_cache[key] = summaries[key[1]].format(topic=topic, q=key[3])
        contact = None
        if v.contacts and rand() < 0.85:
            contact = v.contacts[randrange(len(v.contacts))]
        who = contact[1] if contact else "the partner desk"
        note = notes[randrange(len(notes))].format(who=who, topic=topic)
        quality = (4 + randrange(2) if helpful else 1 + randrange(3)) if rand() < 0.6 else None
        fu_due = fu_text = fu_owner = fu_done = None
        if rand() < 0.1:
            due_s = t + 86400 * (2 + randrange(20))
            fu_due = datetime.fromtimestamp(due_s, UTC).date().isoformat()
            vendor_promise = rand() < 0.5
            fu_owner = "vendor" if vendor_promise else "me"
            fu_text = ("Send the revised quote" if vendor_promise else "Chase the answer on " + topic)
            if fu_due < today_iso or rand() < 0.3:
                kept = rand() < (0.8 if helpful else 0.45)
                if kept or fu_due >= today_iso:
                    fu_done = due_s - 86400 * randrange(2) if kept else due_s + 86400 * (1 + randrange(9))
                    if fu_done > end_s:
                        fu_done = None
        people = v.name + acquirer.get(v.id, "") + (" " + contact[1] if contact else "")
        row = (n + 1, v.id, t, channels[n], "in" if rand() < 0.45 else "out",
               "helpful" if helpful else "transactional", quality, summary, note,
               topic if rand() < 0.8 else "", people, fu_due, fu_text or "", fu_owner, fu_done,
               "manual", None, t, t)
        yield row, None if contact is None else (n + 1, contact[0])


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total
