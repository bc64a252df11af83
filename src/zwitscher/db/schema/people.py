"""People and their sign-in: accounts, users, invitations, OAuth, and the pairs between accounts
(follows, requests, blocks, mutes).
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

accounts = sa.Table(
    "accounts", metadata,
    id_column(),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("username_lower", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("fields", sa.JSON, nullable=False, default=list),
    sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("bot", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("discoverable", sa.Boolean, nullable=False, server_default=sa.true()),
    # Mastodon's: whether public posts may be found by full-text search, and whether the
    # profile hides whom it follows and who follows it.
    sa.Column("indexable", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("hide_collections", sa.Boolean, nullable=False, server_default=sa.false()),
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
    # Set by moderators: the account's posts reach only its followers (see
    # `policies.visibility.limited_for`).
    sa.Column("limited_at", UTCDateTime, nullable=True, index=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # Profile images: the store's key (to delete the file) and its URL (as `media_attachments`).
    sa.Column("avatar_key", sa.String(200), nullable=True),
    sa.Column("avatar_url", sa.String(2000), nullable=True),
    sa.Column("header_key", sa.String(200), nullable=True),
    sa.Column("header_url", sa.String(2000), nullable=True),
    # Bumped by a database trigger on every change to the row (migration 0018): cached
    # account entities are keyed by it (see `zwitscher.views`).
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    # The person deleted the account (docs/data-rights.md): from then on it and its posts are
    # shown to nobody. While `account_deletions` holds it the person may still keep it; once
    # their data is gone the row stays as a tombstone, so the username is never given again.
    sa.Column("deleted_at", UTCDateTime, nullable=True),
)

users = sa.Table(
    "users", metadata,
    id_column(),
    reference("account_id", "accounts"),
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
    # The directory deleted this person (SCIM DELETE): deactivated, and to SCIM gone (404, in
    # no query) until the directory creates them again (RFC 7644 §3.6).
    sa.Column("directory_deleted_at", UTCDateTime, nullable=True),
    # Two-factor authentication: the TOTP secret (base32) once confirmed, and the last time
    # step whose code was accepted (no code is accepted twice, nor an older one).
    sa.Column("totp_secret", sa.String(64), nullable=True),
    sa.Column("totp_last_step", sa.BigInteger, nullable=True),
    # An admin requires a second factor of this person (besides the roles that need one).
    sa.Column("second_factor_required", sa.Boolean, nullable=False, server_default=sa.false()),
    # The IANA time zone the person reads times in (None: the browser's, else UTC).
    sa.Column("time_zone", sa.String(64), nullable=True),
    # An e-mail when the account signs in from a browser it never signed in from before.
    sa.Column("notify_new_sign_in", sa.Boolean, nullable=False, server_default=sa.true()),
    # Mastodon's `confirmed`: whether the address was shown to be the person's. Only people who
    # sign themselves up start unconfirmed (an operator or a directory vouches for the others);
    # the app they signed up with may send the link again (`/api/v1/emails/confirmations`).
    sa.Column("confirmed", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("signed_up_with_app_id", sa.BigInteger, nullable=True),
    # A new address the person asked for, in effect once its link is followed.
    sa.Column("unconfirmed_email", sa.String(320), nullable=True),
    created(),
    sa.UniqueConstraint("account_id"),
)

# Accounts whose deletion is scheduled, until their data is gone (a cancelled one loses its row):
# the job `PurgeAccount` removes the data at `delete_at`.
account_deletions = sa.Table(
    "account_deletions", metadata,
    reference("account_id", "accounts"),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    sa.Column("delete_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("account_id"),
)

# Single-use links sent by e-mail (a password reset, a welcome's set-password link, an
# address to confirm): the
# database keeps the SHA-256 of the secret only, so a leak of it opens no account.
user_tokens = sa.Table(
    "user_tokens", metadata,
    id_column(),
    reference("user_id", "users", index=True),
    sa.Column("purpose", sa.String(32), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    created(),
)

invites = sa.Table(
    "invites", metadata,
    id_column(),
    sa.Column("code", sa.String(64), nullable=False, unique=True),
    reference("created_by_id", "accounts", nullable=True),
    sa.Column("max_uses", sa.Integer, nullable=True),
    sa.Column("uses", sa.Integer, nullable=False, server_default="0"),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    created(),
)

oauth_apps = sa.Table(
    "oauth_apps", metadata,
    id_column(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("website", sa.String(2000), nullable=True),
    sa.Column("redirect_uris", sa.JSON, nullable=False),
    sa.Column("scopes", sa.String(1000), nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False, unique=True),
    sa.Column("client_secret_hash", sa.String(64), nullable=False),
    created(),
)

oauth_codes = sa.Table(
    "oauth_codes", metadata,
    id_column(),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    reference("app_id", "oauth_apps"),
    reference("user_id", "users"),
    sa.Column("redirect_uri", sa.String(2000), nullable=False),
    sa.Column("scopes", sa.String(1000), nullable=False),
    sa.Column("code_challenge", sa.String(200), nullable=True),
    sa.Column("code_challenge_method", sa.String(10), nullable=True),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    created(),
)

oauth_tokens = sa.Table(
    "oauth_tokens", metadata,
    id_column(),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    reference("app_id", "oauth_apps"),
    reference("user_id", "users", nullable=True, index=True),
    # A delegated token: its person acts as this brand account (posts are attributed to them).
    reference("acting_as_id", "accounts", nullable=True),
    sa.Column("scopes", sa.String(1000), nullable=False),
    sa.Column("revoked_at", UTCDateTime, nullable=True),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    # Issued by `zwitscher scim token` to a company directory: the only tokens SCIM accepts.
    sa.Column("directory", sa.Boolean, nullable=False, server_default=sa.false()),
    # Directory tokens only: when SCIM last accepted it, to the minute (`record_token_use`).
    sa.Column("last_used_at", UTCDateTime, nullable=True),
    created(),
)

def _follow_options() -> list[sa.Column]:
    return [sa.Column("show_reblogs", sa.Boolean, nullable=False, server_default=sa.true()),
            sa.Column("notify", sa.Boolean, nullable=False, server_default=sa.false())]


follows = account_pair("follows", *_follow_options())
follow_requests = account_pair("follow_requests", *_follow_options())
blocks = account_pair("blocks")
# A private note one person keeps about another (Mastodon's account note).
account_notes = account_pair(
    "account_notes",
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
mutes = account_pair(
    "mutes",
    sa.Column("hide_notifications", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("expires_at", UTCDateTime, nullable=True),
)
