"""Press releases of brand accounts, with embargoes, and the newsroom's e-mail subscribers.

A release is written ahead of its publication. Until `publish_at` (the end of the embargo) it
exists only here: no status, so no timeline, search, stream, push or feed can carry it. From
`preview_at` the members of its press groups read it in the press room (and are e-mailed);
at `publish_at` the job system posts it as a status of the brand (`status_id`), public or
addressed to the press groups, and mails the newsroom's subscribers.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference

press_releases = sa.Table(
    "press_releases", metadata,
    id_column(),
    reference("brand_id", "accounts", index=True),
    # The communicator who wrote it (shown by name, as the brand signature shows authors).
    sa.Column("written_by_id", sa.BigInteger,
              sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("headline", sa.String(200), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("language", sa.String(8), nullable=True),
    # Whom journalists ask: a person of the organisation, and how to reach them.
    sa.Column("contact_id", sa.BigInteger,
              sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("contact_details", sa.String(500), nullable=False, server_default=""),
    # Addressed to the public (else only to its press groups, also after publication).
    sa.Column("public", sa.Boolean, nullable=False),
    sa.Column("preview_at", UTCDateTime, nullable=False),
    sa.Column("publish_at", UTCDateTime, nullable=False, index=True),
    # Set once by the job that read the release to its press groups (mails sent).
    sa.Column("previewed_at", UTCDateTime, nullable=True),
    sa.Column("status_id", sa.BigInteger,
              sa.ForeignKey("statuses.id", ondelete="SET NULL"), nullable=True, unique=True),
    sa.Column("published_at", UTCDateTime, nullable=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

press_release_groups = sa.Table(
    "press_release_groups", metadata,
    reference("release_id", "press_releases"),
    reference("group_id", "groups", index=True),
    sa.PrimaryKeyConstraint("release_id", "group_id"),
)

# People outside the organisation who get a brand's releases by e-mail. A row is a request
# until its address is confirmed (double opt-in); unsubscribing deletes it.
newsroom_subscribers = sa.Table(
    "newsroom_subscribers", metadata,
    id_column(),
    reference("brand_id", "accounts"),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    # A hash of the secret in the links of every message to this subscriber.
    sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
    sa.Column("confirmed_at", UTCDateTime, nullable=True),
    created(),
    sa.UniqueConstraint("brand_id", "email"),
)
