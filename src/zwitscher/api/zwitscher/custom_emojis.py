"""Custom emojis for admins: add (multipart `image` and `shortcode`), list (disabled ones
too), change how they are listed or disable them, and remove them. Mastodon has no API for
this; the fields are those of its admin interface."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Params, parse, uploaded_file
from zwitscher.api.presenters.custom_emojis import (
    AdminCustomEmoji,
    present_custom_emoji_for_admin,
)
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.roles import ADMINISTRATORS, parse_role
from zwitscher.services.oauth import Viewer
from zwitscher.services.read_image import EMOJI_MAX_BYTES, read_emoji_image
from zwitscher.services.write_custom_emoji import (
    EmojiSettings,
    add_custom_emoji,
    all_custom_emojis,
    change_custom_emoji,
    remove_custom_emoji,
)

PATH = "/api/zwitscher/v1/admin/custom_emojis"
router = APIRouter(prefix=PATH)


class EmojiFields(Params):
    category: str | None = None
    visible_in_picker: bool | None = None
    disabled: bool | None = None


class NewEmoji(EmojiFields):
    shortcode: str = ""


def _settings(form: EmojiFields) -> EmojiSettings:
    return EmojiSettings(category=form.category, visible_in_picker=form.visible_in_picker,
                         disabled=form.disabled)


@router.get("")
@declare(returns=list[AdminCustomEmoji])
async def list_emojis(request: Request, origin: Origin,
                      viewer: Viewer = Depends(scoped("admin:read"))) -> JSON:
    async with uows(request).read() as uow:
        rows = await all_custom_emojis(uow, actor=await actor_of(uow, viewer))
    return JSON([present_custom_emoji_for_admin(row, origin) for row in rows])


@router.post("")
@declare(returns=AdminCustomEmoji, takes=NewEmoji, files=("image",))
async def add(request: Request, origin: Origin,
              viewer: Viewer = Depends(scoped("admin:write"))) -> JSON:
    form = await parse(request, NewEmoji)
    # Refused before the picture is decoded: decoding is the expensive part.
    if parse_role(viewer.role) not in ADMINISTRATORS:
        raise Forbidden("Only admins may manage custom emojis")
    data = await uploaded_file(request, "image", EMOJI_MAX_BYTES)
    if data is None:
        raise ValidationFailed("Image can't be blank")
    image = await read_emoji_image(request.app.state.settings, data)
    async with uows(request).write() as uow:
        row = await add_custom_emoji(uow, actor=await actor_of(uow, viewer),
                                     shortcode=form.shortcode, image=image,
                                     settings=_settings(form))
    return JSON(present_custom_emoji_for_admin(row, origin))


@router.patch("/{emoji_id}")
@declare(returns=AdminCustomEmoji, takes=EmojiFields)
async def change(request: Request, emoji_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("admin:write"))) -> JSON:
    form = await parse(request, EmojiFields)
    async with uows(request).write() as uow:
        row = await change_custom_emoji(uow, actor=await actor_of(uow, viewer),
                                        emoji_id=path_id(emoji_id), settings=_settings(form))
    return JSON(present_custom_emoji_for_admin(row, origin))


@router.delete("/{emoji_id}")
@declare(returns=Empty)
async def remove(request: Request, emoji_id: str,
                 viewer: Viewer = Depends(scoped("admin:write"))) -> JSON:
    async with uows(request).write() as uow:
        await remove_custom_emoji(uow, actor=await actor_of(uow, viewer),
                                  emoji_id=path_id(emoji_id))
    return JSON({})
