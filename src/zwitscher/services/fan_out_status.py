"""Deliver a committed status into the home feeds of those who should see it.

Runs as a job (the outbox row was written with the status). Idempotent: feed rows are
inserted ignoring duplicates, and notifications of type `status` are only created once
because the job deletes itself in the same transaction as its writes.

Who receives it is `policies/audience.py` (the same answer the edit and delete announcements
get). Here: their home feed rows, and the notifications a new post causes: followers who asked
to be told of the author's posts, and members of addressed groups, who are notified as if
mentioned (the mentioned ones already were, when it was posted).

Hybrid fan-out: an author with `fan_out_on_read` (very many followers) gets no per-follower
feed rows; home timelines merge their statuses in when read, and live streams hear them on the
author's broadcast channel, so a post to 100,000 people costs one write and one publish.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.policies.audience import Audience, Occasion, audience, facts_of
from zwitscher.services.notify import notify
from zwitscher.services.record_analytics import count_deliveries


async def fan_out_status(uow: UnitOfWork, *, status: sa.Row) -> Audience:
    """Write the status into its audience's home feeds and notify; returns the audience, for
    the live streams."""
    reach = await audience(uow, await facts_of(uow, status), occasion=Occasion.POST)
    await uow.home_feed.add(status_id=status.id, author_id=status.account_id,
                            account_ids=list(reach.home))
    await count_deliveries(uow, status=status, reach=reach)
    for member_id in reach.group_members:
        if member_id not in reach.mentioned:  # those were notified when it was posted
            await notify(uow, recipient_id=member_id, actor_id=status.account_id,
                         type="mention", status_id=status.id)
    for follower_id in reach.subscribers:
        await notify(uow, recipient_id=follower_id, actor_id=status.account_id,
                     type="status", status_id=status.id)
    return reach
