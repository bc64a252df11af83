"""The organisation's custom emojis, as every app's emoji picker reads them (no sign-in)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zwitscher.api.deps import Origin, uows
from zwitscher.api.entities import CustomEmoji
from zwitscher.api.operations import declare
from zwitscher.api.presenters.custom_emojis import present_custom_emoji
from zwitscher.api.responses import JSON

router = APIRouter()


@router.get("/api/v1/custom_emojis")
@declare(returns=list[CustomEmoji])
async def custom_emojis(request: Request, origin: Origin) -> JSON:
    async with uows(request).read() as uow:
        rows = await uow.custom_emojis.every(with_disabled=False)
    return JSON([present_custom_emoji(row, origin) for row in rows])
