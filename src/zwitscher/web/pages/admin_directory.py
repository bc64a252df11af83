"""The administration console › Directory sync: the tokens the company directory provisions
people with over SCIM (issue one, shown once; revoke one after asking), and what the
directory changed last (its latest audit entries, linking to the whole filtered log).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import DIRECTORY
from zwitscher.policies.console import Section
from zwitscher.services.read_audit_log import AuditFilter, read_audit_log
from zwitscher.services.write_directory_token import (
    MAX_NAME_LENGTH,
    create_directory_token,
    directory_tokens,
    revoke_directory_token,
)
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
DIRECTORY_PATH = f"{CONSOLE_PATH}/{Section.DIRECTORY}"
RECENT_ACTIVITY = 10


async def _page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                name: str = "", new_token: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.DIRECTORY)
        tokens = await directory_tokens(uow, actor=console.actor)
        activity = await read_audit_log(uow, actor=console.actor,
                                        filters=AuditFilter(actor=DIRECTORY.label),
                                        page=Page(limit=RECENT_ACTIVITY))
    return console.render(browser, "admin_directory.html", status_code=status_code,
                          tokens=tokens, activity=activity, error=error, token_name=name,
                          new_token=new_token, max_name=MAX_NAME_LENGTH,
                          directory_label=DIRECTORY.label,
                          scim_url=origin(browser.request) + "/scim/v2",
                          done=browser.request.query_params.get("done", ""))


@router.get(DIRECTORY_PATH, include_in_schema=False)
async def directory_page(browser: SignedIn) -> Response:
    return await _page(browser)


@router.post(DIRECTORY_PATH + "/tokens", include_in_schema=False)
async def token_create(browser: SignedIn, form: GenuineForm) -> Response:
    name = form.get("name", "")[:MAX_NAME_LENGTH + 1]
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.DIRECTORY)
            token = await create_directory_token(uow, actor=console.actor, name=name)
    except DomainError as exc:
        return await _page(browser, status_code=exc.status_code, error=browser.explain(exc),
                           name=name)
    # Shown in this answer only (never stored, never in an address): no redirect.
    return await _page(browser, new_token=token)


@router.get(DIRECTORY_PATH + "/tokens/{raw_id}/revoke", include_in_schema=False)
async def token_revoke_page(raw_id: str, browser: SignedIn) -> Response:
    token_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.DIRECTORY)
        tokens = await directory_tokens(uow, actor=console.actor)
    token = next((token for token in tokens if token.id == token_id), None)
    if token is None:
        return browser.not_found()
    return console.render(browser, "admin_directory_revoke.html", token=token)


@router.post(DIRECTORY_PATH + "/tokens/{raw_id}/revoke", include_in_schema=False)
async def token_revoke(raw_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    token_id = parse_id(raw_id)
    if token_id is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.DIRECTORY)
            await revoke_directory_token(uow, actor=console.actor, token_id=token_id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{DIRECTORY_PATH}?done=revoked")
