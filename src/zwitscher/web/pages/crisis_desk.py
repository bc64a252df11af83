"""The crisis desk in the web interface (docs/crisis.md): the desk, sending a crisis alert, and
a crisis's live dashboard. Templates and contact lists are in `crisis_setup.py`.

    /web/crisis                       the templates as large buttons (one tap opens the send
                                      form), the open crises with their counts, the closed ones
    /web/crisis/send?template=ID      the send form, filled in from the template. Sent once it
                                      answers the confirmation ("Send to 1,004 recipients
                                      now?"), sent again from there, confirmed, it sends
    /web/crisis/{id}                  the dashboard; its live part alone at …/live, which
                                      crisis_desk.js fetches again on each tick of …/stream
    /web/crisis/{id}/resend           again to everyone not reached
    /web/crisis/{id}/updates          post an update (a public one shows on the dark site)
    /web/crisis/{id}/dark-site        switch the dark site on or off
    /web/crisis/{id}/close            close it, after a confirmation

Only the crisis desk finds these pages (404 for anyone else: `web/crisis_forms.py`). Every form
is a plain form answering 303 back to the page; without JavaScript the dashboard is as current
as its last reload. A refusal shows the form again, as it was typed, with the reason.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.domain.crisis_texts import CHANNELS
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.close_crisis import close_crisis
from zwitscher.services.post_crisis_update import post_crisis_update
from zwitscher.services.preview_crisis import preview_crisis
from zwitscher.services.resend_crisis import resend_crisis
from zwitscher.services.send_crisis import send_crisis
from zwitscher.services.show_crisis import crisis_dashboard
from zwitscher.services.show_crisis_desk import show_crisis_desk
from zwitscher.services.switch_dark_site import switch_dark_site
from zwitscher.streaming.crises import crisis_ticks
from zwitscher.streaming.press_conferences import Token
from zwitscher.web.browser import Browser
from zwitscher.web.crisis_forms import (
    DESK_PATH,
    CrisisDesk,
    CrisisDeskFetch,
    blank_form,
    form_of_template,
    placeholders_of,
    plan_choices,
    plan_of,
    read_form,
    small_number,
)
from zwitscher.web.guards import GenuineForm

router = APIRouter()
SEND_PATH = DESK_PATH + "/send"
DONE = {"sent", "resent", "updated", "dark-site-on", "dark-site-off", "closed"}
MAX_UPDATE = 5000


@router.get(DESK_PATH, include_in_schema=False)
async def desk(browser: CrisisDesk) -> Response:
    async with uows(browser.request).read() as uow:
        view = await show_crisis_desk(uow, actor=await actor_of(uow, browser.session.viewer))
    return browser.render("crisis_desk.html", view=view)


# Sending: the form, the confirmation, and the crisis.

@router.get(SEND_PATH, include_in_schema=False)
async def send_form(browser: CrisisDesk) -> Response:
    raw = browser.request.query_params.get("template", "")
    template_id = parse_id(raw) if raw else None
    async with uows(browser.request).read() as uow:
        template = await uow.crisis_templates.get(template_id) if template_id else None
    if raw and template is None:
        return browser.not_found()
    form = form_of_template(template) if template else blank_form()
    return await _send_page(browser, form, template=template)


@router.post(SEND_PATH, include_in_schema=False)
async def send(request: Request, browser: CrisisDesk, fields: GenuineForm) -> Response:
    form = read_form(await request.form())
    # Values of placeholders the text no longer has are not sent (nor refused for length).
    form["values"] = {name: form["values"].get(name, "") for name in placeholders_of(form)}
    template_id = parse_id(fields.get("template_id", "")) or None
    async with uows(request).read() as uow:
        template = await uow.crisis_templates.get(template_id) if template_id else None
    if fields.get("change"):
        return await _send_page(browser, form, template=template)
    try:
        plan = plan_of(form)
        if fields.get("confirmed"):
            async with uows(request).write() as uow:
                crisis = await send_crisis(uow, actor=await actor_of(uow, browser.session.viewer),
                                           plan=plan, values=form["values"],
                                           template_id=template_id)
            return browser.redirect(f"{DESK_PATH}/{crisis.id}?done=sent")
        async with uows(request).read() as uow:
            preview = await preview_crisis(uow, actor=await actor_of(uow, browser.session.viewer),
                                           plan=plan, values=form["values"],
                                           template_id=template_id)
            choices = await plan_choices(uow, browser)
    except DomainError as exc:
        return await _send_page(browser, form, template=template, status_code=exc.status_code,
                                error=browser.explain(exc))
    return browser.render(
        "crisis_confirm.html", form=form, preview=preview, plan=plan, template=template,
        groups=[group for group in choices.groups if group.id in plan.group_ids],
        contact_lists=[row for row in choices.contact_lists if row.id in plan.contact_list_ids],
        brand=next((brand for brand in choices.brands if brand.id == plan.account_id), None))


async def _send_page(browser: Browser, form: dict, *, template, status_code: int = 200,
                     error: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        choices = await plan_choices(uow, browser)
    return browser.render("crisis_send.html", status_code=status_code, form=form,
                          template=template, choices=choices, channels=CHANNELS, error=error,
                          placeholders=placeholders_of(form))


# A crisis's dashboard and what is done from it.

async def _dashboard_page(browser: Browser, raw_id: str, *, template: str,
                          status_code: int = 200, error: str | None = None,
                          form: dict | None = None) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            board = await crisis_dashboard(uow, actor=await actor_of(uow, browser.session.viewer),
                                           crisis_id=parse_id(raw_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    query = browser.request.query_params
    done = query.get("done")
    return browser.render(template, status_code=status_code, board=board,
                          done=done if done in DONE else None,
                          count=small_number(query.get("count", "")),
                          error=error, form=form or {}, page_path=f"{DESK_PATH}/{board.crisis.id}",
                          max_update=MAX_UPDATE)


@router.get(DESK_PATH + "/{crisis_id}", include_in_schema=False)
async def dashboard(crisis_id: str, browser: CrisisDesk) -> Response:
    return await _dashboard_page(browser, crisis_id, template="crisis_dashboard.html")


@router.get(DESK_PATH + "/{crisis_id}/live", include_in_schema=False)
async def live(crisis_id: str, browser: CrisisDeskFetch) -> Response:
    """The dashboard's counts alone, as they are now."""
    return await _dashboard_page(browser, crisis_id, template="crisis_live.html")


@router.get(DESK_PATH + "/{crisis_id}/stream", include_in_schema=False)
async def stream(crisis_id: str, browser: CrisisDeskFetch) -> Response:
    async with uows(browser.request).read() as uow:
        crisis = await uow.crises.get(parse_id(crisis_id) or 0)
    if crisis is None:
        return browser.not_found()
    viewer = browser.session.viewer
    return await crisis_ticks(broker=browser.request.app.state.broker, crisis_id=crisis.id,
                              token=Token(viewer.account_id, viewer.token_id))


async def _act(browser: Browser, raw_id: str, act, done: str, *,
               form: dict | None = None) -> Response:
    """Run one action; back to the dashboard, or the dashboard with the reason it was
    refused (and what was typed)."""
    try:
        async with uows(browser.request).write() as uow:
            result = await act(uow, await actor_of(uow, browser.session.viewer),
                               parse_id(raw_id) or 0)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _dashboard_page(browser, raw_id, template="crisis_dashboard.html",
                                     status_code=exc.status_code, error=browser.explain(exc),
                                     form=form)
    count = f"&count={result}" if isinstance(result, int) else ""
    return browser.redirect(f"{DESK_PATH}/{raw_id}?done={done}{count}")


@router.post(DESK_PATH + "/{crisis_id}/resend", include_in_schema=False)
async def resend(crisis_id: str, browser: CrisisDesk, _form: GenuineForm) -> Response:
    async def act(uow, actor, crisis_id):
        return await resend_crisis(uow, actor=actor, crisis_id=crisis_id)

    return await _act(browser, crisis_id, act, "resent")


@router.post(DESK_PATH + "/{crisis_id}/updates", include_in_schema=False)
async def post_update(crisis_id: str, browser: CrisisDesk, form: GenuineForm) -> Response:
    text, public = form.get("text", "")[:MAX_UPDATE + 1], bool(form.get("public"))

    async def act(uow, actor, crisis_id):
        await post_crisis_update(uow, actor=actor, crisis_id=crisis_id, text=text,
                                 public=public)

    return await _act(browser, crisis_id, act, "updated",
                      form={"text": text, "public": public})


@router.post(DESK_PATH + "/{crisis_id}/dark-site", include_in_schema=False)
async def dark_site(crisis_id: str, browser: CrisisDesk, form: GenuineForm) -> Response:
    on = form.get("on") == "yes"

    async def act(uow, actor, crisis_id):
        await switch_dark_site(uow, actor=actor, crisis_id=crisis_id, on=on)

    return await _act(browser, crisis_id, act, "dark-site-on" if on else "dark-site-off")


@router.get(DESK_PATH + "/{crisis_id}/close", include_in_schema=False)
async def confirm_close(crisis_id: str, browser: CrisisDesk) -> Response:
    return await _dashboard_page(browser, crisis_id, template="crisis_close.html")


@router.post(DESK_PATH + "/{crisis_id}/close", include_in_schema=False)
async def close(crisis_id: str, browser: CrisisDesk, _form: GenuineForm) -> Response:
    async def act(uow, actor, crisis_id):
        await close_crisis(uow, actor=actor, crisis_id=crisis_id)

    return await _act(browser, crisis_id, act, "closed")
