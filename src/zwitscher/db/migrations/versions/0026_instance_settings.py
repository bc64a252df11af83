"""what an admin sets about the instance in the console

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 23:00:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'instance_settings',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('updated_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_instance_settings')))


def downgrade() -> None:
    op.drop_table('instance_settings')
