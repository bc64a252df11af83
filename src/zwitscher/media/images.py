"""Turn an uploaded file into images we are willing to serve.

A file is trusted only once Pillow has decoded every pixel of it, whatever its name or
declared content type says. What we serve is never the upload itself but a re-encoding of the
decoded pixels, turned upright by its EXIF orientation first: EXIF (with GPS positions), XMP,
comments and colour profiles stay behind.

GIFs keep only their first frame, served as PNG: an animation is many images, each a
chance for a decompression bomb, and playing it well would mean converting it to video.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import blurhash
from PIL import Image, ImageOps, UnidentifiedImageError

from zwitscher.media.rejected import MediaRejected

# What we decode, and what each becomes.
ENCODINGS = {"JPEG": ("JPEG", "image/jpeg", "jpg"), "PNG": ("PNG", "image/png", "png"),
             "GIF": ("PNG", "image/png", "png"), "WEBP": ("WEBP", "image/webp", "webp")}
SUPPORTED_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
PREVIEW_SIDE = 640


class ImageRejected(MediaRejected):
    """The file is no image we accept."""


@dataclass(frozen=True, slots=True)
class Encoded:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    original: Encoded
    small: Encoded
    content_type: str
    extension: str
    blurhash: str


def process_image(data: bytes, *, max_pixels: int,
                  crop_to: tuple[int, int] | None = None) -> ProcessedImage:
    """Decode, check and re-encode an upload, with a preview at most `PREVIEW_SIDE` pixels
    long. `crop_to` (avatars, headers) crops to that aspect and scales down to that size."""
    image, source_format = _decode(data, max_pixels)
    save_as, content_type, extension = ENCODINGS[source_format]
    image = _plain(ImageOps.exif_transpose(image))
    if crop_to is not None:
        image = ImageOps.fit(image, _at_most(image.size, crop_to))
    small = image.copy()
    small.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    return ProcessedImage(original=_encode(image, save_as), small=_encode(small, save_as),
                          content_type=content_type, extension=extension,
                          blurhash=_blurhash(small))


@dataclass(frozen=True, slots=True)
class CardImage:
    image: Encoded
    content_type: str
    extension: str
    blurhash: str


def process_card_image(data: bytes, *, max_pixels: int) -> CardImage:
    """A link preview's image, fetched from the linked site: like an upload's preview only,
    at most `PREVIEW_SIDE` pixels long (Mastodon's cards are 640 at most too)."""
    image, source_format = _decode(data, max_pixels)
    save_as, content_type, extension = ENCODINGS[source_format]
    image = _plain(ImageOps.exif_transpose(image))
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    return CardImage(_encode(image, save_as), content_type, extension, _blurhash(image))


def process_emoji(data: bytes, *, max_pixels: int, side: int) -> Encoded:
    """A custom emoji: the upload's first frame as PNG (it keeps transparency), scaled down to
    fit a `side` square, keeping its aspect."""
    image, _ = _decode(data, max_pixels)
    image = _plain(ImageOps.exif_transpose(image))
    image.thumbnail((side, side))
    return _encode(image, "PNG")


def names_an_image(data: bytes) -> bool:
    """Whether the file's header names a format we decode; nothing is unpacked."""
    try:
        with Image.open(io.BytesIO(data), formats=list(ENCODINGS)):
            return True
    except Image.DecompressionBombError:
        return True  # an image, if one too large: `process_image` says so
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return False


def _decode(data: bytes, max_pixels: int) -> tuple[Image.Image, str]:
    try:
        image = Image.open(io.BytesIO(data), formats=list(ENCODINGS))
        # The header tells the size before any pixel is unpacked: a bomb stops here.
        if image.width * image.height > max_pixels:
            raise ImageRejected("The image has more than %(max_pixels)s pixels",
                                max_pixels=max_pixels)
        image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ImageRejected("The file is not a JPEG, PNG, GIF or WebP image") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        # Truncated or corrupt data surfaces as any of these from Pillow's decoders.
        raise ImageRejected("The image could not be decoded") from exc
    if image.width < 1 or image.height < 1:
        raise ImageRejected("The image has no pixels")
    return image, image.format


def _plain(image: Image.Image) -> Image.Image:
    """Pixels only: a mode every encoder takes, and no metadata carried along in `info`."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    else:
        image = image.copy()
    image.info = {}
    return image


def _at_most(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """`box`'s aspect, no larger than `box` and never scaled up past the image."""
    scale = min(1.0, size[0] / box[0], size[1] / box[1])
    return max(1, round(box[0] * scale)), max(1, round(box[1] * scale))


def _encode(image: Image.Image, save_as: str) -> Encoded:
    if save_as == "JPEG" and image.mode in ("RGBA", "LA"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 85, "optimize": True} if save_as in ("JPEG", "WEBP") else {
        "optimize": True}
    image.save(buffer, save_as, **options)
    return Encoded(buffer.getvalue(), image.width, image.height)


def _blurhash(image: Image.Image) -> str:
    tiny = image.convert("RGB")
    tiny.thumbnail((64, 64))
    # The encoder closes the image it is given: `tiny` is ours alone.
    return blurhash.encode(tiny, 4, 3)
