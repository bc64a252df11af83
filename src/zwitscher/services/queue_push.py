"""Queue a notification's Web Push deliveries: one job per subscription that asks for it.

Runs in the transaction that creates the notification, so a rollback takes the pushes back
too; the sending itself happens in `deliver_push`, after the commit.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.jobs import DeliverPush
from zwitscher.policies.push import wants_push


async def queue_push(uow: UnitOfWork, *, notification_id: int, recipient_id: int,
                     actor_id: int, type: str) -> None:
    subscriptions = await uow.push_subscriptions.of_account(recipient_id)
    if not subscriptions:
        return
    follows_actor = followed_by_actor = False
    if any(subscription.policy in ("followed", "follower") for subscription in subscriptions):
        follows_actor = await uow.relationships.get_follow(
            account_id=recipient_id, target_id=actor_id) is not None
        followed_by_actor = await uow.relationships.get_follow(
            account_id=actor_id, target_id=recipient_id) is not None
    for subscription in subscriptions:
        if wants_push(alerts=subscription.alerts, policy=subscription.policy, type=type,
                      follows_actor=follows_actor, followed_by_actor=followed_by_actor):
            await uow.enqueue(DeliverPush(subscription_id=subscription.id,
                                          notification_id=notification_id))
