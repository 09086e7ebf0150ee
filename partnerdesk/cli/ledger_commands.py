"""dealreg, money, tier, cert and ledger: the partner's ledger on the command line.

List commands read through the standard library (LiteJournal): no SQLAlchemy on read paths.
Top-level imports stay light: this module is imported for every command, including --help.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_STATUSES = "draft, submitted, approved, rejected, expired, won, lost"
_KINDS = "commission, spiff, residual, rebate, mdf"


def register(sub: Any, db: argparse.ArgumentParser,
             add_format: Callable[[argparse.ArgumentParser], None]) -> None:
    def group(name: str, help_text: str) -> Any:
        p = sub.add_parser(name, parents=[db], help=help_text)
        return p.add_subparsers(dest="action", metavar="ACTION", required=True,
                                parser_class=type(p))

    g = group("dealreg", "deal registrations: add, list, change status")
    p = g.add_parser("add", parents=[db], help="record a deal registration")
    p.add_argument("vendor")
    p.add_argument("customer", help="the opportunity or end customer")
    p.add_argument("--number", default="", help="the vendor's registration number")
    p.add_argument("--value", metavar="AMOUNT", help="deal value, e.g. 12500 or 12,500.00")
    p.add_argument("--currency", default="", metavar="CODE", help="ISO 4217 code, e.g. USD")
    p.add_argument("--status", default=None, help=f"{_STATUSES} (default: submitted when "
                                                  "--submitted is given, else draft)")
    p.add_argument("--submitted", metavar="D", help="submitted on")
    p.add_argument("--decided", metavar="D", help="the vendor decided on")
    p.add_argument("--reason", default="", help="the vendor's reason for a rejection")
    p.add_argument("--expires", metavar="D", help="price protection ends on")
    p.add_argument("--notes", default="")
    p.add_argument("--interaction", type=int, action="append", default=[], metavar="ID",
                   help="link an interaction about it (repeatable)")
    add_format(p)
    p = g.add_parser("list", parents=[db], help="list registrations, newest first")
    _list_filters(p)
    p.add_argument("--status", help=_STATUSES)
    add_format(p)
    p = g.add_parser("set", parents=[db], help="change a registration's status")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("status", metavar="STATUS", help=_STATUSES)
    p.add_argument("--on", metavar="D", help="when (default today)")
    p.add_argument("--reason", default="", help="with rejected: the vendor's reason")
    p.add_argument("--expires", metavar="D", help="with approved: price protection ends on")
    add_format(p)

    g = group("money", "money the vendor owes: commissions, SPIFFs, residuals, rebates, MDF")
    p = g.add_parser("add", parents=[db], help="record money the vendor owes")
    p.add_argument("vendor")
    p.add_argument("kind", help=_KINDS)
    p.add_argument("amount", help="expected amount, e.g. 1250.00")
    p.add_argument("currency", metavar="CODE", help="ISO 4217 code, e.g. USD")
    p.add_argument("--due", metavar="D", help="when it should be paid (default: period end)")
    p.add_argument("--period", metavar="P", help="what it is for: 2026-Q1, 2026-03 or 2026")
    p.add_argument("--claim-deadline", metavar="D", help="claim by (MDF, rebates)")
    p.add_argument("--claimed", metavar="D", help="claim submitted on")
    p.add_argument("--registration", type=int, metavar="ID", help="the deal registration it is for")
    p.add_argument("--notes", default="")
    add_format(p)
    p = g.add_parser("list", parents=[db], help="list money owed, latest due first, with totals")
    _list_filters(p)
    p.add_argument("--status", choices=["unpaid", "paid", "late", "short", "disputed"])
    p.add_argument("--kind", help=_KINDS)
    p.add_argument("--currency", metavar="CODE")
    add_format(p)
    p = g.add_parser("paid", parents=[db], help="record a payment (default: paid in full today)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("amount", nargs="?", help="amount paid (default: the amount expected)")
    p.add_argument("--on", metavar="D", help="paid on (default today)")
    p.add_argument("--dispute", default=None, metavar="TEXT", help="why the amount is wrong")
    add_format(p)

    g = group("tier", "programme standing: tier changes and the tier's benefits")
    p = g.add_parser("set", parents=[db], help="record the tier the vendor put you on")
    p.add_argument("vendor")
    p.add_argument("tier")
    p.add_argument("--programme", "--program", default=None,
                   help="programme name (default: as before)")
    p.add_argument("--on", metavar="D", help="from (default today)")
    p.add_argument("--requirements", default="", help="what the tier requires, in words")
    p.add_argument("--target", action="append", default=[], metavar="NAME=N",
                   help="a measurable requirement, e.g. 'certified engineers=4' (repeatable)")
    add_format(p)
    p = g.add_parser("list", parents=[db], help="tier history and benefits")
    p.add_argument("vendor", nargs="?")
    add_format(p)
    p = g.add_parser("benefit", parents=[db],
                     help="record a benefit the tier promises (a standing promise of the vendor)")
    p.add_argument("vendor")
    p.add_argument("text")
    p.add_argument("--since", metavar="D", help="promised since (default today)")
    p.add_argument("--not-met", action="store_true", help="the vendor is not delivering it")
    add_format(p)

    g = group("cert", "certifications held with a vendor")
    p = g.add_parser("add", parents=[db], help="record a certification")
    p.add_argument("vendor")
    p.add_argument("holder", help="who holds it")
    p.add_argument("name", help="the certification")
    p.add_argument("--expires", metavar="D")
    p.add_argument("--earned", metavar="D")
    add_format(p)
    p = g.add_parser("list", parents=[db], help="certifications, soonest expiry first")
    p.add_argument("--vendor", action="append", default=[], metavar="V")
    p.add_argument("--expiring", action="store_true", help="only those expiring within 30 days "
                                                           "or already expired")
    add_format(p)

    g = group("ledger", "the whole ledger: export, import portal files, search, what is due")
    p = g.add_parser("export", parents=[db], help="registrations, money, tiers, certifications")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="file to write ('-' for standard output)")
    p.add_argument("--what", choices=["registrations", "money", "tiers", "certifications", "all"],
                   default="all", help="what to export (CSV: one kind; JSON: any)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p = g.add_parser("import", parents=[db],
                     help="registrations or payments from a vendor portal CSV, or a ledger JSON "
                          "file; previews first")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--vendor", metavar="V", help="the vendor the whole file is about")
    p.add_argument("--kind", choices=["registrations", "payments"],
                   help="what the CSV holds (default: guessed from its columns)")
    p.add_argument("--day-first", action="store_true", help="dates are day/month/year")
    p.add_argument("--dry-run", action="store_true", help="only show the preview; write nothing")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="preview format (default: table)")
    p = g.add_parser("search", parents=[db], help="full-text search of the ledger's records")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    add_format(p)
    p = g.add_parser("due", parents=[db],
                     help="registrations and certifications expiring soon, MDF to claim")
    p.add_argument("--days", type=int, default=30, metavar="N")
    add_format(p)


def _list_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--vendor", action="append", default=[], metavar="V")
    p.add_argument("--since", metavar="D", help="from this date (inclusive)")
    p.add_argument("--until", metavar="D", help="up to this date (inclusive)")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="at most N (default all)")


# -- reading without SQLAlchemy ------------------------------------------------------------------
@contextmanager
def _reading(path: Path) -> Iterator[Any]:
    """A standard-library read of the journal; a missing or older journal is created or upgraded
    first through the one opening path (backup before upgrade)."""
    import sqlite3

    from partnerdesk.store.lite import LiteJournal
    from partnerdesk.store.schema import LATEST_VERSION

    current = False
    if path.exists():
        try:
            with LiteJournal(path).reading() as conn:
                current = conn.exec_driver_sql("PRAGMA user_version").scalar() == LATEST_VERSION
        except sqlite3.Error:
            current = False  # let Journal.open say what is wrong, in its words
    if not current:
        from partnerdesk.store.journal import Journal

        Journal.open(path).close()
    with LiteJournal(path).reading() as conn:
        yield conn


def _reader(fn: Callable[[Any, argparse.Namespace], int]
            ) -> Callable[[Path, argparse.Namespace], int]:
    def handler(path: Path, a: argparse.Namespace) -> int:
        with _reading(path) as conn:
            return fn(conn, a)

    handler.takes_path = True  # type: ignore[attr-defined]
    return handler


def _day(text: str | None) -> Any:
    from partnerdesk.domain.when import parse_day

    return parse_day(text) if text else None


def _past(conn: Any, text: str | None, what: str) -> Any:
    """A date that has happened (a claim sent, a certification earned), or None if not given."""
    from partnerdesk.domain.ledger import not_in_future

    day = _day(text)
    return None if day is None else not_in_future(day, _today(conn), what)


def _today(conn: Any) -> Any:
    from partnerdesk.services.ledger_measures import today_in_journal

    return today_in_journal(conn)


def _filter(conn: Any, a: argparse.Namespace, **extra: Any) -> Any:
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.store.ledger import ListFilter, find_vendor

    if a.limit < 0:
        raise InvalidInput("--limit must be 0 (all) or more.")
    ids = tuple(find_vendor(conn, v)[0] for v in a.vendor) if a.vendor else None
    since, until = _day(a.since), _day(a.until)
    if since and until and until < since:
        raise InvalidInput(f"--until {until} is before --since {since}; swap them.")
    return ListFilter(vendor_ids=ids, since=since, until=until, limit=a.limit or None, **extra)


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[tuple[str, str]],
          csv_columns: list[str], empty: str, flexible: str | None = None) -> None:
    from partnerdesk.cli.output import print_csv, print_json, print_table

    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        from partnerdesk.services.ledger_serialize import flat

        print_csv([flat(r) for r in rows], csv_columns)
    elif not rows:
        print(empty)
    else:
        print_table(rows, columns, flexible=flexible)


# -- dealreg -------------------------------------------------------------------------------------
def _reg_row(r: Any, vendor: str) -> dict[str, Any]:
    from partnerdesk.services.ledger_serialize import registration_dict

    return registration_dict(r, vendor)


_REG_TABLE = [("id", "ID"), ("vendor", "Vendor"), ("customer", "Customer"), ("number", "Number"),
              ("status", "Status"), ("shown_value", "Value"), ("submitted_on", "Submitted"),
              ("decided_on", "Decided"), ("expires_on", "Expires"), ("reason", "Reason")]


def _print_regs(regs: list[Any], names: dict[int, str], fmt: str, empty: str) -> None:
    from partnerdesk.services.ledger_serialize import REGISTRATION_COLUMNS

    rows = [_reg_row(r, names.get(r.vendor_id, "")) for r in regs]
    if fmt == "table":
        for row, r in zip(rows, regs, strict=True):
            row["shown_value"] = r.value_shown
    _emit(rows, fmt, _REG_TABLE, REGISTRATION_COLUMNS, empty, flexible="customer")


def _dealreg_list(conn: Any, a: argparse.Namespace) -> int:
    from partnerdesk.domain.ledger import parse_status
    from partnerdesk.store.ledger import registrations, vendor_names

    status = parse_status(a.status).value if a.status else None
    regs = registrations(conn, _filter(conn, a, status=status))
    if a.format == "json":
        _print_regs_with_history(conn, regs, vendor_names(conn))
        return 0
    _print_regs(regs, vendor_names(conn), a.format,
                "No deal registrations yet. Add one: partnerdesk dealreg add VENDOR CUSTOMER")
    return 0


def _print_regs_with_history(conn: Any, regs: list[Any], names: dict[int, str]) -> None:
    """JSON: each registration with its status history, as `ledger export` writes it."""
    from partnerdesk.cli.output import print_json
    from partnerdesk.services.ledger_serialize import history_list
    from partnerdesk.store.registration_history import histories

    ids = [r.id for r in regs]
    history = histories(conn, ids if len(ids) <= 900 else None)  # one IN (...) under the limit
    print_json([{**_reg_row(r, names.get(r.vendor_id, "")),
                 "history": history_list(history.get(r.id, ()))} for r in regs])


def cmd_dealreg(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.domain.currency import parse_amount
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.domain.ledger import Registration, RegStatus, change_status, parse_status
    from partnerdesk.store.ledger import (
        add_registration,
        find_vendor,
        get_registration,
        update_registration,
        vendor_names,
    )

    if a.action == "add":
        with journal.writing() as conn:
            vid, vname = find_vendor(conn, a.vendor)
            value = None
            if a.value is not None:
                if not a.currency:
                    raise InvalidInput("--value needs --currency (an ISO 4217 code such as USD).")
                value = parse_amount(a.value, a.currency)
            submitted = _day(a.submitted)
            status = parse_status(a.status) if a.status else (
                RegStatus.SUBMITTED if submitted else RegStatus.DRAFT)
            if status in (RegStatus.APPROVED, RegStatus.REJECTED) and not a.decided:
                # Without it the decision counts nowhere (approval rate, days to decide).
                raise InvalidInput(f"A registration recorded as {status.value} needs the day "
                                   "the vendor decided; add --decided D (e.g. --decided today).")
            if a.reason and status is not RegStatus.REJECTED:
                raise InvalidInput(f"--reason is the vendor's reason for a rejection, but the "
                                   f"registration is {status.value}; add --status rejected or "
                                   "put it in --notes.")
            reg = add_registration(conn, Registration(
                None, vid, a.customer, status, number=a.number, value_minor=value,
                currency=a.currency, submitted_on=submitted, decided_on=_day(a.decided),
                reason=a.reason, expires_on=_day(a.expires), notes=a.notes,
                interaction_ids=tuple(a.interaction)))
        _done(a.format, _reg_row(reg, vname), f"Registration #{reg.id} recorded for {vname} "
                                               f"({reg.customer}, {reg.status.value}).")
        return 0
    # set
    with journal.writing() as conn:
        reg = get_registration(conn, a.id)
        today = _today(conn)
        on = _day(a.on) or today
        new = change_status(reg, parse_status(a.status), on, a.reason, today=today)
        if a.expires:
            from dataclasses import replace

            new = replace(new, expires_on=_day(a.expires))
        new = update_registration(conn, new, on=on)  # the history dates the change `on`
        vname = vendor_names(conn).get(new.vendor_id, "")
    extra = f" ({new.reason_shown})" if new.status is RegStatus.REJECTED else ""
    _done(a.format, _reg_row(new, vname),
          f"Registration #{new.id} ({new.customer}) is now {new.status.value}{extra}.")
    return 0


def _done(fmt: str, record: dict[str, Any], sentence: str) -> None:
    from partnerdesk.cli.output import print_json

    if fmt == "json":
        print_json(record)
    else:
        print(sentence)


# -- money ---------------------------------------------------------------------------------------
_MONEY_TABLE = [("id", "ID"), ("vendor", "Vendor"), ("kind", "Kind"),
                ("shown_expected", "Expected"), ("shown_paid", "Paid"), ("due_on", "Due"),
                ("paid_on", "Paid on"),
                ("late", "Days late"), ("state", "State")]


def _money_list(conn: Any, a: argparse.Namespace) -> int:
    from partnerdesk.domain.currency import clean_currency, format_amount
    from partnerdesk.domain.ledger import parse_kind
    from partnerdesk.services.ledger_serialize import MONEY_COLUMNS, money_dict
    from partnerdesk.store.ledger import money_items, vendor_names

    today = _today(conn)
    f = _filter(conn, a, status=a.status, kind=parse_kind(a.kind).value if a.kind else None,
                currency=clean_currency(a.currency) if a.currency else None)
    items = money_items(conn, f, today)
    names = vendor_names(conn)
    rows = [money_dict(m, names.get(m.vendor_id, "")) for m in items]
    if a.format == "table":
        for row, m in zip(rows, items, strict=True):
            row["shown_expected"] = format_amount(m.expected_minor, m.currency)
            row["shown_paid"] = "" if m.paid_minor is None else format_amount(m.paid, m.currency)
            row["late"] = m.days_late(today) or ""
            row["state"] = m.state(today)
    _emit(rows, a.format, _MONEY_TABLE, MONEY_COLUMNS,
          "No money owed recorded yet. Add some: partnerdesk money add VENDOR KIND AMOUNT CURRENCY")
    if a.format == "table" and items:
        totals: dict[str, list[int]] = {}
        for m in items:
            t = totals.setdefault(m.currency, [0, 0, 0, 0])
            t[0] += m.expected_minor
            t[1] += m.paid
            t[2] += m.outstanding
            t[3] += m.shortfall
        for cur, (exp, paid, out, short) in sorted(totals.items()):
            print(f"Total {cur}: expected {format_amount(exp, cur, code=False)}, paid "
                  f"{format_amount(paid, cur, code=False)}, outstanding "
                  f"{format_amount(out, cur, code=False)}, short "
                  f"{format_amount(short, cur, code=False)}")
    return 0


def cmd_money(journal: Any, a: argparse.Namespace) -> int:
    from dataclasses import replace

    from partnerdesk.domain.currency import CLAWBACK_HINT, format_amount, parse_amount
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.domain.ledger import MoneyOwed, not_in_future, parse_kind, parse_period
    from partnerdesk.services.ledger_serialize import money_dict
    from partnerdesk.store.ledger import (
        add_money,
        find_vendor,
        get_money,
        update_money,
        vendor_names,
    )

    if a.action == "add":
        kind = parse_kind(a.kind)
        # a bad amount or currency is said first
        expected = parse_amount(a.amount, a.currency, CLAWBACK_HINT)
        start, end = parse_period(a.period) if a.period else (None, None)
        due = _day(a.due) or end
        if due is None:
            raise InvalidInput("Say when it is due: --due D, or the period it is for: --period "
                               "2026-Q1 (due at the period's end).")
        with journal.writing() as conn:
            vid, vname = find_vendor(conn, a.vendor)
            m = add_money(conn, MoneyOwed(
                None, vid, kind, expected, a.currency, due,
                period_start=start, period_end=end, claim_deadline=_day(a.claim_deadline),
                claim_submitted_on=_past(conn, a.claimed, "claim date"),
                registration_id=a.registration,
                notes=a.notes))
        _done(a.format, money_dict(m, vname), f"#{m.id}: {vname} owes {m.amount_shown()} "
                                              f"({m.kind.value}), due {m.due_on}.")
        return 0
    # paid
    with journal.writing() as conn:
        m = get_money(conn, a.id)
        if m.paid_on is not None and a.amount is None and a.on is None:
            # The defaults (in full, today) would overwrite the payment on record.
            raise InvalidInput(f"#{m.id} is already paid ({format_amount(m.paid, m.currency)} on "
                               f"{m.paid_on}); to correct it, give the amount paid or --on DATE.")
        amount = (parse_amount(a.amount, m.currency, CLAWBACK_HINT) if a.amount is not None
                  else m.expected_minor)
        on = not_in_future(_day(a.on) or _today(conn), _today(conn), "payment date")
        dispute = m.dispute if a.dispute is None else a.dispute
        m = update_money(conn, replace(m, paid_minor=amount, paid_on=on, dispute=dispute))
        vname = vendor_names(conn).get(m.vendor_id, "")
    paid = f"paid {format_amount(amount, m.currency)}"
    note = ""
    if amount == 0 and m.shortfall:  # a payment of 0: say so, it is all shortfall
        paid = f"paid nothing ({format_amount(amount, m.currency)})"
        note = f"; the whole {format_amount(m.shortfall, m.currency)} is short"
    elif m.shortfall:
        note = f"; {format_amount(m.shortfall, m.currency)} short"
    if m.days_late(on):
        days = m.days_late(on)
        note += f"; {days} day{'s' if days != 1 else ''} late"
    _done(a.format, money_dict(m, vname), f"#{m.id}: {vname} {paid} on {on}{note}.")
    return 0


# -- tier and cert -------------------------------------------------------------------------------
def cmd_tier(journal: Any, a: argparse.Namespace) -> int:
    from datetime import timedelta

    from partnerdesk.domain.ledger import Benefit, TierChange, parse_target
    from partnerdesk.services.ledger_serialize import benefit_dict, tier_dict
    from partnerdesk.store.ledger import find_vendor
    from partnerdesk.store.programme import add_benefit, current_tier, set_tier

    with journal.writing() as conn:
        vid, vname = find_vendor(conn, a.vendor)
        if a.action == "benefit":
            b = add_benefit(conn, Benefit(None, vid, a.text, _day(a.since) or _today(conn),
                                          met=not a.not_met))
            _done(a.format, benefit_dict(b, vname),
                  f"Benefit #{b.id} recorded for {vname} ({'met' if b.met else 'not met'}).")
            return 0
        on = _day(a.on) or _today(conn)
        latest = current_tier(conn, vid)
        # 'was' is the tier in force the day before this change, not today's: a back-dated
        # change slots into the history and may leave a later one current.
        before = current_tier(conn, vid, as_of=on - timedelta(days=1))
        known = before or latest
        programme = a.programme if a.programme is not None else (
            known.programme if known else conn.exec_driver_sql(
                "SELECT programme FROM vendor WHERE id = ?", (vid,)).scalar() or "")
        t = set_tier(conn, TierChange(None, vid, programme, a.tier, on,
                                      requirements=a.requirements,
                                      targets=tuple(parse_target(x) for x in a.target)))
    was = f" (was {before.tier})" if before and before.tier != t.tier else ""
    later = (f"; {latest.tier} from {latest.changed_on} is still current"
             if latest and latest.changed_on > t.changed_on else "")
    _done(a.format, tier_dict(t, vname), f"{vname}: {t.tier}{was} from {t.changed_on}{later}.")
    return 0


def _tier_list(conn: Any, a: argparse.Namespace) -> int:
    from partnerdesk.cli.output import print_json, print_table
    from partnerdesk.services.ledger_serialize import benefit_dict, tier_dict
    from partnerdesk.store.ledger import find_vendor, vendor_names
    from partnerdesk.store.programme import benefits, tier_history

    ids = [find_vendor(conn, a.vendor)[0]] if a.vendor else None
    names = vendor_names(conn)
    tiers = [tier_dict(t, names.get(t.vendor_id, "")) for t in tier_history(conn, ids)]
    bens = [benefit_dict(b, names.get(b.vendor_id, "")) for b in benefits(conn, ids)]
    if a.format == "json":
        print_json({"tiers": tiers, "benefits": bens})
        return 0
    if a.format == "csv":
        from partnerdesk.cli.output import print_csv
        from partnerdesk.services.ledger_serialize import TIER_COLUMNS, flat

        print_csv([flat(t) for t in tiers], TIER_COLUMNS)
        return 0
    if not tiers and not bens:
        print("No tiers recorded yet. Record one: partnerdesk tier set VENDOR TIER")
        return 0
    print_table(tiers, [("vendor", "Vendor"), ("programme", "Programme"), ("tier", "Tier"),
                        ("changed_on", "From"), ("requirements", "Requirements")],
                flexible="requirements")
    if bens:
        print()
        for b in bens:
            b["state"] = "met" if b["met"] else "NOT MET"
        print_table(bens, [("id", "ID"), ("vendor", "Vendor"), ("text", "Benefit"),
                           ("since", "Since"), ("state", "State")], flexible="text")
    return 0


def cmd_cert(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.domain.ledger import Certification
    from partnerdesk.services.ledger_serialize import cert_dict
    from partnerdesk.store.ledger import find_vendor
    from partnerdesk.store.programme import add_certification

    with journal.writing() as conn:
        vid, vname = find_vendor(conn, a.vendor)
        c = add_certification(conn, Certification(None, vid, a.holder, a.name,
                                                  expires_on=_day(a.expires),
                                                  earned_on=_past(conn, a.earned, "date it "
                                                                  "was earned")))
    until = f", expires {c.expires_on}" if c.expires_on else ""
    _done(a.format, cert_dict(c, vname), f"Certification #{c.id}: {c.name} ({c.holder}, "
                                         f"{vname}{until}).")
    return 0


def _cert_list(conn: Any, a: argparse.Namespace) -> int:
    from datetime import timedelta

    from partnerdesk.domain.ledger import EXPIRING_DAYS
    from partnerdesk.services.ledger_serialize import CERT_COLUMNS, cert_dict
    from partnerdesk.store.ledger import find_vendor, vendor_names
    from partnerdesk.store.programme import certifications

    today = _today(conn)
    ids = [find_vendor(conn, v)[0] for v in a.vendor] if a.vendor else None
    certs = certifications(conn, ids, expiring_by=today + timedelta(days=EXPIRING_DAYS)
                           if a.expiring else None)
    names = vendor_names(conn)
    rows = [cert_dict(c, names.get(c.vendor_id, "")) for c in certs]
    for row, c in zip(rows, certs, strict=True):
        if a.format == "table":
            row["state"] = ("EXPIRED" if c.expired(today) else
                            "expiring" if c.expiring_within(today) else "")
    _emit(rows, a.format, [("id", "ID"), ("vendor", "Vendor"), ("holder", "Holder"),
                           ("name", "Certification"), ("expires_on", "Expires"),
                           ("state", "State")], CERT_COLUMNS,
          "No certifications" + (" expiring soon." if a.expiring else
                                 " yet. Add one: partnerdesk cert add VENDOR HOLDER NAME"),
          flexible="name")
    return 0


# -- ledger --------------------------------------------------------------------------------------
def _ledger_read(conn: Any, a: argparse.Namespace) -> int:
    from partnerdesk.cli.output import print_json, print_table

    if a.action == "search":
        from partnerdesk.store.ledger_search import search_ledger

        hits = search_ledger(conn, " ".join(a.query), limit=max(a.limit, 1))
        rows = [{"kind": h.kind, "id": h.record_id, "vendor": h.vendor, "title": h.title}
                for h in hits]
        empty = "Nothing in the ledger matches."
        cols = [("kind", "Kind"), ("id", "ID"), ("vendor", "Vendor"), ("title", "Record")]
    else:
        from partnerdesk.services.ledger_measures import ledger_due

        if not 0 <= a.days <= 3660:
            from partnerdesk.domain.errors import InvalidInput

            raise InvalidInput("--days must be from 0 to 3660.")
        items = ledger_due(conn, _today(conn), a.days)
        rows = [{"due": d.due.isoformat(), "kind": d.kind, "id": d.record_id, "vendor": d.vendor,
                 "what": d.what} for d in items]
        empty = f"Nothing in the ledger runs out within {a.days} days."
        cols = [("due", "Due"), ("vendor", "Vendor"), ("what", "What")]
    if a.format == "json":
        print_json(rows)
    elif a.format == "csv":
        from partnerdesk.cli.output import print_csv

        print_csv(rows, [k for k, _ in cols] + (["kind", "id"] if a.action == "due" else []))
    elif not rows:
        print(empty)
    else:
        print_table(rows, cols, flexible=cols[-1][0])
    return 0


def cmd_ledger(journal: Any, a: argparse.Namespace) -> int:
    if a.action == "export":
        from partnerdesk.services.ledger_io import export_ledger

        result = export_ledger(journal, a.output, a.what, a.format)
        if a.output != "-":
            print(result)
        return 0
    from partnerdesk.cli.ledger_import_cli import run_import

    return run_import(journal, a)


_READERS = {"dealreg": _dealreg_list, "money": _money_list, "tier": _tier_list, "cert": _cert_list,
            "ledger": _ledger_read}
_WRITERS = {"dealreg": cmd_dealreg, "money": cmd_money, "tier": cmd_tier, "cert": cmd_cert,
            "ledger": cmd_ledger}
_READ_ACTIONS = {"list", "search", "due"}


def _dispatch(command: str) -> Callable[[Path, argparse.Namespace], int]:
    def handler(path: Path, a: argparse.Namespace) -> int:
        if a.action in _READ_ACTIONS:
            return _reader(_READERS[command])(path, a)
        from partnerdesk.store.journal import Journal

        with Journal.open(path) as journal:
            return int(_WRITERS[command](journal, a))

    handler.takes_path = True  # type: ignore[attr-defined]
    return handler


HANDLERS = {name: _dispatch(name) for name in _WRITERS}
