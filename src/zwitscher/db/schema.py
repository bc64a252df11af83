"""The schema, in SQLAlchemy Core, portable between SQLite and PostgreSQL.

Every id is a time-sortable 64-bit integer from `domain.ids` (supplied by us, never by the
database), so `ORDER BY id DESC` is newest first and pagination is a range scan.
Migrations in `db/migrations` are generated from this module.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC (SQLite has no time zones), always returned aware in UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id(name: str = "id", **kw) -> sa.Column:
    return sa.Column(name, sa.BigInteger, primary_key=True, autoincrement=False, **kw)


def _ref(name: str, table: str, *, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"),
                     nullable=nullable, index=index)


def _created() -> sa.Column:
    return sa.Column("created_at", UTCDateTime, nullable=False)


accounts = sa.Table(
    "accounts", metadata,
    _id(),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("username_lower", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("fields", sa.JSON, nullable=False, default=list),
    sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("bot", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("discoverable", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("followers_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("following_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("statuses_count", sa.Integer, nullable=False, server_default="0"),
    # Hybrid fan-out: posts of accounts with very many followers are not written into each
    # follower's home feed but merged in when the feed is read. Set once the follower count
    # crosses the threshold and kept, so no post falls between the two ways.
    sa.Column("fan_out_on_read", sa.Boolean, nullable=False, server_default=sa.false()),
    # "person", or "brand": an account such as @press that several communicators post as.
    sa.Column("kind", sa.String(16), nullable=False, server_default="person"),
    # Follow back whoever follows this account (except accounts flagged by the quality score).
    sa.Column("follow_back", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("last_status_at", UTCDateTime, nullable=True),
    _created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

users = sa.Table(
    "users", metadata,
    _id(),
    _ref("account_id", "accounts"),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("email_lower", sa.String(320), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False, server_default="member"),
    sa.Column("approved", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("locale", sa.String(10), nullable=False, server_default="en"),
    sa.Column("registration_reason", sa.Text, nullable=False, server_default=""),
    # Preferences (Mastodon's `source` and `/api/v1/preferences`).
    sa.Column("default_visibility", sa.String(16), nullable=False, server_default="public"),
    sa.Column("default_sensitive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("default_language", sa.String(16), nullable=True),
    sa.Column("expand_media", sa.String(16), nullable=False, server_default="default"),
    sa.Column("expand_spoilers", sa.Boolean, nullable=False, server_default=sa.false()),
    # The company directory's id for this person (SCIM `externalId`).
    sa.Column("external_id", sa.String(200), nullable=True, unique=True),
    # The directory's `userName` (often an e-mail address, which a username cannot be), as the
    # directory sent it (compared case-insensitively); NULL when the person came from elsewhere.
    sa.Column("directory_user_name", sa.String(320), nullable=True, unique=True),
    _created(),
    sa.UniqueConstraint("account_id"),
)

invites = sa.Table(
    "invites", metadata,
    _id(),
    sa.Column("code", sa.String(64), nullable=False, unique=True),
    _ref("created_by_id", "accounts", nullable=True),
    sa.Column("max_uses", sa.Integer, nullable=True),
    sa.Column("uses", sa.Integer, nullable=False, server_default="0"),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    _created(),
)

oauth_apps = sa.Table(
    "oauth_apps", metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("website", sa.String(2000), nullable=True),
    sa.Column("redirect_uris", sa.JSON, nullable=False),
    sa.Column("scopes", sa.String(1000), nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False, unique=True),
    sa.Column("client_secret_hash", sa.String(64), nullable=False),
    _created(),
)

oauth_codes = sa.Table(
    "oauth_codes", metadata,
    _id(),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    _ref("app_id", "oauth_apps"),
    _ref("user_id", "users"),
    sa.Column("redirect_uri", sa.String(2000), nullable=False),
    sa.Column("scopes", sa.String(1000), nullable=False),
    sa.Column("code_challenge", sa.String(200), nullable=True),
    sa.Column("code_challenge_method", sa.String(10), nullable=True),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    _created(),
)

oauth_tokens = sa.Table(
    "oauth_tokens", metadata,
    _id(),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    _ref("app_id", "oauth_apps"),
    _ref("user_id", "users", nullable=True, index=True),
    # A delegated token: its person acts as this brand account (posts are attributed to them).
    _ref("acting_as_id", "accounts", nullable=True),
    sa.Column("scopes", sa.String(1000), nullable=False),
    sa.Column("revoked_at", UTCDateTime, nullable=True),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    # Issued by `zwitscher scim token` to a company directory: the only tokens SCIM accepts.
    sa.Column("directory", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
)

def _account_pair(name: str, *extra: sa.Column) -> sa.Table:
    """Follows, follow requests, blocks and mutes: one row per (account, target account)."""
    return sa.Table(
        name, metadata,
        _id(),
        _ref("account_id", "accounts"),
        _ref("target_account_id", "accounts", index=True),
        *extra,
        _created(),
        sa.UniqueConstraint("account_id", "target_account_id"),
    )


def _follow_options() -> list[sa.Column]:
    return [sa.Column("show_reblogs", sa.Boolean, nullable=False, server_default=sa.true()),
            sa.Column("notify", sa.Boolean, nullable=False, server_default=sa.false())]


follows = _account_pair("follows", *_follow_options())
follow_requests = _account_pair("follow_requests", *_follow_options())
blocks = _account_pair("blocks")
mutes = _account_pair(
    "mutes",
    sa.Column("hide_notifications", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("expires_at", UTCDateTime, nullable=True),
)

statuses = sa.Table(
    "statuses", metadata,
    _id(),
    _ref("account_id", "accounts"),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("content_html", sa.Text, nullable=False, server_default=""),
    sa.Column("spoiler_text", sa.Text, nullable=False, server_default=""),
    sa.Column("visibility", sa.String(16), nullable=False),
    sa.Column("sensitive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("in_reply_to_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("in_reply_to_account_id", sa.BigInteger, nullable=True),
    _ref("reblog_of_id", "statuses", nullable=True, index=True),
    sa.Column("application_id", sa.BigInteger, nullable=True),
    sa.Column("replies_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reblogs_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("favourites_count", sa.Integer, nullable=False, server_default="0"),
    _created(),
    sa.Column("edited_at", UTCDateTime, nullable=True),
    # The person who wrote it when the account is a brand account (else NULL: the account's
    # own person). Shown as "by ..." and notified of replies.
    _ref("posted_by_id", "accounts", nullable=True),
    sa.Index("ix_statuses_account_id_id", "account_id", "id"),
)

status_edits = sa.Table(
    "status_edits", metadata,
    _id(),
    _ref("status_id", "statuses", index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_html", sa.Text, nullable=False),
    sa.Column("spoiler_text", sa.Text, nullable=False),
    sa.Column("sensitive", sa.Boolean, nullable=False),
    _created(),
)

mentions = sa.Table(
    "mentions", metadata,
    _ref("status_id", "statuses"),
    _ref("account_id", "accounts", index=True),
    sa.PrimaryKeyConstraint("status_id", "account_id"),
)

tags = sa.Table(
    "tags", metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("name_lower", sa.String(200), nullable=False, unique=True),
    _created(),
)

status_tags = sa.Table(
    "status_tags", metadata,
    _ref("status_id", "statuses"),
    _ref("tag_id", "tags"),
    sa.PrimaryKeyConstraint("tag_id", "status_id"),
    sa.Index("ix_status_tags_status_id", "status_id"),
)


def _status_mark(name: str) -> sa.Table:
    """Favourites, bookmarks and pins: one row per (account, status), ordered by their own id."""
    return sa.Table(
        name, metadata,
        _id(),
        _ref("account_id", "accounts"),
        _ref("status_id", "statuses", index=True),
        _created(),
        sa.UniqueConstraint("account_id", "status_id"),
    )


favourites = _status_mark("favourites")
bookmarks = _status_mark("bookmarks")
pins = _status_mark("pins")

notifications = sa.Table(
    "notifications", metadata,
    _id(),
    _ref("account_id", "accounts"),
    _ref("from_account_id", "accounts"),
    sa.Column("type", sa.String(32), nullable=False),
    _ref("status_id", "statuses", nullable=True, index=True),
    _created(),
    sa.Index("ix_notifications_account_id_id", "account_id", "id"),
)

home_feed = sa.Table(
    "home_feed", metadata,
    _ref("account_id", "accounts"),
    _ref("status_id", "statuses", index=True),
    # The author of the entry (the reblogger for reblogs): lets unfollow remove their entries.
    sa.Column("author_id", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("account_id", "status_id"),
)

# Where a person stopped reading, per timeline, so their apps resume there.
markers = sa.Table(
    "markers", metadata,
    _ref("account_id", "accounts"),
    sa.Column("timeline", sa.String(16), nullable=False),
    sa.Column("last_read_id", sa.BigInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("account_id", "timeline"),
)

idempotency_keys = sa.Table(
    "idempotency_keys", metadata,
    _ref("account_id", "accounts"),
    sa.Column("key", sa.String(200), nullable=False),
    _ref("status_id", "statuses"),
    _created(),
    sa.PrimaryKeyConstraint("account_id", "key"),
)

# Organisations: groups managed centrally, brand accounts with several authors, the audit log.

groups = sa.Table(
    "groups", metadata,
    _id(),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    # Nesting: a region contains its branches; members of a branch are members of the region.
    sa.Column("parent_id", sa.BigInteger, sa.ForeignKey("groups.id", ondelete="SET NULL"),
              nullable=True, index=True),
    sa.Column("external_id", sa.String(200), nullable=True, unique=True),
    _created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Every (ancestor, descendant) pair of the group tree, each group its own ancestor too:
# "members of G" (G's members and those of every group below it) is one join, no recursion.
group_tree = sa.Table(
    "group_tree", metadata,
    _ref("ancestor_id", "groups"),
    _ref("descendant_id", "groups", index=True),
    sa.PrimaryKeyConstraint("ancestor_id", "descendant_id"),
)

group_members = sa.Table(
    "group_members", metadata,
    _ref("group_id", "groups"),
    _ref("account_id", "accounts", index=True),
    # "member", or "manager": may add and remove members of this group (and its subgroups).
    sa.Column("role", sa.String(16), nullable=False, server_default="member"),
    _created(),
    sa.PrimaryKeyConstraint("group_id", "account_id"),
)

status_groups = sa.Table(
    "status_groups", metadata,
    _ref("status_id", "statuses"),
    _ref("group_id", "groups", index=True),
    sa.PrimaryKeyConstraint("status_id", "group_id"),
)

brand_authors = sa.Table(
    "brand_authors", metadata,
    _ref("brand_id", "accounts"),
    _ref("author_id", "accounts", index=True),
    # Posts by this author wait for another author's approval before they are published.
    sa.Column("needs_approval", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
    sa.PrimaryKeyConstraint("brand_id", "author_id"),
)

brand_drafts = sa.Table(
    "brand_drafts", metadata,
    _id(),
    _ref("brand_id", "accounts"),
    _ref("author_id", "accounts"),
    # What the author asked to post (the parameters of POST /api/v1/statuses).
    sa.Column("params", sa.JSON, nullable=False),
    # pending -> approved (published, or scheduled) | rejected
    sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
    _ref("reviewer_id", "accounts", nullable=True),
    sa.Column("review_note", sa.Text, nullable=False, server_default=""),
    _ref("status_id", "statuses", nullable=True),
    sa.Column("scheduled_at", UTCDateTime, nullable=True),
    _created(),
    sa.Column("decided_at", UTCDateTime, nullable=True),
    sa.Index("ix_brand_drafts_brand_id_state", "brand_id", "state"),
)

account_quality = sa.Table(
    "account_quality", metadata,
    _ref("account_id", "accounts"),
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
    _id(),
    _ref("account_id", "accounts"),
    sa.Column("target_account_id", sa.BigInteger, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # "follow" or "unfollow"
    _created(),
    sa.Index("ix_follow_events_account_id_id", "account_id", "id"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    _id(),
    # Who did it: an account, or NULL for the directory (SCIM) and the command line. No
    # foreign key: the record outlives the account.
    sa.Column("actor_id", sa.BigInteger, nullable=True, index=True),
    sa.Column("actor_label", sa.String(200), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target_type", sa.String(32), nullable=False),
    sa.Column("target_id", sa.BigInteger, nullable=True),
    sa.Column("details", sa.JSON, nullable=False),
    _created(),
    sa.Index("ix_audit_log_target", "target_type", "target_id"),
)

jobs = sa.Table(
    "jobs", metadata,
    _id(),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, server_default="queued"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("run_at", UTCDateTime, nullable=False),
    sa.Column("locked_until", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    _created(),
    sa.Index("ix_jobs_state_run_at", "state", "run_at"),
)

# Followed and featured hashtags, endorsed accounts, dismissed suggestions, announcements.

tag_follows = sa.Table(
    "tag_follows", metadata,
    _id(),
    _ref("account_id", "accounts"),
    _ref("tag_id", "tags", index=True),
    _created(),
    sa.UniqueConstraint("account_id", "tag_id"),
)

featured_tags = sa.Table(
    "featured_tags", metadata,
    _id(),
    _ref("account_id", "accounts"),
    _ref("tag_id", "tags", index=True),
    _created(),
    sa.UniqueConstraint("account_id", "tag_id"),
)

# Accounts shown on a profile as recommended (Mastodon's account pins, "endorsements").
endorsements = _account_pair("endorsements")
# Accounts a person asked not to be suggested to follow again.
suggestion_dismissals = _account_pair("suggestion_dismissals")

announcements = sa.Table(
    "announcements", metadata,
    _id(),
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
    _created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

announcement_reads = sa.Table(
    "announcement_reads", metadata,
    _ref("announcement_id", "announcements"),
    _ref("account_id", "accounts", index=True),
    sa.PrimaryKeyConstraint("announcement_id", "account_id"),
)

announcement_reactions = sa.Table(
    "announcement_reactions", metadata,
    _ref("announcement_id", "announcements"),
    _ref("account_id", "accounts", index=True),
    sa.Column("name", sa.String(64), nullable=False),
    _created(),
    sa.PrimaryKeyConstraint("announcement_id", "account_id", "name"),
)
