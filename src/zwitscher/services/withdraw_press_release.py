"""A communicator withdraws a press release before it is published: it is gone for its press
groups too, its jobs find nothing to do, and its uploads are free again (a published one is
withdrawn by deleting its post)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.policies.brands import brand_grant


async def withdraw_press_release(uow: UnitOfWork, *, person_id: int, role: str | None,
                                 release_id: int) -> None:
    release = await uow.press_releases.get(release_id)
    if release is None:
        raise NotFound("No such press release")
    await brand_grant(uow, person_id=person_id, role=role, brand_id=release.brand_id)
    if release.published_at is not None:
        raise ValidationFailed("This release is published: delete its post instead")
    await uow.media.release_press_release(release.id)
    await uow.press_releases.delete(release.id)
