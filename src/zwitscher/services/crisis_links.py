"""Each recipient's own link to a crisis: `/crisis/<recipient id>.<HMAC>`, in their e-mail,
text message and push. It opens the crisis and takes their answer without a sign-in (a phone
at the scene may have none), so it proves by itself whom it is for: it is signed with the
instance's link secret, nothing to store, and short enough for a text message. A link that
is guessed or altered is not found."""

from __future__ import annotations

import base64
import hashlib
import hmac

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.services.mail_links import link_secret

PATH = "/crisis"


class CrisisLinkNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("This link is not valid")


def _signature(secret: bytes, recipient_id: int) -> str:
    digest = hmac.new(secret, f"crisis:{recipient_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def token_for(secret: bytes, recipient_id: int) -> str:
    return f"{recipient_id}.{_signature(secret, recipient_id)}"


async def path_for(uow: UnitOfWork, recipient_id: int) -> str:
    return f"{PATH}/{token_for(await link_secret(uow), recipient_id)}"


async def recipient_of_token(uow: UnitOfWork, token: str):
    """The `crisis_recipients` row a link is for; CrisisLinkNotFound for any other string."""
    recipient_id, _, signature = token.partition(".")
    if not (recipient_id.isascii() and recipient_id.isdigit()) or len(recipient_id) > 19:
        raise CrisisLinkNotFound()
    expected = _signature(await link_secret(uow), int(recipient_id))
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise CrisisLinkNotFound()
    recipient = await uow.crises.recipient(int(recipient_id))
    if recipient is None:
        raise CrisisLinkNotFound()
    return recipient
