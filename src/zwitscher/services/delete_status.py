"""Delete a status (and its reblogs); streams learn of it, and its attachments' files go,
through jobs after commit."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.jobs import AnnounceStatusDelete
from zwitscher.services.delete_media import discard_media
from zwitscher.services.match_monitors import tell_monitors_of_deletion
from zwitscher.services.record_analytics import take_back_status
from zwitscher.services.record_conversation import forget_direct_status


async def delete_status(uow: UnitOfWork, *, actor_id: int, status_id: int) -> sa.Row:
    """Returns the deleted row, so the API can answer with its source (delete-and-redraft)."""
    status = await uow.statuses.get(status_id)
    if status is None or status.account_id != actor_id or status.reblog_of_id is not None:
        raise NotFound()
    await remove_status(uow, status=status)
    return status


async def remove_status(uow: UnitOfWork, *, status: sa.Row) -> None:
    tags = (await uow.statuses.tags_of([status.id])).get(status.id, [])
    for reblog in await uow.statuses.reblogs(status.id):
        await _remove_one(uow, reblog, tags=[])
    await _remove_one(uow, status, tags=tags)


async def _remove_one(uow: UnitOfWork, status: sa.Row, *, tags: list[str]) -> None:
    await take_back_status(uow, status=status)
    mentioned = (await uow.statuses.mentions_of([status.id])).get(status.id, [])
    group_ids = await uow.statuses.group_ids_of(status.id)
    attachments = await uow.media.of_status(status.id)
    await discard_media(uow, attachments)
    await uow.search.unindex_status(status.id)
    conversation_id = await uow.conversations.of_status(status.id)
    await tell_monitors_of_deletion(uow, status_id=status.id)
    await uow.statuses.delete(status.id)
    if conversation_id is not None:
        await forget_direct_status(uow, status_id=status.id, conversation_id=conversation_id,
                                   participant_ids=[status.account_id, *mentioned])
    await uow.accounts.add_to_counter(status.account_id, "statuses_count", -1)
    if status.in_reply_to_id is not None:
        await uow.statuses.add_to_counter(status.in_reply_to_id, "replies_count", -1)
    if status.reblog_of_id is not None:
        await uow.statuses.add_to_counter(status.reblog_of_id, "reblogs_count", -1)
    await uow.enqueue(AnnounceStatusDelete(
        status_id=status.id, author_id=status.account_id, visibility=status.visibility,
        mentioned_ids=tuple(mentioned), tags=tuple(tags), group_ids=tuple(group_ids),
        is_reblog=status.reblog_of_id is not None, with_media=bool(attachments)))
