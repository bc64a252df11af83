"""The links in a newsroom's e-mails to a subscriber: confirming the address (double opt-in)
and unsubscribing (one click, RFC 8058: mail programs POST to it without cookies).

A subscriber has one secret for all of its links, `<id>.<signature>`, the signature an HMAC
of the id under the instance's key for mail links (`mail_links.link_secret`). Every later
e-mail can carry it again without it being stored: the database keeps only its SHA-256
(`newsroom_subscribers.token_digest`), as it does of every bearer secret, and finds the
subscriber by that. A subscription that is deleted takes its links with it: subscribing again
makes a new row, with a new id and so new links.
"""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.mail_links import link_secret
from zwitscher.services.secrets import digest

CONFIRM_PATH = "/web/newsroom/confirm"
UNSUBSCRIBE_PATH = "/web/newsroom/unsubscribe"
MAX_TOKEN = 100


def subscriber_token(secret: bytes, subscriber_id: int) -> str:
    signature = hmac.new(secret, f"newsroom:{subscriber_id}".encode(),
                         hashlib.sha256).hexdigest()[:40]
    return f"{subscriber_id}.{signature}"


async def token_of(uow: UnitOfWork, subscriber_id: int) -> str:
    return subscriber_token(await link_secret(uow), subscriber_id)


def confirm_path(token: str) -> str:
    return f"{CONFIRM_PATH}?token={token}"


def unsubscribe_path(token: str) -> str:
    return f"{UNSUBSCRIBE_PATH}?token={token}"


async def subscriber_of(uow: UnitOfWork, token: str) -> sa.Row | None:
    """The subscription a link is for, if it still exists."""
    if not token or len(token) > MAX_TOKEN:
        return None
    return await uow.newsroom_subscribers.by_token(digest(token))
