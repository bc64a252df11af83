"""The administration console › Instance › Retention: how long statuses of each visibility are
kept (`services/set_retention_policy.py`). A changed policy is saved only after the page has
shown what it would delete at its next run: the first press of "Save" with new values shows
that count, a second one with the same values saves."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.retention import RetentionPolicy
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.console import Section
from zwitscher.services.set_retention_policy import (
    count_past_policy,
    retention_policy,
    set_retention_policy,
)
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
RETENTION_PATH = f"{CONSOLE_PATH}/{Section.INSTANCE}/retention"


def _days(form: dict[str, str]) -> dict[str, str]:
    return {name: form.get(name, "")[:20] for name in Visibility}


async def _page(browser: Browser, *, days: dict[str, str] | None = None,
                counts: dict[str, int] | None = None, previewed: str = "",
                error: str | None = None, status_code: int = 200) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.INSTANCE)
        stored = await retention_policy(uow)
    return console.render(browser, "admin_retention.html", status_code=status_code,
                          days=days if days is not None else stored.days(),
                          visibilities=list(Visibility), counts=counts, previewed=previewed,
                          error=error, saved=browser.request.query_params.get("saved") == "1")


def _fingerprint(policy: RetentionPolicy) -> str:
    """The values a preview showed, as the form sends them back with "Save" (no policy at
    all deletes nothing: it needs no preview)."""
    return ";".join(f"{name}:{seconds}" for name, seconds in policy.stored_value().items())


@router.get(RETENTION_PATH, include_in_schema=False)
async def retention_page(browser: SignedIn) -> Response:
    return await _page(browser)


@router.post(RETENTION_PATH, include_in_schema=False)
async def save_retention(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    days = _days(form)
    try:
        policy = RetentionPolicy.from_days(days)
        if form.get("previewed", "") != _fingerprint(policy):
            async with uows(request).read() as uow:
                console = await open_console(uow, browser, Section.INSTANCE)
                counts = await count_past_policy(uow, actor=console.actor, policy=policy)
            return await _page(browser, days=days, counts=counts,
                               previewed=_fingerprint(policy))
        async with uows(request).write() as uow:
            console = await open_console(uow, browser, Section.INSTANCE)
            await set_retention_policy(uow, actor=console.actor, policy=policy)
    except DomainError as exc:
        return await _page(browser, days=days, error=browser.explain(exc),
                           status_code=exc.status_code)
    return browser.redirect(f"{RETENTION_PATH}?saved=1")
