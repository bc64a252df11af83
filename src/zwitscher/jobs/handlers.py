"""Job bodies: load by id, call a service, publish to streams. A missing row means done.

Each body runs in the transaction that also deletes its job row, so a job whose writes
committed never runs again, and one that failed left nothing behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
import sqlalchemy as sa

from zwitscher.api.presenters.announcements import present_announcements
from zwitscher.api.presenters.conversations import present_conversations
from zwitscher.api.presenters.push import present_push_message
from zwitscher.api.presenters.statuses import present_status
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.filters import searchable_text
from zwitscher.domain.visibility import Visibility
from zwitscher.services.clean_unattached_media import JOB as CLEAN_MEDIA_JOB
from zwitscher.services.clean_unattached_media import clean_unattached_media
from zwitscher.services.compose_poll import END_JOB as POLL_END_JOB
from zwitscher.services.delete_media import DELETE_FILES_JOB, delete_files
from zwitscher.services.deliver_push import deliver_push
from zwitscher.services.end_poll import end_poll
from zwitscher.services.fan_out_status import (
    audience_of,
    broadcast_channel,
    direct_channel,
    fan_out_status,
    group_channel,
    list_channel,
)
from zwitscher.services.follow_back import JOB as FOLLOW_BACK_JOB
from zwitscher.services.follow_back import follow_back
from zwitscher.services.mute_account import EXPIRE_JOB as MUTE_EXPIRE_JOB
from zwitscher.services.mute_account import expire_mute
from zwitscher.services.notify import notify
from zwitscher.services.post_as_brand import PUBLISH_JOB
from zwitscher.services.publish_scheduled_status import publish_scheduled_status
from zwitscher.services.queue_push import JOB as PUSH_JOB
from zwitscher.services.review_brand_draft import publish_draft
from zwitscher.services.schedule_status import PUBLISH_JOB as SCHEDULED_JOB
from zwitscher.services.score_active_accounts import JOB as QUALITY_JOB
from zwitscher.services.score_active_accounts import score_active_accounts
from zwitscher.services.trim_home_feeds import JOB as TRIM_JOB
from zwitscher.services.trim_home_feeds import trim_home_feeds
from zwitscher.services.write_announcement import ANNOUNCEMENTS_CHANNEL, withdraw
from zwitscher.services.write_announcement import EXPIRE_JOB as EXPIRE_ANNOUNCEMENT_JOB
from zwitscher.services.write_announcement import PUBLISH_JOB as PUBLISH_ANNOUNCEMENT_JOB

Handler = Callable[[UnitOfWork, dict], Awaitable[None]]
# Statuses whose deletion followers (and lists, whose owners follow their members) hear of.
FOLLOWER_VISIBILITIES = {Visibility.PUBLIC.value, Visibility.UNLISTED.value,
                     Visibility.PRIVATE.value}

Delivery = Callable[[UnitsOfWork, dict], Awaitable[None]]


def _public_channels(tags: list[str], *, with_media: bool) -> list[str]:
    channels = ["timeline:public", "timeline:public:local"]
    if with_media:
        channels += ["timeline:public:media", "timeline:public:local:media"]
    for tag in tags:
        channels += [f"timeline:hashtag:{tag.lower()}", f"timeline:hashtag:{tag.lower()}:local"]
    return channels


async def _filter_text(uow: UnitOfWork, status: sa.Row, entity: dict) -> str:
    """What streams match the viewer's filters against (of the original, for a reblog): its
    text as written, and its poll and image descriptions as `entity` presents them."""
    proper = await uow.statuses.get(status.reblog_of_id) if status.reblog_of_id else status
    if proper is None:
        return ""
    shown = entity["reblog"] or entity
    return searchable_text(
        text=proper.text, spoiler_text=proper.spoiler_text,
        poll_options=[option["title"] for option in (shown["poll"] or {}).get("options", [])],
        media_descriptions=[m["description"] for m in shown["media_attachments"]
                            if m["description"]])


async def fan_out(uow: UnitOfWork, payload: dict) -> None:
    status = await uow.statuses.get(payload["status_id"])
    if status is None:
        return
    delivery = await fan_out_status(uow, status=status)
    entity = await present_status(uow, status, viewer_id=None, origin=uow.settings.base_url)
    rendered = orjson.dumps(entity).decode()
    original_author = entity["reblog"]["account"]["id"] if entity["reblog"] else None
    # The original's author last: streams leave a viewer's own posts unfiltered by it.
    meta = dict(account_ids=[status.account_id] + ([int(original_author)]
                                                   if original_author else []),
                status_id=status.id, reblog=status.reblog_of_id is not None,
                reblog_of_id=status.reblog_of_id,
                filter_text=await _filter_text(uow, status, entity))
    for recipient in delivery.recipients:
        uow.publish(f"timeline:{recipient}", "update", rendered, **meta)
    if delivery.broadcast_channel:
        uow.publish(delivery.broadcast_channel, "update", rendered, **meta)
    for channel in delivery.group_channels + delivery.list_channels:
        uow.publish(channel, "update", rendered, **meta)
    if status.visibility == Visibility.PUBLIC.value and status.reblog_of_id is None:
        for channel in _public_channels(delivery.tags,
                                        with_media=bool(entity["media_attachments"])):
            uow.publish(channel, "update", rendered, **meta)
    if status.visibility == Visibility.DIRECT.value:
        await _announce_conversation(uow, status, delivery.mentioned)


async def _announce_conversation(uow: UnitOfWork, status: sa.Row, mentioned: list[int]) -> None:
    """Each participant's `direct` stream gets the conversation as they see it (their unread
    flag, the others as its accounts)."""
    conversation_id = await uow.conversations.of_status(status.id)
    if conversation_id is None:
        return
    rows = await uow.conversations.get_many_for([status.account_id, *mentioned],
                                                conversation_id)
    for row in rows.values():
        readable = await uow.conversations.get_own(row.id, row.account_id)
        if readable is None or readable.last_status_id != status.id:
            continue  # a newer status of the conversation will announce it
        entity = (await present_conversations(uow, [readable], viewer_id=row.account_id,
                                              origin=uow.settings.base_url))[0]
        uow.publish(direct_channel(row.account_id), "conversation", orjson.dumps(entity).decode(),
                    account_ids=[status.account_id], status_id=status.id)


async def announce_update(uow: UnitOfWork, payload: dict) -> None:
    status = await uow.statuses.get(payload["status_id"])
    if status is None:
        return
    delivery = await audience_of(uow, status=status)
    entity = await present_status(uow, status, viewer_id=None, origin=uow.settings.base_url)
    rendered = orjson.dumps(entity).decode()
    meta = dict(account_ids=[status.account_id], status_id=status.id,
                filter_text=await _filter_text(uow, status, entity))
    for recipient in set(delivery.recipients) | set(delivery.mentioned):
        uow.publish(f"timeline:{recipient}", "status.update", rendered, **meta)
    if delivery.broadcast_channel:
        uow.publish(delivery.broadcast_channel, "status.update", rendered, **meta)
    for channel in delivery.group_channels + delivery.list_channels:
        uow.publish(channel, "status.update", rendered, **meta)
    if status.visibility == Visibility.PUBLIC.value:
        for channel in _public_channels(delivery.tags,
                                        with_media=bool(entity["media_attachments"])):
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
    visibility = payload["visibility"]
    # Only those the status could reach hear of its deletion: never the id of a direct, group
    # or internal status someone was not meant to know of.
    followers = []
    if author is not None and author.fan_out_on_read:
        if visibility in FOLLOWER_VISIBILITIES or visibility == Visibility.INTERNAL.value:
            internal = visibility == Visibility.INTERNAL.value
            uow.publish(broadcast_channel(author_id, internal=internal), "delete", status_id,
                        **meta)
    elif visibility in FOLLOWER_VISIBILITIES:
        followers = [row.account_id for row in await uow.relationships.follower_ids(author_id)]
    elif visibility == Visibility.INTERNAL.value:
        followers = await uow.accounts.insider_ids(sorted(
            row.account_id for row in await uow.relationships.follower_ids(author_id)))
    members = await uow.groups.member_ids(group_ids)
    recipients = (set(followers) | set(members) | set(payload.get("mentioned_ids", []))
                  | {author_id} | await _tag_followers(uow, payload))
    for group_id in group_ids:
        uow.publish(group_channel(group_id), "delete", status_id, **meta)
    if visibility in FOLLOWER_VISIBILITIES:
        for list_id in await uow.lists.ids_containing(author_id):
            uow.publish(list_channel(list_id), "delete", status_id, **meta)
    for recipient in recipients:
        uow.publish(f"timeline:{recipient}", "delete", status_id, **meta)
    if payload["visibility"] == Visibility.PUBLIC.value and not payload.get("is_reblog"):
        for channel in _public_channels(payload.get("tags", []),
                                        with_media=payload.get("with_media", False)):
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


async def delete_media_files(uow: UnitOfWork, payload: dict) -> None:
    await delete_files(uow, keys=payload["keys"])


async def clean_media(uow: UnitOfWork, payload: dict) -> None:
    await clean_unattached_media(uow)


async def publish_scheduled(uow: UnitOfWork, payload: dict) -> None:
    scheduled = await uow.scheduled_statuses.get(payload["scheduled_status_id"])
    # Moved to a later time since this job was queued: the job for that time publishes it.
    if scheduled is not None and scheduled.scheduled_at <= utcnow():
        await publish_scheduled_status(uow, scheduled=scheduled)


async def end_poll_at_expiry(uow: UnitOfWork, payload: dict) -> None:
    await end_poll(uow, poll_id=payload["poll_id"], after_voter_id=payload.get("after_voter_id"))


async def end_timed_mute(uow: UnitOfWork, payload: dict) -> None:
    await expire_mute(uow, account_id=payload["account_id"], target_id=payload["target_id"])


async def push_notification(uows: UnitsOfWork, payload: dict) -> None:
    await deliver_push(uows, subscription_id=payload["subscription_id"],
                       notification_id=payload["notification_id"], render=present_push_message)


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
    DELETE_FILES_JOB: delete_media_files,
    CLEAN_MEDIA_JOB: clean_media,
    SCHEDULED_JOB: publish_scheduled,
    POLL_END_JOB: end_poll_at_expiry,
    MUTE_EXPIRE_JOB: end_timed_mute,
}

# Jobs that wait on other servers: they open their own short units of work, so no transaction
# stays open while a remote server takes its time.
DELIVERIES: dict[str, Delivery] = {
    PUSH_JOB: push_notification,
}
