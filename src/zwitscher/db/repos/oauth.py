from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import brand_authors, oauth_apps, oauth_codes, oauth_tokens, users
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class OAuthRepo(Repo):
    async def create_app(self, *, name: str, website: str | None, redirect_uris: list[str],
                         scopes: str, client_id: str, client_secret_hash: str) -> int:
        app_id = new_id()
        await self.conn.execute(oauth_apps.insert().values(
            id=app_id, name=name, website=website, redirect_uris=redirect_uris, scopes=scopes,
            client_id=client_id, client_secret_hash=client_secret_hash, created_at=utcnow()))
        return app_id

    async def app_by_client_id(self, client_id: str) -> sa.Row | None:
        return await self.one(oauth_apps.select().where(oauth_apps.c.client_id == client_id))

    async def app(self, app_id: int) -> sa.Row | None:
        return await self.one(oauth_apps.select().where(oauth_apps.c.id == app_id))

    async def apps(self, app_ids: set[int]) -> dict[int, sa.Row]:
        if not app_ids:
            return {}
        rows = await self.all(oauth_apps.select().where(self.among(oauth_apps.c.id, app_ids)))
        return {row.id: row for row in rows}

    async def create_code(self, *, code_hash: str, app_id: int, user_id: int, redirect_uri: str,
                          scopes: str, code_challenge: str | None,
                          code_challenge_method: str | None, expires_at: datetime) -> None:
        await self.conn.execute(oauth_codes.insert().values(
            id=new_id(), code_hash=code_hash, app_id=app_id, user_id=user_id,
            redirect_uri=redirect_uri, scopes=scopes, code_challenge=code_challenge,
            code_challenge_method=code_challenge_method, expires_at=expires_at,
            created_at=utcnow()))

    async def take_code(self, code_hash: str) -> sa.Row | None:
        """Return the code and delete it: a code is good for one exchange only.

        One DELETE ... RETURNING, not SELECT then DELETE: of concurrent exchanges of the same
        code only the one whose DELETE removes the row gets it back."""
        return await self.one(oauth_codes.delete().where(oauth_codes.c.code_hash == code_hash)
                              .returning(*oauth_codes.c))

    async def create_token(self, *, token_hash: str, app_id: int, user_id: int | None,
                           scopes: str, directory: bool = False,
                           acting_as_id: int | None = None) -> int:
        token_id = new_id()
        await self.conn.execute(oauth_tokens.insert().values(
            id=token_id, token_hash=token_hash, app_id=app_id, user_id=user_id, scopes=scopes,
            directory=directory, acting_as_id=acting_as_id, created_at=utcnow()))
        return token_id

    async def token_with_user(self, token_hash: str) -> sa.Row | None:
        """The live token and its user's state, in one query (this runs on every request)."""
        query = _live_token_with_user().where(oauth_tokens.c.token_hash == token_hash)
        return await self.one(query)

    async def token_with_user_by_id(self, token_id: int) -> sa.Row | None:
        return await self.one(_live_token_with_user().where(oauth_tokens.c.id == token_id))

    async def revoke_token_by_id(self, token_id: int) -> None:
        await self.conn.execute(
            oauth_tokens.update()
            .where(oauth_tokens.c.id == token_id, oauth_tokens.c.revoked_at.is_(None))
            .values(revoked_at=utcnow()))

    async def revoke_token(self, *, token_hash: str, app_id: int) -> None:
        await self.conn.execute(
            oauth_tokens.update()
            .where(oauth_tokens.c.token_hash == token_hash, oauth_tokens.c.app_id == app_id,
                   oauth_tokens.c.revoked_at.is_(None))
            .values(revoked_at=utcnow()))

    async def revoke_user_tokens(self, user_id: int, *, keep: int | None = None,
                                 app_id: int | None = None) -> list[int]:
        """Revoke every live token of a person at once (but `keep`; only `app_id`'s if given);
        returns their ids."""
        query = oauth_tokens.update().where(oauth_tokens.c.user_id == user_id,
                                            oauth_tokens.c.revoked_at.is_(None))
        if keep is not None:
            query = query.where(oauth_tokens.c.id != keep)
        if app_id is not None:
            query = query.where(oauth_tokens.c.app_id == app_id)
        return await self.scalars(query.values(revoked_at=utcnow()).returning(oauth_tokens.c.id))

    async def apps_holding_tokens(self, user_id: int, *, excluding_app_id: int | None
                                  ) -> list[sa.Row]:
        """The apps a person's live tokens belong to: id, name, and since when (oldest live
        token). Directory tokens are the organisation's, not the person's."""
        query = (sa.select(oauth_apps.c.id, oauth_apps.c.name,
                           sa.func.min(oauth_tokens.c.created_at).label("since"))
                 .join(oauth_apps, oauth_apps.c.id == oauth_tokens.c.app_id)
                 .where(oauth_tokens.c.user_id == user_id, oauth_tokens.c.revoked_at.is_(None),
                        oauth_tokens.c.directory.is_(False),
                        sa.or_(oauth_tokens.c.expires_at.is_(None),
                               oauth_tokens.c.expires_at > utcnow()))
                 .group_by(oauth_apps.c.id, oauth_apps.c.name)
                 .order_by(oauth_apps.c.name, oauth_apps.c.id))
        if excluding_app_id is not None:
            query = query.where(oauth_apps.c.id != excluding_app_id)
        return await self.all(query)


    # Directory (SCIM) tokens: the organisation's, issued to its company directory.

    async def directory_tokens(self) -> list[sa.Row]:
        """The live directory tokens with their app's name, newest first."""
        return await self.all(
            sa.select(oauth_tokens.c.id, oauth_tokens.c.created_at, oauth_tokens.c.last_used_at,
                      oauth_apps.c.name)
            .join(oauth_apps, oauth_apps.c.id == oauth_tokens.c.app_id)
            .where(oauth_tokens.c.directory.is_(True), oauth_tokens.c.revoked_at.is_(None))
            .order_by(oauth_tokens.c.id.desc()))

    async def mark_used(self, token_id: int, at: datetime) -> None:
        await self.conn.execute(oauth_tokens.update().where(oauth_tokens.c.id == token_id)
                                .values(last_used_at=at))

    async def revoke_directory_token(self, token_id: int) -> bool:
        """Whether a live directory token with this id was revoked (any other token: no)."""
        result = await self.conn.execute(
            oauth_tokens.update()
            .where(oauth_tokens.c.id == token_id, oauth_tokens.c.directory.is_(True),
                   oauth_tokens.c.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
        return result.rowcount > 0


def _live_token_with_user() -> sa.Select:
    return (
        sa.select(oauth_tokens.c.id, oauth_tokens.c.app_id, oauth_tokens.c.user_id,
                  oauth_tokens.c.scopes, oauth_tokens.c.expires_at, oauth_tokens.c.directory,
                  oauth_tokens.c.acting_as_id, users.c.account_id, users.c.role,
                  users.c.approved, users.c.disabled, users.c.confirmed,
                  # A delegated token works only while its person holds the grant.
                  brand_authors.c.needs_approval.is_not(None).label("granted"))
        .select_from(oauth_tokens.outerjoin(users, users.c.id == oauth_tokens.c.user_id)
                     .outerjoin(brand_authors, sa.and_(
                         brand_authors.c.brand_id == oauth_tokens.c.acting_as_id,
                         brand_authors.c.author_id == users.c.account_id)))
        .where(oauth_tokens.c.revoked_at.is_(None))
    )
