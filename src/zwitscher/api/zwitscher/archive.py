"""A person's archive under our API (docs/data-rights.md, "Your archive").

    POST /api/zwitscher/v1/archive                ask for one (write:accounts): 202 and its
                                                  state; 422 when asked within the interval
    GET  /api/zwitscher/v1/archive                the newest one's state (read:accounts);
                                                  404 before the first request
    GET  /api/zwitscher/v1/archive/{id}/download  the zip (`read`, whole: the archive holds
                                                  what every read:* scope covers, direct
                                                  messages included); 404 unless it is the
                                                  caller's, ready and not expired
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import FileResponse
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.services.download_archive import download_archive
from zwitscher.services.oauth import Viewer
from zwitscher.services.request_archive import ArchiveState, archive_state, request_archive

router = APIRouter()

PATH = "/api/zwitscher/v1/archive"


class Archive(TypedDict):
    id: str
    state: str  # queued, running, ready, expired or failed
    requested_at: str
    ready_at: str | None
    expires_at: str | None
    size: int | None
    download_url: str | None
    next_request_at: str


def _present(state: ArchiveState, origin: str) -> Archive:
    return {"id": str(state.id), "state": state.state, "requested_at": iso(state.requested_at),
            "ready_at": iso(state.ready_at), "expires_at": iso(state.expires_at),
            "size": state.size,
            "download_url": (f"{origin}{PATH}/{state.id}/download" if state.state == "ready"
                             else None),
            "next_request_at": iso(state.next_request_at)}


@router.post(PATH)
@declare(returns=Archive, status=202, errors=(422,))
async def ask_for_archive(request: Request, origin: Origin,
                          viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    """Ask for an archive of your account; an e-mail says when it is ready."""
    async with uows(request).write() as uow:
        state = await request_archive(uow, viewer=viewer)
    return JSON(_present(state, origin), status_code=202)


@router.get(PATH)
@declare(returns=Archive, errors=(404,))
async def show_archive(request: Request, origin: Origin,
                       viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    """The state of your newest archive."""
    async with uows(request).read() as uow:
        state = await archive_state(uow, viewer=viewer)
    if state is None:
        raise NotFound()
    return JSON(_present(state, origin))


@router.get(PATH + "/{archive_id}/download")
@declare(returns=bytes, media_type="application/zip")
async def download(request: Request, archive_id: str,
                   viewer: Viewer = Depends(scoped("read"))) -> FileResponse:
    """Your archive, a zip file."""
    async with uows(request).read() as uow:
        found = await download_archive(uow, viewer=viewer, archive_id=path_id(archive_id))
    return FileResponse(found.path, media_type="application/zip", filename=found.filename)
