"""Change a monitor's query, name or alerts (its owner; for a team monitor, the team's
managers and its creator). The whole monitor is given again, checked as when it was created;
a refusal changes nothing. A webhook keeps its secret unless a new one is given, and reads
as whoever last gave its address (the same address given again takes it over)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.roles import Actor
from zwitscher.policies.monitors import changeable_monitor
from zwitscher.services.create_monitor import MonitorDraft, checked_values


async def change_monitor(uow: UnitOfWork, *, actor: Actor, monitor_id: int,
                         draft: MonitorDraft) -> sa.Row:
    monitor = await changeable_monitor(uow, monitor_id, actor)
    values = await checked_values(uow, actor=actor, draft=draft,
                                  webhook_secret=monitor.webhook_secret)
    await uow.monitors.update(monitor.id, updated_at=utcnow(), **values)
    return await uow.monitors.get(monitor.id)
