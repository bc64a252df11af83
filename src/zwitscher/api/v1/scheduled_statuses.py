"""Scheduled statuses: list, read, move to another time, cancel (each only its account's)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, iso_datetime, parse
from zwitscher.api.presenters.scheduled_statuses import (
    ScheduledStatus,
    present_scheduled_status,
    present_scheduled_statuses,
)
from zwitscher.api.responses import JSON
from zwitscher.services.oauth import Viewer
from zwitscher.services.schedule_status import (
    cancel_scheduled_status,
    own_scheduled_status,
    reschedule_status,
)

router = APIRouter(prefix="/api/v1/scheduled_statuses")


class Reschedule(Params):
    scheduled_at: str


@router.get("")
@declare(returns=list[ScheduledStatus], paged=True)
async def list_scheduled(request: Request, origin: Origin,
                         viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    page = page_from(request, default=20, maximum=40)
    async with uows(request).read() as uow:
        rows = await uow.scheduled_statuses.of_account(viewer.account_id, page)
        response = JSON(await present_scheduled_statuses(uow, rows, origin=origin))
    link_header(request, response, [row.id for row in rows])
    return response


@router.get("/{scheduled_id}")
@declare(returns=ScheduledStatus)
async def get_scheduled(request: Request, scheduled_id: str, origin: Origin,
                        viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    async with uows(request).read() as uow:
        row = await own_scheduled_status(uow, account_id=viewer.account_id,
                                         scheduled_id=path_id(scheduled_id))
        return JSON(await present_scheduled_status(uow, row, origin=origin))


@router.put("/{scheduled_id}")
@declare(returns=ScheduledStatus, takes=Reschedule)
async def update_scheduled(request: Request, scheduled_id: str, origin: Origin,
                           viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    form = await parse(request, Reschedule)
    at = iso_datetime(form.scheduled_at, "scheduled_at")
    async with uows(request).write() as uow:
        row = await reschedule_status(uow, account_id=viewer.account_id,
                                      scheduled_id=path_id(scheduled_id), at=at)
        return JSON(await present_scheduled_status(uow, row, origin=origin))


@router.delete("/{scheduled_id}")
@declare(returns=Empty)
async def delete_scheduled(request: Request, scheduled_id: str,
                           viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    async with uows(request).write() as uow:
        await cancel_scheduled_status(uow, account_id=viewer.account_id,
                                      scheduled_id=path_id(scheduled_id))
    return JSON({})
