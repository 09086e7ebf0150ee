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
        # Any of its action items still open (snoozed ones are open too): read from the two
        # partial indexes, a few thousand ids, instead of walking every interaction.
        clauses.append("i.id IN (SELECT interaction_id FROM action_item WHERE state = 'open'"
                       " UNION ALL SELECT interaction_id FROM action_item WHERE state = 'snoozed')")
    return clauses, params
