"""moderators may limit an account (Mastodon's "limited", once "silenced")

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch: rebuilding `accounts` on SQLite would drop the
    # version trigger of migration 0018.
    op.add_column('accounts', sa.Column('limited_at', zwitscher.db.schema.UTCDateTime(),
                                        nullable=True))
    op.create_index(op.f('ix_accounts_limited_at'), 'accounts', ['limited_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_accounts_limited_at'), table_name='accounts')
    op.drop_column('accounts', 'limited_at')
