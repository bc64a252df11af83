"""Web Push: the server's signing keys and the subscriptions of devices."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    created,
    id_column,
    metadata,
    reference,
)

# Key pairs the server signs with, shared by every web and worker process (the VAPID key that
# push services check on every message must not differ between processes or restarts).
server_keys = sa.Table(
    "server_keys", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    # PKCS#8 PEM of the private key; the public key in the form clients are given.
    sa.Column("private_key", sa.Text, nullable=False),
    sa.Column("public_key", sa.String(200), nullable=False),
    created(),
)

# One subscription per access token (Mastodon's rule): an app's device subscribes with the
# token it signed in with, and revoking the token ends the subscription.
push_subscriptions = sa.Table(
    "push_subscriptions", metadata,
    id_column(),
    reference("token_id", "oauth_tokens"),
    reference("account_id", "accounts", index=True),
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
    created(),
    sa.UniqueConstraint("token_id"),
)
