"""The whole directory at once, for bulk import and export: every person, every membership.

Organisations have thousands of people and hundreds of groups, so reading all of it in a few
queries and writing in batches beats a query per row by orders of magnitude.

People the directory deleted (`users.directory_deleted_at`) are gone for SCIM (RFC 7644
section 3.6): `find_people`, `find_groups` by member, `members_of_groups` and `present_ids`
leave them out unless asked to keep them (`with_deleted`, to see who holds a name).
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, group_members, groups, users
from zwitscher.domain.clock import utcnow

BATCH = 1000
_PEOPLE = (sa.select(accounts.c.id.label("account_id"), accounts.c.username,
                     accounts.c.display_name, accounts.c.created_at, accounts.c.updated_at,
                     users.c.id.label("user_id"), users.c.email, users.c.role,
                     users.c.external_id, users.c.directory_user_name, users.c.disabled,
                     users.c.directory_deleted_at)
           .join(users, users.c.account_id == accounts.c.id))
_NOT_DELETED = users.c.directory_deleted_at.is_(None)


class DirectoryRepo(Repo):
    async def people(self) -> list[sa.Row]:
        """Every person: their account and their login, one row each."""
        return await self.all(_PEOPLE.order_by(accounts.c.username_lower))

    async def find_people(self, *, offset: int, limit: int, account_id: int | None = None,
                          user_name: str | None = None, email: str | None = None,
                          external_id: str | None = None,
                          display_name: str | None = None,
                          with_deleted: bool = False) -> tuple[int, list[sa.Row]]:
        """People matching all the given conditions, oldest first, and how many match.
        `user_name` is the directory's name for them, or their username if it has none;
        `user_name`, `email` and `display_name` compare case-insensitively. People the
        directory deleted only `with_deleted` (their names and addresses stay theirs)."""
        conditions = [] if with_deleted else [_NOT_DELETED]
        if account_id is not None:
            conditions.append(accounts.c.id == account_id)
        if user_name is not None:
            conditions.append(sa.or_(
                sa.func.lower(users.c.directory_user_name) == user_name.lower(),
                sa.and_(users.c.directory_user_name.is_(None),
                        accounts.c.username_lower == user_name.lower())))
        if email is not None:
            conditions.append(users.c.email_lower == email.lower())
        if external_id is not None:
            conditions.append(users.c.external_id == external_id)
        if display_name is not None:
            conditions.append(sa.func.lower(accounts.c.display_name) == display_name.lower())
        query = _PEOPLE.where(*conditions)
        total = await self.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self.all(query.order_by(accounts.c.id).offset(offset).limit(limit))
        return total, rows

    async def find_groups(self, *, offset: int, limit: int, group_id: int | None = None,
                          display_name: str | None = None, external_id: str | None = None,
                          member_id: int | None = None) -> tuple[int, list[sa.Row]]:
        """Groups matching all the given conditions, oldest first, and how many match;
        `member_id`: groups this account belongs to directly (none if the directory deleted
        the account)."""
        conditions = []
        if group_id is not None:
            conditions.append(groups.c.id == group_id)
        if display_name is not None:
            conditions.append(sa.func.lower(groups.c.name) == display_name.lower())
        if external_id is not None:
            conditions.append(groups.c.external_id == external_id)
        if member_id is not None:
            conditions.append(sa.exists().where(
                group_members.c.group_id == groups.c.id, group_members.c.account_id == member_id,
                ~sa.exists().where(users.c.account_id == member_id, ~_NOT_DELETED)))
        query = groups.select().where(*conditions)
        total = await self.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self.all(query.order_by(groups.c.id).offset(offset).limit(limit))
        return total, rows

    async def groups_of_people(self, account_ids: list[int]) -> dict[int, list[sa.Row]]:
        """The groups each of these people belongs to directly (id and name)."""
        found: dict[int, list[sa.Row]] = {a: [] for a in account_ids}
        if account_ids:
            for row in await self.all(
                    sa.select(group_members.c.account_id, groups.c.id, groups.c.name)
                    .join(groups, groups.c.id == group_members.c.group_id)
                    .where(group_members.c.account_id.in_(account_ids)).order_by(groups.c.id)):
                found[row.account_id].append(row)
        return found

    async def members_of_groups(self, group_ids: list[int]) -> dict[int, list[sa.Row]]:
        """The direct members of each of these groups (account id and username), but those
        the directory deleted: their memberships are kept, for if they come back."""
        found: dict[int, list[sa.Row]] = {g: [] for g in group_ids}
        if group_ids:
            for row in await self.all(
                    sa.select(group_members.c.group_id, accounts.c.id, accounts.c.username)
                    .join(accounts, accounts.c.id == group_members.c.account_id)
                    .outerjoin(users, users.c.account_id == accounts.c.id)
                    .where(group_members.c.group_id.in_(group_ids), _NOT_DELETED)
                    .order_by(accounts.c.id)):
                found[row.group_id].append(row)
        return found

    async def present_ids(self, account_ids: list[int]) -> set[int]:
        """Those of these accounts that exist and that the directory has not deleted."""
        if not account_ids:
            return set()
        return set(await self.scalars(
            sa.select(accounts.c.id).outerjoin(users, users.c.account_id == accounts.c.id)
            .where(self.among(accounts.c.id, account_ids), _NOT_DELETED)))

    async def people_named(self, names: list[str]) -> list[sa.Row]:
        """The people whose username or e-mail address is one of `names` (case-insensitive):
        how a pasted list of people is found."""
        keys = sorted({name.lower() for name in names})
        found: dict[int, sa.Row] = {}
        for start in range(0, len(keys), BATCH):
            batch = keys[start:start + BATCH]
            for row in await self.all(_PEOPLE.where(sa.or_(
                    accounts.c.username_lower.in_(batch), users.c.email_lower.in_(batch)))):
                found[row.account_id] = row
        return list(found.values())

    async def memberships(self) -> list[sa.Row]:
        return await self.all(sa.select(group_members.c.group_id, group_members.c.account_id))

    async def create_people(self, people: list[dict], *, password_hash: str) -> None:
        """Each dict: account_id, user_id, username, display_name, email, role, external_id,
        and optionally directory_user_name and disabled."""
        now = utcnow()
        for start in range(0, len(people), BATCH):
            batch = people[start:start + BATCH]
            await self.conn.execute(accounts.insert(), [dict(
                id=p["account_id"], username=p["username"],
                username_lower=p["username"].lower(), display_name=p["display_name"],
                fields=[], created_at=now, updated_at=now) for p in batch])
            await self.conn.execute(users.insert(), [dict(
                id=p["user_id"], account_id=p["account_id"], email=p["email"],
                email_lower=p["email"].lower(), password_hash=password_hash, role=p["role"],
                approved=True, external_id=p["external_id"], disabled=p.get("disabled", False),
                directory_user_name=p.get("directory_user_name"), created_at=now)
                for p in batch])

    async def add_memberships(self, pairs: list[tuple[int, int]]) -> None:
        """(group_id, account_id) pairs, each as a plain member."""
        now = utcnow()
        for start in range(0, len(pairs), BATCH):
            await self.insert_ignoring_conflicts(group_members, [
                dict(group_id=g, account_id=a, role="member", created_at=now)
                for g, a in pairs[start:start + BATCH]])
