"""Accounts: sign-up, profile, lookup and search, an account's statuses and social graph."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.entities import Account, Status
from zwitscher.api.oauth import Token
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import IdList, Params, parse, uploaded_file
from zwitscher.api.presenters.accounts import (
    CredentialAccount,
    Relationship,
    present_account_rows,
    present_credential_account,
    present_relationships,
)
from zwitscher.api.presenters.statuses import render_statuses
from zwitscher.api.responses import JSON, RawJSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.media.images import ProcessedImage
from zwitscher.services import oauth
from zwitscher.services.change_profile_image import (
    ProfileImage,
    remove_profile_image,
    set_profile_image,
)
from zwitscher.services.list_network import Network, familiar_followers, list_network
from zwitscher.services.oauth import Viewer
from zwitscher.services.read_image import AVATAR_SIZE, HEADER_SIZE, read_image
from zwitscher.services.register_account import NewAccount
from zwitscher.services.sign_up import sign_up
from zwitscher.services.update_profile import ProfileChanges, update_profile

router = APIRouter()
UPDATE_CREDENTIALS_PATH = "/api/v1/accounts/update_credentials"


class FamiliarFollowers(TypedDict):
    id: str
    accounts: list[Account]


class Lookup(Params):
    acct: str = ""


class AccountSearch(Params):
    q: str = ""
    following: bool = False
    resolve: bool = False  # every account is local: nothing to resolve
    limit: int = 40
    offset: int = 0


class Registration(Params):
    username: str
    email: str
    password: str
    agreement: bool = False
    locale: str = "en"
    reason: str = ""
    invite_code: str | None = None


@router.post("/api/v1/accounts")
@declare(returns=Token, takes=Registration)
async def register(request: Request,
                   viewer: Viewer = Depends(scoped("write:accounts", user=False))) -> JSON:
    form = await parse(request, Registration)
    if not form.agreement:
        raise ValidationFailed("Agreement must be accepted")
    async with uows(request).write() as uow:
        registered = await sign_up(uow, NewAccount(
            username=form.username, email=form.email, password=form.password,
            locale=form.locale[:10], reason=form.reason[:1000], invite_code=form.invite_code),
            app_id=viewer.app_id,
            network_address=request.client.host if request.client else "unknown")
        issued = await oauth.issue_token_for_user(uow, app_id=viewer.app_id,
                                                  user_id=registered.user_id,
                                                  scopes=sorted(viewer.scopes & {"read", "write",
                                                                                 "follow", "push"})
                                                  or ["read"])
    return JSON({"access_token": issued.access_token, "token_type": "Bearer",
                 "scope": issued.scopes, "created_at": issued.created_at})


@router.get("/api/v1/accounts/verify_credentials")
@declare(returns=CredentialAccount)
async def verify_credentials(request: Request, origin: Origin,
                             viewer: Viewer = Depends(scoped("read:accounts",
                                                             "profile"))) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.get(viewer.account_id)
        user = await uow.accounts.user_by_id(viewer.user_id)
        return JSON(await present_credential_account(uow, account, user, origin))


class CredentialsUpdate(Params):
    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    hide_collections: bool | None = None
    indexable: bool | None = None
    fields_attributes: dict[str, dict[str, str]] | list[dict[str, str]] | None = None
    source: dict[str, str | bool] | None = None


def _text(value: str | bool | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed("Source values must be text")
    return value


@router.patch(UPDATE_CREDENTIALS_PATH)
@declare(returns=CredentialAccount, takes=CredentialsUpdate, files=("avatar", "header"))
async def update_credentials(request: Request, origin: Origin,
                             viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    form = await parse(request, CredentialsUpdate)
    fields = None
    if form.fields_attributes is not None:
        items = (form.fields_attributes.values() if isinstance(form.fields_attributes, dict)
                 else form.fields_attributes)
        fields = [(item.get("name", ""), item.get("value", "")) for item in items]
    source = form.source or {}
    sensitive = source.get("sensitive")
    changes = ProfileChanges(
        display_name=form.display_name, note=form.note, locked=form.locked, bot=form.bot,
        discoverable=form.discoverable, hide_collections=form.hide_collections,
        indexable=form.indexable, fields=fields,
        default_visibility=_text(source.get("privacy")),
        default_sensitive=None if sensitive is None else str(sensitive).lower() in ("true", "1"),
        default_language=_text(source.get("language")))
    images = await _profile_images(request)
    async with uows(request).write() as uow:
        await update_profile(uow, account_id=viewer.account_id, changes=changes)
        for which, image in images.items():
            await set_profile_image(uow, account_id=viewer.account_id, which=which, image=image)
        return await _credentials(uow, viewer, origin)


async def _profile_images(request: Request) -> dict[ProfileImage, ProcessedImage]:
    """Avatar and header files, read (and refused if they are no images) before anything
    changes."""
    settings = request.app.state.settings
    images: dict[ProfileImage, ProcessedImage] = {}
    for which, size in (("avatar", AVATAR_SIZE), ("header", HEADER_SIZE)):
        data = await uploaded_file(request, which, settings.max_media_bytes)
        if data is not None:
            images[which] = await read_image(settings, data, crop_to=size)
    return images


async def _credentials(uow, viewer: Viewer, origin: str) -> JSON:
    account = await uow.accounts.get(viewer.account_id)
    user = await uow.accounts.user_by_id(viewer.user_id)
    return JSON(await present_credential_account(uow, account, user, origin))


@router.delete("/api/v1/profile/avatar")
@declare(returns=CredentialAccount)
async def delete_avatar(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await remove_profile_image(uow, account_id=viewer.account_id, which="avatar")
        return await _credentials(uow, viewer, origin)


@router.delete("/api/v1/profile/header")
@declare(returns=CredentialAccount)
async def delete_header(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await remove_profile_image(uow, account_id=viewer.account_id, which="header")
        return await _credentials(uow, viewer, origin)


@router.get("/api/v1/accounts/relationships")
@declare(returns=list[Relationship], takes=IdList)
async def relationships(request: Request,
                        viewer: Viewer = Depends(scoped("read:follows"))) -> JSON:
    ids = (await parse(request, IdList)).ids(40)
    async with uows(request).read() as uow:
        # As Mastodon: ids of no account get no relationship (not an all-false one).
        known = await uow.accounts.get_many(ids)
        return JSON(await present_relationships(uow, viewer.account_id,
                                                [i for i in ids if i in known]))


@router.get("/api/v1/accounts/familiar_followers")
@declare(returns=list[FamiliarFollowers], takes=IdList)
async def familiar_followers_of(request: Request, origin: Origin,
                                viewer: Viewer = Depends(scoped("read:follows"))) -> JSON:
    ids = (await parse(request, IdList, body_of_get=True)).ids(40)
    async with uows(request).read() as uow:
        found = await familiar_followers(uow, viewer_id=viewer.account_id, account_ids=ids)
        entities = await present_account_rows(uow, [row for _, rows in found for row in rows],
                                              origin)
    by_id = {entity["id"]: entity for entity in entities}
    return JSON([{"id": str(account_id), "accounts": [by_id[str(row.id)] for row in rows]}
                 for account_id, rows in found])


@router.get("/api/v1/accounts/lookup")
@declare(returns=Account, takes=Lookup, errors=(404,))
async def lookup(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    acct = (await parse(request, Lookup)).acct.lstrip("@")
    username, _, domain = acct.partition("@")
    host = origin.split("://", 1)[1]
    if domain and domain != host:
        raise NotFound()
    async with uows(request).read() as uow:
        account = await uow.accounts.shown_by_username(username) if username else None
        if account is None:
            raise NotFound()
        return JSON((await present_account_rows(uow, [account], origin))[0])


@router.get("/api/v1/accounts/search")
@declare(returns=list[Account], takes=AccountSearch)
async def search(request: Request, origin: Origin,
                 viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    form = await parse(request, AccountSearch)
    query = form.q.strip().lstrip("@")
    if not query:
        return JSON([])
    async with uows(request).read() as uow:
        rows = await uow.accounts.search(
            query.split("@")[0], limit=min(max(form.limit, 1), 80),
            offset=min(max(form.offset, 0), 10_000),
            following_of=viewer.account_id if form.following else None)
        return JSON(await present_account_rows(uow, rows, origin))


@router.get("/api/v1/accounts")
@declare(returns=list[Account], takes=IdList)
async def accounts_by_ids(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    ids = (await parse(request, IdList)).ids(40)
    async with uows(request).read() as uow:
        rows = await uow.accounts.get_many(ids, shown_only=True)
        return JSON(await present_account_rows(uow, [rows[i] for i in ids if i in rows],
                                               origin))


@router.get("/api/v1/accounts/{account_id}")
@declare(returns=Account)
async def get_account(request: Request, account_id: str, origin: Origin,
                      viewer: OptionalViewer) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.shown(path_id(account_id))
        if account is None:
            raise NotFound()
        return JSON((await present_account_rows(uow, [account], origin))[0])


class StatusFilters(Params):
    exclude_replies: bool = False
    exclude_reblogs: bool = False
    exclude_direct: bool = False
    only_media: bool = False
    pinned: bool = False
    tagged: str | None = None


@router.get("/api/v1/accounts/{account_id}/statuses")
@declare(returns=list[Status], takes=StatusFilters, paged=True)
async def account_statuses(request: Request, account_id: str, origin: Origin,
                           viewer: OptionalViewer) -> JSON:
    if viewer is not None and not viewer.may("read:statuses"):
        raise Forbidden("This action is outside the authorized scopes")
    filters = await parse(request, StatusFilters)
    page = page_from(request)
    viewer_id = viewer.account_id if viewer else None

    async def read(uow: UnitOfWork) -> RawJSON:
        account = await uow.accounts.shown(path_id(account_id))
        if account is None:
            raise NotFound()
        ids = [row.id for row in await uow.statuses.account_statuses(
            account.id, viewer_id, page, exclude_replies=filters.exclude_replies,
            exclude_reblogs=filters.exclude_reblogs, exclude_direct=filters.exclude_direct,
            only_media=filters.only_media, pinned=filters.pinned, tagged=filters.tagged)]
        presented = await render_statuses(uow, ids, viewer_id=viewer_id, origin=origin,
                                          filter_context="account")
        response = RawJSON(presented.json_array())
        # Pages are cut by the rows read, so a page thinned by filters still links on.
        link_header(request, response, ids)
        return response

    return await uows(request).read_at_once(read)


async def _network(request: Request, account_id: str, origin: str, viewer: Viewer | None,
                   which: Network) -> JSON:
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        account = await uow.accounts.shown(path_id(account_id))
        if account is None:
            raise NotFound()
        rows = await list_network(uow, account=account, which=which, page=page,
                                  viewer_id=viewer.account_id if viewer else None) or []
        response = JSON(await present_account_rows(uow, [row for _, row in rows], origin))
    link_header(request, response, [page_id for page_id, _ in rows])
    return response


@router.get("/api/v1/accounts/{account_id}/followers")
@declare(returns=list[Account], paged=True)
async def followers(request: Request, account_id: str, origin: Origin,
                    viewer: OptionalViewer) -> JSON:
    return await _network(request, account_id, origin, viewer, "followers")


@router.get("/api/v1/accounts/{account_id}/following")
@declare(returns=list[Account], paged=True)
async def following(request: Request, account_id: str, origin: Origin,
                    viewer: OptionalViewer) -> JSON:
    return await _network(request, account_id, origin, viewer, "following")
