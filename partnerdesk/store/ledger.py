"""Deal registrations and money owed (tables from the V_LEDGER rung of schema.py).

Every function takes `conn`: anything with ``exec_driver_sql`` (a Journal's ``reading()`` or
``writing()`` connection, a LiteJournal's), so the command line and the window read through the
standard library and only writers need a Journal. Writers run inside ``journal.writing()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from partnerdesk.domain.errors import NotFound
from partnerdesk.domain.ledger import (
    MoneyKind,
    MoneyOwed,
    Registration,
    RegStatus,
    StatusChange,
    check_history,
    status_day,
    validate_money,
    validate_registration,
)
from partnerdesk.store.registration_history import histories, record_status, write_history
from partnerdesk.store.timecodec import now_epoch

_REG_COLUMNS = ("id, vendor_id, customer, status, number, value_minor, currency, submitted_on,"
                " decided_on, reason, expires_on, notes, source, source_id")
_MONEY_COLUMNS = ("id, vendor_id, kind, expected_minor, currency, due_on, period_start, period_end,"
                  " claim_submitted_on, claim_deadline, paid_minor, paid_on, dispute, notes,"
                  " registration_id, source, source_id")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def require_vendor(conn: Any, vendor_id: int) -> None:
    if conn.exec_driver_sql("SELECT 1 FROM vendor WHERE id = ?", (vendor_id,)).scalar() is None:
        raise NotFound(f"Vendor #{vendor_id} does not exist (it may have been deleted).")


def insert_row(conn: Any, table: str, cols: str, values: tuple[Any, ...],
               record_id: int | None = None) -> int:
    """INSERT one row; with record_id, under that id (a restore or an undo). Returns the id."""
    if record_id is not None:
        cols, values = "id, " + cols, (record_id, *values)
    cur = conn.exec_driver_sql(f"INSERT INTO {table} ({cols}) VALUES"
                               f" ({', '.join('?' * len(values))})", values)
    return int(cur.lastrowid)


def vendor_names(conn: Any) -> dict[int, str]:
    return dict(conn.exec_driver_sql("SELECT id, name FROM vendor").all())


def find_vendor(conn: Any, name: str) -> tuple[int, str]:
    """(id, name) of the vendor with this name (any case), over the standard library; NotFound
    with close names otherwise (the same message as VendorStore.resolve)."""
    import difflib

    from partnerdesk.domain.validation import clean_line

    wanted = clean_line(name).casefold()
    names = vendor_names(conn)
    for vid, vname in names.items():
        if vname.casefold() == wanted:
            return vid, vname
    all_names = sorted(names.values(), key=str.casefold)
    close = difflib.get_close_matches(name, all_names, n=3, cutoff=0.6)
    close += [n for n in all_names if wanted and wanted in n.casefold() and n not in close][:3]
    hint = f" Did you mean {', '.join(close[:3])}?" if close else ""
    raise NotFound(f"No vendor named '{clean_line(name)[:60]}'.{hint} To add it: "
                   f"partnerdesk vendor add '{clean_line(name)[:60]}'")


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the cross-vendor views and the list commands narrow by (all optional)."""

    vendor_ids: tuple[int, ...] | None = None
    since: date | None = None
    until: date | None = None
    status: str | None = None  # registrations: a status; money: 'unpaid', 'paid', 'late', 'short'
    kind: str | None = None  # money: a MoneyKind value
    currency: str | None = None
    limit: int | None = None


def _where(f: ListFilter, date_column: str) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.vendor_ids is not None:
        clauses.append(f"vendor_id IN ({','.join('?' * len(f.vendor_ids)) or 'NULL'})")
        params.extend(f.vendor_ids)
    if f.since is not None:
        clauses.append(f"{date_column} >= ?")
        params.append(f.since.isoformat())
    if f.until is not None:
        clauses.append(f"{date_column} <= ?")
        params.append(f.until.isoformat())
    if f.currency:
        clauses.append("currency = ?")
        params.append(f.currency)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _reg_where(f: ListFilter) -> tuple[str, list[Any]]:
    where, params = _where(f, "submitted_on")
    if f.status:
        where += (" AND " if where else " WHERE ") + "status = ?"
        params.append(RegStatus(f.status).value)
    return where, params


def _money_where(f: ListFilter, today: date | None) -> tuple[str, list[Any]]:
    where, params = _where(f, "due_on")
    if f.kind:
        where += (" AND " if where else " WHERE ") + "kind = ?"
        params.append(MoneyKind(f.kind).value)
    if f.status:
        where += (" AND " if where else " WHERE ") + f"({MONEY_STATUS_SQL[f.status]})"
        if f.status == "late":
            params.append((today or date.today()).isoformat())
    return where, params


# -- registrations ----------------------------------------------------------------------------
def _registration(r: Sequence[Any], links: tuple[int, ...] = (),
                  history: tuple[StatusChange, ...] = ()) -> Registration:
    return Registration(id=r[0], vendor_id=r[1], customer=r[2], status=RegStatus(r[3]),
                        number=r[4], history=history,
                        value_minor=r[5], currency=r[6], submitted_on=_day(r[7]),
                        decided_on=_day(r[8]), reason=r[9], expires_on=_day(r[10]), notes=r[11],
                        interaction_ids=links, source=r[12], source_id=r[13])


def registrations(conn: Any, f: ListFilter = ListFilter()) -> list[Registration]:
    """Registrations: drafts (never submitted) first, then newest submission first.

    Two queries, so that each walks an index instead of sorting 50,000 rows for a page.
    """
    where, params = _reg_where(f)
    rows: list[Any] = []
    limit = f" LIMIT {int(f.limit)}" if f.limit else ""
    if f.since is None and f.until is None:
        rows = list(conn.exec_driver_sql(
            f"SELECT {_REG_COLUMNS} FROM deal_registration"
            f"{where + ' AND' if where else ' WHERE'} submitted_on IS NULL ORDER BY id DESC{limit}",
            tuple(params)).all())
    if not f.limit or len(rows) < f.limit:
        more = f" LIMIT {int(f.limit) - len(rows)}" if f.limit else ""
        rows += conn.exec_driver_sql(
            f"SELECT {_REG_COLUMNS} FROM deal_registration"
            f"{where + ' AND' if where else ' WHERE'} submitted_on IS NOT NULL"
            f" ORDER BY submitted_on DESC, id DESC{more}", tuple(params)).all()
    links: dict[int, list[int]] = {}
    history: dict[int, tuple[StatusChange, ...]] = {}
    if rows and len(rows) <= 2000:  # the window's pages and the CLI; bulk readers skip these
        ids = [r[0] for r in rows]
        for reg_id, inter_id in conn.exec_driver_sql(
                "SELECT registration_id, interaction_id FROM deal_registration_interaction"
                f" WHERE registration_id IN ({','.join('?' * len(ids))})"
                " ORDER BY interaction_id", tuple(ids)):
            links.setdefault(reg_id, []).append(inter_id)
        history = histories(conn, ids)
    return [_registration(r, tuple(links.get(r[0], ())), history.get(r[0], ())) for r in rows]


def registration_totals(conn: Any, f: ListFilter = ListFilter()) -> tuple[int, dict[str, int]]:
    """How many registrations the filter matches (ignoring its limit), and their value per
    currency: what the cross-vendor view shows under a list it may cut short."""
    where, params = _reg_where(f)
    count = 0
    sums: dict[str, int] = {}
    for currency, n, total in conn.exec_driver_sql(
            "SELECT currency, count(*), sum(coalesce(value_minor, 0))"
            f" FROM deal_registration{where}"
            " GROUP BY currency ORDER BY currency", tuple(params)):
        count += n
        if currency and total:
            sums[currency] = total
    return count, sums


def get_registration(conn: Any, reg_id: int) -> Registration:
    row = conn.exec_driver_sql(f"SELECT {_REG_COLUMNS} FROM deal_registration WHERE id = ?",
                               (reg_id,)).all()
    if not row:
        raise NotFound(f"Registration #{reg_id} does not exist; list them with: "
                       "partnerdesk dealreg list")
    links = tuple(i for (i,) in conn.exec_driver_sql(
        "SELECT interaction_id FROM deal_registration_interaction WHERE registration_id = ?"
        " ORDER BY interaction_id", (reg_id,)))
    return _registration(row[0], links, histories(conn, [reg_id]).get(reg_id, ()))


def _link_interactions(conn: Any, reg: Registration) -> None:
    conn.exec_driver_sql("DELETE FROM deal_registration_interaction WHERE registration_id = ?",
                         (reg.id,))
    for inter_id in reg.interaction_ids:
        if conn.exec_driver_sql("SELECT vendor_id FROM interaction WHERE id = ?",
                                (inter_id,)).scalar() != reg.vendor_id:
            raise NotFound(f"Interaction #{inter_id} is not one of this vendor's interactions; "
                           "link the registration to an interaction with the same vendor.")
        conn.exec_driver_sql("INSERT INTO deal_registration_interaction VALUES (?, ?)",
                             (reg.id, inter_id))


def add_registration(conn: Any, reg: Registration, *, keep_id: bool = False) -> Registration:
    """Store a new registration (validated); returns it with its id and status history.

    keep_id: restore a record with the id it had (JSON import into an empty journal, undo).
    Its history is the one it brings (a file, an undone delete), else its status from the day
    it took it (domain.ledger.status_day).
    """
    reg = validate_registration(reg)
    check_history(reg)
    require_vendor(conn, reg.vendor_id)
    now = now_epoch()
    values = (reg.vendor_id, reg.customer, reg.status.value, reg.number, reg.value_minor,
              reg.currency, _iso(reg.submitted_on), _iso(reg.decided_on), reg.reason,
              _iso(reg.expires_on), reg.notes, reg.source, reg.source_id, now, now)
    cols = ("vendor_id, customer, status, number, value_minor, currency, submitted_on, decided_on,"
            " reason, expires_on, notes, source, source_id, created_at, updated_at")
    reg = replace(reg, id=insert_row(conn, "deal_registration", cols, values,
                                     reg.id if keep_id else None))
    _link_interactions(conn, reg)
    history = reg.history or (StatusChange(reg.status, status_day(reg, date.today())),)
    write_history(conn, int(reg.id or 0), history)
    return replace(reg, history=history)


def update_registration(conn: Any, reg: Registration, *, on: date | None = None,
                        record: bool = True) -> Registration:
    """Replace the stored registration with `reg` (same id), validated; returns it with its
    status history. A new status is added to the history, dated `on` (default: the day the
    record says it took it, else today) unless `record` is False (an undo puts the old one
    back and removes the entry itself)."""
    reg = validate_registration(reg)
    old = get_registration(conn, int(reg.id or 0))
    require_vendor(conn, reg.vendor_id)
    conn.exec_driver_sql(
        "UPDATE deal_registration SET vendor_id = ?, customer = ?, status = ?, number = ?,"
        " value_minor = ?, currency = ?, submitted_on = ?, decided_on = ?, reason = ?,"
        " expires_on = ?, notes = ?, updated_at = ? WHERE id = ?",
        (reg.vendor_id, reg.customer, reg.status.value, reg.number, reg.value_minor, reg.currency,
         _iso(reg.submitted_on), _iso(reg.decided_on), reg.reason, _iso(reg.expires_on),
         reg.notes, now_epoch(), reg.id))
    _link_interactions(conn, reg)
    history = old.history
    if record and reg.status is not old.status:
        change = StatusChange(reg.status, on or status_day(reg, date.today()))
        record_status(conn, int(reg.id or 0), change.status, change.on)
        history += (change,)
    return replace(reg, history=history)


def delete_registration(conn: Any, reg_id: int) -> Registration:
    """Remove it; returns what was removed (so that undo can put it back)."""
    reg = get_registration(conn, reg_id)
    conn.exec_driver_sql("DELETE FROM deal_registration WHERE id = ?", (reg_id,))
    return reg


# -- money owed -------------------------------------------------------------------------------
def _money(r: Sequence[Any]) -> MoneyOwed:
    return MoneyOwed(id=r[0], vendor_id=r[1], kind=MoneyKind(r[2]), expected_minor=r[3],
                     currency=r[4], due_on=date.fromisoformat(r[5]), period_start=_day(r[6]),
                     period_end=_day(r[7]), claim_submitted_on=_day(r[8]),
                     claim_deadline=_day(r[9]), paid_minor=r[10], paid_on=_day(r[11]),
                     dispute=r[12], notes=r[13], registration_id=r[14], source=r[15],
                     source_id=r[16])


# Money list statuses (ListFilter.status) as SQL over one row.
MONEY_STATUS_SQL = {
    "unpaid": "paid_on IS NULL",
    "paid": "paid_on IS NOT NULL",
    "short": "paid_on IS NOT NULL AND coalesce(paid_minor, 0) < expected_minor",
    "late": "(paid_on IS NOT NULL AND paid_on > due_on) OR (paid_on IS NULL AND due_on < ?)",
    "disputed": "dispute <> ''",
}


def money_items(conn: Any, f: ListFilter = ListFilter(),
                today: date | None = None) -> list[MoneyOwed]:
    """Money owed, latest due date first."""
    where, params = _money_where(f, today)
    sql = f"SELECT {_MONEY_COLUMNS} FROM money_owed{where} ORDER BY due_on DESC, id DESC"
    if f.limit:
        sql += f" LIMIT {int(f.limit)}"
    return [_money(r) for r in conn.exec_driver_sql(sql, tuple(params))]


def money_totals(conn: Any, f: ListFilter = ListFilter(),
                 today: date | None = None) -> tuple[int, dict[str, tuple[int, int, int, int]]]:
    """How many items the filter matches (ignoring its limit), and per currency: expected,
    paid, outstanding, shortfall (minor units)."""
    where, params = _money_where(f, today)
    count = 0
    sums: dict[str, tuple[int, int, int, int]] = {}
    for currency, n, exp, paid, out, short in conn.exec_driver_sql(
            "SELECT currency, count(*), sum(expected_minor), sum(coalesce(paid_minor, 0)),"
            " sum(CASE WHEN paid_on IS NULL THEN expected_minor ELSE 0 END),"
            " sum(CASE WHEN paid_on IS NOT NULL AND coalesce(paid_minor, 0) < expected_minor"
            "     THEN expected_minor - coalesce(paid_minor, 0) ELSE 0 END)"
            f" FROM money_owed{where} GROUP BY currency ORDER BY currency", tuple(params)):
        count += n
        sums[currency] = (exp, paid, out, short)
    return count, sums


def get_money(conn: Any, money_id: int) -> MoneyOwed:
    row = conn.exec_driver_sql(f"SELECT {_MONEY_COLUMNS} FROM money_owed WHERE id = ?",
                               (money_id,)).all()
    if not row:
        raise NotFound(f"Money owed #{money_id} does not exist; list it with: "
                       "partnerdesk money list")
    return _money(row[0])


def _money_values(m: MoneyOwed) -> tuple[Any, ...]:
    return (m.vendor_id, m.kind.value, m.expected_minor, m.currency, m.due_on.isoformat(),
            _iso(m.period_start), _iso(m.period_end), _iso(m.claim_submitted_on),
            _iso(m.claim_deadline), m.paid_minor, _iso(m.paid_on), m.dispute, m.notes,
            m.registration_id)


_MONEY_WRITE = ("vendor_id, kind, expected_minor, currency, due_on, period_start, period_end,"
                " claim_submitted_on, claim_deadline, paid_minor, paid_on, dispute, notes,"
                " registration_id")


def _require_registration(conn: Any, m: MoneyOwed) -> None:
    if m.registration_id is None:
        return
    owner = conn.exec_driver_sql("SELECT vendor_id FROM deal_registration WHERE id = ?",
                                 (m.registration_id,)).scalar()
    if owner != m.vendor_id:
        raise NotFound(f"Registration #{m.registration_id} is not one of this vendor's; link the "
                       "payment to a registration with the same vendor.")


def add_money(conn: Any, m: MoneyOwed, *, keep_id: bool = False) -> MoneyOwed:
    m = validate_money(m)
    require_vendor(conn, m.vendor_id)
    _require_registration(conn, m)
    now = now_epoch()
    values = (*_money_values(m), m.source, m.source_id, now, now)
    cols = _MONEY_WRITE + ", source, source_id, created_at, updated_at"
    return replace(m, id=insert_row(conn, "money_owed", cols, values, m.id if keep_id else None))


def update_money(conn: Any, m: MoneyOwed) -> MoneyOwed:
    m = validate_money(m)
    get_money(conn, int(m.id or 0))
    require_vendor(conn, m.vendor_id)
    _require_registration(conn, m)
    sets = ", ".join(f"{c.strip()} = ?" for c in _MONEY_WRITE.split(","))
    conn.exec_driver_sql(f"UPDATE money_owed SET {sets}, updated_at = ? WHERE id = ?",
                         (*_money_values(m), now_epoch(), m.id))
    return m


def delete_money(conn: Any, money_id: int) -> MoneyOwed:
    m = get_money(conn, money_id)
    conn.exec_driver_sql("DELETE FROM money_owed WHERE id = ?", (money_id,))
    return m
