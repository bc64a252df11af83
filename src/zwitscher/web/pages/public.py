"""Public pages anyone can read without JavaScript or login: a profile, a conversation, feeds.

The URLs are the ones the API gives as `Account.url` and `Status.url`. Only what an anonymous
reader may see is shown; the profile and its feed list public posts only. Signed in, a status
page shows the conversation as its reader may see it, with a reply form.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.feeds import FORMATS, FeedHeading
from zwitscher.db.pagination import Page
from zwitscher.domain.ids import parse_id
from zwitscher.domain.visibility import Visibility
from zwitscher.services.mark_status import MAX_PINS
from zwitscher.views.shown import show_statuses
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.pages.home import VISIBILITIES
from zwitscher.web.pages.profiles import relationships_for
from zwitscher.web.timeline import shown_statuses

router = APIRouter()


async def _public_posts(uow, account_id: int,
                        browser: Browser) -> tuple[list, int | None]:
    """A page of the account's public posts, and where the next older page starts (if any)."""
    page = page_from(browser.request)
    rows = await uow.statuses.account_statuses(
        account_id, None, page, exclude_replies=False,
        exclude_reblogs=True, only_media=False, pinned=False, tagged=None)
    older_id = rows[-1].id if len(rows) >= page.limit else None
    return [row for row in rows if row.visibility == Visibility.PUBLIC.value], older_id


async def _pinned_posts(uow, account_id: int, browser: Browser) -> list[int]:
    """The posts the account pinned that the reader may see, newest first: above the first
    page of the profile only."""
    query = browser.request.query_params
    if query.get("max_id") or query.get("min_id") or query.get("since_id"):
        return []
    viewer_id = browser.session.viewer.account_id if browser.session else None
    rows = await uow.statuses.account_statuses(
        account_id, viewer_id, Page(limit=MAX_PINS), exclude_replies=False,
        exclude_reblogs=True, only_media=False, pinned=True, tagged=None)
    return [row.id for row in rows]


@router.get("/@{username}.{extension}", include_in_schema=False)
async def account_feed(username: str, extension: str, browser: CurrentBrowser) -> Response:
    """`/@username.atom` and `/@username.rss` (before the profile route, which would take
    them for usernames)."""
    if extension not in FORMATS:
        return browser.not_found()
    render, media_type = FORMATS[extension]
    here = origin(browser.request)
    async with uows(browser.request).read() as uow:
        account = await uow.accounts.shown_by_username(username)
        if account is None:
            return browser.not_found()
        heading = FeedHeading(
            title=account.display_name or account.username,
            description=f"Public posts of @{account.username}",
            self_url=f"{here}/@{account.username}.{extension}",
            home_url=f"{here}/@{account.username}")
        posts, _ = await _public_posts(uow, account.id, browser)
        rows = await uow.statuses.get_many([post.id for post in posts])
        body = await render(uow, [rows[post.id] for post in posts if post.id in rows],
                            heading=heading, origin=here)
    return Response(body, media_type=media_type)


@router.get("/@{username}", include_in_schema=False)
async def profile(username: str, browser: CurrentBrowser) -> Response:
    here = origin(browser.request)
    viewer_id = browser.session.viewer.account_id if browser.session else None
    async with uows(browser.request).read() as uow:
        row = await uow.accounts.shown_by_username(username)
        if row is None:
            return browser.not_found()
        rows, older_id = await _public_posts(uow, row.id, browser)
        pinned = await _pinned_posts(uow, row.id, browser)
        statuses = await shown_statuses(
            uow, [*pinned, *(r.id for r in rows if r.id not in pinned)], viewer_id=viewer_id,
            filter_context="account")
        account = (await present_account_rows(uow, [row], here))[0]
        relationship = (await relationships_for(uow, browser, [row.id])).get(account["id"])
    return browser.render("profile.html", account=account, statuses=statuses,
                          pinned_ids=set(pinned), older_id=older_id, relationship=relationship)


# Replies are indented by their depth in the thread up to here; deeper ones stay at this depth.
MAX_INDENT = 4


@router.get("/@{username}/{status_id:int}", include_in_schema=False)
async def status_page(username: str, status_id: int, browser: CurrentBrowser) -> Response:
    """The whole conversation as the viewer may see it (as the API's context): anonymous
    readers see public posts only, signed-in people what their visibility allows."""
    viewer_id = browser.session.viewer.account_id if browser.session else None
    async with uows(browser.request).read() as uow:
        row = await uow.statuses.get_visible(parse_id(status_id) or 0, viewer_id)
        author = row and await uow.accounts.get(row.account_id)
        if (row is None or author.username != username or row.reblog_of_id is not None
                or (viewer_id is None and row.visibility != Visibility.PUBLIC.value)):
            return browser.not_found()
        ancestors = await uow.statuses.ancestors(row, viewer_id)
        descendants = await uow.statuses.descendants(row, viewer_id)
        if viewer_id is None:
            ancestors, descendants = _public(ancestors), _public(descendants)
        shown, _ = await show_statuses(
            uow, [r.id for r in (*ancestors, row, *descendants)], viewer_id=viewer_id,
            filter_context="thread")
        replying_visibility = _reply_visibility(row, browser)
        # Earlier versions, as the API's history serves them (newest first here).
        history = list(reversed(await uow.statuses.edits(row.id))) if row.edited_at else []
    by_id = {status.id: status for status in shown}
    if row.id not in by_id:
        return browser.not_found()  # deleted meanwhile
    others = {status_id: status for status_id, status in by_id.items() if not status.hidden}
    depths = _depths(row.id, descendants)
    return browser.render(
        "status.html", status=by_id[row.id],
        ancestors=[others[r.id] for r in ancestors if r.id in others],
        descendants=[(others[r.id], depths[r.id]) for r in descendants if r.id in others],
        reply_visibility=replying_visibility, visibilities=VISIBILITIES, history=history,
        max_characters=browser.request.app.state.settings.max_characters)


def _public(rows: list) -> list:
    return [row for row in rows if row.visibility == Visibility.PUBLIC.value]


def _depths(root_id: int, descendants: list) -> dict[int, int]:
    """How far each reply is indented: one more than the post it answers (descendants come
    parents first); a reply to a post the viewer cannot see hangs at the first level."""
    depths = {root_id: 0}
    for row in descendants:
        depths[row.id] = min(depths.get(row.in_reply_to_id, 0) + 1, MAX_INDENT)
    return depths


def _reply_visibility(parent, browser: Browser) -> str:
    """The reply form's preselected audience: a reply to a restricted post stays as
    restricted; otherwise the person's default."""
    if parent.visibility in (Visibility.PRIVATE.value, Visibility.DIRECT.value,
                             Visibility.UNLISTED.value, Visibility.INTERNAL.value):
        return parent.visibility
    return browser.user.default_visibility if browser.user else Visibility.PUBLIC.value
