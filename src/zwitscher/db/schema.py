"""The schema, in SQLAlchemy Core, portable between SQLite and PostgreSQL.

Every id is a time-sortable 64-bit integer from `domain.ids` (supplied by us, never by the
database), so `ORDER BY id DESC` is newest first and pagination is a range scan.
Migrations in `db/migrations` are generated from this module.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
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
    # Profile images: the store's key (to delete the file) and its URL (as `media_attachments`).
    sa.Column("avatar_key", sa.String(200), nullable=True),
    sa.Column("avatar_url", sa.String(2000), nullable=True),
    sa.Column("header_key", sa.String(200), nullable=True),
    sa.Column("header_url", sa.String(2000), nullable=True),
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
    # The attachments of this version, in order: [{"id", "description", "focus": [x, y]}]
    # (descriptions change with edits, so each version keeps its own); None before 0016.
    sa.Column("media", sa.JSON, nullable=True),
    # The poll's option titles at this version; None when it had no poll.
    sa.Column("poll_options", sa.JSON, nullable=True),
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

# Media attachments: uploaded images, first unattached (only their uploader sees them), then
# part of one status. The files live in the media store; a row keeps their keys (to delete
# them) and URLs (the store's answer when they were stored: a path from our own origin, or an
# absolute URL), so presenting a page of statuses needs no store at hand.
media_attachments = sa.Table(
    "media_attachments", metadata,
    _id(),
    _ref("account_id", "accounts", index=True),
    _ref("status_id", "statuses", nullable=True, index=True),
    # Order within the status, as the author gave `media_ids`.
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
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
    _created(),
    # An upload waiting with a scheduled status or a brand draft for its post: reserved, so
    # neither another post nor the cleaning of abandoned uploads takes it. Should the waiting
    # row go, the upload is free again (and its files are cleaned with it, never left behind).
    sa.Column("scheduled_status_id", sa.BigInteger,
              sa.ForeignKey("scheduled_statuses.id", ondelete="SET NULL"), nullable=True,
              index=True),
    sa.Column("brand_draft_id", sa.BigInteger,
              sa.ForeignKey("brand_drafts.id", ondelete="SET NULL"), nullable=True, index=True),
)

# Polls and scheduled statuses.

polls = sa.Table(
    "polls", metadata,
    _id(),
    _ref("status_id", "statuses"),
    # The option titles, in the order voters see them; votes refer to them by index.
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("multiple", sa.Boolean, nullable=False, server_default=sa.false()),
    # Per-option counts stay hidden from everyone but the author until the poll ends.
    sa.Column("hide_totals", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    # Set once voters and author have been told the poll ended, so they are told only once.
    sa.Column("ended_at", UTCDateTime, nullable=True),
    _created(),
    sa.UniqueConstraint("status_id"),
)

# One row per person who voted: its key is what makes a second vote fail, also when two
# arrive at once.
poll_voters = sa.Table(
    "poll_voters", metadata,
    _ref("poll_id", "polls"),
    _ref("account_id", "accounts", index=True),
    _created(),
    sa.PrimaryKeyConstraint("poll_id", "account_id"),
)

poll_votes = sa.Table(
    "poll_votes", metadata,
    _ref("poll_id", "polls"),
    _ref("account_id", "accounts", index=True),
    sa.Column("choice", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("poll_id", "account_id", "choice"),
)

scheduled_statuses = sa.Table(
    "scheduled_statuses", metadata,
    _id(),
    _ref("account_id", "accounts"),
    # The person who scheduled it when the account is a brand account (as `statuses`).
    _ref("posted_by_id", "accounts", nullable=True),
    sa.Column("application_id", sa.BigInteger, nullable=True),
    sa.Column("scheduled_at", UTCDateTime, nullable=False),
    # What to post (the parameters of POST /api/v1/statuses, as `brand_drafts.params`).
    sa.Column("params", sa.JSON, nullable=False),
    _created(),
    sa.Index("ix_scheduled_statuses_account_id_id", "account_id", "id"),
    sa.Index("ix_scheduled_statuses_account_id_scheduled_at", "account_id", "scheduled_at"),
)

# Full-text search over statuses: the one part of the schema that differs by engine (both
# kept by `db/repos/search.py`, both written in the transaction that writes the status).
# PostgreSQL: one tsvector per status, in this table, behind a GIN index.
status_search = sa.Table(
    "status_search", metadata,
    _ref("status_id", "statuses"),
    sa.Column("document", postgresql.TSVECTOR, nullable=False),
    sa.PrimaryKeyConstraint("status_id"),
    sa.Index("ix_status_search_document", "document", postgresql_using="gin"),
    info={"only_on": "postgresql"},
)
# SQLite: an FTS5 table of the same name (rowid = status id), which SQLAlchemy cannot
# describe; the migration creates it from this statement.
SQLITE_STATUS_SEARCH = ("CREATE VIRTUAL TABLE status_search USING fts5("
                        "document, tokenize = 'unicode61 remove_diacritics 2')")
# FTS5 keeps its index in shadow tables named after the virtual table.
SQLITE_STATUS_SEARCH_TABLES = frozenset(
    ["status_search"] + [f"status_search_{part}"
                         for part in ("data", "idx", "content", "docsize", "config")])


def schema_comparison(dialect_name: str) -> dict:
    """Alembic's `include_name` and `include_object` for comparing this module with a database
    on `dialect_name`: tables of another engine, and the FTS5 tables SQLAlchemy cannot
    describe, are left out (tests/test_migrations.py checks those on its own)."""

    def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
        return not (dialect_name == "sqlite" and type_ == "table"
                    and name in SQLITE_STATUS_SEARCH_TABLES)

    def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
        table = obj if type_ == "table" else getattr(obj, "table", None)
        only_on = table.info.get("only_on") if isinstance(table, sa.Table) else None
        return only_on in (None, dialect_name)

    return {"include_name": include_name, "include_object": include_object}


# Moderation: domain blocks and reports; notification policies and the requests they hold.

domain_blocks = sa.Table(
    "domain_blocks", metadata,
    _id(),
    _ref("account_id", "accounts"),
    sa.Column("domain", sa.String(253), nullable=False),  # lower case, no scheme or path
    _created(),
    sa.UniqueConstraint("account_id", "domain"),
)


def _moderator_ref(name: str) -> sa.Column:
    """A moderator handling a report: the report stays when their account goes."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=True)


reports = sa.Table(
    "reports", metadata,
    _id(),
    _ref("account_id", "accounts", index=True),
    _ref("target_account_id", "accounts", index=True),
    sa.Column("category", sa.String(16), nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    # The reported account's statuses the reporter attached (deleted ones drop out when shown).
    sa.Column("status_ids", sa.JSON, nullable=False),
    _moderator_ref("assigned_account_id"),
    _moderator_ref("action_taken_by_account_id"),
    sa.Column("action_taken_at", UTCDateTime, nullable=True),
    _created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# accept | filter | drop per condition; a person without a row has the defaults.
notification_policies = sa.Table(
    "notification_policies", metadata,
    _ref("account_id", "accounts"),
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
    _id(),
    _ref("account_id", "accounts"),
    _ref("from_account_id", "accounts", index=True),
    _created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("account_id", "from_account_id"),
)

# Senders whose request the recipient accepted: their notifications are never filtered again.
notification_permissions = sa.Table(
    "notification_permissions", metadata,
    _ref("account_id", "accounts"),
    _ref("from_account_id", "accounts", index=True),
    _created(),
    sa.PrimaryKeyConstraint("account_id", "from_account_id"),
)

# Lists: a person's selection of accounts they follow, read as a timeline of its own.

lists = sa.Table(
    "lists", metadata,
    _id(),
    _ref("account_id", "accounts", index=True),
    sa.Column("title", sa.String(256), nullable=False),
    # Replies to others shown: "followed" (to accounts the owner follows), "list" (to members
    # of the list), "none". Self-replies and replies to the owner always show.
    sa.Column("replies_policy", sa.String(16), nullable=False, server_default="list"),
    # Posts of members stay out of the owner's home timeline: they are read here instead.
    sa.Column("exclusive", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
)

list_accounts = sa.Table(
    "list_accounts", metadata,
    _id(),
    _ref("list_id", "lists"),
    _ref("account_id", "accounts", index=True),
    _created(),
    sa.UniqueConstraint("list_id", "account_id"),
)

# Conversations: threads of direct statuses. A conversation's id is that of its first direct
# status (no foreign key: the conversation outlives it); each participant has a row of their
# own, which they may mark read or remove without touching anyone else's.

status_conversations = sa.Table(
    "status_conversations", metadata,
    _ref("status_id", "statuses"),
    sa.Column("conversation_id", sa.BigInteger, nullable=False, index=True),
    sa.PrimaryKeyConstraint("status_id"),
)

account_conversations = sa.Table(
    "account_conversations", metadata,
    _id(),
    _ref("account_id", "accounts"),
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
    _id(),
    _ref("account_id", "accounts", index=True),
    sa.Column("title", sa.String(200), nullable=False),
    # Where it applies: a list of home, notifications, public, thread, account.
    sa.Column("context", sa.JSON, nullable=False),
    sa.Column("action", sa.String(16), nullable=False, server_default="warn"),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    _created(),
)

filter_keywords = sa.Table(
    "filter_keywords", metadata,
    _id(),
    _ref("filter_id", "filters", index=True),
    sa.Column("keyword", sa.String(100), nullable=False),
    sa.Column("whole_word", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
)

filter_statuses = sa.Table(
    "filter_statuses", metadata,
    _id(),
    _ref("filter_id", "filters"),
    _ref("status_id", "statuses", index=True),
    _created(),
    sa.UniqueConstraint("filter_id", "status_id"),
)

# --- Web Push -------------------------------------------------------------------------------

# Key pairs the server signs with, shared by every web and worker process (the VAPID key that
# push services check on every message must not differ between processes or restarts).
server_keys = sa.Table(
    "server_keys", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    # PKCS#8 PEM of the private key; the public key in the form clients are given.
    sa.Column("private_key", sa.Text, nullable=False),
    sa.Column("public_key", sa.String(200), nullable=False),
    _created(),
)

# One subscription per access token (Mastodon's rule): an app's device subscribes with the
# token it signed in with, and revoking the token ends the subscription.
push_subscriptions = sa.Table(
    "push_subscriptions", metadata,
    _id(),
    _ref("token_id", "oauth_tokens"),
    _ref("account_id", "accounts", index=True),
    sa.Column("endpoint", sa.String(2000), nullable=False),
    # The browser's (or app's) P-256 public key and auth secret, base64url without padding.
    sa.Column("p256dh", sa.String(100), nullable=False),
    sa.Column("auth", sa.String(50), nullable=False),
    # RFC 8291 `aes128gcm` (true) or the draft `aesgcm` encoding older Mastodon apps expect.
    sa.Column("standard", sa.Boolean, nullable=False, server_default=sa.false()),
    # {"mention": true, ...}: which notification types to push.
    sa.Column("alerts", sa.JSON, nullable=False),
    # all | followed | follower | none: whose notifications to push.
    sa.Column("policy", sa.String(16), nullable=False, server_default="all"),
    # The access token itself: Mastodon's push payload carries it, and apps that hold several
    # accounts find the account a push is for by it. The one place a token is kept readable;
    # the row goes when the token is revoked.
    sa.Column("access_token", sa.String(200), nullable=False),
    _created(),
    sa.UniqueConstraint("token_id"),
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

# Custom emojis: pictures the organisation's admins upload, used in text as `:shortcode:`.

custom_emojis = sa.Table(
    "custom_emojis", metadata,
    _id(),
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
    _created(),
)

# Web sessions: a browser signed in to the web interface. Each holds its own OAuth token (of
# the built-in web app), so the services, visibility and streaming see the same `Viewer` as for
# an API client, and revoking a person's tokens (disabling them) ends their browser sessions.

web_sessions = sa.Table(
    "web_sessions", metadata,
    _id(),
    # SHA-256 of the cookie's secret, as `oauth_tokens.token_hash`: a database leak is no login.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    _ref("user_id", "users", index=True),
    _ref("oauth_token_id", "oauth_tokens"),
    sa.Column("user_agent", sa.String(300), nullable=False, server_default=""),
    _created(),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
)
