"""Attach uploads to a status, in the order given: at most four, each the author's own, not
part of another status and not waiting with a scheduled status or brand draft. Used when
posting and when editing (the new set replaces the old; what is left out is deleted)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.services.delete_media import discard_media

MAX_ATTACHMENTS = 4


async def check_media(uow: UnitOfWork, *, media_ids: tuple[int, ...], uploader_ids: set[int],
                      status_id: int | None = None) -> list[int]:
    """The ids, checked: a post must never go out with less than its author attached, so
    anything amiss refuses the whole request. `uploader_ids`: the posting account, and the
    person writing for a brand account."""
    ordered = list(dict.fromkeys(media_ids))
    if len(ordered) > MAX_ATTACHMENTS:
        raise ValidationFailed("At most %(max_attachments)s media attachments",
                               max_attachments=MAX_ATTACHMENTS)
    rows = await uow.media.get_many(ordered)
    missing = [str(media_id) for media_id in ordered if media_id not in rows
               or rows[media_id].account_id not in uploader_ids
               or rows[media_id].status_id not in (None, status_id)
               or _waiting(rows[media_id])]
    if missing:
        raise ValidationFailed("Media attachments with ids %(choices)s not found",
                               choices=', '.join(missing))
    return ordered


def _waiting(media: sa.Row) -> bool:
    """Whether the upload waits with a scheduled status, a brand draft, a press release or a
    held post from a live event (which release it when they are published)."""
    return (media.scheduled_status_id is not None or media.brand_draft_id is not None
            or media.press_release_id is not None or media.event_held_post_id is not None)


async def attach_media(uow: UnitOfWork, *, status_id: int, media_ids: list[int]) -> None:
    """Make `media_ids` (checked by `check_media`) the status's attachments."""
    dropped = [row for row in await uow.media.of_status(status_id) if row.id not in media_ids]
    await discard_media(uow, dropped)
    await uow.media.attach(status_id, media_ids)
