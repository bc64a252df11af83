"""Groups: managed centrally (admins and delegated managers), read by their members."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.entities import Account, Status
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.groups import Group, present_group
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import is_insider
from zwitscher.policies.groups import may_read_group
from zwitscher.services.change_group_members import add_group_members, remove_group_members
from zwitscher.services.create_group import GroupDraft, create_group
from zwitscher.services.delete_group import delete_group
from zwitscher.services.mark_press_group import PressSettings, mark_press_group
from zwitscher.services.oauth import Viewer
from zwitscher.services.update_group import update_group

router = APIRouter(prefix="/api/zwitscher/v1")


class GroupMember(Account):
    group_role: str


class MembersAdded(TypedDict):
    added: list[str]


class MembersRemoved(TypedDict):
    removed: list[str]


class GroupQuery(Params):
    q: str | None = None  # staff: groups whose slug starts with it


class GroupCreate(Params):
    model_config = with_examples({"slug": "press", "name": "Press office"})

    slug: str = ""
    name: str = ""
    description: str = ""
    parent_id: Id | None = None
    external_id: str | None = None


class GroupUpdate(Params):
    name: str | None = None
    description: str | None = None
    parent_id: Id | None = None  # given (even empty: to the top level) moves the group
    # Admins: a press group or not, and its public name and description.
    press: bool | None = None
    press_name: str | None = None
    press_description: str | None = None


class MembersChange(Params):
    account_ids: list[Id] = []
    role: str = "member"


def _ids(raw: list[str]) -> list[int]:
    ids = [parse_id(value) for value in raw]
    if None in ids:
        raise NotFound("No such account")
    return ids


async def _readable_group(uow, viewer: Viewer, group_id: int):
    group = await uow.groups.get(group_id)
    if group is None or not await may_read_group(uow, account_id=viewer.account_id,
                                                 role=viewer.role, group_id=group_id):
        raise NotFound()
    return group


async def _present(uow, group, viewer: Viewer) -> dict:
    counts = await uow.groups.member_counts([group.id])
    membership = await uow.groups.membership(group.id, viewer.account_id)
    return present_group(group, members_count=counts.get(group.id, 0),
                         my_role=membership.role if membership else None)


@router.get("/groups")
@declare(returns=list[Group], takes=GroupQuery, paged=True)
async def list_groups(request: Request, viewer: Viewer = Depends(scoped("read"))) -> JSON:
    page = page_from(request, default=40, maximum=200)
    query = await parse(request, GroupQuery)
    async with uows(request).read() as uow:
        if is_insider(viewer.role):
            rows = await uow.groups.page(page, slug_prefix=query.q)
        else:
            rows = await uow.groups.groups_of(viewer.account_id)
        counts = await uow.groups.member_counts([g.id for g in rows])
        mine = {g.id: g.group_role for g in await uow.groups.groups_of(viewer.account_id)}
        response = JSON([present_group(g, members_count=counts.get(g.id, 0),
                                       my_role=mine.get(g.id)) for g in rows])
    link_header(request, response, [g.id for g in rows])
    return response


@router.post("/groups")
@declare(returns=Group, takes=GroupCreate, errors=(404,))
async def create(request: Request, viewer: Viewer = Depends(scoped("write"))) -> JSON:
    form = await parse(request, GroupCreate)
    parent_id = None
    if form.parent_id:
        parent_id = parse_id(form.parent_id)
        if parent_id is None:
            raise NotFound("The parent group does not exist")
    async with uows(request).write() as uow:
        group = await create_group(uow, actor=await actor_of(uow, viewer), draft=GroupDraft(
            slug=form.slug, name=form.name, description=form.description,
            parent_id=parent_id, external_id=form.external_id or None))
        return JSON(await _present(uow, group, viewer))


@router.get("/groups/{group_id}")
@declare(returns=Group)
async def show(request: Request, group_id: str,
               viewer: Viewer = Depends(scoped("read"))) -> JSON:
    async with uows(request).read() as uow:
        group = await _readable_group(uow, viewer, path_id(group_id))
        return JSON(await _present(uow, group, viewer))


@router.patch("/groups/{group_id}")
@declare(returns=Group, takes=GroupUpdate)
async def update(request: Request, group_id: str,
                 viewer: Viewer = Depends(scoped("write"))) -> JSON:
    form = await parse(request, GroupUpdate)
    moves = {"parent_id": _parent(form.parent_id)} if "parent_id" in form.model_fields_set \
        else {}
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        group = await update_group(uow, actor=actor, group_id=path_id(group_id),
                                   name=form.name, description=form.description, **moves)
        press = PressSettings(form.press, form.press_name, form.press_description)
        if press != PressSettings():
            group = await mark_press_group(uow, actor=actor, group_id=group.id, settings=press)
        return JSON(await _present(uow, group, viewer))


def _parent(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise NotFound("The parent group does not exist")
    return value


@router.delete("/groups/{group_id}")
@declare(returns=Empty)
async def delete(request: Request, group_id: str,
                 viewer: Viewer = Depends(scoped("write"))) -> JSON:
    async with uows(request).write() as uow:
        await delete_group(uow, actor=await actor_of(uow, viewer), group_id=path_id(group_id))
    return JSON({})


@router.get("/groups/{group_id}/members")
@declare(returns=list[GroupMember], paged=True)
async def members(request: Request, group_id: str, origin: Origin,
                  viewer: Viewer = Depends(scoped("read"))) -> JSON:
    page = page_from(request, default=40, maximum=200)
    async with uows(request).read() as uow:
        group = await _readable_group(uow, viewer, path_id(group_id))
        rows = await uow.groups.members_page(group.id, page)
        entities = await present_account_rows(uow, rows, origin)
    response = JSON([entity | {"group_role": row.group_role}
                     for entity, row in zip(entities, rows, strict=True)])
    link_header(request, response, [row.id for row in rows])
    return response


@router.post("/groups/{group_id}/members")
@declare(returns=MembersAdded, takes=MembersChange)
async def add_members(request: Request, group_id: str,
                      viewer: Viewer = Depends(scoped("write"))) -> JSON:
    form = await parse(request, MembersChange)
    async with uows(request).write() as uow:
        change = await add_group_members(uow, actor=await actor_of(uow, viewer),
                                         group_id=path_id(group_id),
                                         account_ids=_ids(form.account_ids), role=form.role)
    return JSON({"added": [str(a) for a in change.added]})


@router.delete("/groups/{group_id}/members")
@declare(returns=MembersRemoved, takes=MembersChange)
async def remove_members(request: Request, group_id: str,
                         viewer: Viewer = Depends(scoped("write"))) -> JSON:
    form = await parse(request, MembersChange)
    async with uows(request).write() as uow:
        change = await remove_group_members(uow, actor=await actor_of(uow, viewer),
                                            group_id=path_id(group_id),
                                            account_ids=_ids(form.account_ids))
    return JSON({"removed": [str(a) for a in change.removed]})


@router.get("/groups/{group_id}/timeline")
@declare(returns=list[Status], paged=True)
async def timeline(request: Request, group_id: str, origin: Origin,
                   viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    """Posts addressed to the group, as far as the viewer may see them."""
    page = page_from(request)
    async with uows(request).read() as uow:
        group = await _readable_group(uow, viewer, path_id(group_id))
        rows = await uow.statuses.group_timeline(group.id, viewer.account_id, page)
        response = JSON(await present_statuses(uow, rows, viewer_id=viewer.account_id,
                                               origin=origin))
    link_header(request, response, [row.id for row in rows])
    return response
