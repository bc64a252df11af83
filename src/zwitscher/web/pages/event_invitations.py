"""An invitation's page, for its invitee without a sign-in: the link in the e-mail.

    /web/events/invitations/{token}              the event, the answer, the consent form
                                                 (`?answer=accept|maybe|decline` from the
                                                 e-mail's buttons: that answer is offered
                                                 first, and recorded when it is sent)
    /web/events/invitations/{token}/answer       the answer (POST)
    /web/events/invitations/{token}/consent      the consent (POST)
    /web/events/invitations/{token}.ics          the calendar file

Opening the link changes nothing (mail programs and scanners open links to check them); the
answer is a form. A link that is not genuine (guessed, or its invitation withdrawn) answers
404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.domain.calendars import MEDIA_TYPE, file_name
from zwitscher.domain.errors import DomainError
from zwitscher.policies.events import ANSWER_WORDS, CONSENTS
from zwitscher.services.answer_event import answer_invitation
from zwitscher.services.event_links import INVITATION_PATH
from zwitscher.services.give_event_consent import give_consent_by_invitation
from zwitscher.services.show_event import invitation_calendar, show_invitation
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm

router = APIRouter()
DONE = {"answered", "consent"}


async def _page(browser: Browser, token: str, *, status_code: int = 200,
                error: str | None = None) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            invitation = await show_invitation(uow, token=token)
    except DomainError as exc:
        return browser.problem(exc)
    query = browser.request.query_params
    offered = query.get("answer")
    done = query.get("done")
    return browser.render(
        "event_invitation.html", status_code=status_code, invitation=invitation,
        event=invitation.event, error=error, consents=CONSENTS,
        offered=ANSWER_WORDS.get(offered or ""), done=done if done in DONE else None,
        page_path=f"{INVITATION_PATH}/{token}")


@router.get(INVITATION_PATH + "/{token}.ics", include_in_schema=False)
async def calendar(token: str, browser: CurrentBrowser) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            event, body = await invitation_calendar(uow, token=token,
                                                    origin=origin(browser.request))
    except DomainError as exc:
        return browser.problem(exc)
    return Response(body, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{file_name(event.title)}"',
        "Cache-Control": "no-store"})


@router.get(INVITATION_PATH + "/{token}", include_in_schema=False)
async def invitation(token: str, browser: CurrentBrowser) -> Response:
    return await _page(browser, token)


async def _act(request: Request, browser: Browser, token: str, action, done: str,
               anchor: str) -> Response:
    try:
        async with uows(request).write() as uow:
            await action(uow)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _page(browser, token, status_code=exc.status_code,
                           error=browser.explain(exc))
    return browser.redirect(f"{INVITATION_PATH}/{token}?done={done}{anchor}")


@router.post(INVITATION_PATH + "/{token}/answer", include_in_schema=False)
async def answer(token: str, request: Request, browser: CurrentBrowser,
                 form: GenuineForm) -> Response:
    async def action(uow):
        await answer_invitation(uow, token=token, answer=form.get("answer", "")[:20])

    return await _act(request, browser, token, action, "answered", "#answer")


@router.post(INVITATION_PATH + "/{token}/consent", include_in_schema=False)
async def consent(token: str, request: Request, browser: CurrentBrowser,
                  form: GenuineForm) -> Response:
    async def action(uow):
        await give_consent_by_invitation(
            uow, token=token, consent={name: form.get(name, "")[:10] for name in CONSENTS})

    return await _act(request, browser, token, action, "consent", "#consent")
