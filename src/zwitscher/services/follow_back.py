"""Follow back whoever follows an account that asked for it (`accounts.follow_back`).

Runs as a job after the follow committed. It does nothing when the policy was switched off
meanwhile, the follow already ended, the account already follows (or asked to follow) the
follower, the account blocks or mutes the follower (or is blocked by them), or the follower's
quality score, computed afresh here, flags them. A locked follower gets a follow request, as
anyone's follow would.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.services.follow_account import follow_account
from zwitscher.services.score_account_quality import score_account_quality


async def follow_back(uow: UnitOfWork, *, account_id: int, follower_id: int) -> bool:
    """True if a follow (or a follow request) was made."""
    account = await uow.accounts.get(account_id)
    if account is None or not account.follow_back:
        return False
    if await uow.relationships.get_follow(account_id=follower_id, target_id=account_id) is None:
        return False
    facts = await uow.relationships.facts(account_id, [follower_id])
    mute = facts.muting.get(follower_id)
    if (follower_id in facts.following or follower_id in facts.requested
            or follower_id in facts.blocking or follower_id in facts.blocked_by
            or (mute is not None and (mute.expires_at is None or mute.expires_at > utcnow()))):
        return False
    if (await score_account_quality(uow, account_id=follower_id)).flags:
        return False
    await follow_account(uow, account_id=account_id, target_id=follower_id)
    return True
