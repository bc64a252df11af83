"""lists and conversations

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 17:18:14
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lists',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('replies_policy', sa.String(length=16), server_default='list', nullable=False),
    sa.Column('exclusive', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_lists_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lists'))
    )
    with op.batch_alter_table('lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lists_account_id'), ['account_id'], unique=False)

    op.create_table('list_accounts',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('list_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_list_accounts_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['list_id'], ['lists.id'], name=op.f('fk_list_accounts_list_id_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_accounts')),
    sa.UniqueConstraint('list_id', 'account_id', name=op.f('uq_list_accounts_list_id_account_id'))
    )
    with op.batch_alter_table('list_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_list_accounts_account_id'), ['account_id'], unique=False)

    op.create_table('status_conversations',
    sa.Column('status_id', sa.BigInteger(), nullable=False),
    sa.Column('conversation_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_status_conversations_status_id_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('status_id', name=op.f('pk_status_conversations'))
    )
    with op.batch_alter_table('status_conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_conversations_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('account_conversations',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('conversation_id', sa.BigInteger(), nullable=False),
    sa.Column('participant_ids', sa.JSON(), nullable=False),
    sa.Column('last_status_id', sa.BigInteger(), nullable=False),
    sa.Column('unread', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_conversations_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_conversations')),
    sa.UniqueConstraint('account_id', 'conversation_id', name=op.f('uq_account_conversations_account_id_conversation_id'))
    )
    with op.batch_alter_table('account_conversations', schema=None) as batch_op:
        batch_op.create_index('ix_account_conversations_account_id_last_status_id', ['account_id', 'last_status_id'], unique=False)


def downgrade() -> None:
    op.drop_table('account_conversations')
    op.drop_table('status_conversations')
    op.drop_table('list_accounts')
    op.drop_table('lists')
