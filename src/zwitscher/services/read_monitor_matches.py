"""What the monitors' web pages show beside the monitors themselves: how many posts each
matched lately, and which terms each post of a timeline matched."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.policies.monitors import readable_monitor

RECENT = timedelta(hours=24)


async def recent_match_counts(uow: UnitOfWork, monitor_ids: Sequence[int]) -> dict[int, int]:
    """Matches per monitor in the last 24 hours (counted by the hour, so the oldest hour
    counts whole); every monitor asked about is in the answer."""
    found = await uow.monitors.matches_since(monitor_ids, since=utcnow() - RECENT)
    return {monitor_id: found.get(monitor_id, 0) for monitor_id in monitor_ids}


async def matched_terms(uow: UnitOfWork, *, account_id: int, monitor_id: int,
                        status_ids: Sequence[int]) -> dict[int, list[str]]:
    """What each post matched in a monitor the reader reads (an empty answer otherwise is a
    404: the monitor is asked for first)."""
    monitor = await readable_monitor(uow, monitor_id, account_id)
    return await uow.monitors.terms_of(monitor.id, status_ids)
