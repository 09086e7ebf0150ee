"""The demo's vendors as rows: vendors, their contacts, the events of their stories and their
answers to the partnership questions. Written inside the caller's transaction."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from partnerdesk.services.demo_calendar import OfficeCalendar
from partnerdesk.services.demo_story import Phase, Plan, answers_for, compile_phases
from partnerdesk.services.demo_text import possessive
from partnerdesk.store.timecodec import now_epoch

VENDOR_NAMES = [
    "Meridian Telecom", "Crestline Networks", "Harbor Fiber", "Bluepeak Cloud",
    "Northgate Hosting", "Vantage Voice", "Summit Data Centers", "Ironbridge Security",
    "Clearwave Wireless", "Keystone UCaaS", "Lakeshore Connect", "Orbital SD-WAN",
    "Pinecrest IT Services", "Redline Carrier Services", "Silverline Backup",
    "Tidewater Colocation", "Upland Managed IT", "Westfield Broadband", "Zenith Contact Center",
    "Aurora Edge Compute",
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


@dataclass
class DemoVendor:
    """A written vendor and the phases its interactions are generated from."""

    id: int
    name: str
    weight: float
    acquirer_name: str  # '' when never acquired
    acquired_on: date | None
    phases: list[Phase]
    people: dict[int | None, str] = field(default_factory=dict)  # contact id -> people text


def vendor_names(rng: random.Random, count: int) -> list[str]:
    names = list(VENDOR_NAMES)
    n = 1
    kinds = ["Telecom", "Cloud", "Networks", "IT", "Voice", "Data"]
    while len(names) < count:
        names.append(f"{rng.choice(VENDOR_NAMES).split()[0]} {rng.choice(kinds)} {n}")
        n += 1
    return names[:count]


def write_vendors(conn: Any, rng: random.Random, plans: list[Plan], cal: OfficeCalendar,
                  today: date) -> list[DemoVendor]:
    now = now_epoch()
    ids: list[int] = []
    for p in plans:
        cur = conn.exec_driver_sql(
            "INSERT INTO vendor (name, programme, tier, notes, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?)",
            (p.name, f"{p.name.split()[0]} {rng.choice(PROGRAMMES)}", rng.choice(TIERS),
             "Demo vendor.", now, now))
        ids.append(int(cur.lastrowid))
        conn.exec_driver_sql("INSERT INTO vendor_domain VALUES (?, ?)", (f"{_slug(p.name)}.example",
                                                                        ids[-1]))
    questions = dict(conn.exec_driver_sql(
        "SELECT position, id FROM question WHERE vendor_id IS NULL").all())
    names = _PersonNames(rng)
    out: list[DemoVendor] = []
    for i, (p, vid) in enumerate(zip(plans, ids, strict=True)):
        acquirer = plans[p.acquirer].name if p.acquirer is not None else ""
        if p.acquirer is not None and p.turn is not None:
            conn.exec_driver_sql("UPDATE vendor SET acquirer_id = ?, acquired_on = ? WHERE id = ?",
                                 (ids[p.acquirer], _iso(p.turn), vid))
            p.events.append((p.turn, "acquisition", f"Acquired by {acquirer}", None))
            if p.cut is not None:
                p.events.append((p.cut, "compensation change",
                                 f"Partner commissions folded into {possessive(acquirer)} plan; "
                                 "residuals cut", None))
        contacts = _write_contacts(conn, rng, names, p, vid, acquirer, now)
        for day, kind, text, _ in sorted(p.events):
            conn.exec_driver_sql(
                "INSERT INTO vendor_event (vendor_id, occurred_on, kind, text, created_at)"
                " VALUES (?,?,?,?,?)", (vid, _iso(day), kind, text, now))
        for position, day, text in answers_for(rng, p, i, acquirer, today.toordinal()):
            if position in questions:
                conn.exec_driver_sql(
                    "INSERT INTO answer (question_id, vendor_id, answered_on, text, created_at)"
                    " VALUES (?,?,?,?,?)",
                    (questions[position], vid, _iso(day), text, cal.moment(day, 0.5)))
        phases = compile_phases(p, cal.base, contacts)
        vendor = DemoVendor(vid, p.name, p.weight, acquirer,
                            date.fromordinal(p.turn) if acquirer and p.turn else None, phases)
        # What full-text search finds an interaction by: vendor, acquirer and contact names.
        head = p.name + (" " + acquirer if acquirer else "")
        vendor.people = {None: head, **{cid: f"{head} {name}" for cid, name, _, _ in contacts}}
        out.append(vendor)
    return out


class _PersonNames:
    """Names for contacts, distinct across the journal while the name space lasts."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        for _ in range(20):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                break
        self.used.add(name)
        return name


def _write_contacts(conn: Any, rng: random.Random, names: _PersonNames, p: Plan, vid: int,
                    acquirer: str, now: int) -> list[tuple[int, str, int, int | None]]:
    """The vendor's contacts, with the channel manager's hand-over when the story has one."""
    slug = _slug(p.name)
    at_vendor: set[str] = set()
    out: list[tuple[int, str, int, int | None]] = []

    def add(name: str, role: str, first: int, last: int | None) -> None:
        if name.lower() in at_vendor:
            return  # one name once per vendor (the table's unique index)
        at_vendor.add(name.lower())
        given, family = name.split(" ", 1)
        family = "".join(ch for ch in family.lower() if ch.isalpha())
        email = f"{given.lower()}.{family}@{slug}.example"
        cur = conn.exec_driver_sql(
            "INSERT INTO contact (vendor_id, name, role, email, phone, active_from, active_to,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (vid, name, role, email, f"+1 555 01{rng.randrange(10, 99)}", _iso(first),
             _iso(last) if last is not None else None, now, now))
        out.append((int(cur.lastrowid), name, first, last))

    for k in range(rng.randint(3, 6)):
        role = ROLES[k % len(ROLES)]
        leaves = p.manager_leaves if k == 0 else None
        name = names.new()
        add(name, role, p.first_day, leaves)
        if leaves is not None:
            successor = names.new()
            add(successor, role, leaves + 1, None)
            text = (f"Channel manager {name} moved to {possessive(acquirer)} enterprise team; "
                    f"{successor} took over" if p.kind == "buyout" and acquirer
                    else f"Channel manager {name} left; {successor} took over")
            p.events.append((leaves, "contact change", text, None))
    return out


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()
