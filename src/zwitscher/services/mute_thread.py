"""Mute a thread (Mastodon's "mute conversation"), or unmute it: no notifications come from
its statuses any more (`notify`), whoever causes them.

As Mastodon's server does, anyone who may see a status may mute its thread (its documentation
asks for a thread one takes part in, but the server does not check it, and a thread one only
reads can be as loud). Muting a boost mutes the thread of the boosted status, as favouriting a
boost favourites the original.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound


async def mute_thread(uow: UnitOfWork, *, account_id: int, status_id: int, on: bool) -> sa.Row:
    """The status (the boosted one for a boost), for presenting with `muted`."""
    status = await uow.statuses.get_visible(status_id, account_id)
    if status is not None and status.reblog_of_id is not None:
        status = await uow.statuses.get_visible(status.reblog_of_id, account_id)
    if status is None:
        raise NotFound()
    root_status_id = status.thread_root_id or status.id
    if on:
        await uow.interactions.mute_thread(account_id=account_id, root_status_id=root_status_id)
    else:
        await uow.interactions.unmute_thread(account_id=account_id,
                                             root_status_id=root_status_id)
    return status
