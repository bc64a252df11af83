"""Media attachments, polls and scheduled statuses."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    created,
    id_column,
    metadata,
    reference,
)

# Media attachments: uploaded images, first unattached (only their uploader sees them), then
# part of one status. The files live in the media store; a row keeps their keys (to delete
# them) and URLs (the store's answer when they were stored: a path from our own origin, or an
# absolute URL), so presenting a page of statuses needs no store at hand.
media_attachments = sa.Table(
    "media_attachments", metadata,
    id_column(),
    reference("account_id", "accounts", index=True),
    reference("status_id", "statuses", nullable=True, index=True),
    # Order within the status, as the author gave `media_ids`.
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    # "image", or "unknown" for a PDF document (Mastodon's type for a file it shows no preview
    # of). A document has no preview: `preview_key` and `preview_url` are empty, `width` and
    # `height` are its first page's size in points, and `preview_width` keeps its number of
    # pages (`views.statuses.MediaView.pages`).
    sa.Column("type", sa.String(16), nullable=False, server_default="image"),
    sa.Column("content_type", sa.String(64), nullable=False),
    sa.Column("file_key", sa.String(200), nullable=False),
    sa.Column("file_url", sa.String(2000), nullable=False),
    sa.Column("file_size", sa.Integer, nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("preview_key", sa.String(200), nullable=False),
    sa.Column("preview_url", sa.String(2000), nullable=False),
    sa.Column("preview_width", sa.Integer, nullable=False),
    sa.Column("preview_height", sa.Integer, nullable=False),
    sa.Column("blurhash", sa.String(100), nullable=True),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("focus_x", sa.Float, nullable=False, server_default="0"),
    sa.Column("focus_y", sa.Float, nullable=False, server_default="0"),
    created(),
    # An upload waiting with a scheduled status, a brand draft or a press release for its
    # post: reserved, so neither another post nor the cleaning of abandoned uploads takes it.
    # Should the waiting row go, the upload is free again (and its files are cleaned with it,
    # never left behind).
    sa.Column("scheduled_status_id", sa.BigInteger,
              sa.ForeignKey("scheduled_statuses.id", ondelete="SET NULL"), nullable=True,
              index=True),
    sa.Column("brand_draft_id", sa.BigInteger,
              sa.ForeignKey("brand_drafts.id", ondelete="SET NULL"), nullable=True, index=True),
    sa.Column("press_release_id", sa.BigInteger,
              sa.ForeignKey("press_releases.id", ondelete="SET NULL"), nullable=True,
              index=True),
    # Or with a post from a live event held for its organisers' review.
    sa.Column("event_held_post_id", sa.BigInteger,
              sa.ForeignKey("event_held_posts.id", ondelete="SET NULL"), nullable=True,
              index=True),
)

# Polls and scheduled statuses.

polls = sa.Table(
    "polls", metadata,
    id_column(),
    reference("status_id", "statuses"),
    # The option titles, in the order voters see them; votes refer to them by index.
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("multiple", sa.Boolean, nullable=False, server_default=sa.false()),
    # Per-option counts stay hidden from everyone but the author until the poll ends.
    sa.Column("hide_totals", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    # Set once voters and author have been told the poll ended, so they are told only once.
    sa.Column("ended_at", UTCDateTime, nullable=True),
    created(),
    sa.UniqueConstraint("status_id"),
)

# One row per person who voted: its key is what makes a second vote fail, also when two
# arrive at once.
poll_voters = sa.Table(
    "poll_voters", metadata,
    reference("poll_id", "polls"),
    reference("account_id", "accounts", index=True),
    created(),
    sa.PrimaryKeyConstraint("poll_id", "account_id"),
)

poll_votes = sa.Table(
    "poll_votes", metadata,
    reference("poll_id", "polls"),
    reference("account_id", "accounts", index=True),
    sa.Column("choice", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("poll_id", "account_id", "choice"),
)

scheduled_statuses = sa.Table(
    "scheduled_statuses", metadata,
    id_column(),
    reference("account_id", "accounts"),
    # The person who scheduled it when the account is a brand account (as `statuses`).
    reference("posted_by_id", "accounts", nullable=True),
    sa.Column("application_id", sa.BigInteger, nullable=True),
    sa.Column("scheduled_at", UTCDateTime, nullable=False),
    # What to post (the parameters of POST /api/v1/statuses, as `brand_drafts.params`).
    sa.Column("params", sa.JSON, nullable=False),
    created(),
    sa.Index("ix_scheduled_statuses_account_id_id", "account_id", "id"),
    sa.Index("ix_scheduled_statuses_account_id_scheduled_at", "account_id", "scheduled_at"),
)
