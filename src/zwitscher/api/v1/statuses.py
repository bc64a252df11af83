"""Statuses: post, read, edit, delete, threads, and the marks people set on them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import field_validator
from typing_extensions import TypedDict

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.entities import Account, Status
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, IdList, Params, iso_datetime, parse, with_examples
from zwitscher.api.presenters.accounts import present_accounts
from zwitscher.api.presenters.scheduled_statuses import (
    ScheduledStatus,
    present_scheduled_status,
)
from zwitscher.api.presenters.statuses import (
    StatusEdit,
    StatusSource,
    present_history,
    present_own_reblog,
    present_source,
    present_status,
    present_statuses,
    render_statuses,
)
from zwitscher.api.responses import JSON, RawJSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.polls import PollDraft
from zwitscher.domain.visibility import Visibility
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.delete_status import delete_status
from zwitscher.services.edit_status import StatusChanges, edit_status
from zwitscher.services.mark_status import (
    bookmark_status,
    favourite_status,
    pin_status,
    unfavourite_status,
)
from zwitscher.services.mute_thread import mute_thread
from zwitscher.services.oauth import Viewer
from zwitscher.services.post_status import StatusDraft, post_status
from zwitscher.services.reblog_status import reblog_status, unreblog_status
from zwitscher.services.schedule_status import schedule_status
from zwitscher.services.upload_media import media_details

router = APIRouter()


class Context(TypedDict):
    ancestors: list[Status]
    descendants: list[Status]


class PollParams(Params):
    # A list, or Rails' indexed form (`poll[options][0]=...`), which arrives as a dict.
    options: list[str] | dict[str, str]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False

    @field_validator("options")
    @classmethod
    def _in_order(cls, value):
        if isinstance(value, dict):
            if not all(key.isascii() and key.isdigit() for key in value):
                raise ValueError("options must be a list")
            return [value[key] for key in sorted(value, key=int)]
        return value

    def draft(self) -> PollDraft:
        return PollDraft(tuple(self.options), self.expires_in, self.multiple, self.hide_totals)


class StatusCreate(Params):
    model_config = with_examples({"status": "Hello from the API #zwitscher"},
                                 {"status": "Lunch?", "visibility": "unlisted",
                                  "poll": {"options": ["Pizza", "Salad"], "expires_in": 3600}})

    status: str = ""
    in_reply_to_id: Id | None = None
    visibility: Visibility | None = None  # None: the author's default
    spoiler_text: str = ""
    sensitive: bool | None = None  # None: the author's default
    language: str | None = None
    media_ids: list[Id] = []
    poll: PollParams | None = None
    scheduled_at: str | None = None
    # Ours: the groups a `group` status is addressed to.
    group_ids: list[Id] = []

    @field_validator("visibility", mode="before")
    @classmethod
    def _blank_is_default(cls, value):
        return value or None

    @field_validator("language", mode="before")
    @classmethod
    def _short_language(cls, value):
        return value[:16] if isinstance(value, str) and value else None


class MediaAttributes(Params):
    id: Id
    description: str | None = None
    focus: str | None = None


class StatusUpdate(Params):
    status: str = ""
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    media_ids: list[Id] | None = None  # None: keep the attachments
    media_attributes: list[MediaAttributes] = []
    poll: PollParams | None = None


def status_draft(form: StatusCreate) -> StatusDraft:
    return StatusDraft(text=form.status, visibility=form.visibility,
                       in_reply_to_id=_reply_id(form.in_reply_to_id),
                       spoiler_text=form.spoiler_text[:1000], sensitive=form.sensitive,
                       language=form.language, group_ids=_group_ids(form.group_ids),
                       media_ids=_media_ids(form.media_ids),
                       poll=form.poll.draft() if form.poll else None)


def _media_ids(raw: list[Id]) -> tuple[int, ...]:
    ids = tuple(parse_id(value) for value in raw[:MAX_ATTACHMENTS + 1])
    if None in ids:
        raise ValidationFailed("Media attachments must be given by their ids")
    return ids


def status_changes(form: StatusUpdate) -> StatusChanges:
    details = tuple((_media_ids([item.id])[0], media_details(item.description, item.focus))
                    for item in form.media_attributes[:MAX_ATTACHMENTS + 1])
    return StatusChanges(text=form.status, spoiler_text=form.spoiler_text[:1000],
                         sensitive=form.sensitive, language=form.language,
                         media_ids=None if form.media_ids is None else _media_ids(form.media_ids),
                         media_details=details,
                         poll=form.poll.draft() if form.poll else None)


def _group_ids(raw: list[Id]) -> tuple[int, ...]:
    ids = tuple(parse_id(value) for value in raw[:100])
    if None in ids:
        raise NotFound("No such group")
    return ids


def _reply_id(raw) -> int | None:
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise NotFound("The status you are replying to does not exist or is not visible")
    return value


@router.post("/api/v1/statuses")
@declare(returns=Status | ScheduledStatus, takes=StatusCreate, errors=(404,))
async def create_status(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    form = await parse(request, StatusCreate)
    draft = status_draft(form)
    key = request.headers.get("idempotency-key")
    posted_by_id = viewer.person_id if viewer.acts_for_brand else None
    if form.scheduled_at:
        at = iso_datetime(form.scheduled_at, "scheduled_at")
        async with uows(request).write() as uow:
            scheduled = await schedule_status(
                uow, author_id=viewer.account_id, draft=draft, at=at,
                posted_by_id=posted_by_id, application_id=viewer.app_id,
                idempotency_key=key[:200] if key else None)
            return JSON(await present_scheduled_status(uow, scheduled, origin=origin))

    async def post(uow: UnitOfWork) -> JSON:
        status = await post_status(uow, author_id=viewer.account_id, draft=draft,
                                   posted_by_id=posted_by_id, application_id=viewer.app_id,
                                   idempotency_key=key[:200] if key else None)
        return JSON(await present_status(uow, status, viewer_id=viewer.account_id,
                                         origin=origin))

    return await uows(request).write_at_once(post)


async def _visible_or_404(uow, status_id: str, viewer: Viewer | None):
    status = await uow.statuses.get_visible(path_id(status_id),
                                            viewer.account_id if viewer else None)
    if status is None:
        raise NotFound()
    return status


@router.get("/api/v1/statuses/{status_id}")
@declare(returns=Status)
async def get_status(request: Request, status_id: str, origin: Origin,
                     viewer: OptionalViewer) -> RawJSON:
    viewer_id = viewer.account_id if viewer else None

    async def read(uow: UnitOfWork) -> RawJSON:
        status = await _visible_or_404(uow, status_id, viewer)
        page = await render_statuses(uow, [status.id], viewer_id=viewer_id, origin=origin)
        if not page.entities:
            raise NotFound()
        return RawJSON(page.entities[0][1])

    return await uows(request).read_at_once(read)


@router.get("/api/v1/statuses")
@declare(returns=list[Status], takes=IdList)
async def get_statuses(request: Request, origin: Origin, viewer: OptionalViewer) -> RawJSON:
    ids = (await parse(request, IdList)).ids(20)
    viewer_id = viewer.account_id if viewer else None

    async def read(uow: UnitOfWork) -> RawJSON:
        rows = [row for i in ids if (row := await uow.statuses.get_visible(i, viewer_id))]
        page = await render_statuses(uow, [row.id for row in rows], viewer_id=viewer_id,
                                     origin=origin)
        return RawJSON(b"[" + b",".join(entity for _, entity in page.entities) + b"]")

    return await uows(request).read_at_once(read)


@router.delete("/api/v1/statuses/{status_id}")
@declare(returns=Status)
async def remove_status(request: Request, status_id: str, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    async with uows(request).write() as uow:
        status = await uow.statuses.get_visible(path_id(status_id), viewer.account_id)
        if status is None:
            raise NotFound()
        entity = await present_status(uow, status, viewer_id=viewer.account_id, origin=origin)
        await delete_status(uow, actor_id=viewer.account_id, status_id=status.id)
    entity["text"] = status.text  # for delete-and-redraft
    return JSON(entity)


@router.put("/api/v1/statuses/{status_id}")
@declare(returns=Status, takes=StatusUpdate)
async def update_status(request: Request, status_id: str, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    changes = status_changes(await parse(request, StatusUpdate))
    async with uows(request).write() as uow:
        status = await edit_status(uow, editor_id=viewer.account_id,
                                   status_id=path_id(status_id), changes=changes)
        return JSON(await present_status(uow, status, viewer_id=viewer.account_id,
                                         origin=origin))


@router.get("/api/v1/statuses/{status_id}/history")
@declare(returns=list[StatusEdit])
async def history(request: Request, status_id: str, origin: Origin,
                  viewer: OptionalViewer) -> JSON:
    async with uows(request).read() as uow:
        status = await _visible_or_404(uow, status_id, viewer)
        return JSON(await present_history(uow, status, origin=origin))


@router.get("/api/v1/statuses/{status_id}/source")
@declare(returns=StatusSource)
async def source(request: Request, status_id: str,
                 viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    async with uows(request).read() as uow:
        status = await _visible_or_404(uow, status_id, viewer)
    if status.account_id != viewer.account_id:
        raise NotFound()
    return JSON(present_source(status))


@router.get("/api/v1/statuses/{status_id}/context")
@declare(returns=Context)
async def context(request: Request, status_id: str, origin: Origin,
                  viewer: OptionalViewer) -> RawJSON:
    viewer_id = viewer.account_id if viewer else None

    async def read(uow: UnitOfWork) -> RawJSON:
        status = await _visible_or_404(uow, status_id, viewer)
        ancestors = [row.id for row in await uow.statuses.ancestors(status, viewer_id)]
        descendants = [row.id for row in await uow.statuses.descendants(status, viewer_id)]
        page = await render_statuses(uow, ancestors + descendants, viewer_id=viewer_id,
                                     origin=origin, filter_context="thread")
        shown = {status_id: entity for status_id, entity in page.entities
                 if status_id not in page.hidden}

        def array(ids: list[int]) -> bytes:
            return b"[" + b",".join(shown[i] for i in ids if i in shown) + b"]"

        return RawJSON(b'{"ancestors":' + array(ancestors) + b',"descendants":'
                       + array(descendants) + b"}")

    return await uows(request).read_at_once(read)


async def _act(request: Request, origin: str, viewer: Viewer, status_id: str, action) -> JSON:
    async with uows(request).write() as uow:
        status = await action(uow, account_id=viewer.account_id, status_id=path_id(status_id))
        return JSON(await present_status(uow, status, viewer_id=viewer.account_id,
                                         origin=origin))


@router.post("/api/v1/statuses/{status_id}/favourite")
@declare(returns=Status)
async def favourite(request: Request, status_id: str, origin: Origin,
                    viewer: Viewer = Depends(scoped("write:favourites"))) -> JSON:
    return await _act(request, origin, viewer, status_id, favourite_status)


@router.post("/api/v1/statuses/{status_id}/unfavourite")
@declare(returns=Status)
async def unfavourite(request: Request, status_id: str, origin: Origin,
                      viewer: Viewer = Depends(scoped("write:favourites"))) -> JSON:
    return await _act(request, origin, viewer, status_id, unfavourite_status)


class ReblogOptions(Params):
    visibility: Visibility = Visibility.PUBLIC


@router.post("/api/v1/statuses/{status_id}/reblog")
@declare(returns=Status, takes=ReblogOptions)
async def reblog(request: Request, status_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    options = await parse(request, ReblogOptions)
    async with uows(request).write() as uow:
        boost = await reblog_status(uow, account_id=viewer.account_id,
                                    status_id=path_id(status_id), visibility=options.visibility)
        entity = await present_status(uow, boost, viewer_id=viewer.account_id, origin=origin)
    return JSON(present_own_reblog(entity))


@router.post("/api/v1/statuses/{status_id}/unreblog")
@declare(returns=Status)
async def unreblog(request: Request, status_id: str, origin: Origin,
                   viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    return await _act(request, origin, viewer, status_id, unreblog_status)


def _toggle(service, on: bool):
    async def action(uow, *, account_id, status_id):
        return await service(uow, account_id=account_id, status_id=status_id, on=on)

    return action


@router.post("/api/v1/statuses/{status_id}/bookmark")
@declare(returns=Status)
async def bookmark(request: Request, status_id: str, origin: Origin,
                   viewer: Viewer = Depends(scoped("write:bookmarks"))) -> JSON:
    return await _act(request, origin, viewer, status_id, _toggle(bookmark_status, True))


@router.post("/api/v1/statuses/{status_id}/unbookmark")
@declare(returns=Status)
async def unbookmark(request: Request, status_id: str, origin: Origin,
                     viewer: Viewer = Depends(scoped("write:bookmarks"))) -> JSON:
    return await _act(request, origin, viewer, status_id, _toggle(bookmark_status, False))


@router.post("/api/v1/statuses/{status_id}/mute")
@declare(returns=Status)
async def mute(request: Request, status_id: str, origin: Origin,
               viewer: Viewer = Depends(scoped("write:mutes"))) -> JSON:
    return await _act(request, origin, viewer, status_id, _toggle(mute_thread, True))


@router.post("/api/v1/statuses/{status_id}/unmute")
@declare(returns=Status)
async def unmute(request: Request, status_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("write:mutes"))) -> JSON:
    return await _act(request, origin, viewer, status_id, _toggle(mute_thread, False))


@router.post("/api/v1/statuses/{status_id}/pin")
@declare(returns=Status)
async def pin(request: Request, status_id: str, origin: Origin,
              viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    return await _act(request, origin, viewer, status_id, _toggle(pin_status, True))


@router.post("/api/v1/statuses/{status_id}/unpin")
@declare(returns=Status)
async def unpin(request: Request, status_id: str, origin: Origin,
                viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    return await _act(request, origin, viewer, status_id, _toggle(pin_status, False))


async def _who(request: Request, status_id: str, origin: str, viewer: Viewer | None,
               mark: str) -> JSON:
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        status = await _visible_or_404(uow, status_id, viewer)
        if mark == "reblog":
            pairs = await uow.statuses.rebloggers(status.id, page)
        else:
            pairs = await uow.interactions.marking_accounts(mark, status.id, page)
        accounts = await present_accounts(uow, [account_id for _, account_id in pairs], origin)
    response = JSON(accounts)
    link_header(request, response, [page_id for page_id, _ in pairs])
    return response


@router.get("/api/v1/statuses/{status_id}/favourited_by")
@declare(returns=list[Account], paged=True)
async def favourited_by(request: Request, status_id: str, origin: Origin,
                        viewer: OptionalViewer) -> JSON:
    return await _who(request, status_id, origin, viewer, "favourite")


@router.get("/api/v1/statuses/{status_id}/reblogged_by")
@declare(returns=list[Account], paged=True)
async def reblogged_by(request: Request, status_id: str, origin: Origin,
                       viewer: OptionalViewer) -> JSON:
    return await _who(request, status_id, origin, viewer, "reblog")


async def _marked(request: Request, origin: str, viewer: Viewer, mark: str) -> JSON:
    page = page_from(request)
    async with uows(request).read() as uow:
        pairs = await uow.interactions.marked_statuses(mark, viewer.account_id, page)
        response = JSON(await present_statuses(uow, [row for _, row in pairs],
                                               viewer_id=viewer.account_id, origin=origin))
    link_header(request, response, [mark_id for mark_id, _ in pairs])
    return response


@router.get("/api/v1/favourites")
@declare(returns=list[Status], paged=True)
async def favourites(request: Request, origin: Origin,
                     viewer: Viewer = Depends(scoped("read:favourites"))) -> JSON:
    return await _marked(request, origin, viewer, "favourite")


@router.get("/api/v1/bookmarks")
@declare(returns=list[Status], paged=True)
async def bookmarks(request: Request, origin: Origin,
                    viewer: Viewer = Depends(scoped("read:bookmarks"))) -> JSON:
    return await _marked(request, origin, viewer, "bookmark")
