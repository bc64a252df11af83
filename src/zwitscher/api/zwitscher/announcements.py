"""Announcements for admins: write, change, delete and list them (everyone reads them through
Mastodon's /api/v1/announcements)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from pydantic import field_validator

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse, with_examples
from zwitscher.api.presenters.announcements import (
    AdminAnnouncement,
    present_announcements_for_admin,
)
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import Forbidden
from zwitscher.services.oauth import Viewer
from zwitscher.services.write_announcement import (
    AnnouncementDraft,
    create_announcement,
    delete_announcement,
    update_announcement,
)

router = APIRouter(prefix="/api/zwitscher/v1/admin/announcements")


class AnnouncementFields(Params):
    model_config = with_examples({"text": "The canteen is closed on Friday."})

    text: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    all_day: bool = False
    published: bool = True

    @field_validator("starts_at", "ends_at", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return value or None

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """Times without a zone are UTC; far-off years are surely typing mistakes."""
        if value is None:
            return None
        if not 2000 <= value.year <= 9000:
            raise ValueError("must be a date between the years 2000 and 9000")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.get("")
@declare(returns=list[AdminAnnouncement], paged=True)
async def list_announcements(request: Request, origin: Origin,
                             viewer: Viewer = Depends(scoped("admin:read:announcements"))
                             ) -> JSON:
    page = page_from(request, default=40, maximum=200)
    async with uows(request).read() as uow:
        if not (await actor_of(uow, viewer)).administers:
            raise Forbidden("Only admins may manage announcements")
        rows = await uow.announcements.page(page)
        response = JSON(await present_announcements_for_admin(uow, rows, origin=origin))
    link_header(request, response, [row.id for row in rows])
    return response


@router.post("")
@declare(returns=AdminAnnouncement, takes=AnnouncementFields)
async def create(request: Request, origin: Origin,
                 viewer: Viewer = Depends(scoped("admin:write:announcements"))) -> JSON:
    form = await parse(request, AnnouncementFields)
    draft = AnnouncementDraft(text=form.text, starts_at=form.starts_at, ends_at=form.ends_at,
                              all_day=form.all_day, published=form.published)
    async with uows(request).write() as uow:
        row = await create_announcement(uow, actor=await actor_of(uow, viewer), draft=draft)
        return JSON((await present_announcements_for_admin(uow, [row], origin=origin))[0])


@router.put("/{announcement_id}")
@declare(returns=AdminAnnouncement, takes=AnnouncementFields)
async def update(request: Request, announcement_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("admin:write:announcements"))) -> JSON:
    form = await parse(request, AnnouncementFields)
    changes = {name: getattr(form, name) for name in form.model_fields_set}
    async with uows(request).write() as uow:
        row = await update_announcement(uow, actor=await actor_of(uow, viewer),
                                        announcement_id=path_id(announcement_id),
                                        changes=changes)
        return JSON((await present_announcements_for_admin(uow, [row], origin=origin))[0])


@router.delete("/{announcement_id}")
@declare(returns=Empty)
async def delete(request: Request, announcement_id: str,
                 viewer: Viewer = Depends(scoped("admin:write:announcements"))) -> JSON:
    async with uows(request).write() as uow:
        await delete_announcement(uow, actor=await actor_of(uow, viewer),
                                  announcement_id=path_id(announcement_id))
    return JSON({})
