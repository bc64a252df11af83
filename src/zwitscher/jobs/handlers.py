"""Job bodies: load by id, call a service, publish to streams. A missing row means done.

Each body runs in the transaction that also deletes its job row, so a job whose writes
committed never runs again, and one that failed left nothing behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson

from zwitscher.api.presenters.announcements import present_announcements
from zwitscher.api.presenters.statuses import present_status
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.visibility import Visibility
from zwitscher.services.fan_out_status import (
    audience_of,
    broadcast_channel,
    fan_out_status,
    group_channel,
)
from zwitscher.services.follow_back import JOB as FOLLOW_BACK_JOB
from zwitscher.services.follow_back import follow_back
from zwitscher.services.notify import notify
from zwitscher.services.post_as_brand import PUBLISH_JOB
from zwitscher.services.review_brand_draft import publish_draft
from zwitscher.services.score_active_accounts import JOB as QUALITY_JOB
from zwitscher.services.score_active_accounts import score_active_accounts
from zwitscher.services.trim_home_feeds import JOB as TRIM_JOB
from zwitscher.services.trim_home_feeds import trim_home_feeds
from zwitscher.services.write_announcement import ANNOUNCEMENTS_CHANNEL, withdraw
from zwitscher.services.write_announcement import EXPIRE_JOB as EXPIRE_ANNOUNCEMENT_JOB
from zwitscher.services.write_announcement import PUBLISH_JOB as PUBLISH_ANNOUNCEMENT_JOB

Handler = Callable[[UnitOfWork, dict], Awaitable[None]]


def _public_channels(tags: list[str]) -> list[str]:
    channels = ["timeline:public", "timeline:public:local"]
    for tag in tags:
        channels += [f"timeline:hashtag:{tag.lower()}", f"timeline:hashtag:{tag.lower()}:local"]
    return channels


async def fan_out(uow: UnitOfWork, payload: dict) -> None:
    status = await uow.statuses.get(payload["status_id"])
    if status is None:
        return
    delivery = await fan_out_status(uow, status=status)
    entity = await present_status(uow, status, viewer_id=None, origin=uow.settings.base_url)
    rendered = orjson.dumps(entity).decode()
    original_author = entity["reblog"]["account"]["id"] if entity["reblog"] else None
    meta = dict(account_ids=[status.account_id] + ([int(original_author)]
                                                   if original_author else []),
                status_id=status.id, reblog=status.reblog_of_id is not None)
    for recipient in delivery.recipients:
        uow.publish(f"timeline:{recipient}", "update", rendered, **meta)
    if delivery.broadcast_channel:
        uow.publish(delivery.broadcast_channel, "update", rendered, **meta)
    for channel in delivery.group_channels:
        uow.publish(channel, "update", rendered, **meta)
    if status.visibility == Visibility.PUBLIC.value and status.reblog_of_id is None:
        for channel in _public_channels(delivery.tags):
            uow.publish(channel, "update", rendered, **meta)


async def announce_update(uow: UnitOfWork, payload: dict) -> None:
    status = await uow.statuses.get(payload["status_id"])
    if status is None:
        return
    delivery = await audience_of(uow, status=status)
    entity = await present_status(uow, status, viewer_id=None, origin=uow.settings.base_url)
    rendered = orjson.dumps(entity).decode()
    meta = dict(account_ids=[status.account_id], status_id=status.id)
    for recipient in set(delivery.recipients) | set(delivery.mentioned):
        uow.publish(f"timeline:{recipient}", "status.update", rendered, **meta)
    if delivery.broadcast_channel:
        uow.publish(delivery.broadcast_channel, "status.update", rendered, **meta)
    for channel in delivery.group_channels:
        uow.publish(channel, "status.update", rendered, **meta)
    if status.visibility == Visibility.PUBLIC.value:
        for channel in _public_channels(delivery.tags):
            uow.publish(channel, "status.update", rendered, **meta)
    for reblog in await uow.statuses.reblogs(status.id):
        await notify(uow, recipient_id=reblog.account_id, actor_id=status.account_id,
                     type="update", status_id=status.id)


async def announce_delete(uow: UnitOfWork, payload: dict) -> None:
    author_id = payload["author_id"]
    author = await uow.accounts.get(author_id)
    status_id = str(payload["status_id"])
    meta = dict(account_ids=[author_id], status_id=payload["status_id"])
    group_ids = payload.get("group_ids", [])
    if author is not None and author.fan_out_on_read:
        for internal in (False, True):
            uow.publish(broadcast_channel(author_id, internal=internal), "delete", status_id,
                        **meta)
        followers = []
    else:
        followers = [row.account_id for row in await uow.relationships.follower_ids(author_id)]
    members = await uow.groups.member_ids(group_ids)
    recipients = (set(followers) | set(members) | set(payload.get("mentioned_ids", []))
                  | {author_id} | await _tag_followers(uow, payload))
    for group_id in group_ids:
        uow.publish(group_channel(group_id), "delete", status_id, **meta)
    for recipient in recipients:
        uow.publish(f"timeline:{recipient}", "delete", status_id, **meta)
    if payload["visibility"] == Visibility.PUBLIC.value and not payload.get("is_reblog"):
        for channel in _public_channels(payload.get("tags", [])):
            uow.publish(channel, "delete", status_id, **meta)


async def _tag_followers(uow: UnitOfWork, payload: dict) -> set[int]:
    """Those a followed hashtag brought the deleted status to (see fan_out_status)."""
    if payload.get("is_reblog") or payload["visibility"] not in (Visibility.PUBLIC.value,
                                                                 Visibility.INTERNAL.value):
        return set()
    followers = await uow.tags.follower_ids(payload.get("tags", []))
    if payload["visibility"] == Visibility.INTERNAL.value:
        return set(await uow.accounts.insider_ids(sorted(followers)))
    return followers


async def publish_announcement(uow: UnitOfWork, payload: dict) -> None:
    """Streams hear an announcement when it begins (an earlier job of a since-changed one
    finds it not begun, or gone, and does nothing)."""
    row = await uow.announcements.get_active(payload["announcement_id"], utcnow())
    if row is None:
        return
    entity = (await present_announcements(uow, [row], viewer_id=None,
                                          origin=uow.settings.base_url))[0]
    uow.publish(ANNOUNCEMENTS_CHANNEL, "announcement", orjson.dumps(entity).decode())


async def expire_announcement(uow: UnitOfWork, payload: dict) -> None:
    row = await uow.announcements.get(payload["announcement_id"])
    if row is not None and row.published and row.ends_at is not None \
            and row.ends_at <= utcnow():
        withdraw(uow, row.id)


async def trim_feeds(uow: UnitOfWork, payload: dict) -> None:
    await trim_home_feeds(uow, after_account_id=payload["after_account_id"])


async def score_quality(uow: UnitOfWork, payload: dict) -> None:
    await score_active_accounts(uow, after_account_id=payload["after_account_id"])


async def follow_back_follower(uow: UnitOfWork, payload: dict) -> None:
    await follow_back(uow, account_id=payload["account_id"], follower_id=payload["follower_id"])


async def publish_brand_draft(uow: UnitOfWork, payload: dict) -> None:
    draft = await uow.brands.draft(payload["draft_id"])
    if draft is not None and draft.state == "scheduled":
        await publish_draft(uow, draft=draft)


HANDLERS: dict[str, Handler] = {
    "status.fan_out": fan_out,
    "status.updated": announce_update,
    "status.deleted": announce_delete,
    TRIM_JOB: trim_feeds,
    PUBLISH_JOB: publish_brand_draft,
    QUALITY_JOB: score_quality,
    FOLLOW_BACK_JOB: follow_back_follower,
    PUBLISH_ANNOUNCEMENT_JOB: publish_announcement,
    EXPIRE_ANNOUNCEMENT_JOB: expire_announcement,
}
