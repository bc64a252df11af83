"""Post a scheduled status when its time has come (the job body for `scheduled_status.publish`).

It goes through `post_status` like any post, so visibility, groups, polls and the brand
author's attribution are decided as if its author posted it now.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import SPEAKERS, parse_role
from zwitscher.services.post_as_brand import draft_from
from zwitscher.services.post_status import post_status


async def publish_scheduled_status(uow: UnitOfWork, *, scheduled: sa.Row) -> sa.Row | None:
    """The status, or None if the person who scheduled it for a brand account may no longer
    post as it: then nothing is posted, and the scheduled status stays listed for the brand's
    other authors to see and cancel."""
    if scheduled.posted_by_id is not None and not await _still_speaks_for_brand(uow, scheduled):
        return None
    # Its uploads go from waiting to attached; should posting fail, the job's rollback
    # keeps them waiting.
    await uow.media.release_scheduled(scheduled.id)
    status = await post_status(uow, author_id=scheduled.account_id,
                               draft=draft_from(scheduled.params),
                               posted_by_id=scheduled.posted_by_id,
                               application_id=scheduled.application_id,
                               idempotency_key=scheduled.params.get("idempotency"))
    await uow.scheduled_statuses.delete(scheduled.id)
    return status


async def _still_speaks_for_brand(uow: UnitOfWork, scheduled: sa.Row) -> bool:
    grant = await uow.brands.grant_of(brand_id=scheduled.account_id,
                                      author_id=scheduled.posted_by_id)
    person = await uow.accounts.user_for_account(scheduled.posted_by_id)
    return (grant is not None and not grant.needs_approval and person is not None
            and not person.disabled and parse_role(person.role) in SPEAKERS)
