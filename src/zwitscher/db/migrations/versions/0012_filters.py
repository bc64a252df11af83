"""filters: keyword and status filters (Mastodon v2)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 17:19:55.002308
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('filters',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('action', sa.String(length=16), server_default='warn', nullable=False),
    sa.Column('expires_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_filters_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filters'))
    )
    with op.batch_alter_table('filters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filters_account_id'), ['account_id'], unique=False)

    op.create_table('filter_keywords',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('filter_id', sa.BigInteger(), nullable=False),
    sa.Column('keyword', sa.String(length=100), nullable=False),
    sa.Column('whole_word', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['filter_id'], ['filters.id'], name=op.f('fk_filter_keywords_filter_id_filters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filter_keywords'))
    )
    with op.batch_alter_table('filter_keywords', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filter_keywords_filter_id'), ['filter_id'], unique=False)

    op.create_table('filter_statuses',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('filter_id', sa.BigInteger(), nullable=False),
    sa.Column('status_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['filter_id'], ['filters.id'], name=op.f('fk_filter_statuses_filter_id_filters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_filter_statuses_status_id_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filter_statuses')),
    sa.UniqueConstraint('filter_id', 'status_id', name=op.f('uq_filter_statuses_filter_id_status_id'))
    )
    with op.batch_alter_table('filter_statuses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filter_statuses_status_id'), ['status_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('filter_statuses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filter_statuses_status_id'))

    op.drop_table('filter_statuses')
    with op.batch_alter_table('filter_keywords', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filter_keywords_filter_id'))

    op.drop_table('filter_keywords')
    with op.batch_alter_table('filters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filters_account_id'))

    op.drop_table('filters')
