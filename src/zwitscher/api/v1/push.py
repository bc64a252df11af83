"""`/api/v1/push/subscription`: an access token's Web Push subscription (Mastodon's API)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from zwitscher.api.deps import bearer_token, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.push import PushSubscription, present_push_subscription
from zwitscher.api.responses import JSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.services.change_push_alerts import change_push_alerts
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.oauth import Viewer
from zwitscher.services.subscribe_push import subscribe_push
from zwitscher.services.unsubscribe_push import unsubscribe_push

router = APIRouter()
PATH = "/api/v1/push/subscription"


class Alerts(Params):
    mention: bool = False
    status: bool = False
    reblog: bool = False
    follow: bool = False
    follow_request: bool = False
    favourite: bool = False
    poll: bool = False
    update: bool = False
    admin_sign_up: bool = Field(False, alias="admin.sign_up")
    admin_report: bool = Field(False, alias="admin.report")

    def chosen(self) -> dict[str, bool]:
        return self.model_dump(by_alias=True)


class PushData(Params):
    alerts: Alerts = Alerts()
    policy: str | None = Field(None, max_length=16)


class Keys(Params):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=200)


class Subscription(Params):
    endpoint: str
    keys: Keys
    standard: bool = False


class PushChange(Params):
    data: PushData = PushData()
    # Mastodon.py sends the policy beside `data`, the API documents it inside.
    policy: str | None = Field(None, max_length=16)

    def chosen_policy(self) -> str:
        return self.data.policy or self.policy or "all"


class PushCreate(PushChange):
    subscription: Subscription


async def _present(uow: UnitOfWork, subscription) -> JSON:
    if subscription is None:
        raise NotFound()
    server_key = await uow.server_keys.public_key(VAPID_KEY)
    return JSON(present_push_subscription(subscription, server_key=server_key))


@router.post(PATH)
@declare(returns=PushSubscription, takes=PushCreate)
async def subscribe(request: Request, viewer: Viewer = Depends(scoped("push"))) -> JSON:
    form = await parse(request, PushCreate)
    async with uows(request).write() as uow:
        subscription = await subscribe_push(
            uow, viewer=viewer, access_token=bearer_token(request),
            endpoint=form.subscription.endpoint, p256dh=form.subscription.keys.p256dh,
            auth=form.subscription.keys.auth, standard=form.subscription.standard,
            alerts=form.data.alerts.chosen(), policy=form.chosen_policy())
        return await _present(uow, subscription)


@router.get(PATH)
@declare(returns=PushSubscription, errors=(404,))
async def subscription(request: Request, viewer: Viewer = Depends(scoped("push"))) -> JSON:
    async with uows(request).read() as uow:
        return await _present(uow, await uow.push_subscriptions.for_token(viewer.token_id))


@router.put(PATH)
@declare(returns=PushSubscription, takes=PushChange, errors=(404,))
async def change(request: Request, viewer: Viewer = Depends(scoped("push"))) -> JSON:
    form = await parse(request, PushChange)
    async with uows(request).write() as uow:
        subscription = await change_push_alerts(uow, viewer=viewer,
                                                alerts=form.data.alerts.chosen(),
                                                policy=form.chosen_policy())
        return await _present(uow, subscription)


@router.delete(PATH)
@declare(returns=Empty)
async def unsubscribe(request: Request, viewer: Viewer = Depends(scoped("push"))) -> JSON:
    async with uows(request).write() as uow:
        await unsubscribe_push(uow, viewer=viewer)
    return JSON({})
