"""The administration console's front page: the parts open to this person, and what waits
for them there."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.services.count_console_work import count_console_work
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import SignedIn

router = APIRouter()


@router.get(CONSOLE_PATH, include_in_schema=False)
async def console_overview(browser: SignedIn) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, None)
        waiting = await count_console_work(uow, actor=console.actor)
    return console.render(browser, "admin_overview.html", waiting=waiting)
