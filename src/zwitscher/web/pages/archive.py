"""Your archive, in the settings (docs/data-rights.md, "Your archive"):

- `GET /web/settings/archive`: ask for one, see how it is coming on (queued, being made,
  ready with its size and the download, expired), when you may ask again;
- `POST /web/settings/archive`: ask (the same service as the API's `POST .../archive`);
- `GET /web/settings/archive/{id}/download`: the zip, for its owner signed in; anyone else,
  signed in or not, finds nothing there (the e-mail links the page, which asks to sign in).
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.download_archive import download_archive
from zwitscher.services.make_archive import ARCHIVE_PAGE
from zwitscher.services.request_archive import ArchiveTooSoon, archive_state, request_archive
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import EarlyAnswer, GenuineForm, SignedIn, signed_in
from zwitscher.web.pages.invite import shows_invite_link

router = APIRouter()


async def _page(browser: Browser, *, notice: str | None = None, error: str | None = None,
                status_code: int = 200) -> Response:
    async with uows(browser.request).read() as uow:
        archive = await archive_state(uow, viewer=browser.session.viewer)
        invite_link = await shows_invite_link(uow, browser)
    settings = browser.settings
    return browser.render("settings_archive.html", status_code=status_code, archive=archive,
                          notice=notice if notice == "requested" else None, error=error,
                          may_invite=invite_link,
                          keep=timedelta(seconds=settings.archive_keep_seconds),
                          interval=timedelta(seconds=settings.archive_interval_seconds))


@router.get(ARCHIVE_PAGE, include_in_schema=False)
async def archive_settings(browser: SignedIn) -> Response:
    return await _page(browser, notice=browser.request.query_params.get("done"))


@router.post(ARCHIVE_PAGE, include_in_schema=False)
async def ask_for_archive(request: Request, browser: SignedIn, _form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            await request_archive(uow, viewer=browser.session.viewer)
    except ArchiveTooSoon as exc:
        # The page says when, in the person's time zone.
        return await _page(browser, error="too_soon", status_code=exc.status_code)
    except DomainError as exc:
        return await _page(browser, error=browser.explain(exc), status_code=exc.status_code)
    return browser.redirect(f"{ARCHIVE_PAGE}?done=requested")


@router.get(ARCHIVE_PAGE + "/{archive_id}/download", include_in_schema=False)
async def download(archive_id: str, request: Request, browser: CurrentBrowser) -> Response:
    try:
        await signed_in(browser)
    except EarlyAnswer:
        # Not "sign in first": whoever is not its owner, signed in or not, finds nothing.
        return browser.not_found()
    try:
        async with uows(request).read() as uow:
            found = await download_archive(uow, viewer=browser.session.viewer,
                                           archive_id=parse_id(archive_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return FileResponse(found.path, media_type="application/zip", filename=found.filename,
                        headers={"Cache-Control": "no-store"})
