"""Lists: a person's selections of accounts they follow, their members and their timelines."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import Account, Status
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.lists import ListEntity, present_list
from zwitscher.api.presenters.statuses import hidden_by_filter, present_statuses
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.policies.lists import own_list
from zwitscher.services.change_list_members import add_list_members, remove_list_members
from zwitscher.services.create_list import RepliesPolicy, create_list
from zwitscher.services.delete_list import delete_list
from zwitscher.services.oauth import Viewer
from zwitscher.services.update_list import update_list

router = APIRouter()
Reader = Depends(scoped("read:lists"))
Writer = Depends(scoped("write:lists"))


class ListFields(Params):
    model_config = with_examples({"title": "Colleagues", "replies_policy": "list"})

    title: str | None = None
    replies_policy: RepliesPolicy | None = None
    exclusive: bool | None = None


class ListMembers(Params):
    account_ids: list[Id] = []


def _account_ids(form: ListMembers) -> list[int]:
    ids = [parse_id(raw) for raw in form.account_ids]
    if None in ids:
        raise NotFound()
    return ids


@router.get("/api/v1/lists")
@declare(returns=list[ListEntity])
async def my_lists(request: Request, viewer: Viewer = Reader) -> JSON:
    async with uows(request).read() as uow:
        return JSON([present_list(row) for row in await uow.lists.owned(viewer.account_id)])


@router.get("/api/v1/lists/{list_id}")
@declare(returns=ListEntity)
async def show_list(request: Request, list_id: str, viewer: Viewer = Reader) -> JSON:
    async with uows(request).read() as uow:
        return JSON(present_list(await own_list(uow, account_id=viewer.account_id,
                                                list_id=path_id(list_id))))


@router.post("/api/v1/lists")
@declare(returns=ListEntity, takes=ListFields)
async def new_list(request: Request, viewer: Viewer = Writer) -> JSON:
    form = await parse(request, ListFields)
    async with uows(request).write() as uow:
        row = await create_list(uow, account_id=viewer.account_id, title=form.title or "",
                                replies_policy=form.replies_policy or RepliesPolicy.LIST,
                                exclusive=bool(form.exclusive))
        return JSON(present_list(row))


@router.put("/api/v1/lists/{list_id}")
@declare(returns=ListEntity, takes=ListFields)
async def change_list(request: Request, list_id: str, viewer: Viewer = Writer) -> JSON:
    form = await parse(request, ListFields)
    async with uows(request).write() as uow:
        row = await update_list(uow, account_id=viewer.account_id, list_id=path_id(list_id),
                                title=form.title, replies_policy=form.replies_policy,
                                exclusive=form.exclusive)
        return JSON(present_list(row))


@router.delete("/api/v1/lists/{list_id}")
@declare(returns=Empty)
async def remove_list(request: Request, list_id: str, viewer: Viewer = Writer) -> JSON:
    async with uows(request).write() as uow:
        await delete_list(uow, account_id=viewer.account_id, list_id=path_id(list_id))
    return JSON({})


@router.get("/api/v1/lists/{list_id}/accounts")
@declare(returns=list[Account], paged=True)
async def list_members(request: Request, list_id: str, origin: Origin,
                       viewer: Viewer = Reader) -> JSON:
    # `limit=0` asks for every member at once, as in Mastodon.
    everyone = request.query_params.get("limit") == "0"
    page = None if everyone else page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        found = await own_list(uow, account_id=viewer.account_id, list_id=path_id(list_id))
        rows = await uow.lists.members(found.id, page)
        response = JSON(await present_account_rows(uow, [row for _, row in rows], origin))
    if page is not None:
        link_header(request, response, [page_id for page_id, _ in rows])
    return response


@router.post("/api/v1/lists/{list_id}/accounts")
@declare(returns=Empty, takes=ListMembers)
async def add_members(request: Request, list_id: str, viewer: Viewer = Writer) -> JSON:
    account_ids = _account_ids(await parse(request, ListMembers))
    async with uows(request).write() as uow:
        await add_list_members(uow, account_id=viewer.account_id, list_id=path_id(list_id),
                               account_ids=account_ids)
    return JSON({})


@router.delete("/api/v1/lists/{list_id}/accounts")
@declare(returns=Empty, takes=ListMembers)
async def remove_members(request: Request, list_id: str, viewer: Viewer = Writer) -> JSON:
    account_ids = _account_ids(await parse(request, ListMembers))
    async with uows(request).write() as uow:
        await remove_list_members(uow, account_id=viewer.account_id, list_id=path_id(list_id),
                                  account_ids=account_ids)
    return JSON({})


@router.get("/api/v1/accounts/{account_id}/lists")
@declare(returns=list[ListEntity])
async def lists_with_account(request: Request, account_id: str, viewer: Viewer = Reader) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.get(path_id(account_id))
        if account is None:
            raise NotFound()
        rows = await uow.lists.containing(owner_id=viewer.account_id, account_id=account.id)
    return JSON([present_list(row) for row in rows])


@router.get("/api/v1/timelines/list/{list_id}")
@declare(returns=list[Status], paged=True)
async def list_timeline(request: Request, list_id: str, origin: Origin,
                        viewer: Viewer = Reader) -> JSON:
    page = page_from(request)
    async with uows(request).read() as uow:
        found = await own_list(uow, account_id=viewer.account_id, list_id=path_id(list_id))
        rows = await uow.lists.timeline(found, page)
        entities = await present_statuses(uow, rows, viewer_id=viewer.account_id,
                                          origin=origin, filter_context="home")
    # As on the home timeline: filters apply, and a thinned page still links on correctly.
    response = JSON([entity for entity in entities if not hidden_by_filter(entity)])
    link_header(request, response, [row.id for row in rows])
    return response
