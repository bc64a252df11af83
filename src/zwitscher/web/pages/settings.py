"""A person's settings: profile, password, and where they are signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.params import uploaded_file
from zwitscher.api.presenters.accounts import present_credential_account
from zwitscher.domain.errors import DomainError, NotFound, TooLarge, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.time_zones import time_zone_names
from zwitscher.domain.user_agents import describe_user_agent
from zwitscher.media.images import ProcessedImage
from zwitscher.services.authenticate_user import DIRECTORY
from zwitscher.services.authorized_apps import list_authorized_apps, revoke_authorized_app
from zwitscher.services.change_language import INTERFACE_LANGUAGES, change_language
from zwitscher.services.change_password import WrongCurrentPassword, change_password
from zwitscher.services.change_profile_image import (
    ProfileImage,
    remove_profile_image,
    set_profile_image,
)
from zwitscher.services.confirm_email import change_email
from zwitscher.services.read_image import AVATAR_SIZE, HEADER_SIZE, read_image
from zwitscher.services.update_profile import (
    DEFAULT_VISIBILITIES,
    MAX_DISPLAY_NAME,
    MAX_NOTE,
    ProfileChanges,
    TextTooLong,
    update_profile,
)
from zwitscher.services.web_sessions import (
    end_other_web_session,
    end_other_web_sessions,
    list_web_sessions,
)
from zwitscher.web.browser import LANGUAGE_COOKIE, Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.home import VISIBILITIES
from zwitscher.web.pages.invite import shows_invite_link

router = APIRouter()

PROFILE_PATH = "/web/settings"
IMAGE_SIZES: dict[ProfileImage, tuple[int, int]] = {"avatar": AVATAR_SIZE, "header": HEADER_SIZE}
# The profile's checkboxes: ticked ones arrive as "on", others not at all.
CHOICES = ("locked", "discoverable", "hide_collections", "indexable")


async def _profile_page(browser: Browser, *, form: dict | None = None, error: str | None = None,
                        saved: bool = False, status_code: int = 200) -> Response:
    viewer = browser.session.viewer
    async with uows(browser.request).read() as uow:
        account = await uow.accounts.get(viewer.account_id)
        user = await uow.accounts.user_by_id(viewer.user_id)
        entity = await present_credential_account(uow, account, user, origin(browser.request))
        invite_link = await shows_invite_link(uow, browser)
    shown = form if form is not None else {
        "display_name": account.display_name, "note": account.note or "",
        "language": user.locale, "visibility": user.default_visibility,
        "time_zone": user.time_zone or "",
        "locked": account.locked, "discoverable": account.discoverable,
        "hide_collections": account.hide_collections, "indexable": account.indexable}
    return browser.render(
        "settings_profile.html", status_code=status_code, account=entity, form=shown,
        error=error, saved=saved, visibilities=VISIBILITIES, max_display_name=MAX_DISPLAY_NAME,
        max_note=MAX_NOTE, time_zones=time_zone_names(),
        max_image_bytes=browser.request.app.state.settings.max_media_bytes,
        has_avatar=account.avatar_url is not None, has_header=account.header_url is not None,
        may_invite=invite_link)


@router.get(PROFILE_PATH, include_in_schema=False)
async def profile_settings(browser: SignedIn) -> Response:
    return await _profile_page(browser, saved=browser.request.query_params.get("saved") == "1")


class FormProblem(Exception):
    """What the form says to the person: a key the template words in their language."""

    def __init__(self, key: str, status_code: int = 422) -> None:
        super().__init__(key)
        self.key = key
        self.status_code = status_code


async def _images(request: Request) -> dict[ProfileImage, ProcessedImage]:
    """The chosen image files, read (and refused if they are none) before anything changes.
    A file field left empty still arrives, as a part without content: that is no choice."""
    settings = request.app.state.settings
    images: dict[ProfileImage, ProcessedImage] = {}
    for which, size in IMAGE_SIZES.items():
        try:
            data = await uploaded_file(request, which, settings.max_media_bytes)
            if data:
                images[which] = await read_image(settings, data, crop_to=size)
        except TooLarge as exc:
            raise FormProblem(f"{which}_too_large", 413) from exc
        except ValidationFailed as exc:
            raise FormProblem(f"{which}_not_image") from exc
    return images


def _changes(form: dict) -> tuple[ProfileChanges, str]:
    language = form.get("language", "")
    if language not in INTERFACE_LANGUAGES:
        raise FormProblem("language")
    visibility = form.get("visibility", "")
    if visibility not in DEFAULT_VISIBILITIES:
        raise FormProblem("visibility")
    return ProfileChanges(
        display_name=form.get("display_name", "").strip(), note=form.get("note", ""),
        default_visibility=visibility,
        **{choice: form.get(choice) == "on" for choice in CHOICES},
        time_zone=form.get("time_zone", "")[:64]), language


@router.post(PROFILE_PATH, include_in_schema=False)
async def save_profile(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    viewer = browser.session.viewer
    shown = {**form, **{choice: form.get(choice) == "on" for choice in CHOICES}}
    try:
        changes, language = _changes(form)
        images = await _images(request)
        async with uows(request).write() as uow:
            await update_profile(uow, account_id=viewer.account_id, changes=changes)
            await change_language(uow, user_id=viewer.user_id, language=language)
            for which, image in images.items():
                await set_profile_image(uow, account_id=viewer.account_id, which=which,
                                        image=image)
    except FormProblem as problem:
        return await _profile_page(browser, form=shown, error=problem.key,
                                   status_code=problem.status_code)
    except TextTooLong as exc:
        return await _profile_page(browser, form=shown, error=f"{exc.field}_too_long",
                                   status_code=exc.status_code)
    except DomainError as exc:
        return await _profile_page(browser, form=shown, error=browser.explain(exc),
                                   status_code=exc.status_code)
    browser.cookies_to_set[LANGUAGE_COOKIE] = language
    return browser.redirect(f"{PROFILE_PATH}?saved=1")


@router.post("/web/settings/{which}/remove", include_in_schema=False)
async def remove_image(which: str, request: Request, browser: SignedIn,
                       _form: GenuineForm) -> Response:
    if which not in IMAGE_SIZES:
        return browser.not_found()
    async with uows(request).write() as uow:
        await remove_profile_image(uow, account_id=browser.session.viewer.account_id,
                                   which=which)
    return browser.redirect(f"{PROFILE_PATH}?saved=1")


@router.get("/web/settings/password", include_in_schema=False)
async def password_settings(browser: SignedIn) -> Response:
    query = browser.request.query_params
    return await _password_page(browser, saved=query.get("saved") == "1",
                                email_notice=query.get("done"))


async def _password_page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                         saved: bool = False, email_error: str | None = None,
                         email_notice: str | None = None, new_email: str = "") -> Response:
    async with uows(browser.request).read() as uow:
        user = await uow.accounts.user_by_id(browser.user.id)
        issuers = await uow.identities.issuers_of(user.id)
        invite_link = await shows_invite_link(uow, browser)
    return browser.render("settings_password.html", status_code=status_code, error=error,
                          saved=saved, by_directory=DIRECTORY in issuers, user=user,
                          address_managed=bool(issuers) or user.external_id is not None,
                          email_error=email_error, email_notice=email_notice,
                          new_email=new_email, may_invite=invite_link)


@router.post("/web/settings/email", include_in_schema=False)
async def save_email(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    new_email = form.get("email", "").strip()[:320]
    try:
        async with uows(request).write() as uow:
            await change_email(uow, user_id=browser.user.id, new_email=new_email,
                               password=form.get("current_password", ""))
    except DomainError as exc:
        return await _password_page(browser, status_code=exc.status_code,
                                    email_error=browser.explain(exc), new_email=new_email)
    return browser.redirect("/web/settings/password?done=email-sent#email-heading")


@router.post("/web/settings/password", include_in_schema=False)
async def save_password(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    new_password = form.get("new_password", "")
    if new_password != form.get("repeat_password", ""):
        return await _password_page(browser, status_code=422, error="mismatch")
    try:
        async with uows(request).write() as uow:
            await change_password(uow, user_id=browser.session.viewer.user_id,
                                  current_password=form.get("current_password", ""),
                                  new_password=new_password, keep_session_id=browser.session.id)
    except WrongCurrentPassword:
        return await _password_page(browser, status_code=422, error="wrong")
    except DomainError as exc:
        return await _password_page(browser, status_code=exc.status_code,
                                    error=browser.explain(exc))
    return browser.redirect("/web/settings/password?saved=1")


async def _sessions_page(browser: Browser, *, notice: str | None = None,
                         status_code: int = 200) -> Response:
    viewer = browser.session.viewer
    async with uows(browser.request).read() as uow:
        sessions = await list_web_sessions(uow, user_id=viewer.user_id)
        apps = await list_authorized_apps(uow, user_id=viewer.user_id)
        invite_link = await shows_invite_link(uow, browser)
    return browser.render(
        "settings_sessions.html", status_code=status_code, notice=notice, apps=apps,
        may_invite=invite_link,
        sessions=[(row, describe_user_agent(row.user_agent), row.id == browser.session.id)
                  for row in sessions])


@router.get("/web/settings/sessions", include_in_schema=False)
async def sessions_settings(browser: SignedIn) -> Response:
    return await _sessions_page(browser, notice=browser.request.query_params.get("done"))


@router.post("/web/settings/sessions/others/end", include_in_schema=False)
async def end_others(request: Request, browser: SignedIn, _form: GenuineForm) -> Response:
    async with uows(request).write() as uow:
        await end_other_web_sessions(uow, user_id=browser.session.viewer.user_id,
                                     current_session_id=browser.session.id)
    return browser.redirect("/web/settings/sessions?done=sessions")


@router.post("/web/settings/sessions/{session_id}/end", include_in_schema=False)
async def end_one(session_id: str, request: Request, browser: SignedIn,
                  _form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            await end_other_web_session(uow, user_id=browser.session.viewer.user_id,
                                        current_session_id=browser.session.id,
                                        session_id=parse_id(session_id) or 0)
    except NotFound:
        return await _sessions_page(browser, notice="unknown", status_code=404)
    return browser.redirect("/web/settings/sessions?done=session")


@router.post("/web/settings/apps/{app_id}/revoke", include_in_schema=False)
async def revoke_app(app_id: str, request: Request, browser: SignedIn,
                     _form: GenuineForm) -> Response:
    viewer = browser.session.viewer
    try:
        async with uows(request).write() as uow:
            await revoke_authorized_app(uow, user_id=viewer.user_id,
                                        account_id=viewer.account_id,
                                        app_id=parse_id(app_id) or 0)
    except NotFound:
        return await _sessions_page(browser, notice="unknown", status_code=404)
    return browser.redirect("/web/settings/sessions?done=app")
