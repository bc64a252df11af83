"""press groups: journalists invited or accredited into press groups as guests

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 11:45:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def _account(name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([name], ['accounts.id'],
                                   name=op.f(f'fk_press_accreditations_{name}_accounts'),
                                   ondelete='SET NULL')


def upgrade() -> None:
    moment = zwitscher.db.schema.UTCDateTime
    # Plain ADD COLUMNs, not a batch: rebuilding `groups` on SQLite would drop the generation
    # triggers of migration 0018.
    op.add_column('groups', sa.Column('press', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.add_column('groups', sa.Column('press_name', sa.String(length=200), server_default='',
                                      nullable=False))
    op.add_column('groups', sa.Column('press_description', sa.Text(), server_default='',
                                      nullable=False))
    op.create_table(
        'press_accreditations',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('email_lower', sa.String(length=320), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('outlet', sa.String(length=200), nullable=False),
        sa.Column('position', sa.String(length=100), server_default='', nullable=False),
        sa.Column('work_url', sa.String(length=500), server_default='', nullable=False),
        sa.Column('note', sa.Text(), server_default='', nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.Column('confirmed_at', moment(), nullable=True),
        sa.Column('decided_by_id', sa.BigInteger(), nullable=True),
        sa.Column('decided_at', moment(), nullable=True),
        sa.Column('decision_note', sa.Text(), server_default='', nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=True),
        _account('decided_by_id'), _account('account_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_press_accreditations')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_press_accreditations_token_digest')))
    op.create_index(op.f('ix_press_accreditations_email_lower'), 'press_accreditations',
                    ['email_lower'])
    op.create_index('ix_press_accreditations_state_id', 'press_accreditations',
                    ['state', 'id'])
    op.create_table(
        'press_accreditation_groups',
        sa.Column('accreditation_id', sa.BigInteger(), nullable=False),
        sa.Column('group_id', sa.BigInteger(), nullable=False),
        sa.Column('requested', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('granted', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ['accreditation_id'], ['press_accreditations.id'],
            name=op.f('fk_press_accreditation_groups_accreditation_id_press_accreditations'),
            ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'],
                                name=op.f('fk_press_accreditation_groups_group_id_groups'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('accreditation_id', 'group_id',
                                name=op.f('pk_press_accreditation_groups')))
    op.create_index(op.f('ix_press_accreditation_groups_group_id'),
                    'press_accreditation_groups', ['group_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_press_accreditation_groups_group_id'),
                  table_name='press_accreditation_groups')
    op.drop_table('press_accreditation_groups')
    op.drop_index('ix_press_accreditations_state_id', table_name='press_accreditations')
    op.drop_index(op.f('ix_press_accreditations_email_lower'),
                  table_name='press_accreditations')
    op.drop_table('press_accreditations')
    op.drop_column('groups', 'press_description')
    op.drop_column('groups', 'press_name')
    op.drop_column('groups', 'press')
