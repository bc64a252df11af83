"""Aggregated feeds as Atom (RFC 4287), RSS 2.0 and JSON Feed 1.1 documents for feed readers.

Built with ElementTree so that every text is escaped: a post's HTML travels as escaped text
(Atom `type="html"`, RSS `description`), never as markup of the feed itself. Characters XML 1.0
cannot carry at all (most C0 controls) are dropped. `render_atom` and `render_rss` turn
statuses into entries; other feeds (a newsroom's press releases) build `FeedEntry` values of
their own and write them with `atom_document`, `rss_document` and `json_feed_document`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

import orjson
import sqlalchemy as sa

from zwitscher.api.presenters.common import absolutize, iso
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
TITLE_LENGTH = 80
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedHeading:
    title: str
    description: str
    self_url: str  # where this document is fetched from
    home_url: str  # the page a reader opens for the whole feed


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    uri: str
    title: str
    author_name: str
    author_url: str
    html: str
    published: datetime
    updated: datetime
    summary: str = ""  # plain text, where the feed has one apart from the content
    image: str = ""  # an absolute URL (JSON Feed's `image`)


def clean(text: str) -> str:
    """Without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def _title(status: sa.Row, author_name: str) -> str:
    """A line of plain text: the content warning if there is one, else the start of the text."""
    text = " ".join((status.spoiler_text or status.text or "").split())
    if not text:
        return f"Post by {author_name}"
    if len(text) <= TITLE_LENGTH:
        return text
    return text[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip() + "…"


async def _entries(uow: UnitOfWork, rows: list[sa.Row], origin: str) -> list[FeedEntry]:
    authors = await uow.accounts.get_many({row.account_id for row in rows})
    entries = []
    for status in rows:
        author = authors[status.account_id]
        name = author.display_name or author.username
        entries.append(FeedEntry(
            url=f"{origin}/@{author.username}/{status.id}",
            uri=f"{origin}/users/{author.username}/statuses/{status.id}",
            title=clean(_title(status, name)), author_name=clean(name),
            author_url=f"{origin}/@{author.username}",
            html=clean(absolutize(status.content_html, origin)),
            published=status.created_at, updated=status.edited_at or status.created_at))
    return entries


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


async def render_atom(uow: UnitOfWork, rows: list[sa.Row], *, heading: FeedHeading,
                      origin: str) -> bytes:
    return atom_document(await _entries(uow, rows, origin), heading=heading)


async def render_rss(uow: UnitOfWork, rows: list[sa.Row], *, heading: FeedHeading,
                     origin: str) -> bytes:
    return rss_document(await _entries(uow, rows, origin), heading=heading)


def atom_document(entries: list[FeedEntry], *, heading: FeedHeading) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _add(feed, "id", heading.self_url)
    _add(feed, "title", clean(heading.title))
    _add(feed, "subtitle", clean(heading.description))
    _add(feed, "updated", iso(max((e.updated for e in entries), default=utcnow())))
    _add(feed, "link", rel="self", type="application/atom+xml", href=heading.self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=heading.home_url)
    _add(feed, "generator", "Zwitscher")
    for entry in entries:
        item = _add(feed, "entry")
        _add(item, "id", entry.uri)
        _add(item, "title", entry.title)
        _add(item, "link", rel="alternate", type="text/html", href=entry.url)
        _add(item, "published", iso(entry.published))
        _add(item, "updated", iso(entry.updated))
        author = _add(item, "author")
        _add(author, "name", entry.author_name)
        _add(author, "uri", entry.author_url)
        if entry.summary:
            _add(item, "summary", entry.summary)
        _add(item, "content", entry.html, type="html")
    return _serialise(feed)


def rss_document(entries: list[FeedEntry], *, heading: FeedHeading) -> bytes:
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:dc": DC_NS})
    channel = _add(rss, "channel")
    _add(channel, "title", clean(heading.title))
    _add(channel, "link", heading.home_url)
    _add(channel, "description", clean(heading.description))
    _add(channel, "atom:link", rel="self", type="application/rss+xml", href=heading.self_url)
    _add(channel, "lastBuildDate", format_datetime(
        max((e.updated for e in entries), default=utcnow()), usegmt=True))
    _add(channel, "generator", "Zwitscher")
    for entry in entries:
        item = _add(channel, "item")
        _add(item, "title", entry.title)
        _add(item, "link", entry.url)
        _add(item, "guid", entry.url, isPermaLink="true")
        _add(item, "pubDate", format_datetime(entry.published, usegmt=True))
        _add(item, "dc:creator", entry.author_name)
        _add(item, "description", entry.html)
    return _serialise(rss)


def json_feed_document(entries: list[FeedEntry], *, heading: FeedHeading,
                       language: str | None = None) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): orjson escapes what JSON must."""
    items = []
    for entry in entries:
        item = {"id": entry.uri, "url": entry.url, "title": entry.title,
                "content_html": entry.html, "date_published": iso(entry.published),
                "date_modified": iso(entry.updated),
                "authors": [{"name": entry.author_name, "url": entry.author_url}]}
        if entry.summary:
            item["summary"] = entry.summary
        if entry.image:
            item["image"] = entry.image
        items.append(item)
    document = {"version": "https://jsonfeed.org/version/1.1", "title": heading.title,
                "home_page_url": heading.home_url, "feed_url": heading.self_url,
                "description": heading.description, "items": items}
    if language:
        document["language"] = language
    return orjson.dumps(document)


# A feed document's file extension: how it is written, and the media type it is served as.
FORMATS = {"atom": (render_atom, "application/atom+xml; charset=utf-8"),
           "rss": (render_rss, "application/rss+xml; charset=utf-8")}
