"""Follow, unfollow, and answer follow requests to locked accounts."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.jobs import FollowBack
from zwitscher.services.notify import notify
from zwitscher.services.record_analytics import count_follow

# The follow-back job's kind (the job lives in `services/follow_back.py`, which calls us).
BACKFILL = 40  # recent statuses of a new followee that appear in the follower's home at once


async def follow_account(uow: UnitOfWork, *, account_id: int, target_id: int,
                         reblogs: bool | None = None, notify_on_post: bool | None = None
                         ) -> None:
    """Options left as None keep their current value on an existing follow (a client that
    toggles one, as Mastodon's bell does, must not reset the other); new follows show
    reblogs and do not notify unless asked."""
    if account_id == target_id:
        raise ValidationFailed("You cannot follow yourself")
    target = await uow.accounts.get(target_id)
    if target is None:
        raise NotFound()
    if await uow.relationships.is_blocked_either_way(account_id, target_id):
        raise Forbidden("You are not allowed to follow this account")
    existing = await uow.relationships.get_follow(account_id=account_id, target_id=target_id)
    if existing is not None:
        await uow.relationships.follow(
            account_id=account_id, target_id=target_id,
            show_reblogs=existing.show_reblogs if reblogs is None else reblogs,
            notify=existing.notify if notify_on_post is None else notify_on_post)
        return
    reblogs = True if reblogs is None else reblogs
    notify_on_post = bool(notify_on_post)
    if target.locked:
        if await uow.relationships.request_follow(account_id=account_id, target_id=target_id,
                                                  show_reblogs=reblogs, notify=notify_on_post):
            await notify(uow, recipient_id=target_id, actor_id=account_id,
                         type="follow_request")
        return
    if await _start_following(uow, account_id=account_id, target_id=target_id, reblogs=reblogs,
                              notify_on_post=notify_on_post):
        await notify(uow, recipient_id=target_id, actor_id=account_id, type="follow")


async def _start_following(uow: UnitOfWork, *, account_id: int, target_id: int, reblogs: bool,
                           notify_on_post: bool) -> bool:
    """True if a new follow began. Its notification is the caller's business: someone who just
    approved a request is not told that the requester followed them (as Mastodon)."""
    if not await uow.relationships.follow(account_id=account_id, target_id=target_id,
                                          show_reblogs=reblogs, notify=notify_on_post):
        return False
    await uow.accounts.add_to_counter(account_id, "following_count", 1)
    await uow.accounts.add_to_counter(target_id, "followers_count", 1)
    await uow.quality.record_follow_event(account_id=account_id, target_id=target_id,
                                          action="follow")
    await count_follow(uow, target_id=target_id, began=True)
    target = await uow.accounts.get(target_id)
    if target.follow_back:
        await uow.enqueue(FollowBack(account_id=target_id, follower_id=account_id))
    await uow.accounts.mark_fan_out_on_read(target_id, threshold=uow.settings.fan_out_threshold)
    await uow.home_feed.merge_author(account_id=account_id, author_id=target_id,
                                     limit=BACKFILL)
    # Open streams of the follower listen to the channels of read-time-merged accounts.
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
    return True


async def unfollow_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    await uow.relationships.take_follow_request(account_id=account_id, target_id=target_id)
    await uow.notifications.delete_follow_request(account_id=target_id,
                                                  from_account_id=account_id)
    if await remove_follow(uow, account_id=account_id, target_id=target_id):
        # Only unfollows by choice count towards churn, not follows a block ended.
        await uow.quality.record_follow_event(account_id=account_id, target_id=target_id,
                                              action="unfollow")


async def remove_follow(uow: UnitOfWork, *, account_id: int, target_id: int) -> bool:
    """End a follow (if any), and with it the endorsement, and take the followee's entries
    out of the follower's home. True if there was a follow to end."""
    ended = await uow.relationships.unfollow(account_id=account_id, target_id=target_id)
    await uow.endorsements.remove(account_id=account_id, target_id=target_id)
    if ended:
        await uow.accounts.add_to_counter(account_id, "following_count", -1)
        await uow.accounts.add_to_counter(target_id, "followers_count", -1)
        await count_follow(uow, target_id=target_id, began=False)
        uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
    # Lists hold followed accounts only (as Mastodon's list memberships hang on the follow).
    await uow.lists.remove_from_all(owner_id=account_id, account_id=target_id)
    await uow.home_feed.remove_author(account_id=account_id, author_id=target_id)
    return ended


async def authorize_follow_request(uow: UnitOfWork, *, account_id: int, requester_id: int
                                   ) -> None:
    request = await uow.relationships.take_follow_request(account_id=requester_id,
                                                          target_id=account_id)
    if request is None:
        raise NotFound()
    await uow.notifications.delete_follow_request(account_id=account_id,
                                                  from_account_id=requester_id)
    await _start_following(uow, account_id=requester_id, target_id=account_id,
                           reblogs=request.show_reblogs, notify_on_post=request.notify)


async def reject_follow_request(uow: UnitOfWork, *, account_id: int, requester_id: int) -> None:
    if await uow.relationships.take_follow_request(account_id=requester_id,
                                                   target_id=account_id) is None:
        raise NotFound()
    await uow.notifications.delete_follow_request(account_id=account_id,
                                                  from_account_id=requester_id)
