"""Link preview cards: which link of a status gets one, and what a page says about itself.

As in Mastodon (`FetchLinkCardService`, `LinkDetailsExtractor`):
- the first http(s) link of the text gets a card; not mentions or hashtags (they are no links
  in our texts), not links to this instance's own pages;
- a page is read for its oEmbed endpoint (`<link rel="alternate"
  type="application/json+oembed">`), its JSON-LD (`NewsArticle`, `WebPage`), OpenGraph and
  Twitter tags, and its `<title>`; a card needs a title (or a player);
- oEmbed answers of type `rich` are refused (they rely on scripts); a video's HTML is reduced
  to one iframe from an http(s) source.
Where the oEmbed answer leaves a field out, the page's value stays (Mastodon's oEmbed cards
have no description and no image unless the endpoint names a thumbnail).
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import nh3
import orjson

from zwitscher.domain.text import tokenize

# Links longer than this get no card: the URL is a key, indexed on both engines.
MAX_URL_BYTES = 2000
TYPES = ("link", "photo", "video")
_LIMITS = {"title": 300, "description": 1000, "author_name": 300, "provider_name": 300,
           "image_description": 1500}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_OEMBED_TYPES = ("application/json+oembed", "text/json+oembed")
_IFRAME = {"iframe": {"src", "width", "height", "frameborder", "allowfullscreen", "scrolling"}}


def card_link(text: str, *, own_origin: str) -> str | None:
    """The link of a status's text that gets a card, if any."""
    own = _origin(own_origin)
    for token in tokenize(text):
        if token.kind == "url" and len(token.value.encode()) <= MAX_URL_BYTES \
                and _origin(token.value) != own:
            return token.value
    return None


def _origin(url: str) -> tuple[str, str | None, int | None] | None:
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What a card says, before its image is fetched (`image_url` is the page's)."""

    url: str
    title: str = ""
    description: str = ""
    type: str = "link"
    author_name: str = ""
    author_url: str = ""
    provider_name: str = ""
    provider_url: str = ""
    html: str = ""
    width: int = 0
    height: int = 0
    image_url: str | None = None
    image_description: str = ""
    embed_url: str = ""
    language: str | None = None
    published_at: datetime | None = None

    @property
    def usable(self) -> bool:
        return bool(self.title or self.html)


@dataclass(frozen=True, slots=True)
class Page:
    details: CardDetails
    oembed_url: str | None


def read_page(url: str, body: bytes, charset: str | None) -> Page | None:
    """What the HTML page at `url` (after redirects) says about itself; None if it is no
    HTML at all."""
    try:
        document = lxml.html.document_fromstring(_decode(body, charset))
    except (lxml.etree.ParserError, ValueError):
        return None
    page = _Reader(url, document)
    return Page(page.details(), page.oembed_url())


def read_oembed(page: CardDetails, endpoint_url: str, body: bytes) -> CardDetails | None:
    """The page's card as its oEmbed endpoint describes it; None for an answer we do not use
    (not JSON, `rich`, a photo without its URL)."""
    try:
        embed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(embed, dict) or embed.get("type") not in TYPES:
        return None

    def text(name: str) -> str:
        value = embed.get(name)
        return _clip(name, value) if isinstance(value, str | int | float) else ""

    def link(name: str) -> str:
        return _web_url(endpoint_url, embed.get(name)) or ""

    found: dict[str, Any] = {"type": embed["type"], "title": text("title"),
                             "author_name": text("author_name"), "author_url": link("author_url"),
                             "provider_name": text("provider_name"),
                             "provider_url": link("provider_url"),
                             "image_url": link("thumbnail_url") or None}
    if embed["type"] == "photo":
        if not link("url"):
            return None
        found |= {"embed_url": link("url"), "image_url": link("url")}
    if embed["type"] in ("photo", "video"):
        found |= {"width": _number(embed.get("width")), "height": _number(embed.get("height"))}
    if embed["type"] == "video" and isinstance(embed.get("html"), str):
        found["html"] = _iframe_only(embed["html"])
    return replace(page, **{name: value for name, value in found.items() if value})


def _decode(body: bytes, charset: str | None) -> str:
    """As a browser would: a byte order mark, else the HTTP header's charset, else the page's
    `<meta charset>`, else UTF-8; bytes that do not decode are replaced."""
    if body.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        sniffed = _META_CHARSET.search(body[:4096])
        encoding = charset or (sniffed.group(1).decode("ascii") if sniffed else "utf-8")
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    # lxml refuses text that declares an encoding of its own.
    return _XML_DECLARATION.sub("", text, count=1)


class _Reader:
    def __init__(self, url: str, document: lxml.html.HtmlElement) -> None:
        self.url = url
        self.document = document
        self.structured = _structured_data(document)

    def tag(self, name: str) -> str | None:
        """A `<meta property=...>` or `<meta name=...>`'s content."""
        for meta in self.document.iter("meta"):
            if name in (meta.get("property"), meta.get("name")):
                content = meta.get("content")
                if content and content.strip():
                    return content.strip()
        return None

    def link(self, rel: str, type_: tuple[str, ...] | None = None) -> str | None:
        for element in self.document.iter("link"):
            rels = (element.get("rel") or "").lower().split()
            if rel in rels and (type_ is None or (element.get("type") or "").lower() in type_):
                if element.get("href"):
                    return element.get("href")
        return None

    def oembed_url(self) -> str | None:
        return _web_url(self.url, self.link("alternate", _OEMBED_TYPES))

    def details(self) -> CardDetails:
        data = self.structured
        player = _web_url(self.url, self.tag("twitter:player"))
        width = _number(self.tag("twitter:player:width"))
        height = _number(self.tag("twitter:player:height"))
        title = _text(data.get("headline")) or self.tag("og:title") or self.title()
        return CardDetails(
            url=self.canonical_url(),
            title=_clip("title", title),
            description=_clip("description", _text(data.get("description"))
                              or self.tag("og:description") or self.tag("description")),
            type="video" if player else "link",
            author_name=_clip("author_name", _text(_first(data.get("author")).get("name"))
                              or self.tag("og:author") or self.tag("og:author:username")),
            author_url=_web_url(self.url, _first(data.get("author")).get("url")) or "",
            provider_name=_clip("provider_name", _text(_first(data.get("publisher")).get("name"))
                                or self.tag("og:site_name")),
            html=_player(player, width, height) if player else "",
            width=width if player else 0, height=height if player else 0,
            image_url=_web_url(self.url, self.tag("og:image")),
            image_description=_clip("image_description", self.tag("og:image:alt")),
            embed_url=_web_url(self.url, self.tag("twitter:player:stream")) or "",
            language=_language(_text(_first(data.get("inLanguage")))
                               or self.tag("og:locale") or self.document.get("lang")),
            published_at=_moment(_text(data.get("datePublished"))
                                 or self.tag("article:published_time")))

    def title(self) -> str:
        found = self.document.find(".//title")
        return found.text_content() if found is not None else ""

    def canonical_url(self) -> str:
        """The page's own idea of its URL, on the same host only (a page may not claim
        another site's); else where the redirects led."""
        for candidate in (self.link("canonical"), self.tag("og:url")):
            url = _web_url(self.url, candidate)
            if url and urlsplit(url).hostname == urlsplit(self.url).hostname \
                    and len(url.encode()) <= MAX_URL_BYTES:
                return url
        return self.url


def _structured_data(document: lxml.html.HtmlElement) -> dict:
    """The first JSON-LD object of a type Mastodon reads (some pages hold several, some
    invalid)."""
    for script in document.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = orjson.loads(script.text_content().strip())
        except orjson.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("@type") in ("NewsArticle", "WebPage"):
                return item
    return {}


def _first(value: Any) -> Any:
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, dict) else ({"name": value} if value else {})


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return html.unescape(value).strip() if isinstance(value, str) else ""


def _clip(field: str, value: Any) -> str:
    text = " ".join(str(value or "").split())
    limit = _LIMITS.get(field, 300)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _web_url(base: str, value: Any) -> str | None:
    """`value` made absolute against `base`, if it is an http(s) URL with a host."""
    if not isinstance(value, str) or not value.strip() or value.strip() == "null":
        return None
    try:
        url = urljoin(base, value.strip())
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def _number(value: Any) -> int:
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return 0
    return number if 0 < number < 100_000 else 0


def _language(value: str | None) -> str | None:
    code = re.split(r"[-_]", value or "", maxsplit=1)[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _moment(value: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    # A date alone (as JSON-LD often gives) is taken as UTC.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _player(src: str, width: int, height: int) -> str:
    return (f'<iframe src="{html.escape(src)}" width="{width}" height="{height}" '
            'allowfullscreen="true" scrolling="no" frameborder="0"></iframe>')


def _iframe_only(fragment: str) -> str:
    return nh3.clean(fragment, tags=set(_IFRAME), attributes=_IFRAME,
                     url_schemes={"http", "https"}, link_rel=None)
