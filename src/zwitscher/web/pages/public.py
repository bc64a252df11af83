"""Public pages anyone can read without JavaScript or login: a profile, a status, its feeds.

The URLs are the ones the API gives as `Account.url` and `Status.url`. Only what an anonymous
reader may see is shown; the profile and its feed list public posts only.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.feeds import FORMATS, FeedHeading
from zwitscher.api.presenters.statuses import present_status, present_statuses
from zwitscher.domain.ids import parse_id
from zwitscher.domain.visibility import Visibility
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.pages.profiles import relationships_for

router = APIRouter()


def _not_found(browser: Browser) -> Response:
    return browser.render("problem.html", status_code=404, message="not found")


async def _public_posts(uow, account_id: int,  # noqa: ANN001
                        browser: Browser) -> tuple[list, int | None]:
    """A page of the account's public posts, and where the next older page starts (if any)."""
    page = page_from(browser.request)
    rows = await uow.statuses.account_statuses(
        account_id, None, page, exclude_replies=False,
        exclude_reblogs=True, only_media=False, pinned=False, tagged=None)
    older_id = rows[-1].id if len(rows) >= page.limit else None
    return [row for row in rows if row.visibility == Visibility.PUBLIC.value], older_id


@router.get("/@{username}.{extension}", include_in_schema=False)
async def account_feed(username: str, extension: str, browser: CurrentBrowser) -> Response:
    """`/@username.atom` and `/@username.rss` (before the profile route, which would take
    them for usernames)."""
    if extension not in FORMATS:
        return _not_found(browser)
    render, media_type = FORMATS[extension]
    here = origin(browser.request)
    async with uows(browser.request).read() as uow:
        account = await uow.accounts.by_username(username)
        if account is None:
            return _not_found(browser)
        heading = FeedHeading(
            title=account.display_name or account.username,
            description=f"Public posts of @{account.username}",
            self_url=f"{here}/@{account.username}.{extension}",
            home_url=f"{here}/@{account.username}")
        posts, _ = await _public_posts(uow, account.id, browser)
        body = await render(uow, posts, heading=heading, origin=here)
    return Response(body, media_type=media_type)


@router.get("/@{username}", include_in_schema=False)
async def profile(username: str, browser: CurrentBrowser) -> Response:
    here = origin(browser.request)
    async with uows(browser.request).read() as uow:
        row = await uow.accounts.by_username(username)
        if row is None:
            return _not_found(browser)
        rows, older_id = await _public_posts(uow, row.id, browser)
        statuses = await present_statuses(uow, rows, viewer_id=None, origin=here)
        account = (await present_account_rows(uow, [row], here))[0]
        relationship = (await relationships_for(uow, browser, [row.id])).get(account["id"])
    return browser.render("profile.html", account=account, statuses=statuses,
                          older_id=older_id, relationship=relationship)


@router.get("/@{username}/{status_id}", include_in_schema=False)
async def status_page(username: str, status_id: str, browser: CurrentBrowser) -> Response:
    here = origin(browser.request)
    async with uows(browser.request).read() as uow:
        row = await uow.statuses.get_visible(parse_id(status_id) or 0, None)
        author = row and await uow.accounts.get(row.account_id)
        if (row is None or author.username != username or row.reblog_of_id is not None
                or row.visibility != Visibility.PUBLIC.value):
            return _not_found(browser)
        status = await present_status(uow, row, viewer_id=None, origin=here)
    return browser.render("status.html", status=status)
