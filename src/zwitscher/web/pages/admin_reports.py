"""The administration console › reports (moderators, admins, owners): the queue of open
reports (or the resolved ones), one report with the reported account, its reported posts and
the reporter's words, and what can be done about it: resolve (or reopen), delete a reported
post, limit the account (or lift the limit), suspend it (admins). A group's moderators see the
reports about their groups' members and may resolve them and delete posts. The services of the
API's admin reports check every step.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import MODERATORS, parse_role
from zwitscher.policies.console import Section
from zwitscher.services import handle_report
from zwitscher.views.shown import show_statuses
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, Console, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()

REPORTS = f"{CONSOLE_PATH}/{Section.REPORTS}"
PAGE_SIZE = 40
DONE = {"resolved", "reopened", "deleted", "limited", "unlimited", "suspended"}


def _id(raw: str) -> int:
    found = parse_id(raw)
    if found is None:
        raise NotFound()
    return found


@router.get(REPORTS, include_in_schema=False)
async def reports(browser: SignedIn) -> Response:
    resolved = browser.request.query_params.get("resolved") == "true"
    try:
        page = page_from(browser.request, default=PAGE_SIZE, maximum=PAGE_SIZE)
        async with uows(browser.request).read() as uow:
            console = await open_console(uow, browser, Section.REPORTS)
            rows = await handle_report.list_reports(uow, actor=console.actor, page=page,
                                                    resolved=resolved, account_id=None,
                                                    target_account_id=None)
            accounts = await uow.accounts.get_many(
                {r.account_id for r in rows} | {r.target_account_id for r in rows})
    except DomainError as exc:
        return browser.problem(exc)
    return console.render(browser, "admin_reports.html", reports=rows, accounts=accounts,
                          resolved=resolved,
                          older_id=rows[-1].id if len(rows) >= page.limit else None)


async def _report(uow: UnitOfWork, browser: Browser, raw_id: str) -> tuple[Console, dict]:
    console = await open_console(uow, browser, Section.REPORTS)
    report = await handle_report.get_report(uow, actor=console.actor, report_id=_id(raw_id))
    people = await uow.accounts.get_many(
        {report.account_id, report.target_account_id}
        | ({report.action_taken_by_account_id} if report.action_taken_by_account_id else set()))
    statuses, _ = await show_statuses(uow, list(report.status_ids),
                                      viewer_id=browser.session.viewer.account_id)
    target_user = await uow.accounts.user_for_account(report.target_account_id)
    staff = target_user is not None and parse_role(target_user.role) in MODERATORS
    return console, {"report": report, "people": people, "statuses": statuses,
                     "target_user": target_user,
                     "may_limit": console.actor.moderates and not staff
                     and report.target_account_id in people}


async def _report_page(browser: Browser, raw_id: str, *, error: str | None = None,
                       status_code: int = 200) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            console, context = await _report(uow, browser, raw_id)
    except DomainError as exc:
        return browser.problem(exc)
    done = browser.request.query_params.get("done")
    return console.render(browser, "admin_reports_report.html", status_code=status_code,
                          error=error, done=done if done in DONE else None, **context)


@router.get(REPORTS + "/{report_id}", include_in_schema=False)
async def report_page(report_id: str, browser: SignedIn) -> Response:
    return await _report_page(browser, report_id)


async def _act(browser: Browser, report_id: str, done: str, change, **values) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.REPORTS)
            await change(uow, actor=console.actor, report_id=_id(report_id), **values)
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _report_page(browser, report_id, error=browser.explain(exc),
                                  status_code=exc.status_code)
    return browser.redirect(f"{REPORTS}/{report_id}?done={done}")


@router.post(REPORTS + "/{report_id}/resolve", include_in_schema=False)
async def resolve(report_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _act(browser, report_id, "resolved", handle_report.resolve_report)


@router.post(REPORTS + "/{report_id}/reopen", include_in_schema=False)
async def reopen(report_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _act(browser, report_id, "reopened", handle_report.reopen_report)


@router.get(REPORTS + "/{report_id}/statuses/{status_id}/delete", include_in_schema=False)
async def confirm_delete(report_id: str, status_id: str, browser: SignedIn) -> Response:
    """The confirmation steps are pages of their own, so they work without JavaScript."""
    try:
        async with uows(browser.request).read() as uow:
            console, context = await _report(uow, browser, report_id)
    except DomainError as exc:
        return browser.problem(exc)
    wanted = parse_id(status_id)
    status = next((s for s in context["statuses"] if s.id == wanted), None)
    if status is None:
        return browser.not_found()
    return console.render(browser, "admin_reports_confirm.html", action="delete",
                          status=status, **context)


@router.post(REPORTS + "/{report_id}/statuses/{status_id}/delete", include_in_schema=False)
async def delete(report_id: str, status_id: str, browser: SignedIn,
                 _form: GenuineForm) -> Response:
    try:
        wanted = _id(status_id)
    except NotFound as exc:
        return browser.problem(exc)
    return await _act(browser, report_id, "deleted", handle_report.remove_reported_status,
                      status_id=wanted)


async def _confirm(browser: Browser, report_id: str, action: str) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            console, context = await _report(uow, browser, report_id)
    except DomainError as exc:
        return browser.problem(exc)
    return console.render(browser, "admin_reports_confirm.html", action=action, **context)


@router.get(REPORTS + "/{report_id}/limit", include_in_schema=False)
async def confirm_limit(report_id: str, browser: SignedIn) -> Response:
    return await _confirm(browser, report_id, "limit")


@router.post(REPORTS + "/{report_id}/limit", include_in_schema=False)
async def limit(report_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _act(browser, report_id, "limited", handle_report.limit_reported_account)


@router.post(REPORTS + "/{report_id}/unlimit", include_in_schema=False)
async def unlimit(report_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _act(browser, report_id, "unlimited",
                      handle_report.lift_limit_of_reported_account)


@router.get(REPORTS + "/{report_id}/suspend", include_in_schema=False)
async def confirm_suspend(report_id: str, browser: SignedIn) -> Response:
    return await _confirm(browser, report_id, "suspend")


@router.post(REPORTS + "/{report_id}/suspend", include_in_schema=False)
async def suspend(report_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _act(browser, report_id, "suspended", handle_report.suspend_reported_account)
