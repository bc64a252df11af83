"""Conversations: threads of direct statuses, each as its participant sees it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.presenters.conversations import Conversation, present_conversations
from zwitscher.api.responses import JSON
from zwitscher.services.manage_conversation import mark_conversation_read, remove_conversation
from zwitscher.services.oauth import Viewer

router = APIRouter()
Writer = Depends(scoped("write:conversations"))


@router.get("/api/v1/conversations")
@declare(returns=list[Conversation], paged=True)
async def my_conversations(request: Request, origin: Origin,
                           viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    page = page_from(request)
    async with uows(request).read() as uow:
        rows = await uow.conversations.page(viewer.account_id, page)
        response = JSON(await present_conversations(uow, rows, viewer_id=viewer.account_id,
                                                    origin=origin))
    # Paged by last status, as Mastodon's Link headers are.
    link_header(request, response, [row.last_status_id for row in rows])
    return response


@router.post("/api/v1/conversations/{conversation_id}/read")
@declare(returns=Conversation)
async def read_conversation(request: Request, conversation_id: str, origin: Origin,
                            viewer: Viewer = Writer) -> JSON:
    async with uows(request).write() as uow:
        row = await mark_conversation_read(uow, account_id=viewer.account_id,
                                           conversation_id=path_id(conversation_id))
        return JSON((await present_conversations(uow, [row], viewer_id=viewer.account_id,
                                                 origin=origin))[0])


@router.delete("/api/v1/conversations/{conversation_id}")
@declare(returns=Empty)
async def delete_conversation(request: Request, conversation_id: str,
                              viewer: Viewer = Writer) -> JSON:
    async with uows(request).write() as uow:
        await remove_conversation(uow, account_id=viewer.account_id,
                                  conversation_id=path_id(conversation_id))
    return JSON({})
