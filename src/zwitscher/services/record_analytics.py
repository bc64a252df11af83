"""Count what analytics show, in the transaction of the action that causes it.

Each function appends a few `analytics_events` rows (one statement: `AnalyticsRepo.count`);
the roll-up job (`services/roll_up_analytics.py`) turns them into buckets. Called by the
services whose actions are counted: posting, fan-out, boosts, favourites, follows, link
clicks; by those that take a favourite, a boost or a post back, which append the same counts
negated in the hour they were counted in (docs/analytics.md, "Taken back"); and by the
streams, which gather their live deliveries in batches (`streaming/live_deliveries.py`).
Nothing here says who did it: the counters are aggregates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import (
    INSTANCE_ID,
    Metric,
    Subject,
    hour_of,
    response_bucket_metric,
)
from zwitscher.domain.clock import utcnow
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.audience import Audience

_ACCOUNT, _GROUP, _INSTANCE = Subject.ACCOUNT.value, Subject.GROUP.value, Subject.INSTANCE.value


def _counts(metric: Metric, value: int, *, account_ids: Iterable[int] = (),
            group_ids: Iterable[int] = (), instance: bool = True) -> list:
    return ([(_ACCOUNT, account_id, metric.value, value) for account_id in account_ids]
            + [(_GROUP, group_id, metric.value, value) for group_id in group_ids]
            + ([(_INSTANCE, INSTANCE_ID, metric.value, value)] if instance else []))


async def _groups_of(uow: UnitOfWork, status: sa.Row) -> list[int]:
    if status.visibility != Visibility.GROUP.value:
        return []
    return list(await uow.statuses.group_ids_of(status.id))


async def count_post(uow: UnitOfWork, *, status: sa.Row, parent: sa.Row | None,
                     group_ids: Sequence[int], mentioned_ids: Iterable[int]) -> None:
    """A new status: a post of its author (and of its groups), a reply its parent's author
    received, mentions received, and a mention of the author in this thread answered."""
    author_id, now = status.account_id, status.created_at
    counts = _counts(Metric.POSTS, 1, account_ids=[author_id], group_ids=group_ids)
    if parent is not None and parent.account_id != author_id:
        counts += _counts(Metric.REPLIES, 1, account_ids=[parent.account_id],
                          group_ids=await _groups_of(uow, parent))
    mentioned = sorted(set(mentioned_ids) - {author_id})
    counts += _counts(Metric.MENTIONS, 1, account_ids=mentioned, instance=False)
    counts += _counts(Metric.MENTIONS, len(mentioned), instance=bool(mentioned))
    thread_root_id = (parent.thread_root_id or parent.id) if parent is not None else status.id
    if parent is not None:
        mentioned_at = await uow.analytics.answer_mention(account_id=author_id,
                                                          thread_root_id=thread_root_id)
        if mentioned_at is not None:
            counts += _answered(author_id, (now - mentioned_at).total_seconds())
    await uow.analytics.count(counts, at=now)
    if mentioned:
        await uow.analytics.open_mentions(mentioned, thread_root_id=thread_root_id, at=now)


def _answered(account_id: int, seconds: float) -> list:
    seconds = max(0, round(seconds))
    return [(kind, subject_id, metric, value)
            for kind, subject_id in ((_ACCOUNT, account_id), (_INSTANCE, INSTANCE_ID))
            for metric, value in ((Metric.MENTIONS_ANSWERED.value, 1),
                                  (Metric.RESPONSE_SECONDS.value, seconds),
                                  (response_bucket_metric(seconds), 1))]


async def count_deliveries(uow: UnitOfWork, *, status: sa.Row, reach: Audience) -> None:
    """A fan-out wrote `status` into the home feeds of `reach` (its author's own among them).
    An author whose followers merge their posts at read time reaches them all at once: each
    follower counts as a delivery (not for a reply to someone else: it is not merged). Boosts
    are no deliveries of their author's."""
    if status.reblog_of_id is not None:
        return
    delivered = len(set(reach.home) - {status.account_id}) + reach.merged_at_read
    await uow.analytics.count(_counts(Metric.DELIVERIES, delivered,
                                      account_ids=[status.account_id],
                                      group_ids=await _groups_of(uow, status)), at=utcnow())


async def count_live_deliveries(uow: UnitOfWork, sent: Mapping[int, int], *,
                                at: datetime) -> None:
    """Open streams (public, hashtag, group, list) that were sent new posts: `sent` maps a
    status id to how many connections got it (docs/analytics.md, "Live deliveries"). Counted
    for the author, the post's groups and the organisation; a post deleted since counts
    nothing."""
    found = await uow.statuses.get_many(list(sent))
    groups = await uow.statuses.groups_of_statuses(
        [status.id for status in found.values()
         if status.visibility == Visibility.GROUP.value])
    per_subject: Counter[tuple[str, int]] = Counter()
    for status_id, status in found.items():
        per_subject[(_ACCOUNT, status.account_id)] += sent[status_id]
        for group_id in groups.get(status_id, ()):
            per_subject[(_GROUP, group_id)] += sent[status_id]
        per_subject[(_INSTANCE, INSTANCE_ID)] += sent[status_id]
    await uow.analytics.count([(kind, subject_id, Metric.LIVE_DELIVERIES.value, value)
                               for (kind, subject_id), value in per_subject.items()], at=at)


async def count_engagement(uow: UnitOfWork, *, metric: Metric, status: sa.Row,
                           by_account_id: int, at: datetime) -> None:
    """A boost or favourite of `status` (its author's own are not counted), given `at` the
    time stored with it: taking it back subtracts in that hour."""
    if status.account_id == by_account_id:
        return
    await uow.analytics.count(_counts(metric, 1, account_ids=[status.account_id],
                                      group_ids=await _groups_of(uow, status)), at=at)


async def take_back_favourite(uow: UnitOfWork, *, status: sa.Row, by_account_id: int) -> None:
    """Before the account's favourite of `status` goes (nothing if there is none)."""
    if status.account_id == by_account_id:
        return
    at = await uow.analytics.favourited_at(account_id=by_account_id, status_id=status.id)
    if at is not None:
        await _take_back(uow, [(Metric.FAVOURITES, at)], account_id=status.account_id,
                         group_ids=await _groups_of(uow, status))


async def take_back_status(uow: UnitOfWork, *, status: sa.Row) -> None:
    """Before `status` is deleted by its author or a moderator, or a boost is undone.

    A boost takes back a boost of the original. A post takes back itself, the reply it was,
    and the favourites and replies it received (the replies stay their authors' posts; their
    deletion later finds no parent and takes back no reply twice). What reached people stays:
    its deliveries, mentions, link clicks and answered mentions."""
    if status.reblog_of_id is not None:
        original = await uow.statuses.get(status.reblog_of_id)
        if original is not None and original.account_id != status.account_id:
            await _take_back(uow, [(Metric.BOOSTS, status.created_at)],
                             account_id=original.account_id,
                             group_ids=await _groups_of(uow, original))
        return
    author_id, group_ids = status.account_id, await _groups_of(uow, status)
    await _take_back(uow, [(Metric.POSTS, status.created_at),
                           *await uow.analytics.received(status_id=status.id,
                                                         author_id=author_id)],
                     account_id=author_id, group_ids=group_ids)
    parent = (await uow.statuses.get(status.in_reply_to_id)
              if status.in_reply_to_id is not None else None)
    if parent is not None and parent.account_id != author_id:
        await _take_back(uow, [(Metric.REPLIES, status.created_at)],
                         account_id=parent.account_id, group_ids=await _groups_of(uow, parent))


async def _take_back(uow: UnitOfWork, counted: Iterable[tuple[Metric, datetime]], *,
                     account_id: int, group_ids: Sequence[int]) -> None:
    """Subtract each (metric, time counted) in its hour, unless it happened before counting
    began (an instance that had posts before analytics): it was never added."""
    since = await uow.analytics.counted_since()
    if since is None:
        return
    per_hour = Counter((metric, hour_of(at)) for metric, at in counted if hour_of(at) >= since)
    for (metric, hour), times in per_hour.items():
        await uow.analytics.count(_counts(metric, -times, account_ids=[account_id],
                                          group_ids=group_ids), at=hour)


async def count_link_click(uow: UnitOfWork, *, status: sa.Row) -> None:
    await uow.analytics.count(_counts(Metric.LINK_CLICKS, 1, account_ids=[status.account_id],
                                      group_ids=await _groups_of(uow, status)), at=utcnow())


async def count_follow(uow: UnitOfWork, *, target_id: int, began: bool,
                       at: datetime | None = None) -> None:
    metric = Metric.FOLLOWERS_GAINED if began else Metric.FOLLOWERS_LOST
    await uow.analytics.count(_counts(metric, 1, account_ids=[target_id]), at=at or utcnow())
