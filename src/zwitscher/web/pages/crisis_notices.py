"""A crisis as its recipients and the public read it (the crisis desk's pages are elsewhere).

    GET  /crisis/status           the dark site: the crisis it shows and its public updates
    GET  /                        the dark site while it is on; otherwise the web interface
    GET  /crisis/{token}          a recipient's own link (e-mail, text message, push): the
                                  crisis and three answers, no sign-in needed
    POST /crisis/{token}/opened   the page's script says it was read (a mail filter fetching
                                  the link to scan it runs no script, so it opens nothing)
    POST /crisis/{token}          an answer (no CSRF token: the token in the URL is the proof,
                                  and a phone at the scene may have no session to tie one to)
    GET  /web/crises/{id}         the same for a person signed in (the banner's link): opened
    POST /web/crises/{id}         their answer
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.services.acknowledge_crisis import (
    acknowledge_crisis,
    open_crisis,
    recipient_by_link,
    recipient_in,
)
from zwitscher.services.send_crisis import PUBLIC_PATH
from zwitscher.services.show_crisis import crisis_updates, dark_site
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.timeline import shown_statuses

router = APIRouter()


@router.get("/", include_in_schema=False)
async def start(browser: CurrentBrowser) -> Response:
    async with uows(browser.request).read() as uow:
        site = await dark_site(uow)
    if site is None:
        return browser.redirect("/web")
    return await _dark_site_page(browser)


@router.get(PUBLIC_PATH, include_in_schema=False)
async def status_page(browser: CurrentBrowser) -> Response:
    return await _dark_site_page(browser)


async def _dark_site_page(browser: Browser) -> Response:
    async with uows(browser.request).read() as uow:
        site = await dark_site(uow)
        statuses = await shown_statuses(uow, site.status_ids if site else [], viewer_id=None,
                                        filter_context=None)
    return browser.render("crisis_status.html", crisis=site.crisis if site else None,
                          statuses=statuses)


@router.get("/crisis/{token}", include_in_schema=False)
async def by_link(token: str, browser: CurrentBrowser) -> Response:
    return await _notice_by_link(browser, token)


@router.post("/crisis/{token}/opened", include_in_schema=False)
async def opened_by_link(token: str, request: Request, browser: CurrentBrowser) -> Response:
    try:
        async with uows(request).write() as uow:
            await open_crisis(uow, recipient=await recipient_by_link(
                uow, token=token, signed_in_as=_signed_in_as(browser)))
    except DomainError as exc:
        return Response(status_code=exc.status_code)
    return Response(status_code=204)


@router.post("/crisis/{token}", include_in_schema=False)
async def answer_by_link(token: str, request: Request, browser: CurrentBrowser) -> Response:
    form = await request.form()
    answer = form.get("answer", "")
    return await _notice_by_link(browser, token, answer=answer if isinstance(answer, str)
                                 else "")


async def _notice_by_link(browser: Browser, token: str, *, answer: str | None = None
                          ) -> Response:
    try:
        if answer is None:
            async with uows(browser.request).read() as uow:
                recipient = await recipient_by_link(uow, token=token,
                                                    signed_in_as=_signed_in_as(browser))
                return await _notice(browser, uow, recipient, action=f"/crisis/{token}",
                                     viewer_id=None)
        async with uows(browser.request).write() as uow:
            recipient = await recipient_by_link(uow, token=token,
                                                signed_in_as=_signed_in_as(browser))
            await acknowledge_crisis(uow, recipient=recipient, answer=answer)
        async with uows(browser.request).read() as uow:
            return await _notice(browser, uow, await uow.crises.recipient(recipient.id),
                                 action=f"/crisis/{token}", viewer_id=None, answered=True)
    except DomainError as exc:
        return browser.problem(exc)


@router.get("/web/crises/{crisis_id}", include_in_schema=False)
async def signed_in_notice(crisis_id: str, browser: SignedIn) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            recipient = await recipient_in(uow, crisis_id=_id(crisis_id),
                                           account_id=browser.session.viewer.account_id)
            await open_crisis(uow, recipient=recipient)
        async with uows(browser.request).read() as uow:
            return await _notice(browser, uow, await uow.crises.recipient(recipient.id),
                                 action=f"/web/crises/{crisis_id}",
                                 viewer_id=browser.session.viewer.account_id)
    except DomainError as exc:
        return browser.problem(exc)


@router.post("/web/crises/{crisis_id}", include_in_schema=False)
async def signed_in_answer(crisis_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    viewer_id = browser.session.viewer.account_id
    try:
        async with uows(browser.request).write() as uow:
            recipient = await recipient_in(uow, crisis_id=_id(crisis_id), account_id=viewer_id)
            await acknowledge_crisis(uow, recipient=recipient, answer=form.get("answer", ""))
        async with uows(browser.request).read() as uow:
            return await _notice(browser, uow, await uow.crises.recipient(recipient.id),
                                 action=f"/web/crises/{crisis_id}", viewer_id=viewer_id,
                                 answered=True)
    except DomainError as exc:
        return browser.problem(exc)


async def _notice(browser: Browser, uow, recipient, *, action: str, viewer_id: int | None,
                  answered: bool = False) -> Response:
    crisis = await uow.crises.get(recipient.crisis_id)
    ids = await crisis_updates(uow, crisis_id=crisis.id, viewer_id=viewer_id)
    statuses = await shown_statuses(uow, ids[:-1] if crisis.status_id in ids else ids,
                                    viewer_id=viewer_id, filter_context=None)
    return browser.render("crisis_notice.html", crisis=crisis, recipient=recipient,
                          statuses=statuses, action=action, answered=answered,
                          by_link=viewer_id is None)


def _signed_in_as(browser: Browser) -> int | None:
    return browser.session.viewer.account_id if browser.session else None


def _id(raw: str) -> int:
    crisis_id = parse_id(raw)
    if crisis_id is None:
        raise NotFound()
    return crisis_id

