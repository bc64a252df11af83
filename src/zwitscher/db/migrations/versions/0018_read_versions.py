"""read versions: statuses and accounts carry a version that triggers bump

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 19:00:00

Cached entities (`zwitscher.views`) are keyed by these versions. Triggers, not the
repositories, bump them, so no write path can forget to: every UPDATE of a status or an
account, every change to a status's poll, votes or media, and every change to custom emojis or
groups (counted in `read_generations`).
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# (trigger name, table, event, the status id the changed row belongs to)
STATUS_PARTS = [
    ("polls_update", "polls", "UPDATE", "NEW.status_id"),
    ("poll_votes_insert", "poll_votes", "INSERT",
     "(SELECT status_id FROM polls WHERE id = NEW.poll_id)"),
    ("poll_votes_delete", "poll_votes", "DELETE",
     "(SELECT status_id FROM polls WHERE id = OLD.poll_id)"),
    ("poll_voters_insert", "poll_voters", "INSERT",
     "(SELECT status_id FROM polls WHERE id = NEW.poll_id)"),
    ("poll_voters_delete", "poll_voters", "DELETE",
     "(SELECT status_id FROM polls WHERE id = OLD.poll_id)"),
    ("media_update_new", "media_attachments", "UPDATE", "NEW.status_id"),
    ("media_update_old", "media_attachments", "UPDATE", "OLD.status_id"),
    ("media_delete", "media_attachments", "DELETE", "OLD.status_id"),
]
GENERATIONS = [("custom_emojis", "emojis"), ("groups", "groups")]


def upgrade() -> None:
    op.add_column('statuses', sa.Column('version', sa.Integer(), server_default='0',
                                        nullable=False))
    op.add_column('accounts', sa.Column('version', sa.Integer(), server_default='0',
                                        nullable=False))
    op.create_table('read_generations',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('generation', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_read_generations'))
    )
    op.bulk_insert(sa.table('read_generations', sa.column('name'), sa.column('generation')),
                   [{'name': name, 'generation': 0} for _, name in GENERATIONS])
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for table in ('statuses', 'accounts'):
        # The inner UPDATE sets version itself, so the WHEN keeps it from firing again.
        op.execute(f"""CREATE TRIGGER {table}_version AFTER UPDATE ON {table}
            FOR EACH ROW WHEN NEW.version = OLD.version
            BEGIN UPDATE {table} SET version = OLD.version + 1 WHERE id = NEW.id; END""")
    for name, table, event, status_id in STATUS_PARTS:
        op.execute(f"""CREATE TRIGGER {name}_status_version AFTER {event} ON {table}
            FOR EACH ROW
            BEGIN UPDATE statuses SET version = version + 1 WHERE id = {status_id}; END""")
    for table, generation in GENERATIONS:
        for event in ('INSERT', 'UPDATE', 'DELETE'):
            op.execute(f"""CREATE TRIGGER {table}_{event.lower()}_generation
                AFTER {event} ON {table} FOR EACH ROW
                BEGIN UPDATE read_generations SET generation = generation + 1
                WHERE name = '{generation}'; END""")


def _postgresql_triggers() -> None:
    op.execute("""CREATE FUNCTION zwitscher_bump_version() RETURNS trigger AS $$
        BEGIN
            IF NEW.version = OLD.version THEN NEW.version := OLD.version + 1; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    for table in ('statuses', 'accounts'):
        op.execute(f"""CREATE TRIGGER {table}_version BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION zwitscher_bump_version()""")
    for name, table, event, status_id in STATUS_PARTS:
        op.execute(f"""CREATE FUNCTION zwitscher_{name}() RETURNS trigger AS $$
            BEGIN
                UPDATE statuses SET version = version + 1 WHERE id = {status_id};
                RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        op.execute(f"""CREATE TRIGGER {name}_status_version AFTER {event} ON {table}
            FOR EACH ROW EXECUTE FUNCTION zwitscher_{name}()""")
    op.execute("""CREATE FUNCTION zwitscher_bump_generation() RETURNS trigger AS $$
        BEGIN
            UPDATE read_generations SET generation = generation + 1 WHERE name = TG_ARGV[0];
            RETURN NULL;
        END $$ LANGUAGE plpgsql""")
    for table, generation in GENERATIONS:
        op.execute(f"""CREATE TRIGGER {table}_generation
            AFTER INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION zwitscher_bump_generation('{generation}')""")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in ('statuses', 'accounts'):
            op.execute(f"DROP TRIGGER {table}_version ON {table}")
        op.execute("DROP FUNCTION zwitscher_bump_version()")
        for name, table, _, _ in STATUS_PARTS:
            op.execute(f"DROP TRIGGER {name}_status_version ON {table}")
            op.execute(f"DROP FUNCTION zwitscher_{name}()")
        for table, _ in GENERATIONS:
            op.execute(f"DROP TRIGGER {table}_generation ON {table}")
        op.execute("DROP FUNCTION zwitscher_bump_generation()")
    else:
        for table in ('statuses', 'accounts'):
            op.execute(f"DROP TRIGGER {table}_version")
        for name, *_ in STATUS_PARTS:
            op.execute(f"DROP TRIGGER {name}_status_version")
        for table, _ in GENERATIONS:
            for event in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER {table}_{event}_generation")
    op.drop_table('read_generations')
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('statuses') as batch_op:
        batch_op.drop_column('version')
