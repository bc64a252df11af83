"""Keep an uploaded image or PDF document as a media attachment of its uploader, not yet part
of a status."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.media.documents import CONTENT_TYPE, MEDIA_TYPE, ProcessedDocument
from zwitscher.media.store import document_key, new_key, small_key
from zwitscher.services.read_attachment import Attachment

MAX_DESCRIPTION = 1500


@dataclass(frozen=True, slots=True)
class MediaDetails:
    """What a person may say about an upload, at upload and later. None: leave as it is."""

    description: str | None = None
    focus: tuple[float, float] | None = None


def media_details(description: str | None, focus: str | None) -> MediaDetails:
    """Checks the values as clients send them (`focus` as "x,y", each from -1 to 1)."""
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise ValidationFailed("Description is too long (maximum is %(maximum)s characters)",
                               maximum=MAX_DESCRIPTION)
    return MediaDetails(description=description, focus=_focus(focus))


def _focus(raw: str | None) -> tuple[float, float] | None:
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise ValidationFailed("Focus must be two numbers, x,y") from None
    if not (-1 <= x <= 1 and -1 <= y <= 1):
        raise ValidationFailed("Focus coordinates must be between -1 and 1")
    return x, y


def detail_values(details: MediaDetails) -> dict:
    values: dict = {}
    if details.description is not None:
        values["description"] = details.description
    if details.focus is not None:
        values["focus_x"], values["focus_y"] = details.focus
    return values


async def upload_media(uow: UnitOfWork, *, account_id: int, upload: Attachment,
                       details: MediaDetails) -> sa.Row:
    if isinstance(upload, ProcessedDocument):
        return await _upload_document(uow, account_id=account_id, document=upload,
                                      details=details)
    image = upload
    key = new_key(image.extension)
    preview = small_key(key)
    store = uow.media_store
    await store.put(key, image.original.data, image.content_type)
    await store.put(preview, image.small.data, image.content_type)
    media_id = await uow.media.insert(
        account_id=account_id, type="image", content_type=image.content_type,
        file_key=key, file_url=store.url(key), file_size=len(image.original.data),
        width=image.original.width, height=image.original.height,
        preview_key=preview, preview_url=store.url(preview),
        preview_width=image.small.width, preview_height=image.small.height,
        blurhash=image.blurhash, created_at=utcnow(), **detail_values(details))
    return await uow.media.get(media_id)


async def _upload_document(uow: UnitOfWork, *, account_id: int, document: ProcessedDocument,
                           details: MediaDetails) -> sa.Row:
    """A document has no preview: its preview columns are empty, but for `preview_width`,
    which keeps its number of pages (`views.statuses.MediaView.pages` reads it), and its
    `width` and `height` are its first page's, in points."""
    key = document_key(document.file_name)
    store = uow.media_store
    await store.put(key, document.data, CONTENT_TYPE)
    media_id = await uow.media.insert(
        account_id=account_id, type=MEDIA_TYPE, content_type=CONTENT_TYPE, file_key=key,
        file_url=store.url(key), file_size=len(document.data), width=document.width,
        height=document.height, preview_key="", preview_url="",
        preview_width=document.pages, preview_height=0, blurhash=None, created_at=utcnow(),
        **detail_values(details))
    return await uow.media.get(media_id)
