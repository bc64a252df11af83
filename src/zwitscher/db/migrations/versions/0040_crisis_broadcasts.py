"""crisis broadcasts: templates, contact lists, crises, recipients and their deliveries

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-07 15:30:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_lists',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), server_default='', nullable=False),
    sa.Column('created_by_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'], name=op.f('fk_contact_lists_created_by_id_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_lists')),
    sa.UniqueConstraint('name', name=op.f('uq_contact_lists_name'))
    )
    op.create_table('crisis_templates',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=True),
    sa.Column('group_ids', sa.JSON(), nullable=False),
    sa.Column('contact_list_ids', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('escalation', sa.JSON(), nullable=False),
    sa.Column('escalate_after_seconds', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_crisis_templates_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'], name=op.f('fk_crisis_templates_created_by_id_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_templates'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('list_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['contact_lists.id'], name=op.f('fk_contacts_list_id_contact_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_list_id'), ['list_id'], unique=False)

    op.create_table('crises',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status_id', sa.BigInteger(), nullable=True),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('sent_by_id', sa.BigInteger(), nullable=True),
    sa.Column('template_id', sa.BigInteger(), nullable=True),
    sa.Column('group_ids', sa.JSON(), nullable=False),
    sa.Column('contact_list_ids', sa.JSON(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('escalation', sa.JSON(), nullable=False),
    sa.Column('escalate_after_seconds', sa.Integer(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('dark_site', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('closed_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_crises_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['accounts.id'], name=op.f('fk_crises_sent_by_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_crises_status_id_statuses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['crisis_templates.id'], name=op.f('fk_crises_template_id_crisis_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crises'))
    )
    with op.batch_alter_table('crises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crises_closed_at'), ['closed_at'], unique=False)

    op.create_table('crisis_recipients',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('crisis_id', sa.BigInteger(), nullable=False),
    sa.Column('group_id', sa.BigInteger(), nullable=True),
    sa.Column('contact_list_id', sa.BigInteger(), nullable=True),
    sa.Column('account_id', sa.BigInteger(), nullable=True),
    sa.Column('contact_id', sa.BigInteger(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('step', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reached_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('opened_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('answer', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_crisis_recipients_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_crisis_recipients_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_list_id'], ['contact_lists.id'], name=op.f('fk_crisis_recipients_contact_list_id_contact_lists'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['crisis_id'], ['crises.id'], name=op.f('fk_crisis_recipients_crisis_id_crises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_crisis_recipients_group_id_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_recipients')),
    sa.UniqueConstraint('crisis_id', 'account_id', name=op.f('uq_crisis_recipients_crisis_id_account_id'))
    )
    with op.batch_alter_table('crisis_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crisis_recipients_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_crisis_recipients_crisis_id_id', ['crisis_id', 'id'], unique=False)

    op.create_table('crisis_updates',
    sa.Column('crisis_id', sa.BigInteger(), nullable=False),
    sa.Column('status_id', sa.BigInteger(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['crisis_id'], ['crises.id'], name=op.f('fk_crisis_updates_crisis_id_crises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_crisis_updates_status_id_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('crisis_id', 'status_id', name=op.f('pk_crisis_updates'))
    )
    op.create_table('crisis_deliveries',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('crisis_id', sa.BigInteger(), nullable=False),
    sa.Column('recipient_id', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('claimed_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('done_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['crisis_id'], ['crises.id'], name=op.f('fk_crisis_deliveries_crisis_id_crises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['crisis_recipients.id'], name=op.f('fk_crisis_deliveries_recipient_id_crisis_recipients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crisis_deliveries')),
    sa.UniqueConstraint('recipient_id', 'channel', 'round', name=op.f('uq_crisis_deliveries_recipient_id_channel_round'))
    )
    with op.batch_alter_table('crisis_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_crisis_deliveries_crisis_id_channel_state', ['crisis_id', 'channel', 'state'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('crisis_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_crisis_deliveries_crisis_id_channel_state')

    op.drop_table('crisis_deliveries')
    op.drop_table('crisis_updates')
    with op.batch_alter_table('crisis_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_crisis_recipients_crisis_id_id')
        batch_op.drop_index(batch_op.f('ix_crisis_recipients_account_id'))

    op.drop_table('crisis_recipients')
    with op.batch_alter_table('crises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crises_closed_at'))

    op.drop_table('crises')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_list_id'))

    op.drop_table('contacts')
    op.drop_table('crisis_templates')
    op.drop_table('contact_lists')
