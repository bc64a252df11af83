"""Polls: read one (as visible as its status) and vote in it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import field_validator

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.entities import Poll
from zwitscher.api.operations import declare
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.polls import present_poll
from zwitscher.api.responses import JSON
from zwitscher.services.oauth import Viewer
from zwitscher.services.vote_in_poll import visible_poll, vote_in_poll

router = APIRouter(prefix="/api/v1/polls")


class Vote(Params):
    choices: list[int]

    @field_validator("choices", mode="before")
    @classmethod
    def _one_is_a_list(cls, value):
        return value if isinstance(value, list) else [value]


@router.get("/{poll_id}")
@declare(returns=Poll)
async def get_poll(request: Request, poll_id: str, origin: Origin,
                   viewer: OptionalViewer) -> JSON:
    viewer_id = viewer.account_id if viewer else None
    async with uows(request).read() as uow:
        _, status = await visible_poll(uow, poll_id=path_id(poll_id), viewer_id=viewer_id)
        return JSON(await present_poll(uow, status, viewer_id, origin))


@router.post("/{poll_id}/votes")
@declare(returns=Poll, takes=Vote)
async def vote(request: Request, poll_id: str, origin: Origin,
               viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    form = await parse(request, Vote)
    async with uows(request).write() as uow:
        _, status = await vote_in_poll(uow, account_id=viewer.account_id,
                                       poll_id=path_id(poll_id), choices=form.choices)
        return JSON(await present_poll(uow, status, viewer.account_id, origin))
