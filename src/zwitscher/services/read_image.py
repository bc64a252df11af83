"""Read an uploaded image: refuse what is too large or no image, re-encode the rest.

Runs before any unit of work is opened: decoding takes a while, and on SQLite the one writer
must not wait for it.
"""

from __future__ import annotations

import asyncio

from zwitscher.domain.errors import TooLarge, ValidationFailed
from zwitscher.media.images import Encoded, ProcessedImage, process_emoji, process_image
from zwitscher.media.rejected import MediaRejected
from zwitscher.settings import Settings

# Mastodon's sizes: avatars are square, headers three times as wide as high.
AVATAR_SIZE = (400, 400)
HEADER_SIZE = (1500, 500)
# Mastodon's limit for a custom emoji's file; shown at text size, 256 pixels is plenty.
EMOJI_MAX_BYTES = 256 * 1024
EMOJI_SIDE = 256


async def read_image(settings: Settings, data: bytes, *,
                     crop_to: tuple[int, int] | None = None) -> ProcessedImage:
    check_size(data, settings.max_media_bytes)
    return await decoded(process_image, data, max_pixels=settings.max_media_pixels,
                          crop_to=crop_to)


async def read_emoji_image(settings: Settings, data: bytes) -> Encoded:
    """A custom emoji's picture, as PNG at most `EMOJI_SIDE` pixels wide and high."""
    check_size(data, EMOJI_MAX_BYTES)
    return await decoded(process_emoji, data, max_pixels=settings.max_media_pixels,
                          side=EMOJI_SIDE)


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise TooLarge("The file is larger than %(max_bytes)s bytes", max_bytes=max_bytes)
    if not data:
        raise ValidationFailed("The file is empty")


async def decoded(process, data: bytes, **options):
    """`process(data, **options)`, in a thread; a refusal becomes a `ValidationFailed`."""
    try:
        return await asyncio.to_thread(process, data, **options)
    except MediaRejected as exc:
        raise ValidationFailed(exc.text, **exc.variables) from exc
