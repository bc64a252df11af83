"""A published story where people read it, without JavaScript: its page, its embed (a page
other sites frame), its Atom feed and its exports (HTML and JSON).

Who reads what is `services/read_story.story_to_read`: a public story anyone, an internal one
the organisation's signed-in people (an anonymous reader of its page is asked to sign in;
its embed, feed and exports answer "not found"), an unpublished one its editors alone. Each
shows only the posts its audience may see now (`views.stories`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from zwitscher.api.deps import origin, uows
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.services.read_story import Person, story_to_read
from zwitscher.views.stories import StoryView
from zwitscher.views.story_documents import (
    export_headers,
    story_atom,
    story_document,
    story_html,
)
from zwitscher.web.browser import Browser, CurrentBrowser

router = APIRouter()

# The embed is made to be framed by any site, and runs nothing: no script at all, its style
# and images from here (and images from wherever posts link them), no forms.
EMBED_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' https: data:; "
                "frame-ancestors *; base-uri 'none'; form-action 'none'")
EMBED_HEADERS = {"Content-Security-Policy": EMBED_POLICY, "X-Content-Type-Options": "nosniff",
                 "Referrer-Policy": "strict-origin-when-cross-origin"}


def reader_of(browser: Browser) -> Person | None:
    if browser.session is None:
        return None
    return Person(browser.session.viewer.account_id, browser.user.role if browser.user else None)


async def _story(browser: Browser, username: str, raw_id: str) -> tuple[StoryView, str | None]:
    """The story at this address as this browser's reader may see it; NotFound otherwise
    (also when the address names another owner)."""
    story_id = parse_id(raw_id)
    if story_id is None:
        raise NotFound("No such story")
    async with uows(browser.request).read() as uow:
        view, role = await story_to_read(uow, reader=reader_of(browser), story_id=story_id)
    if view.owner.username.lower() != username.lower():
        raise NotFound("No such story")
    return view, role


@router.get("/@{username}/stories/{story_id}", include_in_schema=False)
async def story_page(username: str, story_id: str, browser: CurrentBrowser) -> Response:
    try:
        view, role = await _story(browser, username, story_id)
    except NotFound:
        if browser.session is None:
            # Perhaps an internal story: whoever may read it reads it once signed in.
            path = browser.request.url.path
            return browser.redirect("/web/sign-in?" + urlencode({"next": path}))
        return browser.not_found()
    return browser.render("story.html", story=view, role=role)


async def _document(browser: Browser, username: str, raw_id: str) -> StoryView | None:
    """The story for its embed, feed or exports; None: "not found" (no sign-in asked)."""
    try:
        view, _ = await _story(browser, username, raw_id)
    except NotFound:
        return None
    return view


@router.get("/@{username}/stories/{story_id}/embed", include_in_schema=False)
async def story_embed(username: str, story_id: str, browser: CurrentBrowser) -> Response:
    if (view := await _document(browser, username, story_id)) is None:
        return browser.not_found()
    page = browser.render("story_embed.html", story=view)
    page.headers.update(EMBED_HEADERS)
    return page


@router.get("/@{username}/stories/{story_id}/feed.atom", include_in_schema=False)
async def story_feed(username: str, story_id: str, browser: CurrentBrowser) -> Response:
    if (view := await _document(browser, username, story_id)) is None:
        return browser.not_found()
    return Response(story_atom(view, origin(browser.request)),
                    media_type="application/atom+xml; charset=utf-8")


@router.get("/@{username}/stories/{story_id}/export.{extension}", include_in_schema=False)
async def story_export(username: str, story_id: str, extension: str,
                       browser: CurrentBrowser) -> Response:
    view = await _document(browser, username, story_id)
    if view is None or extension not in ("html", "json"):
        return browser.not_found()
    here = origin(browser.request)
    if extension == "json":
        return JSONResponse(story_document(view, here), headers=export_headers(view, "json"))
    return Response(story_html(view, here, language=browser.language),
                    media_type="text/html; charset=utf-8", headers=export_headers(view, "html"))
