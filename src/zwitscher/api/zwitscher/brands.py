"""Brand accounts: created and granted by admins, posted as by their authors (directly, with
approval, at a set time, or from a Mastodon app through a delegated token)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.entities import Account, MediaAttachment, Status
from zwitscher.api.oauth import Token
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.media import present_media
from zwitscher.api.presenters.scheduled_statuses import ScheduledPoll
from zwitscher.api.presenters.statuses import present_status
from zwitscher.api.responses import JSON
from zwitscher.api.v1.statuses import StatusCreate, status_draft
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.brands import brand_grant
from zwitscher.services.create_brand import create_brand
from zwitscher.services.grant_brand import grant_brand, revoke_brand
from zwitscher.services.oauth import Viewer, issue_brand_token
from zwitscher.services.post_as_brand import post_as_brand
from zwitscher.services.review_brand_draft import approve_brand_draft, reject_brand_draft

router = APIRouter(prefix="/api/zwitscher/v1/brands")


class BrandCreate(Params):
    model_config = with_examples({"username": "press", "display_name": "Press office"})

    username: str = ""
    display_name: str = ""


class AuthorGrant(Params):
    account_id: Id = ""
    needs_approval: bool = False


class BrandStatus(StatusCreate):
    scheduled_at: str | None = None


class Review(Params):
    note: str = ""


class DraftQuery(Params):
    state: str | None = None  # pending, scheduled, published or rejected


class BrandAccount(Account):
    needs_approval: bool


class AuthorGranted(TypedDict):
    brand_id: str
    account_id: str
    needs_approval: bool


class DraftParams(TypedDict):
    """The status as it will be posted (`services.post_as_brand.draft_params`)."""

    text: str
    visibility: str | None
    in_reply_to_id: int | None
    spoiler_text: str
    sensitive: bool | None
    language: str | None
    group_ids: list[str]
    media_ids: list[str]
    poll: ScheduledPoll | None


class Draft(TypedDict):
    id: str
    brand_id: str
    author_id: str
    state: str
    params: DraftParams
    scheduled_at: str | None
    reviewer_id: str | None
    review_note: str
    status_id: str | None
    created_at: str
    decided_at: str | None
    media_attachments: list[MediaAttachment]


async def _present_drafts(uow: UnitOfWork, rows: list[sa.Row], origin: str) -> list[dict]:
    """Drafts with the images waiting with them, for reviewers to see what they approve (a
    published draft's images are its status's)."""
    media = await uow.media.of_drafts([row.id for row in rows])
    return [{"id": str(draft.id), "brand_id": str(draft.brand_id),
             "author_id": str(draft.author_id), "state": draft.state,
             "params": draft.params, "scheduled_at": iso(draft.scheduled_at),
             "reviewer_id": str(draft.reviewer_id) if draft.reviewer_id else None,
             "review_note": draft.review_note,
             "status_id": str(draft.status_id) if draft.status_id else None,
             "created_at": iso(draft.created_at), "decided_at": iso(draft.decided_at),
             "media_attachments": [present_media(m, origin) for m in media.get(draft.id, [])]}
            for draft in rows]


async def _present_draft(uow: UnitOfWork, draft: sa.Row, origin: str) -> dict:
    return (await _present_drafts(uow, [draft], origin))[0]


def _when(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailed("scheduled_at must be an ISO 8601 date and time") from exc
    if moment.tzinfo is None:
        raise ValidationFailed("scheduled_at needs a time zone")
    return moment


@router.get("")
@declare(returns=list[BrandAccount])
async def my_brands(request: Request, origin: Origin,
                    viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    """The brand accounts you may post as (admins: all), with whether you need approval."""
    async with uows(request).read() as uow:
        actor = await actor_of(uow, viewer)
        if actor.administers:
            rows = [(row, False) for row in await uow.brands.all_brands()]
        else:
            rows = [(row, row.needs_approval) for row in
                    await uow.brands.brands_of(viewer.person_id)]
        entities = await present_account_rows(uow, [row for row, _ in rows], origin)
    return JSON([entity | {"needs_approval": needs}
                 for entity, (_, needs) in zip(entities, rows, strict=True)])


@router.post("")
@declare(returns=Account, takes=BrandCreate)
async def create(request: Request, origin: Origin,
                 viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    form = await parse(request, BrandCreate)
    async with uows(request).write() as uow:
        brand = await create_brand(uow, actor=await actor_of(uow, viewer),
                                   username=form.username, display_name=form.display_name)
        return JSON((await present_account_rows(uow, [brand], origin))[0])


@router.get("/{brand_id}/authors")
@declare(returns=list[BrandAccount])
async def authors(request: Request, brand_id: str, origin: Origin,
                  viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        actor = await actor_of(uow, viewer)
        if not actor.administers:
            await brand_grant(uow, person_id=viewer.person_id, role=viewer.role,
                              brand_id=path_id(brand_id))
        rows = await uow.brands.authors(path_id(brand_id))
        entities = await present_account_rows(uow, rows, origin)
    return JSON([entity | {"needs_approval": row.needs_approval}
                 for entity, row in zip(entities, rows, strict=True)])


@router.post("/{brand_id}/authors")
@declare(returns=AuthorGranted, takes=AuthorGrant)
async def grant(request: Request, brand_id: str,
                viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    form = await parse(request, AuthorGrant)
    author_id = parse_id(form.account_id)
    if author_id is None:
        raise NotFound("No such person")
    async with uows(request).write() as uow:
        await grant_brand(uow, actor=await actor_of(uow, viewer), brand_id=path_id(brand_id),
                          author_id=author_id, needs_approval=form.needs_approval)
    return JSON({"brand_id": brand_id, "account_id": str(author_id),
                 "needs_approval": form.needs_approval})


@router.delete("/{brand_id}/authors/{account_id}")
@declare(returns=Empty)
async def revoke(request: Request, brand_id: str, account_id: str,
                 viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await revoke_brand(uow, actor=await actor_of(uow, viewer), brand_id=path_id(brand_id),
                           author_id=path_id(account_id))
    return JSON({})


@router.post("/{brand_id}/statuses")
@declare(returns=Status, answers={202: Draft}, takes=BrandStatus)
async def post(request: Request, brand_id: str, origin: Origin,
               viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    """Post as the brand: 200 with the status, or 202 with the draft that waits (for approval
    or for its time)."""
    form = await parse(request, BrandStatus)
    draft, scheduled_at = status_draft(form), _when(form.scheduled_at)
    async with uows(request).write() as uow:
        done = await post_as_brand(uow, person_id=viewer.person_id, role=viewer.role,
                                   brand_id=path_id(brand_id), draft=draft,
                                   scheduled_at=scheduled_at, application_id=viewer.app_id)
        if done.status is not None:
            return JSON(await present_status(uow, done.status, viewer_id=viewer.account_id,
                                             origin=origin))
        return JSON(await _present_draft(uow, done.draft, origin), status_code=202)


@router.post("/{brand_id}/tokens")
@declare(returns=Token)
async def token(request: Request, brand_id: str,
                viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    """A token for a Mastodon app to post as the brand (the posts record you)."""
    async with uows(request).write() as uow:
        issued = await issue_brand_token(uow, viewer=viewer, brand_id=path_id(brand_id))
    return JSON({"access_token": issued.access_token, "token_type": "Bearer",
                 "scope": issued.scopes, "created_at": issued.created_at})


@router.get("/{brand_id}/drafts")
@declare(returns=list[Draft], takes=DraftQuery, paged=True)
async def drafts(request: Request, brand_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    page = page_from(request)
    state = (await parse(request, DraftQuery)).state
    if state not in (None, "", "pending", "scheduled", "published", "rejected"):
        raise ValidationFailed("state must be pending, scheduled, published or rejected")
    async with uows(request).read() as uow:
        actor = await actor_of(uow, viewer)
        if not actor.administers:
            await brand_grant(uow, person_id=viewer.person_id, role=viewer.role,
                              brand_id=path_id(brand_id))
        rows = await uow.brands.drafts(path_id(brand_id), page, state=state or None)
        response = JSON(await _present_drafts(uow, rows, origin))
    link_header(request, response, [row.id for row in rows])
    return response


@router.post("/{brand_id}/drafts/{draft_id}/approve")
@declare(returns=Draft)
async def approve(request: Request, brand_id: str, draft_id: str, origin: Origin,
                  viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    async with uows(request).write() as uow:
        draft = await approve_brand_draft(uow, actor=await actor_of(uow, viewer),
                                          brand_id=path_id(brand_id), draft_id=path_id(draft_id))
        return JSON(await _present_draft(uow, draft, origin))


@router.post("/{brand_id}/drafts/{draft_id}/reject")
@declare(returns=Draft, takes=Review)
async def reject(request: Request, brand_id: str, draft_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    form = await parse(request, Review)
    async with uows(request).write() as uow:
        draft = await reject_brand_draft(uow, actor=await actor_of(uow, viewer),
                                         brand_id=path_id(brand_id), draft_id=path_id(draft_id),
                                         note=form.note)
        return JSON(await _present_draft(uow, draft, origin))
