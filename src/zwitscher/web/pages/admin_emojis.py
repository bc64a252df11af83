"""The administration console › Custom emojis: every emoji with its picture; add one
(shortcode, picture, category), change its category and whether the picker offers it or it
is in use at all, remove it after asking. The rules are `services/write_custom_emoji.py`'s.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.params import uploaded_file
from zwitscher.domain.custom_emojis import MAX_CATEGORY_LENGTH, MAX_SHORTCODE_LENGTH
from zwitscher.domain.errors import DomainError, TooLarge, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.console import Section
from zwitscher.services.read_image import EMOJI_MAX_BYTES, read_emoji_image
from zwitscher.services.write_custom_emoji import (
    EmojiSettings,
    add_custom_emoji,
    all_custom_emojis,
    change_custom_emoji,
    remove_custom_emoji,
)
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()
EMOJIS_PATH = f"{CONSOLE_PATH}/{Section.EMOJIS}"


async def _list_page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                     form: dict | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.EMOJIS)
        emojis = await all_custom_emojis(uow, actor=console.actor)
    return console.render(browser, "admin_emojis.html", status_code=status_code,
                          emojis=emojis, error=error, form=form or {},
                          max_shortcode=MAX_SHORTCODE_LENGTH, max_category=MAX_CATEGORY_LENGTH,
                          max_kilobytes=EMOJI_MAX_BYTES // 1024,
                          done=browser.request.query_params.get("done", ""))


@router.get(EMOJIS_PATH, include_in_schema=False)
async def emojis_page(browser: SignedIn) -> Response:
    return await _list_page(browser)


@router.post(EMOJIS_PATH, include_in_schema=False)
async def emoji_add(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    shown = {"shortcode": form.get("shortcode", "").strip().strip(":")[:200],
             "category": form.get("category", "")[:200],
             "visible_in_picker": form.get("visible_in_picker") == "on"}
    try:
        # Refused before the picture is decoded (the expensive part), and decoded before the
        # writing transaction begins.
        async with uows(request).read() as uow:
            await open_console(uow, browser, Section.EMOJIS)
        image = await _image(request)
        async with uows(request).write() as uow:
            console = await open_console(uow, browser, Section.EMOJIS)
            await add_custom_emoji(uow, actor=console.actor, shortcode=shown["shortcode"],
                                   image=image, settings=EmojiSettings(
                                       category=shown["category"],
                                       visible_in_picker=shown["visible_in_picker"]))
    except DomainError as exc:
        return await _list_page(browser, status_code=exc.status_code, form=shown,
                                error=browser.explain(exc))
    return browser.redirect(f"{EMOJIS_PATH}?done=added")


async def _image(request: Request):
    try:
        data = await uploaded_file(request, "image", EMOJI_MAX_BYTES)
    except TooLarge:
        raise TooLarge("The picture is larger than %(kilobytes)s KB",
                       kilobytes=EMOJI_MAX_BYTES // 1024) from None
    if not data:
        raise ValidationFailed("Choose a picture for the emoji")
    return await read_emoji_image(request.app.state.settings, data)


@router.post(EMOJIS_PATH + "/{raw_id}", include_in_schema=False)
async def emoji_change(raw_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    emoji_id = parse_id(raw_id)
    if emoji_id is None:
        return browser.not_found()
    settings = EmojiSettings(category=form.get("category", "")[:200],
                             visible_in_picker=form.get("visible_in_picker") == "on",
                             disabled=form.get("enabled") != "on")
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.EMOJIS)
            await change_custom_emoji(uow, actor=console.actor, emoji_id=emoji_id,
                                      settings=settings)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.not_found()
        return await _list_page(browser, status_code=exc.status_code,
                                error=browser.explain(exc))
    return browser.redirect(f"{EMOJIS_PATH}?done=saved")


@router.get(EMOJIS_PATH + "/{raw_id}/delete", include_in_schema=False)
async def emoji_delete_page(raw_id: str, browser: SignedIn) -> Response:
    emoji_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.EMOJIS)
        emoji = await uow.custom_emojis.get(emoji_id) if emoji_id else None
    if emoji is None:
        return browser.not_found()
    return console.render(browser, "admin_emoji_delete.html", emoji=emoji)


@router.post(EMOJIS_PATH + "/{raw_id}/delete", include_in_schema=False)
async def emoji_delete(raw_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    emoji_id = parse_id(raw_id)
    if emoji_id is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.EMOJIS)
            await remove_custom_emoji(uow, actor=console.actor, emoji_id=emoji_id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{EMOJIS_PATH}?done=removed")
