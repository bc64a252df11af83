"""A brand account's public newsroom under our API, and its feeds (docs/newsroom.md).

    GET  /api/zwitscher/v1/newsroom/{brand}/releases       its published public releases,
                                                           newest first, `q` to search; no
                                                           token needed ({brand}: username or
                                                           id)
    POST /api/zwitscher/v1/newsroom/{brand}/subscriptions  ask for them by e-mail: 202, and
                                                           the address gets a link to confirm
    GET  /newsroom/{brand}.atom | .rss | .json             the same releases as Atom, RSS 2.0
                                                           and JSON Feed 1.1 documents

The feeds' links are absolute, from the configured base URL. Their routes come before the
newsroom's web pages (`app.py`), which would take `brand.atom` for a username.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from markupsafe import escape
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher import i18n
from zwitscher.api.deps import Origin, uows
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse, with_examples
from zwitscher.api.presenters.common import absolutize
from zwitscher.api.presenters.feeds import (
    FeedEntry,
    FeedHeading,
    atom_document,
    clean,
    json_feed_document,
    rss_document,
)
from zwitscher.api.presenters.urls import media_url
from zwitscher.api.responses import JSON
from zwitscher.api.zwitscher.press_releases import PressRelease, present_releases
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import NotFound
from zwitscher.services.publish_press_release import release_path
from zwitscher.services.show_newsroom import MAX_QUERY, newsroom_brand, newsroom_releases
from zwitscher.services.show_press_releases import ReleaseView
from zwitscher.services.subscribe_to_newsroom import LIFETIME, subscribe_to_newsroom

router = APIRouter()

API = "/api/zwitscher/v1/newsroom"
FEED_LENGTH = 20
FEEDS = {"atom": (atom_document, "application/atom+xml; charset=utf-8"),
         "rss": (rss_document, "application/rss+xml; charset=utf-8"),
         "json": (json_feed_document, "application/feed+json; charset=utf-8")}


class NewsroomQuery(Params):
    q: str = ""


class SubscriptionForm(Params):
    model_config = with_examples({"email": "nora@example.org", "locale": "de"})

    email: str = ""
    locale: str | None = None


class SubscriptionSent(TypedDict):
    email: str
    confirm_within_days: int


async def _brand(uow, name: str):
    brand = await newsroom_brand(uow, name=name)
    if brand is None:
        raise NotFound("No such brand account")
    return brand


@router.get(API + "/{brand}/releases")
@declare(returns=list[PressRelease], takes=NewsroomQuery, paged=True)
async def newsroom(request: Request, brand: str, origin: Origin) -> JSON:
    """The brand's published public press releases, newest first."""
    query = await parse(request, NewsroomQuery)
    page = page_from(request, default=20, maximum=40)
    async with uows(request).read() as uow:
        account = await _brand(uow, brand)
        views = await newsroom_releases(uow, brand_id=account.id, page=page,
                                        query=query.q[:MAX_QUERY])
        response = JSON(await present_releases(uow, views, origin))
    link_header(request, response, [view.release.id for view in views])
    return response


@router.post(API + "/{brand}/subscriptions")
@declare(returns=SubscriptionSent, takes=SubscriptionForm, status=202, errors=(429,))
async def subscribe(request: Request, brand: str) -> JSON:
    """Ask for the brand's press releases by e-mail; nothing is sent but a link to confirm
    until the address followed it. The answer is the same whether it was subscribed or not."""
    form = await parse(request, SubscriptionForm)
    language = i18n.supported(form.locale) or i18n.from_accept_language(
        request.headers.get("accept-language", "")) or i18n.DEFAULT_LANGUAGE
    async with uows(request).write() as uow:
        account = await _brand(uow, brand)
        address = await subscribe_to_newsroom(
            uow, brand_id=account.id, email=form.email[:321], language=language,
            network_address=request.client.host if request.client else "unknown")
    return JSON({"email": address, "confirm_within_days": LIFETIME.days}, status_code=202)


@router.get("/newsroom/{brand}.{extension}", include_in_schema=False)
async def newsroom_feed(request: Request, brand: str, extension: str) -> Response:
    if extension not in FEEDS:
        raise NotFound()
    write, media_type = FEEDS[extension]
    base = request.app.state.settings.base_url.rstrip("/")
    async with uows(request).read() as uow:
        account = await _brand(uow, brand)
        views = await newsroom_releases(uow, brand_id=account.id,
                                        page=Page(limit=FEED_LENGTH))
    name = account.display_name or account.username
    home = f"{base}/newsroom/{account.username}"
    heading = FeedHeading(title=f"{name}: press releases",
                          description=f"Press releases of {name}",
                          self_url=f"{home}.{extension}", home_url=home)
    entries = [_entry(view, name=name, home=home, base=base) for view in views]
    return Response(write(entries, heading=heading), media_type=media_type)


def _entry(view: ReleaseView, *, name: str, home: str, base: str) -> FeedEntry:
    release = view.release
    url = base + release_path(view.brand.username, release.id)
    images = [row for row in view.media if row.type == "image"]
    documents = [row for row in view.media if row.type != "image"]
    html = absolutize(view.body_html, base) + "".join(
        f'<p><img src="{escape(media_url(row.preview_url, base))}" '
        f'alt="{escape(row.description)}"></p>' for row in images) + "".join(
        f'<p><a href="{escape(media_url(row.file_url, base))}">'
        f'{escape(row.description or row.file_url.rpartition("/")[2])}</a></p>'
        for row in documents)
    return FeedEntry(url=url, uri=url, title=clean(release.headline), author_name=clean(name),
                     author_url=home, html=clean(html), summary=clean(view.lead),
                     published=view.publish_at, updated=view.publish_at,
                     image=media_url(images[0].file_url, base) if images else "")
