"""a person the company directory deleted (SCIM DELETE) is gone to SCIM

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 02:40:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('directory_deleted_at', zwitscher.db.schema.UTCDateTime(),
                                     nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('directory_deleted_at')
