"""Give a status the preview card of its link (Mastodon's FetchLinkCardService), as a job.

No transaction is open while the linked site answers: the status is read in one short unit of
work, the page (its oEmbed, its image) fetched, and the card stored and attached in another,
and only if the status still wants that link's card (an edit may have changed it meanwhile).

Cards are kept per page URL and shared: a link whose card was fetched in the last two weeks
gets that one without a request (as in Mastodon). Nothing is retried: a site that does not
answer in time, answers with an error or with no HTML gives the status no card (or the older
card of that link, if there is one). The image is copied into our media store, resized, with
a blurhash: readers never load it from the linked site. Every request goes through
`public_network`: only to public addresses (after resolving, on every redirect), at most so
many bytes, in so much time. The status's version changes with its card (triggers, migration
0031), so readers see it at their next read; no stream event is sent (neither does Mastodon).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

import aiohttp

from zwitscher import __version__
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.link_cards import (
    MAX_URL_BYTES,
    CardDetails,
    card_link,
    read_oembed,
    read_page,
)
from zwitscher.media.images import CardImage, ImageRejected, process_card_image
from zwitscher.media.store import new_key
from zwitscher.services.public_network import (
    NotPublic,
    Unfetchable,
    fetch_public,
    public_only_session,
)
from zwitscher.settings import Settings

log = logging.getLogger(__name__)

REFRESH_AFTER = timedelta(days=14)
MAX_PAGE_BYTES = 1024 * 1024  # a page is read this far (its head is what matters)
MAX_OEMBED_BYTES = 256 * 1024
MAX_IMAGE_BYTES = 8 * 1024 * 1024
_NOTHING = (NotPublic, Unfetchable, aiohttp.ClientError, TimeoutError, ValueError,
            UnicodeError)


async def fetch_link_card(uows: UnitsOfWork, *, status_id: int) -> None:
    async with uows.read() as uow:
        link = await _wanted_link(uow, status_id)
        cached = await uow.preview_cards.for_link(link) if link else None
    if link is None:
        return
    found = None
    if cached is None or cached.fetched_at <= utcnow() - REFRESH_AFTER:
        found = await _fetch(uows.settings, link)
    if found is None:
        if cached is not None:
            async with uows.write() as uow:
                if await _wanted_link(uow, status_id) == link:
                    await uow.preview_cards.attach(status_id=status_id, card_id=cached.id,
                                                   url=link)
        return
    details, image = found
    image_values = await _store_image(uows, image) if image else {}
    async with uows.write() as uow:
        if await _wanted_link(uow, status_id) != link:
            if image_values:
                await uows.media_store.delete(image_values["image_key"])
            return
        card_id, replaced = await uow.preview_cards.save(**_card_values(details, image_values),
                                                         fetched_at=utcnow())
        await uow.preview_cards.attach(status_id=status_id, card_id=card_id, url=link)
    if replaced:
        await uows.media_store.delete(replaced)


async def _wanted_link(uow: UnitOfWork, status_id: int) -> str | None:
    """The link whose card the status should get and has not (an edit may have changed it
    since the job was queued): none for a reblog, a status with images or a poll (as in
    Mastodon), or one that shows that link's card already."""
    status = await uow.statuses.get(status_id)
    if status is None or status.reblog_of_id is not None:
        return None
    link = card_link(status.text, own_origin=uow.settings.base_url)
    if link is None or await uow.media.of_status(status_id) \
            or await uow.polls.of_status(status_id) is not None:
        return None
    shown = await uow.preview_cards.link_of(status_id)
    return None if shown is not None and shown.url == link else link


class _NoCard(Exception):
    """Why a link gets no card (for the log)."""


async def _fetch(settings: Settings, link: str) -> tuple[CardDetails, CardImage | None] | None:
    try:
        return await _read_link(settings, link)
    except _NoCard as exc:
        log.info("no preview card for %s: %s", link, exc)
    except _NOTHING as exc:
        log.info("no preview card for %s: %r", link, exc)
    return None


async def _read_link(settings: Settings, link: str) -> tuple[CardDetails, CardImage | None]:
    timeout = aiohttp.ClientTimeout(total=settings.preview_timeout_seconds)
    headers = {"User-Agent": f"Zwitscher/{__version__} (+{settings.base_url}) Bot",
               "Accept-Language": "en, *;q=0.5"}

    async def get(url: str, max_bytes: int, *, accept: str, truncate: bool = False):
        return await fetch_public(session, url, headers=headers | {"Accept": accept},
                                  max_bytes=max_bytes, seconds=settings.preview_timeout_seconds,
                                  truncate=truncate)

    async with public_only_session(timeout, allowed=settings.preview_allowed_networks) as session:
        fetched = await get(link, MAX_PAGE_BYTES, accept="text/html", truncate=True)
        if fetched.media_type != "text/html":
            raise _NoCard(f"{fetched.media_type}, not HTML")
        # Parsed beside the event loop: in-process jobs share it with the web requests.
        page = await asyncio.to_thread(read_page, fetched.url, fetched.body, fetched.charset)
        if page is None:
            raise _NoCard("not HTML")
        details = page.details
        if page.oembed_url:
            try:
                embed = await get(page.oembed_url, MAX_OEMBED_BYTES, accept="application/json")
                details = read_oembed(details, page.oembed_url, embed.body) or details
            except _NOTHING as exc:
                log.info("no oEmbed for %s: %r", link, exc)
        if not details.usable:
            raise _NoCard("the page has no title")
        if len(details.url.encode()) > MAX_URL_BYTES:
            details = replace(details, url=link)
        image = None
        if details.image_url:
            try:
                data = await get(details.image_url, MAX_IMAGE_BYTES, accept="image/*")
                image = await asyncio.to_thread(process_card_image, data.body,
                                                max_pixels=settings.max_media_pixels)
            except (*_NOTHING, ImageRejected) as exc:
                log.info("no preview image for %s: %r", link, exc)
    return details, image


async def _store_image(uows: UnitsOfWork, image: CardImage) -> dict:
    key = new_key(image.extension)
    await uows.media_store.put(key, image.image.data, image.content_type)
    return {"image_key": key, "image_url": uows.media_store.url(key),
            "image_width": image.image.width, "image_height": image.image.height,
            "blurhash": image.blurhash}


def _card_values(details: CardDetails, image_values: dict) -> dict:
    return {"url": details.url, "type": details.type, "title": details.title,
            "description": details.description, "author_name": details.author_name,
            "author_url": details.author_url, "provider_name": details.provider_name,
            "provider_url": details.provider_url, "html": details.html,
            "width": details.width, "height": details.height,
            "image_description": details.image_description if image_values else "",
            "embed_url": details.embed_url, "language": details.language,
            "published_at": details.published_at,
            **({"image_key": None, "image_url": None, "image_width": 0, "image_height": 0,
                "blurhash": None} | image_values)}
