"""Remove someone from one's followers (Mastodon's `remove_from_followers`): their follow ends
as if they had unfollowed, except that it counts as no unfollow of theirs (quality scores)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.services.follow_account import remove_follow


async def remove_follower(uow: UnitOfWork, *, account_id: int, follower_id: int) -> None:
    """Ends the follow (counters, the follower's home, lists and streams as on unfollowing, so
    no later post of `account_id` reaches them for following); nothing if there was none."""
    if await uow.accounts.get(follower_id) is None:
        raise NotFound()
    await remove_follow(uow, account_id=follower_id, target_id=account_id)
