"""A brand account's public newsroom, readable without JavaScript or an account.

    /newsroom/{brand}                  its published public releases, newest first, paged;
                                       `?q=` searches them; feeds, e-mail subscription, and
                                       for people signed in, notifications of new releases
    /newsroom/{brand}/{id}             one release, with its OpenGraph and Twitter card tags
    POST /newsroom/{brand}/subscribe   ask for the releases by e-mail (a link to confirm)
    POST /newsroom/{brand}/notify      follow the brand with notifications on (or off): new
                                       releases reach the person as notifications and by
                                       Web Push, as every post of an account followed so
    /web/newsroom/confirm?token=       the e-mailed link that confirms a subscription
    /web/newsroom/unsubscribe?token=   every release e-mail's link: a page with a button, and
                                       the one-click POST of RFC 8058 (no CSRF token: mail
                                       programs send none; the token in the URL is the proof)

What a reader sees is what anyone may read (`services/show_newsroom.py`); everything else is
"not found". The feeds are in `api/zwitscher/newsroom.py`. Canonical and OpenGraph URLs are
absolute, from the configured base URL.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.domain.text import render_plain_note
from zwitscher.services.confirm_newsroom_subscription import confirm_newsroom_subscription
from zwitscher.services.follow_account import follow_account
from zwitscher.services.newsroom_links import CONFIRM_PATH, UNSUBSCRIBE_PATH, subscriber_of
from zwitscher.services.show_newsroom import (
    MAX_QUERY,
    newsroom_brand,
    newsroom_release,
    newsroom_releases,
)
from zwitscher.services.subscribe_to_newsroom import LIFETIME, subscribe_to_newsroom
from zwitscher.services.unsubscribe_from_newsroom import unsubscribe_from_newsroom
from zwitscher.views.accounts import load_accounts
from zwitscher.views.statuses import media_view
from zwitscher.web.browser import Browser, CurrentBrowser, visit_of
from zwitscher.web.guards import GenuineForm, SignedIn

router = APIRouter()

NEWSROOM = "/newsroom"


def _base(browser: Browser) -> str:
    return browser.settings.base_url.rstrip("/")


async def _listing(browser: Browser, username: str, *, status_code: int = 200,
                   email: str = "", error: str | None = None, sent: bool = False) -> Response:
    """The newsroom page; after a subscription form, with its answer."""
    try:
        page = page_from(browser.request)
    except DomainError as exc:
        return browser.problem(exc)
    query = browser.request.query_params.get("q", "")[:MAX_QUERY].strip()
    async with uows(browser.request).read() as uow:
        brand = await newsroom_brand(uow, name=username)
        if brand is None:
            return browser.not_found()
        views = await newsroom_releases(uow, brand_id=brand.id, page=page, query=query)
        account = (await load_accounts(uow, [brand.id]))[brand.id]
        notify = await _notify_state(uow, browser, brand.id)
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "newsroom.html", status_code=status_code, brand=account, views=views, q=query,
        note=render_plain_note(account.note) if account.note else "", notify=notify,
        base=_base(browser), media_of=_media_of(views), paged=paged, email=email, error=error,
        sent=sent, days=LIFETIME.days,
        newer_id=views[0].release.id if views and paged else None,
        older_id=views[-1].release.id if len(views) >= page.limit else None)


async def _notify_state(uow, browser: Browser, brand_id: int) -> str | None:
    """For the bell: "on" or "off" for a person signed in (None: nobody, or the brand)."""
    if browser.session is None or browser.session.viewer.account_id == brand_id:
        return None
    follow = await uow.relationships.get_follow(
        account_id=browser.session.viewer.account_id, target_id=brand_id)
    return "on" if follow is not None and follow.notify else "off"


def _media_of(views) -> dict[int, list]:
    """Each release's attachments as the templates read them (images and documents)."""
    return {view.release.id: [media_view(row) for row in view.media] for view in views}


@router.get(NEWSROOM + "/{username}", include_in_schema=False)
async def newsroom_page(username: str, browser: CurrentBrowser) -> Response:
    return await _listing(browser, username)


@router.get(NEWSROOM + "/{username}/{raw_id}", include_in_schema=False)
async def release_page(username: str, raw_id: str, browser: CurrentBrowser) -> Response:
    release_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        brand = await newsroom_brand(uow, name=username)
        view = brand and release_id and await newsroom_release(
            uow, brand_id=brand.id, release_id=release_id)
        if not view:
            return browser.not_found()
        account = (await load_accounts(uow, [brand.id]))[brand.id]
        notify = await _notify_state(uow, browser, brand.id)
    return browser.render("newsroom_release.html", view=view, brand=account, notify=notify,
                          base=_base(browser), media=_media_of([view])[view.release.id],
                          email="", error=None, sent=False, days=LIFETIME.days)


@router.post(NEWSROOM + "/{username}/subscribe", include_in_schema=False)
async def subscribe(username: str, request: Request, browser: CurrentBrowser,
                    form: GenuineForm) -> Response:
    email = form.get("email", "")[:321]
    try:
        async with uows(request).write() as uow:
            brand = await newsroom_brand(uow, name=username)
            if brand is None:
                return browser.not_found()
            await subscribe_to_newsroom(uow, brand_id=brand.id, email=email,
                                        language=browser.language,
                                        network_address=visit_of(browser).network_address)
    except DomainError as exc:
        return await _listing(browser, username, status_code=exc.status_code,
                              email=email.strip(), error=browser.explain(exc))
    return await _listing(browser, username, sent=True, email=email.strip())


@router.post(NEWSROOM + "/{username}/notify", include_in_schema=False)
async def notify(username: str, request: Request, browser: SignedIn,
                 form: GenuineForm) -> Response:
    wanted = form.get("notify") == "on"
    try:
        async with uows(request).write() as uow:
            brand = await newsroom_brand(uow, name=username)
            if brand is None:
                return browser.not_found()
            await follow_account(uow, account_id=browser.session.viewer.account_id,
                                 target_id=brand.id, notify_on_post=wanted)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{NEWSROOM}/{brand.username}?notify={'on' if wanted else 'off'}")


@router.get(CONFIRM_PATH, include_in_schema=False)
async def confirm(request: Request, browser: CurrentBrowser, token: str = "") -> Response:
    # Following the link is the confirmation: the address received it.
    try:
        async with uows(request).write() as uow:
            brand = await confirm_newsroom_subscription(uow, token=token)
    except DomainError as exc:
        return browser.render("newsroom_subscription.html", status_code=exc.status_code,
                              step="confirm", brand=None, error=browser.explain(exc))
    return browser.render("newsroom_subscription.html", step="confirmed", brand=brand,
                          error=None)


@router.get(UNSUBSCRIBE_PATH, include_in_schema=False)
async def unsubscribe_page(browser: CurrentBrowser, token: str = "") -> Response:
    """A page with a button: a link scanner's GET changes nothing."""
    async with uows(browser.request).read() as uow:
        subscriber = await subscriber_of(uow, token)
        brand = subscriber and await uow.accounts.get(subscriber.brand_id)
    return browser.render("newsroom_subscription.html", status_code=200 if brand else 404,
                          step="unsubscribe" if brand else "gone", brand=brand, token=token,
                          error=None)


@router.post(UNSUBSCRIBE_PATH, include_in_schema=False)
async def unsubscribe_now(request: Request, browser: CurrentBrowser,
                          token: str = "") -> Response:
    async with uows(request).write() as uow:
        brand = await unsubscribe_from_newsroom(uow, token=token)
    # A link used before answers as done: mail programs may send the POST again.
    return browser.render("newsroom_subscription.html", step="unsubscribed", brand=brand,
                          error=None)
