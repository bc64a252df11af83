"""What a live event's organisers do under our API (docs/events.md): review held posts, keep
the wall, end the event and turn it into a story.

    GET  /api/zwitscher/v1/events/{id}/held                     held posts (an author: theirs)
    POST /api/zwitscher/v1/events/{id}/held/{held_id}/publish   publish one (organisers)
    POST /api/zwitscher/v1/events/{id}/held/{held_id}/discard   discard one (organisers)
    GET  /api/zwitscher/v1/events/{id}/wall                     the wall's address
    POST /api/zwitscher/v1/events/{id}/wall/renew               a new secret link
    POST /api/zwitscher/v1/events/{id}/wall/hide                take a post off the wall
    POST /api/zwitscher/v1/events/{id}/archive                  end and archive it now
    POST /api/zwitscher/v1/events/{id}/story                    turn it into a story
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import Status
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.statuses import present_status
from zwitscher.api.responses import JSON, client_language
from zwitscher.api.zwitscher.events import (
    PATH,
    HeldEventPost,
    LiveEvent,
    event_answer,
    held_data,
    writer_of,
)
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.policies.events import PUBLIC
from zwitscher.services.archive_event import archive_event_now
from zwitscher.services.event_links import secret_wall_path, wall_path, wall_secret
from zwitscher.services.hide_from_wall import hide_from_wall, renew_wall_secret
from zwitscher.services.oauth import Viewer
from zwitscher.services.review_held_post import (
    discard_held_post,
    held_posts,
    publish_held_post,
)
from zwitscher.services.see_event import organise_event
from zwitscher.services.turn_event_into_story import turn_event_into_story

router = APIRouter(prefix=PATH)


class Hide(Params):
    status_id: Id = ""


class EventWall(TypedDict):
    url: str
    # Whether the address works without a sign-in for anyone (a public event's) or is a
    # secret link (every other event's).
    secret: bool


class EventStory(TypedDict):
    id: str
    url: str


@router.get("/{event_id}/held")
@declare(returns=list[HeldEventPost])
async def held(request: Request, event_id: str,
               viewer: Viewer = Depends(scoped("read:events"))) -> JSON:
    """The posts held for review, oldest first: all of them for an organiser, your own
    otherwise."""
    async with uows(request).read() as uow:
        rows = await held_posts(uow, person=writer_of(viewer), event_id=path_id(event_id))
    language = client_language(request)
    return JSON([held_data(row, language) for row in rows])


@router.post("/{event_id}/held/{held_id}/publish")
@declare(returns=Status, errors=(403,))
async def publish(request: Request, event_id: str, held_id: str, origin: Origin,
                  viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Publish a held post once the consent allows it (422 naming who still does not
    agree); its author is e-mailed."""
    writer = writer_of(viewer)
    async with uows(request).write() as uow:
        status = await publish_held_post(uow, person=writer, event_id=path_id(event_id),
                                         held_id=path_id(held_id))
        return JSON(await present_status(uow, status, viewer_id=writer.account_id,
                                         origin=origin))


@router.post("/{event_id}/held/{held_id}/discard")
@declare(returns=Empty, errors=(403,))
async def discard(request: Request, event_id: str, held_id: str,
                  viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Discard a held post; its author is e-mailed."""
    async with uows(request).write() as uow:
        await discard_held_post(uow, person=writer_of(viewer), event_id=path_id(event_id),
                                held_id=path_id(held_id))
    return JSON({})


async def _wall(request: Request, event_id: int, viewer: Viewer, origin: str) -> JSON:
    async with uows(request).read() as uow:
        event = (await organise_event(uow, person=writer_of(viewer), event_id=event_id)).event
        if event.audience == PUBLIC:
            return JSON({"url": origin + wall_path(event.id), "secret": False})
        secret = await wall_secret(uow, event)
    return JSON({"url": origin + secret_wall_path(secret), "secret": True})


@router.get("/{event_id}/wall")
@declare(returns=EventWall, errors=(403,))
async def wall(request: Request, event_id: str, origin: Origin,
               viewer: Viewer = Depends(scoped("read:events"))) -> JSON:
    """The wall's address for a projector (organisers)."""
    return await _wall(request, path_id(event_id), viewer, origin)


@router.post("/{event_id}/wall/renew")
@declare(returns=EventWall, errors=(403,))
async def renew(request: Request, event_id: str, origin: Origin,
                viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """A new secret link for the wall: the old one answers 404, open walls on it end."""
    async with uows(request).write() as uow:
        await renew_wall_secret(uow, person=writer_of(viewer), event_id=path_id(event_id))
    return await _wall(request, path_id(event_id), viewer, origin)


@router.post("/{event_id}/wall/hide")
@declare(returns=Empty, takes=Hide, errors=(403, 404))
async def hide(request: Request, event_id: str,
               viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Take a post off the wall: it disappears from every open wall at once."""
    status_id = parse_id(str((await parse(request, Hide)).status_id))
    if status_id is None:
        raise NotFound()
    async with uows(request).write() as uow:
        await hide_from_wall(uow, person=writer_of(viewer), event_id=path_id(event_id),
                             status_id=status_id)
    return JSON({})


@router.post("/{event_id}/archive")
@declare(returns=LiveEvent, errors=(403,))
async def archive(request: Request, event_id: str, origin: Origin,
                  viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """End the event now and archive it (organisers); it is archived at its end anyway."""
    async with uows(request).write() as uow:
        await archive_event_now(uow, person=writer_of(viewer), event_id=path_id(event_id))
    return await event_answer(request, path_id(event_id), writer_of(viewer), origin)


@router.post("/{event_id}/story")
@declare(returns=EventStory, errors=(403,))
async def story(request: Request, event_id: str, origin: Origin,
                viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Turn the archived event into a story (unpublished, for you to look over and publish);
    asked again, the same story."""
    async with uows(request).write() as uow:
        story_id = await turn_event_into_story(uow, person=writer_of(viewer),
                                               event_id=path_id(event_id),
                                               language=client_language(request))
    return JSON({"id": str(story_id), "url": f"{origin}/web/stories/{story_id}"})
