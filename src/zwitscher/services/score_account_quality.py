"""Score one account's quality from its last 30 days and keep the result (`account_quality`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound
from zwitscher.domain.quality import WINDOW, FollowEvent, Post, assess


@dataclass(frozen=True, slots=True)
class Quality:
    account_id: int
    score: float
    flags: list[str]
    signals: dict
    computed_at: datetime


async def score_account_quality(uow: UnitOfWork, *, account_id: int) -> Quality:
    account = await uow.accounts.get(account_id)
    if account is None:
        raise NotFound()
    now = utcnow()
    since = max(now - WINDOW, account.created_at)
    posts = [Post(row.text, row.reblog_of_id is not None)
             for row in await uow.quality.posts_since(account_id, since)]
    events = [FollowEvent(row.target_account_id, row.action, row.created_at)
              for row in await uow.quality.follow_events_since(account_id, since)]
    result = assess(posts=posts, events=events, followers=account.followers_count,
                    following=account.following_count,
                    days_observed=(now - since).total_seconds() / 86400)
    await uow.quality.save(account_id, score=result.score, flags=result.flags,
                           signals=result.signals, computed_at=now)
    return Quality(account_id, result.score, result.flags, result.signals, now)
