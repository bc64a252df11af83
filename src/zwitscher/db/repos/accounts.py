from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, follows, invites, statuses, users
from zwitscher.domain import feed_changes
from zwitscher.domain.clock import utcnow
from zwitscher.domain.feed_changes import SourcesChanged
from zwitscher.domain.ids import new_id
from zwitscher.policies.visibility import account_shown

# The advisory lock key of first-run setup (any constant no other lock uses).
FIRST_RUN_LOCK = 0x7A77_0001


class AccountsRepo(Repo):
    async def create(self, *, username: str, display_name: str = "", locked: bool = False,
                     bot: bool = False) -> int:
        now = utcnow()
        account_id = new_id()
        await self.conn.execute(accounts.insert().values(
            id=account_id, username=username, username_lower=username.lower(),
            display_name=display_name, locked=locked, bot=bot, fields=[], created_at=now,
            updated_at=now))
        return account_id

    async def get(self, account_id: int) -> sa.Row | None:
        return await self.one(accounts.select().where(accounts.c.id == account_id))

    async def get_many(self, ids: set[int] | list[int], *,
                       shown_only: bool = False) -> dict[int, sa.Row]:
        if not ids:
            return {}
        query = accounts.select().where(self.among(accounts.c.id, ids))
        rows = await self.all(query.where(account_shown()) if shown_only else query)
        return {row.id: row for row in rows}

    async def shown(self, account_id: int) -> sa.Row | None:
        """The account as others find it: not once its person deleted it."""
        return await self.one(accounts.select().where(accounts.c.id == account_id,
                                                      account_shown()))

    async def shown_by_username(self, username: str) -> sa.Row | None:
        return await self.one(accounts.select().where(
            accounts.c.username_lower == username.lower(), account_shown()))

    async def ids_after(self, after_id: int, limit: int) -> list[int]:
        """Account ids in order, from just after `after_id`: for walking all accounts in
        batches."""
        return await self.scalars(sa.select(accounts.c.id).where(accounts.c.id > after_id)
                                  .order_by(accounts.c.id).limit(limit))

    async def by_username(self, username: str) -> sa.Row | None:
        return await self.one(accounts.select().where(
            accounts.c.username_lower == username.lower()))

    async def by_usernames(self, usernames: list[str]) -> dict[str, sa.Row]:
        if not usernames:
            return {}
        rows = await self.all(accounts.select().where(
            accounts.c.username_lower.in_([u.lower() for u in usernames])))
        return {row.username_lower: row for row in rows}

    async def search(self, query: str, *, limit: int, offset: int,
                     following_of: int | None) -> list[sa.Row]:
        pattern = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        select = accounts.select().where(account_shown(), sa.or_(
            accounts.c.username_lower.like(f"{pattern}%", escape="\\"),
            sa.func.lower(accounts.c.display_name).like(f"%{pattern}%", escape="\\"),
        ))
        if following_of is not None:
            select = select.where(accounts.c.id.in_(
                sa.select(follows.c.target_account_id).where(follows.c.account_id == following_of)))
        select = select.order_by(accounts.c.followers_count.desc(), accounts.c.id)
        return await self.all(select.limit(limit).offset(offset))

    async def update(self, account_id: int, **values) -> None:
        await self.conn.execute(accounts.update().where(accounts.c.id == account_id)
                                .values(updated_at=utcnow(), **values))

    async def add_to_counter(self, account_id: int, column: str, delta: int) -> None:
        col = accounts.c[column]
        await self.conn.execute(accounts.update().where(accounts.c.id == account_id)
                                .values({col: sa.func.max(col + delta, 0)}
                                        if self.conn.dialect.name == "sqlite"
                                        else {col: sa.func.greatest(col + delta, 0)}))

    async def hold_first_run(self) -> None:
        """Let one first-run setup at a time find the instance empty. SQLite's write
        transactions run one at a time already; PostgreSQL takes a lock until commit."""
        if self.conn.dialect.name == "postgresql":
            await self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(FIRST_RUN_LOCK)))

    async def instance_counts(self) -> tuple[int, int]:
        users_count = await self.scalar(sa.select(sa.func.count()).select_from(users))
        statuses_count = await self.scalar(sa.select(sa.func.count()).select_from(statuses))
        return users_count, statuses_count

    async def mark_fan_out_on_read(self, account_id: int, *, threshold: int) -> None:
        """Switch an account to read-time merging once it has `threshold` followers."""
        switched = await self.conn.execute(accounts.update().where(
            accounts.c.id == account_id, accounts.c.followers_count >= threshold,
            accounts.c.fan_out_on_read.is_(False)).values(fan_out_on_read=True))
        if switched.rowcount:
            # Every follower's feed now merges this account in: rare, so all are read again.
            feed_changes.note(self.conn.info, SourcesChanged(None))

    # Users: the login behind a person's account.

    async def create_user(self, *, account_id: int, email: str, password_hash: str, role: str,
                          approved: bool, locale: str = "en", reason: str = "",
                          signed_up_with_app_id: int | None = None) -> int:
        """A sign-in; one made by signing up through an app (`signed_up_with_app_id`) waits
        for its address to be confirmed."""
        user_id = new_id()
        await self.conn.execute(users.insert().values(
            id=user_id, account_id=account_id, email=email, email_lower=email.lower(),
            password_hash=password_hash, role=role, approved=approved, locale=locale,
            registration_reason=reason, created_at=utcnow(),
            confirmed=signed_up_with_app_id is None,
            signed_up_with_app_id=signed_up_with_app_id))
        return user_id

    async def user_by_email(self, email: str) -> sa.Row | None:
        return await self.one(users.select().where(users.c.email_lower == email.lower()))

    async def user_by_login(self, login: str) -> sa.Row | None:
        """A user by e-mail address or by username, as people type either on a login page."""
        return await self.one(
            users.select().join(accounts, accounts.c.id == users.c.account_id).where(sa.or_(
                users.c.email_lower == login.lower(), accounts.c.username_lower == login.lower())))

    async def user_by_id(self, user_id: int) -> sa.Row | None:
        return await self.one(users.select().where(users.c.id == user_id))

    async def user_for_account(self, account_id: int) -> sa.Row | None:
        return await self.one(users.select().where(users.c.account_id == account_id))

    async def insider_ids(self, account_ids: list[int]) -> list[int]:
        """Those of the accounts that are people of the organisation (not guests, enabled)."""
        if not account_ids:
            return []
        found: list[int] = []
        for start in range(0, len(account_ids), 5000):  # bound the IN list
            found += await self.scalars(sa.select(users.c.account_id).where(
                users.c.account_id.in_(account_ids[start:start + 5000]),
                users.c.role != "guest", users.c.disabled.is_(False)))
        return found

    async def reachable(self, account_ids: Sequence[int]) -> list[sa.Row]:
        """The people among these accounts who can be reached (approved and not deactivated),
        with what a message to them needs: name, e-mail address and locale."""
        if not account_ids:
            return []
        return await self.all(
            sa.select(accounts.c.id.label("account_id"), accounts.c.username,
                      accounts.c.display_name, users.c.email, users.c.locale)
            .join(users, users.c.account_id == accounts.c.id)
            .where(self.among(accounts.c.id, account_ids), users.c.approved.is_(True),
                   users.c.disabled.is_(False))
            .order_by(accounts.c.id))

    async def users_for_accounts(self, account_ids: set[int]) -> dict[int, sa.Row]:
        if not account_ids:
            return {}
        rows = await self.all(users.select().where(users.c.account_id.in_(list(account_ids))))
        return {row.account_id: row for row in rows}

    async def ids_with_roles(self, roles: set[str]) -> list[int]:
        """People holding any of these roles who may still sign in."""
        return await self.scalars(sa.select(users.c.account_id).where(
            users.c.role.in_(sorted(roles)), users.c.disabled.is_(False)))

    async def count_awaiting_approval(self) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(users)
                                 .where(users.c.approved.is_(False), users.c.disabled.is_(False)))

    async def update_user(self, user_id: int, **values) -> None:
        await self.conn.execute(users.update().where(users.c.id == user_id).values(**values))

    # Invites.

    async def create_invite(self, *, code: str, created_by_id: int | None,
                            max_uses: int | None) -> None:
        await self.conn.execute(invites.insert().values(
            id=new_id(), code=code, created_by_id=created_by_id, max_uses=max_uses,
            created_at=utcnow()))

    async def use_invite(self, code: str) -> bool:
        """Count one use of an invite; False when it does not exist, expired or is used up."""
        now = utcnow()
        result = await self.conn.execute(
            invites.update()
            .where(invites.c.code == code,
                   sa.or_(invites.c.expires_at.is_(None), invites.c.expires_at > now),
                   sa.or_(invites.c.max_uses.is_(None), invites.c.uses < invites.c.max_uses))
            .values(uses=invites.c.uses + 1))
        return result.rowcount == 1
