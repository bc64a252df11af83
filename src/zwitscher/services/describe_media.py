"""Change the description or focus point of an upload not yet posted (PUT /api/v1/media/:id);
posted ones change with an edit of their status (`edit_status`)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.services.upload_media import MediaDetails, detail_values


async def own_unattached_media(uow: UnitOfWork, *, account_id: int, media_id: int) -> sa.Row:
    """An upload only its uploader sees until it is posted; to everyone else it does not
    exist."""
    media = await uow.media.get(media_id)
    if media is None or media.account_id != account_id or media.status_id is not None:
        raise NotFound()
    return media


async def describe_media(uow: UnitOfWork, *, account_id: int, media_id: int,
                         details: MediaDetails) -> sa.Row:
    media = await own_unattached_media(uow, account_id=account_id, media_id=media_id)
    values = detail_values(details)
    if values:
        await uow.media.update(media.id, **values)
    return await uow.media.get(media.id)
