"""Mark a person's notifications as read up to one they have seen, through the notifications
marker, so every client's unread count (the API's too) drops alike."""

from __future__ import annotations

from zwitscher.db.pagination import Page
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.db.uow import UnitOfWork


async def mark_notifications_read(uow: UnitOfWork, *, account_id: int,
                                  up_to: int | None = None) -> None:
    """Up to the newest notification the person may see that is not newer than `up_to` (the
    newest they were shown): one that arrived since stays unread, and an id made up to lie
    far ahead cannot mark future notifications as read. The marker never moves back."""
    # `max_id` is exclusive; capped so it stays a 64-bit integer for the database.
    page = Page(max_id=min(up_to + 1, 2**63 - 1) if up_to is not None else None, limit=1)
    newest = await uow.notifications.page(account_id, page, NotificationFilter())
    if not newest:
        return
    marker = await uow.markers.of(account_id, ["notifications"])
    if marker and marker[0].last_read_id >= newest[0].id:
        return
    await uow.markers.save(account_id, "notifications", newest[0].id)
