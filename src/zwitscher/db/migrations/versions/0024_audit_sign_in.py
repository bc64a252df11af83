"""the audit log records how the person acting signed in

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 20:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_signed_in_with', sa.String(length=200), nullable=True))
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_oauth_token_id'), ['oauth_token_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_oauth_token_id'))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('actor_signed_in_with')
