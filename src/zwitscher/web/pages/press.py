"""The press room: press releases as the signed-in person may read them (`policies/press_
releases.py`), and, for communicators, writing, changing and withdrawing them.

    /web/press                   releases under embargo for the reader's press groups, then
                                 published ones, and all of the brands they write for
    /web/press/{id}              one release (an embargo notice while it lasts)
    /web/press/new               write one (brand, headline, text, attachments, contact,
                                 audience, embargo)
    /web/press/{id}/edit         change one before its publication
    /web/press/save              where both forms are sent
    /web/press/{id}/withdraw     withdraw one before its publication (after a confirmation)

Times are typed and shown in the person's own time zone (their setting, else UTC).
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.db.pagination import Page
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.brands import brands_to_post_as
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.delete_media import forget_files
from zwitscher.services.show_press_releases import (
    ReleaseView,
    show_press_release,
    show_press_releases,
)
from zwitscher.services.upload_media import upload_media
from zwitscher.services.withdraw_press_release import withdraw_press_release
from zwitscher.services.write_press_release import (
    MAX_BODY,
    MAX_CONTACT_DETAILS,
    MAX_HEADLINE,
    ReleaseDraft,
    write_press_release,
)
from zwitscher.web.attachments import form_attachments
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.local_times import field_value, local_moment, person_zone

router = APIRouter()

PRESS_PATH = "/web/press"
SAVE_PATH = PRESS_PATH + "/save"


@router.get(PRESS_PATH, include_in_schema=False)
async def press_room(browser: SignedIn) -> Response:
    try:
        page = page_from(browser.request)
    except DomainError as exc:
        return browser.problem(exc)
    viewer_id = browser.session.viewer.account_id
    now = utcnow()
    async with uows(browser.request).read() as uow:
        embargoed = [] if page.max_id or page.min_id else await show_press_releases(
            uow, await uow.press_releases.readable_page(
                Page(limit=40), viewer_id=viewer_id, now=now, published=False))
        rows = await uow.press_releases.readable_page(page, viewer_id=viewer_id, now=now,
                                                      published=True)
        published = await show_press_releases(uow, rows)
        brands = await brands_to_post_as(uow, person_id=viewer_id, role=browser.user.role)
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "press.html", embargoed=embargoed, published=published, may_write=bool(brands),
        done=browser.request.query_params.get("done", ""),
        here=PRESS_PATH, paged=paged,
        newer_id=rows[0].id if rows and paged else None,
        older_id=rows[-1].id if len(rows) >= page.limit else None)


@router.get(PRESS_PATH + "/new", include_in_schema=False)
async def new_release(browser: SignedIn) -> Response:
    return await _form_page(browser, release_id=None,
                            form={"brand_id": browser.request.query_params.get("brand", ""),
                                  "public": "on"})


@router.post(SAVE_PATH, include_in_schema=False)
async def save_release(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    """Writing one and changing one post here (the release's id in a field), so that one
    path takes the uploads' size (`app.py`)."""
    release_id = None
    if raw_id := form.get("release_id", ""):
        if (release_id := parse_id(raw_id)) is None:
            return browser.not_found()
    return await _save(request, browser, form, release_id=release_id)


@router.get(PRESS_PATH + "/{raw_id}", include_in_schema=False)
async def release_page(raw_id: str, browser: SignedIn) -> Response:
    release_id = parse_id(raw_id)
    viewer_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        view = release_id and await show_press_release(uow, release_id=release_id,
                                                       viewer_id=viewer_id)
        writes = bool(view) and any(
            brand.id == view.brand.id for brand in await brands_to_post_as(
                uow, person_id=viewer_id, role=browser.user.role))
    if not view:
        return browser.not_found()
    return browser.render("press_release.html", view=view, writes=writes,
                          done=browser.request.query_params.get("done", ""))


@router.get(PRESS_PATH + "/{raw_id}/edit", include_in_schema=False)
async def edit_release(raw_id: str, browser: SignedIn) -> Response:
    release_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        view = release_id and await show_press_release(
            uow, release_id=release_id, viewer_id=browser.session.viewer.account_id)
    if not view:
        return browser.not_found()
    return await _form_page(browser, release_id=release_id,
                            form=form_of_release(view, person_zone(browser)), view=view)


@router.get(PRESS_PATH + "/{raw_id}/withdraw", include_in_schema=False)
async def confirm_withdrawal(raw_id: str, browser: SignedIn) -> Response:
    release_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        view = release_id and await show_press_release(
            uow, release_id=release_id, viewer_id=browser.session.viewer.account_id)
    if not view:
        return browser.not_found()
    return browser.render("press_release_withdraw.html", view=view)


@router.post(PRESS_PATH + "/{raw_id}/withdraw", include_in_schema=False)
async def withdraw(raw_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    release_id = parse_id(raw_id)
    if release_id is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            await withdraw_press_release(uow, person_id=browser.session.viewer.account_id,
                                         role=browser.user.role, release_id=release_id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{PRESS_PATH}?done=withdrawn")


async def _form_page(browser: Browser, *, release_id: int | None, form: dict,
                     view=None, status_code: int = 200, error: str | None = None) -> Response:
    viewer_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        brands = await brands_to_post_as(uow, person_id=viewer_id, role=browser.user.role)
        press_groups = await uow.groups.press_groups()
        if view is None and release_id is not None:
            view = await show_press_release(uow, release_id=release_id, viewer_id=viewer_id)
    if not brands:
        return browser.render("problem.html", status_code=403, message=browser.explain(
            ValidationFailed("Only communicators of a brand account write press releases")))
    return browser.render(
        "press_release_form.html", status_code=status_code, release_id=release_id, view=view,
        brands=brands, press_groups=press_groups, form=form, error=error,
        zone=person_zone(browser), max_headline=MAX_HEADLINE, max_body=MAX_BODY,
        max_contact_details=MAX_CONTACT_DETAILS, max_attachments=MAX_ATTACHMENTS)


async def _save(request: Request, browser: Browser, form: dict,
                *, release_id: int | None) -> Response:
    raw_form = await request.form()
    group_ids = [value for value in raw_form.getlist("group_ids") if isinstance(value, str)]
    shown = {**form, "group_ids": group_ids}
    viewer_id = browser.session.viewer.account_id
    uploaded: list = []
    try:
        draft, brand_id = await _draft(browser, form, group_ids, raw_form)
        attachments = await form_attachments(request, raw_form, form)
        async with uows(request).write() as uow:
            # Stored with the release in one transaction: a refused one leaves no uploads.
            for attachment, details in attachments:
                uploaded.append(await upload_media(uow, account_id=viewer_id,
                                                   upload=attachment, details=details))
            draft = replace(draft, media_ids=draft.media_ids + tuple(m.id for m in uploaded))
            row = await write_press_release(uow, person_id=viewer_id, role=browser.user.role,
                                            brand_id=brand_id, draft=draft,
                                            release_id=release_id)
    except DomainError as exc:
        if uploaded:
            async with uows(request).write() as uow:
                await forget_files(uow, [key for media in uploaded
                                         for key in (media.file_key, media.preview_key)])
        if exc.status_code == 404:
            return browser.not_found()
        return await _form_page(browser, release_id=release_id, form=shown,
                                status_code=exc.status_code, error=browser.explain(exc))
    return browser.redirect(f"{PRESS_PATH}/{row.id}?done=saved")


async def _draft(browser: Browser, form: dict, group_ids: list[str],
                 raw_form) -> tuple[ReleaseDraft, int]:
    brand_id = parse_id(form.get("brand_id", ""))
    if brand_id is None:
        raise ValidationFailed("Choose the brand account the release is from")
    groups = tuple(parse_id(value) for value in group_ids[:21])
    if None in groups:
        raise ValidationFailed("Choose press groups from the list")
    kept = tuple(parse_id(value) for value in raw_form.getlist("keep_media")
                 if isinstance(value, str))
    if None in kept:
        raise ValidationFailed("Media attachments must be given by their ids")
    zone = person_zone(browser)
    contact_id = None
    if contact := form.get("contact", "").strip().lstrip("@"):
        async with uows(browser.request).read() as uow:
            account = await uow.accounts.by_username(contact[:64])
        if account is None:
            raise ValidationFailed("The contact must be a person of the organisation")
        contact_id = account.id
    draft = ReleaseDraft(
        headline=form.get("headline", "")[:MAX_HEADLINE + 1],
        body=form.get("body", "")[:MAX_BODY + 1],
        public=bool(form.get("public")), group_ids=groups, media_ids=kept,
        contact_id=contact_id,
        contact_details=form.get("contact_details", "")[:MAX_CONTACT_DETAILS + 1],
        language=browser.language if not form.get("language") else form["language"][:8],
        preview_at=local_moment(form.get("preview_at", ""), zone,
                                "The embargo's start is not a date and time"),
        publish_at=local_moment(form.get("publish_at", ""), zone,
                                "The publication time is not a date and time"))
    return draft, brand_id


def form_of_release(view: ReleaseView, zone: str) -> dict:
    """The form's fields as the saved release fills them."""
    release = view.release
    return {"brand_id": str(release.brand_id), "headline": release.headline,
            "body": release.body, "public": "on" if release.public else "",
            "group_ids": [str(group.id) for group in view.groups],
            "keep_media": [str(row.id) for row in view.media],
            "contact": view.contact.username if view.contact else "",
            "contact_details": release.contact_details, "language": release.language or "",
            "preview_at": field_value(release.preview_at, zone),
            "publish_at": field_value(release.publish_at, zone)}
