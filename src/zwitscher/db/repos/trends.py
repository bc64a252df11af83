"""What is being talked about: hashtags, statuses and links (their preview cards) of recent
public posts, and the profile directory. Only `public` statuses (never reblogs) count, so
trends show nothing a visitor could not already read; trending statuses are, besides, each
viewer's own list: as in Mastodon, authors the viewer blocks, mutes or is blocked by are left
out."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    accounts,
    status_preview_cards,
    status_tags,
    statuses,
    tags,
    users,
)
from zwitscher.domain.ids import id_for_datetime
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import (
    by_deleted_account,
    hidden_by_viewer,
    limited_for,
    visible_to,
)

_PUBLIC = sa.and_(statuses.c.visibility == Visibility.PUBLIC.value,
                  statuses.c.reblog_of_id.is_(None))


class TrendsRepo(Repo):
    async def tag_uses(self, since: datetime) -> list[sa.Row]:
        """(tag name, status created_at, account id) of every public use since `since`."""
        return await self.all(
            sa.select(tags.c.name, statuses.c.created_at, statuses.c.account_id)
            .select_from(status_tags.join(statuses, statuses.c.id == status_tags.c.status_id)
                         .join(tags, tags.c.id == status_tags.c.tag_id))
            .where(_PUBLIC, statuses.c.id >= id_for_datetime(since),
                   ~limited_for(None, statuses.c.account_id), ~by_deleted_account()))

    async def interacted_statuses(self, since: datetime, *, viewer_id: int | None, limit: int,
                                  offset: int) -> list[sa.Row]:
        """Public statuses since `since` that the viewer may read and has not hidden, ranked
        by favourites, reblogs (twice) and replies; as in Mastodon, only of authors who chose
        to be discoverable."""
        score = statuses.c.favourites_count + 2 * statuses.c.reblogs_count \
            + statuses.c.replies_count
        discoverable = sa.exists().where(accounts.c.id == statuses.c.account_id,
                                         accounts.c.discoverable.is_(True))
        return await self.all(
            statuses.select().where(_PUBLIC, statuses.c.id >= id_for_datetime(since), score > 0,
                                    visible_to(viewer_id), ~hidden_by_viewer(viewer_id),
                                    ~limited_for(viewer_id, statuses.c.account_id),
                                    discoverable)
            .order_by(score.desc(), statuses.c.id.desc()).offset(offset).limit(limit))

    async def card_uses(self, since: datetime) -> list[sa.Row]:
        """(preview card id, created_at, account id) of every public status since `since`
        that shows a link's card."""
        return await self.all(
            sa.select(status_preview_cards.c.preview_card_id, statuses.c.created_at,
                      statuses.c.account_id)
            .select_from(status_preview_cards.join(
                statuses, statuses.c.id == status_preview_cards.c.status_id))
            .where(_PUBLIC, statuses.c.id >= id_for_datetime(since),
                   ~limited_for(None, statuses.c.account_id)))

    async def directory(self, *, order: str, limit: int, offset: int) -> list[sa.Row]:
        """Discoverable accounts of people who may sign in, and brand accounts; none that
        moderators limited."""
        person = sa.exists().where(users.c.account_id == accounts.c.id,
                                   users.c.approved.is_(True), users.c.disabled.is_(False))
        query = accounts.select().where(accounts.c.discoverable.is_(True),
                                        accounts.c.limited_at.is_(None),
                                        sa.or_(person, accounts.c.kind == "brand"))
        if order == "new":
            query = query.order_by(accounts.c.id.desc())
        else:
            query = query.order_by(accounts.c.last_status_at.is_(None),
                                   accounts.c.last_status_at.desc(), accounts.c.id.desc())
        return await self.all(query.offset(offset).limit(limit))
