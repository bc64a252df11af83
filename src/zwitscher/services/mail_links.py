"""Links in e-mails that act without a sign-in: turning off an optional kind of message.

Mail programs offer one click for `List-Unsubscribe` (RFC 8058) and send no cookies, so the
link must prove by itself whom and what it is for: `<user id>.<kind>.<HMAC>`, signed with a
secret the instance makes once and keeps in the database (the same for every process).
"""

from __future__ import annotations

import hashlib
import hmac

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.services.secrets import new_secret

UNSUBSCRIBE_PATH = "/web/mail/unsubscribe"
MAIL_LINK_KEY = "mail-links"
# Each optional kind of message, and the preference (a `users` column) that turns it off.
PREFERENCES = {"new_sign_in": "notify_new_sign_in"}


class LinkNotRecognised(NotFound):
    def __init__(self) -> None:
        super().__init__("This link is not valid")


async def link_secret(uow: UnitOfWork) -> bytes:
    """The instance's key for signing links in e-mails (also the newsroom's, which signs
    other messages with it)."""
    row = await uow.server_keys.get(MAIL_LINK_KEY)
    if row is None:
        await uow.server_keys.add_unless_present(name=MAIL_LINK_KEY, private_key=new_secret(),
                                                 public_key="")
        row = await uow.server_keys.get(MAIL_LINK_KEY)
    return row.private_key.encode()


def _signature(secret: bytes, user_id: int, kind: str) -> str:
    return hmac.new(secret, f"unsubscribe:{user_id}:{kind}".encode(),
                    hashlib.sha256).hexdigest()[:40]


async def unsubscribe_path(uow: UnitOfWork, *, user_id: int, kind: str) -> str:
    signature = _signature(await link_secret(uow), user_id, kind)
    return f"{UNSUBSCRIBE_PATH}?token={user_id}.{kind}.{signature}"


async def unsubscribed_kind(uow: UnitOfWork, *, token: str) -> str:
    """The kind a link turns off, if genuine (LinkNotRecognised otherwise); changes nothing."""
    user_id, kind, signature = _parts(token)
    expected = _signature(await link_secret(uow), user_id, kind)
    if not hmac.compare_digest(expected, signature):
        raise LinkNotRecognised()
    return kind


async def unsubscribe(uow: UnitOfWork, *, token: str) -> str:
    """Turn off the kind of message the link is for; returns the kind."""
    kind = await unsubscribed_kind(uow, token=token)
    user_id, _, _ = _parts(token)
    await uow.accounts.update_user(user_id, **{PREFERENCES[kind]: False})
    return kind


def _parts(token: str) -> tuple[int, str, str]:
    pieces = token[:200].split(".")
    if (len(pieces) != 3 or not (pieces[0].isascii() and pieces[0].isdigit())
            or pieces[1] not in PREFERENCES):
        raise LinkNotRecognised()
    return int(pieces[0]), pieces[1], pieces[2]
