"""Publish a status and queue its fan-out; nothing reaches a stream before the commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.visibility import Visibility
from zwitscher.services.compose_text import check_length, compose_text
from zwitscher.services.notify import notify


@dataclass(frozen=True, slots=True)
class StatusDraft:
    text: str = ""
    visibility: Visibility = Visibility.PUBLIC
    in_reply_to_id: int | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None


async def post_status(uow: UnitOfWork, *, author_id: int, draft: StatusDraft,
                      application_id: int | None = None,
                      idempotency_key: str | None = None) -> sa.Row:
    if idempotency_key:
        earlier = await uow.statuses.idempotent_status(author_id, idempotency_key)
        if earlier is not None and (status := await uow.statuses.get(earlier)) is not None:
            return status
    text = draft.text.strip()
    if not text:
        raise ValidationFailed("Text can't be blank")
    check_length(uow, text, draft.spoiler_text)

    parent = None
    if draft.in_reply_to_id is not None:
        parent = await uow.statuses.get_visible(draft.in_reply_to_id, author_id)
        if parent is None or parent.reblog_of_id is not None:
            raise NotFound("The status you are replying to does not exist or is not visible")

    composed = await compose_text(uow, text)
    now = utcnow()
    status_id = await uow.statuses.insert(
        account_id=author_id, text=text, content_html=composed.html,
        spoiler_text=draft.spoiler_text, visibility=draft.visibility.value,
        sensitive=draft.sensitive or bool(draft.spoiler_text), language=draft.language,
        in_reply_to_id=parent.id if parent else None,
        in_reply_to_account_id=parent.account_id if parent else None,
        application_id=application_id, created_at=now)
    await uow.statuses.set_mentions(status_id, composed.mentioned_ids)
    await uow.statuses.set_tags(status_id, composed.tags)
    await uow.accounts.add_to_counter(author_id, "statuses_count", 1)
    await uow.accounts.update(author_id, last_status_at=now)
    if parent is not None:
        await uow.statuses.add_to_counter(parent.id, "replies_count", 1)
    # The author sees their own post at once; everyone else gets it through fan-out.
    await uow.home_feed.add(status_id=status_id, author_id=author_id, account_ids=[author_id])
    for mentioned_id in composed.mentioned_ids:
        await notify(uow, recipient_id=mentioned_id, actor_id=author_id, type="mention",
                     status_id=status_id)
    await uow.enqueue("status.fan_out", status_id=status_id)
    if idempotency_key:
        await uow.statuses.remember_idempotency_key(author_id, idempotency_key, status_id)
    return await uow.statuses.get(status_id)
