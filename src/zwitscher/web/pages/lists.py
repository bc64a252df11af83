"""Lists: my lists (create, rename, change, delete after a confirmation), one list's live
timeline, and its members (people I follow, added by username).

The same services as the API's lists routes; a list is its owner's alone, so anyone else's
list id is "not found", as in the API.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.lists import present_list
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.lists import own_list
from zwitscher.services.change_list_members import add_list_members, remove_list_members
from zwitscher.services.create_list import MAX_TITLE, RepliesPolicy, create_list
from zwitscher.services.delete_list import delete_list
from zwitscher.services.update_list import update_list
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.timeline import timeline_context

router = APIRouter()

# The choices the forms offer, the default first.
POLICIES = (RepliesPolicy.LIST, RepliesPolicy.FOLLOWED, RepliesPolicy.NONE)
# Errors the pages explain in the reader's language (the template holds their words).
UNKNOWN_PERSON = "unknown person"
NOT_FOLLOWED = "not followed"


class _MemberRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Form:
    """A list form's fields, checked the way the API's parameters are."""

    def __init__(self, form: dict[str, str]) -> None:
        self.title = form.get("title", "")
        try:
            self.replies_policy = RepliesPolicy(form.get("replies_policy", RepliesPolicy.LIST))
        except ValueError as exc:
            raise ValidationFailed("Replies policy is not one of the offered choices") from exc
        # A checkbox is sent only when ticked.
        self.exclusive = form.get("exclusive") == "on"


def _list_id(raw: str) -> int:
    list_id = parse_id(raw)
    if list_id is None:
        raise NotFound()
    return list_id


async def _my_lists(browser: Browser, *, draft: dict | None = None, error: str | None = None,
                    status_code: int = 200) -> Response:
    async with uows(browser.request).read() as uow:
        rows = await uow.lists.owned(browser.session.viewer.account_id)
    return browser.render("lists.html", status_code=status_code,
                          lists=[present_list(row) for row in rows], draft=draft or {},
                          error=error, policies=POLICIES, max_title=MAX_TITLE)


async def _list_page(browser: Browser, raw_id: str, *, draft: dict | None = None,
                     error: str | None = None, member_error: str | None = None,
                     username: str = "", status_code: int = 200) -> Response:
    request, viewer_id = browser.request, browser.session.viewer.account_id
    try:
        page = page_from(request)
        async with uows(request).read() as uow:
            found = await own_list(uow, account_id=viewer_id, list_id=_list_id(raw_id))
            rows = await uow.lists.timeline(found, page)
            context = await timeline_context(uow, browser, rows, page,
                                             path=f"/web/lists/{found.id}",
                                             filter_context="home")
            members = await present_account_rows(
                uow, [row for _, row in await uow.lists.members(found.id, None)],
                origin(request))
    except DomainError as exc:
        return browser.problem(exc)
    shown = present_list(found)
    return browser.render(
        "list.html", status_code=status_code, list=shown, draft=draft or shown, error=error,
        member_error=member_error, username=username, members=members,
        policies=POLICIES, max_title=MAX_TITLE,
        live="/web/stream?" + urlencode({"stream": "list", "list": shown["id"]}), **context)


@router.get("/web/lists", include_in_schema=False)
async def my_lists(browser: SignedIn) -> Response:
    return await _my_lists(browser)


@router.post("/web/lists", include_in_schema=False)
async def new_list(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    try:
        fields = _Form(form)
        async with uows(request).write() as uow:
            row = await create_list(uow, account_id=browser.session.viewer.account_id,
                                    title=fields.title, replies_policy=fields.replies_policy,
                                    exclusive=fields.exclusive)
    except DomainError as exc:
        return await _my_lists(browser, draft=form, error=browser.explain(exc),
                               status_code=exc.status_code)
    return browser.redirect(f"/web/lists/{row.id}")


@router.get("/web/lists/{list_id}", include_in_schema=False)
async def show_list(list_id: str, browser: SignedIn) -> Response:
    return await _list_page(browser, list_id)


@router.post("/web/lists/{list_id}", include_in_schema=False)
async def change_list(request: Request, list_id: str, browser: SignedIn,
                      form: GenuineForm) -> Response:
    try:
        fields = _Form(form)
        async with uows(request).write() as uow:
            row = await update_list(uow, account_id=browser.session.viewer.account_id,
                                    list_id=_list_id(list_id), title=fields.title,
                                    replies_policy=fields.replies_policy,
                                    exclusive=fields.exclusive)
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _list_page(browser, list_id, draft=form, error=browser.explain(exc),
                                status_code=exc.status_code)
    return browser.redirect(f"/web/lists/{row.id}")


@router.get("/web/lists/{list_id}/delete", include_in_schema=False)
async def confirm_deletion(list_id: str, browser: SignedIn) -> Response:
    """The confirmation step, a page of its own so that it works without JavaScript."""
    try:
        async with uows(browser.request).read() as uow:
            found = await own_list(uow, account_id=browser.session.viewer.account_id,
                                   list_id=_list_id(list_id))
    except DomainError as exc:
        return browser.problem(exc)
    return browser.render("list_delete.html", list=present_list(found))


@router.post("/web/lists/{list_id}/delete", include_in_schema=False)
async def remove_list(request: Request, list_id: str, browser: SignedIn,
                      _form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            await delete_list(uow, account_id=browser.session.viewer.account_id,
                              list_id=_list_id(list_id))
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect("/web/lists")


async def _add_by_username(uow: UnitOfWork, *, owner_id: int, list_id: int,
                           username: str) -> None:
    found = await own_list(uow, account_id=owner_id, list_id=list_id)
    # `@name` as people write it; only local accounts exist.
    wanted = username.removeprefix("@").split("@")[0][:100]
    account = await uow.accounts.by_username(wanted) if wanted else None
    if account is None:
        raise _MemberRefused(UNKNOWN_PERSON)
    try:
        await add_list_members(uow, account_id=owner_id, list_id=found.id,
                               account_ids=[account.id])
    except NotFound as exc:  # the list is known to be theirs: the person is not followed
        raise _MemberRefused(NOT_FOLLOWED) from exc


@router.post("/web/lists/{list_id}/members", include_in_schema=False)
async def add_member(request: Request, list_id: str, browser: SignedIn,
                     form: GenuineForm) -> Response:
    username = form.get("username", "").strip()
    try:
        async with uows(request).write() as uow:
            await _add_by_username(uow, owner_id=browser.session.viewer.account_id,
                                   list_id=_list_id(list_id), username=username)
    except _MemberRefused as refusal:
        return await _list_page(browser, list_id, member_error=refusal.reason,
                                username=username,
                                status_code=404 if refusal.reason == UNKNOWN_PERSON else 422)
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _list_page(browser, list_id, member_error=browser.explain(exc),
                                username=username, status_code=exc.status_code)
    return browser.redirect(f"/web/lists/{_list_id(list_id)}#members")


@router.post("/web/lists/{list_id}/members/remove", include_in_schema=False)
async def remove_member(request: Request, list_id: str, browser: SignedIn,
                        form: GenuineForm) -> Response:
    try:
        account_id = parse_id(form.get("account_id", ""))
        if account_id is None:
            raise NotFound()
        async with uows(request).write() as uow:
            await remove_list_members(uow, account_id=browser.session.viewer.account_id,
                                      list_id=_list_id(list_id), account_ids=[account_id])
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"/web/lists/{_list_id(list_id)}#members")
