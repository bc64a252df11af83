"""account deletion with a grace period and retention policies per visibility

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch: rebuilding `accounts` on SQLite would drop the
    # version trigger of migration 0018. Retention policies are instance settings (a row of
    # `instance_settings`): they need no table.
    op.add_column('accounts', sa.Column('deleted_at', zwitscher.db.schema.UTCDateTime(),
                                        nullable=True))
    op.create_table(
        'account_deletions',
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('requested_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.Column('delete_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_account_deletions_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_account_deletions')))


def downgrade() -> None:
    op.drop_table('account_deletions')
    op.drop_column('accounts', 'deleted_at')
