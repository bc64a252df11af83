"""Hashtags: the signed-in page (follow, unfollow, live), the public page anyone can read
without login or JavaScript, and its Atom and RSS feeds.

`/tags/NAME` is the URL the API gives as `Tag.url` and that hashtags in posts link to, so it
must work for everyone; signed-in readers find the way to `/web/tags/NAME` from there. Public
posts only, as in the API's hashtag timeline.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.feeds import FORMATS, FeedHeading
from zwitscher.api.presenters.tags import present_tags, present_unknown_tag
from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError
from zwitscher.services.follow_tag import follow_tag, tag_name, unfollow_tag
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.timeline import timeline_context

router = APIRouter()


async def _tagged(uow: UnitOfWork, name: str, viewer_id: int | None, page: Page) -> list:
    return await uow.statuses.tag_timeline(viewer_id, page, any_of=[name], all_of=[],
                                           none_of=[])


async def _tag_page(browser: Browser, raw_name: str, *, signed_in_page: bool) -> Response:
    request = browser.request
    viewer_id = browser.session.viewer.account_id if signed_in_page else None
    try:
        name = tag_name(raw_name)
        page = page_from(request)
        async with uows(request).read() as uow:
            found = await uow.tags.by_name(name)
            tag = ((await present_tags(uow, [found], viewer_id=viewer_id,
                                       origin=origin(request)))[0]
                   if found else present_unknown_tag(name, origin(request)))
            rows = await _tagged(uow, name, viewer_id, page)
            path = f"/web/tags/{quote(name)}" if signed_in_page else f"/tags/{quote(name)}"
            context = await timeline_context(uow, browser, rows, page, path=path,
                                             filter_context="public")
    except DomainError as exc:
        return browser.problem(exc)
    live = ("/web/stream?" + urlencode({"stream": "hashtag", "tag": name})
            if signed_in_page else None)
    return browser.render("hashtag.html", tag=tag, signed_in_page=signed_in_page, live=live,
                          **context)


@router.get("/web/tags/{name}", include_in_schema=False)
async def signed_in_tag_page(name: str, browser: CurrentBrowser) -> Response:
    # Not `SignedIn`: a signed-out reader gets the public page of the same tag.
    if browser.session is None:
        return browser.redirect(f"/tags/{quote(name)}")
    return await _tag_page(browser, name, signed_in_page=True)


async def _change_following(request: Request, browser: Browser, raw_name: str, change) -> Response:
    try:
        name = tag_name(raw_name)
        async with uows(request).write() as uow:
            await change(uow, account_id=browser.session.viewer.account_id, name=name)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"/web/tags/{quote(name)}")


@router.post("/web/tags/{name}/follow", include_in_schema=False)
async def follow(request: Request, name: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _change_following(request, browser, name, follow_tag)


@router.post("/web/tags/{name}/unfollow", include_in_schema=False)
async def unfollow(request: Request, name: str, browser: SignedIn, _form: GenuineForm
                   ) -> Response:
    return await _change_following(request, browser, name, unfollow_tag)


# The feeds before the page: `/tags/{name}` would take `x.atom` for a hashtag's name.
@router.get("/tags/{name}.{extension}", include_in_schema=False)
async def tag_feed(name: str, extension: str, browser: CurrentBrowser) -> Response:
    if extension not in FORMATS:
        return browser.not_found()
    render, media_type = FORMATS[extension]
    here = origin(browser.request)
    try:
        name = tag_name(name)
        page = page_from(browser.request)
        async with uows(browser.request).read() as uow:
            rows = await _tagged(uow, name, None, page)
            heading = FeedHeading(
                title=f"#{name}", description=f"Public posts with #{name}",
                self_url=f"{here}/tags/{quote(name.lower())}.{extension}",
                home_url=f"{here}/tags/{quote(name.lower())}")
            body = await render(uow, rows, heading=heading, origin=here)
    except DomainError as exc:
        return browser.problem(exc)
    return Response(body, media_type=media_type)


@router.get("/tags/{name}", include_in_schema=False)
async def public_tag_page(name: str, browser: CurrentBrowser) -> Response:
    return await _tag_page(browser, name, signed_in_page=False)
