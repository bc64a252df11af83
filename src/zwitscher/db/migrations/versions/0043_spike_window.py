"""monitor spike state: spikes are found in 60 sliding minutes, alerted at a moment

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-08 02:40:00
"""

from alembic import op

revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('monitor_spike_state') as batch:
        batch.alter_column('alerted_hour', new_column_name='alerted_at')


def downgrade() -> None:
    with op.batch_alter_table('monitor_spike_state') as batch:
        batch.alter_column('alerted_at', new_column_name='alerted_hour')
