"""Web Push: the subscriptions of access tokens, and the server's own key pairs."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import oauth_tokens, push_subscriptions, server_keys
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class PushSubscriptionsRepo(Repo):
    async def replace(self, *, token_id: int, account_id: int, access_token: str, endpoint: str,
                      p256dh: str, auth: str, standard: bool, alerts: dict[str, bool],
                      policy: str) -> sa.Row:
        """The token's subscription, new: one per token, so an earlier one is dropped."""
        await self.delete_for_tokens([token_id])
        await self.conn.execute(push_subscriptions.insert().values(
            id=new_id(), token_id=token_id, account_id=account_id, access_token=access_token,
            endpoint=endpoint, p256dh=p256dh, auth=auth, standard=standard, alerts=alerts,
            policy=policy, created_at=utcnow()))
        return await self.for_token(token_id)

    async def for_token(self, token_id: int) -> sa.Row | None:
        return await self.one(push_subscriptions.select().where(
            push_subscriptions.c.token_id == token_id))

    async def get(self, subscription_id: int) -> sa.Row | None:
        return await self.one(push_subscriptions.select().where(
            push_subscriptions.c.id == subscription_id))

    async def of_account(self, account_id: int) -> list[sa.Row]:
        return await self.all(push_subscriptions.select().where(
            push_subscriptions.c.account_id == account_id))

    async def targets(self, account_ids: Sequence[int]) -> list[sa.Row]:
        """The accounts' subscriptions whose tokens still hold (a revoked token's go with it):
        where an alert to these people is pushed."""
        return await self.all(
            push_subscriptions.select()
            .join(oauth_tokens, oauth_tokens.c.id == push_subscriptions.c.token_id)
            .where(self.among(push_subscriptions.c.account_id, account_ids),
                   oauth_tokens.c.revoked_at.is_(None))
            .order_by(push_subscriptions.c.id))

    async def change(self, token_id: int, *, alerts: dict[str, bool], policy: str) -> None:
        await self.conn.execute(push_subscriptions.update().where(
            push_subscriptions.c.token_id == token_id).values(alerts=alerts, policy=policy))

    async def delete(self, subscription_id: int) -> None:
        await self.conn.execute(push_subscriptions.delete().where(
            push_subscriptions.c.id == subscription_id))

    async def delete_for_tokens(self, token_ids: list[int]) -> None:
        if token_ids:
            await self.conn.execute(push_subscriptions.delete().where(
                push_subscriptions.c.token_id.in_(token_ids)))


class ServerKeysRepo(Repo):
    async def get(self, name: str) -> sa.Row | None:
        return await self.one(server_keys.select().where(server_keys.c.name == name))

    async def public_key(self, name: str) -> str:
        return await self.scalar(sa.select(server_keys.c.public_key).where(
            server_keys.c.name == name)) or ""

    async def add_unless_present(self, *, name: str, private_key: str, public_key: str) -> None:
        """Keep the first key stored: processes starting at once each make one, and all of
        them then use the one that won."""
        await self.insert_ignoring_conflicts(server_keys, [dict(
            name=name, private_key=private_key, public_key=public_key, created_at=utcnow())])
