"""When a poll ends, tell its author and everyone who voted (Mastodon's `poll` notification).

The job body for `poll.end`. A poll with many voters is told in batches, each its own job, so
no single transaction grows with the size of the organisation.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import EndPoll
from zwitscher.services.notify import notify

BATCH = 500


async def end_poll(uow: UnitOfWork, *, poll_id: int, after_voter_id: int | None = None) -> None:
    poll = await uow.polls.get(poll_id)
    # Gone with its status, or edited to run longer: its new end has a job of its own.
    if poll is None or poll.expires_at > utcnow():
        return
    status = await uow.statuses.get(poll.status_id)
    if status is None:
        return
    if after_voter_id is None:
        if not await uow.polls.mark_ended(poll_id):
            return  # told already (an edit that shortened it ended it earlier)
        for recipient_id in {status.account_id, status.posted_by_id} - {None}:
            await notify(uow, recipient_id=recipient_id, actor_id=status.account_id,
                         type="poll", status_id=status.id)
    voter_ids = await uow.polls.voter_ids(poll_id, after=after_voter_id, limit=BATCH)
    for voter_id in voter_ids:
        await notify(uow, recipient_id=voter_id, actor_id=status.account_id, type="poll",
                     status_id=status.id)
    if len(voter_ids) == BATCH:
        await uow.enqueue(EndPoll(poll_id=poll_id, after_voter_id=voter_ids[-1]))
