"""Images for the media tests, made with Pillow on the spot."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(fmt: str, size: tuple[int, int] = (300, 200), *, mode: str = "RGB",
                color=(200, 30, 30), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    """A photo as phones take them: where it was taken, by what camera, and turned on its side
    (EXIF orientation 6: the stored pixels are rotated, viewers turn them upright)."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Spycam"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    data = image_bytes("JPEG", (300, 200), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the fixture has GPS"
    return data


def fetch_image(url: str) -> tuple[httpx.Response, Image.Image]:
    response = httpx.get(url)
    assert response.status_code == 200, response.text
    return response, Image.open(io.BytesIO(response.content))


def stored_files(server) -> set[Path]:
    root = Path(server.env["ZWITSCHER_DATA_DIR"]) / "media"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def upload(user, data: bytes, content_type: str = "image/png", name: str = "picture.png",
           **fields) -> httpx.Response:
    return user.http.post("/api/v2/media", files={"file": (name, data, content_type)},
                          data=fields)
