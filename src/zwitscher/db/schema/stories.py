"""Stories: posts curated into an ordered, annotated page (`services/save_story.py` and its
neighbours; `policies/stories.py` has the rules).

A story's blocks are saved as a whole list (`position` 0, 1, ...). A post block keeps the
version of the post it was curated at (`snapshot`); when the post itself is deleted, its block
goes with it (the foreign key), so no copy of a deleted post outlives it here.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference

stories = sa.Table(
    "stories", metadata,
    id_column(),
    # A person, or a brand account (its authors manage the story).
    reference("owner_id", "accounts", index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    # public (anyone, signed in or not) | internal (the organisation's people, not guests)
    sa.Column("audience", sa.String(16), nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=True),
    # 1 when created, one more with every save (`story_saves` says who saved which).
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

story_blocks = sa.Table(
    "story_blocks", metadata,
    reference("story_id", "stories"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # heading | text | post
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    reference("status_id", "statuses", nullable=True, index=True),
    # The post as it was curated (`views.stories.PostSnapshot` as JSON); None for the others.
    sa.Column("snapshot", sa.JSON, nullable=True),
    sa.PrimaryKeyConstraint("story_id", "position"),
)

story_collaborators = sa.Table(
    "story_collaborators", metadata,
    reference("story_id", "stories"),
    reference("account_id", "accounts", index=True),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("story_id", "account_id"),
)

# Who saved which version, so a save that replaced someone else's newer one can say whose.
story_saves = sa.Table(
    "story_saves", metadata,
    reference("story_id", "stories"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("account_id", sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
              nullable=True),
    sa.Column("saved_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("story_id", "version"),
)
