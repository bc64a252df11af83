"""Give a status its poll, or change the one it has. Each poll's end is a job due at its end,
so voters are told the result even if no one looks at the poll again."""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import EndPoll
from zwitscher.domain.polls import PollDraft, checked_poll


def check_poll(uow: UnitOfWork, poll: PollDraft | None) -> PollDraft | None:
    if poll is None:
        return None
    return checked_poll(poll, min_expires_seconds=uow.settings.poll_min_expires_seconds)


async def attach_poll(uow: UnitOfWork, *, status_id: int, poll: PollDraft) -> None:
    expires_at = utcnow() + timedelta(seconds=poll.expires_in)
    poll_id = await uow.polls.add(status_id=status_id, options=list(poll.options),
                                  multiple=poll.multiple, hide_totals=poll.hide_totals,
                                  expires_at=expires_at)
    await _end_at_expiry(uow, poll_id=poll_id, expires_in=poll.expires_in)


async def replace_poll(uow: UnitOfWork, *, status_id: int, poll: PollDraft | None) -> None:
    """An edit, by Mastodon's rules: an edit without a poll removes it; other options or
    another choice mode start the vote afresh (votes for the old options would mislead);
    either way the poll runs `expires_in` from now. `poll` has passed `check_poll`."""
    existing = await uow.polls.of_status(status_id)
    if existing is None:
        if poll is not None:
            await attach_poll(uow, status_id=status_id, poll=poll)
        return
    if poll is None:
        await uow.polls.delete(existing.id)
        return
    if list(poll.options) != existing.options or poll.multiple != existing.multiple:
        await uow.polls.reset_votes(existing.id)
    await uow.polls.update(existing.id, options=list(poll.options), multiple=poll.multiple,
                           hide_totals=poll.hide_totals, ended_at=None,
                           expires_at=utcnow() + timedelta(seconds=poll.expires_in))
    await _end_at_expiry(uow, poll_id=existing.id, expires_in=poll.expires_in)


async def _end_at_expiry(uow: UnitOfWork, *, poll_id: int, expires_in: int) -> None:
    # The job's due time is taken after `expires_at`, so it never runs before the poll ends.
    await uow.enqueue(EndPoll(poll_id=poll_id), delay=timedelta(seconds=expires_in))
