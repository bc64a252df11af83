"""The administration console › Instance: the instance's title, description, rules and who
may sign up (`services/configure_instance.py`); the contact address stays the operator's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.policies.console import Section
from zwitscher.services.configure_instance import (
    MAX_DESCRIPTION,
    MAX_RULES,
    MAX_TITLE,
    InstanceChanges,
    apply_instance,
    configure_instance,
)
from zwitscher.settings import RegistrationMode
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
INSTANCE_PATH = f"{CONSOLE_PATH}/{Section.INSTANCE}"


async def _page(browser: Browser, *, form: dict | None = None, error: str | None = None,
                status_code: int = 200) -> Response:
    settings = browser.settings
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.INSTANCE)
    shown = form or {"title": settings.instance_title,
                     "description": settings.instance_description,
                     "rules": "\n".join(settings.instance_rules),
                     "registrations": settings.registrations.value}
    return console.render(browser, "admin_instance.html", status_code=status_code, form=shown,
                          error=error, settings=settings, modes=list(RegistrationMode),
                          max_title=MAX_TITLE, max_description=MAX_DESCRIPTION,
                          max_rules=MAX_RULES,
                          saved=browser.request.query_params.get("saved") == "1")


@router.get(INSTANCE_PATH, include_in_schema=False)
async def instance_page(browser: SignedIn) -> Response:
    return await _page(browser)


@router.post(INSTANCE_PATH, include_in_schema=False)
async def save_instance(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    fields = {name: form.get(name, "") for name in ("title", "description", "rules",
                                                     "registrations")}
    changes = InstanceChanges(
        title=fields["title"][:1000], description=fields["description"][:20_000],
        rules=fields["rules"][:50_000].splitlines(), registrations=fields["registrations"])
    try:
        async with uows(request).write() as uow:
            console = await open_console(uow, browser, Section.INSTANCE)
            stored = await configure_instance(uow, actor=console.actor, changes=changes)
    except DomainError as exc:
        return await _page(browser, form=fields, error=browser.explain(exc),
                           status_code=exc.status_code)
    # This process at once; the others within seconds (`keep_instance_current`).
    apply_instance(browser.settings, stored)
    return browser.redirect(f"{INSTANCE_PATH}?saved=1")
