"""The visibility predicate agrees with a plain model of the rules, for any small world.

A world is drawn: people (members, guests, other roles, brand accounts; some disabled, some
limited by moderators), a small tree of groups with members, follows, blocks, mutes (some
expired) and domain blocks, and posts of every visibility (mentions on any of them, group
posts addressed to groups, reblogs of earlier posts). It is written into a real database (the
schema built once for the module from `zwitscher.db.schema.metadata`; each example's rows
rolled back) and for every viewer, anonymous included, and every post the SQL of
`zwitscher.policies.visibility` is asked

  visible_to        may the viewer see the post at all (Mastodon's StatusPolicy#show?),
  hidden_by_viewer  do the viewer's timelines leave it out (blocks either way, mutes),
  limited_for       does discovery leave it out (a limited author the viewer does not follow),

each as the hot paths ask it (the viewer a bound parameter, the statement built once) and
with the viewer written in. The answers must be those of the model below, written from the
module's docstring and Mastodon's rules; a NULL where a yes or no belongs fails too (negated,
it would drop rows). The engine is the suite's: SQLite, or PostgreSQL when
ZWITSCHER_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.schema import (
    accounts,
    blocks,
    domain_blocks,
    follows,
    group_members,
    group_tree,
    groups,
    mentions,
    metadata,
    mutes,
    status_groups,
    statuses,
    users,
)
from zwitscher.domain.clock import utcnow
from zwitscher.policies.visibility import (
    VIEWER,
    hidden_by_viewer,
    limited_for,
    viewer_params,
    visible_to,
)
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from support import create_postgres_database, drop_postgres_database

# Reproducible in CI; fewer examples on PostgreSQL, where each statement is a round trip.
PROPERTIES = settings(max_examples=50 if TEST_DATABASE_URL else 100, deadline=None,
                      database=None, derandomize=os.environ.get("CI") == "true",
                      suppress_health_check=[HealthCheck.too_slow])

VISIBILITIES = ("public", "unlisted", "private", "direct", "internal", "group")
OPEN = ("public", "unlisted")
KINDS = ("member", "member", "guest", "guest", "brand", "admin", "communicator")


# --- the world -------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    kind: str  # a role (the person's user), or "brand" (an account no one signs in as)
    disabled: bool = False
    limited: bool = False


@dataclass(frozen=True)
class Post:
    author: int
    visibility: str
    mentioned: frozenset[int] = frozenset()
    groups: frozenset[int] = frozenset()
    reblog_of: int | None = None  # index of an earlier post


@dataclass
class World:
    people: list[Person]
    group_parents: list[int | None]  # each group's parent: an earlier group, or none
    members: set[tuple[int, int]]  # (group, person)
    follows: set[tuple[int, int]]  # (follower, followed)
    blocks: set[tuple[int, int]]  # (blocker, blocked)
    mutes: dict[tuple[int, int], str]  # (muter, muted) -> "forever" | "expired" | "later"
    domain_blocks: set[int]  # people who block a domain (every account here is local)
    posts: list[Post] = field(default_factory=list)


def _pairs(n: int, max_size: int) -> st.SearchStrategy[set[tuple[int, int]]]:
    """Sets of (a, b), two different people of n: the second index skips the first."""
    if n < 2:
        return st.just(set())
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 2)).map(
        lambda p: (p[0], p[1] + (p[1] >= p[0])))
    return st.sets(pair, max_size=max_size)


@st.composite
def worlds(draw) -> World:
    n = draw(st.integers(1, 8))
    people = [Person(draw(st.sampled_from(KINDS)),
                     disabled=draw(st.booleans()) and draw(st.booleans()),
                     limited=draw(st.booleans()) and draw(st.booleans()))
              for _ in range(n)]
    group_count = draw(st.integers(0, 4))
    parents = [draw(st.none() | st.integers(0, g - 1)) if g else None
               for g in range(group_count)]
    members = (draw(st.sets(st.tuples(st.integers(0, group_count - 1), st.integers(0, n - 1)),
                            max_size=10)) if group_count else set())
    world = World(
        people, parents, members,
        follows=draw(_pairs(n, 16)), blocks=draw(_pairs(n, 4)),
        mutes={pair: draw(st.sampled_from(["forever", "expired", "later"]))
               for pair in sorted(draw(_pairs(n, 4)))},
        domain_blocks=draw(st.sets(st.integers(0, n - 1), max_size=2)))
    someone = st.integers(0, n - 1)
    for index in range(draw(st.integers(0, 12))):
        author = draw(someone)
        original = draw(st.none() | st.integers(0, index - 1)) if index else None
        if original is not None and (world.posts[original].visibility in OPEN
                                     or world.posts[original].author == author):
            # As Mastodon: open posts may be reblogged by anyone, others by their author.
            visibility = world.posts[original].visibility
        else:
            original = None
            visibility = draw(st.sampled_from(VISIBILITIES))
        addressed = (draw(st.sets(st.integers(0, group_count - 1), max_size=2))
                     if visibility == "group" and group_count else set())
        world.posts.append(Post(author, visibility,
                                frozenset(draw(st.sets(someone, max_size=3))),
                                frozenset(addressed), original))
    return world


# --- the rules, in plain Python ----------------------------------------------------------

def descendants(world: World, group: int) -> set[int]:
    """The group and every group below it."""
    below = {group}
    for g in range(len(world.group_parents)):
        ancestor = world.group_parents[g]
        while ancestor is not None:
            if ancestor == group:
                below.add(g)
            ancestor = world.group_parents[ancestor]
    return below


def insider(world: World, viewer: int) -> bool:
    """A person of the organisation: signed up, no guest, not disabled; or a brand account."""
    person = world.people[viewer]
    return person.kind == "brand" or (person.kind != "guest" and not person.disabled)


def may_see(world: World, viewer: int | None, post: Post) -> bool:
    if viewer is None:
        return post.visibility in OPEN
    if viewer == post.author:
        return True
    author_blocks_viewer = (post.author, viewer) in world.blocks
    mentioned = viewer in post.mentioned
    match post.visibility:
        case "public" | "unlisted":
            return not author_blocks_viewer
        case "private":
            return (viewer, post.author) in world.follows or mentioned
        case "direct":
            return mentioned
        case "internal":
            return insider(world, viewer) and not author_blocks_viewer
        case "group":
            reach = set().union(*(descendants(world, g) for g in post.groups))
            in_group = any((g, viewer) in world.members for g in reach)
            return in_group and not author_blocks_viewer
    raise AssertionError(post.visibility)


def hides_author(world: World, viewer: int, author: int) -> bool:
    return ((viewer, author) in world.blocks or (author, viewer) in world.blocks
            or world.mutes.get((viewer, author)) in ("forever", "later"))


def hidden(world: World, viewer: int | None, post: Post) -> bool:
    if viewer is None:
        return False
    original = world.posts[post.reblog_of] if post.reblog_of is not None else None
    return (hides_author(world, viewer, post.author)
            or (original is not None and hides_author(world, viewer, original.author)))


def limited(world: World, viewer: int | None, post: Post) -> bool:
    if not world.people[post.author].limited:
        return False
    return viewer is None or (viewer != post.author
                              and (viewer, post.author) not in world.follows)


# --- the database ------------------------------------------------------------------------

ACCOUNT_IDS = 1000  # person i is account 1000 + i; group g is 2000 + g; post p is 3000 + p


def rows(world: World) -> list[tuple[sa.Table, list[dict]]]:
    """The world as rows, in an order foreign keys accept."""
    now = utcnow()
    ids = [ACCOUNT_IDS + i for i in range(len(world.people))]
    group_ids = [2000 + g for g in range(len(world.group_parents))]

    def pair(a: int, b: int, **extra) -> dict:
        return dict(id=next(serial), account_id=ids[a], target_account_id=ids[b],
                    created_at=now, **extra)

    serial = iter(range(10_000, 20_000))
    expiry = {"forever": None, "expired": now - timedelta(hours=1),
              "later": now + timedelta(hours=1)}
    return [
        (accounts, [dict(id=ids[i], username=f"p{i}", username_lower=f"p{i}", fields=[],
                         kind="brand" if p.kind == "brand" else "person",
                         limited_at=now if p.limited else None, created_at=now, updated_at=now)
                    for i, p in enumerate(world.people)]),
        (users, [dict(id=ids[i], account_id=ids[i], email=f"p{i}@example.org",
                      email_lower=f"p{i}@example.org", password_hash="x", role=p.kind,
                      disabled=p.disabled, created_at=now)
                 for i, p in enumerate(world.people) if p.kind != "brand"]),
        (groups, [dict(id=group_ids[g], slug=f"g{g}", name=f"g{g}", created_at=now,
                       updated_at=now,
                       parent_id=None if parent is None else group_ids[parent])
                  for g, parent in enumerate(world.group_parents)]),
        (group_tree, [dict(ancestor_id=group_ids[g], descendant_id=group_ids[d])
                      for g in range(len(group_ids)) for d in descendants(world, g)]),
        (group_members, [dict(group_id=group_ids[g], account_id=ids[i], created_at=now)
                         for g, i in world.members]),
        (follows, [pair(a, b) for a, b in world.follows]),
        (blocks, [pair(a, b) for a, b in world.blocks]),
        (mutes, [pair(a, b, expires_at=expiry[kind]) for (a, b), kind in world.mutes.items()]),
        (domain_blocks, [dict(id=next(serial), account_id=ids[i], domain="remote.example",
                              created_at=now) for i in world.domain_blocks]),
        (statuses, [dict(id=3000 + p, account_id=ids[post.author], visibility=post.visibility,
                         reblog_of_id=None if post.reblog_of is None else 3000 + post.reblog_of,
                         created_at=now)
                    for p, post in enumerate(world.posts)]),
        (mentions, [dict(status_id=3000 + p, account_id=ids[i])
                    for p, post in enumerate(world.posts) for i in post.mentioned]),
        (status_groups, [dict(status_id=3000 + p, group_id=group_ids[g])
                         for p, post in enumerate(world.posts) for g in post.groups]),
    ]


_original = statuses.alias("original")


def answers(viewer) -> sa.Select:
    """Each post with the three answers for `viewer` (an id, VIEWER, or None)."""
    return (sa.select(statuses.c.id,
                      visible_to(viewer).label("visible"),
                      hidden_by_viewer(viewer, statuses, _original).label("hidden"),
                      limited_for(viewer, statuses.c.account_id).label("limited"))
            .select_from(statuses.outerjoin(_original, _original.c.id == statuses.c.reblog_of_id))
            .order_by(statuses.c.id))


PREPARED = answers(VIEWER)  # built once, run for every viewer: as the hot paths do


def as_bool(value) -> bool:
    assert value in (True, False), f"{value!r} where a yes or no belongs"
    return bool(value)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """An asyncio runner and an engine with the schema, for the whole module."""
    if TEST_DATABASE_URL:
        plain_url = create_postgres_database(TEST_DATABASE_URL)
        url = Settings(database_url=plain_url).effective_database_url
    else:
        plain_url = None
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('visibility') / 'db.sqlite3'}"
    runner = asyncio.Runner()
    engine = create_async_engine(url)

    async def build() -> None:
        dialect = engine.dialect.name
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all, tables=[
                table for table in metadata.sorted_tables
                if table.info.get("only_on") in (None, dialect)])

    try:
        runner.run(build())
        yield runner, engine
    finally:
        runner.run(engine.dispose())
        runner.close()
        if plain_url:
            drop_postgres_database(plain_url)


async def predicate_answers(engine, world: World) -> dict[tuple[int | None, int], tuple]:
    """(viewer, post) -> (visible, hidden, limited) as the database answers, from both forms
    of each statement (they must agree); the rows are rolled back."""
    found: dict[tuple[int | None, int], tuple] = {}
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            for table, values in rows(world):
                if values:
                    await conn.execute(table.insert(), values)
            viewers: list[int | None] = [None, *range(len(world.people))]
            for viewer in viewers:
                account_id = None if viewer is None else ACCOUNT_IDS + viewer
                written_in = (await conn.execute(answers(account_id))).all()
                results = [written_in]
                if account_id is not None:
                    results.append((await conn.execute(
                        PREPARED, viewer_params(account_id))).all())
                for result in results:
                    for row in result:
                        answer = (as_bool(row.visible), as_bool(row.hidden),
                                  as_bool(row.limited))
                        key = (viewer, row.id - 3000)
                        assert found.setdefault(key, answer) == answer, key
        finally:
            await transaction.rollback()
    return found


@PROPERTIES
@given(world=worlds())
def test_the_visibility_predicate_answers_as_the_rules_say(database, world):
    runner, engine = database
    found = runner.run(predicate_answers(engine, world))
    viewers: list[int | None] = [None, *range(len(world.people))]
    expected = {(viewer, p): (may_see(world, viewer, post), hidden(world, viewer, post),
                              limited(world, viewer, post))
                for viewer in viewers for p, post in enumerate(world.posts)}
    wrong = {key: (answer, expected[key]) for key, answer in found.items()
             if answer != expected[key]}
    assert not wrong, f"(viewer, post): ((visible, hidden, limited) found, expected): {wrong}"
    assert found.keys() == expected.keys()
