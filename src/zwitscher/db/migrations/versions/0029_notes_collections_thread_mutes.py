"""private notes on accounts, indexable and hide_collections, muted conversations

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 02:20:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

# The root of every reply's thread, walked down from the statuses that start one (the same
# statement on SQLite, 3.33 or later, and PostgreSQL). A reply whose parent is gone keeps its
# parent's id as its root.
_THREAD_ROOTS = """
WITH RECURSIVE chain(id, root) AS (
    SELECT id, id FROM statuses WHERE in_reply_to_id IS NULL
    UNION ALL
    SELECT statuses.id, chain.root FROM statuses JOIN chain ON statuses.in_reply_to_id = chain.id
)
UPDATE statuses SET thread_root_id = chain.root FROM chain
WHERE chain.id = statuses.id AND statuses.in_reply_to_id IS NOT NULL
"""


def upgrade() -> None:
    # Plain ADD COLUMNs, not batches: rebuilding a table on SQLite would drop the version
    # triggers of migration 0018.
    op.add_column('accounts', sa.Column('indexable', sa.Boolean(), server_default=sa.true(),
                                        nullable=False))
    op.add_column('accounts', sa.Column('hide_collections', sa.Boolean(),
                                        server_default=sa.false(), nullable=False))
    op.create_table(
        'account_notes',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('target_account_id', sa.BigInteger(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('updated_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_account_notes_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['target_account_id'], ['accounts.id'],
                                name=op.f('fk_account_notes_target_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_notes')),
        sa.UniqueConstraint('account_id', 'target_account_id',
                            name=op.f('uq_account_notes_account_id_target_account_id')))
    op.create_index(op.f('ix_account_notes_target_account_id'), 'account_notes',
                    ['target_account_id'])
    op.add_column('statuses', sa.Column('thread_root_id', sa.BigInteger(), nullable=True))
    op.execute(_THREAD_ROOTS)
    op.execute("UPDATE statuses SET thread_root_id = in_reply_to_id "
               "WHERE thread_root_id IS NULL AND in_reply_to_id IS NOT NULL")
    op.create_table(
        'thread_mutes',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('root_status_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_thread_mutes_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_mutes')),
        sa.UniqueConstraint('account_id', 'root_status_id',
                            name=op.f('uq_thread_mutes_account_id_root_status_id')))


def downgrade() -> None:
    op.drop_table('thread_mutes')
    op.drop_column('statuses', 'thread_root_id')
    op.drop_index(op.f('ix_account_notes_target_account_id'), table_name='account_notes')
    op.drop_table('account_notes')
    op.drop_column('accounts', 'hide_collections')
    op.drop_column('accounts', 'indexable')
