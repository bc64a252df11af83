"""Press releases of brand accounts, with embargoes (docs/press.md, "Press releases").

    GET    /api/zwitscher/v1/press/releases       what the caller may read, newest first
                                                  (read:press): their press groups' releases
                                                  under embargo, published ones, and all of
                                                  the brands they write for; ?brand_id, ?q,
                                                  ?embargoed=true|false
    POST   /api/zwitscher/v1/press/releases       write one for a brand (write:press)
    GET    /api/zwitscher/v1/press/releases/{id}  one (read:press); 404 for what the caller
                                                  may not read, embargoed releases included
    PUT    /api/zwitscher/v1/press/releases/{id}  change it before publication (write:press)
    DELETE /api/zwitscher/v1/press/releases/{id}  withdraw it before publication (write:press)
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import field_validator
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import Account, GroupRef, MediaAttachment
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, iso_datetime, parse, with_examples
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.groups import present_group_ref
from zwitscher.api.presenters.media import present_media
from zwitscher.api.responses import JSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.oauth import Viewer
from zwitscher.services.preview_press_release import press_room_path
from zwitscher.services.publish_press_release import release_path
from zwitscher.services.show_press_releases import (
    ReleaseView,
    show_press_release,
    show_press_releases,
)
from zwitscher.services.withdraw_press_release import withdraw_press_release
from zwitscher.services.write_press_release import ReleaseDraft, write_press_release

router = APIRouter(prefix="/api/zwitscher/v1/press/releases")


class Contact(TypedDict):
    account: Account | None
    details: str


class PressRelease(TypedDict):
    id: str
    brand: Account
    headline: str
    body: str
    content: str  # the body as HTML (paragraphs, links, mentions, hashtags)
    language: str | None
    public: bool
    groups: list[GroupRef]
    preview_at: str
    publish_at: str
    embargoed: bool
    published_at: str | None
    status_id: str | None
    url: str
    written_by: Account | None
    contact: Contact
    media_attachments: list[MediaAttachment]


class ReleaseFields(Params):
    model_config = with_examples({
        "brand_id": "110000000000000001", "headline": "Record year for the tram network",
        "body": "Passenger numbers rose by 12 per cent.\n\nMore figures follow.",
        "public": True, "group_ids": ["110000000000000002"],
        "preview_at": "2030-01-01T08:00:00Z", "publish_at": "2030-01-01T10:00:00Z"})

    brand_id: Id = ""
    headline: str = ""
    body: str = ""
    public: bool = False
    group_ids: list[Id] = []
    media_ids: list[Id] = []
    contact_id: Id | None = None
    contact_details: str = ""
    language: str | None = None
    preview_at: str | None = None
    publish_at: str | None = None

    @field_validator("language", "preview_at", "publish_at", "contact_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return value or None


class ReleaseQuery(Params):
    brand_id: Id | None = None
    q: str = ""
    embargoed: bool | None = None


def _ids(raw: list, name: str, maximum: int) -> tuple[int, ...]:
    ids = tuple(parse_id(value) for value in raw[:maximum + 1])
    if None in ids:
        raise ValidationFailed("%(name)s must be given by their ids", name=name)
    return ids


def _moment(raw: str | None, name: str) -> datetime | None:
    return None if raw is None else iso_datetime(raw, name)


def release_draft(form: ReleaseFields) -> ReleaseDraft:
    contact_id = None if form.contact_id is None else parse_id(form.contact_id)
    if form.contact_id is not None and contact_id is None:
        raise ValidationFailed("contact_id must be an account id")
    return ReleaseDraft(
        headline=form.headline, body=form.body, public=form.public,
        group_ids=_ids(form.group_ids, "Press groups", 20),
        media_ids=_ids(form.media_ids, "Media attachments", 4),
        contact_id=contact_id, contact_details=form.contact_details,
        language=form.language[:8] if form.language else None,
        preview_at=_moment(form.preview_at, "preview_at"),
        publish_at=_moment(form.publish_at, "publish_at"))


async def present_releases(uow: UnitOfWork, views: list[ReleaseView],
                           origin: str) -> list[PressRelease]:
    people = {row.id: row for view in views
              for row in (view.brand, view.written_by, view.contact) if row is not None}
    accounts = dict(zip(people, await present_account_rows(uow, list(people.values()), origin),
                        strict=True))
    return [_present(view, accounts, origin) for view in views]


def _present(view: ReleaseView, accounts: dict[int, dict], origin: str) -> PressRelease:
    release = view.release
    published = not view.embargoed and release.public
    return {
        "id": str(release.id), "brand": accounts[view.brand.id],
        "headline": release.headline, "body": release.body, "content": view.body_html,
        "language": release.language, "public": release.public,
        "groups": [present_group_ref(group) for group in view.groups],
        "preview_at": iso(release.preview_at), "publish_at": iso(release.publish_at),
        "embargoed": view.embargoed, "published_at": iso(release.published_at),
        "status_id": str(release.status_id) if release.status_id else None,
        "url": origin + (release_path(view.brand.username, release.id) if published
                         else press_room_path(release.id)),
        "written_by": accounts.get(release.written_by_id),
        "contact": {"account": accounts.get(release.contact_id),
                    "details": release.contact_details},
        "media_attachments": [present_media(row, origin) for row in view.media],
    }


def _person(viewer: Viewer) -> int:
    return viewer.person_id or viewer.account_id


@router.get("")
@declare(returns=list[PressRelease], takes=ReleaseQuery, paged=True)
async def list_releases(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("read:press"))) -> JSON:
    """Press releases you may read, newest first."""
    query = await parse(request, ReleaseQuery)
    page = page_from(request, default=20, maximum=40)
    brand_id = None if query.brand_id is None else parse_id(query.brand_id)
    async with uows(request).read() as uow:
        rows = [] if query.brand_id is not None and brand_id is None else \
            await uow.press_releases.readable_page(
                page, viewer_id=_person(viewer), now=utcnow(), brand_id=brand_id,
                query=query.q[:200],
                published=None if query.embargoed is None else not query.embargoed)
        response = JSON(await present_releases(uow, await show_press_releases(uow, rows),
                                               origin))
    link_header(request, response, [row.id for row in rows])
    return response


@router.post("")
@declare(returns=PressRelease, takes=ReleaseFields, errors=(403, 404, 422))
async def create_release(request: Request, origin: Origin,
                         viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """Write a press release for a brand account you may post as."""
    form = await parse(request, ReleaseFields)
    draft = release_draft(form)
    async with uows(request).write() as uow:
        row = await write_press_release(uow, person_id=_person(viewer), role=viewer.role,
                                        brand_id=_brand(form), draft=draft)
        return JSON(await _one(uow, row.id, viewer, origin))


@router.get("/{release_id}")
@declare(returns=PressRelease, errors=(404,))
async def show_release(request: Request, release_id: str, origin: Origin,
                       viewer: Viewer = Depends(scoped("read:press"))) -> JSON:
    async with uows(request).read() as uow:
        return JSON(await _one(uow, path_id(release_id), viewer, origin))


@router.put("/{release_id}")
@declare(returns=PressRelease, takes=ReleaseFields, errors=(403, 404, 422))
async def change_release(request: Request, release_id: str, origin: Origin,
                         viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """Change a release before it is published (all fields, as when writing it)."""
    form = await parse(request, ReleaseFields)
    draft = release_draft(form)
    async with uows(request).write() as uow:
        row = await write_press_release(uow, person_id=_person(viewer), role=viewer.role,
                                        brand_id=_brand(form), draft=draft,
                                        release_id=path_id(release_id))
        return JSON(await _one(uow, row.id, viewer, origin))


@router.delete("/{release_id}")
@declare(returns=Empty, errors=(403, 404, 422))
async def withdraw_release(request: Request, release_id: str,
                           viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """Withdraw a release before it is published."""
    async with uows(request).write() as uow:
        await withdraw_press_release(uow, person_id=_person(viewer), role=viewer.role,
                                     release_id=path_id(release_id))
    return JSON({})


def _brand(form: ReleaseFields) -> int:
    brand_id = parse_id(form.brand_id)
    if brand_id is None:
        raise ValidationFailed("brand_id must be the id of a brand account")
    return brand_id


async def _one(uow: UnitOfWork, release_id: int, viewer: Viewer, origin: str) -> PressRelease:
    view = await show_press_release(uow, release_id=release_id, viewer_id=_person(viewer))
    if view is None:
        raise NotFound()
    return (await present_releases(uow, [view], origin))[0]
