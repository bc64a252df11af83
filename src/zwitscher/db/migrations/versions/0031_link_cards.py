"""link preview cards (OpenGraph/oEmbed), cached per URL and attached to statuses

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 05:00:00

A status's cached entity shows its card, so attaching or detaching one, and fetching a card
again, bump the versions of the statuses concerned: by triggers, as migration 0018 does for a
status's poll and media.
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

# (trigger name, table, event, the statuses the changed row belongs to)
STATUS_PARTS = [
    ("status_preview_cards_insert", "status_preview_cards", "INSERT", "= NEW.status_id"),
    ("status_preview_cards_update", "status_preview_cards", "UPDATE", "= NEW.status_id"),
    ("status_preview_cards_delete", "status_preview_cards", "DELETE", "= OLD.status_id"),
    ("preview_cards_update", "preview_cards", "UPDATE",
     "IN (SELECT status_id FROM status_preview_cards WHERE preview_card_id = NEW.id)"),
]


def upgrade() -> None:
    op.create_table(
        'preview_cards',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('type', sa.String(length=16), server_default='link', nullable=False),
        sa.Column('title', sa.Text(), server_default='', nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('author_name', sa.Text(), server_default='', nullable=False),
        sa.Column('author_url', sa.Text(), server_default='', nullable=False),
        sa.Column('provider_name', sa.Text(), server_default='', nullable=False),
        sa.Column('provider_url', sa.Text(), server_default='', nullable=False),
        sa.Column('html', sa.Text(), server_default='', nullable=False),
        sa.Column('width', sa.Integer(), server_default='0', nullable=False),
        sa.Column('height', sa.Integer(), server_default='0', nullable=False),
        sa.Column('image_key', sa.String(length=200), nullable=True),
        sa.Column('image_url', sa.String(length=2000), nullable=True),
        sa.Column('image_width', sa.Integer(), server_default='0', nullable=False),
        sa.Column('image_height', sa.Integer(), server_default='0', nullable=False),
        sa.Column('image_description', sa.Text(), server_default='', nullable=False),
        sa.Column('blurhash', sa.String(length=100), nullable=True),
        sa.Column('embed_url', sa.Text(), server_default='', nullable=False),
        sa.Column('language', sa.String(length=16), nullable=True),
        sa.Column('published_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
        sa.Column('fetched_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_preview_cards')),
        sa.UniqueConstraint('url', name=op.f('uq_preview_cards_url')))
    op.create_table(
        'status_preview_cards',
        sa.Column('status_id', sa.BigInteger(), nullable=False),
        sa.Column('preview_card_id', sa.BigInteger(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'],
                                name=op.f('fk_status_preview_cards_status_id_statuses'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['preview_card_id'], ['preview_cards.id'],
                                name=op.f('fk_status_preview_cards_preview_card_id_preview_cards'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('status_id', name=op.f('pk_status_preview_cards')))
    op.create_index(op.f('ix_status_preview_cards_preview_card_id'), 'status_preview_cards',
                    ['preview_card_id'])
    op.create_index(op.f('ix_status_preview_cards_url'), 'status_preview_cards', ['url'])
    if op.get_bind().dialect.name == 'postgresql':
        for name, table, event, statuses in STATUS_PARTS:
            op.execute(f"""CREATE FUNCTION zwitscher_{name}() RETURNS trigger AS $$
                BEGIN
                    UPDATE statuses SET version = version + 1 WHERE id {statuses};
                    RETURN NULL;
                END $$ LANGUAGE plpgsql""")
            op.execute(f"""CREATE TRIGGER {name}_status_version AFTER {event} ON {table}
                FOR EACH ROW EXECUTE FUNCTION zwitscher_{name}()""")
    else:
        for name, table, event, statuses in STATUS_PARTS:
            op.execute(f"""CREATE TRIGGER {name}_status_version AFTER {event} ON {table}
                FOR EACH ROW
                BEGIN UPDATE statuses SET version = version + 1 WHERE id {statuses}; END""")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for name, table, _, _ in STATUS_PARTS:
        op.execute(f"DROP TRIGGER {name}_status_version" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION zwitscher_{name}()")
    op.drop_index(op.f('ix_status_preview_cards_url'), table_name='status_preview_cards')
    op.drop_index(op.f('ix_status_preview_cards_preview_card_id'),
                  table_name='status_preview_cards')
    op.drop_table('status_preview_cards')
    op.drop_table('preview_cards')
