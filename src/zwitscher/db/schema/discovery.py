"""Followed and featured hashtags, endorsed accounts, dismissed suggestions, announcements, custom
emojis.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    account_pair,
    created,
    id_column,
    metadata,
    reference,
)

# Followed and featured hashtags, endorsed accounts, dismissed suggestions, announcements.

tag_follows = sa.Table(
    "tag_follows", metadata,
    id_column(),
    reference("account_id", "accounts"),
    reference("tag_id", "tags", index=True),
    created(),
    sa.UniqueConstraint("account_id", "tag_id"),
)

featured_tags = sa.Table(
    "featured_tags", metadata,
    id_column(),
    reference("account_id", "accounts"),
    reference("tag_id", "tags", index=True),
    created(),
    sa.UniqueConstraint("account_id", "tag_id"),
)

# Accounts shown on a profile as recommended (Mastodon's account pins, "endorsements").
endorsements = account_pair("endorsements")
# Accounts a person asked not to be suggested to follow again.
suggestion_dismissals = account_pair("suggestion_dismissals")

announcements = sa.Table(
    "announcements", metadata,
    id_column(),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_html", sa.Text, nullable=False),
    # What the text mentions and tags, kept as composed (an announcement is not a status).
    sa.Column("mentioned_ids", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("starts_at", UTCDateTime, nullable=True),
    sa.Column("ends_at", UTCDateTime, nullable=True),
    sa.Column("all_day", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("published", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("published_at", UTCDateTime, nullable=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

announcement_reads = sa.Table(
    "announcement_reads", metadata,
    reference("announcement_id", "announcements"),
    reference("account_id", "accounts", index=True),
    sa.PrimaryKeyConstraint("announcement_id", "account_id"),
)

announcement_reactions = sa.Table(
    "announcement_reactions", metadata,
    reference("announcement_id", "announcements"),
    reference("account_id", "accounts", index=True),
    sa.Column("name", sa.String(64), nullable=False),
    created(),
    sa.PrimaryKeyConstraint("announcement_id", "account_id", "name"),
)

# Custom emojis: pictures the organisation's admins upload, used in text as `:shortcode:`.

custom_emojis = sa.Table(
    "custom_emojis", metadata,
    id_column(),
    # Case-sensitive, as Mastodon's: `blob` and `Blob` are two emojis.
    sa.Column("shortcode", sa.String(64), nullable=False, unique=True),
    sa.Column("category", sa.String(64), nullable=True),
    sa.Column("visible_in_picker", sa.Boolean, nullable=False, server_default=sa.true()),
    # A disabled emoji shows nowhere (text keeps its `:shortcode:`) until enabled again.
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    # The picture and its still (first frame). Uploads are kept as PNG of their first frame,
    # so today both name the same file; the columns are apart so animation can come later.
    sa.Column("image_key", sa.String(200), nullable=False),
    sa.Column("image_url", sa.String(2000), nullable=False),
    sa.Column("static_key", sa.String(200), nullable=False),
    sa.Column("static_url", sa.String(2000), nullable=False),
    created(),
)
