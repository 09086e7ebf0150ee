"""vendor_day: per vendor and *local* day, what health adds up, kept by triggers.

A local day is the interaction's UTC time plus the journal zone's offset at that instant; the
offsets live in `local_shift` (one row per change, from 1970 to 2100), written from the zone
when the summary is (re)built. `local_days_zone` in the setting table names the zone it was
built for: health reads the summary only when that is the journal's zone now, and reads the
interactions themselves (slower, same answer) otherwise. Changing the zone with
`set_journal_zone` rebuilds it (~3 s per million interactions).

Columns: conversations (every channel but broadcast), of them helpful and inbound, broadcasts,
and of them helpful.
"""

from __future__ import annotations

import sqlite3
from datetime import tzinfo
from typing import Any

ZONE_KEY = "local_days_zone"  # the zone vendor_day was built for
INSERT_TRIGGER = "vendor_day_insert"

# The local day of epoch time t (whole days since 1970-01-01 in the zone).
_DAY = ("(({t} + coalesce((SELECT shift FROM local_shift WHERE from_utc <= {t}"
        " ORDER BY from_utc DESC LIMIT 1), 0)) / 86400)")


def _values(r: str) -> str:
    b = "'broadcast'"
    return (f"{r}.vendor_id, {_DAY.format(t=f'{r}.occurred_at')}, {r}.channel <> {b},"
            f" {r}.channel <> {b} AND {r}.tag = 'helpful',"
            f" {r}.channel <> {b} AND {r}.direction = 'in',"
            f" {r}.channel = {b}, {r}.channel = {b} AND {r}.tag = 'helpful'")


_UPSERT = """ON CONFLICT (vendor_id, day) DO UPDATE SET conv = conv + excluded.conv,
    conv_helpful = conv_helpful + excluded.conv_helpful, conv_in = conv_in + excluded.conv_in,
    bcast = bcast + excluded.bcast, bcast_helpful = bcast_helpful + excluded.bcast_helpful"""


def _add(r: str) -> str:
    return f"INSERT INTO vendor_day VALUES ({_values(r)}) {_UPSERT};"


def _remove(r: str) -> str:
    b = "'broadcast'"
    day = _DAY.format(t=f"{r}.occurred_at")
    return f"""UPDATE vendor_day SET conv = conv - ({r}.channel <> {b}),
        conv_helpful = conv_helpful - ({r}.channel <> {b} AND {r}.tag = 'helpful'),
        conv_in = conv_in - ({r}.channel <> {b} AND {r}.direction = 'in'),
        bcast = bcast - ({r}.channel = {b}),
        bcast_helpful = bcast_helpful - ({r}.channel = {b} AND {r}.tag = 'helpful')
      WHERE vendor_id = {r}.vendor_id AND day = {day};
    DELETE FROM vendor_day WHERE vendor_id = {r}.vendor_id AND day = {day}
      AND conv = 0 AND bcast = 0;"""


FILL = ("INSERT INTO vendor_day SELECT vendor_id, d, sum(c), sum(ch), sum(ci), sum(bc), sum(bh)"
        " FROM (SELECT vendor_id, " + _DAY.format(t="occurred_at") + " AS d,"
        " channel <> 'broadcast' AS c, channel <> 'broadcast' AND tag = 'helpful' AS ch,"
        " channel <> 'broadcast' AND direction = 'in' AS ci, channel = 'broadcast' AS bc,"
        " channel = 'broadcast' AND tag = 'helpful' AS bh FROM interaction {where})"
        " WHERE true GROUP BY vendor_id, d " + _UPSERT)

_TABLES = """
CREATE TABLE local_shift (
    from_utc INTEGER PRIMARY KEY,
    shift    INTEGER NOT NULL
);
CREATE TABLE vendor_day (
    vendor_id     INTEGER NOT NULL,
    day           INTEGER NOT NULL,
    conv          INTEGER NOT NULL,
    conv_helpful  INTEGER NOT NULL,
    conv_in       INTEGER NOT NULL,
    bcast         INTEGER NOT NULL,
    bcast_helpful INTEGER NOT NULL,
    PRIMARY KEY (vendor_id, day)
) WITHOUT ROWID;
"""
TRIGGERS = {
    INSERT_TRIGGER: f"""CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON interaction BEGIN
    {_add("new")}
END;""",
    "vendor_day_delete": f"""CREATE TRIGGER vendor_day_delete AFTER DELETE ON interaction BEGIN
    {_remove("old")}
END;""",
    "vendor_day_update": "CREATE TRIGGER vendor_day_update AFTER UPDATE OF vendor_id,"
                         " occurred_at, tag, direction, channel" + f"""
    ON interaction BEGIN
    {_remove("old")}
    {_add("new")}
END;""",
}

# The schema rung: built for UTC (no shift rows) until the journal's zone is known on open.
V_LOCAL_DAYS = _TABLES.rstrip("\n") + "\n" + "\n".join(TRIGGERS.values()) + f"""
{FILL.format(where="")};
INSERT INTO setting (key, value) VALUES ('{ZONE_KEY}', 'UTC')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
"""


def suspend(conn: Any) -> str | None:
    """Drop the insert trigger for a bulk insert; returns its SQL to re-create (None if absent).
    Call add_range for the inserted ids, then execute the returned SQL."""
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                               (INSERT_TRIGGER,)).scalar()
    if sql:
        conn.exec_driver_sql(f"DROP TRIGGER {INSERT_TRIGGER}")
    return sql


def add_range(conn: Any, first: int, last: int) -> None:
    """Count interactions first..last (inserted with the insert trigger dropped)."""
    conn.exec_driver_sql(FILL.format(where="WHERE id BETWEEN ? AND ?"), (first, last))


def built_for(conn: Any) -> str | None:
    from partnerdesk.store.settings import get_setting

    try:
        return get_setting(conn, ZONE_KEY)
    except Exception:  # no setting table yet (a journal mid-upgrade)
        return None


def rebuild(conn: Any, zone: tzinfo, name: str) -> None:
    """Rewrite local_shift for `zone` and recount vendor_day; inside ``journal.writing()``."""
    from partnerdesk.store.journal_zone import zone_shifts
    from partnerdesk.store.settings import set_setting

    conn.exec_driver_sql("DELETE FROM local_shift")
    for t, shift in zone_shifts(zone):
        conn.exec_driver_sql("INSERT INTO local_shift VALUES (?, ?)", (t, shift))
    conn.exec_driver_sql("DELETE FROM vendor_day")
    conn.exec_driver_sql(FILL.format(where=""))
    set_setting(conn, ZONE_KEY, name)


def sync_zone(raw: sqlite3.Connection, before_commit: Any = None) -> None:
    """On opening for writing: rebuild vendor_day when the journal's zone is no longer the one
    it was built for (the setting changed, or the machine's zone did). Cheap when it matches.
    `before_commit()` runs right before COMMIT (the journal's check that its file was not
    replaced meanwhile; it rolls back and raises when it was)."""
    from partnerdesk.store.journal_zone import journal_zone, zone_name
    from partnerdesk.store.lite import DriverConnection

    conn = DriverConnection(raw)
    if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'vendor_day'"
                                ).all():
        return
    zone = journal_zone(conn)
    if built_for(conn) == zone_name(zone):
        return
    raw.execute("BEGIN IMMEDIATE")
    try:
        rebuild(conn, zone, zone_name(zone))
        if before_commit is not None:
            before_commit()
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise


def set_journal_zone(journal: Any, name: str | None) -> None:
    """Set the journal's time zone (an IANA name; None: the machine's) and recount vendor_day,
    so every week, month and quarter follows it from now on."""
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.store.journal_zone import TIMEZONE_KEY, journal_zone, zone_name
    from partnerdesk.store.settings import set_setting

    if name is not None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise InvalidInput(f"'{name}' is not a time zone this machine knows; give a name "
                               "like Europe/Paris or America/New_York.") from None
    with journal.writing() as conn:
        set_setting(conn, TIMEZONE_KEY, name)
        zone = journal_zone(conn)
        rebuild(conn, zone, zone_name(zone))


# -- check and repair (services/check.py: `partnerdesk check [--repair]`) ----------------------
def _present(conn: Any) -> set[str]:
    names = ("vendor_day", "local_shift", *TRIGGERS)
    marks = ",".join("?" * len(names))
    return {r[0] for r in conn.exec_driver_sql(
        f"SELECT name FROM sqlite_master WHERE name IN ({marks})", names).all()}


def _expected(conn: Any) -> bool:
    """The journal's schema has the summary (older ones get it when they are upgraded)."""
    from partnerdesk.store.schema import MIGRATIONS, V_HEALTH_LOCAL_DAYS

    version = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
    return version > MIGRATIONS.index(V_HEALTH_LOCAL_DAYS)


def check_problem(conn: Any, recount: bool = True) -> str | None:
    """What is wrong with the per-day summary, in a sentence, or None. With `recount`, recounts
    it inside a savepoint that is always rolled back: call within a write transaction that is
    too (~1.5 s of CPU per million interactions); without, only sees whether it is there."""
    if not _expected(conn):
        return None
    missing = sorted({"vendor_day", "local_shift", *TRIGGERS} - _present(conn))
    if missing or built_for(conn) is None:
        return ("the per-day summary behind the health scores is missing"
                + (f" ({', '.join(missing)})" if missing else "")
                + "; 'partnerdesk check --repair' rebuilds it from the interactions")
    if not recount:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = built_for(conn)
    try:
        zone: tzinfo = ZoneInfo(name)  # type: ignore[arg-type]
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None  # counted for a zone this machine does not know: recounted on open
    conn.exec_driver_sql("SAVEPOINT pd_check_days")
    try:
        conn.exec_driver_sql("CREATE TEMP TABLE pd_days_before AS SELECT * FROM vendor_day")
        conn.exec_driver_sql("CREATE TEMP TABLE pd_shift_before AS SELECT * FROM local_shift")
        rebuild(conn, zone, name)
        differ = [conn.exec_driver_sql(
            f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT SELECT * FROM {b})").scalar()
            for a, b in (("vendor_day", "temp.pd_days_before"),
                         ("temp.pd_days_before", "vendor_day"),
                         ("local_shift", "temp.pd_shift_before"),
                         ("temp.pd_shift_before", "local_shift"))]
    finally:
        conn.exec_driver_sql("ROLLBACK TO pd_check_days")
        conn.exec_driver_sql("RELEASE pd_check_days")
    if not any(differ):
        return None
    days = max(differ[0], differ[1])
    what = ((f"{days} vendor-days differ" if days != 1 else "1 vendor-day differs") if days
            else "its time-zone offsets differ")
    return ("the per-day summary behind the health scores is out of step with the interactions "
            f"({what}); 'partnerdesk check --repair' rebuilds it")


def repair(conn: Any) -> None:
    """Re-create what is missing of the summary (tables, triggers) and recount it for the
    journal's zone; inside a write transaction."""
    if not _expected(conn):
        return
    from partnerdesk.store.journal_zone import journal_zone, zone_name

    present = _present(conn)
    for statement in _TABLES.split(";"):
        name = next((n for n in ("local_shift", "vendor_day") if f"TABLE {n} " in statement),
                    None)
        if name is not None and name not in present:
            conn.exec_driver_sql(statement)
    for name, sql in TRIGGERS.items():  # written again: a damaged one is as bad as none
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql(sql)
    zone = journal_zone(conn)
    rebuild(conn, zone, zone_name(zone))
