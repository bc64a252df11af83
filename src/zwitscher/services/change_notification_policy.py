"""Change what one's notification policy does (accept, filter or drop) per condition."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.notification_policy import ACTIONS, CONDITIONS


async def change_notification_policy(uow: UnitOfWork, *, account_id: int,
                                     changes: dict[str, str | None]) -> dict[str, str]:
    """Conditions left as None keep their action. Applies to notifications made from now on:
    those already filtered stay in their requests until accepted or dismissed."""
    for condition, action in changes.items():
        if condition not in CONDITIONS:
            raise ValidationFailed("Unknown policy condition: %(condition)s",
                                   condition=condition[:40])
        if action is not None and action not in ACTIONS:
            raise ValidationFailed("%(condition)s must be one of %(choices)s",
                                   condition=condition, choices=', '.join(ACTIONS))
    policy = await uow.notification_filters.policy(account_id)
    policy.update({name: action for name, action in changes.items() if action is not None})
    await uow.notification_filters.save_policy(account_id, policy)
    return policy
