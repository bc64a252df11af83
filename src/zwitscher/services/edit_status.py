"""Edit a status: keep every earlier version, re-render, and tell streams and rebloggers; a
changed link gets its card anew."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.jobs import AnnounceStatusUpdate, FetchLinkCard
from zwitscher.domain.link_cards import card_link
from zwitscher.domain.polls import PollDraft
from zwitscher.services.attach_media import attach_media, check_media
from zwitscher.services.check_event_consent import refuse_against_consent
from zwitscher.services.compose_poll import check_poll, replace_poll
from zwitscher.services.compose_text import check_length, compose_text
from zwitscher.services.upload_media import MediaDetails, detail_values


@dataclass(frozen=True, slots=True)
class StatusChanges:
    text: str
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    # None: the attachments stay as they are; otherwise the new set, in order.
    media_ids: tuple[int, ...] | None = None
    # Descriptions and focus points of attachments in the (new) set, by id.
    media_details: tuple[tuple[int, MediaDetails], ...] = ()
    poll: PollDraft | None = None  # None: the status has no poll (any it had is removed)


async def edit_status(uow: UnitOfWork, *, editor_id: int, status_id: int,
                      changes: StatusChanges) -> sa.Row:
    status = await uow.statuses.get(status_id)
    if status is None or status.account_id != editor_id or status.reblog_of_id is not None:
        raise NotFound()
    text = changes.text.strip()
    check_length(uow, text, changes.spoiler_text)
    media_ids = await _media_after(uow, status, changes)
    if not text and not media_ids:
        raise ValidationFailed("Text can't be blank")
    # An edit is held to a live event's consent rules as the post was (`post_status`).
    await refuse_against_consent(uow, author_id=status.account_id, text=text,
                                 with_media=bool(media_ids))
    for media_id, _ in changes.media_details:
        if media_id not in media_ids:
            raise ValidationFailed("Media attachment %(media_id)s is not part of the status",
                                   media_id=media_id)
    poll = check_poll(uow, changes.poll)
    if not await uow.statuses.edits(status_id):
        # The first edit also records the original, so the history starts where readers did.
        await _record_version(uow, status)
    composed = await compose_text(uow, text)
    await uow.statuses.update(status_id, text=text, content_html=composed.html,
                              spoiler_text=changes.spoiler_text,
                              sensitive=changes.sensitive or bool(changes.spoiler_text),
                              language=changes.language or status.language, edited_at=utcnow())
    if changes.media_ids is not None:
        await attach_media(uow, status_id=status_id, media_ids=media_ids)
    for media_id, details in changes.media_details:
        if values := detail_values(details):
            await uow.media.update(media_id, **values)
    await uow.statuses.set_mentions(status_id, composed.mentioned_ids)
    await uow.statuses.set_tags(status_id, composed.tags)
    await replace_poll(uow, status_id=status_id, poll=poll)
    if text != status.text or media_ids or poll is not None:
        # A card goes with the link it was for, and with images or a poll (no card then).
        await uow.preview_cards.detach(status_id)
    if not media_ids and poll is None and card_link(text, own_origin=uow.settings.base_url):
        await uow.enqueue(FetchLinkCard(status_id=status_id))
    await uow.enqueue(AnnounceStatusUpdate(status_id=status_id))
    edited = await uow.statuses.get(status_id)
    await _record_version(uow, edited)
    await uow.search.index_status(edited)
    return edited


async def _media_after(uow: UnitOfWork, status: sa.Row, changes: StatusChanges) -> list[int]:
    """The attachments the status will have, checked, in order."""
    if changes.media_ids is None:
        return [row.id for row in await uow.media.of_status(status.id)]
    return await check_media(uow, media_ids=changes.media_ids,
                             uploader_ids={status.account_id,
                                           status.posted_by_id or status.account_id},
                             status_id=status.id)


async def _record_version(uow: UnitOfWork, status: sa.Row) -> None:
    """Keep the status as it is now for its history: its text, and which images (with their
    descriptions then) and poll options it had, since later edits change those in place."""
    media = [{"id": str(row.id), "description": row.description,
              "focus": [row.focus_x, row.focus_y]} for row in await uow.media.of_status(status.id)]
    poll = await uow.polls.of_status(status.id)
    await uow.statuses.add_edit(status.id, text=status.text, content_html=status.content_html,
                                spoiler_text=status.spoiler_text, sensitive=status.sensitive,
                                created_at=status.edited_at or status.created_at, media=media,
                                poll_options=list(poll.options) if poll else None)
