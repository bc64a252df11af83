"""Statuses as one reader sees them: the views everybody shares (`views.statuses`,
`views.accounts`), from the process's cache at the versions the page statement read, and
what is the reader's (their favourites, boosts, bookmarks, pins, votes, muted threads, and
which of their filters match). The API presents these as Mastodon's entities; the web
interface shows them.

A page costs one statement for the reader (`db.repos.pages`) and, from the cache, none for
the views; only views not cached (or of another version) are loaded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import msgspec

from zwitscher.db.repos.pages import EMPTY, PageState, StatusState
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.filters import Filter, FilterMatch, FilterMatcher
from zwitscher.views.accounts import AccountView, load_accounts
from zwitscher.views.statuses import PollView, StatusView, load_statuses

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ShownPoll:
    view: PollView
    expired: bool
    # Whether the count per option shows: always once ended, else unless the poll hides
    # its totals from those who are not its author.
    totals_shown: bool
    # None without a reader; the author counts as having voted (as in Mastodon).
    voted: bool | None
    own_votes: tuple[int, ...]

    @property
    def votes_count(self) -> int:
        return sum(self.view.votes)


@dataclass(frozen=True, slots=True)
class ShownStatus:
    view: StatusView
    account: AccountView
    # The person who wrote a brand account's post.
    posted_by: AccountView | None
    reblog: ShownStatus | None
    poll: ShownPoll | None
    favourited: bool
    reblogged: bool
    bookmarked: bool
    pinned: bool
    # The reader's filters this status (or the one it reblogs) matches.
    filtered: tuple[FilterMatch, ...]
    # The reader muted the status's thread.
    muted: bool = False

    @property
    def id(self) -> int:
        return self.view.id

    @property
    def hidden(self) -> bool:
        """A `hide` filter of the reader matched: lists in its context leave it out."""
        return any(match.filter.action == "hide" for match in self.filtered)


async def show_statuses(uow: UnitOfWork, status_ids: list[int], *, viewer_id: int | None,
                        filter_context: str | None = None, state: PageState | None = None,
                        now: datetime | None = None) -> tuple[list[ShownStatus], PageState]:
    """These statuses as `viewer_id` sees them, in order; those deleted meanwhile are left
    out. Filters are the reader's for `filter_context` (for every context when None, as
    Mastodon answers for single statuses). `state`: the page statement's answer, if the
    caller asked it already. Also returns the state (for what the caller caches)."""
    if not status_ids:
        return [], state or EMPTY
    if state is None:
        state = await uow.pages.state(status_ids, viewer_id)
    page = [state.statuses[i] for i in status_ids if i in state.statuses]
    page += [state.statuses[s.reblog_of_id] for s in page if s.reblog_of_id in state.statuses]
    statuses = await status_views(uow, state, page)
    versions = {}
    for found in page:
        versions[found.account_id] = found.account_version
        if found.posted_by_id is not None:
            versions[found.posted_by_id] = found.posted_by_version
    accounts = await account_views(uow, versions, state.generation[0])
    matcher = None
    if viewer_id is not None:
        matcher = FilterMatcher(await filters_of(uow, viewer_id), filter_context)
    reader = _Reader(state, statuses, accounts, viewer_id, matcher, now or utcnow())
    shown = [reader.show(status_id) for status_id in status_ids if status_id in statuses]
    return [status for status in shown if status is not None], state


async def status_views(uow: UnitOfWork, state: PageState,
                       found: Iterable[StatusState]) -> dict[int, StatusView]:
    """Views at the versions `state` read: cached, or loaded (and cached). One written
    between the page statement and its load is left out (shown at its next read)."""
    cache = uow.caches.statuses
    views, missing = {}, {}
    for status in found:
        key = ("view", state.generation, status.id, status.version, status.posted_by_version)
        view = cache.get(key)
        if view is None:
            missing[status.id] = (key, status.version)
        else:
            views[status.id] = view
    for status_id, view in (await _shared(uow, {i: k for i, (k, _) in missing.items()},
                                          _decode_status)).items():
        cache.put(missing.pop(status_id)[0], view)
        views[status_id] = view
    if missing:
        made = {}
        for view in (await load_statuses(uow, missing)).values():
            key, version = missing[view.id]
            if view.version == version:
                cache.put(key, view)
                made[key] = view
                views[view.id] = view
        await _share(uow, made)
    return views


async def account_views(uow: UnitOfWork, versions: dict[int, int],
                        emojis_generation: int) -> dict[int, AccountView]:
    """Views of these accounts (id: the version the page statement read): cached, or
    loaded (and cached if still that version; shown either way)."""
    cache = uow.caches.accounts
    views, missing = {}, {}
    for account_id, version in versions.items():
        key = ("view", emojis_generation, account_id, version)
        view = cache.get(key)
        if view is None:
            missing[account_id] = key
        else:
            views[account_id] = view
    for account_id, view in (await _shared(uow, missing, _decode_account)).items():
        cache.put(missing.pop(account_id), view)
        views[account_id] = view
    if missing:
        made = {}
        for view in (await load_accounts(uow, missing)).values():
            if view.version == versions[view.id]:
                cache.put(missing[view.id], view)
                made[missing[view.id]] = view
            views[view.id] = view
        await _share(uow, made)
    return views


# The shared level (scaled out, `caches.SharedCache`): views travel as MessagePack, decoded
# into their types (never unpickled); a key holds every part of the process's key.
_encode = msgspec.msgpack.Encoder().encode
_decode_status = msgspec.msgpack.Decoder(StatusView).decode
_decode_account = msgspec.msgpack.Decoder(AccountView).decode


def _shared_key(key: tuple) -> str:
    return "|".join(map(str, key))


async def _shared(uow: UnitOfWork, keys: dict[int, tuple],
                  decode: Callable[[bytes], T]) -> dict[int, T]:
    """The views of these keys that another process shared, by id."""
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


async def _share(uow: UnitOfWork, made: dict[tuple, object]) -> None:
    if uow.caches.shared is not None and made:
        await uow.caches.shared.put_many({_shared_key(key): _encode(view)
                                          for key, view in made.items()})


async def filters_of(uow: UnitOfWork, viewer_id: int) -> list[Filter]:
    """The reader's filters, expired ones too (matching skips them by the clock), from the
    process's cache, which every change to filters drops (`zwitscher.caches`)."""
    cache = uow.caches.filters
    found = cache.get(viewer_id)
    if found is None:
        generation = cache.generation
        found = await uow.filters.of(viewer_id)
        cache.put(viewer_id, found, loaded_in=generation)
    return found


@dataclass(frozen=True, slots=True)
class _Reader:
    state: PageState
    statuses: dict[int, StatusView]
    accounts: dict[int, AccountView]
    viewer_id: int | None
    matcher: FilterMatcher | None
    now: datetime

    def show(self, status_id: int) -> ShownStatus | None:
        view = self.statuses[status_id]
        account = self.accounts.get(view.account_id)
        if account is None:
            return None
        reblog = None
        if view.reblog_of_id is not None:
            reblog = self.show(view.reblog_of_id) if view.reblog_of_id in self.statuses else None
            if reblog is None:
                return None  # the original is gone
        found = self.state.statuses[status_id]
        own = self.viewer_id is not None and self.viewer_id == view.account_id
        return ShownStatus(
            view=view, account=account,
            posted_by=self.accounts.get(view.posted_by_id) if view.posted_by_id else None,
            reblog=reblog, poll=self._poll(view, found),
            favourited=found.favourited, reblogged=found.reblogged,
            bookmarked=found.bookmarked, pinned=found.pinned if own else False,
            filtered=self._filtered(view, reblog.view if reblog else view), muted=found.muted)

    def _poll(self, view: StatusView, found: StatusState) -> ShownPoll | None:
        if view.poll is None:
            return None
        authored = self.viewer_id is not None and self.viewer_id in (view.account_id,
                                                                     view.posted_by_id)
        expired = view.poll.expired(self.now)
        return ShownPoll(view.poll, expired=expired,
                         totals_shown=expired or not view.poll.hide_totals or authored,
                         voted=(authored or bool(found.own_votes)
                                if self.viewer_id is not None else None),
                         own_votes=found.own_votes if self.viewer_id is not None else ())

    def _filtered(self, view: StatusView, proper: StatusView) -> tuple[FilterMatch, ...]:
        """Never for the reader's own posts (as Mastodon's apps leave those unfiltered)."""
        if not self.matcher or proper.account_id == self.viewer_id:
            return ()
        ids = [view.id, view.reblog_of_id] if view.reblog_of_id else [view.id]
        return tuple(self.matcher.match(text=proper.filterable_text, status_ids=ids,
                                        now=self.now))
