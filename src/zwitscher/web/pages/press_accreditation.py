"""The public accreditation page: a journalist, signed in or not, asks to be accredited for
the press groups they choose (`request_accreditation`), and follows the e-mailed link that
confirms their address (`confirm_accreditation`), which puts the request in the press desk's
queue. The page lists the press groups by their public names only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.policies.press import PENDING
from zwitscher.services.admit_journalist import (
    MAX_NAME,
    MAX_NOTE,
    MAX_OUTLET,
    MAX_POSITION,
    MAX_WORK_URL,
    Journalist,
)
from zwitscher.services.confirm_accreditation import confirm_accreditation
from zwitscher.services.request_accreditation import (
    CONFIRM_PATH,
    AccreditationRequest,
    request_accreditation,
)
from zwitscher.web.browser import Browser, CurrentBrowser, visit_of
from zwitscher.web.guards import GenuineForm

router = APIRouter()
ACCREDITATION_PATH = "/web/press/accreditation"
FIELDS = {"name": MAX_NAME, "email": 320, "outlet": MAX_OUTLET, "position": MAX_POSITION,
          "work_url": MAX_WORK_URL, "note": MAX_NOTE}


async def _page(browser: Browser, *, status_code: int = 200, form: dict | None = None,
                chosen: list[str] | None = None, error: str | None = None,
                sent_to: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        groups = await uow.groups.press_groups()
    return browser.render("press_accreditation.html", status_code=status_code, groups=groups,
                          form=form or {}, chosen=chosen or [], error=error, sent_to=sent_to,
                          limits=FIELDS)


@router.get(ACCREDITATION_PATH, include_in_schema=False)
async def accreditation_page(browser: CurrentBrowser) -> Response:
    # A link may name the group asked for (`?group=ID`), as a press group's page would.
    return await _page(browser, chosen=[browser.request.query_params.get("group", "")[:20]])


@router.post(ACCREDITATION_PATH, include_in_schema=False)
async def ask(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    # One over each limit: the service refuses what is too long, rather than cutting it.
    fields = {name: form.get(name, "")[:limit + 1] for name, limit in FIELDS.items()}
    chosen = [value[:20] for value in (await request.form()).getlist("groups")[:100]
              if isinstance(value, str)]
    group_ids = [parse_id(value) for value in chosen]
    try:
        async with uows(request).write() as uow:
            await request_accreditation(uow, request=AccreditationRequest(
                journalist=Journalist(name=fields["name"], email=fields["email"],
                                      outlet=fields["outlet"], position=fields["position"],
                                      work_url=fields["work_url"]),
                # What is not an id names no press group (the service says so).
                group_ids=[group_id or 0 for group_id in group_ids], note=fields["note"],
                language=browser.language), network_address=visit_of(browser).network_address)
    except DomainError as exc:
        return await _page(browser, status_code=exc.status_code, form=fields, chosen=chosen,
                           error=browser.explain(exc))
    return await _page(browser, sent_to=fields["email"].strip())


@router.get(CONFIRM_PATH, include_in_schema=False)
async def confirm(request: Request, browser: CurrentBrowser, token: str = "") -> Response:
    # Following the link is the confirmation: the address received it.
    try:
        async with uows(request).write() as uow:
            accreditation = await confirm_accreditation(uow, token=token)
    except DomainError as exc:
        return browser.render("press_accreditation_confirmed.html",
                              status_code=exc.status_code, error=browser.explain(exc),
                              waiting=False)
    return browser.render("press_accreditation_confirmed.html", error=None,
                          waiting=accreditation.state == PENDING)
