"""monitors: spikes found in 60 sliding minutes (alerted at a moment); a webhook reads as
whoever set its address

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-08 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('monitor_spike_state') as batch:
        batch.alter_column('alerted_hour', new_column_name='alerted_at')
    with op.batch_alter_table('monitors') as batch:
        batch.add_column(sa.Column('webhook_set_by_id', sa.BigInteger(), nullable=True))
        batch.create_foreign_key(op.f('fk_monitors_webhook_set_by_id_accounts'), 'accounts',
                                 ['webhook_set_by_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE monitors SET webhook_set_by_id = created_by_id "
               "WHERE webhook_url IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('monitors') as batch:
        batch.drop_constraint(op.f('fk_monitors_webhook_set_by_id_accounts'),
                              type_='foreignkey')
        batch.drop_column('webhook_set_by_id')
    with op.batch_alter_table('monitor_spike_state') as batch:
        batch.alter_column('alerted_at', new_column_name='alerted_hour')
