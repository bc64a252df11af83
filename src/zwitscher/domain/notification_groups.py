"""Grouped notifications (Mastodon 4.3's API v2): which notifications share a group.

Favourites and reblogs of one status, and follows, share a `group_key` when they come within
hours of each other: `favourite-<status id>-<hour>`, `follow-<hour>`, where `<hour>` counts
hours since 1970 and is that of the group's first notification; a group takes newcomers for
`MAX_SPAN_HOURS`, then a new one begins. Every other notification is a group of its own,
`ungrouped-<notification id>`, as is any whose type the client did not ask to have grouped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from zwitscher.domain.ids import parse_id

GROUPABLE_TYPES = frozenset({"favourite", "reblog", "follow"})
MAX_SPAN_HOURS = 12
SAMPLE_ACCOUNTS = 8
UNGROUPED = "ungrouped-"


def hour_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 3600


def group_prefix(type: str, status_id: int | None) -> str | None:
    """The part of the key before the hour; None for types that are never grouped."""
    if type not in GROUPABLE_TYPES:
        return None
    return f"{type}-{status_id}" if status_id is not None else type


def candidate_keys(prefix: str, hour: int) -> list[str]:
    """Keys of groups a notification of this hour may still join, newest first."""
    return [f"{prefix}-{hour - back}" for back in range(MAX_SPAN_HOURS)]


def effective_key(notification_id: int, type: str, group_key: str | None,
                  grouped_types: frozenset[str]) -> str:
    if group_key is not None and type in grouped_types:
        return group_key
    return f"{UNGROUPED}{notification_id}"


def ungrouped_id(key: str) -> int | None:
    """The notification id of an `ungrouped-<id>` key."""
    if not key.startswith(UNGROUPED):
        return None
    return parse_id(key[len(UNGROUPED):])


@dataclass
class PageGroup:
    """A group as far as one page of notifications shows it."""

    key: str
    latest: object  # the newest notification row of the group in this page
    page_min_id: int
    page_max_id: int
    rows: list = field(default_factory=list)


def collect(rows: list, grouped_types: frozenset[str], limit: int,
            groups: dict[str, PageGroup]) -> bool:
    """Add rows (in reading order) to `groups` until a row would open group `limit + 1`;
    returns False when that happened (the page is full), True while there is room."""
    for row in rows:
        key = effective_key(row.id, row.type, row.group_key, grouped_types)
        group = groups.get(key)
        if group is None:
            if len(groups) >= limit:
                return False
            group = groups[key] = PageGroup(key, row, row.id, row.id)
        group.rows.append(row)
        group.page_min_id = min(group.page_min_id, row.id)
        group.page_max_id = max(group.page_max_id, row.id)
        if row.id > group.latest.id:
            group.latest = row
    return True
