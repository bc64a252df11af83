"""The administration console › Instance: the instance's name, description, rules and who may
sign up, shown read-only.

They are settings of the server today (`ZWITSCHER_INSTANCE_TITLE`,
`ZWITSCHER_INSTANCE_DESCRIPTION`, `ZWITSCHER_REGISTRATIONS`), read at start by every process
and by code that has no unit of work (mail, the app manifest); there are no rules yet. Moving
them into the database is a change of its own (a table, and every reader asking it), so this
page says where they come from instead of offering a form that would not hold.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.policies.console import Section
from zwitscher.settings import RegistrationMode
from zwitscher.web.console import open_console
from zwitscher.web.guards import SignedIn

router = APIRouter()
INSTANCE_PATH = "/web/admin/instance"


@router.get(INSTANCE_PATH, include_in_schema=False)
async def instance_page(browser: SignedIn) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.INSTANCE)
    return console.render(browser, "admin_instance.html", settings=browser.settings,
                          modes=list(RegistrationMode))
