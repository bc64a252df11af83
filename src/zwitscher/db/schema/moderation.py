"""Moderation: domain blocks and reports; notification policies and the requests they hold."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    created,
    id_column,
    metadata,
    reference,
)

domain_blocks = sa.Table(
    "domain_blocks", metadata,
    id_column(),
    reference("account_id", "accounts"),
    sa.Column("domain", sa.String(253), nullable=False),  # lower case, no scheme or path
    created(),
    sa.UniqueConstraint("account_id", "domain"),
)


def _moderator_ref(name: str) -> sa.Column:
    """A moderator handling a report: the report stays when their account goes."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=True)


reports = sa.Table(
    "reports", metadata,
    id_column(),
    reference("account_id", "accounts", index=True),
    reference("target_account_id", "accounts", index=True),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    # The reported account's statuses the reporter attached (deleted ones drop out when shown).
    sa.Column("status_ids", sa.JSON, nullable=False),
    _moderator_ref("assigned_account_id"),
    _moderator_ref("action_taken_by_account_id"),
    sa.Column("action_taken_at", UTCDateTime, nullable=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# accept | filter | drop per condition; a person without a row has the defaults.
notification_policies = sa.Table(
    "notification_policies", metadata,
    reference("account_id", "accounts"),
    sa.Column("for_not_following", sa.String(8), nullable=False, server_default="accept"),
    sa.Column("for_not_followers", sa.String(8), nullable=False, server_default="accept"),
    sa.Column("for_new_accounts", sa.String(8), nullable=False, server_default="accept"),
    sa.Column("for_private_mentions", sa.String(8), nullable=False, server_default="accept"),
    sa.Column("for_limited_accounts", sa.String(8), nullable=False, server_default="filter"),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("account_id"),
)

# One per (recipient, sender) with filtered notifications; its count and last status are read
# from those notifications, so deleted statuses never leave a stale number behind.
notification_requests = sa.Table(
    "notification_requests", metadata,
    id_column(),
    reference("account_id", "accounts"),
    reference("from_account_id", "accounts", index=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("account_id", "from_account_id"),
)

# Senders whose request the recipient accepted: their notifications are never filtered again.
notification_permissions = sa.Table(
    "notification_permissions", metadata,
    reference("account_id", "accounts"),
    reference("from_account_id", "accounts", index=True),
    created(),
    sa.PrimaryKeyConstraint("account_id", "from_account_id"),
)
