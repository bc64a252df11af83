"""Whom to follow: suggestions from three local sources, and dismissing one.

- `friends_of_friends`: accounts followed by those the person follows, the most shared first;
- `featured`: the organisation's brand accounts and its admins (Mastodon's "staff" picks);
- `most_followed`: the most followed accounts that posted in the last 30 days.
An account found by several sources is suggested once, with all of them, in that order. The
personal source comes first (Mastodon puts staff picks first): an organisation may have many
brand accounts and admins, and they should not crowd out the people someone works with.
Guests (external people) are never suggested: they are in the organisation to talk with some,
not to be promoted to everyone. They do get suggestions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow

ACTIVE_WITHIN = timedelta(days=30)


@dataclass(slots=True)
class Suggestion:
    account: sa.Row
    sources: list[str] = field(default_factory=list)


async def suggest_accounts(uow: UnitOfWork, *, viewer_id: int, limit: int) -> list[Suggestion]:
    found: dict[int, Suggestion] = {}
    sources = (
        ("friends_of_friends", await uow.suggestions.friends_of_friends(viewer_id, limit=limit)),
        ("featured", await uow.suggestions.staff(viewer_id, limit=limit)),
        ("most_followed", await uow.suggestions.most_followed_active(
            viewer_id, since=utcnow() - ACTIVE_WITHIN, limit=limit)),
    )
    for source, accounts in sources:
        for account in accounts:
            found.setdefault(account.id, Suggestion(account)).sources.append(source)
    return list(found.values())[:limit]


async def dismiss_suggestion(uow: UnitOfWork, *, viewer_id: int, account_id: int) -> None:
    """As Mastodon, an id of no account is not an error; there is just nothing to dismiss."""
    if account_id != viewer_id and await uow.accounts.get(account_id) is not None:
        await uow.suggestions.dismiss(account_id=viewer_id, target_id=account_id)
