"""Link preview cards: one per linked page, shared by every status that links it."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference

# What a page says about itself (Mastodon's PreviewCard), fetched by a job, under the page's
# own URL (after redirects, or its canonical URL). The image is a copy in our media store:
# clients never load it from the linked site. Fetched again when a status links it after
# `fetched_at` is long past (`services/fetch_link_card.py`).
preview_cards = sa.Table(
    "preview_cards", metadata,
    id_column(),
    sa.Column("url", sa.String(2000), nullable=False, unique=True),
    sa.Column("type", sa.String(16), nullable=False, server_default="link"),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("author_name", sa.Text, nullable=False, server_default=""),
    sa.Column("author_url", sa.Text, nullable=False, server_default=""),
    sa.Column("provider_name", sa.Text, nullable=False, server_default=""),
    sa.Column("provider_url", sa.Text, nullable=False, server_default=""),
    # A video's player: one iframe, sanitised.
    sa.Column("html", sa.Text, nullable=False, server_default=""),
    sa.Column("width", sa.Integer, nullable=False, server_default="0"),
    sa.Column("height", sa.Integer, nullable=False, server_default="0"),
    sa.Column("image_key", sa.String(200), nullable=True),
    sa.Column("image_url", sa.String(2000), nullable=True),
    sa.Column("image_width", sa.Integer, nullable=False, server_default="0"),
    sa.Column("image_height", sa.Integer, nullable=False, server_default="0"),
    sa.Column("image_description", sa.Text, nullable=False, server_default=""),
    sa.Column("blurhash", sa.String(100), nullable=True),
    sa.Column("embed_url", sa.Text, nullable=False, server_default=""),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("published_at", UTCDateTime, nullable=True),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    created(),
)

# The card a status shows, and the link it was found by (as the status has it: a shortened
# link leads to a card under another URL). Inserting or deleting a row, or changing its card,
# bumps the status's version (migration 0031), so cached entities show the card.
status_preview_cards = sa.Table(
    "status_preview_cards", metadata,
    reference("status_id", "statuses"),
    reference("preview_card_id", "preview_cards", index=True),
    sa.Column("url", sa.String(2000), nullable=False, index=True),
    sa.PrimaryKeyConstraint("status_id"),
)
