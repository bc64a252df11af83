"""A live event's wall, for a projector: large type, high contrast, the newest posts sliding
in live (`static/wall.js`), at most `WALL_SIZE` of them in the page however long it runs.

    /wall/{event_id}            a public event's wall, for anyone
    /wall/s/{secret}            any event's wall by its secret link (the organisers' tools
                                show it; renewing it makes the old one 404)
    .../stream                  the wall's live events (SSE)

No sign-in: the wall shows only what the whole audience may see (`policies/events.py`), so a
projector in a room shows nobody more than they may read. A guessed link is 404.
"""

from __future__ import annotations

import segno
from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.event_links import SECRET_WALL_PATH, WALL_PATH
from zwitscher.services.show_wall import WALL_SIZE, public_wall, secret_wall, wall_post_ids
from zwitscher.streaming.events import wall_stream
from zwitscher.views.events import load_event
from zwitscher.views.shown import show_statuses
from zwitscher.web.browser import Browser, CurrentBrowser

router = APIRouter()


async def _open(browser: Browser, *, event_id: str | None = None, secret: str | None = None):
    async with uows(browser.request).read() as uow:
        if secret is not None:
            return await secret_wall(uow, secret=secret)
        return await public_wall(uow, event_id=parse_id(event_id or "") or 0)


async def _wall(browser: Browser, live: str, **opened) -> Response:
    try:
        event = await _open(browser, **opened)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(browser.request).read() as uow:
        view = await load_event(uow, event, organiser=False, participant=None,
                                signed_in=False, now=utcnow())
        posts, _ = await show_statuses(uow, await wall_post_ids(uow, event), viewer_id=None)
    # People in the room open the event's page (to answer, to post) from the projector.
    page_url = origin(browser.request) + view.path
    qr = segno.make(page_url, error="m").svg_data_uri(scale=4, border=2, dark="#0b0f14",
                                                      light="#ffffff")
    return browser.render("wall.html", event=view, posts=posts, live=live,
                          wall_size=WALL_SIZE, qr=qr, page_url=page_url)


def _renderer(browser: Browser):
    async def render(status_id: int) -> str | None:
        async with uows(browser.request).read() as uow:
            shown, _ = await show_statuses(uow, [status_id], viewer_id=None)
        if not shown:
            return None
        return browser.render_text("_wall_post.html", post=shown[0])

    return render


async def _stream(browser: Browser, *, by_secret: bool, **opened) -> Response:
    try:
        event = await _open(browser, **opened)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(browser.request).read() as uow:
        shown_ids = await wall_post_ids(uow, event)
    return await wall_stream(uows=uows(browser.request),
                             broker=browser.request.app.state.broker,
                             event=event, shown_ids=shown_ids, render=_renderer(browser),
                             secret=by_secret)


@router.get(SECRET_WALL_PATH + "/{secret}", include_in_schema=False)
async def wall_by_secret(secret: str, browser: CurrentBrowser) -> Response:
    return await _wall(browser, f"{SECRET_WALL_PATH}/{secret}/stream", secret=secret)


@router.get(SECRET_WALL_PATH + "/{secret}/stream", include_in_schema=False)
async def stream_by_secret(secret: str, browser: CurrentBrowser) -> Response:
    return await _stream(browser, by_secret=True, secret=secret)


@router.get(WALL_PATH + "/{event_id}", include_in_schema=False)
async def public(event_id: str, browser: CurrentBrowser) -> Response:
    return await _wall(browser, f"{WALL_PATH}/{event_id}/stream", event_id=event_id)


@router.get(WALL_PATH + "/{event_id}/stream", include_in_schema=False)
async def public_stream(event_id: str, browser: CurrentBrowser) -> Response:
    return await _stream(browser, by_secret=False, event_id=event_id)
