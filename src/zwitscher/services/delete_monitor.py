"""Delete a monitor, its matches and counts with it (whoever may change it)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor
from zwitscher.policies.monitors import changeable_monitor


async def delete_monitor(uow: UnitOfWork, *, actor: Actor, monitor_id: int) -> None:
    monitor = await changeable_monitor(uow, monitor_id, actor)
    await uow.monitors.delete(monitor.id)
