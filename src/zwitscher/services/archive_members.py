"""What a person's archive holds, member by member: Mastodon's archive and CSV exports, so the
tools that read those read ours (docs/data-rights.md, "Your archive").

    actor.json                     the profile, an ActivityStreams Person
    avatar.<ext>, header.<ext>     its images
    outbox.json                    every post of the person, of every audience: an
                                   OrderedCollection of Create activities (Note, or Question
                                   with a poll), and of Announce activities for boosts
    media_attachments/files/<key>  the posts' images, named so by their attachments
    likes.json, bookmarks.json     OrderedCollections of the ids of posts the person
                                   favourited and bookmarked (those they may still see)
    following_accounts.csv, lists.csv, bookmarks.csv, blocked_accounts.csv,
    muted_accounts.csv, blocked_domains.csv
                                   Mastodon's CSV exports, as its import reads them

Everything here is rendered from rows and views already loaded (`services/make_archive.py`
pages through them); nothing reads the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import orjson
import sqlalchemy as sa

from zwitscher.domain.clock import utcnow
from zwitscher.domain.text import render_field_value, render_plain_note
from zwitscher.domain.visibility import Visibility
from zwitscher.media.store import CONTENT_TYPES
from zwitscher.views.statuses import StatusView

ACTOR = "actor.json"
OUTBOX = "outbox.json"
LIKES = "likes.json"
BOOKMARKS = "bookmarks.json"
MEDIA_DIR = "media_attachments/files/"

FOLLOWING_CSV = "following_accounts.csv"
LISTS_CSV = "lists.csv"
BOOKMARKS_CSV = "bookmarks.csv"
BLOCKS_CSV = "blocked_accounts.csv"
MUTES_CSV = "muted_accounts.csv"
DOMAIN_BLOCKS_CSV = "blocked_domains.csv"
# Mastodon's headers; its other CSV files have none.
FOLLOWING_HEADER = ("Account address", "Show boosts", "Notify on new posts", "Languages")
MUTES_HEADER = ("Account address", "Hide notifications")

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
     "inReplyToAtomUri": "ostatus:inReplyToAtomUri", "sensitive": "as:sensitive",
     "Hashtag": "as:Hashtag", "toot": "http://joinmastodon.org/ns#", "Emoji": "toot:Emoji",
     "blurhash": "toot:blurhash", "votersCount": "toot:votersCount",
     "discoverable": "toot:discoverable", "indexable": "toot:indexable",
     "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
     "schema": "http://schema.org#", "PropertyValue": "schema:PropertyValue",
     "value": "schema:value"},
]


@dataclass(frozen=True, slots=True)
class Addresses:
    """How the archive names people and posts: by the addresses this instance serves them at
    (its configured public origin), as Mastodon's does."""

    origin: str

    @property
    def domain(self) -> str:
        return urlsplit(self.origin).netloc

    def actor(self, username: str) -> str:
        return f"{self.origin}/users/{username}"

    def status(self, username: str, status_id: int) -> str:
        return f"{self.actor(username)}/statuses/{status_id}"

    def acct(self, username: str) -> str:
        """An account as Mastodon's CSV files write it: `user@domain`."""
        return f"{username}@{self.domain}"

    def absolute(self, html: str) -> str:
        """Stored HTML links our own pages relatively (`href="/@a"`)."""
        return html.replace('href="/', f'href="{self.origin}/')


def _time(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def collection_start(name: str) -> bytes:
    """The opening of an OrderedCollection whose items follow, written as they are read."""
    head = orjson.dumps({"@context": CONTEXT, "id": name, "type": "OrderedCollection"})
    return head[:-1] + b',"orderedItems":['


def collection_end(total: int) -> bytes:
    """Its close, with the number of items written (counted as they went)."""
    return b'],"totalItems":' + str(total).encode() + b"}"


def items(values: Iterable[object], *, first: bool) -> bytes:
    """A page of items, with the comma that separates it from the page before."""
    body = b",".join(orjson.dumps(value) for value in values)
    return body if first or not body else b"," + body


def _audience(visibility: str, actor: str, mentioned: list[str]) -> tuple[list, list]:
    """ActivityPub's `to` and `cc` as Mastodon addresses each audience; ours that Mastodon
    lacks (internal, group) as the followers-only posts its clients show them as."""
    followers = f"{actor}/followers"
    if visibility == Visibility.PUBLIC:
        return [PUBLIC], [followers, *mentioned]
    if visibility == Visibility.UNLISTED:
        return [followers], [PUBLIC, *mentioned]
    if visibility == Visibility.DIRECT:
        return mentioned, []
    return [followers], mentioned


def create_activity(view: StatusView, media: list[sa.Row], usernames: Mapping[int, str],
                    addresses: Addresses) -> dict:
    """A post of the person's own: `media` its attachment rows in order, `usernames` the
    names of the accounts it replies to."""
    actor = addresses.actor(view.username)
    uri = addresses.status(view.username, view.id)
    to, cc = _audience(view.visibility, actor, [addresses.actor(m.username)
                                                for m in view.mentions])
    replied = usernames.get(view.in_reply_to_account_id or 0)
    parent = (addresses.status(replied, view.in_reply_to_id)
              if replied and view.in_reply_to_id else None)
    content = addresses.absolute(view.content_html)
    note: dict = {
        "id": uri, "type": "Question" if view.poll else "Note",
        "summary": view.spoiler_text or None, "inReplyTo": parent,
        "published": _time(view.created_at), "url": f"{addresses.origin}/@{view.username}"
                                                    f"/{view.id}",
        "attributedTo": actor, "to": to, "cc": cc, "sensitive": view.sensitive,
        "atomUri": uri, "inReplyToAtomUri": parent, "content": content,
    }
    if view.language:
        note["contentMap"] = {view.language: content}
    if view.edited_at:
        note["updated"] = _time(view.edited_at)
    note["attachment"] = [_attachment(row) for row in media]
    note["tag"] = [*({"type": "Mention", "href": addresses.actor(m.username),
                      "name": f"@{m.username}"} for m in view.mentions),
                   *({"type": "Hashtag", "href": f"{addresses.origin}/tags/{tag.lower()}",
                      "name": f"#{tag}"} for tag in view.tags),
                   *({"type": "Emoji", "name": f":{emoji.shortcode}:",
                      "icon": {"type": "Image", "url": _absolute_url(emoji.image_url,
                                                                     addresses)}}
                     for emoji in view.emojis)]
    note["likes"] = {"id": f"{uri}/likes", "type": "Collection",
                     "totalItems": view.favourites_count}
    note["shares"] = {"id": f"{uri}/shares", "type": "Collection",
                      "totalItems": view.reblogs_count}
    if view.poll:
        poll = view.poll
        note["oneOf" if not poll.multiple else "anyOf"] = [
            {"type": "Note", "name": title, "replies": {"type": "Collection",
                                                        "totalItems": votes}}
            for title, votes in zip(poll.options, poll.votes, strict=True)]
        note["endTime"] = _time(poll.expires_at)
        if poll.expired(utcnow()):
            note["closed"] = _time(poll.expires_at)
        note["votersCount"] = poll.voters_count
    # What Mastodon's format has no place for: the exact audience (as the API's extension).
    note["zwitscher"] = {"visibility": view.visibility,
                         "groups": [{"slug": g.slug, "name": g.name} for g in view.groups]}
    return {"id": f"{uri}/activity", "type": "Create", "actor": actor,
            "published": _time(view.created_at), "to": to, "cc": cc, "object": note}


def announce_activity(view: StatusView, *, author: str, addresses: Addresses) -> dict:
    """A boost: of the boosted post only its id (the post is its author's, not the
    person's)."""
    actor = addresses.actor(view.username)
    to, cc = _audience(view.visibility, actor, [addresses.actor(author)])
    return {"id": f"{addresses.status(view.username, view.id)}/activity", "type": "Announce",
            "actor": actor, "published": _time(view.created_at), "to": to, "cc": cc,
            "object": addresses.status(author, view.reblog_of_id)}


def _attachment(row: sa.Row) -> dict:
    return {"type": "Document", "mediaType": row.content_type,
            "url": MEDIA_DIR + row.file_key, "name": row.description or None,
            "blurhash": row.blurhash, "focalPoint": [row.focus_x, row.focus_y],
            "width": row.width, "height": row.height}


def _absolute_url(url: str, addresses: Addresses) -> str:
    return addresses.origin + url if url.startswith("/") else url


def image_name(which: str, key: str) -> str:
    """`avatar.png`, `header.jpg`: the profile's images as the archive names them."""
    return f"{which}.{key.rpartition('.')[2]}"


def person(account: sa.Row, addresses: Addresses) -> dict:
    """The profile, with its images and collections named by their members."""
    actor: dict = {
        "@context": CONTEXT, "id": addresses.actor(account.username), "type": "Person",
        "preferredUsername": account.username, "name": account.display_name,
        "summary": addresses.absolute(render_plain_note(account.note)) if account.note else "",
        "url": f"{addresses.origin}/@{account.username}",
        "published": _time(account.created_at),
        "manuallyApprovesFollowers": account.locked, "discoverable": account.discoverable,
        "indexable": account.indexable,
        "attachment": [{"type": "PropertyValue", "name": field["name"],
                        "value": addresses.absolute(render_field_value(field["value"]))}
                       for field in account.fields or []],
        "outbox": OUTBOX, "likes": LIKES, "bookmarks": BOOKMARKS,
    }
    for which, prop, key in (("avatar", "icon", account.avatar_key),
                             ("header", "image", account.header_key)):
        if key:
            actor[prop] = {"type": "Image", "url": image_name(which, key),
                           "mediaType": CONTENT_TYPES.get(key.rpartition(".")[2])}
    return actor


def csv_lines(rows: Iterable[Iterable[object]], header: Iterable[str] | None = None) -> bytes:
    """Rows as Mastodon writes them (Ruby's CSV: `true`/`false`, `\\n` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(["true" if value is True else "false" if value is False else value
                         for value in row])
    return out.getvalue().encode()
