"""Read an uploaded image: refuse what is too large or no image, re-encode the rest.

Runs before any unit of work is opened: decoding takes a while, and on SQLite the one writer
must not wait for it.
"""

from __future__ import annotations

import asyncio

from zwitscher.domain.errors import TooLarge, ValidationFailed
from zwitscher.media.images import ImageRejected, ProcessedImage, process_image
from zwitscher.settings import Settings

# Mastodon's sizes: avatars are square, headers three times as wide as high.
AVATAR_SIZE = (400, 400)
HEADER_SIZE = (1500, 500)


async def read_image(settings: Settings, data: bytes, *,
                     crop_to: tuple[int, int] | None = None) -> ProcessedImage:
    if len(data) > settings.max_media_bytes:
        raise TooLarge(f"The file is larger than {settings.max_media_bytes} bytes")
    if not data:
        raise ValidationFailed("The file is empty")
    try:
        return await asyncio.to_thread(process_image, data, max_pixels=settings.max_media_pixels,
                                       crop_to=crop_to)
    except ImageRejected as exc:
        raise ValidationFailed(str(exc)) from exc
