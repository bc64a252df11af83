from __future__ import annotations

import sqlalchemy as sa


def media_url(url: str, origin: str) -> str:
    """Stored URLs of files we serve ourselves are paths (see `media.store`): absolute here,
    with the origin the client reached us by."""
    return origin + url if url.startswith("/") else url


def _size(width: int, height: int) -> dict:
    return {"width": width, "height": height, "size": f"{width}x{height}",
            "aspect": width / height}


def present_media(row: sa.Row, origin: str) -> dict:
    return {
        "id": str(row.id),
        "type": row.type,
        "url": media_url(row.file_url, origin),
        "preview_url": media_url(row.preview_url, origin),
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": {"original": _size(row.width, row.height),
                 "small": _size(row.preview_width, row.preview_height),
                 "focus": {"x": row.focus_x, "y": row.focus_y}},
        "description": row.description or None,
        "blurhash": row.blurhash,
    }
