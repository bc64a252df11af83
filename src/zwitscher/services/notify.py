"""Create a notification and announce it on the recipient's stream after commit.

On the way the recipient's choices apply: nothing from accounts they block, that block them,
that they muted with notifications or whose domain they block, nothing about a status of a
thread they muted (Mastodon's muted conversations: mentions, replies, favourites, boosts,
polls and edits alike); then their notification policy accepts it, drops it, or files it
under a notification request (filtered: not shown among the others, not streamed).
`admin.report` notifications are a moderator's duty and a legal hold on one's account is news
one must get (`DUTIES`), not matters of taste: they skip all of this. Favourites, reblogs and
follows get a group key.
After commit, a notification that was let through is announced on the recipient's stream and
pushed to the devices that subscribed to it.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.notification_groups import candidate_keys, group_prefix, hour_of
from zwitscher.domain.notification_policy import (
    FILTERABLE_TYPES,
    NEW_ACCOUNT_AGE,
    SenderFacts,
    verdict,
)
from zwitscher.domain.roles import MODERATORS, parse_role
from zwitscher.domain.visibility import Visibility
from zwitscher.services.queue_push import queue_push

REPORT = "admin.report"
# A brand author's draft was decided (from the brand account; Zwitscher's own types).
DRAFT_APPROVED = "brand.draft_approved"
DRAFT_REJECTED = "brand.draft_rejected"
# A legal hold on the recipient's account was placed, or ended (from the admin who approved or
# ended it; Zwitscher's own types, `services/tell_about_legal_hold.py`).
LEGAL_HOLD_PLACED = "legal_hold.placed"
LEGAL_HOLD_ENDED = "legal_hold.ended"
TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
         "update", REPORT, DRAFT_APPROVED, DRAFT_REJECTED, LEGAL_HOLD_PLACED, LEGAL_HOLD_ENDED)
DUTIES = frozenset({REPORT, LEGAL_HOLD_PLACED, LEGAL_HOLD_ENDED})
# The types a muted thread silences (a brand draft's decision is no news from a thread).
THREAD_TYPES = frozenset({"mention", "status", "reblog", "favourite", "poll", "update"})


async def notify(uow: UnitOfWork, *, recipient_id: int, actor_id: int, type: str,
                 status_id: int | None = None, report_id: int | None = None) -> None:
    # The end of your own poll is news to you; anything else you did yourself is not.
    if recipient_id == actor_id and type != "poll":
        return
    action = "accept"
    if type not in DUTIES:
        if await uow.relationships.is_blocked_either_way(recipient_id, actor_id):
            return
        _, muted_notifications = await uow.relationships.excluded_sets(recipient_id)
        if actor_id in muted_notifications:
            return
        if type in THREAD_TYPES and status_id is not None and \
                await uow.interactions.mutes_thread_of(recipient_id, status_id):
            return
        if type in FILTERABLE_TYPES:
            action = await _policy_verdict(uow, recipient_id=recipient_id, sender_id=actor_id,
                                           type=type, status_id=status_id)
    if action == "drop":
        return
    filtered = action == "filter"
    notification_id = await uow.notifications.add(
        account_id=recipient_id, from_account_id=actor_id, type=type, status_id=status_id,
        group_key=await _group_key(uow, recipient_id, type, status_id), filtered=filtered,
        report_id=report_id)
    if filtered:
        await uow.notification_filters.hold(account_id=recipient_id, from_account_id=actor_id)
        return
    uow.publish(home_channel(recipient_id), Event.NOTIFICATION, None,
                notification_id=notification_id, account_ids=[actor_id])
    await queue_push(uow, notification_id=notification_id, recipient_id=recipient_id,
                     actor_id=actor_id, type=type)


async def _policy_verdict(uow: UnitOfWork, *, recipient_id: int, sender_id: int, type: str,
                          status_id: int | None) -> str:
    policy = await uow.notification_filters.policy(recipient_id)
    sender = await uow.accounts.get(sender_id)
    sender_is_limited = sender is not None and sender.limited_at is not None
    if not sender_is_limited and all(action == "accept" for name, action in policy.items()
                                     if name != "for_limited_accounts"):
        return "accept"  # the usual case: no need to look further at the sender
    facts = await uow.relationships.facts(recipient_id, [sender_id])
    sender_user = await uow.accounts.user_for_account(sender_id)
    status = await uow.statuses.get(status_id) if status_id is not None else None
    private_mention = (type == "mention" and status is not None
                       and status.visibility == Visibility.DIRECT.value
                       and status.in_reply_to_account_id != recipient_id)
    return verdict(policy, SenderFacts(
        recipient_follows_sender=sender_id in facts.following,
        sender_follows_recipient=sender_id in facts.followed_by,
        sender_is_new=sender is not None and sender.created_at > utcnow() - NEW_ACCOUNT_AGE,
        sender_is_limited=sender_is_limited,
        private_mention=private_mention,
        sender_is_staff=sender_user is not None and parse_role(sender_user.role) in MODERATORS,
        permitted=await uow.notification_filters.permitted(account_id=recipient_id,
                                                           from_account_id=sender_id)))


async def _group_key(uow: UnitOfWork, recipient_id: int, type: str,
                     status_id: int | None) -> str | None:
    """Join the recipient's newest group of this kind that is young enough, else begin one."""
    prefix = group_prefix(type, status_id)
    if prefix is None:
        return None
    candidates = candidate_keys(prefix, hour_of(utcnow()))
    return await uow.notifications.newest_group_key(recipient_id, candidates) or candidates[0]
