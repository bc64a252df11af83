"""Reporting a person (or one of their posts) to the moderators: what is wrong (Mastodon's
categories), a comment, which of their recent posts it is about; then a thank-you page that
offers to mute or block them.

`file_report` (the service of `POST /api/v1/reports`) checks everything: not oneself, the
posts theirs and visible to the reporter; the report reaches the moderators' queue in the
console and their notifications.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.file_report import MAX_COMMENT, MAX_STATUSES, file_report
from zwitscher.views.accounts import load_accounts
from zwitscher.views.shown import ShownStatus, show_statuses
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.statuses import local_path

router = APIRouter()

# The categories offered, in Mastodon's order ("I don't like it" is answered by mute and
# block on the thank-you page instead). There are no instance rules to tick yet.
CATEGORIES = ("spam", "legal", "violation", "other")
RECENT_POSTS = 20


async def _report_form(browser: Browser, *, target_id: int | None, form: dict,
                       error: str | None = None, status_code: int = 200) -> Response:
    """The form for reporting `target_id`, with what `form` holds ticked and typed."""
    viewer_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        target = (await load_accounts(uow, [target_id])).get(target_id) if target_id else None
        if target is None:
            return browser.not_found()
        if target.id == viewer_id:
            return browser.problem(ValidationFailed("You cannot report yourself"))
        posts, strays = await _posts(uow, target.id, viewer_id, form["status_ids"])
    if strays and error is None:  # a link naming a post that is not theirs, or not visible
        return browser.not_found()
    return browser.render("report.html", status_code=status_code, target=target, posts=posts,
                          form=form, error=error, categories=CATEGORIES,
                          max_comment=MAX_COMMENT)


async def _posts(uow: UnitOfWork, target_id: int, viewer_id: int,
                 ticked: list[int]) -> tuple[list[ShownStatus], bool]:
    """The person's recent posts the reporter may see, newest first, with the ticked ones
    among them even if older; and whether some ticked id was left out (not a post of
    theirs the reporter may see: `ticked` loses it)."""
    visible = await uow.statuses.get_many_visible(ticked, viewer_id)
    theirs = [status_id for status_id in ticked if (row := visible.get(status_id)) is not None
              and row.account_id == target_id and row.reblog_of_id is None]
    strays = len(theirs) != len(ticked)
    ticked[:] = theirs  # the form shows only these ticked
    recent = await uow.statuses.account_statuses(
        target_id, viewer_id, Page(limit=RECENT_POSTS), exclude_replies=False,
        exclude_reblogs=True, only_media=False, pinned=False, tagged=None)
    ids = sorted({row.id for row in recent} | set(ticked), reverse=True)
    shown, _ = await show_statuses(uow, ids, viewer_id=viewer_id)
    return shown, strays


def _ids(raw: list[str]) -> list[int]:
    ids = [parse_id(value) for value in raw[:MAX_STATUSES + 1]]
    if None in ids:
        raise ValidationFailed("Status ids must be statuses of the reported account")
    return list(dict.fromkeys(ids))


@router.get("/web/reports/new", include_in_schema=False)
async def new_report(browser: SignedIn) -> Response:
    query = browser.request.query_params
    status_id = parse_id(query.get("status_id", "")) if query.get("status_id") else None
    if query.get("status_id") and status_id is None:
        return browser.not_found()
    form = {"category": "", "comment": "", "status_ids": [status_id] if status_id else [],
            "back": local_path(query.get("back"), "")}
    return await _report_form(browser, target_id=parse_id(query.get("account_id", "")),
                              form=form)


@router.post("/web/reports", include_in_schema=False)
async def send_report(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    raw = await request.form()  # the ticked posts, from the form already read
    target_id = parse_id(form.get("account_id", ""))
    kept = {"category": form.get("category", ""), "comment": form.get("comment", ""),
            "status_ids": [], "back": local_path(form.get("back"), "")}
    try:
        kept["status_ids"] = _ids([v for v in raw.getlist("status_ids") if isinstance(v, str)])
        if kept["category"] not in CATEGORIES:
            raise ValidationFailed("Please choose what is wrong")
        if target_id is None:
            return browser.not_found()
        async with uows(request).write() as uow:
            await file_report(uow, reporter_id=browser.session.viewer.account_id,
                              target_id=target_id, status_ids=kept["status_ids"],
                              comment=kept["comment"], category=kept["category"], rule_ids=[])
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _report_form(browser, target_id=target_id, form=kept,
                                  error=browser.explain(exc), status_code=exc.status_code)
    query = {"account_id": target_id} | ({"back": kept["back"]} if kept["back"] else {})
    return browser.redirect(f"/web/reports/sent?{urlencode(query)}")


@router.get("/web/reports/sent", include_in_schema=False)
async def report_sent(browser: SignedIn) -> Response:
    """Thanks, and what one can do meanwhile: mute or block them (as Mastodon offers)."""
    query = browser.request.query_params
    target_id = parse_id(query.get("account_id", ""))
    async with uows(browser.request).read() as uow:
        target = (await load_accounts(uow, [target_id])).get(target_id) if target_id else None
        facts = target and await uow.relationships.facts(browser.session.viewer.account_id,
                                                          [target.id])
    if target is None:
        return browser.not_found()
    return browser.render("report_sent.html", target=target,
                          muting=target.id in facts.muting, blocking=target.id in facts.blocking,
                          back=local_path(query.get("back"), f"/@{target.username}"))
