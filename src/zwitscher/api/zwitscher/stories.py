"""Stories under our API (docs/stories.md): posts curated into an ordered, annotated page.

    POST   /api/zwitscher/v1/stories                         start one (write:stories)
    GET    /api/zwitscher/v1/stories                         mine: own, my brands', shared
    GET    /api/zwitscher/v1/stories/{id}                    one (editors; its audience once
                                                             published)
    PUT    /api/zwitscher/v1/stories/{id}                    save title, summary, audience and
                                                             blocks (a whole list), with
                                                             base_version; answers `conflict`
    POST   /api/zwitscher/v1/stories/{id}/publish|unpublish  its managers
    GET    /api/zwitscher/v1/stories/{id}/collaborators      its editors
    POST   /api/zwitscher/v1/stories/{id}/collaborators      its managers add one
    DELETE /api/zwitscher/v1/stories/{id}/collaborators/{account_id}
    DELETE /api/zwitscher/v1/stories/{id}                    its managers
    GET    /api/zwitscher/v1/stories/{id}/export.json|html   the exports
"""

from __future__ import annotations

from typing import NotRequired

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher import i18n
from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import Account
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.stories import PUBLIC
from zwitscher.services.change_story_collaborators import (
    add_story_collaborator,
    remove_story_collaborator,
)
from zwitscher.services.create_story import create_story
from zwitscher.services.delete_story import delete_story
from zwitscher.services.oauth import Viewer
from zwitscher.services.publish_story import publish_story, unpublish_story
from zwitscher.services.read_story import Person, my_stories, story_to_edit, story_to_read
from zwitscher.services.save_story import BlockDraft, Saved, StoryDraft, save_story
from zwitscher.views.stories import story_path
from zwitscher.views.story_documents import export_headers, story_document, story_html

router = APIRouter(prefix="/api/zwitscher/v1/stories")
READ = scoped("read:stories")
WRITE = scoped("write:stories")


class StoryCreate(Params):
    model_config = with_examples({"title": "Our open day", "summary": "What happened",
                                  "audience": "public"})

    title: str = ""
    summary: str = ""
    audience: str = PUBLIC
    owner_id: Id | None = None  # a brand account you may post as


class BlockParams(Params):
    type: str = ""  # heading, text or post
    text: str = ""
    status_id: Id | None = None  # a post block: the post's id ...
    url: str = ""  # ... or its address


class StoryUpdate(Params):
    model_config = with_examples({"base_version": 1, "title": "Our open day", "blocks": [
        {"type": "heading", "text": "Morning"}, {"type": "text", "text": "It began early."}]})

    base_version: int | None = None
    title: str | None = None
    summary: str | None = None
    audience: str | None = None
    blocks: list[BlockParams] | None = None  # None: the blocks stay


class CollaboratorAdd(Params):
    account_id: Id | None = None
    username: str = ""


class StoryOwner(TypedDict):
    id: str
    username: str
    acct: str
    display_name: str
    url: str
    avatar: str


class CuratedMedia(TypedDict):
    type: str
    url: str
    preview_url: str
    description: str | None


class CuratedPost(TypedDict):
    content: str
    spoiler_text: str
    sensitive: bool
    language: str | None
    created_at: str
    edited_at: str | None
    author: StoryOwner
    media: list[CuratedMedia]


class StoryPost(TypedDict):
    id: str
    url: str
    edited_since: bool
    curated: CuratedPost


class StoryBlock(TypedDict):
    type: str
    text: NotRequired[str]
    html: NotRequired[str]
    post: NotRequired[StoryPost]


class OverwrittenSave(TypedDict):
    version: int
    saved_at: str
    account_id: str | None
    username: str | None
    display_name: str


class Conflict(TypedDict):
    """Saves by others after your base version that your save replaced."""

    overwritten: list[OverwrittenSave]


class StoryDocument(TypedDict):
    """The JSON export."""

    id: str
    title: str
    summary: str
    summary_html: str
    audience: str
    published: bool
    published_at: str | None
    version: int
    created_at: str
    updated_at: str
    owner: StoryOwner
    url: str
    embed_url: str
    feed_url: str
    export_html_url: str
    export_json_url: str
    embed_html: str
    blocks: list[StoryBlock]


class Story(StoryDocument):
    role: str | None  # manager, collaborator, or None for a reader
    collaborators: NotRequired[list[Account]]  # to its editors
    conflict: NotRequired[Conflict | None]  # in the answer to a save


class StoryListed(TypedDict):
    id: str
    title: str
    audience: str
    published: bool
    version: int
    updated_at: str
    role: str
    url: str


def _person(viewer: Viewer) -> Person:
    return Person(viewer.person_id or viewer.account_id, viewer.role)


async def _present(uow: UnitOfWork, story_id: int, person: Person, origin: str) -> dict:
    view, access = await story_to_read(uow, reader=person, story_id=story_id)
    entity = story_document(view, origin) | {"role": access}
    if access is not None:
        entity["collaborators"] = await present_account_rows(
            uow, await uow.stories.collaborators(story_id), origin)
    return entity


def _conflict(saved: Saved) -> dict | None:
    if not saved.overwritten:
        return None
    return {"overwritten": [
        {"version": save.version, "saved_at": iso(save.saved_at),
         "account_id": str(save.account_id) if save.account_id else None,
         "username": save.username, "display_name": save.display_name}
        for save in saved.overwritten]}


def _block(params: BlockParams) -> BlockDraft:
    post = str(params.status_id) if params.status_id not in (None, "") else params.url
    return BlockDraft(params.type, params.text, post)


@router.post("")
@declare(returns=Story, takes=StoryCreate, errors=(403, 404))
async def create(request: Request, origin: Origin, viewer: Viewer = Depends(WRITE)) -> JSON:
    form = await parse(request, StoryCreate)
    owner_id = None
    if form.owner_id not in (None, ""):
        owner_id = parse_id(form.owner_id)
        if owner_id is None:
            raise NotFound("No such brand account")
    elif viewer.acts_for_brand:
        owner_id = viewer.account_id
    person = _person(viewer)
    async with uows(request).write() as uow:
        story_id = await create_story(uow, person=person, title=form.title,
                                      summary=form.summary, audience=form.audience,
                                      owner_id=owner_id)
        return JSON(await _present(uow, story_id, person, origin))


@router.get("")
@declare(returns=list[StoryListed])
async def mine(request: Request, origin: Origin, viewer: Viewer = Depends(READ)) -> JSON:
    """The stories you edit: your own, your brand accounts', those you collaborate on."""
    person = _person(viewer)
    async with uows(request).read() as uow:
        rows = await my_stories(uow, person=person)
        owners = await uow.accounts.get_many({row.owner_id for row, _ in rows})
    return JSON([{"id": str(row.id), "title": row.title, "audience": row.audience,
                  "published": row.published_at is not None, "version": row.version,
                  "updated_at": iso(row.updated_at), "role": access,
                  "url": origin + story_path(owners[row.owner_id].username, row.id)}
                 for row, access in rows])


@router.get("/{story_id}")
@declare(returns=Story)
async def show(request: Request, story_id: str, origin: Origin,
               viewer: Viewer = Depends(READ)) -> JSON:
    async with uows(request).read() as uow:
        return JSON(await _present(uow, path_id(story_id), _person(viewer), origin))


@router.put("/{story_id}")
@declare(returns=Story, takes=StoryUpdate)
async def update(request: Request, story_id: str, origin: Origin,
                 viewer: Viewer = Depends(WRITE)) -> JSON:
    """Save the story as a whole, based on `base_version`; the last save wins, and
    `conflict` names the saves by others it replaced."""
    form = await parse(request, StoryUpdate)
    if form.base_version is None:
        raise ValidationFailed("Say which version of the story your changes are based on "
                               "(base_version)")
    person = _person(viewer)
    draft = StoryDraft(
        base_version=form.base_version, title=form.title, summary=form.summary,
        audience=form.audience or None,
        blocks=None if form.blocks is None else tuple(_block(block) for block in form.blocks))
    async with uows(request).write() as uow:
        saved = await save_story(uow, person=person, story_id=path_id(story_id), draft=draft)
        entity = await _present(uow, saved.story_id, person, origin)
    return JSON(entity | {"conflict": _conflict(saved)})


async def _publishing(request: Request, story_id: str, origin: str, viewer: Viewer,
                      change) -> JSON:
    person = _person(viewer)
    async with uows(request).write() as uow:
        await change(uow, person=person, story_id=path_id(story_id))
        return JSON(await _present(uow, path_id(story_id), person, origin))


@router.post("/{story_id}/publish")
@declare(returns=Story, errors=(403,))
async def publish(request: Request, story_id: str, origin: Origin,
                  viewer: Viewer = Depends(WRITE)) -> JSON:
    return await _publishing(request, story_id, origin, viewer, publish_story)


@router.post("/{story_id}/unpublish")
@declare(returns=Story, errors=(403,))
async def unpublish(request: Request, story_id: str, origin: Origin,
                    viewer: Viewer = Depends(WRITE)) -> JSON:
    return await _publishing(request, story_id, origin, viewer, unpublish_story)


@router.get("/{story_id}/collaborators")
@declare(returns=list[Account])
async def collaborators(request: Request, story_id: str, origin: Origin,
                        viewer: Viewer = Depends(READ)) -> JSON:
    async with uows(request).read() as uow:
        story, _ = await story_to_edit(uow, person=_person(viewer), story_id=path_id(story_id))
        return JSON(await present_account_rows(uow, await uow.stories.collaborators(story.id),
                                               origin))


@router.post("/{story_id}/collaborators")
@declare(returns=Account, takes=CollaboratorAdd, errors=(403,))
async def add_collaborator(request: Request, story_id: str, origin: Origin,
                           viewer: Viewer = Depends(WRITE)) -> JSON:
    """Add a person of the organisation, by `account_id` or `username`."""
    form = await parse(request, CollaboratorAdd)
    who = str(form.account_id) if form.account_id not in (None, "") else form.username
    async with uows(request).write() as uow:
        account = await add_story_collaborator(uow, person=_person(viewer),
                                               story_id=path_id(story_id), who=who)
        return JSON((await present_account_rows(uow, [account], origin))[0])


@router.delete("/{story_id}/collaborators/{account_id}")
@declare(returns=Empty, errors=(403,))
async def remove_collaborator(request: Request, story_id: str, account_id: str,
                              viewer: Viewer = Depends(WRITE)) -> JSON:
    """Managers remove anyone; a collaborator may leave."""
    async with uows(request).write() as uow:
        await remove_story_collaborator(uow, person=_person(viewer),
                                        story_id=path_id(story_id),
                                        account_id=path_id(account_id))
    return JSON({})


@router.delete("/{story_id}")
@declare(returns=Empty, errors=(403,))
async def delete(request: Request, story_id: str, viewer: Viewer = Depends(WRITE)) -> JSON:
    async with uows(request).write() as uow:
        await delete_story(uow, person=_person(viewer), story_id=path_id(story_id))
    return JSON({})


@router.get("/{story_id}/export.json")
@declare(returns=StoryDocument)
async def export_json(request: Request, story_id: str, origin: Origin,
                      viewer: Viewer = Depends(READ)) -> JSON:
    async with uows(request).read() as uow:
        view, _ = await story_to_read(uow, reader=_person(viewer), story_id=path_id(story_id))
    return JSON(story_document(view, origin), headers=export_headers(view, "json"))


@router.get("/{story_id}/export.html")
@declare(returns=str, media_type="text/html")
async def export_html(request: Request, story_id: str, origin: Origin,
                      viewer: Viewer = Depends(READ)) -> Response:
    async with uows(request).read() as uow:
        view, _ = await story_to_read(uow, reader=_person(viewer), story_id=path_id(story_id))
    language = i18n.supported(request.query_params.get("lang")) or i18n.DEFAULT_LANGUAGE
    return Response(story_html(view, origin, language=language),
                    media_type="text/html; charset=utf-8", headers=export_headers(view, "html"))
