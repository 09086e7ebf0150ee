"""Things that happened to a vendor: acquisitions, programme and compensation changes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import col, select

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.models import VendorEvent
from partnerdesk.domain.validation import check_day, clean_line
from partnerdesk.domain.vocab import EventKind
from partnerdesk.store.tables import VendorEventRow
from partnerdesk.store.timecodec import from_iso_day, now_epoch

if TYPE_CHECKING:
    from partnerdesk.store.journal import Journal

EVENT_TEXT_MAX = 2000


class EventStore:
    def __init__(self, journal: Journal):
        self._j = journal

    def for_vendor(self, vendor_id: int) -> list[VendorEvent]:
        with self._j.session() as s:
            rows = s.exec(select(VendorEventRow).where(VendorEventRow.vendor_id == vendor_id)
                          .order_by(col(VendorEventRow.occurred_on), col(VendorEventRow.id))).all()
        return [_to_event(r) for r in rows]

    def all(self) -> list[VendorEvent]:
        with self._j.session() as s:
            rows = s.exec(select(VendorEventRow).order_by(col(VendorEventRow.occurred_on),
                                                          col(VendorEventRow.id))).all()
        return [_to_event(r) for r in rows]

    def add(self, vendor_id: int, on: date, kind: EventKind, text: str) -> VendorEvent:
        check_day(on, "The event's date")
        text = clean_line(text)
        if not text:
            raise InvalidInput("The event has no text; say what happened (e.g. 'Acquired by CenturyLink').")
        if len(text) > EVENT_TEXT_MAX:
            raise InvalidInput(f"The event text is too long; keep it under {EVENT_TEXT_MAX} characters.")
        with self._j.session(write=True) as s, s.begin():
            row = VendorEventRow(vendor_id=vendor_id, occurred_on=on.isoformat(),
                                 kind=EventKind(kind).value, text=text, created_at=now_epoch())
            s.add(row)
            s.flush()
            eid = row.id
        assert eid is not None
        return VendorEvent(id=eid, vendor_id=vendor_id, on=on, kind=EventKind(kind), text=text)

    def delete(self, event_id: int) -> None:
        with self._j.session(write=True) as s, s.begin():
            row = s.get(VendorEventRow, event_id)
            if row is None:
                raise NotFound(f"Event #{event_id} does not exist.")
            s.delete(row)


def _to_event(r: VendorEventRow) -> VendorEvent:
    assert r.id is not None
    kind = EventKind(r.kind) if r.kind in EventKind._value2member_map_ else EventKind.OTHER
    day = from_iso_day(r.occurred_on)
    assert day is not None
    return VendorEvent(id=r.id, vendor_id=r.vendor_id, on=day, kind=kind, text=r.text)
