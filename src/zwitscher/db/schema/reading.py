"""How people sort their reading: lists, conversations and filters."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    created,
    id_column,
    metadata,
    reference,
)

# Lists: a person's selection of accounts they follow, read as a timeline of its own.

lists = sa.Table(
    "lists", metadata,
    id_column(),
    reference("account_id", "accounts", index=True),
    sa.Column("title", sa.String(256), nullable=False),
    # Replies to others shown: "followed" (to accounts the owner follows), "list" (to members
    # of the list), "none". Self-replies and replies to the owner always show.
    sa.Column("replies_policy", sa.String(16), nullable=False, server_default="list"),
    # Posts of members stay out of the owner's home timeline: they are read here instead.
    sa.Column("exclusive", sa.Boolean, nullable=False, server_default=sa.false()),
    created(),
)

list_accounts = sa.Table(
    "list_accounts", metadata,
    id_column(),
    reference("list_id", "lists"),
    reference("account_id", "accounts", index=True),
    created(),
    sa.UniqueConstraint("list_id", "account_id"),
)

# Conversations: threads of direct statuses. A conversation's id is that of its first direct
# status (no foreign key: the conversation outlives it); each participant has a row of their
# own, which they may mark read or remove without touching anyone else's.

status_conversations = sa.Table(
    "status_conversations", metadata,
    reference("status_id", "statuses"),
    sa.Column("conversation_id", sa.BigInteger, nullable=False, index=True),
    sa.PrimaryKeyConstraint("status_id"),
)

account_conversations = sa.Table(
    "account_conversations", metadata,
    id_column(),
    reference("account_id", "accounts"),
    sa.Column("conversation_id", sa.BigInteger, nullable=False),
    # Everyone who wrote or was addressed in the statuses this participant received.
    sa.Column("participant_ids", sa.JSON, nullable=False),
    # No foreign key: deleting a status moves this to the conversation's previous one.
    sa.Column("last_status_id", sa.BigInteger, nullable=False),
    sa.Column("unread", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("account_id", "conversation_id"),
    sa.Index("ix_account_conversations_account_id_last_status_id",
             "account_id", "last_status_id"),
)

# Filters (Mastodon's v2): each person's keyword and status filters, applied when statuses are
# presented to them and on their streams.

filters = sa.Table(
    "filters", metadata,
    id_column(),
    reference("account_id", "accounts", index=True),
    sa.Column("title", sa.String(200), nullable=False),
    # Where it applies: a list of home, notifications, public, thread, account.
    sa.Column("context", sa.JSON, nullable=False),
    sa.Column("action", sa.String(16), nullable=False, server_default="warn"),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    created(),
)

filter_keywords = sa.Table(
    "filter_keywords", metadata,
    id_column(),
    reference("filter_id", "filters", index=True),
    sa.Column("keyword", sa.String(100), nullable=False),
    sa.Column("whole_word", sa.Boolean, nullable=False, server_default=sa.true()),
    created(),
)

filter_statuses = sa.Table(
    "filter_statuses", metadata,
    id_column(),
    reference("filter_id", "filters"),
    reference("status_id", "statuses", index=True),
    created(),
    sa.UniqueConstraint("filter_id", "status_id"),
)

# What every cached entity shows and changes rarely, counted: `emojis` (the custom emojis a
# text may use) and `groups` (the names of addressed groups). Triggers bump a row when its
# table changes (migration 0018); the page statement reads them, so a change there renders
# every cached entity again (`zwitscher.views`).
read_generations = sa.Table(
    "read_generations", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("generation", sa.Integer, nullable=False, server_default="0"),
)
