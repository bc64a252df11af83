from __future__ import annotations


def media_url(url: str, origin: str) -> str:
    """Stored URLs of files we serve ourselves are paths (see `media.store`): absolute here,
    with the origin the client reached us by."""
    return origin + url if url.startswith("/") else url
