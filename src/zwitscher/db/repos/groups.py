"""Groups, their members and their tree (`group_tree` holds every ancestor-descendant pair)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, group_members, group_tree, groups
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.policies.group_moderation import GROUP_MODERATOR

_moderators = group_members.alias("group_moderators")


class GroupsRepo(Repo):
    async def create(self, *, slug: str, name: str, description: str = "",
                     parent_id: int | None = None, external_id: str | None = None) -> int:
        now = utcnow()
        group_id = new_id()
        await self.conn.execute(groups.insert().values(
            id=group_id, slug=slug, name=name, description=description, parent_id=parent_id,
            external_id=external_id, created_at=now, updated_at=now))
        return group_id

    async def get(self, group_id: int) -> sa.Row | None:
        return await self.one(groups.select().where(groups.c.id == group_id))

    async def get_many(self, ids: set[int] | list[int]) -> dict[int, sa.Row]:
        if not ids:
            return {}
        rows = await self.all(groups.select().where(self.among(groups.c.id, ids)))
        return {row.id: row for row in rows}

    async def by_slug(self, slug: str) -> sa.Row | None:
        return await self.one(groups.select().where(groups.c.slug == slug.lower()))

    async def by_slugs(self, slugs: list[str]) -> dict[str, sa.Row]:
        if not slugs:
            return {}
        rows = await self.all(groups.select().where(
            groups.c.slug.in_([s.lower() for s in slugs])))
        return {row.slug: row for row in rows}

    async def by_external_id(self, external_id: str) -> sa.Row | None:
        return await self.one(groups.select().where(groups.c.external_id == external_id))

    async def update(self, group_id: int, **values) -> None:
        await self.conn.execute(groups.update().where(groups.c.id == group_id)
                                .values(**values, updated_at=utcnow()))

    async def reparent_children(self, group_id: int, new_parent_id: int | None) -> None:
        await self.conn.execute(groups.update().where(groups.c.parent_id == group_id)
                                .values(parent_id=new_parent_id, updated_at=utcnow()))

    async def delete(self, group_id: int) -> None:
        await self.conn.execute(groups.delete().where(groups.c.id == group_id))

    async def page(self, page: Page, *, slug_prefix: str | None = None) -> list[sa.Row]:
        query = groups.select()
        if slug_prefix:
            query = query.where(groups.c.slug.startswith(slug_prefix.lower(), autoescape=True))
        return newest_first(await self.all(apply_page(query, groups.c.id, page)), page)

    async def all_groups(self) -> list[sa.Row]:
        return await self.all(groups.select().order_by(groups.c.slug))

    async def press_groups(self) -> list[sa.Row]:
        """The press groups (`policies.press`), by their public name."""
        return await self.all(groups.select().where(groups.c.press.is_(True))
                              .order_by(groups.c.press_name, groups.c.id))

    # The tree.

    async def descendant_ids(self, group_id: int) -> list[int]:
        """The group itself and every group below it."""
        return await self.scalars(sa.select(group_tree.c.descendant_id)
                                  .where(group_tree.c.ancestor_id == group_id))

    async def rebuild_tree(self) -> None:
        """Recompute every ancestor-descendant pair from `parent_id` (organisations have
        hundreds of groups, not millions: rebuilding is simpler than patching)."""
        parents = {row.id: row.parent_id for row in
                   await self.all(sa.select(groups.c.id, groups.c.parent_id))}
        pairs = []
        for group_id in parents:
            seen, current = set(), group_id
            while current is not None and current not in seen:
                seen.add(current)
                pairs.append(dict(ancestor_id=current, descendant_id=group_id))
                current = parents.get(current)
        await self.conn.execute(group_tree.delete())
        if pairs:
            await self.conn.execute(group_tree.insert(), pairs)

    # Members.

    async def add_members(self, group_id: int, account_ids: list[int], *,
                          role: str = "member") -> int:
        now = utcnow()
        return await self.insert_ignoring_conflicts(group_members, [
            dict(group_id=group_id, account_id=a, role=role, created_at=now)
            for a in dict.fromkeys(account_ids)])

    async def set_member_role(self, group_id: int, account_id: int, role: str) -> None:
        await self.conn.execute(group_members.update().where(
            group_members.c.group_id == group_id, group_members.c.account_id == account_id)
            .values(role=role))

    async def remove_members(self, group_id: int, account_ids: list[int]) -> int:
        if not account_ids:
            return 0
        result = await self.conn.execute(group_members.delete().where(
            group_members.c.group_id == group_id, group_members.c.account_id.in_(account_ids)))
        return result.rowcount

    async def direct_member_ids(self, group_id: int) -> list[int]:
        return await self.scalars(sa.select(group_members.c.account_id)
                                  .where(group_members.c.group_id == group_id))

    async def member_ids(self, group_ids: list[int]) -> list[int]:
        """Everyone in these groups or any group below them, once each."""
        if not group_ids:
            return []
        return await self.scalars(
            sa.select(group_members.c.account_id).distinct()
            .join(group_tree, group_tree.c.descendant_id == group_members.c.group_id)
            .where(group_tree.c.ancestor_id.in_(group_ids)))

    async def is_member(self, account_id: int, group_id: int) -> bool:
        """A member of this group or of any group below it."""
        return await self.exists(
            sa.select(group_members.c.group_id)
            .join(group_tree, group_tree.c.descendant_id == group_members.c.group_id)
            .where(group_tree.c.ancestor_id == group_id,
                   group_members.c.account_id == account_id))

    async def members_page(self, group_id: int, page: Page) -> list[sa.Row]:
        """Direct members with their role in the group, newest first by account id."""
        query = (sa.select(accounts, group_members.c.role.label("group_role"))
                 .join(group_members, group_members.c.account_id == accounts.c.id)
                 .where(group_members.c.group_id == group_id))
        return newest_first(await self.all(apply_page(query, accounts.c.id, page)), page)

    async def membership(self, group_id: int, account_id: int) -> sa.Row | None:
        return await self.one(group_members.select().where(
            group_members.c.group_id == group_id, group_members.c.account_id == account_id))

    async def manages(self, account_id: int, group_id: int) -> bool:
        """A manager of this group or of any group above it."""
        return await self.exists(
            sa.select(group_members.c.group_id)
            .join(group_tree, group_tree.c.ancestor_id == group_members.c.group_id)
            .where(group_tree.c.descendant_id == group_id,
                   group_members.c.account_id == account_id,
                   group_members.c.role == "manager"))

    async def managed_by(self, account_id: int) -> list[sa.Row]:
        """The groups an account manages: those it is a manager of, and all below them."""
        managed = (sa.select(group_tree.c.descendant_id)
                   .join(group_members, group_members.c.group_id == group_tree.c.ancestor_id)
                   .where(group_members.c.account_id == account_id,
                          group_members.c.role == "manager"))
        return await self.all(groups.select().where(groups.c.id.in_(managed))
                              .order_by(groups.c.name, groups.c.id))

    async def moderates_any(self, account_id: int) -> bool:
        return await self.exists(sa.select(group_members.c.group_id).where(
            group_members.c.account_id == account_id,
            group_members.c.role == GROUP_MODERATOR))

    async def moderator_ids(self, account_id: int) -> list[int]:
        """Who moderates a group this account belongs to (directly or from above)."""
        return await self.scalars(
            sa.select(_moderators.c.account_id).distinct()
            .join(group_tree, group_tree.c.ancestor_id == _moderators.c.group_id)
            .join(group_members, group_members.c.group_id == group_tree.c.descendant_id)
            .where(group_members.c.account_id == account_id,
                   _moderators.c.role == GROUP_MODERATOR))

    async def manages_any(self, account_id: int) -> bool:
        return await self.exists(sa.select(group_members.c.group_id).where(
            group_members.c.account_id == account_id, group_members.c.role == "manager"))

    async def groups_of(self, account_id: int) -> list[sa.Row]:
        """The groups an account belongs to directly, with its role in each."""
        return await self.all(
            sa.select(groups, group_members.c.role.label("group_role"))
            .join(group_members, group_members.c.group_id == groups.c.id)
            .where(group_members.c.account_id == account_id).order_by(groups.c.slug))

    async def member_counts(self, group_ids: list[int]) -> dict[int, int]:
        """Direct members per group."""
        if not group_ids:
            return {}
        rows = await self.all(sa.select(group_members.c.group_id, sa.func.count())
                              .where(group_members.c.group_id.in_(group_ids))
                              .group_by(group_members.c.group_id))
        return {row[0]: row[1] for row in rows}

    async def people_in(self, group_id: int, *, role: str, offset: int = 0,
                        limit: int = 100) -> list[sa.Row]:
        """Direct members with this role (id, username, display name), by username."""
        return await self.all(
            sa.select(accounts.c.id, accounts.c.username, accounts.c.display_name)
            .join(group_members, group_members.c.account_id == accounts.c.id)
            .where(group_members.c.group_id == group_id, group_members.c.role == role)
            .order_by(accounts.c.username_lower).offset(offset).limit(limit))

    async def role_counts(self, group_id: int) -> dict[str, int]:
        """Direct members per role ("member", "manager")."""
        rows = await self.all(sa.select(group_members.c.role, sa.func.count())
                              .where(group_members.c.group_id == group_id)
                              .group_by(group_members.c.role))
        return {row[0]: row[1] for row in rows}
