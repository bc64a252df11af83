"""Vote in a poll before it ends, in a poll of a status you may see and did not write
(Mastodon's rules): once in a single-choice poll; in a multiple-choice poll once per option,
so further options may be added later (each voter counts once in `voters_count`)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.polls import checked_choices


async def vote_in_poll(uow: UnitOfWork, *, account_id: int, poll_id: int,
                       choices: Sequence[int]) -> tuple[sa.Row, sa.Row]:
    """The poll and its status, for presenting."""
    poll, status = await visible_poll(uow, poll_id=poll_id, viewer_id=account_id)
    if await uow.relationships.is_blocked_either_way(account_id, status.account_id):
        raise Forbidden()
    if poll.expires_at <= utcnow():
        raise ValidationFailed("The poll has already ended")
    if account_id in (status.account_id, status.posted_by_id):
        raise ValidationFailed("You cannot vote in your own polls")
    choices = checked_choices(choices, option_count=len(poll.options), multiple=poll.multiple)
    first_vote = await uow.polls.add_voter(poll.id, account_id)
    # A choice made before counts as voting twice: the transaction, and so every choice of
    # this request, is rolled back.
    if (not first_vote and not poll.multiple) or \
            await uow.polls.add_votes(poll.id, account_id, choices) < len(choices):
        raise ValidationFailed("You have already voted on this poll")
    return poll, status


async def visible_poll(uow: UnitOfWork, *, poll_id: int,
                       viewer_id: int | None) -> tuple[sa.Row, sa.Row]:
    """A poll is as visible as its status; one the viewer may not see does not exist."""
    poll = await uow.polls.get(poll_id)
    status = await uow.statuses.get_visible(poll.status_id, viewer_id) if poll else None
    if status is None:
        raise NotFound()
    return poll, status
