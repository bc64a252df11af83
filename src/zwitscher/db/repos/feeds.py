"""The aggregated feeds (the "umbrella"): public posts of the organisation's own accounts.

An account belongs to the organisation when it is a brand account, or when its person is an
insider (any role but guest, not disabled). A post counts when it is `public`, not a reblog and
not a reply to someone else (a thread of one's own belongs in). A group feed narrows the
authors to members of the group or of any group below it, as membership is when it is read.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, group_members, group_tree, statuses, users
from zwitscher.domain.roles import Role
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import hidden_by_viewer, visible_to


def _organisation_accounts() -> sa.Select:
    return sa.union(
        sa.select(accounts.c.id).where(accounts.c.kind == "brand"),
        sa.select(users.c.account_id).where(users.c.role != Role.GUEST.value,
                                            users.c.disabled.is_(False)))


def _group_accounts(group_id: int) -> sa.Select:
    return (sa.select(group_members.c.account_id)
            .join(group_tree, group_tree.c.descendant_id == group_members.c.group_id)
            .where(group_tree.c.ancestor_id == group_id))


class FeedsRepo(Repo):
    async def aggregated(self, page: Page, *, viewer_id: int | None,
                         group_id: int | None = None) -> list[sa.Row]:
        """The organisation's feed, or with `group_id` that group's, newest first. The viewer's
        visibility predicate and their blocks and mutes apply as on every timeline."""
        query = statuses.select().where(
            statuses.c.visibility == Visibility.PUBLIC.value,
            statuses.c.reblog_of_id.is_(None),
            sa.or_(statuses.c.in_reply_to_id.is_(None),
                   statuses.c.in_reply_to_account_id == statuses.c.account_id),
            statuses.c.account_id.in_(_organisation_accounts()),
            visible_to(viewer_id),
            ~hidden_by_viewer(viewer_id))
        if group_id is not None:
            query = query.where(statuses.c.account_id.in_(_group_accounts(group_id)))
        return newest_first(await self.all(apply_page(query, statuses.c.id, page)), page)
