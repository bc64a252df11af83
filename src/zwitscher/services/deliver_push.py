"""Send one notification to one push subscription: encrypted for the device (RFC 8291),
signed with the server's VAPID key (RFC 8292), POSTed to the subscription's push service.

No transaction is open while the push service answers: it may take seconds, and on SQLite a
write transaction held that long would stall every other writer. So this reads in one short
unit of work, sends, and writes (only to forget a dead subscription) in another.

What the push service says decides what happens next (as in Mastodon):
- 2xx: delivered;
- 404 or 410: the subscription is gone for good (the app was uninstalled): forget it;
- 408, 429, 5xx, no answer: raise, so the job system retries with backoff;
- any other 4xx: this message will never be accepted; drop it, keep the subscription.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
import orjson
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid01, Vapid02
from pywebpush import WebPushException, webpush_async

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.errors import DomainError, TemporaryFailure
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.oauth import viewer_of_token
from zwitscher.services.public_network import NotPublic, public_only_session

log = logging.getLogger(__name__)

Render = Callable[..., Awaitable[dict]]

GONE = frozenset({404, 410})
RETRY_LATER = frozenset({408, 429})
# How long the push service keeps a message for a device that is offline (Mastodon: 2 days).
TTL_SECONDS = 48 * 3600
TIMEOUT_SECONDS = 15


@dataclass(frozen=True, slots=True)
class _Push:
    endpoint: str
    p256dh: str
    auth: str
    standard: bool
    message: str
    private_key_pem: str


async def deliver_push(uows: UnitsOfWork, *, subscription_id: int, notification_id: int,
                       render: Render) -> None:
    """`render` makes the message a device shows (Mastodon's push payload) from the
    subscription, the notification, the person's locale and the server's origin."""
    async with uows.read() as uow:
        push = await _prepare(uow, subscription_id=subscription_id,
                              notification_id=notification_id, render=render)
    if push is None or not await _send(push, sender=_sender(uows.settings),
                                       public_only=not uows.settings.push_allow_http):
        return
    async with uows.write() as uow:
        await uow.push_subscriptions.delete(subscription_id)


async def _prepare(uow: UnitOfWork, *, subscription_id: int, notification_id: int,
                   render: Render) -> _Push | None:
    subscription = await uow.push_subscriptions.get(subscription_id)
    if subscription is None:
        return None
    try:
        # The token must still be good, just as for a request made with it: a person whose
        # permission to act for a brand account ended gets none of its pushes. Found by its
        # id: a browser session's subscription keeps no readable token (`subscribe_push`).
        viewer = viewer_of_token(await uow.oauth.token_with_user_by_id(subscription.token_id))
    except DomainError:
        return None
    if viewer.account_id != subscription.account_id or not viewer.may("push"):
        return None
    # Read through the visibility rules: a notification about a post the person may no
    # longer see (or one they dismissed) is not pushed.
    notification = await uow.notifications.get(subscription.account_id, notification_id)
    key = await uow.server_keys.get(VAPID_KEY)
    if notification is None or key is None:
        return None
    user = await uow.accounts.user_by_id(viewer.user_id) if viewer.user_id else None
    message = await render(uow, subscription=subscription, notification=notification,
                           locale=user.locale if user else "en",
                           origin=uow.settings.base_url)
    return _Push(endpoint=subscription.endpoint, p256dh=subscription.p256dh,
                 auth=subscription.auth, standard=subscription.standard,
                 message=orjson.dumps(message).decode(), private_key_pem=key.private_key)


async def push_message(settings, *, subscription, message: dict, private_key_pem: str) -> bool:
    """Send a message that is not a notification's (a crisis alert) to one subscription (a
    `push_subscriptions` row), as `deliver_push` sends; True when the subscription is gone."""
    push = _Push(endpoint=subscription.endpoint, p256dh=subscription.p256dh,
                 auth=subscription.auth, standard=subscription.standard,
                 message=orjson.dumps(message).decode(), private_key_pem=private_key_pem)
    return await _send(push, sender=_sender(settings), public_only=not settings.push_allow_http)


def _sender(settings) -> str:
    """Whom the push service may contact about our pushes (the VAPID `sub` claim)."""
    return f"mailto:{settings.contact_email}" if settings.contact_email else settings.base_url


def _signer(push: _Push) -> Vapid01:
    key = serialization.load_pem_private_key(push.private_key_pem.encode(), password=None)
    # Standard subscriptions sign as RFC 8292 says (`Authorization: vapid t=..., k=...`);
    # legacy ones as Mastodon did before (`WebPush` token, key in `Crypto-Key`).
    signer = Vapid02(key) if push.standard else Vapid01(key)
    # The claim is checked by the push service; py-vapid's own check refuses the plain-http
    # base URL of a development server.
    signer.conf = {"no-strict": True}
    return signer


async def _send(push: _Push, *, sender: str, public_only: bool) -> bool:
    """Deliver; True when the subscription is gone: the push service says so, or it is not
    on the public internet (its name may have come to point into our own network)."""
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    session = public_only_session(timeout) if public_only else aiohttp.ClientSession()
    try:
        async with session:
            await _post(push, sender=sender, session=session, timeout=timeout)
    except NotPublic as exc:
        log.warning("push endpoint %s is not a public address; subscription dropped", exc)
        return True
    except WebPushException as exc:
        status = exc.status_code
        if status in GONE:
            return True
        if status is not None and 400 <= status < 500 and status not in RETRY_LATER:
            log.warning("push service refused a message with %s; dropped", status)
            return False
        raise TemporaryFailure(f"push service answered {status}") from exc
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise TemporaryFailure(f"push service unreachable: {exc!r}") from exc
    return False


async def _post(push: _Push, *, sender: str, session: aiohttp.ClientSession,
                timeout: aiohttp.ClientTimeout) -> None:
    await webpush_async(
        subscription_info={"endpoint": push.endpoint,
                           "keys": {"p256dh": push.p256dh, "auth": push.auth}},
        data=push.message, vapid_private_key=_signer(push), vapid_claims={"sub": sender},
        content_encoding="aes128gcm" if push.standard else "aesgcm", ttl=TTL_SECONDS,
        headers={"Urgency": "normal"}, timeout=timeout, aiohttp_session=session)
