"""legal holds: audited, four-eyes access to a person's direct messages

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def _account(name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([name], ['accounts.id'],
                                   name=op.f(f'fk_legal_holds_{name}_accounts'),
                                   ondelete='SET NULL')


def upgrade() -> None:
    moment = zwitscher.db.schema.UTCDateTime
    op.create_table(
        'legal_holds',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('reference', sa.String(length=200), nullable=False),
        sa.Column('messages_from', moment(), nullable=False),
        sa.Column('messages_until', moment(), nullable=False),
        sa.Column('ends_at', moment(), nullable=False),
        sa.Column('state', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('notice_deferred_because', sa.Text(), server_default='', nullable=False),
        sa.Column('person_told_at', moment(), nullable=True),
        sa.Column('opened_by_id', sa.BigInteger(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.Column('decided_by_id', sa.BigInteger(), nullable=True),
        sa.Column('decided_at', moment(), nullable=True),
        sa.Column('decision_note', sa.Text(), server_default='', nullable=False),
        sa.Column('closed_by_id', sa.BigInteger(), nullable=True),
        sa.Column('closed_at', moment(), nullable=True),
        _account('account_id'), _account('opened_by_id'), _account('decided_by_id'),
        _account('closed_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_holds')))
    op.create_index(op.f('ix_legal_holds_account_id'), 'legal_holds', ['account_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_legal_holds_account_id'), table_name='legal_holds')
    op.drop_table('legal_holds')
