"""Mastodon's Status entity: rendered once per version for everyone, assembled per reader.

The statuses come as the reader sees them (`views.shown`: one statement for the reader, the
views from the cache). Every status and account is rendered to bytes once per version and
cached; a status entity is the cached head, its author's cached entity, the reblogged status
assembled the same way, the poll (which depends on the reader and the hour) and the reader's
part.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api import entities
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import absolutize, iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex, account_texts, emoji_index
from zwitscher.api.presenters.filters import present_filter_result
from zwitscher.api.presenters.media import present_media
from zwitscher.caches import ReadCaches
from zwitscher.db.repos.pages import PageState, StatusState
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.filters import FilterMatch, FilterMatcher
from zwitscher.views.accounts import AccountView
from zwitscher.views.shown import ShownStatus, filters_of, show_statuses


class StatusSource(TypedDict):
    id: str
    text: str
    spoiler_text: str


class PollOptionTitle(TypedDict):
    title: str


class PollVersion(TypedDict):
    options: list[PollOptionTitle]


class StatusEdit(TypedDict):
    """A version of a status, as its history lists them."""

    content: str
    spoiler_text: str
    sensitive: bool
    created_at: str
    account: entities.Account
    media_attachments: list[entities.MediaAttachment]
    emojis: list[entities.CustomEmoji]
    poll: PollVersion | None


@dataclass(frozen=True, slots=True)
class _Rendered:
    """A status rendered once for everyone: its head (`StatusHead` as JSON, without braces)
    and the start of its `zwitscher` extension; whether it has a poll (which depends on the
    reader and the hour, so is never served from the cache alone)."""

    head: bytes
    extension: bytes
    has_poll: bool


@dataclass(frozen=True, slots=True)
class StatusesPage:
    """A page of statuses as one reader sees them: each entity as JSON bytes, in order, and
    which of them the reader's filters hide (lists leave those out)."""

    entities: list[tuple[int, bytes]]
    hidden: frozenset[int]

    def shown(self) -> list[bytes]:
        return [entity for status_id, entity in self.entities if status_id not in self.hidden]

    def json_array(self) -> bytes:
        return b"[" + b",".join(self.shown()) + b"]"


async def render_statuses(uow: UnitOfWork, status_ids: list[int], *, viewer_id: int | None,
                          origin: str, filter_context: str | None = None,
                          state: PageState | None = None) -> StatusesPage:
    """Status entities as `viewer_id` sees them (`views.shown`): what is the same for
    everyone from the caches where the versions the page statement reads match, rendered and
    cached where not; the reader's part added. Statuses deleted meanwhile are left out. With
    a viewer each has `filtered`: the viewer's filters for `filter_context` that it matches
    (for every context when None, as Mastodon answers for single statuses: apps compare each
    filter's contexts with theirs). `state`: the page statement's answer for these statuses,
    if the caller asked it already.

    A reader none of whose filters apply here is served every status whose renders (and its
    author's, and what it reblogs) are cached at the versions read straight from those
    bytes, without its views: a warm page asks the caches a few times per status and
    nothing else. The rest are shown and rendered."""
    if not status_ids:
        return StatusesPage([], frozenset())
    if state is None:
        state = await uow.pages.state(status_ids, viewer_id)
    assembler = _Assembler(uow.caches, state, origin, viewer_id)
    served: dict[int, bytes] = {}
    if viewer_id is None or not FilterMatcher(await filters_of(uow, viewer_id), filter_context):
        for status_id in status_ids:
            entity = assembler.cached_entity(status_id)
            if entity is not None:
                served[status_id] = entity
    rest = [status_id for status_id in status_ids if status_id not in served]
    shown, _ = await show_statuses(uow, rest, viewer_id=viewer_id,
                                   filter_context=filter_context, state=state)
    served |= {status.id: assembler.entity(status) for status in shown}
    return StatusesPage([(i, served[i]) for i in status_ids if i in served],
                        frozenset(status.id for status in shown if status.hidden))


@dataclass(frozen=True, slots=True)
class _Assembler:
    caches: ReadCaches
    state: PageState
    origin: str
    viewer_id: int | None

    def entity(self, status: ShownStatus) -> bytes:
        rendered = self._rendered(status)
        view = status.view
        return b"".join((
            b"{", rendered.head,
            b',"account":', self._account(status.account),
            b',"reblog":', self.entity(status.reblog) if status.reblog else b"null",
            b',"poll":', (orjson.dumps(entities.poll(status.poll, self.origin))
                          if status.poll else b"null"),
            b',"zwitscher":', rendered.extension,
            b',"posted_by":', self._account(status.posted_by) if view.posted_by_id else b"null",
            b"}", self._readers_part(status.favourited, status.reblogged, status.muted,
                                     status.bookmarked, status.pinned, status.filtered), b"}"))

    def cached_entity(self, status_id: int) -> bytes | None:
        """`entity` from the caches alone, for a reader without filters here; None when
        anything it needs is not cached at the version read (or it has a poll)."""
        found = self.state.statuses.get(status_id)
        if found is None:
            return None
        rendered = self.caches.status_renders.get(self._status_key(found))
        if rendered is None or rendered.has_poll:
            return None
        account = self.caches.account_renders.get(
            self._account_key(found.account_id, found.account_version))
        if account is None:
            return None
        reblog = b"null"
        if found.reblog_of_id is not None:
            reblog = self.cached_entity(found.reblog_of_id)
            if reblog is None:
                return None
        posted_by = b"null"
        if found.posted_by_id is not None:
            posted_by = self.caches.account_renders.get(
                self._account_key(found.posted_by_id, found.posted_by_version))
            if posted_by is None:
                return None
        own = self.viewer_id is not None and self.viewer_id == found.account_id
        return b"".join((
            b"{", rendered.head, b',"account":', account, b',"reblog":', reblog,
            b',"poll":null,"zwitscher":', rendered.extension, b',"posted_by":', posted_by,
            b"}", self._readers_part(found.favourited, found.reblogged, found.muted,
                                     found.bookmarked, found.pinned and own, ()), b"}"))

    def _status_key(self, found: StatusState) -> tuple:
        return (self.origin, self.state.generation, found.id, found.version,
                found.posted_by_version)

    def _account_key(self, account_id: int, version: int | None) -> tuple:
        return (self.origin, self.state.generation[0], account_id, version)

    def _rendered(self, status: ShownStatus) -> _Rendered:
        key = self._status_key(self.state.statuses[status.id])
        rendered = self.caches.status_renders.get(key)
        if rendered is None:
            view = status.view
            head = orjson.dumps(entities.status_head(
                view, self.origin, reblogged=status.reblog.view if status.reblog else None,
                signed_by=status.posted_by))
            rendered = _Rendered(head[1:-1], orjson.dumps(entities.extension_head(view))[:-1],
                                 has_poll=view.poll is not None)
            self.caches.status_renders.put(key, rendered)
        return rendered

    def _account(self, account: AccountView | None) -> bytes:
        if account is None:
            return b"null"
        key = self._account_key(account.id, account.version)
        rendered = self.caches.account_renders.get(key)
        if rendered is None:
            rendered = orjson.dumps(entities.account(account, self.origin))
            self.caches.account_renders.put(key, rendered)
        return rendered

    def _readers_part(self, favourited: bool, reblogged: bool, muted: bool, bookmarked: bool,
                      pinned: bool, filtered: tuple[FilterMatch, ...]) -> bytes:
        if self.viewer_id is None:
            return _ANONYMOUS
        if not filtered:
            return _unfiltered_readers_part(favourited, reblogged, muted, bookmarked, pinned)
        return _readers_part(favourited, reblogged, muted, bookmarked, pinned,
                             [present_filter_result(match) for match in filtered])


def _readers_part(favourited: bool, reblogged: bool, muted: bool, bookmarked: bool,
                  pinned: bool, filtered: list[dict]) -> bytes:
    return b"," + orjson.dumps({
        "favourited": favourited,
        "reblogged": reblogged,
        "muted": muted,
        "bookmarked": bookmarked,
        "pinned": pinned,
        "quote_approval": {"automatic": [], "manual": [], "current_user": "denied"},
        "filtered": filtered,
    })[1:-1]


@functools.cache
def _unfiltered_readers_part(favourited: bool, reblogged: bool, muted: bool, bookmarked: bool,
                             pinned: bool) -> bytes:
    """One of thirty-two: most statuses of most pages."""
    return _readers_part(favourited, reblogged, muted, bookmarked, pinned, [])


_ANONYMOUS = b"," + orjson.dumps({
    "favourited": False, "reblogged": False, "muted": False, "bookmarked": False,
    "pinned": False,
    "quote_approval": {"automatic": [], "manual": [], "current_user": "unknown"}})[1:-1]


def hidden_by_filter(entity: dict) -> bool:
    """Whether a presented status matched one of the viewer's `hide` filters: lists in the
    filter's context leave it out."""
    return any(result["filter"]["filter_action"] == "hide"
               for result in entity.get("filtered", ()))


async def present_statuses(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int | None,
                           origin: str, filter_context: str | None = None) -> list[dict]:
    """`render_statuses` as dicts, for callers that add to an entity or read from it."""
    page = await render_statuses(uow, [row.id for row in rows], viewer_id=viewer_id,
                                 origin=origin, filter_context=filter_context)
    return [orjson.loads(entity) for _, entity in page.entities]


async def present_status(uow: UnitOfWork, row: sa.Row, *, viewer_id: int | None,
                         origin: str) -> dict:
    entities = await present_statuses(uow, [row], viewer_id=viewer_id, origin=origin)
    if not entities:
        raise NotFound("Record not found")
    return entities[0]


def present_own_reblog(entity: dict) -> dict:
    """The answer to a boost: the new reblog, whose favourited, reblogged and bookmarked are
    those of the boosted status (Mastodon reads them through the reblog, `proper`), so the
    app shows its boost button pressed."""
    return entity | {mark: entity["reblog"][mark]
                     for mark in ("favourited", "reblogged", "bookmarked")}


def present_source(row: sa.Row) -> StatusSource:
    return {"id": str(row.id), "text": row.text, "spoiler_text": row.spoiler_text}


async def present_history(uow: UnitOfWork, row: sa.Row, *, origin: str) -> list[dict]:
    """Mastodon's StatusEdit entities, oldest first. Each version shows the images it had, with
    its descriptions and focus points; images an edit removed are deleted (Mastodon keeps
    them), so earlier versions show only those still there."""
    author = await uow.accounts.get(row.account_id)
    edits = await uow.statuses.edits(row.id)
    versions = edits or [row]
    emojis = await emoji_index(uow, [*account_texts([author]),
                                     *(t for v in versions for t in (v.text, v.spoiler_text))],
                               origin)
    account = present_account(author, origin, emojis=emojis)
    if not edits:
        media = await uow.media.of_status(row.id)
        poll = await uow.polls.of_status(row.id)
        return [_version(row, account, [present_media(m, origin) for m in media],
                         poll.options if poll else None, emojis, origin)]
    kept = await uow.media.get_many([int(m["id"]) for edit in edits for m in edit.media or ()])
    return [_version(edit, account, _media_then(edit.media or (), kept, row.id, origin),
                     edit.poll_options, emojis, origin) for edit in edits]


def _media_then(snapshot: list[dict], kept: dict[int, sa.Row], status_id: int,
                origin: str) -> list[dict]:
    shown = []
    for then in snapshot:
        media = kept.get(int(then["id"]))
        if media is not None and media.status_id == status_id:
            entity = present_media(media, origin)
            entity["description"] = then["description"] or None
            entity["meta"]["focus"] = {"x": then["focus"][0], "y": then["focus"][1]}
            shown.append(entity)
    return shown


def _version(version: sa.Row, account: dict, media: list[dict],
             poll_options: list[str] | None, emojis: EmojiIndex, origin: str) -> dict:
    return {"content": absolutize(version.content_html, origin),
            "spoiler_text": version.spoiler_text, "sensitive": version.sensitive,
            "created_at": iso(version.created_at), "account": account,
            "media_attachments": media,
            "emojis": emojis.of(version.text, version.spoiler_text),
            "poll": {"options": [{"title": title} for title in poll_options]}
            if poll_options is not None else None}
