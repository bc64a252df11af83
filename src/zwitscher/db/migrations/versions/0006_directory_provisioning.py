"""directory provisioning (SCIM): the directory's user name, directory tokens

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:01:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_user_name', sa.String(length=320), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_directory_user_name'), ['directory_user_name'])
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.drop_column('directory')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_directory_user_name'), type_='unique')
        batch_op.drop_column('directory_user_name')
