"""Browser sessions of the web interface."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    created,
    id_column,
    metadata,
    reference,
)

# Web sessions: a browser signed in to the web interface. Each holds its own OAuth token (of
# the built-in web app), so the services, visibility and streaming see the same `Viewer` as for
# an API client, and revoking a person's tokens (disabling them) ends their browser sessions.

web_sessions = sa.Table(
    "web_sessions", metadata,
    id_column(),
    # SHA-256 of the cookie's secret, as `oauth_tokens.token_hash`: a database leak is no login.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    reference("user_id", "users", index=True),
    # Indexed: the audit log asks which session an admin's token belongs to.
    reference("oauth_token_id", "oauth_tokens", index=True),
    sa.Column("user_agent", sa.String(300), nullable=False, server_default=""),
    # How the browser signed in: "password" (the account's own), "ldap" (the directory's
    # password), either with "+totp", "+recovery" or "+key" (a second factor), "passkey",
    # "sso" (OpenID Connect), "setup" (the first run's owner).
    sa.Column("method", sa.String(32), nullable=False, server_default="password"),
    # The provider's ID token of a single sign-on, sent back when signing out there too.
    sa.Column("id_token", sa.Text, nullable=True),
    created(),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
)

# A single sign-on under way: the browser went to the identity provider and is expected back
# with `state`. Used once; bound to the browser that started it (its cookie secret's digest),
# so a link with someone else's `state` signs nobody in.
sign_in_attempts = sa.Table(
    "sign_in_attempts", metadata,
    id_column(),
    sa.Column("state_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("browser_hash", sa.String(64), nullable=False),
    sa.Column("nonce", sa.String(100), nullable=False),
    sa.Column("code_verifier", sa.String(100), nullable=False),
    # Where the browser goes once signed in (a path of ours, e.g. an app's authorization page).
    sa.Column("next_path", sa.String(2000), nullable=False, server_default="/web/home"),
    sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
    created(),
)

# Who a person is at the identity provider: its issuer and the `sub` it gives them (stable,
# unlike an e-mail address or a name).
user_identities = sa.Table(
    "user_identities", metadata,
    id_column(),
    reference("user_id", "users", index=True),
    sa.Column("issuer", sa.String(500), nullable=False),
    sa.Column("subject", sa.String(255), nullable=False),
    created(),
    sa.Column("last_used_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("issuer", "subject"),
)

# Ten single-use codes for a person who lost their authenticator, as SHA-256 (each has 80
# random bits: a leaked table is no way in).
recovery_codes = sa.Table(
    "recovery_codes", metadata,
    id_column(),
    reference("user_id", "users", index=True),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    created(),
)

# A browser whose password was right, asked for its person's second factor. One per browser
# (its cookie secret's digest), for five minutes and a few wrong codes.
pending_sign_ins = sa.Table(
    "pending_sign_ins", metadata,
    id_column(),
    sa.Column("browser_hash", sa.String(64), nullable=False, unique=True),
    reference("user_id", "users", index=True),
    sa.Column("next_path", sa.String(2000), nullable=False, server_default="/web/home"),
    # How the password was checked: "password" or "ldap" (the session's method begins so).
    sa.Column("first_step", sa.String(16), nullable=False, server_default="password"),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
    created(),
)

# Browsers a person has signed in from (their anonymous cookie's digest): a sign-in from one
# not in here is news to the person (an e-mail, if they want one).
known_browsers = sa.Table(
    "known_browsers", metadata,
    id_column(),
    reference("user_id", "users"),
    sa.Column("browser_hash", sa.String(64), nullable=False),
    created(),
    sa.UniqueConstraint("user_id", "browser_hash"),
)

# WebAuthn credentials (security keys, passkeys): the credential id (base64url) and public key
# the authenticator made, and its signature counter (a cloned key shows as a counter going
# back).
security_keys = sa.Table(
    "security_keys", metadata,
    id_column(),
    reference("user_id", "users", index=True),
    sa.Column("credential_id", sa.String(1400), nullable=False, unique=True),
    sa.Column("public_key", sa.LargeBinary, nullable=False),
    sa.Column("sign_count", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("name", sa.String(100), nullable=False),
    created(),
    sa.Column("last_used_at", UTCDateTime, nullable=True),
)

# The challenge a browser's WebAuthn ceremony must sign (one at a time per browser, minutes).
webauthn_challenges = sa.Table(
    "webauthn_challenges", metadata,
    id_column(),
    sa.Column("browser_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("challenge", sa.String(200), nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
    created(),
)
