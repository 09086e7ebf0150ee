"""The shared setting table and the one reader of vendor promises."""

from __future__ import annotations

from datetime import UTC, date, datetime

from partnerdesk.domain.action_items import ItemState
from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.vocab import FollowUpOwner, Tag
from partnerdesk.store.journal import Journal
from partnerdesk.store.promises import vendor_promises
from partnerdesk.store.settings import get_setting, set_setting


def test_settings_round_trip(tmp_path):
    with Journal.open(tmp_path / "j.sqlite3") as j:
        with j.reading() as conn:
            assert get_setting(conn, "timezone") is None
            assert get_setting(conn, "timezone", "UTC") == "UTC"
        with j.writing() as conn:
            set_setting(conn, "timezone", "Australia/Sydney")
        with j.reading() as conn:
            assert get_setting(conn, "timezone") == "Australia/Sydney"
        with j.writing() as conn:
            set_setting(conn, "timezone", None)
        with j.reading() as conn:
            assert get_setting(conn, "timezone") is None


def test_vendor_promises_reads_open_and_kept(tmp_path):
    with Journal.open(tmp_path / "j.sqlite3") as j:
        v = j.vendors.add("Meridian")
        w = j.vendors.add("Other")
        at = datetime(2026, 3, 2, 10, tzinfo=UTC)
        j.interactions.add(InteractionDraft(vendor_id=v.id, occurred_at=at, summary="QBR",
                                            tag=Tag.HELPFUL, follow_up=FollowUp(
                                                due=date(2026, 3, 9), what="Send pricing",
                                                owner=FollowUpOwner.VENDOR)))
        j.interactions.add(InteractionDraft(vendor_id=w.id, occurred_at=at, summary="Call",
                                            tag=Tag.HELPFUL, follow_up=FollowUp(
                                                due=date(2026, 3, 9), what="My to-do",
                                                owner=FollowUpOwner.ME)))
        with j.reading() as conn:
            promises = vendor_promises(conn)
            assert [p.what for p in promises] == ["Send pricing"]
            assert vendor_promises(conn, [w.id]) == []
            assert vendor_promises(conn, []) == []
        p = promises[0]
        assert p.state is ItemState.OPEN and p.is_open and not p.broken
        assert p.is_overdue(date(2026, 3, 10)) and not p.is_overdue(date(2026, 3, 9))
