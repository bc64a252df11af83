"""Web Push as Mastodon apps see it: the subscription entity, and the message a push carries.

The message is what a service worker or a notification relay decrypts and shows at once,
without calling the API: a title and body in the person's language, the actor's avatar, and
the ids to open. `access_token` tells an app holding several accounts which one it is for.
"""

from __future__ import annotations

import html
import re

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.db.uow import UnitOfWork
from zwitscher.views.accounts import MISSING_AVATAR

_TITLES = {
    "en": {
        "mention": "You were mentioned by {name}",
        "status": "{name} just posted",
        "reblog": "{name} boosted your post",
        "follow": "{name} is now following you",
        "follow_request": "Pending follower: {name}",
        "favourite": "{name} favourited your post",
        "poll": "A poll by {name} has ended",
        "update": "{name} edited a post",
        "admin.sign_up": "{name} signed up",
        "admin.report": "New report from {name}",
    },
    "de": {
        "mention": "{name} hat dich erwähnt",
        "status": "{name} hat gerade etwas gepostet",
        "reblog": "{name} hat deinen Beitrag geteilt",
        "follow": "{name} folgt dir jetzt",
        "follow_request": "Ausstehende Follower-Anfrage: {name}",
        "favourite": "{name} hat deinen Beitrag favorisiert",
        "poll": "Eine Umfrage von {name} ist beendet",
        "update": "{name} hat einen Beitrag bearbeitet",
        "admin.sign_up": "{name} hat sich registriert",
        "admin.report": "Neue Meldung von {name}",
    },
}
BODY_LENGTH = 140
_TAG = re.compile(r"<[^>]*>")


class PushSubscription(TypedDict):
    id: str
    endpoint: str
    standard: bool
    alerts: dict[str, bool]
    policy: str
    server_key: str


def present_push_subscription(subscription: sa.Row, *, server_key: str) -> PushSubscription:
    return {
        "id": str(subscription.id),
        "endpoint": subscription.endpoint,
        "standard": subscription.standard,
        "alerts": dict(subscription.alerts),
        "policy": subscription.policy,
        "server_key": server_key,
    }


def _plain(text: str) -> str:
    flat = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    return flat if len(flat) <= BODY_LENGTH else flat[:BODY_LENGTH - 1].rstrip() + "…"


async def present_push_message(uow: UnitOfWork, *, subscription: sa.Row, notification: sa.Row,
                               locale: str, origin: str) -> dict:
    actor = await uow.accounts.get(notification.from_account_id)
    status = (await uow.statuses.get(notification.status_id)
              if notification.status_id is not None else None)
    language = locale.split("-")[0].lower()
    titles = _TITLES.get(language, _TITLES["en"])
    name = actor.display_name or f"@{actor.username}"
    if status is not None:
        body = status.spoiler_text or status.text
    else:
        body = actor.note
    # A browser session's subscription has no readable token (its service worker, which
    # reads this message, is never to hold one): the key is left out rather than empty.
    token = {"access_token": subscription.access_token} if subscription.access_token else {}
    return {
        **token,
        "preferred_locale": language if language in _TITLES else "en",
        "notification_id": str(notification.id),
        "notification_type": notification.type,
        "icon": origin + MISSING_AVATAR,
        "title": titles.get(notification.type, "{name}").format(name=name),
        "body": _plain(body),
    }
