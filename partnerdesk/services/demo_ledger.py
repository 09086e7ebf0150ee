"""The demo's ledger: registrations, money owed, tiers, certifications and benefits that tell the
same story as the demo's interactions. Before a buyout the vendor approves most registrations
in about a week and pays on time; after it, rejections (often without a reason), slow
decisions, late and short payments, a residual cut and a programme rewritten.

Called once from services/demo.py after the vendors exist. Deterministic for a seed; written
with executemany in one transaction (50,000 registrations and 100,000 payments in seconds).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from partnerdesk.store.timecodec import now_epoch

CUSTOMERS = [
    "St Mary's Hospital", "Northfield School District", "Harbor City Council", "Banco Norte",
    "Greenleaf Logistics", "Apex Manufacturing", "Riverside Credit Union", "Summit Dental Group",
    "Lakeside University", "Metro Transit Authority", "Blue Ridge Hotels", "Crescent Pharma",
    "Oakwood Retail", "Pioneer Insurance", "Coastal Energy", "Evergreen Law LLP",
    "Maple County Library", "Silver Creek Foods", "Granite Construction", "Bayview Clinics",
    "Hôtel du Lac", "Müller Maschinenbau", "東京物流", "Clínica San José",
]
REASONS = ["channel conflict: the vendor's direct team owns the account",
           "duplicate of an earlier registration", "customer already in a renewal",
           "deal size under the programme minimum", "another partner registered first"]
CERTS = ["Sales Professional", "Technical Specialist", "Solutions Architect",
         "Security Expert", "Cloud Associate", "Deployment Engineer"]
HOLDERS = ["Alex Rivera", "Jordan Kim", "Sam Patel", "Morgan Lee", "Casey Nguyen", "Riley Chen"]
BENEFITS = ["15% deal registration discount", "Named partner account manager",
            "Quarterly MDF allocation", "Lead sharing from the vendor's website",
            "Not-for-resale demo licences", "Free technical training seats"]
PROMOTIONS = {"Registered": "Silver", "Silver": "Gold", "Gold": "Platinum", "Authorized": "Silver",
              "Select": "Premier", "Premier": "Elite"}


def add_ledger_demo(journal: Any, seed: int, today: date, registrations: int | None = None,
                    payments: int | None = None, programme: bool = True) -> tuple[int, int]:
    """Fill the ledger of a demo journal whose vendors exist; returns (registrations, payments).

    Default sizes follow the vendor count: about 40 registrations and 60 payments per vendor.
    programme=False adds only registrations and payments (benchmarks sizing up a demo).
    """
    rng = random.Random(seed * 7919 + 12)  # its own stream: the interactions stay as they were
    with journal.reading() as conn:
        vendors = conn.exec_driver_sql(
            "SELECT id, name, programme, tier, acquired_on, acquirer_id, archived FROM vendor"
            " ORDER BY id").all()
    if not vendors:
        return 0, 0
    n_regs = registrations if registrations is not None else 40 * len(vendors)
    n_pay = payments if payments is not None else 60 * len(vendors)
    start = today - timedelta(days=3 * 365)
    now = now_epoch()
    currency = {v[0]: ("EUR" if i % 7 == 3 else "GBP" if i % 11 == 5 else "USD")
                for i, v in enumerate(vendors)}
    bought = {v[0]: date.fromisoformat(v[4]) for v in vendors if v[4]}
    with journal.writing() as conn:
        conn.exec_driver_sql("PRAGMA cache_size = -131072")
        if programme:
            _programme(conn, rng, vendors, bought, start, today, now)
        reg_rows = list(_registrations(rng, vendors, bought, currency, n_regs, start, today, now))
        before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM deal_registration"
                                      ).scalar()
        conn.exec_driver_sql(
            "INSERT INTO deal_registration (vendor_id, customer, number, value_minor, currency,"
            " status, submitted_on, decided_on, reason, expires_on, notes, source, source_id,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'manual', NULL,"
            " ?, ?)", reg_rows)
        conn.exec_driver_sql(_HISTORY, (today.isoformat(), *[before] * 4))
        pay_rows = list(_payments(rng, vendors, bought, currency, n_pay, start, today, now))
        conn.exec_driver_sql(
            "INSERT INTO money_owed (vendor_id, kind, expected_minor, currency, due_on,"
            " period_start, period_end, claim_submitted_on, claim_deadline, paid_minor, paid_on,"
            " dispute, notes, source, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'manual', ?, ?)", pay_rows)
        conn.exec_driver_sql("INSERT INTO ledger_fts(ledger_fts) VALUES ('optimize')")
        conn.exec_driver_sql("PRAGMA cache_size = -2000")
    return len(reg_rows), len(pay_rows)


# Each demo registration's status history from its dates (written in bulk, as the rows are):
# drafted today, submitted, decided, then won or lost halfway through its protection, or expired
# at its end.
_HISTORY = """
INSERT INTO registration_status(registration_id, status, changed_on)
SELECT id, status, day FROM (
    SELECT id, 1 AS k, 'draft' AS status, ? AS day FROM deal_registration
     WHERE id > ? AND status = 'draft'
    UNION ALL
    SELECT id, 2, 'submitted', submitted_on FROM deal_registration
     WHERE id > ? AND submitted_on IS NOT NULL
    UNION ALL
    SELECT id, 3, CASE WHEN status = 'rejected' THEN 'rejected' ELSE 'approved' END, decided_on
      FROM deal_registration WHERE id > ? AND decided_on IS NOT NULL
    UNION ALL
    SELECT id, 4, status, CASE WHEN status = 'expired' THEN expires_on
           ELSE date(decided_on, '+' || CAST((julianday(expires_on) - julianday(decided_on)) / 2
                                             AS INTEGER) || ' days') END
      FROM deal_registration WHERE id > ? AND status IN ('won', 'lost', 'expired')
) ORDER BY id, k
"""


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _since(vid: int, bought: dict[int, date], start: date) -> date:
    """Where a vendor's ledger begins: three years back, or two years before its buyout, so
    that every bought vendor shows a before and an after."""
    return min(start, bought[vid] - timedelta(days=730)) if vid in bought else start


def _programme(conn: Any, rng: random.Random, vendors: list[Any], bought: dict[int, date],
               start: date, today: date, now: int) -> None:
    from partnerdesk.domain.ledger import Benefit, Certification, Target, TierChange
    from partnerdesk.store.programme import add_benefit, add_certification, set_tier

    for vid, _name, programme, tier, _acq, acquirer_id, archived in vendors:
        if archived:
            continue
        tier = tier or "Registered"
        programme = programme or "Partner Program"
        first = start - timedelta(days=rng.randrange(200, 900))
        set_tier(conn, TierChange(None, vid, programme, tier, first,
                                  requirements="Annual bookings and certified staff",
                                  targets=(Target("certified staff", rng.choice([1, 2, 3])),)))
        if vid in bought:
            # The programme is rewritten under the buyer's name, and the partner drops a tier.
            buyer = conn.exec_driver_sql("SELECT name FROM vendor WHERE id = ?",
                                         (acquirer_id,)).scalar() or "the new owner"
            set_tier(conn, TierChange(
                None, vid, f"{buyer.split()[0]} Partner Program", "Registered",
                min(bought[vid] + timedelta(days=rng.randrange(60, 150)), today),
                requirements="New programme after the buyout: bookings targets doubled",
                targets=(Target("certified staff", 4), Target("annual bookings", 500_000))))
        elif rng.random() < 0.4 and tier in PROMOTIONS:
            set_tier(conn, TierChange(None, vid, programme, PROMOTIONS[tier],
                                      _day(rng, start, today - timedelta(days=60)),
                                      requirements="Annual bookings and certified staff"))
        for holder in rng.sample(HOLDERS, k=rng.randint(1, 3)):
            # Most are renewed and current; some run out within the month (the due list has
            # something to show) and a few have lapsed. Each was earned two years before it ends.
            roll = rng.random()
            expires = (today + timedelta(days=rng.randrange(3, 28)) if roll < 0.2 else
                       today - timedelta(days=rng.randrange(10, 200)) if roll < 0.3 else
                       today + timedelta(days=rng.randrange(40, 700)))
            earned = expires - timedelta(days=730)
            add_certification(conn, Certification(None, vid, holder, rng.choice(CERTS),
                                                  expires_on=expires, earned_on=earned))
        for text in rng.sample(BENEFITS, k=rng.randint(2, 3)):
            met = vid not in bought or rng.random() < 0.3
            add_benefit(conn, Benefit(None, vid, text, first, met=met,
                                      checked_on=None if met else today - timedelta(days=14)))


def _registrations(rng: random.Random, vendors: list[Any], bought: dict[int, date],
                   currency: dict[int, str], total: int, start: date, today: date,
                   now: int) -> Any:
    active = [v for v in vendors if not v[6]]
    for n in range(total):
        vid = active[n % len(active)][0]
        sub = _day(rng, _since(vid, bought, start), today)
        after = vid in bought and sub > bought[vid]
        value = rng.randrange(20, 800) * 100_00
        number = f"DR-{vid:03d}-{n + 1:06d}"
        days = rng.randint(18, 60) if after else rng.randint(2, 12)
        decided = sub + timedelta(days=days)
        reason = ""
        if decided > today:  # still waiting for the vendor (or not sent yet)
            draft = rng.random() < 0.1
            yield (vid, rng.choice(CUSTOMERS), number, value, currency[vid],
                   "draft" if draft else "submitted", None if draft else sub.isoformat(),
                   None, "", None, now, now)
            continue
        rejected = rng.random() < (0.55 if after else 0.12)
        expires_d: date | None = decided + timedelta(days=rng.choice([90, 120, 180]))
        if rejected:
            status = "rejected"
            reason = "" if rng.random() < (0.7 if after else 0.2) else rng.choice(REASONS)
            expires_d = None
        elif expires_d is not None and expires_d < today:
            status = rng.choices(["won", "lost", "expired"], weights=[5, 3, 2])[0]
        else:
            status = "approved"
        yield (vid, rng.choice(CUSTOMERS), number, value, currency[vid], status, sub.isoformat(),
               decided.isoformat(), reason, expires_d.isoformat() if expires_d else None, now, now)


def _payments(rng: random.Random, vendors: list[Any], bought: dict[int, date],
              currency: dict[int, str], total: int, start: date, today: date, now: int) -> Any:
    active = [v for v in vendors if not v[6]]
    cut_done: set[int] = set()
    base = {v[0]: rng.randrange(800, 6000) * 100 for v in active}
    for n in range(total):
        vid = active[n % len(active)][0]
        due = _day(rng, _since(vid, bought, start), today + timedelta(days=60))
        after = vid in bought and due > bought[vid]
        kind = rng.choices(["commission", "residual", "spiff", "rebate", "mdf"],
                           weights=[40, 30, 12, 8, 10])[0]
        expected = base[vid] * rng.randint(1, 4)
        dispute = ""
        if kind == "residual" and after:
            expected = expected * 6 // 10  # residuals cut after the buyout
            if vid not in cut_done:
                cut_done.add(vid)
                dispute = "Residual rate cut from 10% to 6% after the buyout, with no notice."
        period_end = due - timedelta(days=rng.randrange(10, 40))
        period_start = period_end - timedelta(days=89)
        claim_submitted = claim_deadline = None
        if kind == "mdf":
            claim_deadline = (due + timedelta(days=rng.randrange(30, 120))).isoformat()
            claim_submitted = (None if rng.random() < 0.25 else
                               (due - timedelta(days=rng.randrange(5, 40))).isoformat())
        paid = paid_on = None
        late_chance = 0.45 if after else 0.08
        if due < today and not (kind == "mdf" and claim_submitted is None):
            if rng.random() > 0.05:  # a few are simply never paid
                delay = rng.randint(5, 70) if rng.random() < late_chance else -rng.randint(0, 5)
                paid_day = min(due + timedelta(days=delay), today)
                short = rng.random() < (0.3 if after else 0.05)
                paid = expected * rng.choice([70, 80, 90]) // 100 if short else expected
                paid_on = paid_day.isoformat()
                if short and not dispute:
                    dispute = "Paid short; asked the channel manager for the statement."
        yield (vid, kind, expected, currency[vid], due.isoformat(), period_start.isoformat(),
               period_end.isoformat(), claim_submitted, claim_deadline, paid, paid_on, dispute,
               now, now)
