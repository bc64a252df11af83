"""Status views: everything about a status that is the same for every reader, loaded for a
page at once.

What a reader adds (their favourites, bookmarks, votes, filters) is in `views.page`. A view is
built from one version of its status: the `version` column, bumped by database triggers on
every change to the status, its poll, votes or media.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.custom_emojis import shortcodes_in
from zwitscher.domain.filters import searchable_text
from zwitscher.domain.visibility import Visibility
from zwitscher.media.documents import MEDIA_TYPE as DOCUMENT_TYPE


@dataclass(frozen=True, slots=True)
class EmojiView:
    shortcode: str
    image_url: str
    static_url: str
    visible_in_picker: bool
    category: str | None


@dataclass(frozen=True, slots=True)
class MediaView:
    """An image, or a PDF document: no preview (`preview_url` is empty), its first page's
    size in points as `width` and `height`, its number of pages kept in `preview_width`
    (see `services.upload_media`; read it as `pages`)."""

    id: int
    type: str
    file_url: str
    preview_url: str
    width: int
    height: int
    preview_width: int
    preview_height: int
    focus_x: float
    focus_y: float
    description: str
    blurhash: str | None
    file_size: int = 0

    @property
    def is_document(self) -> bool:
        return self.type == DOCUMENT_TYPE

    @property
    def pages(self) -> int | None:
        return self.preview_width if self.is_document else None

    @property
    def file_name(self) -> str:
        """The name a document is downloaded under: its URL's last part."""
        return self.file_url.rpartition("/")[2]


@dataclass(frozen=True, slots=True)
class PollView:
    """A poll with its tallies; whether totals show and what a reader voted depend on the
    reader and the time, so they are decided when it is presented."""

    id: int
    options: tuple[str, ...]
    multiple: bool
    hide_totals: bool
    expires_at: datetime
    votes: tuple[int, ...]  # per option
    voters_count: int
    emojis: tuple[EmojiView, ...]

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


@dataclass(frozen=True, slots=True)
class CardView:
    """A link's preview card as a status shows it: `url` is the link as the status has it
    (the card itself may be under the page's canonical URL), the image a copy of ours."""

    url: str
    title: str
    description: str
    type: str
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    html: str
    width: int
    height: int
    image_url: str | None
    image_width: int
    image_height: int
    image_description: str
    embed_url: str
    blurhash: str | None
    language: str | None
    published_at: datetime | None

    @property
    def host(self) -> str:
        """The linked site, as a card names it under its title."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


def card_view(row, url: str | None = None) -> CardView:
    """From a `preview_cards` row; `url`: the link it was found by."""
    return CardView(url or row.url, row.title, row.description, row.type, row.author_name,
                    row.author_url, row.provider_name, row.provider_url, row.html, row.width,
                    row.height, row.image_url, row.image_width, row.image_height,
                    row.image_description, row.embed_url, row.blurhash, row.language,
                    row.published_at)


@dataclass(frozen=True, slots=True)
class MentionView:
    id: int
    username: str


@dataclass(frozen=True, slots=True)
class GroupRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class AppRef:
    name: str
    website: str | None


@dataclass(frozen=True, slots=True)
class StatusView:
    id: int
    version: int
    account_id: int
    # The person who wrote a brand account's post (None: the account's own person).
    posted_by_id: int | None
    # The username of the author, for the status's URL.
    username: str
    text: str
    content_html: str
    spoiler_text: str
    visibility: str
    sensitive: bool
    language: str | None
    in_reply_to_id: int | None
    in_reply_to_account_id: int | None
    reblog_of_id: int | None
    application: AppRef | None
    replies_count: int
    reblogs_count: int
    favourites_count: int
    created_at: datetime
    edited_at: datetime | None
    mentions: tuple[MentionView, ...]
    tags: tuple[str, ...]
    media: tuple[MediaView, ...]
    poll: PollView | None
    groups: tuple[GroupRef, ...]
    emojis: tuple[EmojiView, ...]
    card: CardView | None
    # What the reader's filters search: text, content warning, poll options, descriptions.
    filterable_text: str

    @property
    def is_reblog(self) -> bool:
        return self.reblog_of_id is not None


async def emoji_views(uow: UnitOfWork, texts: Iterable[str | None]) -> dict[str, EmojiView]:
    """The enabled custom emojis these texts use, by shortcode: one statement, none when no
    text has a `:shortcode:`."""
    shortcodes = list(dict.fromkeys(shortcodes_in(*texts)))
    if not shortcodes:
        return {}
    return {row.shortcode: EmojiView(row.shortcode, row.image_url, row.static_url,
                                     row.visible_in_picker, row.category)
            for row in await uow.custom_emojis.enabled_among(shortcodes)}


def emojis_of(index: dict[str, EmojiView], *texts: str | None) -> tuple[EmojiView, ...]:
    """The emojis these texts use, in order of first use."""
    if not index:
        return ()
    return tuple(index[code] for code in shortcodes_in(*texts) if code in index)


async def load_statuses(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, StatusView]:
    """Views of these statuses (those that exist), by id: eight statements for any number."""
    rows = await uow.statuses.get_many(set(ids))
    if not rows:
        return {}
    status_ids = list(rows)
    mentioned, tagged = await uow.statuses.mentions_and_tags_of(status_ids)
    media = await uow.media.of_statuses(status_ids)
    cards = await uow.preview_cards.of_statuses(status_ids)
    polls = await uow.polls.of_statuses(status_ids)
    tallies = await uow.polls.tallies([poll.id for poll in polls.values()], None)
    group_ids_of = {}
    addressed = [s.id for s in rows.values() if s.visibility == Visibility.GROUP]
    if addressed:
        group_ids_of = await uow.statuses.groups_of_statuses(addressed)
    groups = await uow.groups.get_many({g for ids in group_ids_of.values() for g in ids})
    people = await uow.accounts.get_many(
        {s.account_id for s in rows.values()}
        | {a for accounts in mentioned.values() for a in accounts})
    apps = await uow.oauth.apps({s.application_id for s in rows.values() if s.application_id})
    emojis = await emoji_views(uow, [
        *(t for s in rows.values() for t in (s.text, s.spoiler_text)),
        *(title for poll in polls.values() for title in poll.options)])

    def poll_of(status_id: int) -> PollView | None:
        poll = polls.get(status_id)
        if poll is None:
            return None
        votes = tallies.votes.get(poll.id, {})
        return PollView(poll.id, tuple(poll.options), poll.multiple, poll.hide_totals,
                        poll.expires_at, tuple(votes.get(i, 0) for i in range(len(poll.options))),
                        tallies.voters.get(poll.id, 0), emojis_of(emojis, *poll.options))

    views = {}
    for status in rows.values():
        author = people.get(status.account_id)
        if author is None:
            continue
        app = apps.get(status.application_id) if status.application_id else None
        attached = tuple(media_view(m) for m in media.get(status.id, []))
        poll = poll_of(status.id)
        views[status.id] = StatusView(
            id=status.id, version=status.version, account_id=status.account_id,
            posted_by_id=status.posted_by_id, username=author.username, text=status.text,
            content_html=status.content_html, spoiler_text=status.spoiler_text,
            visibility=status.visibility, sensitive=status.sensitive, language=status.language,
            in_reply_to_id=status.in_reply_to_id,
            in_reply_to_account_id=status.in_reply_to_account_id,
            reblog_of_id=status.reblog_of_id,
            application=AppRef(app.name, app.website) if app else None,
            replies_count=status.replies_count, reblogs_count=status.reblogs_count,
            favourites_count=status.favourites_count, created_at=status.created_at,
            edited_at=status.edited_at,
            mentions=tuple(MentionView(a, people[a].username)
                           for a in mentioned.get(status.id, []) if a in people),
            tags=tuple(tagged.get(status.id, [])), media=attached, poll=poll,
            groups=tuple(GroupRef(g, groups[g].slug, groups[g].name)
                         for g in group_ids_of.get(status.id, []) if g in groups),
            emojis=emojis_of(emojis, status.text, status.spoiler_text),
            card=card_view(cards[status.id], cards[status.id].link_url)
            if status.id in cards else None,
            filterable_text=searchable_text(
                text=status.text, spoiler_text=status.spoiler_text,
                poll_options=poll.options if poll else (),
                media_descriptions=[m.description for m in attached]))
    return views


def media_view(row) -> MediaView:
    return MediaView(row.id, row.type, row.file_url, row.preview_url, row.width, row.height,
                     row.preview_width, row.preview_height, row.focus_x, row.focus_y,
                     row.description, row.blurhash, row.file_size)
