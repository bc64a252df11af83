"""Organisations: groups managed centrally, brand accounts with several authors, quality scores,
the audit log.
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

groups = sa.Table(
    "groups", metadata,
    id_column(),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    # Nesting: a region contains its branches; members of a branch are members of the region.
    sa.Column("parent_id", sa.BigInteger, sa.ForeignKey("groups.id", ondelete="SET NULL"),
              nullable=True, index=True),
    sa.Column("external_id", sa.String(200), nullable=True, unique=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # A press group (`policies/press.py`): journalists are its guests, and anyone may ask to
    # join it (an accreditation request). The press name and description are what the public
    # reads of it; the group's own name stays the organisation's business.
    sa.Column("press", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("press_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("press_description", sa.Text, nullable=False, server_default=""),
)

# Every (ancestor, descendant) pair of the group tree, each group its own ancestor too:
# "members of G" (G's members and those of every group below it) is one join, no recursion.
group_tree = sa.Table(
    "group_tree", metadata,
    reference("ancestor_id", "groups"),
    reference("descendant_id", "groups", index=True),
    sa.PrimaryKeyConstraint("ancestor_id", "descendant_id"),
)

group_members = sa.Table(
    "group_members", metadata,
    reference("group_id", "groups"),
    reference("account_id", "accounts", index=True),
    # "member"; "manager": may add and remove members of this group (and its subgroups);
    # "moderator": handles reports about them (`policies.group_moderation`).
    sa.Column("role", sa.String(16), nullable=False, server_default="member"),
    created(),
    sa.PrimaryKeyConstraint("group_id", "account_id"),
)

status_groups = sa.Table(
    "status_groups", metadata,
    reference("status_id", "statuses"),
    reference("group_id", "groups", index=True),
    sa.PrimaryKeyConstraint("status_id", "group_id"),
)

brand_authors = sa.Table(
    "brand_authors", metadata,
    reference("brand_id", "accounts"),
    reference("author_id", "accounts", index=True),
    # Posts by this author wait for another author's approval before they are published.
    sa.Column("needs_approval", sa.Boolean, nullable=False, server_default=sa.false()),
    created(),
    sa.PrimaryKeyConstraint("brand_id", "author_id"),
)

brand_drafts = sa.Table(
    "brand_drafts", metadata,
    id_column(),
    reference("brand_id", "accounts"),
    reference("author_id", "accounts"),
    # What the author asked to post (the parameters of POST /api/v1/statuses).
    sa.Column("params", sa.JSON, nullable=False),
    # pending -> approved (published, or scheduled) | rejected
    sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
    reference("reviewer_id", "accounts", nullable=True),
    sa.Column("review_note", sa.Text, nullable=False, server_default=""),
    reference("status_id", "statuses", nullable=True),
    sa.Column("scheduled_at", UTCDateTime, nullable=True),
    created(),
    sa.Column("decided_at", UTCDateTime, nullable=True),
    sa.Index("ix_brand_drafts_brand_id_state", "brand_id", "state"),
)

account_quality = sa.Table(
    "account_quality", metadata,
    reference("account_id", "accounts"),
    sa.Column("score", sa.Float, nullable=False),
    # What the signals say the account is: follower_collector, republisher, link_spammer.
    sa.Column("flags", sa.JSON, nullable=False),
    # Whether `flags` is not empty, as a column to filter on (portable, unlike JSON tests).
    sa.Column("flagged", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("signals", sa.JSON, nullable=False),
    sa.Column("computed_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("account_id"),
)

# Follows begun and ended by choice, kept for the quality score's window: follower collectors
# follow many and soon drop those who did not follow back. No foreign key on the target: the
# record of someone's churn outlives the accounts they followed.
follow_events = sa.Table(
    "follow_events", metadata,
    id_column(),
    reference("account_id", "accounts"),
    sa.Column("target_account_id", sa.BigInteger, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # "follow" or "unfollow"
    created(),
    sa.Index("ix_follow_events_account_id_id", "account_id", "id"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    id_column(),
    # Who did it: an account, or NULL for the directory (SCIM) and the command line. No
    # foreign key: the record outlives the account.
    sa.Column("actor_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("actor_label", sa.String(200), nullable=False),
    # How the person signed in: a web session's method ("password+totp", "sso", "passkey"...)
    # or "app: NAME"; NULL for the organisation's own systems.
    sa.Column("actor_signed_in_with", sa.String(200), nullable=True),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target_type", sa.String(32), nullable=False),
    sa.Column("target_id", sa.BigInteger, nullable=True),
    sa.Column("details", sa.JSON, nullable=False),
    created(),
    sa.Index("ix_audit_log_target", "target_type", "target_id"),
)
