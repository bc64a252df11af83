"""The links of live events that work without a sign-in: an invitation's (its answer, its
consent, its calendar file) and a wall's secret link.

Both are `<id>.<signature>`, the signature an HMAC under the instance's key for mail links
(`mail_links.link_secret`), so nothing secret is stored and each is checked by computing it
again. An invitation's link is its participant row's: withdrawing the invitation takes the
link with it. A wall's link is signed with the event's `wall_generation`: an organiser who
regenerates it counts that up, and every earlier link answers 404 from then on. 40 hex
digits of signature leave nothing to guess.
"""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.ids import parse_id
from zwitscher.services.mail_links import link_secret

INVITATION_PATH = "/web/events/invitations"
WALL_PATH = "/wall"
SECRET_WALL_PATH = "/wall/s"
MAX_TOKEN = 100


def _signature(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:40]


def _split(token: str) -> tuple[int, str] | None:
    if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
        return None
    raw_id, signature = token.split(".")
    row_id = parse_id(raw_id)
    return (row_id, signature) if row_id is not None else None


async def invitation_token(uow: UnitOfWork, participant_id: int) -> str:
    secret = await link_secret(uow)
    return f"{participant_id}.{_signature(secret, f'event-invitation:{participant_id}')}"


def invitation_path(token: str) -> str:
    return f"{INVITATION_PATH}/{token}"


async def participant_of(uow: UnitOfWork, token: str) -> sa.Row | None:
    """The invitation a link is for, if genuine and still there (None for a guessed one)."""
    parts = _split(token)
    if parts is None:
        return None
    participant_id, signature = parts
    expected = _signature(await link_secret(uow), f"event-invitation:{participant_id}")
    if not hmac.compare_digest(expected, signature):
        return None
    participant = await uow.event_participants.get(participant_id)
    return participant if participant is not None and participant.invited else None


async def wall_secret(uow: UnitOfWork, event: sa.Row) -> str:
    text = f"event-wall:{event.id}:{event.wall_generation}"
    return f"{event.id}.{_signature(await link_secret(uow), text)}"


def wall_path(event_id: int) -> str:
    """A public event's wall."""
    return f"{WALL_PATH}/{event_id}"


def secret_wall_path(secret: str) -> str:
    return f"{SECRET_WALL_PATH}/{secret}"


async def event_of_wall_secret(uow: UnitOfWork, secret: str) -> sa.Row | None:
    """The event a wall's secret link is for, if it is its current one."""
    parts = _split(secret)
    if parts is None:
        return None
    event = await uow.live_events.get(parts[0])
    if event is None:
        return None
    expected = (await wall_secret(uow, event)).split(".")[1]
    return event if hmac.compare_digest(expected, parts[1]) else None
