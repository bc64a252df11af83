"""Who receives a status in home feeds and on streams: one function for its posting, its
edits and its deletion, so the three never disagree.

`visibility.py` answers whether one viewer may *read* a status; this answers whom it is
*pushed to* (Mastodon's FanOutOnWriteService), which is narrower.

Home (`home_channel` of each account, and on posting its home feed):
- the author, always;
- public, unlisted, private: the author's followers; direct: mentioned followers only;
- internal: followers who are people of the organisation (never guests);
- group: every member of the addressed groups (and of the groups below them), whether they
  follow the author or not: addressing a group is how an organisation reaches "field sales
  south" without everyone following everyone;
- a reblog: only followers who did not turn reblogs off for the reblogger;
- a reply to someone else: only followers who also follow the replied-to account;
- followed hashtags: a public post (never a reblog) also reaches everyone who follows one of
  its hashtags, an internal one the insiders among them;
- never someone who blocks or mutes the author (or the reblogged author), or whom they block;
- of an author moderators limited: no hashtag followers but the author's own followers, and
  no public or hashtag channel (as Mastodon: a limited account's posts reach its followers).
Hybrid fan-out: an author with `fan_out_on_read` (very many followers) reaches no followers'
homes one by one; their statuses go out once on the author's broadcast channel (an internal
one on the channel only insiders' sessions hear), except direct and group statuses (as above)
and replies to others (only the author's own home, as the read-time merge leaves them out).
Shared channels: the broadcast channel, the addressed groups' channels, the channels of the
lists the status enters, for a public status (never a reblog) the public and hashtag ones, and
for any status with a live event's hashtag (never a reblog) the event's channel, whose streams
ask for each reader whether they may read it.

The occasions differ only as written here:
- POST: as above; the result also names whom to notify (followers who asked to be told of the
  author's posts, and group members, who are notified as if mentioned).
- EDIT: as POST, and those mentioned who may read it (they were notified of it, so may be
  showing it; `mentioned_readers`, the rule posting notifies by).
- DELETE: the status is gone and relationships may have changed since it went out, so the
  deletion goes to everyone the status may have reached: the mentioned readers, and none of the
  narrowing by taste or thread (blocks, mutes, reblog settings, replies to others) applies.
  Lists hear it when the author is a member and the status was for followers (public,
  unlisted, private: a list's owner follows its members). It never goes beyond visibility:
  nobody learns the id of a direct, group or internal status they were not meant to know of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import (
    broadcast_channel,
    event_channel,
    group_channel,
    hashtag_channel,
    list_channel,
    public_channel,
)
from zwitscher.domain.visibility import Visibility

PUBLIC = Visibility.PUBLIC.value
INTERNAL = Visibility.INTERNAL.value
DIRECT = Visibility.DIRECT.value
GROUP = Visibility.GROUP.value
# Statuses whose readers are (at most) the author's followers: a list's owner follows its
# members, so a list may hear of these.
FOR_FOLLOWERS = {PUBLIC, Visibility.UNLISTED.value, Visibility.PRIVATE.value}


class Occasion(StrEnum):
    POST = "post"
    EDIT = "edit"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """What a status's audience depends on: read from its row while it exists (`facts_of`),
    carried by the deletion job after it is gone."""

    id: int
    author_id: int
    visibility: str
    is_reblog: bool = False
    # Of the status itself or, for a reblog, of the reblogged one:
    subject_author_id: int | None = None  # None: the author
    replied_to_id: int | None = None  # the account it answers
    mentioned: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    with_media: bool = False


@dataclass(frozen=True, slots=True)
class Audience:
    home: tuple[int, ...]  # accounts whose own channel (on posting: home feed) gets it
    channels: tuple[str, ...]  # the shared channels, in the order they are published to
    mentioned: tuple[int, ...] = ()
    # POST only: followers to notify of a new post, and group members to notify as mentioned.
    subscribers: tuple[int, ...] = ()
    group_members: tuple[int, ...] = ()
    # The author's followers who merge it into their homes when they read (hybrid fan-out:
    # the broadcast channel), how many: they have no home-feed row of it.
    merged_at_read: int = 0


async def facts_of(uow: UnitOfWork, status: sa.Row) -> StatusFacts:
    original = await uow.statuses.get(status.reblog_of_id) if status.reblog_of_id else None
    subject = original or status
    is_public = status.visibility == PUBLIC and original is None
    return StatusFacts(
        id=status.id, author_id=status.account_id, visibility=status.visibility,
        is_reblog=original is not None, subject_author_id=subject.account_id,
        replied_to_id=subject.in_reply_to_account_id,
        mentioned=tuple((await uow.statuses.mentions_of([subject.id])).get(subject.id, [])),
        tags=tuple((await uow.statuses.tags_of([subject.id])).get(subject.id, [])),
        group_ids=tuple(await uow.statuses.group_ids_of(status.id))
        if status.visibility == GROUP else (),
        with_media=is_public and bool(await uow.media.of_status(status.id)))


async def audience(uow: UnitOfWork, status: StatusFacts, *, occasion: Occasion) -> Audience:
    """Who receives `status` on this occasion (see the module's docstring)."""
    retracting = occasion is Occasion.DELETE
    visibility, author_id = status.visibility, status.author_id
    subject_author_id = status.subject_author_id or author_id
    reply_to_other = status.replied_to_id not in (None, subject_author_id)
    hidden = set() if retracting else await uow.relationships.hiding_any(
        {author_id, subject_author_id})
    author = await uow.accounts.get(author_id)
    home, channels = {author_id}, []
    merged_at_read = 0
    subscribers: list[int] = []
    members: set[int] = set()
    if visibility == GROUP:
        members = set(await uow.groups.member_ids(list(status.group_ids))) - hidden
        members.discard(author_id)
        home |= members
        channels += [group_channel(group_id) for group_id in status.group_ids]
    elif author is not None and author.fan_out_on_read and visibility != DIRECT:
        if retracting or not reply_to_other:
            channels.append(broadcast_channel(author_id, internal=visibility == INTERNAL))
            merged_at_read = author.followers_count
        if occasion is Occasion.POST and not status.is_reblog:
            # Those who asked to be notified still are, one by one (they are few).
            notified = await uow.relationships.notifying_followers(author_id)
            subscribers = sorted({row.account_id for row in notified} - hidden)
    else:
        followers = await _followers(uow, status, retracting=retracting)
        reached = {row.account_id for row in followers}
        if reply_to_other and not (retracting or status.is_reblog):
            replied_to = status.replied_to_id
            reached &= {row.account_id for row in
                        await uow.relationships.follower_ids(replied_to)} | {replied_to}
        reached -= hidden
        home |= reached
        if occasion is Occasion.POST and not status.is_reblog:
            subscribers = sorted(row.account_id for row in followers
                                 if row.notify and row.account_id in reached)
    # A deletion still goes everywhere: the author may have been limited after posting.
    limited = not retracting and author is not None and author.limited_at is not None
    tag_followers = await _tag_followers(uow, status) - hidden
    if limited and tag_followers:
        tag_followers &= {row.account_id for row in
                          await uow.relationships.follower_ids(author_id)}
    home |= tag_followers
    if occasion is not Occasion.POST:
        home.update(await mentioned_readers(uow, visibility=visibility,
                                            mentioned=status.mentioned,
                                            group_ids=status.group_ids))
    channels += [list_channel(list_id) for list_id in await _lists(uow, status, retracting)]
    if visibility == PUBLIC and not status.is_reblog and not limited:
        channels += _public_channels(status.tags, with_media=status.with_media)
    if status.tags and not status.is_reblog:
        # Whoever may read it there is asked by each event stream (`streaming/events.py`).
        channels += [event_channel(event.id)
                     for event in await uow.live_events.live_with_tags(status.tags)]
    return Audience(tuple(sorted(home)), tuple(channels), status.mentioned,
                    tuple(subscribers), tuple(sorted(members)), merged_at_read)


async def mentioned_readers(uow: UnitOfWork, *, visibility: str, mentioned: Sequence[int],
                           group_ids: Sequence[int]) -> list[int]:
    """Those mentioned who may read the status, in the order mentioned: of an internal one
    the insiders, of a group one the members of its groups (or of groups below them). A
    mention opens no door the visibility keeps shut: only these are notified of a new status,
    and only these hear of its edits and deletion."""
    if visibility == INTERNAL:
        allowed = set(await uow.accounts.insider_ids(list(mentioned)))
    elif visibility == GROUP:
        allowed = set(await uow.groups.member_ids(list(group_ids)))
    else:
        return list(mentioned)
    return [account_id for account_id in mentioned if account_id in allowed]


async def _followers(uow: UnitOfWork, status: StatusFacts, *, retracting: bool
                     ) -> list[sa.Row]:
    """The author's followers the status is for, with their follow options."""
    followers = await uow.relationships.follower_ids(status.author_id)
    if status.visibility == INTERNAL:
        insiders = set(await uow.accounts.insider_ids([row.account_id for row in followers]))
        followers = [row for row in followers if row.account_id in insiders]
    if status.visibility == DIRECT:
        mentioned = set(status.mentioned)
        followers = [row for row in followers if row.account_id in mentioned]
    if status.is_reblog and not retracting:
        followers = [row for row in followers if row.show_reblogs]
    return followers


async def _tag_followers(uow: UnitOfWork, status: StatusFacts) -> set[int]:
    if status.is_reblog or status.visibility not in (PUBLIC, INTERNAL):
        return set()
    followers = await uow.tags.follower_ids(list(status.tags))
    if followers and status.visibility == INTERNAL:
        followers = set(await uow.accounts.insider_ids(sorted(followers)))
    return followers


async def _lists(uow: UnitOfWork, status: StatusFacts, retracting: bool) -> list[int]:
    """The lists whose live streams hear of it. Lists are read from `statuses`, so only their
    streams need telling: of a new or edited status, each list it enters by the rules of the
    list timeline, judged for the list's owner."""
    if not retracting:
        return await uow.lists.receiving(status.id)
    if status.visibility in FOR_FOLLOWERS:
        return await uow.lists.ids_containing(status.author_id)
    return []


def _public_channels(tags: tuple[str, ...], *, with_media: bool) -> list[str]:
    channels = [public_channel(), public_channel(local=True)]
    if with_media:
        channels += [public_channel(media=True), public_channel(local=True, media=True)]
    for tag in tags:
        channels += [hashtag_channel(tag), hashtag_channel(tag, local=True)]
    return channels
