"""Crises, their recipients and deliveries (see `db/schema/crises.py` for the life of a row)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    crises,
    crisis_deliveries,
    crisis_recipients,
    crisis_updates,
    notifications,
)
from zwitscher.domain.crisis_texts import QUEUED, SENDING, SENT
from zwitscher.domain.ids import new_id

_c, _r, _d = crises, crisis_recipients, crisis_deliveries



class CrisesRepo(Repo):
    async def add(self, *, crisis_id: int, **values) -> None:
        await self.conn.execute(_c.insert().values(id=crisis_id, **values))

    async def get(self, crisis_id: int) -> sa.Row | None:
        return await self.one(_c.select().where(_c.c.id == crisis_id))

    async def update(self, crisis_id: int, **values) -> None:
        await self.conn.execute(_c.update().where(_c.c.id == crisis_id).values(**values))

    async def recent(self, *, limit: int = 40) -> list[sa.Row]:
        return await self.all(_c.select().order_by(_c.c.id.desc()).limit(limit))

    async def open_for(self, account_id: int) -> list[sa.Row]:
        """The open crises a person is in the audience of (the banner on every page)."""
        return await self.all(
            sa.select(_c.c.id, _c.c.title, _r.c.acknowledged_at, _r.c.answer)
            .join(_r, _r.c.crisis_id == _c.c.id)
            .where(_r.c.account_id == account_id, _c.c.closed_at.is_(None))
            .order_by(_c.c.id.desc()))

    async def on_dark_site(self) -> sa.Row | None:
        return await self.one(_c.select().where(_c.c.dark_site.is_(True))
                              .order_by(_c.c.id.desc()).limit(1))

    async def end_dark_sites(self) -> None:
        await self.conn.execute(_c.update().where(_c.c.dark_site.is_(True))
                                .values(dark_site=False))

    async def add_update(self, *, crisis_id: int, status_id: int, public: bool,
                         at: datetime) -> None:
        await self.conn.execute(crisis_updates.insert().values(
            crisis_id=crisis_id, status_id=status_id, public=public, created_at=at))

    async def update_ids(self, crisis_id: int, *, public_only: bool) -> list[int]:
        query = (sa.select(crisis_updates.c.status_id)
                 .where(crisis_updates.c.crisis_id == crisis_id)
                 .order_by(crisis_updates.c.status_id.desc()))
        if public_only:
            query = query.where(crisis_updates.c.public.is_(True))
        return await self.scalars(query)

    # Recipients.

    async def add_recipients(self, crisis_id: int, rows: Sequence[dict]) -> list[int]:
        """Rows of name, email, phone, language and account_id or contact_id (and the group
        or contact list they came through); returns their ids in the same order."""
        ids = [new_id() for _ in rows]
        if rows:
            await self.conn.execute(_r.insert(), [
                {"group_id": None, "contact_list_id": None, "account_id": None,
                 "contact_id": None, "email": None, "phone": None, **row,
                 "id": recipient_id, "crisis_id": crisis_id, "step": 0}
                for recipient_id, row in zip(ids, rows, strict=True)])
        return ids

    async def recipient(self, recipient_id: int) -> sa.Row | None:
        return await self.one(_r.select().where(_r.c.id == recipient_id))

    async def recipient_of(self, crisis_id: int, account_id: int) -> sa.Row | None:
        return await self.one(_r.select().where(_r.c.crisis_id == crisis_id,
                                                _r.c.account_id == account_id))

    async def recipients(self, ids: Iterable[int]) -> list[sa.Row]:
        return await self.all(_r.select().where(self.among(_r.c.id, list(ids)))
                              .order_by(_r.c.id))

    async def mark_opened(self, recipient_id: int, *, at: datetime) -> None:
        await self.conn.execute(_r.update().where(_r.c.id == recipient_id,
                                                  _r.c.opened_at.is_(None))
                                .values(opened_at=at))

    async def acknowledge(self, recipient_id: int, *, answer: str, at: datetime) -> None:
        """The newest answer counts (someone safe at first may need help later); opening
        is implied."""
        await self.conn.execute(_r.update().where(_r.c.id == recipient_id).values(
            answer=answer, acknowledged_at=at,
            opened_at=sa.func.coalesce(_r.c.opened_at, at)))

    async def unanswered(self, crisis_id: int, *, before_step: int) -> list[sa.Row]:
        """Recipients who neither opened nor acknowledged, and had fewer escalation steps."""
        return await self.all(_r.select().where(
            _r.c.crisis_id == crisis_id, _r.c.opened_at.is_(None),
            _r.c.acknowledged_at.is_(None), _r.c.step < before_step).order_by(_r.c.id))

    async def set_step(self, ids: Sequence[int], step: int) -> None:
        if ids:
            await self.conn.execute(_r.update().where(self.among(_r.c.id, ids))
                                    .values(step=step))

    async def not_reached(self, crisis_id: int, *, limit: int | None = None) -> list[sa.Row]:
        query = _r.select().where(_r.c.crisis_id == crisis_id, _r.c.reached_at.is_(None),
                                  _r.c.opened_at.is_(None)).order_by(_r.c.name, _r.c.id)
        return await self.all(query.limit(limit) if limit else query)

    async def tally(self, crisis_id: int) -> list[sa.Row]:
        """Per group or contact list: recipients, reached, opened, acknowledged, each answer
        and not reached (neither a channel handed it over nor did they open it)."""
        def count(condition) -> sa.ColumnElement[int]:
            return sa.func.sum(sa.case((condition, 1), else_=0))
        return await self.all(
            sa.select(_r.c.group_id, _r.c.contact_list_id,
                      sa.func.count().label("recipients"),
                      count(_r.c.reached_at.is_not(None)).label("reached"),
                      count(_r.c.opened_at.is_not(None)).label("opened"),
                      count(_r.c.acknowledged_at.is_not(None)).label("acknowledged"),
                      count(_r.c.answer == "received").label("received"),
                      count(_r.c.answer == "safe").label("safe"),
                      count(_r.c.answer == "help").label("help"),
                      count(sa.and_(_r.c.reached_at.is_(None), _r.c.opened_at.is_(None)))
                      .label("not_reached"))
            .where(_r.c.crisis_id == crisis_id)
            .group_by(_r.c.group_id, _r.c.contact_list_id)
            .order_by(_r.c.group_id, _r.c.contact_list_id))

    async def needing_help(self, crisis_id: int) -> list[sa.Row]:
        return await self.all(_r.select().where(_r.c.crisis_id == crisis_id,
                                                _r.c.answer == "help")
                              .order_by(_r.c.acknowledged_at.desc()))

    # Deliveries.

    async def add_deliveries(self, crisis_id: int, rows: Sequence[dict]) -> None:
        """Rows of recipient_id, channel, round and state (queued, or skipped when the
        recipient has no address for the channel)."""
        if rows:
            await self.conn.execute(_d.insert(), [
                {**row, "id": new_id(), "crisis_id": crisis_id, "attempts": 0,
                 "claimed_at": None, "done_at": None, "error": row.get("error")}
                for row in rows])

    async def claim(self, *, crisis_id: int, channel: str, round: int, limit: int,
                    at: datetime, stale_before: datetime) -> list[sa.Row]:
        """The next queued deliveries of a crisis's channel and round, and those claimed
        before `stale_before` and never marked (their sender was killed), marked as being
        sent; with their recipients."""
        chosen = (sa.select(_d.c.id).where(
            _d.c.crisis_id == crisis_id, _d.c.channel == channel, _d.c.round == round,
            sa.or_(_d.c.state == QUEUED,
                   sa.and_(_d.c.state == SENDING, _d.c.claimed_at < stale_before)))
            .order_by(_d.c.id).limit(limit).with_for_update(skip_locked=True))
        ids = await self.scalars(chosen)
        if not ids:
            return []
        await self.conn.execute(_d.update().where(self.among(_d.c.id, ids)).values(
            state=SENDING, claimed_at=at, attempts=_d.c.attempts + 1))
        return await self.all(
            sa.select(_d.c.id, _d.c.recipient_id, _d.c.attempts, _r.c.name, _r.c.email,
                      _r.c.phone, _r.c.language, _r.c.account_id)
            .join(_r, _r.c.id == _d.c.recipient_id)
            .where(self.among(_d.c.id, ids)).order_by(_d.c.id))

    async def unfinished(self, *, crisis_id: int, channel: str, round: int) -> bool:
        """Whether deliveries of this channel and round wait or are being sent."""
        return await self.exists(sa.select(_d.c.id).where(
            _d.c.crisis_id == crisis_id, _d.c.channel == channel, _d.c.round == round,
            _d.c.state.in_((QUEUED, SENDING))))

    async def release(self, ids: Sequence[int]) -> None:
        """Deliveries that could not go now wait again."""
        if ids:
            await self.conn.execute(_d.update().where(self.among(_d.c.id, ids))
                                    .values(state=QUEUED))

    async def finish(self, ids: Sequence[int], *, state: str, at: datetime,
                     error: str | None = None) -> None:
        """Mark deliveries done; those sent mark their recipients reached."""
        if not ids:
            return
        await self.conn.execute(_d.update().where(self.among(_d.c.id, ids)).values(
            state=state, done_at=at, error=error[:300] if error else None))
        if state == SENT:
            recipient_ids = sa.select(_d.c.recipient_id).where(self.among(_d.c.id, ids))
            await self.conn.execute(_r.update().where(_r.c.id.in_(recipient_ids),
                                                      _r.c.reached_at.is_(None))
                                    .values(reached_at=at))

    async def delivery_counts(self, crisis_id: int) -> list[sa.Row]:
        return await self.all(
            sa.select(_d.c.channel, _d.c.state, sa.func.count().label("count"))
            .where(_d.c.crisis_id == crisis_id).group_by(_d.c.channel, _d.c.state)
            .order_by(_d.c.channel, _d.c.state))

    async def highest_round(self, crisis_id: int) -> int:
        return await self.scalar(sa.select(sa.func.coalesce(sa.func.max(_d.c.round), 0))
                                 .where(_d.c.crisis_id == crisis_id))

    async def add_notifications(self, *, from_account_id: int, status_id: int,
                                account_ids: Sequence[int], at: datetime) -> dict[int, int]:
        """A `status` notification of the crisis post for each recipient with an account,
        whatever their mutes and notification filters say: a crisis is everyone's business.
        Returns the notification id per account."""
        made = {account_id: new_id() for account_id in account_ids}
        if made:
            await self.conn.execute(notifications.insert(), [
                {"id": notification_id, "account_id": account_id,
                 "from_account_id": from_account_id, "type": "status",
                 "status_id": status_id, "created_at": at, "group_key": None,
                 "filtered": False, "report_id": None}
                for account_id, notification_id in made.items()])
        return made

    async def notification_ids(self, *, status_id: int,
                               account_ids: Sequence[int]) -> dict[int, int]:
        rows = await self.all(sa.select(notifications.c.account_id, notifications.c.id)
                              .where(notifications.c.status_id == status_id,
                                     notifications.c.type == "status",
                                     self.among(notifications.c.account_id, account_ids)))
        return {row.account_id: row.id for row in rows}
