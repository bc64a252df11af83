"""Who may read and change a monitor.

A person's own monitor is theirs alone. A team monitor belongs to a group: its members (of
the group or of any group below it) and its managers (of it or of a group above it) read it;
the managers, the admins among its readers, and whoever created it while they are still a
member change it. Someone who leaves the team loses the team's monitors with it, their
creator too. To anyone else a monitor does not exist (404), so nobody learns which monitors
others keep.

A webhook sees what whoever last gave its address may see, and sends only while they may
read the monitor: it never carries more than someone responsible for it could read.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.policies.groups import may_manage_group


async def may_read_monitor(uow: UnitOfWork, monitor: sa.Row, account_id: int | None) -> bool:
    if account_id is None:
        return False
    if monitor.owner_id is not None:
        return monitor.owner_id == account_id
    return await uow.groups.is_member(account_id, monitor.group_id) \
        or await uow.groups.manages(account_id, monitor.group_id)


async def may_change_monitor(uow: UnitOfWork, monitor: sa.Row, actor: Actor) -> bool:
    if monitor.owner_id is not None:
        return monitor.owner_id == actor.account_id
    if await may_manage_group(uow, actor, monitor.group_id):
        return True
    return actor.account_id is not None and monitor.created_by_id == actor.account_id \
        and await uow.groups.is_member(actor.account_id, monitor.group_id)


async def readable_monitor(uow: UnitOfWork, monitor_id: int, account_id: int | None) -> sa.Row:
    monitor = await uow.monitors.get(monitor_id)
    if monitor is None or not await may_read_monitor(uow, monitor, account_id):
        raise NotFound("No such monitor")
    return monitor


async def changeable_monitor(uow: UnitOfWork, monitor_id: int, actor: Actor) -> sa.Row:
    """The monitor `actor` may change; 404 when they may not even read it, 403 for a member
    of its team who may read it but not change it."""
    monitor = await readable_monitor(uow, monitor_id, actor.account_id)
    if not await may_change_monitor(uow, monitor, actor):
        raise Forbidden("Only the team's managers and the monitor's creator may change it")
    return monitor


def webhook_reader(monitor: sa.Row) -> int | None:
    """Whose eyes the webhook sees with: whoever last gave its address (a personal monitor's
    owner)."""
    return monitor.owner_id or monitor.webhook_set_by_id


async def webhook_sends(uow: UnitOfWork, monitor: sa.Row) -> bool:
    """Whether the webhook's reader may still read the monitor (a team monitor's webhook
    stops when they leave the team, until someone who reads it gives the address again)."""
    return await may_read_monitor(uow, monitor, webhook_reader(monitor))
