"""Job bodies that tell live streams of a status: it was posted, edited, or deleted.

All three ask `policies/audience.py` whom to tell, each for its occasion, render the status
once (without a viewer: each stream session adds what depends on its viewer) and publish to
every home channel and shared channel of that audience.
"""

from __future__ import annotations

from dataclasses import replace

import orjson
import sqlalchemy as sa

from zwitscher.api.presenters.conversations import present_conversations
from zwitscher.api.presenters.statuses import present_status
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, direct_channel, home_channel
from zwitscher.domain.errors import NotFound
from zwitscher.domain.filters import searchable_text
from zwitscher.domain.jobs import (
    AnnounceStatusDelete,
    AnnounceStatusesDelete,
    AnnounceStatusUpdate,
    FanOutStatus,
)
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.audience import Audience, Occasion, StatusFacts, audience, facts_of
from zwitscher.services.fan_out_status import fan_out_status
from zwitscher.services.match_monitors import match_monitors
from zwitscher.services.notify import notify


def _publish(uow: UnitOfWork, reach: Audience, event: Event, payload: str, meta: dict) -> None:
    for account_id in reach.home:
        uow.publish(home_channel(account_id), event, payload, **meta)
    for channel in reach.channels:
        uow.publish(channel, event, payload, **meta)


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


async def fan_out(uow: UnitOfWork, job: FanOutStatus) -> None:
    status = await uow.statuses.get(job.status_id)
    if status is None:
        return
    reach = await fan_out_status(uow, status=status)
    await match_monitors(uow, status=status)
    entity = await present_status(uow, status, viewer_id=None, origin=uow.settings.base_url)
    original_author = entity["reblog"]["account"]["id"] if entity["reblog"] else None
    # The original's author last: streams leave a viewer's own posts unfiltered by it.
    meta = dict(account_ids=[status.account_id] + ([int(original_author)]
                                                   if original_author else []),
                status_id=status.id, reblog=status.reblog_of_id is not None,
                reblog_of_id=status.reblog_of_id,
                filter_text=await _filter_text(uow, status, entity))
    _publish(uow, reach, Event.UPDATE, orjson.dumps(entity).decode(), meta)
    if status.visibility == Visibility.DIRECT.value:
        await _announce_conversation(uow, status, reach.mentioned)


async def _announce_conversation(uow: UnitOfWork, status: sa.Row,
                                 mentioned: tuple[int, ...]) -> None:
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
        uow.publish(direct_channel(row.account_id), Event.CONVERSATION,
                    orjson.dumps(entity).decode(), account_ids=[status.account_id],
                    status_id=status.id)


async def announce_update(uow: UnitOfWork, job: AnnounceStatusUpdate) -> None:
    status = await uow.statuses.get(job.status_id)
    if status is None:
        return
    reach = await audience(uow, await facts_of(uow, status), occasion=Occasion.EDIT)
    try:
        entity = await present_status(uow, status, viewer_id=None, origin=uow.settings.base_url)
    except NotFound:
        # Deleted since it was read (PostgreSQL's statements each see the latest commits):
        # its delete announcement follows, and this one has nothing left to say.
        return
    await match_monitors(uow, status=status, edited=True)
    meta = dict(account_ids=[status.account_id], status_id=status.id,
                filter_text=await _filter_text(uow, status, entity))
    _publish(uow, reach, Event.STATUS_UPDATE, orjson.dumps(entity).decode(), meta)
    for reblog in await uow.statuses.reblogs(status.id):
        await notify(uow, recipient_id=reblog.account_id, actor_id=status.account_id,
                     type="update", status_id=status.id)


async def announce_delete(uow: UnitOfWork, job: AnnounceStatusDelete) -> None:
    """The status is gone: its audience is judged from what the job carries."""
    reach = await audience(uow, _deleted(job), occasion=Occasion.DELETE)
    _publish(uow, reach, Event.DELETE, str(job.status_id),
             dict(account_ids=[job.author_id], status_id=job.status_id))


async def announce_deletes(uow: UnitOfWork, job: AnnounceStatusesDelete) -> None:
    """Each status as `announce_delete` would tell of it; statuses whose audience depends on
    the same facts (most of one author's) share one reckoning of it."""
    reached: dict[StatusFacts, Audience] = {}
    for fields in job.deletions:
        one = AnnounceStatusDelete(**fields)
        facts = _deleted(one)
        alike = replace(facts, id=0)
        if alike not in reached:
            reached[alike] = await audience(uow, facts, occasion=Occasion.DELETE)
        _publish(uow, reached[alike], Event.DELETE, str(one.status_id),
                 dict(account_ids=[one.author_id], status_id=one.status_id))


def _deleted(job: AnnounceStatusDelete) -> StatusFacts:
    return StatusFacts(id=job.status_id, author_id=job.author_id, visibility=job.visibility,
                       is_reblog=job.is_reblog, mentioned=tuple(job.mentioned_ids),
                       tags=tuple(job.tags), group_ids=tuple(job.group_ids),
                       with_media=job.with_media)
