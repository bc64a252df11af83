"""Media uploads (Mastodon's v1 and v2 endpoints; both process images and PDF documents at
once and answer 200 with the URL set), and the uploaded files themselves when the app serves
them."""

from __future__ import annotations

import os
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response, StreamingResponse

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import MediaAttachment
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Params, parse, uploaded_file
from zwitscher.api.presenters.media import present_media
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.media.store import CONTENT_TYPES, LOCAL_PREFIX, download_name
from zwitscher.services.delete_media import delete_media
from zwitscher.services.describe_media import describe_media, own_unattached_media
from zwitscher.services.oauth import Viewer
from zwitscher.services.read_attachment import read_attachment
from zwitscher.services.upload_media import media_details, upload_media

router = APIRouter()
UPLOAD_PATHS = ("/api/v1/media", "/api/v2/media")


class MediaForm(Params):
    description: str | None = None
    focus: str | None = None


async def _upload(request: Request, origin: str, viewer: Viewer) -> JSON:
    form = await parse(request, MediaForm)
    details = media_details(form.description, form.focus)
    data = await uploaded_file(request, "file", request.app.state.settings.max_media_bytes)
    if data is None:
        raise ValidationFailed("File can't be blank")
    sent = (await request.form())["file"]  # `uploaded_file` found it: an UploadFile
    upload = await read_attachment(request.app.state.settings, data, file_name=sent.filename,
                                   content_type=sent.content_type)
    async with uows(request).write() as uow:
        media = await upload_media(uow, account_id=viewer.account_id, upload=upload,
                                   details=details)
    return JSON(present_media(media, origin))


@router.post(UPLOAD_PATHS[0])
@declare(returns=MediaAttachment, takes=MediaForm, files=("file",))
async def upload_v1(request: Request, origin: Origin,
                    viewer: Viewer = Depends(scoped("write:media"))) -> JSON:
    return await _upload(request, origin, viewer)


@router.post(UPLOAD_PATHS[1])
@declare(returns=MediaAttachment, takes=MediaForm, files=("file",))
async def upload_v2(request: Request, origin: Origin,
                    viewer: Viewer = Depends(scoped("write:media"))) -> JSON:
    return await _upload(request, origin, viewer)


@router.get("/api/v1/media/{media_id}")
@declare(returns=MediaAttachment)
async def get_media(request: Request, media_id: str, origin: Origin,
                    viewer: Viewer = Depends(scoped("write:media"))) -> JSON:
    async with uows(request).read() as uow:
        media = await own_unattached_media(uow, account_id=viewer.account_id,
                                           media_id=path_id(media_id))
    return JSON(present_media(media, origin))


@router.put("/api/v1/media/{media_id}")
@declare(returns=MediaAttachment, takes=MediaForm)
async def update_media(request: Request, media_id: str, origin: Origin,
                       viewer: Viewer = Depends(scoped("write:media"))) -> JSON:
    form = await parse(request, MediaForm)
    details = media_details(form.description, form.focus)
    async with uows(request).write() as uow:
        media = await describe_media(uow, account_id=viewer.account_id,
                                     media_id=path_id(media_id), details=details)
    return JSON(present_media(media, origin))


@router.delete("/api/v1/media/{media_id}")
@declare(returns=Empty)
async def remove_media(request: Request, media_id: str,
                       viewer: Viewer = Depends(scoped("write:media"))) -> JSON:
    async with uows(request).write() as uow:
        await delete_media(uow, account_id=viewer.account_id, media_id=path_id(media_id))
    return JSON({})


local_files = APIRouter()


@local_files.get(LOCAL_PREFIX + "{key:path}", include_in_schema=False)
async def media_file(request: Request, key: str) -> Response:
    """Files are immutable (a changed image gets a new key), so caches may keep them for
    good; `nosniff` keeps browsers from reading an image as anything else. A document is a
    download, never opened in the page (and sandboxed, should a browser open it anyway)."""
    path = request.app.state.media_store.path_of(key)
    try:
        # Opened here: a file deleted (by a job) after this is still read to its end, where
        # a response that opened it later would fail half-sent.
        handle = path.open("rb") if path is not None else None
    except OSError:
        handle = None
    if handle is None:
        raise NotFound()
    size = os.fstat(handle.fileno()).st_size

    def chunks() -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(64 * 1024):
                yield chunk

    headers = {"Content-Length": str(size),
               "Cache-Control": "public, max-age=31536000, immutable",
               "X-Content-Type-Options": "nosniff"}
    if (name := download_name(key)) is not None:
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return StreamingResponse(chunks(), media_type=CONTENT_TYPES[key.rpartition(".")[2]],
                             headers=headers)
