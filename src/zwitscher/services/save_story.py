"""Save a story: its title, summary, audience and all its blocks at once, with the version the
changes were based on.

The last save wins. When it replaced saves someone else made after its base version (two
editors at work together), the answer names them, so the saver can look at what they replaced.

Every post in it must pass the rule of `policies/stories.py` for the story's (new) audience,
and be one the saver may see; a post given by its address or id is taken as it is now (a
snapshot), one kept from before keeps the version it was curated at. Anything refused refuses
the whole save: nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.stories import (
    BLOCK_KINDS,
    HEADING,
    MAX_BLOCKS,
    MAX_HEADING,
    MAX_TEXT,
    POST,
    PUBLIC,
)
from zwitscher.services.create_story import check_heading
from zwitscher.services.read_story import Person, story_to_edit
from zwitscher.views.stories import load_story, take_snapshots

# A post's address as this server writes it (any host: the same database serves under any
# name): its page, its ActivityPub id, or the web interface's.
_POST_URL = re.compile(
    r"^(?:https?://[^/\s]+)?/(?:@(?P<at>[^/\s]+)|users/(?P<user>[^/\s]+)/statuses|web/statuses)"
    r"/(?P<id>\d{1,19})/?(?:[?#]\S*)?$")


@dataclass(frozen=True, slots=True)
class BlockDraft:
    kind: str  # heading | text | post
    text: str = ""
    post: str = ""  # a post block's post: its address or id


@dataclass(frozen=True, slots=True)
class StoryDraft:
    """What a save changes; None: that part stays as it is (the blocks: as their editors
    see them now)."""

    base_version: int
    title: str | None = None
    summary: str | None = None
    audience: str | None = None
    blocks: tuple[BlockDraft, ...] | None = None


@dataclass(frozen=True, slots=True)
class OverwrittenSave:
    """A save by someone else, after the base version, that this one replaced."""

    version: int
    saved_at: datetime
    account_id: int | None
    username: str | None
    display_name: str


@dataclass(frozen=True, slots=True)
class Saved:
    story_id: int
    version: int
    overwritten: tuple[OverwrittenSave, ...]


def post_reference(raw: str) -> tuple[int, str | None] | None:
    """A post's id (and the username its address names, if any) from an address or an id."""
    raw = raw.strip()
    if (status_id := parse_id(raw)) is not None:
        return status_id, None
    match = _POST_URL.match(raw)
    if match is None or (status_id := parse_id(match.group("id"))) is None:
        return None
    return status_id, match.group("at") or match.group("user")


async def _blocks_now(uow: UnitOfWork, story: sa.Row) -> tuple[BlockDraft, ...]:
    """The blocks as the story's editors see them now (without the posts left out)."""
    view = await load_story(uow, story)
    return tuple(BlockDraft(block.kind, block.text,
                            str(block.post.status_id) if block.post else "")
                 for block in view.blocks)


def _checked_blocks(drafts: tuple[BlockDraft, ...]) -> list[BlockDraft]:
    if len(drafts) > MAX_BLOCKS:
        raise ValidationFailed("A story can have at most %(max)s blocks", max=MAX_BLOCKS)
    blocks = []
    for block in drafts:
        if block.kind not in BLOCK_KINDS:
            raise ValidationFailed("A block is a heading, a text or a post")
        if block.kind == POST:
            if not block.post.strip():
                raise ValidationFailed("A post block needs the post's address or id")
            blocks.append(block)
            continue
        text = block.text.strip()
        limit = MAX_HEADING if block.kind == HEADING else MAX_TEXT
        if len(text) > limit:
            raise ValidationFailed("A heading or text can have at most %(max)s characters",
                                   max=limit)
        if text:  # an emptied heading or text is left out
            blocks.append(BlockDraft(block.kind, text))
    return blocks


def _unknown(given: str) -> ValidationFailed:
    return ValidationFailed("No post you can see has this address or id: %(post)s",
                            post=given[:200])


async def _written_by(uow: UnitOfWork, row: sa.Row, username: str | None) -> bool:
    """An address that names an author must name the post's (`/@a/1` is not b's post 1)."""
    if username is None:
        return True
    author = await uow.accounts.get(row.account_id)
    return author is not None and author.username.lower() == username.lower()


async def _posts(uow: UnitOfWork, person: Person, audience: str,
                 blocks: list[BlockDraft]) -> dict[str, sa.Row]:
    """The post each post block names, by what it was given as; a reblog stands for the post
    it reblogs."""
    wanted = {block.post: post_reference(block.post) for block in blocks if block.kind == POST}
    ids = {ref[0] for ref in wanted.values() if ref is not None}
    seen = await uow.statuses.get_many_visible(ids, person.account_id)
    originals = await uow.statuses.get_many_visible(
        {row.reblog_of_id for row in seen.values() if row.reblog_of_id}, person.account_id)
    found: dict[str, sa.Row] = {}
    for given, ref in wanted.items():
        row = seen.get(ref[0]) if ref is not None else None
        if row is not None and row.reblog_of_id is not None:
            row = originals.get(row.reblog_of_id)
        if row is None or not await _written_by(uow, row, ref[1]):
            raise _unknown(given)
        found[given] = row
    shown = await uow.stories.shown_posts({row.id for row in found.values()}, audience)
    for given, row in found.items():
        if row.id not in shown:
            if audience == PUBLIC:
                raise ValidationFailed("Not everyone may see this post, so a public story "
                                       "cannot show it: %(post)s", post=given[:200])
            raise ValidationFailed("Not everyone in the organisation may see this post, so an "
                                   "internal story cannot show it: %(post)s", post=given[:200])
    ids_in_order = [found[block.post].id for block in blocks if block.kind == POST]
    if len(set(ids_in_order)) < len(ids_in_order):
        raise ValidationFailed("A post can be in a story only once")
    return found


async def save_story(uow: UnitOfWork, *, person: Person, story_id: int,
                     draft: StoryDraft) -> Saved:
    story, _ = await story_to_edit(uow, person=person, story_id=story_id)
    audience = draft.audience or story.audience
    title, summary = check_heading(
        story.title if draft.title is None else draft.title,
        story.summary if draft.summary is None else draft.summary, audience, person)
    if not 1 <= draft.base_version <= story.version:
        raise ValidationFailed("The story has no version %(version)s: reload it and save "
                               "again", version=draft.base_version)
    blocks = _checked_blocks(draft.blocks if draft.blocks is not None
                             else await _blocks_now(uow, story))
    posts = await _posts(uow, person, audience, blocks)
    kept = {row.status_id: row.snapshot for row in await uow.stories.blocks(story.id)
            if row.kind == POST and row.snapshot}
    fresh = await take_snapshots(uow, [row.id for row in posts.values() if row.id not in kept])
    rows = []
    for block in blocks:
        if block.kind != POST:
            rows.append({"kind": block.kind, "text": block.text, "status_id": None,
                         "snapshot": None})
            continue
        status_id = posts[block.post].id
        snapshot = kept.get(status_id) or (fresh[status_id].to_json() if status_id in fresh
                                           else None)
        if snapshot is None:
            raise _unknown(block.post)
        rows.append({"kind": POST, "text": "", "status_id": status_id, "snapshot": snapshot})
    now = utcnow()
    version = await uow.stories.next_version(story.id, title=title, summary=summary,
                                             audience=audience, updated_at=now)
    await uow.stories.replace_blocks(story.id, rows)
    await uow.stories.record_save(story.id, version=version, account_id=person.account_id,
                                  now=now)
    return Saved(story.id, version, await overwritten_saves(
        uow, story_id=story.id, person=person, base_version=draft.base_version,
        version=version))


async def overwritten_saves(uow: UnitOfWork, *, story_id: int, person: Person,
                            base_version: int, version: int) -> tuple[OverwrittenSave, ...]:
    """The saves by others that the person's save of `version`, based on `base_version`,
    replaced (the web editor asks again after its redirect)."""
    rows = await uow.stories.saves_by_others(story_id, after=base_version, before=version,
                                             account_id=person.account_id)
    return tuple(OverwrittenSave(row.version, row.saved_at, row.account_id, row.username,
                                 row.display_name or "") for row in rows)
