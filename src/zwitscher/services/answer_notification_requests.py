"""Accept or dismiss notification requests (the notifications a policy filtered, per sender).

Accepting moves the sender's filtered notifications in among the others and lets their future
ones through; dismissing deletes the filtered notifications with the request (a sender who
goes on gets a new request).
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed

MAX_AT_ONCE = 100


async def accept_requests(uow: UnitOfWork, *, account_id: int, request_ids: list[int],
                          must_exist: bool = False) -> None:
    requests = await _requests(uow, account_id, request_ids, must_exist)
    await uow.notification_filters.permit(
        account_id=account_id, from_account_ids=[row.from_account_id for row in requests])
    await uow.notification_filters.release(account_id=account_id, requests=requests)


async def dismiss_requests(uow: UnitOfWork, *, account_id: int, request_ids: list[int],
                           must_exist: bool = False) -> None:
    requests = await _requests(uow, account_id, request_ids, must_exist)
    await uow.notification_filters.discard(account_id=account_id, requests=requests)


async def _requests(uow: UnitOfWork, account_id: int, request_ids: list[int],
                    must_exist: bool) -> list:
    """The person's own requests among these ids (others' are never touched); with
    `must_exist` (a single request by its path), NotFound if it is not theirs."""
    if not request_ids:
        raise ValidationFailed("id is required")
    if len(request_ids) > MAX_AT_ONCE:
        raise ValidationFailed("At most %(max_at_once)s requests at once", max_at_once=MAX_AT_ONCE)
    requests = await uow.notification_filters.requests_by_ids(account_id, request_ids)
    if must_exist and not requests:
        raise NotFound()
    return requests
