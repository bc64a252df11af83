"""Mute and block someone (each after a page saying what it means), and undo either, from a
profile's or a status card's "more" menu.

The services are those of the API's relationship routes (`mute_account`, `block_account`),
so what the API reports in `/api/v1/accounts/relationships` changes with them. Registered
before `profiles`, whose `POST /web/accounts/{id}/{action}` would otherwise answer these
addresses with "not found".
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.block_account import block_account, unblock_account
from zwitscher.services.mute_account import mute_account, unmute_account
from zwitscher.views.accounts import load_accounts
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.statuses import local_path

router = APIRouter()

# How long a mute lasts, as Mastodon's web app offers it (0: until lifted).
MUTE_DURATIONS = ((0, "Indefinitely"), (3600, "1 hour"), (86400, "1 day"), (604800, "7 days"))


async def _confirmation(browser: Browser, raw_id: str, kind: str) -> Response:
    """The page before a mute or a block: who, what it means, and the button that does it."""
    viewer_id = browser.session.viewer.account_id
    target_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        target = (await load_accounts(uow, [target_id])).get(target_id) if target_id else None
    if target is None:
        return browser.not_found()
    if target.id == viewer_id:
        return browser.problem(ValidationFailed(
            "You cannot mute yourself" if kind == "mute" else "You cannot block yourself"))
    back = local_path(browser.request.query_params.get("back"), f"/@{target.username}")
    return browser.render(f"{kind}_account.html", target=target, back=back,
                          durations=MUTE_DURATIONS)


@router.get("/web/accounts/{account_id}/mute", include_in_schema=False)
async def confirm_mute(account_id: str, browser: SignedIn) -> Response:
    return await _confirmation(browser, account_id, "mute")


@router.get("/web/accounts/{account_id}/block", include_in_schema=False)
async def confirm_block(account_id: str, browser: SignedIn) -> Response:
    return await _confirmation(browser, account_id, "block")


def _mute_options(form: dict[str, str]) -> tuple[bool, int]:
    """Whether their notifications are hidden too (a ticked box), and for how long."""
    try:
        duration = int(form.get("duration", "0"))
    except ValueError:
        duration = -1
    if duration not in dict(MUTE_DURATIONS):
        raise ValidationFailed("Please choose how long the mute lasts")
    return form.get("notifications") == "on", duration


async def _act(request: Request, browser: Browser, form: dict[str, str], raw_id: str,
               action: str) -> Response:
    viewer_id = browser.session.viewer.account_id
    target_id = parse_id(raw_id)
    if target_id is None:
        return browser.not_found()
    try:
        async with uows(request).write() as uow:
            if action == "mute":
                notifications, duration = _mute_options(form)
                await mute_account(uow, account_id=viewer_id, target_id=target_id,
                                   notifications=notifications, duration_seconds=duration)
            else:
                verb = {"unmute": unmute_account, "block": block_account,
                        "unblock": unblock_account}[action]
                await verb(uow, account_id=viewer_id, target_id=target_id)
            target = await uow.accounts.get(target_id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(local_path(form.get("back"), f"/@{target.username}"))


def _route_for(action: str) -> None:
    async def route(account_id: str, request: Request, browser: SignedIn,
                    form: GenuineForm) -> Response:
        return await _act(request, browser, form, account_id, action)

    router.add_api_route(f"/web/accounts/{{account_id}}/{action}", route, methods=["POST"],
                         include_in_schema=False, name=f"web_{action}_account")


for _action in ("mute", "unmute", "block", "unblock"):
    _route_for(_action)
