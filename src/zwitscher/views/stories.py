"""Story views: a story as its readers see it, with the posts as they were curated.

A post block holds a `PostSnapshot`, taken when the post was added: its HTML, content warning,
media, author and the edit it was at. Whenever a story is read (`load_story`), the rule of
`policies/stories.py` is asked again for its posts: a post its audience may no longer see is
left out of the view, and so out of every rendering made from it (page, embed, feed, exports,
API). A post edited since it was curated shows its curated version and says so.

Paths are relative (`/@owner/stories/1`); renderings for other sites make them absolute.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.text import render_plain_note, sanitize
from zwitscher.policies.stories import HEADING, POST, TEXT
from zwitscher.views.accounts import AccountView, load_accounts
from zwitscher.views.statuses import load_statuses


@dataclass(frozen=True, slots=True)
class SnapshotMedia:
    type: str
    url: str
    preview_url: str
    description: str


@dataclass(frozen=True, slots=True)
class SnapshotAuthor:
    """The post's author as the story shows them (the shape the avatar macro reads)."""

    id: int
    username: str
    display_name: str
    avatar: str

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True, slots=True)
class PostSnapshot:
    status_id: int
    author: SnapshotAuthor
    content_html: str
    spoiler_text: str
    sensitive: bool
    language: str | None
    created_at: datetime
    # The edit it was curated at (None: never edited then).
    edited_at: datetime | None
    media: tuple[SnapshotMedia, ...]

    def to_json(self) -> dict:
        data = asdict(self)
        data["status_id"] = str(self.status_id)
        data["author"]["id"] = str(self.author.id)
        data["created_at"] = self.created_at.isoformat()
        data["edited_at"] = self.edited_at.isoformat() if self.edited_at else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> PostSnapshot:
        edited = data.get("edited_at")
        return cls(
            status_id=int(data["status_id"]),
            author=SnapshotAuthor(**{**data["author"], "id": int(data["author"]["id"])}),
            content_html=data["content_html"], spoiler_text=data["spoiler_text"],
            sensitive=data["sensitive"], language=data.get("language"),
            created_at=datetime.fromisoformat(data["created_at"]),
            edited_at=datetime.fromisoformat(edited) if edited else None,
            media=tuple(SnapshotMedia(**m) for m in data["media"]))


@dataclass(frozen=True, slots=True)
class BlockView:
    kind: str  # heading | text | post
    text: str = ""
    post: PostSnapshot | None = None
    # The post as it is now: where it is, and whether it was edited after it was curated.
    current_path: str | None = None
    edited_since: bool = False

    @property
    def html(self) -> str:
        """A text block: escaped, in paragraphs, its links made links. A post: its curated
        HTML, sanitised again (it was stored by us, but it travels to other sites)."""
        if self.kind == POST and self.post is not None:
            return sanitize(self.post.content_html)
        return render_plain_note(self.text)


@dataclass(frozen=True, slots=True)
class StoryView:
    id: int
    owner: AccountView
    title: str
    summary: str
    audience: str
    published_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    blocks: tuple[BlockView, ...]

    @property
    def path(self) -> str:
        return story_path(self.owner.username, self.id)

    @property
    def summary_html(self) -> str:
        return render_plain_note(self.summary)

    @property
    def posts(self) -> tuple[BlockView, ...]:
        return tuple(block for block in self.blocks if block.kind == POST)


def story_path(username: str, story_id: int) -> str:
    """The story's public page; its embed, feed and exports are below it."""
    return f"/@{username}/stories/{story_id}"


async def take_snapshots(uow: UnitOfWork, status_ids: list[int]) -> dict[int, PostSnapshot]:
    """These posts as they are now, by id (those that exist)."""
    views = await load_statuses(uow, status_ids)
    authors = await load_accounts(uow, {view.account_id for view in views.values()})
    snapshots = {}
    for status_id, view in views.items():
        author = authors.get(view.account_id)
        if author is None:
            continue
        snapshots[status_id] = PostSnapshot(
            status_id=view.id,
            author=SnapshotAuthor(author.id, author.username, author.display_name,
                                  author.avatar),
            content_html=view.content_html, spoiler_text=view.spoiler_text,
            sensitive=view.sensitive, language=view.language, created_at=view.created_at,
            edited_at=view.edited_at,
            media=tuple(SnapshotMedia(m.type, m.file_url, m.preview_url, m.description)
                        for m in view.media))
    return snapshots


async def load_story(uow: UnitOfWork, story: sa.Row) -> StoryView:
    """The story with the blocks its audience may read now (see the module's docstring)."""
    rows = await uow.stories.blocks(story.id)
    shown = await uow.stories.shown_posts(
        [row.status_id for row in rows if row.kind == POST and row.status_id is not None],
        story.audience)
    blocks = []
    for row in rows:
        if row.kind in (HEADING, TEXT):
            blocks.append(BlockView(row.kind, row.text))
        elif row.kind == POST and row.status_id in shown and row.snapshot:
            now = shown[row.status_id]
            snapshot = PostSnapshot.from_json(row.snapshot)
            blocks.append(BlockView(
                POST, post=snapshot, current_path=f"/@{now.username}/{now.id}",
                edited_since=now.edited_at != snapshot.edited_at))
    owner = (await load_accounts(uow, [story.owner_id]))[story.owner_id]
    return StoryView(story.id, owner, story.title, story.summary, story.audience,
                     story.published_at, story.version, story.created_at, story.updated_at,
                     tuple(blocks))
