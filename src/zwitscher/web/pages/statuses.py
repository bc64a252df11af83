"""What a signed-in person does to a status from its card: boost, favourite, bookmark (and
undo), delete their own after a confirmation step, vote in its poll.

Plain forms that answer 303 back to the page they came from (only paths of this site), so
everything works without JavaScript; `web.js` sends the same forms with fetch and swaps the card.
The services are those of the API's status and poll routes.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.delete_status import delete_status
from zwitscher.services.mark_status import bookmark_status, favourite_status, unfavourite_status
from zwitscher.services.reblog_status import may_reblog, reblog_status, unreblog_status
from zwitscher.services.vote_in_poll import vote_in_poll
from zwitscher.views.shown import show_statuses
from zwitscher.web.browser import Browser, templates
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()

ACTIONS = {
    "reblog": reblog_status,
    "unreblog": unreblog_status,
    "favourite": favourite_status,
    "unfavourite": unfavourite_status,
    "bookmark": partial(bookmark_status, on=True),
    "unbookmark": partial(bookmark_status, on=False),
}

# The card shows the boost button only where the service would accept the boost.
templates.globals["rebloggable"] = lambda visibility, own: may_reblog(visibility, own=bool(own))


def local_path(value: str | None, fallback: str) -> str:
    """`value` if it is a path of this site, else `fallback`: never an open redirect, and
    nothing that could break the Location header."""
    value = value or ""
    ours = (value.startswith("/") and not value.startswith("//") and "\\" not in value
            and value.isprintable() and len(value) <= 2000)
    return value if ours else fallback


async def act_on_status(status_id: str, action: str, request: Request, browser: Browser,
                        form: dict[str, str]) -> Response:
    viewer_id = browser.session.viewer.account_id
    back = local_path(form.get("back"), "/web/home")
    try:
        async with uows(request).write() as uow:
            if action == "delete":
                await delete_status(uow, actor_id=viewer_id, status_id=parse_id(status_id) or 0)
                # The deleted post's own page is gone: go home instead of to a 404.
                if back.split("?")[0].split("#")[0].endswith(f"/{status_id}"):
                    back = "/web/home"
            else:
                await ACTIONS[action](uow, account_id=viewer_id,
                                      status_id=parse_id(status_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(back)


def _route_for(action: str) -> None:
    # One route per action (no catch-all), so other pages may add their own status actions.
    async def route(status_id: str, request: Request, browser: SignedIn,
                    form: GenuineForm) -> Response:
        return await act_on_status(status_id, action, request, browser, form)

    router.add_api_route(f"/web/statuses/{{status_id}}/{action}", route, methods=["POST"],
                         include_in_schema=False, name=f"web_{action}_status")


for _action in (*ACTIONS, "delete"):
    _route_for(_action)


@router.get("/web/statuses/{status_id}/delete", include_in_schema=False)
async def confirm_delete(status_id: str, browser: SignedIn) -> Response:
    """The confirmation step: the post, what deleting means, and the button that does it."""
    viewer_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        row = await uow.statuses.get_visible(parse_id(status_id) or 0, viewer_id)
        if row is None or row.account_id != viewer_id or row.reblog_of_id is not None:
            return browser.not_found()
        shown, _ = await show_statuses(uow, [row.id], viewer_id=viewer_id)
    if not shown:
        return browser.not_found()
    back = local_path(browser.request.query_params.get("back"), "/web/home")
    return browser.render("delete_status.html", status=shown[0], back=back)


@router.post("/web/polls/{poll_id}/votes", include_in_schema=False)
async def vote(poll_id: str, request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    raw = await request.form()  # the ticked choices, from the form already read
    try:
        choices = [int(choice) for choice in raw.getlist("choices")[:20]]
    except (TypeError, ValueError):
        return browser.problem(ValidationFailed("That is not one of the poll's options"))
    try:
        async with uows(request).write() as uow:
            await vote_in_poll(uow, account_id=browser.session.viewer.account_id,
                               poll_id=parse_id(poll_id) or 0, choices=choices)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(local_path(form.get("back"), "/web/home"))
