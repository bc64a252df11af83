"""What every web route checks before it runs, as FastAPI dependencies.

- `SignedIn`: the `Browser` of a signed-in person; anyone else is sent to `/web/sign-in` (303).
- `SignedInFetch`: the same for what `web.js` fetches (cards, streams), which answers a 401
  problem page instead: a redirect there would be followed to a sign-in form nobody sees.
- `GenuineForm`: the form's text fields, read once; a missing or wrong CSRF token answers the
  403 "nothing was changed" page before the route runs.

A dependency ends the request by raising `EarlyAnswer` with the page to send; `app.py` installs
`send_early_answer` as its handler. Declare `SignedIn` before `GenuineForm` in a route's
parameters (FastAPI resolves them in that order): a signed-out person is sent to sign in,
not told their form expired.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from zwitscher.services.two_factor import second_factor_required
from zwitscher.web.browser import Browser, CurrentBrowser


class EarlyAnswer(Exception):
    """The answer to the request, decided before the route runs."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def send_early_answer(_request: Request, exc: EarlyAnswer) -> Response:
    return exc.response


SECURITY_PATH = "/web/settings/security"


async def signed_in(browser: CurrentBrowser) -> Browser:
    if browser.session is None:
        raise EarlyAnswer(browser.redirect("/web/sign-in"))
    if _owes_second_factor(browser) and browser.request.url.path != SECURITY_PATH:
        raise EarlyAnswer(browser.redirect(SECURITY_PATH))
    return browser


def _owes_second_factor(browser: Browser) -> bool:
    """Their role must have a second factor and they have none: they set one up first. (A
    single sign-on's second factor is the provider's business.)"""
    return (browser.session.method != "sso"
            and second_factor_required(browser.settings, browser.user))


async def signed_in_fetch(browser: CurrentBrowser) -> Browser:
    if browser.session is None or _owes_second_factor(browser):
        raise EarlyAnswer(browser.render("problem.html", status_code=401, message=None))
    return browser


async def genuine_form(request: Request, browser: CurrentBrowser) -> dict[str, str]:
    """The text fields (files and repeated fields are not here: a route that takes them reads
    `await request.form()`, which Starlette keeps from this first reading)."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    if not browser.form_is_genuine(fields):
        raise EarlyAnswer(browser.render("problem.html", status_code=403, message=None))
    return fields


SignedIn = Annotated[Browser, Depends(signed_in)]
SignedInFetch = Annotated[Browser, Depends(signed_in_fetch)]
GenuineForm = Annotated[dict[str, str], Depends(genuine_form)]
