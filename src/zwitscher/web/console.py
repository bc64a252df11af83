"""What every page of the administration console (`/web/admin/...`) shares: who may open which
part (`zwitscher.policies.console`), the console's navigation, and the 403 page.

A console route opens the console inside its unit of work:

    async with uows(request).write() as uow:
        console = await open_console(uow, browser, Section.PEOPLE)
        await change_role(uow, actor=console.actor, ...)

Someone the part is not open to gets the 403 page from `open_console` (an `EarlyAnswer`,
raised inside the transaction, so nothing the route might have started is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from zwitscher.api.deps import actor_of
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor
from zwitscher.policies.console import Section, console_sections
from zwitscher.web.browser import Browser
from zwitscher.web.guards import EarlyAnswer

CONSOLE_PATH = "/web/admin"


@dataclass(frozen=True, slots=True)
class Console:
    actor: Actor
    sections: list[Section]
    section: Section | None

    def render(self, browser: Browser, name: str, *, status_code: int = 200,
               **context) -> Response:
        return browser.render(name, status_code=status_code, console=self, **context)


async def open_console(uow: UnitOfWork, browser: Browser,
                       section: Section | None) -> Console:
    """The console for the signed-in person at `section` (None: its front page), or the 403
    page when that part is not open to them."""
    actor = await actor_of(uow, browser.session.viewer)
    sections = await console_sections(uow, actor)
    if (section not in sections) if section is not None else not sections:
        raise EarlyAnswer(refused(browser))
    return Console(actor, sections, section)


def refused(browser: Browser) -> Response:
    return browser.render("admin_refused.html", status_code=403)
