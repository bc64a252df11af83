"""A person posts as a brand account. The post records who wrote it. Authors whose grant needs
approval leave a draft for another author (or an admin) to approve; a post with a time is
published by the job system then. A draft's uploads wait reserved for it until it is published
or rejected."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.jobs import PublishBrandDraft
from zwitscher.domain.polls import PollDraft
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.brands import brand_grant
from zwitscher.services.attach_media import check_media
from zwitscher.services.compose_poll import check_poll
from zwitscher.services.compose_text import check_length
from zwitscher.services.post_status import StatusDraft, post_status


@dataclass(frozen=True, slots=True)
class BrandPost:
    status: sa.Row | None = None
    draft: sa.Row | None = None


async def post_as_brand(uow: UnitOfWork, *, person_id: int, role: str | None, brand_id: int,
                        draft: StatusDraft, scheduled_at: datetime | None = None,
                        application_id: int | None = None) -> BrandPost:
    grant = await brand_grant(uow, person_id=person_id, role=role, brand_id=brand_id)
    if not draft.text.strip() and not draft.media_ids:
        raise ValidationFailed("Text can't be blank")
    check_length(uow, draft.text.strip(), draft.spoiler_text)
    media_ids = await check_media(uow, media_ids=draft.media_ids,
                                  uploader_ids={brand_id, person_id})
    check_poll(uow, draft.poll)
    lead = timedelta(seconds=uow.settings.schedule_min_lead_seconds)
    if scheduled_at is not None and scheduled_at < utcnow() + lead:
        raise ValidationFailed("Scheduled time must be at least %(lead)s in the future", lead=lead)
    if not grant.needs_approval and scheduled_at is None:
        status = await post_status(uow, author_id=brand_id, posted_by_id=person_id,
                                   draft=draft, application_id=application_id)
        return BrandPost(status=status)
    draft_id = await uow.brands.add_draft(brand_id=brand_id, author_id=person_id,
                                          params=draft_params(draft))
    await uow.media.reserve_for_draft(draft_id, media_ids)
    if not grant.needs_approval:
        await schedule(uow, draft_id=draft_id, at=scheduled_at)
    elif scheduled_at is not None:
        await uow.brands.decide(draft_id, from_state="pending", scheduled_at=scheduled_at)
    return BrandPost(draft=await uow.brands.draft(draft_id))


async def schedule(uow: UnitOfWork, *, draft_id: int, at: datetime) -> None:
    await uow.brands.decide(draft_id, from_state=(await uow.brands.draft(draft_id)).state,
                            state="scheduled", scheduled_at=at)
    await uow.enqueue(PublishBrandDraft(draft_id=draft_id), delay=max(at - utcnow(), timedelta(0)))


def draft_params(draft: StatusDraft) -> dict:
    """A draft as JSON, to be posted later (`draft_from` reads it back)."""
    params = asdict(draft)
    params["visibility"] = draft.visibility.value if draft.visibility else None
    params["group_ids"] = [str(g) for g in draft.group_ids]
    params["media_ids"] = [str(m) for m in draft.media_ids]
    if draft.poll is not None:
        params["poll"]["options"] = list(draft.poll.options)
    return params


def draft_from(params: dict) -> StatusDraft:
    poll = params.get("poll")
    return StatusDraft(
        text=params["text"], spoiler_text=params.get("spoiler_text", ""),
        visibility=Visibility(params["visibility"]) if params.get("visibility") else None,
        in_reply_to_id=params.get("in_reply_to_id"), sensitive=params.get("sensitive"),
        language=params.get("language"),
        group_ids=tuple(int(g) for g in params.get("group_ids", ())),
        media_ids=tuple(int(m) for m in params.get("media_ids", ())),
        poll=PollDraft(tuple(poll["options"]), poll["expires_in"], poll["multiple"],
                       poll["hide_totals"]) if poll else None)
