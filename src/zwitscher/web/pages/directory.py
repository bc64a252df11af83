"""Finding people: the profile directory, and the "Who to follow" box of the home page.

The directory lists what `GET /api/v1/directory` lists (people who chose "List me in the
directory", and brand accounts), the most recently active or the newest first, paged by
offset. Suggestions are those of `GET /api/v2/suggestions` (`services/suggest_accounts.py`);
dismissing one is the API's `DELETE /api/v1/suggestions/:id`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.list_directory import ORDERS, list_directory
from zwitscher.services.suggest_accounts import dismiss_suggestion, suggest_accounts
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.profiles import relationships_for
from zwitscher.web.pages.statuses import local_path

router = APIRouter()

PAGE_SIZE = 20
# The home page's box stays small: a few faces and the way to the directory.
SUGGESTIONS_SHOWN = 4


@dataclass(frozen=True, slots=True)
class People:
    """Accounts as the templates show them, with the viewer's relationship to each (by id)."""

    accounts: list[dict]
    relationships: dict[str, dict]


async def _people(uow: UnitOfWork, browser: Browser, rows: list) -> People:
    accounts = await present_account_rows(uow, rows, origin(browser.request))
    return People(accounts, await relationships_for(uow, browser, [row.id for row in rows]))


async def who_to_follow(uow: UnitOfWork, browser: Browser) -> People:
    """The home page's suggestions for the signed-in person (maybe none)."""
    found = await suggest_accounts(uow, viewer_id=browser.session.viewer.account_id,
                                   limit=SUGGESTIONS_SHOWN)
    return await _people(uow, browser, [suggestion.account for suggestion in found])


def _offset(raw: str | None) -> int:
    """A page's offset; anything that is not a small count is the first page."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) <= 6 else 0


@router.get("/web/directory", include_in_schema=False)
async def directory(browser: SignedIn) -> Response:
    query = browser.request.query_params
    order, offset = query.get("order", "active"), _offset(query.get("offset"))
    try:
        async with uows(browser.request).read() as uow:
            rows = await list_directory(uow, order=order, offset=offset, limit=PAGE_SIZE + 1)
            people = await _people(uow, browser, rows[:PAGE_SIZE])
    except DomainError as exc:
        return browser.problem(exc)
    return browser.render(
        "directory.html", people=people, order=order, orders=ORDERS,
        newer_offset=max(offset - PAGE_SIZE, 0) if offset else None,
        older_offset=offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None)


@router.post("/web/suggestions/{account_id}/dismiss", include_in_schema=False)
async def dismiss(account_id: str, request: Request, browser: SignedIn,
                  form: GenuineForm) -> Response:
    target_id = parse_id(account_id)
    if target_id is None:
        return browser.not_found()
    async with uows(request).write() as uow:
        await dismiss_suggestion(uow, viewer_id=browser.session.viewer.account_id,
                                 account_id=target_id)
    return browser.redirect(local_path(form.get("back"), "/web/home"))
