"""Search beyond interactions: vendor events and question answers, through the record_fts index.

Standard library read path: takes any connection with `exec_driver_sql` (a Journal connection
or a LiteJournal one), so the window and the command line can share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerdesk.store.fts_query import build_match

KIND_NAMES = {"event": "Event", "answer": "Answer"}


@dataclass(frozen=True)
class RecordHit:
    kind: str  # 'event' or 'answer'
    ref_id: int
    vendor_id: int
    vendor_name: str
    on: str  # the day it happened or was answered, YYYY-MM-DD
    text: str

    def label(self) -> str:
        """'Event · Crestline · 2025-06-01 · compensation change Residuals cut by half'."""
        return f"{KIND_NAMES.get(self.kind, self.kind)} · {self.vendor_name} · {self.on} · {self.text}"


SEARCH_SQL = """
SELECT f.kind, f.ref_id, v.id, v.name, COALESCE(e.occurred_on, a.answered_on), f.text
  FROM record_fts f
  LEFT JOIN vendor_event e ON f.kind = 'event' AND e.id = f.ref_id
  LEFT JOIN answer a ON f.kind = 'answer' AND a.id = f.ref_id
  JOIN vendor v ON v.id = COALESCE(e.vendor_id, a.vendor_id)
 WHERE record_fts MATCH ?
 ORDER BY COALESCE(e.occurred_on, a.answered_on) DESC
 LIMIT ?
"""


def search_records(conn: Any, text: str, limit: int = 50) -> list[RecordHit]:
    """Events and answers matching `text` (same syntax as interaction search), newest first."""
    match = build_match(text)
    if match is None:
        return []
    rows = conn.exec_driver_sql(SEARCH_SQL, (match, limit)).all()
    return [RecordHit(str(k), int(r), int(v), str(n), str(on or ""), str(t)) for k, r, v, n, on, t in rows]
