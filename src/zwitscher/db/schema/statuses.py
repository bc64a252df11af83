"""Statuses and what hangs on them: edits, mentions, hashtags, favourites, bookmarks, pins,
notifications, the home feed, markers.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    created,
    id_column,
    metadata,
    reference,
)

statuses = sa.Table(
    "statuses", metadata,
    id_column(),
    reference("account_id", "accounts"),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("content_html", sa.Text, nullable=False, server_default=""),
    sa.Column("spoiler_text", sa.Text, nullable=False, server_default=""),
    sa.Column("visibility", sa.String(16), nullable=False),
    sa.Column("sensitive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("in_reply_to_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("in_reply_to_account_id", sa.BigInteger, nullable=True),
    reference("reblog_of_id", "statuses", nullable=True),
    sa.Column("application_id", sa.BigInteger, nullable=True),
    sa.Column("replies_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reblogs_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("favourites_count", sa.Integer, nullable=False, server_default="0"),
    created(),
    sa.Column("edited_at", UTCDateTime, nullable=True),
    # The person who wrote it when the account is a brand account (else NULL: the account's
    # own person). Shown as "by ..." and notified of replies.
    reference("posted_by_id", "accounts", nullable=True),
    # The first status of the thread a reply belongs to (NULL: this one starts its thread, or
    # is a reblog): muting a conversation mutes this root (`thread_mutes`).
    sa.Column("thread_root_id", sa.BigInteger, nullable=True),
    # Bumped by database triggers on every change to the status, its poll, votes or media
    # (migration 0018): cached entities are keyed by it (see `zwitscher.views`).
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ix_statuses_account_id_id", "account_id", "id"),
    # Also answers "did this viewer boost it", asked for every status shown (migration 0019).
    sa.Index("ix_statuses_reblog_of_id_account_id", "reblog_of_id", "account_id"),
)

status_edits = sa.Table(
    "status_edits", metadata,
    id_column(),
    reference("status_id", "statuses", index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_html", sa.Text, nullable=False),
    sa.Column("spoiler_text", sa.Text, nullable=False),
    sa.Column("sensitive", sa.Boolean, nullable=False),
    created(),
    # The attachments of this version, in order: [{"id", "description", "focus": [x, y]}]
    # (descriptions change with edits, so each version keeps its own); None before 0016.
    sa.Column("media", sa.JSON, nullable=True),
    # The poll's option titles at this version; None when it had no poll.
    sa.Column("poll_options", sa.JSON, nullable=True),
)

mentions = sa.Table(
    "mentions", metadata,
    reference("status_id", "statuses"),
    reference("account_id", "accounts", index=True),
    sa.PrimaryKeyConstraint("status_id", "account_id"),
)

tags = sa.Table(
    "tags", metadata,
    id_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_lower", sa.String(200), nullable=False, unique=True),
    created(),
)

status_tags = sa.Table(
    "status_tags", metadata,
    reference("status_id", "statuses"),
    reference("tag_id", "tags"),
    sa.PrimaryKeyConstraint("tag_id", "status_id"),
    sa.Index("ix_status_tags_status_id", "status_id"),
)


def _status_mark(name: str) -> sa.Table:
    """Favourites, bookmarks and pins: one row per (account, status), ordered by their own id."""
    return sa.Table(
        name, metadata,
        id_column(),
        reference("account_id", "accounts"),
        reference("status_id", "statuses", index=True),
        created(),
        sa.UniqueConstraint("account_id", "status_id"),
    )


favourites = _status_mark("favourites")
bookmarks = _status_mark("bookmarks")
pins = _status_mark("pins")

notifications = sa.Table(
    "notifications", metadata,
    id_column(),
    reference("account_id", "accounts"),
    reference("from_account_id", "accounts"),
    sa.Column("type", sa.String(32), nullable=False),
    reference("status_id", "statuses", nullable=True, index=True),
    created(),
    # Favourites and reblogs of one status, and follows, made within hours of each other share
    # a key (grouped notifications); NULL for the types that are never grouped.
    sa.Column("group_key", sa.String(96), nullable=True),
    # Held back by the recipient's notification policy: shown under notification requests.
    sa.Column("filtered", sa.Boolean, nullable=False, server_default=sa.false()),
    # What an `admin.report` notification is about.
    sa.Column("report_id", sa.BigInteger, sa.ForeignKey("reports.id", ondelete="CASCADE"),
              nullable=True),
    sa.Index("ix_notifications_account_id_id", "account_id", "id"),
    sa.Index("ix_notifications_account_id_group_key", "account_id", "group_key"),
)

home_feed = sa.Table(
    "home_feed", metadata,
    reference("account_id", "accounts"),
    reference("status_id", "statuses", index=True),
    # The author of the entry (the reblogger for reblogs): lets unfollow remove their entries.
    sa.Column("author_id", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("account_id", "status_id"),
)

# Where a person stopped reading, per timeline, so their apps resume there.
markers = sa.Table(
    "markers", metadata,
    reference("account_id", "accounts"),
    sa.Column("timeline", sa.String(16), nullable=False),
    sa.Column("last_read_id", sa.BigInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("account_id", "timeline"),
)

idempotency_keys = sa.Table(
    "idempotency_keys", metadata,
    reference("account_id", "accounts"),
    sa.Column("key", sa.String(200), nullable=False),
    reference("status_id", "statuses"),
    created(),
    sa.PrimaryKeyConstraint("account_id", "key"),
)


# Conversations a person muted (Mastodon's POST /api/v1/statuses/:id/mute): no notifications
# from replies in the thread that starts with `root_status_id`.
thread_mutes = sa.Table(
    "thread_mutes", metadata,
    id_column(),
    reference("account_id", "accounts"),
    sa.Column("root_status_id", sa.BigInteger, nullable=False),
    created(),
    sa.UniqueConstraint("account_id", "root_status_id"),
)
