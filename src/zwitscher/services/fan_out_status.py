"""Deliver a committed status into the home feeds of those who should see it.

Runs as a job (the outbox row was written with the status). Idempotent: feed rows are
inserted ignoring duplicates, and notifications of type `status` are only created once
because the job deletes itself in the same transaction as its writes.

Who receives a status in their home feed (as Mastodon decides):
- public, unlisted, private: the author's followers; direct: mentioned followers only;
- a reblog: followers who did not turn reblogs off for the reblogger;
- a reply to someone else: only followers who also follow the replied-to account;
- never someone who blocks or mutes the author (or the reblogged author);
- internal: followers who are people of the organisation (never guests);
- group: every member of the addressed groups (and of the groups below them), whether they
  follow the author or not, and each is notified: addressing a group is how an organisation
  reaches "field sales south" without everyone following everyone;
- followed hashtags: a public post (never a reblog) also reaches everyone who follows one of
  its hashtags, and an internal one the people of the organisation among them (Mastodon has
  no internal posts; this is its public post for the organisation). Blocks and mutes apply.

Hybrid fan-out: an author with `fan_out_on_read` (very many followers) gets no per-follower
feed rows. Home timelines merge their statuses in when read, and live streams hear them on one
channel per author (`timeline:broadcast:{id}`) that followers' sessions subscribe to, so a
post to 100,000 people costs one write and one publish. Direct statuses and replies to others
are never broadcast (the first go to mentioned followers as usual; the second reach only the
author's own feed, as the read-time merge leaves them out too). Internal posts go out on the
author's internal broadcast channel, which only insiders' sessions subscribe to; group posts
are always written to their members' feeds.
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
    broadcast_channel: str | None = None
    group_channels: list[str] = field(default_factory=list)
    list_channels: list[str] = field(default_factory=list)


def group_channel(group_id: int) -> str:
    """Where posts addressed to a group stream to its members' group streams."""
    return f"group:{group_id}"


def list_channel(list_id: int) -> str:
    """Where a list's new posts stream to its owner's list streams."""
    return f"list:{list_id}"


def direct_channel(account_id: int) -> str:
    """Where a participant's conversations stream (the `direct` stream)."""
    return f"direct:{account_id}"


def broadcast_channel(author_id: int, *, internal: bool = False) -> str:
    return f"timeline:broadcast:{author_id}" + (":internal" if internal else "")


@dataclass(slots=True)
class _Audience:
    delivery: FanOut
    followers: list[sa.Row]
    candidates: set[int]
    is_reblog: bool
    group_members: list[int] = field(default_factory=list)


async def _audience(uow: UnitOfWork, status: sa.Row) -> _Audience:
    audience = await _social_audience(uow, status)
    tag_followers = await _tag_followers(uow, status, audience.delivery.tags)
    if tag_followers:
        audience.delivery.recipients = sorted(set(audience.delivery.recipients) | tag_followers)
    return audience


async def _tag_followers(uow: UnitOfWork, status: sa.Row, tags: list[str]) -> set[int]:
    if status.reblog_of_id is not None or status.visibility not in (
            Visibility.PUBLIC.value, Visibility.INTERNAL.value):
        return set()
    followers = await uow.tags.follower_ids(tags)
    if followers and status.visibility == Visibility.INTERNAL.value:
        followers = set(await uow.accounts.insider_ids(sorted(followers)))
    if followers:
        followers -= await uow.relationships.hiding_any({status.account_id})
    return followers


async def _social_audience(uow: UnitOfWork, status: sa.Row) -> _Audience:
    """Who the author's followers, mentions and groups make the audience."""
    original = await uow.statuses.get(status.reblog_of_id) if status.reblog_of_id else None
    subject = original or status
    mentioned = (await uow.statuses.mentions_of([subject.id])).get(subject.id, [])
    tags = (await uow.statuses.tags_of([subject.id])).get(subject.id, [])
    author = await uow.accounts.get(status.account_id)
    if status.visibility == Visibility.GROUP.value:
        return await _group_audience(uow, status, mentioned, tags)
    if author.fan_out_on_read and status.visibility != Visibility.DIRECT.value:
        return await _broadcast_audience(uow, status, subject, original, mentioned, tags)
    followers = await uow.relationships.follower_ids(status.account_id)
    if status.visibility == Visibility.INTERNAL.value:
        insiders = set(await uow.accounts.insider_ids([f.account_id for f in followers]))
        followers = [f for f in followers if f.account_id in insiders]

    if status.visibility == Visibility.DIRECT.value:
        mentioned_set = set(mentioned)
        followers = [f for f in followers if f.account_id in mentioned_set]
    if original is not None:
        followers = [f for f in followers if f.show_reblogs]
    candidates = {f.account_id for f in followers}
    if original is None and _is_reply_to_other(subject):
        replied_to = subject.in_reply_to_account_id
        following_replied_to = {row.account_id for row in
                                await uow.relationships.follower_ids(replied_to)}
        candidates &= following_replied_to | {replied_to}
    authors = {status.account_id, subject.account_id}
    candidates -= await uow.relationships.hiding_any(authors)
    recipients = sorted(candidates | {status.account_id})
    return _Audience(FanOut(recipients, mentioned, tags), followers, candidates,
                     original is not None)


def _is_reply_to_other(subject: sa.Row) -> bool:
    return (subject.in_reply_to_account_id is not None
            and subject.in_reply_to_account_id != subject.account_id)


async def _broadcast_audience(uow: UnitOfWork, status: sa.Row, subject: sa.Row,
                              original: sa.Row | None, mentioned: list[int],
                              tags: list[str]) -> _Audience:
    """Only the author's own feed is written; followers who asked to be notified of new
    posts still are, one by one (they are few)."""
    notified = await uow.relationships.notifying_followers(status.account_id)
    candidates = {f.account_id for f in notified}
    candidates -= await uow.relationships.hiding_any({status.account_id, subject.account_id})
    internal = status.visibility == Visibility.INTERNAL.value
    channel = None if _is_reply_to_other(subject) else broadcast_channel(status.account_id,
                                                                           internal=internal)
    delivery = FanOut([status.account_id], mentioned, tags, channel)
    return _Audience(delivery, notified, candidates, original is not None)


async def _group_audience(uow: UnitOfWork, status: sa.Row, mentioned: list[int],
                          tags: list[str]) -> _Audience:
    group_ids = await uow.statuses.group_ids_of(status.id)
    members = set(await uow.groups.member_ids(group_ids))
    members -= await uow.relationships.hiding_any({status.account_id})
    members.discard(status.account_id)
    recipients = sorted(members | {status.account_id})
    delivery = FanOut(recipients, mentioned, tags,
                      group_channels=[group_channel(g) for g in group_ids])
    return _Audience(delivery, [], members, False, group_members=sorted(members))


async def _with_lists(uow: UnitOfWork, status: sa.Row) -> _Audience:
    """Lists are read from `statuses` when their timeline is read; only their live streams
    need telling, for each list the status enters (judged for the list's owner)."""
    audience = await _audience(uow, status)
    audience.delivery.list_channels = [list_channel(list_id) for list_id in
                                       await uow.lists.receiving(status.id)]
    return audience


async def audience_of(uow: UnitOfWork, *, status: sa.Row) -> FanOut:
    """Who should see `status` live now (e.g. its edit), without writing anything."""
    return (await _with_lists(uow, status)).delivery


async def fan_out_status(uow: UnitOfWork, *, status: sa.Row) -> FanOut:
    audience = await _with_lists(uow, status)
    await uow.home_feed.add(status_id=status.id, author_id=status.account_id,
                            account_ids=audience.delivery.recipients)
    mentioned = set(audience.delivery.mentioned)
    for member_id in audience.group_members:
        if member_id not in mentioned:  # those were notified when it was posted
            await notify(uow, recipient_id=member_id, actor_id=status.account_id,
                         type="mention", status_id=status.id)
    if not audience.is_reblog:
        for follower in audience.followers:
            if follower.notify and follower.account_id in audience.candidates:
                await notify(uow, recipient_id=follower.account_id, actor_id=status.account_id,
                             type="status", status_id=status.id)
    return audience.delivery

