"""The administration console › Press accreditation (communicators, admins, owners): the
confirmed accreditation requests, oldest first, each to approve into the press groups the desk
ticks (those asked for are ticked) or to reject with a reason the journalist is e-mailed; a
form to invite a journalist into a press group; and the accreditations decided, newest first.

The rules are the services' (`invite_journalist`, `decide_accreditation`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.policies.console import Section
from zwitscher.policies.press import DECIDED
from zwitscher.services.admit_journalist import (
    MAX_NAME,
    MAX_NOTE,
    MAX_OUTLET,
    MAX_POSITION,
    Journalist,
)
from zwitscher.services.decide_accreditation import approve_accreditation, reject_accreditation
from zwitscher.services.invite_journalist import JournalistInvitation, invite_journalist
from zwitscher.services.review_accreditations import accreditation_queue, list_accreditations
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
ACCREDITATIONS_PATH = f"{CONSOLE_PATH}/{Section.PRESS_ACCREDITATION}"
QUEUE_SIZE = 50
DECIDED_SIZE = 20
DONE = {"approved", "rejected", "invited", "added"}
INVITE_FIELDS = {"name": MAX_NAME, "email": 320, "outlet": MAX_OUTLET,
                 "position": MAX_POSITION}


async def _page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                failed: int | None = None, invite_form: dict | None = None,
                invite_error: str | None = None, reason: str = "",
                ticked: list[str] | None = None) -> Response:
    max_id = parse_id(browser.request.query_params.get("max_id", ""))
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.PRESS_ACCREDITATION)
        queue = await accreditation_queue(uow, actor=console.actor, limit=QUEUE_SIZE)
        decided = await list_accreditations(uow, actor=console.actor, state=DECIDED,
                                            page=Page(max_id=max_id, limit=DECIDED_SIZE))
        groups = await uow.groups.press_groups()
    done = browser.request.query_params.get("done")
    return console.render(
        browser, "admin_press_accreditations.html", status_code=status_code, queue=queue,
        decided=decided, groups=groups, error=error, failed=failed,
        invite_form=invite_form or {}, invite_error=invite_error, reason=reason,
        ticked=ticked, done=done if done in DONE else None, paged=max_id is not None,
        older_id=decided[-1].row.id if len(decided) >= DECIDED_SIZE else None,
        max_note=MAX_NOTE, limits=INVITE_FIELDS)


@router.get(ACCREDITATIONS_PATH, include_in_schema=False)
async def accreditations_page(browser: SignedIn) -> Response:
    return await _page(browser)


@router.post(ACCREDITATIONS_PATH + "/invite", include_in_schema=False)
async def invite(browser: SignedIn, form: GenuineForm) -> Response:
    # One over each limit: the service refuses what is too long, rather than cutting it.
    fields = {name: form.get(name, "")[:limit + 1] for name, limit in INVITE_FIELDS.items()}
    fields["group"] = form.get("group", "")[:20]
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.PRESS_ACCREDITATION)
            admitted = await invite_journalist(uow, actor=console.actor, invitation=(
                JournalistInvitation(Journalist(
                    name=fields["name"], email=fields["email"], outlet=fields["outlet"],
                    position=fields["position"]), parse_id(fields["group"]) or 0)))
    except DomainError as exc:
        return await _page(browser, status_code=exc.status_code, invite_form=fields,
                           invite_error=browser.explain(exc))
    done = "invited" if admitted.new_account else "added"
    return browser.redirect(f"{ACCREDITATIONS_PATH}?done={done}#invite-heading")


@router.post(ACCREDITATIONS_PATH + "/{raw_id}/{action}", include_in_schema=False)
async def decide(request: Request, raw_id: str, action: str, browser: SignedIn,
                 form: GenuineForm) -> Response:
    accreditation_id = parse_id(raw_id)
    if action not in ("approve", "reject") or accreditation_id is None:
        return browser.not_found()
    ticked = [value[:20] for value in (await request.form()).getlist("groups")[:100]
              if isinstance(value, str)]
    reason = form.get("reason", "")[:MAX_NOTE + 1]
    try:
        async with uows(request).write() as uow:
            console = await open_console(uow, browser, Section.PRESS_ACCREDITATION)
            if action == "approve":
                await approve_accreditation(uow, actor=console.actor,
                                            accreditation_id=accreditation_id,
                                            group_ids=[parse_id(v) or 0 for v in ticked])
            else:
                await reject_accreditation(uow, actor=console.actor,
                                           accreditation_id=accreditation_id, reason=reason)
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _page(browser, status_code=exc.status_code, error=browser.explain(exc),
                           failed=accreditation_id, reason=reason, ticked=ticked)
    done = "approved" if action == "approve" else "rejected"
    return browser.redirect(f"{ACCREDITATIONS_PATH}?done={done}")
