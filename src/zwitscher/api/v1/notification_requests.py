"""Notification requests: what the notification policy filtered, one request per sender."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.notification_groups import NotificationRequest, present_requests
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.answer_notification_requests import accept_requests, dismiss_requests
from zwitscher.services.oauth import Viewer

router = APIRouter(prefix="/api/v1/notifications/requests")


class Merged(TypedDict):
    merged: bool


class RequestIds(Params):
    id: list[Id] = []

    def ids(self) -> list[int]:
        parsed = [parse_id(raw) for raw in self.id]
        if any(value is None for value in parsed):
            raise ValidationFailed("id must be a list of valid ids")
        return parsed


@router.get("")
@declare(returns=list[NotificationRequest], paged=True)
async def list_requests(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        rows = await uow.notification_filters.requests(viewer.account_id, page)
        response = JSON(await present_requests(uow, rows, viewer_id=viewer.account_id,
                                               origin=origin))
    link_header(request, response, [row.id for row in rows])
    return response


@router.get("/merged")
@declare(returns=Merged)
async def merged(viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    """Accepting merges at once (no background job), so the merge is always done."""
    return JSON({"merged": True})


@router.post("/accept")
@declare(returns=Empty, takes=RequestIds)
async def accept_many(request: Request,
                      viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    ids = (await parse(request, RequestIds)).ids()
    async with uows(request).write() as uow:
        await accept_requests(uow, account_id=viewer.account_id, request_ids=ids)
    return JSON({})


@router.post("/dismiss")
@declare(returns=Empty, takes=RequestIds)
async def dismiss_many(request: Request,
                       viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    ids = (await parse(request, RequestIds)).ids()
    async with uows(request).write() as uow:
        await dismiss_requests(uow, account_id=viewer.account_id, request_ids=ids)
    return JSON({})


@router.get("/{request_id}")
@declare(returns=NotificationRequest)
async def get_request(request: Request, request_id: str, origin: Origin,
                      viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    async with uows(request).read() as uow:
        row = await uow.notification_filters.request(viewer.account_id, path_id(request_id))
        if row is None:
            raise NotFound()
        return JSON((await present_requests(uow, [row], viewer_id=viewer.account_id,
                                            origin=origin))[0])


@router.post("/{request_id}/accept")
@declare(returns=Empty)
async def accept_one(request: Request, request_id: str,
                     viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        await accept_requests(uow, account_id=viewer.account_id,
                              request_ids=[path_id(request_id)], must_exist=True)
    return JSON({})


@router.post("/{request_id}/dismiss")
@declare(returns=Empty)
async def dismiss_one(request: Request, request_id: str,
                      viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        await dismiss_requests(uow, account_id=viewer.account_id,
                               request_ids=[path_id(request_id)], must_exist=True)
    return JSON({})
