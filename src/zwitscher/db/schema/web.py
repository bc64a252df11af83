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
    reference("oauth_token_id", "oauth_tokens"),
    sa.Column("user_agent", sa.String(300), nullable=False, server_default=""),
    created(),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
)
