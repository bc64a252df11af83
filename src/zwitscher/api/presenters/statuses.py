"""Mastodon's Status entity: rendered once per version for everyone, assembled per reader.

A page costs one statement for the reader (`db.repos.pages`: versions, marks, votes) and one
for their filters; every status and account whose version is cached is served from the
cache as bytes (`views.cache`), and only the rest is loaded (`views`) and rendered. A status
entity is the cached head, its author's cached entity, the reblogged status assembled the
same way, the poll (which depends on the reader and the hour) and the reader's part.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import msgspec
import orjson
import sqlalchemy as sa

from zwitscher.api import entities
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import absolutize, iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex, account_texts, emoji_index
from zwitscher.api.presenters.filters import present_filter_result
from zwitscher.api.presenters.media import present_media
from zwitscher.db.repos.pages import PageState, StatusState
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound
from zwitscher.domain.filters import Filter, FilterMatch, FilterMatcher
from zwitscher.views.accounts import AccountView, load_accounts
from zwitscher.views.statuses import StatusView, load_statuses

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Rendered:
    """A status rendered once for everyone: its head (`StatusHead` as JSON, without braces)
    and the start of its `zwitscher` extension; the view for what depends on the reader."""

    head: bytes
    extension: bytes
    view: StatusView


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
    """Status entities as `viewer_id` sees them, from the caches where the versions the page
    statement reads match, rendered and cached where not. Statuses deleted meanwhile are
    left out. With a viewer each has `filtered`: the viewer's filters for `filter_context`
    that it matches (for every context when None, as Mastodon answers for single statuses:
    apps compare each filter's contexts with theirs). `state`: the page statement's answer
    for these statuses, if the caller asked it already."""
    if not status_ids:
        return StatusesPage([], frozenset())
    if state is None:
        state = await uow.pages.state(status_ids, viewer_id)
    shown = [state.statuses[i] for i in status_ids if i in state.statuses]
    shown += [state.statuses[s.reblog_of_id] for s in shown
              if s.reblog_of_id in state.statuses]
    rendered = await _rendered_statuses(uow, state, shown, origin)
    accounts = await _rendered_accounts(uow, shown, state.generation[0], origin)
    now = utcnow()
    matcher = None
    if viewer_id is not None:
        matcher = FilterMatcher(await _filters_of(uow, viewer_id), filter_context)
    page = _Page(state, rendered, accounts, origin, viewer_id, matcher, now)
    entities, hidden = [], set()
    for status_id in status_ids:
        if status_id not in rendered:
            continue
        entity, is_hidden = page.assemble(status_id)
        entities.append((status_id, entity))
        if is_hidden:
            hidden.add(status_id)
    return StatusesPage(entities, frozenset(hidden))


async def _filters_of(uow: UnitOfWork, viewer_id: int) -> list[Filter]:
    """The reader's filters, expired ones too (matching skips them by the clock), from the
    process's cache, which every change to filters drops (`zwitscher.caches`)."""
    cache = uow.caches.filters
    found = cache.get(viewer_id)
    if found is None:
        generation = cache.generation
        found = await uow.filters.of(viewer_id)
        cache.put(viewer_id, found, loaded_in=generation)
    return found


async def _rendered_statuses(uow: UnitOfWork, state: PageState, shown: list[StatusState],
                             origin: str) -> dict[int, _Rendered]:
    cache = uow.caches.statuses

    def key(found: StatusState) -> tuple:
        return (origin, state.generation, found.id, found.version, found.posted_by_version)

    rendered = {}
    missing = {}
    for found in shown:
        entry = cache.get(key(found))
        if entry is None:
            missing[found.id] = key(found)
        else:
            rendered[found.id] = entry
    for status_id, entry in (await _shared(uow, missing, _decode_rendered)).items():
        cache.put(missing.pop(status_id), entry)
        rendered[status_id] = entry
    if missing:
        views = await load_statuses(uow, missing)
        originals = {s.reblog_of_id for s in views.values() if s.reblog_of_id} - set(views)
        if originals:
            views |= await load_statuses(uow, originals)
        signers = await load_accounts(uow, {v.posted_by_id for v in views.values()
                                            if v.posted_by_id})
        made = {}
        for status_id in missing:
            view = views.get(status_id)
            found = state.statuses[status_id]
            # Written between the page statement and this load: render it next time.
            if view is None or view.version != found.version:
                continue
            entry = _render(view, views.get(view.reblog_of_id) if view.reblog_of_id else None,
                            signers.get(view.posted_by_id) if view.posted_by_id else None,
                            origin)
            cache.put(missing[status_id], entry)
            made[missing[status_id]] = _encode(entry)
            rendered[status_id] = entry
        await _share(uow, made)
    return rendered


def _render(view: StatusView, reblogged: StatusView | None, signed_by: AccountView | None,
            origin: str) -> _Rendered:
    head = orjson.dumps(entities.status_head(view, origin, reblogged=reblogged,
                                             signed_by=signed_by))
    return _Rendered(head[1:-1], orjson.dumps(entities.extension_head(view))[:-1], view)


async def _rendered_accounts(uow: UnitOfWork, shown: list[StatusState],
                             emojis_generation: int, origin: str) -> dict[int, bytes]:
    cache = uow.caches.accounts
    versions = {}
    for found in shown:
        versions[found.account_id] = found.account_version
        if found.posted_by_id is not None:
            versions[found.posted_by_id] = found.posted_by_version
    rendered = {}
    missing = {}
    for account_id, version in versions.items():
        key = ("account", origin, emojis_generation, account_id, version)
        entry = cache.get(key)
        if entry is None:
            missing[account_id] = key
        else:
            rendered[account_id] = entry
    for account_id, entry in (await _shared(uow, missing, bytes)).items():
        cache.put(missing.pop(account_id), entry)
        rendered[account_id] = entry
    if missing:
        made = {}
        for view in (await load_accounts(uow, missing)).values():
            entry = orjson.dumps(entities.account(view, origin))
            if view.version == versions[view.id]:
                cache.put(missing[view.id], entry)
                made[missing[view.id]] = entry
            rendered[view.id] = entry
        await _share(uow, made)
    return rendered


# The shared level (scaled out): rendered statuses travel as MessagePack, decoded into their
# types (never unpickled); a key holds every part of the process's key.
_encode = msgspec.msgpack.Encoder().encode
_decode_rendered = msgspec.msgpack.Decoder(_Rendered).decode


def _shared_key(key: tuple) -> str:
    return "|".join(map(str, key))


async def _shared(uow: UnitOfWork, keys: dict[int, tuple],
                  decode: Callable[[bytes], T]) -> dict[int, T]:
    """The entries of these keys that another process shared, by id."""
    shared = uow.caches.shared
    if shared is None or not keys:
        return {}
    values = await shared.get_many([_shared_key(key) for key in keys.values()])
    found = {}
    for entry_id, value in zip(keys, values, strict=True):
        if value is not None:
            # One an older release shared reads as a miss.
            with contextlib.suppress(msgspec.DecodeError, msgspec.ValidationError):
                found[entry_id] = decode(value)
    return found


async def _share(uow: UnitOfWork, made: dict[tuple, bytes]) -> None:
    if uow.caches.shared is not None and made:
        await uow.caches.shared.put_many({_shared_key(key): value
                                          for key, value in made.items()})


@dataclass(frozen=True, slots=True)
class _Page:
    state: PageState
    rendered: dict[int, _Rendered]
    accounts: dict[int, bytes]
    origin: str
    viewer_id: int | None
    matcher: FilterMatcher | None
    now: datetime

    def assemble(self, status_id: int) -> tuple[bytes, bool]:
        """The entity as bytes, and whether a `hide` filter of the reader matched it."""
        entry = self.rendered[status_id]
        view = entry.view
        reblog = b"null"
        proper = view
        if view.reblog_of_id is not None:
            inner = self.rendered.get(view.reblog_of_id)
            if inner is not None:
                reblog, _ = self.assemble(view.reblog_of_id)
                proper = inner.view
        matches = self._filtered(view, proper)
        posted_by = self.accounts.get(view.posted_by_id) if view.posted_by_id else None
        entity = b"".join((
            b"{", entry.head,
            b',"account":', self.accounts.get(view.account_id, b"null"),
            b',"reblog":', reblog,
            b',"poll":', self._poll(view),
            b',"zwitscher":', entry.extension, b',"posted_by":', posted_by or b"null", b"}",
            self._readers_part(view, matches), b"}"))
        return entity, any(match.filter.action == "hide" for match in matches)

    def _poll(self, view: StatusView) -> bytes:
        if view.poll is None:
            return b"null"
        found = self.state.statuses[view.id]
        own = self.viewer_id is not None and self.viewer_id in (view.account_id,
                                                                view.posted_by_id)
        return orjson.dumps(entities.poll(
            view.poll, self.origin, now=self.now, shows_totals=own,
            own_votes=found.own_votes if self.viewer_id is not None else None))

    def _filtered(self, view: StatusView, proper: StatusView) -> list[FilterMatch]:
        """The reader's filters this status (or the one it reblogs) matches; never for the
        reader's own posts (as Mastodon's apps leave those unfiltered)."""
        if not self.matcher or proper.account_id == self.viewer_id:
            return []
        ids = [view.id, view.reblog_of_id] if view.reblog_of_id else [view.id]
        return self.matcher.match(text=proper.filterable_text, status_ids=ids, now=self.now)

    def _readers_part(self, view: StatusView, matches: list[FilterMatch]) -> bytes:
        found = self.state.statuses[view.id]
        if self.viewer_id is None:
            return _ANONYMOUS
        own = self.viewer_id == view.account_id
        return b"," + orjson.dumps({
            "favourited": found.favourited,
            "reblogged": found.reblogged,
            "muted": False,
            "bookmarked": found.bookmarked,
            "pinned": found.pinned if own else False,
            "quote_approval": {"automatic": [], "manual": [], "current_user": "denied"},
            "filtered": [present_filter_result(match) for match in matches],
        })[1:-1]


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


def present_source(row: sa.Row) -> dict:
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
