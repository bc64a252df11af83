"""Press releases as their readers see them (the press room, the newsroom, the API): each
with its brand, writer, contact, press groups and attachments, loaded for a whole page at
once. Which releases a reader may see is the repository's query (`policies/press_releases`);
this only gathers what those rows refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.services.compose_text import compose_text


@dataclass(frozen=True, slots=True)
class ReleaseView:
    release: sa.Row
    brand: sa.Row
    written_by: sa.Row | None
    contact: sa.Row | None
    groups: list[sa.Row]
    media: list[sa.Row]
    body_html: str

    @property
    def embargoed(self) -> bool:
        return self.release.published_at is None

    @property
    def publish_at(self) -> datetime:
        return self.release.published_at or self.release.publish_at

    @property
    def lead(self) -> str:
        """The first paragraph, as previews and feeds show it."""
        return self.release.body.strip().split("\n\n")[0].strip()


async def show_press_releases(uow: UnitOfWork, rows: list[sa.Row]) -> list[ReleaseView]:
    ids = [row.id for row in rows]
    people = await uow.accounts.get_many(
        {row.brand_id for row in rows}
        | {row.written_by_id for row in rows if row.written_by_id}
        | {row.contact_id for row in rows if row.contact_id})
    group_ids = await uow.press_releases.groups_of(ids)
    groups = await uow.groups.get_many({g for found in group_ids.values() for g in found})
    waiting = await uow.media.of_releases([row.id for row in rows if row.status_id is None])
    posted = await uow.media.of_statuses([row.status_id for row in rows if row.status_id])
    views = []
    for row in rows:
        views.append(ReleaseView(
            release=row, brand=people[row.brand_id],
            written_by=people.get(row.written_by_id), contact=people.get(row.contact_id),
            groups=[groups[g] for g in group_ids[row.id] if g in groups],
            media=list(posted[row.status_id] if row.status_id else waiting[row.id]),
            body_html=(await compose_text(uow, row.body)).html))
    return views


async def show_press_release(uow: UnitOfWork, *, release_id: int,
                             viewer_id: int | None) -> ReleaseView | None:
    """One release, if the viewer may read it."""
    row = await uow.press_releases.readable(release_id, viewer_id=viewer_id, now=utcnow())
    return None if row is None else (await show_press_releases(uow, [row]))[0]
