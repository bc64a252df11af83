"""Load the synthetic organisation into a fresh database by bulk inserts, not through the API.

The schema comes from the real migrations (`zwitscher.db.migrate`); rows go in with large
`executemany` batches on SQLite (through SQLAlchemy's connection) and `COPY` on PostgreSQL
(asyncpg `copy_records_to_table`). Home feeds are written only for authors below the fan-out
threshold (the others are merged at read time), newest `feed_size` per account, as the server
keeps them. The index on `home_feed.status_id` is built after the rows, which is much faster
than maintaining it row by row; the result is the schema the migrations define.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from html import escape
from pathlib import Path

import asyncpg
import sqlalchemy as sa

from zwitscher.db.migrate import upgrade_sync
from zwitscher.services.passwords import hash_password
from zwitscher.settings import Settings

from org import ALL_STAFF, Org, datetime_of

PASSWORD = "bench password 1"
SCOPES = "read write follow"
APP_ID = 1 << 40  # any id unique in oauth_apps
BATCH = 50_000
VISIBILITIES = ["public", "unlisted", "private"]
VISIBILITY_WEIGHTS = [0.85, 0.95, 1.0]  # cumulative: 85 % public, 10 % unlisted, 5 % private
WORDS = ("quarterly planning review team launch update customer feedback release notes "
         "meeting today tomorrow office coffee lunch deploy incident report metrics roadmap "
         "design workshop hiring welcome onboarding security training budget travel friday "
         "demo thanks great idea question anyone know where is the new printer room").split()

COLUMNS: dict[str, list[str]] = {
    "accounts": ["id", "username", "username_lower", "display_name", "fields",
                 "followers_count", "following_count", "statuses_count", "fan_out_on_read",
                 "last_status_at", "created_at", "updated_at"],
    "users": ["id", "account_id", "email", "email_lower", "password_hash", "role", "created_at"],
    "oauth_apps": ["id", "name", "redirect_uris", "scopes", "client_id", "client_secret_hash",
                   "created_at"],
    "oauth_tokens": ["id", "token_hash", "app_id", "user_id", "scopes", "created_at"],
    "follows": ["id", "account_id", "target_account_id", "created_at"],
    "statuses": ["id", "account_id", "text", "content_html", "visibility", "language",
                 "created_at"],
    "home_feed": ["account_id", "status_id", "author_id"],
}

Stamp = Callable[[datetime], object]


def username(i: int) -> str:
    return "allstaff" if i == ALL_STAFF else f"user{i:05d}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()  # as zwitscher.services.secrets.digest


# Rows, table by table, in COLUMNS order; `stamp` turns datetimes into what the driver wants.

def account_rows(org: Org, stamp: Stamp) -> Iterator[tuple]:
    for i, account_id in enumerate(org.account_ids):
        own = org.by_author[i]
        last = stamp(datetime_of(own[0])) if own else None
        created = stamp(org.account_created[i])
        name = "All staff" if i == ALL_STAFF else f"Person {i}"
        yield (account_id, username(i), username(i), name, "[]", org.followers_count(i),
               len(org.following[i]), len(own), org.fan_out_on_read(i), last, created, created)


def user_rows(org: Org, stamp: Stamp) -> Iterator[tuple]:
    password_hash = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once, reuse
    for i, account_id in enumerate(org.account_ids):
        email = f"{username(i)}@bench.example"
        yield (account_id, account_id, email, email, password_hash, "user",
               stamp(org.account_created[i]))


def app_rows(org: Org, stamp: Stamp) -> Iterator[tuple]:
    yield (APP_ID, "zwitscher-bench", '["urn:ietf:wg:oauth:2.0:oob"]', SCOPES,
           "bench-client", token_hash("bench-secret"), stamp(org.now))


def token_rows(org: Org, stamp: Stamp) -> Iterator[tuple]:
    # One token per account (the load rotates over a sample; live delivery needs 2,000
    # followers of one account signed in). Users share their account's id.
    for i, account_id in enumerate(org.account_ids):
        yield (account_id, token_hash(org.tokens[i]), APP_ID, account_id, SCOPES,
               stamp(org.now))


def follow_rows(org: Org, stamp: Stamp) -> Iterator[tuple]:
    base = org.account_created[-1]
    base_s = int(base.timestamp())
    ids = org.account_ids
    second, stamped = -1, None
    for n, (a, t) in enumerate(org.follow_pairs):
        # A hundred follows a second, in the order they happened (ids in that order too).
        if n // 100 != second:
            second = n // 100
            stamped = stamp(datetime.fromtimestamp(base_s + second, tz=base.tzinfo))
        yield ((base_s * 1000 + n * 10) << 16 | (n & 0xFFFF), ids[a], ids[t], stamped)


def _texts(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40))).capitalize() + "."
            for _ in range(count)]


def status_rows(org: Org, stamp: Stamp) -> Iterator[tuple]:
    rng = random.Random(org.scale.seed + 1)
    texts = _texts(rng, 997)
    html = [f"<p>{escape(t)}</p>" for t in texts]
    visibilities = rng.choices(VISIBILITIES, cum_weights=VISIBILITY_WEIGHTS,
                               k=len(org.status_ids))
    ids = org.account_ids
    for n, (status_id, author) in enumerate(zip(org.status_ids, org.status_authors,
                                                strict=True)):
        k = n % 997
        yield (status_id, ids[author], texts[k], html[k], visibilities[n], "en",
               stamp(datetime_of(status_id)))


def home_feed_chunks(org: Org) -> Iterator[list[tuple]]:
    """Feed rows, one list per account (8 million rows at full size: no row-by-row yield)."""
    author_of = dict(zip(org.status_ids, (org.account_ids[a] for a in org.status_authors),
                         strict=True))
    for i, account_id in enumerate(org.account_ids):
        yield [(account_id, s, author_of[s]) for s in org.home_feed(i)]


TABLES: list[tuple[str, Callable[[Org, Stamp], Iterable[tuple]]]] = [
    ("accounts", account_rows), ("users", user_rows), ("oauth_apps", app_rows),
    ("oauth_tokens", token_rows), ("follows", follow_rows), ("statuses", status_rows),
]


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _rebatch(chunks: Iterable[list[tuple]], size: int = BATCH) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for chunk in chunks:
        batch += chunk
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# SQLite.

def _sqlite_stamp(moment: datetime) -> str:
    """SQLAlchemy's storage format for DateTime on SQLite (naive UTC)."""
    return f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond:06d}"


def load_sqlite(org: Org, data_dir: Path) -> dict[str, float]:
    """Migrate a new SQLite file in `data_dir` and fill it; returns seconds per phase."""
    timings: dict[str, float] = {}
    settings = Settings(data_dir=data_dir, database_url=None)
    started = time.perf_counter()
    upgrade_sync(settings)
    timings["migrate_s"] = time.perf_counter() - started
    path = data_dir / "zwitscher.sqlite3"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        # A bulk load needs no crash safety; the server sets WAL and its pragmas itself.
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000",
                       "temp_store=MEMORY"):
            conn.exec_driver_sql(f"PRAGMA {pragma}")
        started = time.perf_counter()
        for table, rows in TABLES:
            _sqlite_insert(conn, table, rows(org, _sqlite_stamp))
        timings["rows_s"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.exec_driver_sql("DROP INDEX ix_home_feed_status_id")
        _sqlite_insert(conn, "home_feed", batches=_rebatch(home_feed_chunks(org)))
        conn.exec_driver_sql("CREATE INDEX ix_home_feed_status_id ON home_feed (status_id)")
        conn.commit()
        timings["home_feed_s"] = time.perf_counter() - started
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    engine.dispose()
    return timings


def _sqlite_insert(conn: sa.Connection, table: str, rows: Iterable[tuple] = (), *,
                   batches: Iterable[list[tuple]] | None = None) -> None:
    columns = COLUMNS[table]
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    for batch in batches if batches is not None else _batches(rows):
        conn.exec_driver_sql(sql, batch)  # one executemany per batch
    conn.commit()


# PostgreSQL.

def _pg_stamp(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)  # timestamp without time zone, UTC


async def create_database(admin_url: str, name: str) -> str:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def load_postgres(org: Org, url: str) -> dict[str, float]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    await asyncio.to_thread(upgrade_sync, Settings(database_url=url))
    timings["migrate_s"] = time.perf_counter() - started
    conn = await asyncpg.connect(url)
    try:
        # The rows are consistent by construction: skip the per-row foreign key triggers.
        await conn.execute("SET session_replication_role = replica")
        started = time.perf_counter()
        for table, rows in TABLES:
            await _pg_copy(conn, table, rows(org, _pg_stamp))
        timings["rows_s"] = time.perf_counter() - started
        started = time.perf_counter()
        await conn.execute("DROP INDEX ix_home_feed_status_id")
        await _pg_copy(conn, "home_feed", batches=_rebatch(home_feed_chunks(org), 200_000))
        await conn.execute("CREATE INDEX ix_home_feed_status_id ON home_feed (status_id)")
        timings["home_feed_s"] = time.perf_counter() - started
        started = time.perf_counter()
        # What autovacuum does soon after a bulk load (statistics, visibility map).
        await conn.execute("VACUUM ANALYZE")
        timings["vacuum_analyze_s"] = time.perf_counter() - started
    finally:
        await conn.close()
    return timings


async def _pg_copy(conn: asyncpg.Connection, table: str, rows: Iterable[tuple] = (), *,
                   batches: Iterable[list[tuple]] | None = None) -> None:
    for batch in batches if batches is not None else _batches(rows, 200_000):
        await conn.copy_records_to_table(table, records=batch, columns=COLUMNS[table])
