"""A communicator writes a press release for a brand account they may post as, or changes it
until it is published (`policies/press_releases.py` says who reads it meanwhile).

The embargo is two moments: `preview_at`, from which the release's press groups read it (and
are e-mailed), and `publish_at`, when the job system posts it as a status of the brand for
its audience: the public, or only the press groups. A release without a `publish_at` is
published at once. Each moment is a job queued for it; a release moved to other times gets
new jobs, and the old ones find nothing to do when they run (`publish_press_release`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.jobs import PreviewPressRelease, PublishPressRelease
from zwitscher.policies.brands import brand_grant
from zwitscher.services.attach_media import check_media
from zwitscher.services.publish_press_release import publish_press_release

MAX_HEADLINE = 200
MAX_BODY = 20_000
MAX_CONTACT_DETAILS = 500
MAX_GROUPS = 20
# A clock a little behind ours must not make "now" a time in the past.
LEEWAY = timedelta(seconds=60)
FURTHEST = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class ReleaseDraft:
    headline: str
    body: str
    public: bool
    group_ids: tuple[int, ...] = ()
    media_ids: tuple[int, ...] = ()
    contact_id: int | None = None
    contact_details: str = ""
    language: str | None = None
    # None: at once (the press groups read it from its creation; it is published now).
    preview_at: datetime | None = None
    publish_at: datetime | None = None


async def write_press_release(uow: UnitOfWork, *, person_id: int, role: str | None,
                              brand_id: int, draft: ReleaseDraft,
                              release_id: int | None = None) -> sa.Row:
    """Create the release (`release_id` None) or change it while it is not published."""
    grant = await brand_grant(uow, person_id=person_id, role=role, brand_id=brand_id)
    if grant.needs_approval:
        raise Forbidden("Your posts for this account need approval: ask another author to "
                        "publish the release")
    earlier = await _changeable(uow, brand_id=brand_id, release_id=release_id)
    now = utcnow()
    values = await _checked(uow, draft, now=now, earlier=earlier)
    media_ids = await check_media(uow, media_ids=draft.media_ids,
                                  uploader_ids={brand_id, person_id})
    if earlier is None:
        release_id = await uow.press_releases.add(
            brand_id=brand_id, written_by_id=person_id, group_ids=draft.group_ids,
            created_at=now, updated_at=now, **values)
    else:
        await uow.press_releases.update(release_id, updated_at=now, **values)
        await uow.press_releases.set_groups(release_id, draft.group_ids)
        await uow.media.release_press_release(release_id)
    await uow.media.reserve_for_release(release_id, media_ids)
    if values["publish_at"] <= now:
        await publish_press_release(uow, release_id=release_id)
    else:
        await _queue(uow, release_id=release_id, values=values, now=now,
                     previewed=earlier is not None and earlier.previewed_at is not None)
    return await uow.press_releases.get(release_id)


async def _changeable(uow: UnitOfWork, *, brand_id: int, release_id: int | None
                      ) -> sa.Row | None:
    if release_id is None:
        return None
    release = await uow.press_releases.get(release_id)
    if release is None or release.brand_id != brand_id:
        raise NotFound("No such press release")
    if release.published_at is not None:
        raise ValidationFailed("This release is published: change its post instead")
    return release


async def _checked(uow: UnitOfWork, draft: ReleaseDraft, *, now: datetime,
                   earlier: sa.Row | None) -> dict:
    headline = " ".join(draft.headline.split())
    body = draft.body.strip()
    if not headline:
        raise ValidationFailed("Headline can't be blank")
    if len(headline) > MAX_HEADLINE:
        raise ValidationFailed("Headline is too long (maximum is %(maximum)s characters)",
                               maximum=MAX_HEADLINE)
    if not body:
        raise ValidationFailed("Text can't be blank")
    if len(body) > MAX_BODY:
        raise ValidationFailed("Text is too long (maximum is %(maximum)s characters)",
                               maximum=MAX_BODY)
    if len(draft.contact_details) > MAX_CONTACT_DETAILS:
        raise ValidationFailed("Contact details are too long (maximum is %(maximum)s "
                               "characters)", maximum=MAX_CONTACT_DETAILS)
    await _check_audience(uow, draft)
    await _check_contact(uow, draft.contact_id)
    publish_at, preview_at = _embargo(draft, now=now, earlier=earlier)
    return {"headline": headline, "body": body, "public": draft.public,
            "language": draft.language, "contact_id": draft.contact_id,
            "contact_details": draft.contact_details.strip(),
            "publish_at": publish_at, "preview_at": preview_at}


async def _check_audience(uow: UnitOfWork, draft: ReleaseDraft) -> None:
    if not draft.public and not draft.group_ids:
        raise ValidationFailed("Choose the public or at least one press group")
    if len(draft.group_ids) > MAX_GROUPS:
        raise ValidationFailed("At most %(maximum)s press groups", maximum=MAX_GROUPS)
    press = {group.id for group in await uow.groups.press_groups()}
    unknown = [str(group_id) for group_id in draft.group_ids if group_id not in press]
    if unknown:
        raise ValidationFailed("These are no press groups: %(choices)s",
                               choices=", ".join(unknown))


async def _check_contact(uow: UnitOfWork, contact_id: int | None) -> None:
    if contact_id is None:
        return
    person = await uow.accounts.user_for_account(contact_id)
    if person is None or person.role == "guest" or person.disabled:
        raise ValidationFailed("The contact must be a person of the organisation")


def _embargo(draft: ReleaseDraft, *, now: datetime,
             earlier: sa.Row | None) -> tuple[datetime, datetime]:
    if draft.preview_at is not None and draft.publish_at is None:
        raise ValidationFailed("An embargo needs a publication time")
    if draft.preview_at is not None and not draft.group_ids:
        raise ValidationFailed("An embargo needs press groups to read the release first")
    publish_at = draft.publish_at or now
    if draft.publish_at is not None and draft.publish_at < now - LEEWAY:
        raise ValidationFailed("The publication time is in the past")
    if publish_at > now + FURTHEST:
        raise ValidationFailed("The publication time is more than a year ahead")
    if draft.preview_at is None:
        # At once: from the time it was first shown, or now (never after its publication).
        shown_since = earlier.preview_at if earlier is not None and earlier.preview_at <= now \
            else now
        return publish_at, min(shown_since, publish_at)
    if draft.preview_at < now - LEEWAY and (earlier is None
                                            or draft.preview_at != earlier.preview_at):
        raise ValidationFailed("The embargo's start is in the past")
    if draft.preview_at > publish_at:
        raise ValidationFailed("The embargo must start before the publication")
    return publish_at, draft.preview_at


async def _queue(uow: UnitOfWork, *, release_id: int, values: dict, now: datetime,
                 previewed: bool) -> None:
    if not previewed:
        await uow.enqueue(PreviewPressRelease(release_id=release_id),
                          delay=max(values["preview_at"] - now, timedelta(0)))
    await uow.enqueue(PublishPressRelease(release_id=release_id),
                      delay=values["publish_at"] - now)
