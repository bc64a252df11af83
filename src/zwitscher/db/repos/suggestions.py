"""Whom to suggest following, from three local sources (see services/suggest_accounts.py).

Every source offers only accounts a person could sensibly follow: people of the organisation
who may sign in (never guests) and brand accounts, discoverable, not the viewer, not followed
or requested already, not blocked either way, not muted, not dismissed by the viewer, not
limited by moderators.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, follow_requests, follows, suggestion_dismissals, users
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.domain.roles import ADMINISTRATORS, Role
from zwitscher.policies.visibility import hidden_author

_STAFF_ROLES = [role.value for role in ADMINISTRATORS]
_followed = follows.alias("suggestion_followed")
_followed_by_followed = follows.alias("suggestion_followed_by_followed")


def _suggestible(viewer_id: int) -> sa.ColumnElement[bool]:
    person = sa.exists().where(users.c.account_id == accounts.c.id,
                               users.c.approved.is_(True), users.c.disabled.is_(False),
                               users.c.role != Role.GUEST.value)
    return sa.and_(
        accounts.c.id != viewer_id,
        accounts.c.discoverable.is_(True),
        sa.or_(person, accounts.c.kind == "brand"),
        accounts.c.id.not_in(sa.select(follows.c.target_account_id)
                             .where(follows.c.account_id == viewer_id)),
        accounts.c.id.not_in(sa.select(follow_requests.c.target_account_id)
                             .where(follow_requests.c.account_id == viewer_id)),
        accounts.c.id.not_in(sa.select(suggestion_dismissals.c.target_account_id)
                             .where(suggestion_dismissals.c.account_id == viewer_id)),
        ~hidden_author(viewer_id, accounts.c.id),
        accounts.c.limited_at.is_(None),
    )


class SuggestionsRepo(Repo):
    async def staff(self, viewer_id: int, *, limit: int) -> list[sa.Row]:
        """The organisation's brand accounts and its admins."""
        administrator = sa.exists().where(users.c.account_id == accounts.c.id,
                                          users.c.role.in_(_STAFF_ROLES))
        return await self.all(
            accounts.select().where(_suggestible(viewer_id),
                                    sa.or_(accounts.c.kind == "brand", administrator))
            .order_by(accounts.c.followers_count.desc(), accounts.c.id).limit(limit))

    async def friends_of_friends(self, viewer_id: int, *, limit: int) -> list[sa.Row]:
        """Accounts followed by the accounts the viewer follows, the most shared first."""
        shared = sa.func.count().label("shared")
        counted = (sa.select(_followed_by_followed.c.target_account_id.label("account_id"),
                             shared)
                   .join(_followed_by_followed,
                         _followed_by_followed.c.account_id == _followed.c.target_account_id)
                   .where(_followed.c.account_id == viewer_id)
                   .group_by(_followed_by_followed.c.target_account_id).subquery())
        return await self.all(
            sa.select(accounts).join(counted, counted.c.account_id == accounts.c.id)
            .where(_suggestible(viewer_id))
            .order_by(counted.c.shared.desc(), accounts.c.followers_count.desc(),
                      accounts.c.id).limit(limit))

    async def most_followed_active(self, viewer_id: int, *, since: datetime,
                                   limit: int) -> list[sa.Row]:
        """Accounts that posted since `since`, the most followed first."""
        return await self.all(
            accounts.select().where(_suggestible(viewer_id), accounts.c.last_status_at >= since)
            .order_by(accounts.c.followers_count.desc(), accounts.c.last_status_at.desc(),
                      accounts.c.id).limit(limit))

    async def dismiss(self, *, account_id: int, target_id: int) -> None:
        await self.insert_ignoring_conflicts(suggestion_dismissals, [dict(
            id=new_id(), account_id=account_id, target_account_id=target_id,
            created_at=utcnow())])
