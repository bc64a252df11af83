"""Settings › Invite people: admins and group managers invite someone by e-mail address."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.invite_person import (
    Invitation,
    groups_to_invite_into,
    invite_person,
    may_invite,
)
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
INVITE_PATH = "/web/settings/invite"


async def shows_invite_link(uow: UnitOfWork, browser: Browser) -> bool:
    """Whether the settings' navigation offers this page (to admins and group managers)."""
    viewer = browser.session.viewer
    return await may_invite(uow, account_id=viewer.account_id, role=viewer.role)


async def _page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                form: dict | None = None, invited: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        actor = await actor_of(uow, browser.session.viewer)
        allowed = await may_invite(uow, account_id=actor.account_id, role=actor.role)
        groups = await groups_to_invite_into(uow, actor) if allowed else []
    return browser.render("settings_invite.html", status_code=status_code, error=error,
                          allowed=allowed, groups=groups, without_group=actor.administers,
                          form=form or {}, invited=invited, may_invite=allowed)


@router.get(INVITE_PATH, include_in_schema=False)
async def invite_page(browser: SignedIn) -> Response:
    return await _page(browser)


@router.post(INVITE_PATH, include_in_schema=False)
async def invite_submit(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    fields = {name: form.get(name, "").strip() for name in ("email", "display_name", "group")}
    group_id = parse_id(fields["group"]) if fields["group"] else None
    try:
        async with uows(request).write() as uow:
            invited = await invite_person(
                uow, actor=await actor_of(uow, browser.session.viewer),
                invitation=Invitation(email=fields["email"][:320],
                                      display_name=fields["display_name"][:200],
                                      group_id=group_id))
    except DomainError as exc:
        return await _page(browser, status_code=exc.status_code, error=browser.explain(exc),
                           form=fields)
    return await _page(browser, invited=f"{fields['email']} (@{invited.username})",
                       form={"group": fields["group"]})
