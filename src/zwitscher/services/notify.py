"""Create a notification and announce it on the recipient's stream after commit."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork

TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll",
         "update")


async def notify(uow: UnitOfWork, *, recipient_id: int, actor_id: int, type: str,
                 status_id: int | None = None) -> None:
    # The end of your own poll is news to you; anything else you did yourself is not.
    if recipient_id == actor_id and type != "poll":
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
