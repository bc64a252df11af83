"""Edit a status: keep every earlier version, re-render, and tell streams and rebloggers."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.services.compose_text import check_length, compose_text


@dataclass(frozen=True, slots=True)
class StatusChanges:
    text: str
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None


async def edit_status(uow: UnitOfWork, *, editor_id: int, status_id: int,
                      changes: StatusChanges) -> sa.Row:
    status = await uow.statuses.get(status_id)
    if status is None or status.account_id != editor_id or status.reblog_of_id is not None:
        raise NotFound()
    text = changes.text.strip()
    if not text:
        raise ValidationFailed("Text can't be blank")
    check_length(uow, text, changes.spoiler_text)
    if not await uow.statuses.edits(status_id):
        # The first edit also records the original, so the history starts where readers did.
        await uow.statuses.add_edit(status_id, text=status.text, content_html=status.content_html,
                                    spoiler_text=status.spoiler_text, sensitive=status.sensitive,
                                    created_at=status.created_at)
    composed = await compose_text(uow, text)
    now = utcnow()
    await uow.statuses.update(status_id, text=text, content_html=composed.html,
                              spoiler_text=changes.spoiler_text,
                              sensitive=changes.sensitive or bool(changes.spoiler_text),
                              language=changes.language or status.language, edited_at=now)
    await uow.statuses.add_edit(status_id, text=text, content_html=composed.html,
                                spoiler_text=changes.spoiler_text,
                                sensitive=changes.sensitive or bool(changes.spoiler_text),
                                created_at=now)
    await uow.statuses.set_mentions(status_id, composed.mentioned_ids)
    await uow.statuses.set_tags(status_id, composed.tags)
    await uow.enqueue("status.updated", status_id=status_id)
    edited = await uow.statuses.get(status_id)
    await uow.search.index_status(edited)
    return edited
