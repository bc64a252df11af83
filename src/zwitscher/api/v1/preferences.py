"""A person's preferences and reading positions (markers), as Mastodon apps sync them."""

from __future__ import annotations

from typing import NotRequired

from fastapi import APIRouter, Depends, Request
from pydantic import field_validator
from typing_extensions import TypedDict

from zwitscher.api.deps import scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.visibility import MASTODON_EQUIVALENT
from zwitscher.services.oauth import Viewer

router = APIRouter()

TIMELINES = ("home", "notifications")

Preferences = TypedDict("Preferences", {
    "posting:default:visibility": str, "posting:default:sensitive": bool,
    "posting:default:language": str | None, "posting:default:quote_policy": str,
    "reading:expand:media": str, "reading:expand:spoilers": bool,
    "reading:autoplay:gifs": bool, "zwitscher:default:visibility": str})


class Marker(TypedDict):
    last_read_id: str
    version: int
    updated_at: str


class Markers(TypedDict):
    home: NotRequired[Marker]
    notifications: NotRequired[Marker]


class MarkerQuery(Params):
    timeline: list[str] = []

    @field_validator("timeline", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return value if isinstance(value, list) else [value]


class Position(Params):
    last_read_id: Id | None = None


class Positions(Params):
    home: Position | None = None
    notifications: Position | None = None


@router.get("/api/v1/preferences")
@declare(returns=Preferences)
async def preferences(request: Request,
                      viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        user = await uow.accounts.user_by_id(viewer.user_id)
    return JSON({
        "posting:default:visibility": MASTODON_EQUIVALENT.get(user.default_visibility,
                                                              user.default_visibility),
        "posting:default:sensitive": user.default_sensitive,
        "posting:default:language": user.default_language,
        "posting:default:quote_policy": "nobody",
        "reading:expand:media": user.expand_media,
        "reading:expand:spoilers": user.expand_spoilers,
        "reading:autoplay:gifs": False,
        "zwitscher:default:visibility": user.default_visibility,
    })


@router.get("/api/v1/markers")
@declare(returns=Markers, takes=MarkerQuery)
async def get_markers(request: Request,
                      viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    wanted = [t for t in (await parse(request, MarkerQuery)).timeline if t in TIMELINES]
    async with uows(request).read() as uow:
        rows = await uow.markers.of(viewer.account_id, wanted)
    return JSON({row.timeline: _present(row) for row in rows})


@router.post("/api/v1/markers")
@declare(returns=Markers, takes=Positions)
async def save_markers(request: Request,
                       viewer: Viewer = Depends(scoped("write:statuses"))) -> JSON:
    form = await parse(request, Positions)
    positions = {}
    for timeline in TIMELINES:
        given = getattr(form, timeline)
        if given is None:
            continue
        last_read = parse_id(given.last_read_id)
        if last_read is None:
            raise ValidationFailed(f"{timeline}[last_read_id] must be a status or "
                                   "notification id")
        positions[timeline] = last_read
    if not positions:
        raise ValidationFailed("Give home[last_read_id] or notifications[last_read_id]")
    async with uows(request).write() as uow:
        for timeline, last_read in positions.items():
            await uow.markers.save(viewer.account_id, timeline, last_read)
        rows = await uow.markers.of(viewer.account_id, list(positions))
    return JSON({row.timeline: _present(row) for row in rows})


def _present(row) -> dict:
    return {"last_read_id": str(row.last_read_id), "version": row.version,
            "updated_at": iso(row.updated_at)}
