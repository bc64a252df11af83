"""The administration console › People: find and filter people, and act on one person
(approve, role, limit or lift the limit, deactivate or reactivate, password reset, second
factor; a deletion the person asked for: cancel it, or delete their data now)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import Actor, Role
from zwitscher.policies.console import Section
from zwitscher.services.approve_account import approve_account
from zwitscher.services.cancel_account_deletion import cancel_account_deletion
from zwitscher.services.change_role import change_role
from zwitscher.services.delete_account_now import delete_account_now
from zwitscher.services.describe_person import describe_person
from zwitscher.services.find_people import ACTIVITY, STATUSES, PeopleQuery, find_people
from zwitscher.services.limit_account import limit_account
from zwitscher.services.require_second_factor import require_second_factor
from zwitscher.services.send_password_link import send_reset
from zwitscher.services.set_person_active import set_person_active
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
PEOPLE_PATH = f"{CONSOLE_PATH}/{Section.PEOPLE}"


@router.get(PEOPLE_PATH, include_in_schema=False)
async def people_list(browser: SignedIn) -> Response:
    params = browser.request.query_params
    page = params.get("page", "1")
    query = PeopleQuery(text=params.get("q", "")[:200], role=params.get("role", ""),
                        group_id=parse_id(params.get("group", "")),
                        status=params.get("status", ""), activity=params.get("active", ""),
                        page=int(page) if page.isascii() and page.isdigit() and len(page) < 6
                        else 1)
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.PEOPLE)
        found = await find_people(uow, actor=console.actor, query=query)
        groups = await uow.groups.all_groups()
    return console.render(browser, "admin_people.html", found=found, query=query,
                          groups=groups, roles=list(Role), statuses=STATUSES,
                          activities=list(ACTIVITY),
                          page_link=lambda number: urlencode({**params, "page": number}))


async def _person_page(browser: Browser, account_id: int, *, status_code: int = 200,
                       error: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.PEOPLE)
        try:
            person = await describe_person(uow, actor=console.actor, account_id=account_id)
        except DomainError as exc:
            return browser.problem(exc)
    return console.render(browser, "admin_person.html", status_code=status_code,
                          person=person, roles=list(Role), error=error,
                          done=browser.request.query_params.get("done", ""))


@router.get(PEOPLE_PATH + "/{account_id}", include_in_schema=False)
async def person_page(account_id: str, browser: SignedIn) -> Response:
    found = parse_id(account_id)
    return browser.not_found() if found is None else await _person_page(browser, found)


Action = Callable[[UnitOfWork, Actor, int, dict[str, str]], Awaitable[str]]


async def _act(browser: Browser, raw_id: str, form: dict[str, str], action: Action) -> Response:
    """Run one action on a person inside the console's transaction; back to their page with
    what was done, or with the service's refusal (and nothing changed)."""
    account_id = parse_id(raw_id)
    if account_id is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.PEOPLE)
            done = await action(uow, console.actor, account_id, form)
    except DomainError as exc:
        return await _person_page(browser, account_id, status_code=exc.status_code,
                                  error=browser.explain(exc))
    return browser.redirect(f"{PEOPLE_PATH}/{account_id}?done={done}")


async def _approve(uow: UnitOfWork, actor: Actor, account_id: int, _form: dict) -> str:
    await approve_account(uow, actor=actor, account_id=account_id)
    return "approved"


async def _change_role(uow: UnitOfWork, actor: Actor, account_id: int, form: dict) -> str:
    await change_role(uow, actor=actor, account_id=account_id, role=form.get("role", "")[:20])
    return "role"


async def _set_active(uow: UnitOfWork, actor: Actor, account_id: int, form: dict) -> str:
    active = form.get("active") == "1"
    if not active and form.get("confirm") != "yes":
        raise ValidationFailed("Please confirm that this person should be signed out everywhere")
    await set_person_active(uow, actor=actor, account_id=account_id, active=active)
    return "reactivated" if active else "deactivated"


async def _limit(uow: UnitOfWork, actor: Actor, account_id: int, form: dict) -> str:
    limited = form.get("limited") == "1"
    await limit_account(uow, actor=actor, account_id=account_id, limited=limited)
    return "limited" if limited else "unlimited"


async def _send_reset(uow: UnitOfWork, actor: Actor, account_id: int, _form: dict) -> str:
    account = await uow.accounts.get(account_id)
    await send_reset(uow, actor=actor, username=account.username if account else "")
    return "reset"


async def _second_factor(uow: UnitOfWork, actor: Actor, account_id: int, form: dict) -> str:
    required = form.get("required") == "1"
    await require_second_factor(uow, actor=actor, account_id=account_id, required=required)
    return "required" if required else "optional"


async def _cancel_deletion(uow: UnitOfWork, actor: Actor, account_id: int, _form: dict) -> str:
    await cancel_account_deletion(uow, actor=actor, account_id=account_id)
    return "deletion-cancelled"


async def _delete_now(uow: UnitOfWork, actor: Actor, account_id: int, form: dict) -> str:
    if form.get("confirm") != "yes":
        raise ValidationFailed("Please confirm that their data should be deleted now")
    await delete_account_now(uow, actor=actor, account_id=account_id)
    return "deleting"


ACTIONS: dict[str, Action] = {"approve": _approve, "role": _change_role, "active": _set_active,
                              "limit": _limit, "password-reset": _send_reset,
                              "second-factor": _second_factor,
                              "cancel-deletion": _cancel_deletion, "delete-now": _delete_now}


@router.post(PEOPLE_PATH + "/{account_id}/{action}", include_in_schema=False)
async def person_action(account_id: str, action: str, browser: SignedIn,
                        form: GenuineForm) -> Response:
    chosen = ACTIONS.get(action)
    if chosen is None:
        return browser.not_found()
    return await _act(browser, account_id, form, chosen)
