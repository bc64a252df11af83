"""Lists: their rows, their members, and what a list shows of its members' statuses.

A list shows what its owner's home timeline would show of its members (visible to the owner,
not hidden by their blocks and mutes, reblogs only when wanted), except direct statuses (those
belong to conversations), with replies to others chosen by the list's `replies_policy`.
`shown_in_list` states that once, for the list timeline and for delivery to list streams.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, follows, list_accounts, lists, statuses
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import Viewer, hidden_by_viewer, visible_to

original = statuses.alias("list_original")
# The reply rules look the replied-to account up apart from the joins around them.
_reply_follows = follows.alias("list_reply_follows")
_reply_members = list_accounts.alias("list_reply_members")


def exclusive_members(owner_id: Viewer | sa.ColumnElement) -> sa.Select:
    """Accounts whose statuses stay out of the owner's home: members of exclusive lists."""
    exclusive = lists.alias("exclusive_lists")
    members = list_accounts.alias("exclusive_members")
    return (sa.select(members.c.account_id)
            .join(exclusive, exclusive.c.id == members.c.list_id)
            .where(exclusive.c.account_id == owner_id, exclusive.c.exclusive.is_(True)))


def shown_in_list(owner_id: Viewer | sa.ColumnElement, list_table: sa.FromClause,
                  followed: sa.FromClause) -> sa.ColumnElement[bool]:
    """Whether a status (of a member the owner follows through `followed`, joined with
    `original` for reblogs) belongs in the list's timeline."""
    replied_to = statuses.c.in_reply_to_account_id
    replies = sa.or_(
        replied_to.is_(None),
        replied_to == statuses.c.account_id,
        replied_to == owner_id,
        sa.and_(list_table.c.replies_policy == "followed", sa.exists().where(
            _reply_follows.c.account_id == owner_id,
            _reply_follows.c.target_account_id == replied_to)),
        sa.and_(list_table.c.replies_policy == "list", sa.exists().where(
            _reply_members.c.list_id == list_table.c.id,
            _reply_members.c.account_id == replied_to)),
    )
    return sa.and_(
        statuses.c.visibility != Visibility.DIRECT.value,
        sa.or_(statuses.c.reblog_of_id.is_(None), followed.c.show_reblogs.is_(True)),
        replies,
        visible_to(owner_id),
        ~hidden_by_viewer(owner_id, statuses, original))


class ListsRepo(Repo):
    async def create(self, *, account_id: int, title: str, replies_policy: str,
                     exclusive: bool) -> sa.Row:
        list_id = new_id()
        await self.conn.execute(lists.insert().values(
            id=list_id, account_id=account_id, title=title, replies_policy=replies_policy,
            exclusive=exclusive, created_at=utcnow()))
        return await self.get(list_id)

    async def get(self, list_id: int) -> sa.Row | None:
        return await self.one(lists.select().where(lists.c.id == list_id))

    async def owned(self, account_id: int) -> list[sa.Row]:
        return await self.all(lists.select().where(lists.c.account_id == account_id)
                              .order_by(lists.c.id))

    async def count(self, account_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(
            lists.c.account_id == account_id))

    async def update(self, list_id: int, **values) -> None:
        await self.conn.execute(lists.update().where(lists.c.id == list_id).values(**values))

    async def delete(self, list_id: int) -> None:
        await self.conn.execute(lists.delete().where(lists.c.id == list_id))

    # Members.

    async def members(self, list_id: int, page: Page | None) -> list[tuple[int, sa.Row]]:
        """Members with their membership ids (for paging), newest first; all with no page."""
        query = (sa.select(list_accounts.c.id.label("page_id"), accounts)
                 .join(accounts, accounts.c.id == list_accounts.c.account_id)
                 .where(list_accounts.c.list_id == list_id))
        if page is None:
            rows = await self.all(query.order_by(list_accounts.c.id.desc()))
        else:
            rows = newest_first(await self.all(apply_page(query, list_accounts.c.id, page)),
                                page)
        return [(row.page_id, row) for row in rows]

    async def member_ids(self, list_id: int, among: list[int]) -> set[int]:
        return set(await self.scalars(sa.select(list_accounts.c.account_id).where(
            list_accounts.c.list_id == list_id, list_accounts.c.account_id.in_(among))))

    async def add_members(self, list_id: int, account_ids: list[int]) -> None:
        now = utcnow()
        await self.insert_ignoring_conflicts(list_accounts, [
            dict(id=new_id(), list_id=list_id, account_id=a, created_at=now)
            for a in account_ids])

    async def remove_members(self, list_id: int, account_ids: list[int]) -> None:
        await self.conn.execute(list_accounts.delete().where(
            list_accounts.c.list_id == list_id, list_accounts.c.account_id.in_(account_ids)))

    async def remove_from_all(self, *, owner_id: int, account_id: int) -> bool:
        """Take an account out of every list of `owner_id` (they stopped following it);
        True if it was in one."""
        result = await self.conn.execute(list_accounts.delete().where(
            list_accounts.c.account_id == account_id,
            list_accounts.c.list_id.in_(sa.select(lists.c.id)
                                        .where(lists.c.account_id == owner_id))))
        return result.rowcount > 0

    async def containing(self, *, owner_id: int, account_id: int) -> list[sa.Row]:
        return await self.all(
            lists.select().join(list_accounts, list_accounts.c.list_id == lists.c.id)
            .where(lists.c.account_id == owner_id, list_accounts.c.account_id == account_id)
            .order_by(lists.c.id))

    async def ids_containing(self, account_id: int) -> list[int]:
        return await self.scalars(sa.select(list_accounts.c.list_id)
                                  .where(list_accounts.c.account_id == account_id))

    async def exclusive_member_ids(self, owner_id: int) -> set[int]:
        return set(await self.scalars(exclusive_members(owner_id)))

    # What lists show.

    async def timeline(self, list_row: sa.Row, page: Page) -> list[sa.Row]:
        """The list's statuses, newest first, in one query: its members' statuses by the
        (account_id, id) index, under the rules of `shown_in_list`."""
        owner_id = list_row.account_id
        query = (sa.select(statuses)
                 .select_from(
                     statuses.join(list_accounts, sa.and_(
                         list_accounts.c.account_id == statuses.c.account_id,
                         list_accounts.c.list_id == list_row.id))
                     .join(lists, lists.c.id == list_accounts.c.list_id)
                     .join(follows, sa.and_(follows.c.account_id == owner_id,
                                            follows.c.target_account_id == statuses.c.account_id))
                     .outerjoin(original, original.c.id == statuses.c.reblog_of_id))
                 .where(shown_in_list(owner_id, lists, follows)))
        return newest_first(await self.all(apply_page(query, statuses.c.id, page)), page)

    async def receiving(self, status_id: int) -> list[int]:
        """The lists a new status enters (for their live streams), by the same rules as the
        list timeline, each judged for its own owner."""
        return await self.scalars(_receiving(), {"status_id": status_id})


@functools.cache
def _receiving() -> sa.Select:
    """Built once: each fan-out asks it, and building it costs twenty times its run."""
    owner = lists.c.account_id
    return (sa.select(lists.c.id)
            .select_from(
                statuses.join(list_accounts, list_accounts.c.account_id == statuses.c.account_id)
                .join(lists, lists.c.id == list_accounts.c.list_id)
                .join(follows, sa.and_(follows.c.account_id == owner,
                                       follows.c.target_account_id == statuses.c.account_id))
                .outerjoin(original, original.c.id == statuses.c.reblog_of_id))
            .where(statuses.c.id == sa.bindparam("status_id"),
                   shown_in_list(owner, lists, follows)))
