"""The per-vendor weekly summary (vendor_week) that health scores read instead of the raw table.

The table, its triggers and the slice rules live in the V2 rung of schema.py. Here: the bulk
path's one-statement update, a full rebuild, and reading a vendor's slices.

A *slice* is a week (Monday to Sunday, UTC days) cut where a month begins: weeks, months and
quarters are each an exact union of slices. Slices are named by their first day, counted in days
since 1970-01-01 (``day_number``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from partnerdesk.store.schema import (
    DAY_OF_TIME,
    SLICE_OF_TIME,
    SUMMARY_FILL,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Counts the interactions with ids first..last (just inserted with the summary trigger dropped)
# into vendor_week in one statement: grouped per vendor-day, then per slice, then added. Their
# promises are counted by action_item's own triggers as their items are created.
SUMMARY_ADD_RANGE = f"""
INSERT INTO vendor_week (vendor_id, start_day, n, helpful, quality_sum, quality_n)
SELECT vendor_id, {SLICE_OF_TIME.format(t="day * 86400")} AS slice, sum(n), sum(h), sum(qs), sum(qn)
  FROM (SELECT vendor_id, {DAY_OF_TIME.format(t="occurred_at")} AS day, count(*) AS n,
               sum(tag = 'helpful') AS h, coalesce(sum(quality), 0) AS qs, count(quality) AS qn
          FROM interaction WHERE id BETWEEN :first AND :last GROUP BY 1, 2)
 WHERE true GROUP BY 1, 2
ON CONFLICT (vendor_id, start_day) DO UPDATE SET
    n = n + excluded.n, helpful = helpful + excluded.helpful,
    quality_sum = quality_sum + excluded.quality_sum, quality_n = quality_n + excluded.quality_n
"""


def add_range(conn: Connection, first: int, last: int) -> None:
    conn.exec_driver_sql(SUMMARY_ADD_RANGE, {"first": first, "last": last})


def rebuild(conn: Connection) -> None:
    """Recompute the whole summary from the interaction table (~1 s for 1M interactions)."""
    conn.exec_driver_sql("DELETE FROM vendor_week")
    for statement in SUMMARY_FILL.split(";"):
        if statement.strip():
            conn.exec_driver_sql(statement)


def day_number(day: date) -> int:
    return day.toordinal() - EPOCH_ORDINAL


def from_day_number(n: int) -> date:
    return date.fromordinal(n + EPOCH_ORDINAL)


def slice_start(day: date) -> date:
    """The first day of the slice holding `day` (the Python twin of SLICE_OF_TIME)."""
    monday = day - timedelta(days=day.weekday())
    return max(monday, day.replace(day=1))
