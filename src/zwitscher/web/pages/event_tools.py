"""The organisers' tools on an event's page: invite, add a co-organiser, review held posts,
keep the wall, end the event, turn it into a story. Plain forms that answer 303 back to the
page (`events.act`); the rules are the services'.

    POST /web/events/{id}/invitations             names and addresses, one per line or comma
    POST /web/events/{id}/organisers              a username
    POST /web/events/{id}/held/{held}/publish     publish a held post (consent allows it now)
    POST /web/events/{id}/held/{held}/discard     discard it
    POST /web/events/{id}/wall/hide               take a post off the wall
    POST /web/events/{id}/wall/renew              a new secret link for the wall
    POST /web/events/{id}/archive                 end it now
    POST /web/events/{id}/story                   turn the archived event into a story
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.archive_event import archive_event_now
from zwitscher.services.change_event_organisers import add_event_organiser_named
from zwitscher.services.hide_from_wall import hide_from_wall, renew_wall_secret
from zwitscher.services.invite_to_event import MAX_AT_ONCE, invite_named
from zwitscher.services.review_held_post import discard_held_post, publish_held_post
from zwitscher.services.turn_event_into_story import turn_event_into_story
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.events import PATH, act, event_page, person_of

router = APIRouter()
_SEPARATORS = re.compile(r"[\s,;]+")


@router.post(PATH + "/{event_id}/invitations", include_in_schema=False)
async def invite(event_id: str, request: Request, browser: SignedIn,
                 form: GenuineForm) -> Response:
    names = [name for name in _SEPARATORS.split(form.get("names", "")[:20_000]) if name]

    async def action(uow, person, event_id):
        await invite_named(uow, person=person, event_id=event_id,
                           names=names[:MAX_AT_ONCE + 1])

    return await act(request, browser, event_id, form, action, "invited", "#participants")


@router.post(PATH + "/{event_id}/organisers", include_in_schema=False)
async def add_organiser(event_id: str, request: Request, browser: SignedIn,
                        form: GenuineForm) -> Response:
    async def action(uow, person, event_id):
        await add_event_organiser_named(uow, person=person, event_id=event_id,
                                        username=form.get("username", "")[:100])

    return await act(request, browser, event_id, form, action, "organiser", "#organisers")


def _held_action(name: str, done: str, call) -> None:
    async def route(event_id: str, held_id: str, request: Request, browser: SignedIn,
                    form: GenuineForm) -> Response:
        async def action(uow, person, event_id):
            await call(uow, person=person, event_id=event_id, held_id=parse_id(held_id) or 0)

        return await act(request, browser, event_id, form, action, done, "#review")

    router.add_api_route(f"{PATH}/{{event_id}}/held/{{held_id}}/{name}", route,
                         methods=["POST"], include_in_schema=False,
                         name=f"web_event_held_{name}")


_held_action("publish", "published", publish_held_post)
_held_action("discard", "discarded", discard_held_post)


@router.post(PATH + "/{event_id}/wall/hide", include_in_schema=False)
async def hide(event_id: str, request: Request, browser: SignedIn,
               form: GenuineForm) -> Response:
    async def action(uow, person, event_id):
        await hide_from_wall(uow, person=person, event_id=event_id,
                             status_id=parse_id(form.get("status_id", "")) or 0)

    return await act(request, browser, event_id, form, action, "hidden", "#wall")


@router.post(PATH + "/{event_id}/wall/renew", include_in_schema=False)
async def renew(event_id: str, request: Request, browser: SignedIn,
                form: GenuineForm) -> Response:
    async def action(uow, person, event_id):
        await renew_wall_secret(uow, person=person, event_id=event_id)

    return await act(request, browser, event_id, form, action, "renewed", "#wall")


@router.post(PATH + "/{event_id}/archive", include_in_schema=False)
async def archive(event_id: str, request: Request, browser: SignedIn,
                  form: GenuineForm) -> Response:
    async def action(uow, person, event_id):
        await archive_event_now(uow, person=person, event_id=event_id)

    return await act(request, browser, event_id, form, action, "archived")


@router.post(PATH + "/{event_id}/story", include_in_schema=False)
async def story(event_id: str, request: Request, browser: SignedIn,
                form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            story_id = await turn_event_into_story(uow, person=person_of(browser),
                                                   event_id=parse_id(event_id) or 0,
                                                   language=browser.language)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await event_page(browser, event_id, status_code=exc.status_code,
                                error=browser.explain(exc), form=form)
    return browser.redirect(f"/web/stories/{story_id}")
