from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import Account, Field
from zwitscher.api.presenters.common import absolutize, iso, iso_date
from zwitscher.api.presenters.custom_emojis import EmojiIndex, account_emojis, account_texts
from zwitscher.api.presenters.media import media_url
from zwitscher.db.repos.relationships import RelationshipFacts
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.text import render_field_value, render_plain_note
from zwitscher.domain.visibility import MASTODON_EQUIVALENT
from zwitscher.views.accounts import MISSING_AVATAR, MISSING_HEADER


class Source(TypedDict):
    privacy: str
    sensitive: bool
    language: str | None
    note: str
    fields: list[Field]
    follow_requests_count: int
    hide_collections: bool
    discoverable: bool
    indexable: bool


class Role(TypedDict):
    id: str
    name: str
    color: str
    permissions: str
    highlighted: bool


class CredentialAccount(Account):
    source: Source
    role: Role


class Relationship(TypedDict):
    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str


def present_account(account: sa.Row, origin: str, *, emojis: EmojiIndex) -> Account:
    """`emojis`: the custom emojis of a page of accounts (`account_emojis`), loaded at once."""
    avatar = media_url(account.avatar_url or MISSING_AVATAR, origin)
    header = media_url(account.header_url or MISSING_HEADER, origin)
    url = f"{origin}/@{account.username}"
    created = account.created_at
    entity = {
        "id": str(account.id),
        "username": account.username,
        "acct": account.username,
        "display_name": account.display_name,
        "locked": account.locked,
        "bot": account.bot,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
        "group": False,
        "hide_collections": account.hide_collections,
        "noindex": False,
        # Mastodon reports the day of creation at midnight UTC.
        "created_at": iso(datetime(created.year, created.month, created.day, tzinfo=UTC)),
        # Rendered links to our own pages are relative (see compose_text): make them absolute.
        "note": absolutize(render_plain_note(account.note), origin) if account.note else "",
        "url": url,
        "uri": f"{origin}/users/{account.username}",
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
        "statuses_count": account.statuses_count,
        "last_status_at": iso_date(account.last_status_at),
        "emojis": emojis.of(*account_texts([account])),
        "roles": [],
        # Field values are HTML in Mastodon's API; clients insert them unescaped.
        "fields": [{"name": f["name"], "value": absolutize(render_field_value(f["value"]), origin),
                    "verified_at": None} for f in account.fields or []],
    }
    if account.limited_at is not None:
        entity["limited"] = True  # Mastodon's: only there for a limited account
    return entity


async def present_credential_account(uow: UnitOfWork, account: sa.Row, user: sa.Row,
                                     origin: str) -> dict:
    entity = present_account(account, origin,
                             emojis=await account_emojis(uow, [account], origin))
    requests = await uow.relationships.follow_requests_count(account.id)
    entity["source"] = {
        # Mastodon's four only (an `internal` default shows as `private`): apps preset their
        # composer with it.
        "privacy": MASTODON_EQUIVALENT.get(user.default_visibility, user.default_visibility)
        if user else "public",
        "sensitive": user.default_sensitive if user else False,
        "language": user.default_language if user else None,
        "note": account.note,
        "fields": [{"name": f["name"], "value": f["value"], "verified_at": None}
                   for f in account.fields or []],
        "follow_requests_count": requests,
        "hide_collections": account.hide_collections,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
    }
    role = user.role if user else "member"
    entity["role"] = {"id": role, "name": role.capitalize(), "color": "", "permissions": "0",
                      "highlighted": role not in ("member", "guest")}
    return entity


async def present_accounts(uow: UnitOfWork, account_ids: list[int], origin: str) -> list[dict]:
    rows = await uow.accounts.get_many(account_ids)
    return await present_account_rows(uow, [rows[i] for i in account_ids if i in rows], origin)


async def present_account_rows(uow: UnitOfWork, rows: list[sa.Row], origin: str) -> list[dict]:
    emojis = await account_emojis(uow, rows, origin)
    return [present_account(row, origin, emojis=emojis) for row in rows]


def present_relationship(target_id: int, facts: RelationshipFacts) -> Relationship:
    follow = facts.following.get(target_id)
    request = facts.requested.get(target_id)
    mute = facts.muting.get(target_id)
    options = follow or request
    return {
        "id": str(target_id),
        "following": follow is not None,
        "showing_reblogs": bool(options.show_reblogs) if options else False,
        "notifying": bool(options.notify) if options else False,
        "languages": None,
        "followed_by": target_id in facts.followed_by,
        "blocking": target_id in facts.blocking,
        "blocked_by": target_id in facts.blocked_by,
        "muting": mute is not None,
        "muting_notifications": bool(mute.hide_notifications) if mute else False,
        "requested": request is not None,
        "requested_by": target_id in facts.requested_by,
        "domain_blocking": target_id in facts.domain_blocking,
        "endorsed": False,
        "note": "",
    }


async def present_relationships(uow: UnitOfWork, viewer_id: int, target_ids: list[int]
                                ) -> list[dict]:
    facts = await uow.relationships.facts(viewer_id, target_ids)
    endorsed = await uow.endorsements.endorsed_among(viewer_id, target_ids)
    # The viewer's own notes only: a note is never shown to anyone but its writer.
    notes = await uow.account_notes.of(viewer_id, target_ids)
    return [present_relationship(t, facts) | {"endorsed": t in endorsed, "note": notes.get(t, "")}
            for t in target_ids]
