"""What a profile offers beyond its public posts: follow and unfollow, followers and following.

The lists show what `GET /api/v1/accounts/:id/followers|following` shows the reader
(`services.list_network`: none to others when the account hides its network). Registered
before the public pages, whose `/@{username}/{status_id}` would otherwise take `followers` for
an id.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.accounts import present_account_rows, present_relationships
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.follow_account import follow_account, unfollow_account
from zwitscher.services.list_network import Network, list_network
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()


async def relationships_for(uow, browser: Browser,
                            account_ids: list[int]) -> dict[str, dict]:
    """The viewer's relationship to each account (by id), for the follow buttons: none when
    signed out, and never one to yourself."""
    if browser.session is None:
        return {}
    viewer_id = browser.session.viewer.account_id
    others = [account_id for account_id in account_ids if account_id != viewer_id]
    return {entity["id"]: entity
            for entity in await present_relationships(uow, viewer_id, others)}


def _is_local_path(back: str) -> bool:
    # Only a path of ours: never an open redirect to another site.
    return back.startswith("/") and not back.startswith("//") and "\\" not in back


async def _graph_page(browser: Browser, username: str, which: Network) -> Response:
    request = browser.request
    page = page_from(request, default=40, maximum=80)
    viewer_id = browser.session.viewer.account_id if browser.session else None
    async with uows(request).read() as uow:
        account = await uow.accounts.shown_by_username(username)
        if account is None:
            return browser.not_found()
        listed = await list_network(uow, account=account, which=which, viewer_id=viewer_id,
                                    page=page)
        rows = listed or []
        here = origin(request)
        owner = (await present_account_rows(uow, [account], here))[0]
        people = await present_account_rows(uow, [row for _, row in rows], here)
        relationships = await relationships_for(uow, browser, [row.id for _, row in rows])
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "accounts.html", which=which, account=owner, people=people,
        relationships=relationships, hidden=listed is None,
        hidden_from_others=viewer_id == account.id and account.hide_collections,
        newer_id=rows[0][0] if rows and paged else None,
        older_id=rows[-1][0] if len(rows) >= page.limit else None, paged=paged)


@router.get("/@{username}/followers", include_in_schema=False)
async def followers(username: str, browser: CurrentBrowser) -> Response:
    return await _graph_page(browser, username, "followers")


@router.get("/@{username}/following", include_in_schema=False)
async def following(username: str, browser: CurrentBrowser) -> Response:
    return await _graph_page(browser, username, "following")


@router.post("/web/accounts/{account_id}/{action}", include_in_schema=False)
async def follow_or_unfollow(account_id: str, action: str, request: Request,
                             browser: SignedIn, form: GenuineForm) -> Response:
    target_id = parse_id(account_id)
    if action not in ("follow", "unfollow") or target_id is None:
        return browser.not_found()
    viewer_id = browser.session.viewer.account_id
    try:
        async with uows(request).write() as uow:
            if action == "follow":
                await follow_account(uow, account_id=viewer_id, target_id=target_id)
            else:
                await unfollow_account(uow, account_id=viewer_id, target_id=target_id)
            target = await uow.accounts.get(target_id)
    except DomainError as exc:
        return browser.problem(exc)
    back = form.get("back", "")
    return browser.redirect(back if _is_local_path(back) else f"/@{target.username}")
