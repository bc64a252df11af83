"""What an admin sets about the instance itself in the console (title, description, rules,
who may sign up): one row per setting, over the operator's environment defaults."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, metadata

instance_settings = sa.Table(
    "instance_settings", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
    # Every process compares the newest of these with what it applied (`keep_instance_current`).
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
