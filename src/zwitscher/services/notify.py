"""Create a notification; after commit it is announced on the recipient's stream and pushed
to the devices that subscribed to it."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.queue_push import queue_push

TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
         "update")


async def notify(uow: UnitOfWork, *, recipient_id: int, actor_id: int, type: str,
                 status_id: int | None = None) -> None:
    if recipient_id == actor_id:
        return
    if await uow.relationships.is_blocked_either_way(recipient_id, actor_id):
        return
    hidden, muted_notifications = await uow.relationships.excluded_sets(recipient_id)
    if actor_id in muted_notifications:
        return
    notification_id = await uow.notifications.add(
        account_id=recipient_id, from_account_id=actor_id, type=type, status_id=status_id)
    uow.publish(f"timeline:{recipient_id}", "notification", None,
                notification_id=notification_id, account_ids=[actor_id])
    await queue_push(uow, notification_id=notification_id, recipient_id=recipient_id,
                     actor_id=actor_id, type=type)
