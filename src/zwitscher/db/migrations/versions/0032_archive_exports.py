"""a person's archive export, produced by a job

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'archive_exports',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('state', sa.String(length=16), server_default='queued', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('locked_until', zwitscher.db.schema.UTCDateTime(), nullable=True),
        sa.Column('file_key', sa.String(length=200), nullable=True),
        sa.Column('file_size', sa.BigInteger(), nullable=True),
        sa.Column('ready_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
        sa.Column('expires_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
        sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_archive_exports_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_archive_exports')))
    op.create_index('ix_archive_exports_account_id_id', 'archive_exports', ['account_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_archive_exports_account_id_id', table_name='archive_exports')
    op.drop_table('archive_exports')
