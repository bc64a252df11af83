"""The public timeline for signed-in people, live like home."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.domain.errors import DomainError
from zwitscher.web.browser import Browser
from zwitscher.web.guards import SignedIn
from zwitscher.web.timeline import timeline_context

router = APIRouter()


def switched_on(browser: Browser, name: str) -> bool:
    return browser.request.query_params.get(name, "").lower() in ("true", "1")




@router.get("/web/public", include_in_schema=False)
async def public_timeline(browser: SignedIn) -> Response:
    local, only_media = switched_on(browser, "local"), switched_on(browser, "only_media")
    query = {name: "true" for name, on in (("local", local), ("only_media", only_media)) if on}
    request, viewer_id = browser.request, browser.session.viewer.account_id
    try:
        page = page_from(request)
        async with uows(request).read() as uow:
            # As the API's public timeline: every account is local, so `local` changes nothing
            # in what is read, only which stream the page listens to.
            rows = await uow.statuses.public_timeline(viewer_id, page, only_media=only_media)
            context = await timeline_context(uow, browser, rows, page, path="/web/public",
                                             query=query, filter_context="public")
    except DomainError as exc:
        return browser.problem(exc)
    stream = ("public:local" if local else "public") + (":media" if only_media else "")
    return browser.render("public.html", local=local, only_media=only_media,
                          live="/web/stream?" + urlencode({"stream": stream}), **context)
