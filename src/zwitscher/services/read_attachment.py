"""Read an upload for a status: an image, re-encoded (`read_image`), or a PDF document,
checked and kept as it was sent (`media.documents`).

What a file is, its content says: a PNG named `.pdf` is an image. The name and the declared
type only choose which refusal explains a file that is neither, so that a text file sent as a
PDF hears it is not a PDF document. Like `read_image`, this runs before any unit of work is
opened.
"""

from __future__ import annotations

from zwitscher.domain.errors import ValidationFailed
from zwitscher.media.documents import (
    CONTENT_TYPE,
    EXTENSION,
    ProcessedDocument,
    looks_like_pdf,
    process_document,
)
from zwitscher.media.images import ProcessedImage, names_an_image
from zwitscher.services.read_image import check_size, decoded, read_image
from zwitscher.settings import Settings

Attachment = ProcessedImage | ProcessedDocument


async def read_attachment(settings: Settings, data: bytes, *, file_name: str | None,
                          content_type: str | None) -> Attachment:
    """`file_name` and `content_type` as the client sent them (either may be missing)."""
    check_size(data, settings.max_media_bytes)
    if looks_like_pdf(data):
        return await decoded(process_document, data, file_name=file_name)
    if _sent_as_pdf(file_name, content_type) and not names_an_image(data):
        raise ValidationFailed("The file is not a PDF document")
    return await read_image(settings, data)


def _sent_as_pdf(file_name: str | None, content_type: str | None) -> bool:
    return ((file_name or "").lower().endswith(f".{EXTENSION}")
            or (content_type or "").split(";")[0].strip().lower() == CONTENT_TYPE)
