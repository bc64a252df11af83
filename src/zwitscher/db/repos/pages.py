"""The one statement a page of statuses asks per reader.

For the page's statuses and the statuses they reblog: each status's current version and its
author's (and a brand post's person's), the generations of custom emojis and groups, and,
for a reader, what they favourited, bookmarked, reblogged, pinned and voted, and whether
they muted its thread. Cached renders are served only for the versions read here, so
whatever an invalidation missed is rendered again; a deleted status is simply not found.

The statement's text is the same for every page and reader (the ids travel as one JSON or
array parameter), so each database prepares it once.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa

from zwitscher.db.prepared import Prepared, fetch
from zwitscher.db.repos.base import Repo, bound_ids, in_ids
from zwitscher.db.repos.interactions import thread_key
from zwitscher.db.repos.lists import exclusive_members
from zwitscher.db.schema import (
    accounts,
    bookmarks,
    favourites,
    follows,
    pins,
    poll_votes,
    polls,
    read_generations,
    statuses,
    thread_mutes,
)
from zwitscher.domain.clock import utcnow
from zwitscher.policies.visibility import VIEWER, hidden_by_viewer, visible_to


class StatusState(NamedTuple):
    """A status as one reader finds it now (a named tuple: made for every row of every
    page, and a frozen dataclass takes several times as long to make)."""

    id: int
    version: int
    account_id: int
    account_version: int
    posted_by_id: int | None
    posted_by_version: int | None
    reblog_of_id: int | None
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    pinned: bool = False
    # The options the reader chose in the status's poll, in order.
    own_votes: tuple[int, ...] = ()
    # The reader muted the status's thread (no notifications from it).
    muted: bool = False


@dataclass(frozen=True, slots=True)
class PageState:
    statuses: dict[int, StatusState]
    # Counted changes to custom emojis and to groups: part of every cached render's key.
    generation: tuple[int, int]
    # The asked-for statuses found (with `for_home`: those the home timeline may show); the
    # others in `statuses` are what they reblog.
    found: frozenset[int]

    def merged(self, other: PageState) -> PageState:
        return PageState(self.statuses | other.statuses, other.generation,
                         self.found | other.found)


EMPTY = PageState({}, (0, 0), frozenset())


class PagesRepo(Repo):
    async def state(self, status_ids: Collection[int], viewer_id: int | None, *,
                    for_home: bool = False) -> PageState:
        """With `for_home`, only the statuses the viewer's home timeline may show count as
        found: those they may see and have not hidden (blocks, mutes), not by members of
        their exclusive lists, and no reblogs by accounts whose reblogs they turned off."""
        if not status_ids:
            return EMPTY
        dialect = self.conn.dialect.name
        params = {"ids": bound_ids(dialect, status_ids)}
        if viewer_id is not None:
            params["viewer_id"] = viewer_id
        if for_home:
            params["now"] = utcnow()
        rows = await fetch(self.conn, _statement(dialect, viewer_id is not None, for_home),
                           params)
        found = {}
        asked = set()
        generation = (0, 0)
        # Positional: this runs for every row of every page (attribute access costs more).
        for (status_id, version, account_id, account_version, posted_by_id, posted_by_version,
             reblog_of_id, emojis, groups, in_page, *marks) in rows:
            generation = (emojis, groups)
            if in_page:
                asked.add(status_id)
            if marks:
                favourited, reblogged, bookmarked, pinned, own_votes, muted = marks
                marks = (bool(favourited), bool(reblogged), bool(bookmarked), bool(pinned),
                         _votes(own_votes), bool(muted))
            found[status_id] = StatusState(status_id, version, account_id, account_version,
                                           posted_by_id, posted_by_version, reblog_of_id, *marks)
        return PageState(found, generation, frozenset(asked))


def _votes(joined: str | None) -> tuple[int, ...]:
    return tuple(sorted(int(choice) for choice in joined.split(","))) if joined else ()


def _generation(name: str) -> sa.ScalarSelect:
    return (sa.select(read_generations.c.generation)
            .where(read_generations.c.name == name).scalar_subquery())


def _marked(table: sa.Table) -> sa.Exists:
    return sa.exists().where(table.c.account_id == VIEWER, table.c.status_id == statuses.c.id)


@functools.cache
def _statement(dialect: str, with_viewer: bool, for_home: bool) -> Prepared:
    author = accounts.alias("author")
    person = accounts.alias("posted_by")
    reblogs = statuses.alias("viewer_reblogs")
    # The order `PagesRepo.state` reads them in; `asked` goes after the generations.
    columns = [statuses.c.id, statuses.c.version, statuses.c.account_id,
               author.c.version.label("account_version"), statuses.c.posted_by_id,
               person.c.version.label("posted_by_version"), statuses.c.reblog_of_id,
               _generation("emojis").label("emojis"), _generation("groups").label("groups")]
    marks = []
    if with_viewer:
        # The separator as SQL text: as a parameter it would be rendered anew each time.
        joined = (sa.func.group_concat if dialect == "sqlite" else sa.func.string_agg)(
            sa.cast(poll_votes.c.choice, sa.String), sa.literal_column("','"))
        own_votes = (sa.select(joined)
            .select_from(poll_votes.join(polls, polls.c.id == poll_votes.c.poll_id))
            .where(polls.c.status_id == statuses.c.id, poll_votes.c.account_id == VIEWER)
            .scalar_subquery())
        marks = [
            _marked(favourites).label("favourited"),
            sa.exists().where(reblogs.c.account_id == VIEWER,
                              reblogs.c.reblog_of_id == statuses.c.id).label("reblogged"),
            _marked(bookmarks).label("bookmarked"),
            # Only one's own statuses can be pinned: no lookup for anybody else's.
            sa.and_(statuses.c.account_id == VIEWER, _marked(pins)).label("pinned"),
            own_votes.label("own_votes"),
            sa.exists().where(thread_mutes.c.account_id == VIEWER,
                              thread_mutes.c.root_status_id == thread_key(statuses))
            .label("muted")]
    joined = (statuses.join(author, author.c.id == statuses.c.account_id)
              .outerjoin(person, person.c.id == statuses.c.posted_by_id))
    asked = (sa.select(*columns, sa.true().label("asked"), *marks)
             .where(in_ids(statuses.c.id, dialect)))
    if for_home:
        original = statuses.alias("original")
        joined = joined.outerjoin(original, original.c.id == statuses.c.reblog_of_id)
        reblogs_off = sa.exists().where(
            follows.c.account_id == VIEWER, follows.c.target_account_id == statuses.c.account_id,
            follows.c.show_reblogs.is_(False))
        asked = asked.where(
            visible_to(VIEWER), ~hidden_by_viewer(VIEWER, statuses, original),
            statuses.c.account_id.not_in(exclusive_members(VIEWER)),
            sa.or_(statuses.c.reblog_of_id.is_(None), ~reblogs_off))
    page = statuses.alias("page")
    reblogged = (sa.select(*columns, sa.false().label("asked"), *marks)
                 .select_from(statuses.join(author, author.c.id == statuses.c.account_id)
                              .outerjoin(person, person.c.id == statuses.c.posted_by_id))
                 .where(statuses.c.id.in_(sa.select(page.c.reblog_of_id)
                                          .where(in_ids(page.c.id, dialect)))))
    return Prepared(sa.union_all(asked.select_from(joined), reblogged))
