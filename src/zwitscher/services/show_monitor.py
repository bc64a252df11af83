"""Read monitors: the list a person may read, one monitor, and its timeline.

A monitor's timeline holds the posts stored for it (`services/match_monitors.py`), read
through the visibility rules again for each reader: a team member never reads a post through
the team's monitor that they could not read anyway.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor
from zwitscher.policies.monitors import may_change_monitor, may_read_monitor, readable_monitor


async def list_monitors(uow: UnitOfWork, *, account_id: int) -> list[sa.Row]:
    return await uow.monitors.readable_by(account_id)


async def show_monitor(uow: UnitOfWork, *, account_id: int, monitor_id: int) -> sa.Row:
    return await readable_monitor(uow, monitor_id, account_id)


async def may_change(uow: UnitOfWork, *, actor: Actor, monitor: sa.Row) -> bool:
    return await may_change_monitor(uow, monitor, actor)


async def monitor_timeline(uow: UnitOfWork, *, account_id: int, monitor_id: int,
                           page: Page) -> list[int]:
    """The ids of the monitor's posts the reader may see, newest first."""
    monitor = await readable_monitor(uow, monitor_id, account_id)
    return await uow.monitors.timeline(monitor.id, account_id, page)


async def monitor_shows(uow: UnitOfWork, *, account_id: int, monitor_id: int,
                        status_id: int) -> bool:
    """Whether a post is in the monitor's timeline for the reader (asked by its stream)."""
    monitor = await uow.monitors.get(monitor_id)
    return (monitor is not None and await may_read_monitor(uow, monitor, account_id)
            and await uow.monitors.shows(monitor.id, status_id, account_id))
