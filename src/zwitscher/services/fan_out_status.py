"""Deliver a committed status into the home feeds of those who should see it.

Runs as a job (the outbox row was written with the status). Idempotent: feed rows are
inserted ignoring duplicates, and notifications of type `status` are only created once
because the job deletes itself in the same transaction as its writes.

Who receives a status in their home feed (as Mastodon decides):
- public, unlisted, private: the author's followers; direct: mentioned followers only;
- a reblog: followers who did not turn reblogs off for the reblogger;
- a reply to someone else: only followers who also follow the replied-to account;
- never someone who blocks or mutes the author (or the reblogged author).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.visibility import Visibility
from zwitscher.services.notify import notify


@dataclass(slots=True)
class FanOut:
    recipients: list[int] = field(default_factory=list)
    mentioned: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Audience:
    delivery: FanOut
    followers: list[sa.Row]
    candidates: set[int]
    is_reblog: bool


async def _audience(uow: UnitOfWork, status: sa.Row) -> _Audience:
    original = await uow.statuses.get(status.reblog_of_id) if status.reblog_of_id else None
    subject = original or status
    mentioned = (await uow.statuses.mentions_of([subject.id])).get(subject.id, [])
    followers = await uow.relationships.follower_ids(status.account_id)

    if status.visibility == Visibility.DIRECT.value:
        mentioned_set = set(mentioned)
        followers = [f for f in followers if f.account_id in mentioned_set]
    if original is not None:
        followers = [f for f in followers if f.show_reblogs]
    candidates = {f.account_id for f in followers}
    if (subject.in_reply_to_account_id is not None
            and subject.in_reply_to_account_id != subject.account_id and original is None):
        replied_to = subject.in_reply_to_account_id
        following_replied_to = {row.account_id for row in
                                await uow.relationships.follower_ids(replied_to)}
        candidates &= following_replied_to | {replied_to}
    authors = {status.account_id, subject.account_id}
    candidates -= await uow.relationships.hiding_any(authors)
    recipients = sorted(candidates | {status.account_id})
    tags = (await uow.statuses.tags_of([subject.id])).get(subject.id, [])
    return _Audience(FanOut(recipients, mentioned, tags), followers, candidates,
                     original is not None)


async def audience_of(uow: UnitOfWork, *, status: sa.Row) -> FanOut:
    """Who should see `status` live now (e.g. its edit), without writing anything."""
    return (await _audience(uow, status)).delivery


async def fan_out_status(uow: UnitOfWork, *, status: sa.Row) -> FanOut:
    audience = await _audience(uow, status)
    await uow.home_feed.add(status_id=status.id, author_id=status.account_id,
                            account_ids=audience.delivery.recipients)
    if not audience.is_reblog:
        for follower in audience.followers:
            if follower.notify and follower.account_id in audience.candidates:
                await notify(uow, recipient_id=follower.account_id, actor_id=status.account_id,
                             type="status", status_id=status.id)
    return audience.delivery

