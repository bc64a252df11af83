"""The administration console › brand accounts (admins) and the approval queue (admins, and
brand authors whose own posts need no approval, for their brands).

Brands: the list, creating one, a brand's authors (grant by username, with or without
approval, change that, revoke after a confirmation). Queue: each pending draft as the post
would look, approved or rejected with a comment. The services decide who may (`grant_brand`,
`review_brand_draft`); the pages only open the console part first.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.policies.console import Section
from zwitscher.services.create_brand import create_brand
from zwitscher.services.grant_brand import (
    brand_authors,
    change_needs_approval,
    grant_brand_by_username,
    revoke_brand,
)
from zwitscher.services.review_brand_draft import (
    MAX_NOTE,
    approve_brand_draft,
    drafts_to_review,
    reject_brand_draft,
)
from zwitscher.views.statuses import media_view
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()

BRANDS = f"{CONSOLE_PATH}/{Section.BRANDS}"
DRAFTS = f"{CONSOLE_PATH}/{Section.DRAFTS}"
# What a redirect after a change tells the page to confirm (the template holds the words).
DONE = {"created", "granted", "changed", "revoked", "approved", "scheduled", "rejected"}


def _id(raw: str) -> int:
    found = parse_id(raw)
    if found is None:
        raise NotFound()
    return found


def _done(browser: Browser) -> str | None:
    done = browser.request.query_params.get("done")
    return done if done in DONE else None


# Brand accounts.

async def _brands_page(browser: Browser, *, draft: dict | None = None,
                       error: str | None = None, status_code: int = 200) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.BRANDS)
        brands = await uow.brands.all_brands()
        authors = await uow.brands.author_counts()
        pending = await uow.brands.pending_counts()
    return console.render(browser, "admin_brands.html", status_code=status_code,
                          brands=brands, authors=authors, pending=pending,
                          draft=draft or {}, error=error, done=_done(browser))


async def _brand_page(browser: Browser, raw_id: str, *, username: str = "",
                      error: str | None = None, status_code: int = 200) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            console = await open_console(uow, browser, Section.BRANDS)
            brand, authors = await brand_authors(uow, actor=console.actor, brand_id=_id(raw_id))
            roles = await uow.accounts.users_for_accounts({a.id for a in authors})
    except DomainError as exc:
        return browser.problem(exc)
    return console.render(browser, "admin_brands_brand.html", status_code=status_code,
                          brand=brand, authors=authors, roles=roles, username=username,
                          error=error, done=_done(browser))


@router.get(BRANDS, include_in_schema=False)
async def brands(browser: SignedIn) -> Response:
    return await _brands_page(browser)


@router.post(BRANDS, include_in_schema=False)
async def new_brand(browser: SignedIn, form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.BRANDS)
            brand = await create_brand(uow, actor=console.actor,
                                       username=form.get("username", "").strip(),
                                       display_name=form.get("display_name", "").strip())
    except DomainError as exc:
        return await _brands_page(browser, draft=form, error=browser.explain(exc),
                                  status_code=exc.status_code)
    return browser.redirect(f"{BRANDS}/{brand.id}?done=created")


@router.get(BRANDS + "/{brand_id}", include_in_schema=False)
async def brand_page(brand_id: str, browser: SignedIn) -> Response:
    return await _brand_page(browser, brand_id)


@router.post(BRANDS + "/{brand_id}/authors", include_in_schema=False)
async def grant(brand_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    username = form.get("username", "")
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.BRANDS)
            await grant_brand_by_username(uow, actor=console.actor, brand_id=_id(brand_id),
                                          username=username,
                                          needs_approval=form.get("needs_approval") == "on")
    except DomainError as exc:
        return await _brand_page(browser, brand_id, username=username,
                                 error=browser.explain(exc), status_code=exc.status_code)
    return browser.redirect(f"{BRANDS}/{brand_id}?done=granted")


@router.post(BRANDS + "/{brand_id}/authors/{author_id}", include_in_schema=False)
async def change_author(brand_id: str, author_id: str, browser: SignedIn,
                        form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.BRANDS)
            await change_needs_approval(uow, actor=console.actor, brand_id=_id(brand_id),
                                        author_id=_id(author_id),
                                        needs_approval=form.get("needs_approval") == "true")
    except DomainError as exc:
        return await _brand_page(browser, brand_id, error=browser.explain(exc),
                                 status_code=exc.status_code)
    return browser.redirect(f"{BRANDS}/{brand_id}?done=changed")


async def _author(uow: UnitOfWork, browser: Browser, brand_id: str, author_id: str
                  ) -> tuple:
    console = await open_console(uow, browser, Section.BRANDS)
    brand, authors = await brand_authors(uow, actor=console.actor, brand_id=_id(brand_id))
    author = next((a for a in authors if a.id == _id(author_id)), None)
    if author is None:
        raise NotFound()
    return console, brand, author


@router.get(BRANDS + "/{brand_id}/authors/{author_id}/revoke", include_in_schema=False)
async def confirm_revoke(brand_id: str, author_id: str, browser: SignedIn) -> Response:
    """The confirmation step, a page of its own so that it works without JavaScript."""
    try:
        async with uows(browser.request).read() as uow:
            console, brand, author = await _author(uow, browser, brand_id, author_id)
    except DomainError as exc:
        return browser.problem(exc)
    return console.render(browser, "admin_brands_revoke.html", brand=brand, author=author)


@router.post(BRANDS + "/{brand_id}/authors/{author_id}/revoke", include_in_schema=False)
async def revoke(brand_id: str, author_id: str, browser: SignedIn,
                 _form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            console, brand, author = await _author(uow, browser, brand_id, author_id)
            await revoke_brand(uow, actor=console.actor, brand_id=brand.id, author_id=author.id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{BRANDS}/{brand_id}?done=revoked")


# The approval queue.

async def _shown_drafts(uow: UnitOfWork, rows: list[sa.Row]) -> list[dict]:
    """Each draft with what the post would show: its brand, its author, its attachments."""
    accounts = await uow.accounts.get_many({r.brand_id for r in rows}
                                           | {r.author_id for r in rows})
    media = await uow.media.of_drafts([row.id for row in rows])
    return [{"id": row.id, "brand": accounts.get(row.brand_id),
             "author": accounts.get(row.author_id), "params": row.params,
             "created_at": row.created_at, "scheduled_at": row.scheduled_at,
             "media": [media_view(m) for m in media.get(row.id, [])]}
            for row in rows]


async def _queue_page(browser: Browser, *, error: str | None = None, failed: int | None = None,
                      note: str = "", status_code: int = 200) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            console = await open_console(uow, browser, Section.DRAFTS)
            drafts = await _shown_drafts(uow, await drafts_to_review(uow, actor=console.actor))
    except DomainError as exc:
        return browser.problem(exc)
    return console.render(browser, "admin_drafts.html", status_code=status_code,
                          drafts=drafts, error=error, failed=failed, note=note,
                          max_note=MAX_NOTE, done=_done(browser))


@router.get(DRAFTS, include_in_schema=False)
async def queue(browser: SignedIn) -> Response:
    return await _queue_page(browser)


@router.post(DRAFTS + "/{brand_id}/{draft_id}/approve", include_in_schema=False)
async def approve(brand_id: str, draft_id: str, browser: SignedIn,
                  _form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.DRAFTS)
            draft = await approve_brand_draft(uow, actor=console.actor, brand_id=_id(brand_id),
                                              draft_id=_id(draft_id))
    except DomainError as exc:
        return await _queue_page(browser, error=browser.explain(exc),
                                 failed=parse_id(draft_id), status_code=exc.status_code)
    done = "scheduled" if draft.state == "scheduled" else "approved"
    return browser.redirect(f"{DRAFTS}?done={done}")


@router.post(DRAFTS + "/{brand_id}/{draft_id}/reject", include_in_schema=False)
async def reject(brand_id: str, draft_id: str, browser: SignedIn,
                 form: GenuineForm) -> Response:
    note = form.get("note", "")
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.DRAFTS)
            await reject_brand_draft(uow, actor=console.actor, brand_id=_id(brand_id),
                                     draft_id=_id(draft_id), note=note.strip())
    except DomainError as exc:
        return await _queue_page(browser, error=browser.explain(exc),
                                 failed=parse_id(draft_id), note=note,
                                 status_code=exc.status_code)
    return browser.redirect(f"{DRAFTS}?done=rejected")
