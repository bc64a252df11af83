"""custom emojis

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 17:56:03
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('custom_emojis',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('shortcode', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('visible_in_picker', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('disabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('image_key', sa.String(length=200), nullable=False),
    sa.Column('image_url', sa.String(length=2000), nullable=False),
    sa.Column('static_key', sa.String(length=200), nullable=False),
    sa.Column('static_url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_emojis')),
    sa.UniqueConstraint('shortcode', name=op.f('uq_custom_emojis_shortcode'))
    )


def downgrade() -> None:
    op.drop_table('custom_emojis')
