"""e-mail confirmation: confirmed addresses, the app a person signed up with, a new address waiting for its link

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everyone already here counts as confirmed: they were made by an operator, a directory,
    # or signed up before addresses were checked.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('signed_up_with_app_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('unconfirmed_email', sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('unconfirmed_email')
        batch_op.drop_column('signed_up_with_app_id')
        batch_op.drop_column('confirmed')
