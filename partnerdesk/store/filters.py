"""The WHERE clause behind every list, count and timeline: one place that reads a filter."""

from __future__ import annotations

from typing import Any

from partnerdesk.domain.models import InteractionFilter
from partnerdesk.domain.vocab import Channel, Tag
from partnerdesk.store.timecodec import to_epoch


def where_clause(f: InteractionFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.vendor_ids:
        clauses.append(f"i.vendor_id IN ({','.join('?' * len(f.vendor_ids))})")
        params.extend(f.vendor_ids)
    if f.tag:
        clauses.append("i.tag = ?")
        params.append(Tag(f.tag).value)
    if f.channel:
        clauses.append("i.channel = ?")
        params.append(Channel(f.channel).value)
    if f.since:
        clauses.append("i.occurred_at >= ?")
        params.append(to_epoch(f.since))
    if f.until:
        clauses.append("i.occurred_at < ?")
        params.append(to_epoch(f.until))
    if f.open_follow_up:
        clauses.append("i.follow_up_due IS NOT NULL AND i.follow_up_done_at IS NULL")
    return clauses, params
