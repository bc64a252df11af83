"""Mastodon's ScheduledStatus entity. Ids inside `params` are strings, as everywhere else in
the API (Mastodon sends numbers there, which JavaScript apps cannot hold exactly)."""

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import MediaAttachment
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.media import present_media
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.visibility import MASTODON_EQUIVALENT, Visibility


class ScheduledPoll(TypedDict):
    options: list[str]
    expires_in: int
    multiple: bool
    hide_totals: bool


class ScheduledExtension(TypedDict):
    visibility: str | None
    group_ids: list[str]
    posted_by_id: str | None


class ScheduledParams(TypedDict):
    text: str
    poll: ScheduledPoll | None
    media_ids: list[str] | None
    sensitive: bool | None
    spoiler_text: str | None
    visibility: str | None
    language: str | None
    in_reply_to_id: str | None
    application_id: str | None
    scheduled_at: None
    idempotency: str | None
    with_rate_limit: bool
    quoted_status_id: None
    quote_approval_policy: str
    zwitscher: ScheduledExtension


class ScheduledStatus(TypedDict):
    id: str
    scheduled_at: str
    params: ScheduledParams
    media_attachments: list[MediaAttachment]


async def present_scheduled_statuses(uow: UnitOfWork, rows: list[sa.Row], *,
                                     origin: str) -> list[dict]:
    media = await uow.media.of_scheduled([row.id for row in rows])
    return [_entity(row, media.get(row.id, []), origin) for row in rows]


async def present_scheduled_status(uow: UnitOfWork, row: sa.Row, *, origin: str) -> dict:
    return (await present_scheduled_statuses(uow, [row], origin=origin))[0]


def _entity(row: sa.Row, media: list[sa.Row], origin: str) -> dict:
    params = row.params
    visibility = Visibility(params["visibility"]) if params.get("visibility") else None
    poll = params.get("poll")
    reply_to = params.get("in_reply_to_id")
    return {
        "id": str(row.id),
        "scheduled_at": iso(row.scheduled_at),
        "params": {
            "text": params["text"],
            "poll": {"options": poll["options"], "expires_in": poll["expires_in"],
                     "multiple": poll["multiple"], "hide_totals": poll["hide_totals"]}
            if poll else None,
            "media_ids": [str(m) for m in params.get("media_ids", ())] or None,
            "sensitive": params.get("sensitive"),
            "spoiler_text": params.get("spoiler_text") or None,
            "visibility": MASTODON_EQUIVALENT.get(visibility, visibility).value
            if visibility else None,
            "language": params.get("language"),
            "in_reply_to_id": str(reply_to) if reply_to else None,
            "application_id": str(row.application_id) if row.application_id else None,
            "scheduled_at": None,
            "idempotency": params.get("idempotency"),
            "with_rate_limit": False,
            "quoted_status_id": None,
            "quote_approval_policy": "nobody",
            # Ours, as on statuses: the exact visibility, the groups, who wrote a brand post.
            "zwitscher": {
                "visibility": visibility.value if visibility else None,
                "group_ids": params.get("group_ids", []),
                "posted_by_id": str(row.posted_by_id) if row.posted_by_id else None,
            },
        },
        "media_attachments": [present_media(m, origin) for m in media],
    }
