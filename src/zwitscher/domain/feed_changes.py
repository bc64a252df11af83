"""What a unit of work changed about home feeds, noted as it writes and applied to the feed
id cache (`timelines.feed_cache`) once it commits.

The repositories that write feeds, follows and statuses note these on their connection
(`note`); the unit of work hands them on after the commit, so a rolled back change never
reaches a cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NOTES = "zwitscher_feed_changes"


@dataclass(frozen=True, slots=True)
class Delivered:
    """The fan-out (or the author's own post) wrote a status into these people's feeds."""

    status_id: int
    account_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Posted:
    """An author posted a status a read-time merge would show (not a reply to another)."""

    author_id: int
    status_id: int


@dataclass(frozen=True, slots=True)
class SourcesChanged:
    """What makes up a person's feed changed otherwise (a follow, an unfollow, entries
    removed or backfilled): read it again. `account_id` None: everybody's."""

    account_id: int | None


FeedChange = Delivered | Posted | SourcesChanged


def note(info: dict[str, Any], change: FeedChange) -> None:
    """Note a change on a connection's `info`."""
    info.setdefault(NOTES, []).append(change)


def forget_after(info: dict[str, Any], count: int) -> None:
    """Forget all but the first `count` changes noted (those of a part rolled back)."""
    del info.setdefault(NOTES, [])[count:]


def count(info: dict[str, Any]) -> int:
    return len(info.get(NOTES, ()))


def noted(info: dict[str, Any]) -> list[FeedChange]:
    """The changes noted since last asked (and forget them)."""
    return info.pop(NOTES, [])
