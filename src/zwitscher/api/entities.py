"""Mastodon's entity shapes for statuses and accounts, typed, rendered from views.

`TypedDict`s, not models: the hot paths assemble responses as bytes (see
`api.presenters.statuses`), and a typed dict costs nothing at run time while a checker still
sees every key. Each render function takes a view (`zwitscher.views`) and the origin the
client reached us by; nothing outside `zwitscher.api` uses these shapes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import NotRequired

# typing_extensions': pydantic reads these for the OpenAPI document (`api.openapi`), and on
# Python 3.11 only from there.
from typing_extensions import TypedDict

from zwitscher.api.presenters.common import absolutize, iso, iso_date
from zwitscher.api.presenters.filters import FilterResult
from zwitscher.api.presenters.urls import media_url
from zwitscher.domain.text import render_field_value, render_plain_note
from zwitscher.domain.visibility import MASTODON_EQUIVALENT
from zwitscher.views.accounts import AccountView
from zwitscher.views.shown import ShownPoll
from zwitscher.views.statuses import CardView, EmojiView, MediaView, StatusView


class CustomEmoji(TypedDict):
    shortcode: str
    url: str
    static_url: str
    visible_in_picker: bool
    category: str | None


class Field(TypedDict):
    name: str
    value: str
    verified_at: str | None


class Account(TypedDict):
    id: str
    username: str
    acct: str
    display_name: str
    locked: bool
    bot: bool
    discoverable: bool
    indexable: bool
    group: bool
    hide_collections: bool
    noindex: bool
    created_at: str
    note: str
    url: str
    uri: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: str | None
    emojis: list[CustomEmoji]
    roles: list
    fields: list[Field]
    limited: NotRequired[bool]


class PreviewCardAuthor(TypedDict):
    name: str
    url: str
    account: None  # no fediverse accounts here


class PreviewCard(TypedDict):
    url: str
    title: str
    description: str
    language: str | None
    type: str
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    html: str
    width: int
    height: int
    image: str | None
    image_description: str
    embed_url: str
    blurhash: str | None
    published_at: str | None
    authors: list[PreviewCardAuthor]


class MediaAttachment(TypedDict):
    id: str
    type: str
    url: str
    preview_url: str | None  # None for a PDF document (`type` "unknown")
    remote_url: None
    preview_remote_url: None
    text_url: None
    meta: dict
    description: str | None
    blurhash: str | None


class PollOption(TypedDict):
    title: str
    votes_count: int | None


class Poll(TypedDict, total=False):
    id: str
    expires_at: str
    expired: bool
    multiple: bool
    votes_count: int
    voters_count: int
    options: list[PollOption]
    emojis: list[CustomEmoji]
    voted: bool  # with a reader only
    own_votes: list[int]  # with a reader only


class Mention(TypedDict):
    id: str
    username: str
    acct: str
    url: str


class Tag(TypedDict):
    name: str
    url: str


class StatusHead(TypedDict):
    """What of a Status is the same for every reader and every moment; a status is this plus
    `account`, `reblog`, `poll`, `zwitscher` and the reader's part (`favourited`, ...)."""

    id: str
    uri: str
    url: str
    created_at: str
    content: str
    text: str | None  # the source text in the answer to a delete, for delete-and-redraft
    visibility: str
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachment]
    application: dict | None
    mentions: list[Mention]
    tags: list[Tag]
    emojis: list[CustomEmoji]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    quotes_count: int
    quote: None
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    card: PreviewCard | None
    language: str | None
    edited_at: str | None


class GroupRef(TypedDict):
    id: str
    slug: str
    name: str


class StatusExtension(TypedDict):
    """`zwitscher` on a status: the exact visibility, the groups addressed, and who wrote a
    brand account's post."""

    visibility: str
    groups: list[GroupRef]
    posted_by: Account | None


class QuoteApproval(TypedDict):
    automatic: list[str]
    manual: list[str]
    current_user: str


class Status(StatusHead):
    """The whole entity (`presenters.statuses` assembles it from cached bytes)."""

    account: Account
    reblog: Status | None
    poll: Poll | None
    zwitscher: StatusExtension
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool
    quote_approval: QuoteApproval
    filtered: NotRequired[list[FilterResult]]  # with a reader only


def custom_emoji(view: EmojiView, origin: str) -> CustomEmoji:
    return {"shortcode": view.shortcode, "url": media_url(view.image_url, origin),
            "static_url": media_url(view.static_url, origin),
            "visible_in_picker": view.visible_in_picker, "category": view.category}


def account(view: AccountView, origin: str) -> Account:
    avatar = media_url(view.avatar, origin)
    header = media_url(view.header, origin)
    created = view.created_at
    entity: Account = {
        "id": str(view.id),
        "username": view.username,
        "acct": view.username,
        "display_name": view.display_name,
        "locked": view.locked,
        "bot": view.bot,
        "discoverable": view.discoverable,
        "indexable": view.indexable,
        "group": False,
        "hide_collections": view.hide_collections,
        "noindex": False,
        # Mastodon reports the day of creation at midnight UTC.
        "created_at": iso(datetime(created.year, created.month, created.day, tzinfo=UTC)),
        # Rendered links to our own pages are relative (see compose_text): make them absolute.
        "note": absolutize(render_plain_note(view.note), origin) if view.note else "",
        "url": f"{origin}/@{view.username}",
        "uri": f"{origin}/users/{view.username}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": view.followers_count,
        "following_count": view.following_count,
        "statuses_count": view.statuses_count,
        "last_status_at": iso_date(view.last_status_at),
        "emojis": [custom_emoji(e, origin) for e in view.emojis],
        "roles": [],
        # Field values are HTML in Mastodon's API; clients insert them unescaped.
        "fields": [{"name": f.name, "value": absolutize(render_field_value(f.value), origin),
                    "verified_at": None} for f in view.fields],
    }
    if view.limited:
        entity["limited"] = True  # Mastodon's: only there for a limited account
    return entity


def _size(width: int, height: int) -> dict:
    return {"width": width, "height": height, "size": f"{width}x{height}",
            "aspect": width / height}


def media_attachment(view: MediaView, origin: str) -> MediaAttachment:
    if view.is_document:
        return _document(view, origin)
    return {
        "id": str(view.id),
        "type": view.type,
        "url": media_url(view.file_url, origin),
        "preview_url": media_url(view.preview_url, origin),
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": {"original": _size(view.width, view.height),
                 "small": _size(view.preview_width, view.preview_height),
                 "focus": {"x": view.focus_x, "y": view.focus_y}},
        "description": view.description or None,
        "blurhash": view.blurhash,
    }


def _document(view: MediaView, origin: str) -> MediaAttachment:
    """A PDF, as Mastodon shows a file it has no preview of: `url` downloads it, named by its
    last part; `meta` says what we know of it."""
    return {
        "id": str(view.id),
        "type": view.type,
        "url": media_url(view.file_url, origin),
        "preview_url": None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": {"pages": view.pages, "file_name": view.file_name,
                 "file_size": view.file_size},
        "description": view.description or None,
        "blurhash": None,
    }


def preview_card(view: CardView, origin: str) -> PreviewCard:
    """A link card sizes itself by its image (as Mastodon's do); a video or photo by the
    player or photo its oEmbed names."""
    by_image = view.type == "link"
    return {
        "url": view.url,
        "title": view.title,
        "description": view.description,
        "language": view.language,
        "type": view.type,
        "author_name": view.author_name,
        "author_url": view.author_url,
        "provider_name": view.provider_name,
        "provider_url": view.provider_url,
        "html": view.html,
        "width": view.image_width if by_image else view.width,
        "height": view.image_height if by_image else view.height,
        "image": media_url(view.image_url, origin) if view.image_url else None,
        "image_description": view.image_description,
        "embed_url": view.embed_url,
        "blurhash": view.blurhash,
        "published_at": iso(view.published_at),
        "authors": ([{"name": view.author_name, "url": view.author_url, "account": None}]
                    if view.author_name or view.author_url else []),
    }


def poll(shown: ShownPoll, origin: str) -> Poll:
    view = shown.view
    entity: Poll = {
        "id": str(view.id),
        "expires_at": iso(view.expires_at),
        "expired": shown.expired,
        "multiple": view.multiple,
        "votes_count": sum(view.votes),
        "voters_count": view.voters_count,
        "options": [{"title": title, "votes_count": votes if shown.totals_shown else None}
                    for title, votes in zip(view.options, view.votes, strict=True)],
        "emojis": [custom_emoji(e, origin) for e in view.emojis],
    }
    if shown.voted is not None:
        entity["voted"] = shown.voted
        entity["own_votes"] = list(shown.own_votes)
    return entity


def status_url(view: StatusView, origin: str) -> str:
    return f"{origin}/@{view.username}/{view.id}"


def status_head(view: StatusView, origin: str, *, reblogged: StatusView | None,
                signed_by: AccountView | None) -> StatusHead:
    """`reblogged`: the status a reblog reblogs; `signed_by`: the person who wrote a brand
    account's post, whose name signs its content (where every app shows it)."""
    content = ""
    if view.reblog_of_id is None:
        content = absolutize(view.content_html, origin) + _signature(signed_by)
    return {
        "id": str(view.id),
        "uri": f"{origin}/users/{view.username}/statuses/{view.id}",
        "url": status_url(reblogged or view, origin),
        "created_at": iso(view.created_at),
        "content": content,
        "text": None,
        "visibility": MASTODON_EQUIVALENT.get(view.visibility, view.visibility),
        "sensitive": view.sensitive,
        "spoiler_text": view.spoiler_text,
        "media_attachments": [media_attachment(m, origin) for m in view.media],
        "application": ({"name": view.application.name, "website": view.application.website}
                        if view.application else None),
        "mentions": [{"id": str(m.id), "username": m.username, "acct": m.username,
                      "url": f"{origin}/@{m.username}"} for m in view.mentions],
        "tags": [{"name": t.lower(), "url": f"{origin}/tags/{t.lower()}"} for t in view.tags],
        "emojis": [custom_emoji(e, origin) for e in view.emojis],
        "reblogs_count": view.reblogs_count,
        "favourites_count": view.favourites_count,
        "replies_count": view.replies_count,
        "quotes_count": 0,
        # Quotes are not supported: no status quotes another (`quote_approval`, which says
        # nobody may quote this one, depends on the reader).
        "quote": None,
        "in_reply_to_id": str(view.in_reply_to_id) if view.in_reply_to_id else None,
        "in_reply_to_account_id": (str(view.in_reply_to_account_id)
                                   if view.in_reply_to_account_id else None),
        "card": preview_card(view.card, origin) if view.card else None,
        "language": view.language,
        "edited_at": iso(view.edited_at),
    }


def _signature(person: AccountView | None) -> str:
    if person is None:
        return ""
    return f'<p class="zwitscher-signature">— {escape(person.name)}</p>'


def extension_head(view: StatusView) -> dict:
    """What Mastodon's entity has no place for (`zwitscher`): the exact visibility (clients
    that know only Mastodon's four see `internal` and `group` as `private`), the addressed
    groups; `posted_by`, the person who wrote a brand account's post, is added as bytes."""
    return {"visibility": view.visibility,
            "groups": [{"id": str(g.id), "slug": g.slug, "name": g.name} for g in view.groups]}
