"""The organisation's people as the administration console lists them: an account with its
sign-in, filtered by text, role, group, status and when they were last active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, group_members, users, web_sessions

STATUSES = ("active", "pending", "unconfirmed", "limited", "deactivated")


@dataclass(frozen=True, slots=True)
class PeopleFilter:
    text: str = ""
    role: str | None = None
    group_id: int | None = None
    status: str | None = None        # one of STATUSES
    active_since: datetime | None = None
    inactive_since: datetime | None = None  # not seen since then, or never


def _last_active() -> sa.ColumnElement:
    """The later of the person's last browser visit and their last post (either may be
    missing; an app's token records no visits)."""
    seen = (sa.select(sa.func.max(web_sessions.c.last_seen_at))
            .where(web_sessions.c.user_id == users.c.id).scalar_subquery())
    posted = accounts.c.last_status_at
    return sa.case((seen.is_(None), posted), (posted.is_(None), seen),
                   (seen > posted, seen), else_=posted)


def _status(status: str) -> sa.ColumnElement[bool]:
    live = users.c.disabled.is_(False)
    return {
        "active": sa.and_(live, users.c.approved.is_(True), users.c.confirmed.is_(True)),
        "pending": sa.and_(live, users.c.approved.is_(False)),
        "unconfirmed": sa.and_(live, users.c.confirmed.is_(False)),
        "limited": sa.and_(live, accounts.c.limited_at.is_not(None)),
        "deactivated": users.c.disabled.is_(True),
    }[status]


class PeopleRepo(Repo):
    async def page(self, chosen: PeopleFilter, *, offset: int, limit: int) -> list[sa.Row]:
        """People (persons, not brand accounts) by username; each row is the account with
        `user_id`, `email`, `role`, `approved`, `confirmed`, `disabled`, `has_totp`,
        `second_factor_required` and `last_active_at`."""
        last_active = _last_active()
        query = (sa.select(accounts, users.c.id.label("user_id"), users.c.email, users.c.role,
                           users.c.approved, users.c.confirmed, users.c.disabled,
                           users.c.totp_secret.is_not(None).label("has_totp"),
                           users.c.second_factor_required,
                           last_active.label("last_active_at"))
                 .join(users, users.c.account_id == accounts.c.id))
        if chosen.text:
            pattern = "%" + chosen.text.lower().replace("\\", "\\\\").replace(
                "%", "\\%").replace("_", "\\_") + "%"
            query = query.where(sa.or_(
                accounts.c.username_lower.like(pattern, escape="\\"),
                sa.func.lower(accounts.c.display_name).like(pattern, escape="\\"),
                users.c.email_lower.like(pattern, escape="\\")))
        if chosen.role:
            query = query.where(users.c.role == chosen.role)
        if chosen.group_id is not None:
            query = query.where(accounts.c.id.in_(
                sa.select(group_members.c.account_id)
                .where(group_members.c.group_id == chosen.group_id)))
        if chosen.status:
            query = query.where(_status(chosen.status))
        if chosen.active_since is not None:
            query = query.where(last_active >= chosen.active_since)
        if chosen.inactive_since is not None:
            query = query.where(sa.or_(last_active.is_(None),
                                       last_active < chosen.inactive_since))
        return await self.all(query.order_by(accounts.c.username_lower)
                              .offset(offset).limit(limit))

    async def last_active_at(self, account_id: int) -> datetime | None:
        return await self.scalar(sa.select(_last_active())
                                 .select_from(accounts.join(users,
                                                            users.c.account_id == accounts.c.id))
                                 .where(accounts.c.id == account_id))
