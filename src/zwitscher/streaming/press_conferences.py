"""A press conference's live stream, as Server-Sent Events: for the API (`GET /api/zwitscher/
v1/press_conferences/{id}/stream`, by token) and the conference's web page (by session).

The stream is opened only for someone who may watch the conference (404 otherwise). Each
event then goes out only to whom its message names (`services/tell_press_conference.py`): a
question waiting for the moderators reaches the moderators and its asker, nobody else. For a
press-only conference the watcher's membership is asked again as each event arrives, as group
streams do: a member taken out of the groups hears nothing more. The stream ends after
`conference.ended`, and when the token (or web session) it was opened with is revoked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import orjson
from starlette.responses import StreamingResponse

from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.channels import (
    Event,
    PressEvent,
    home_channel,
    press_conference_channel,
)
from zwitscher.domain.clock import utcnow
from zwitscher.policies.press_conferences import ENDED, PUBLIC, state_now
from zwitscher.services.tell_press_conference import ALL, MODERATORS, OTHERS
from zwitscher.services.watch_press_conference import (
    Watched,
    Watcher,
    may_watch,
    watch_press_conference,
)
from zwitscher.streaming.broker import LocalFanout, Subscription

HEARTBEAT_SECONDS = 15
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


@dataclass(frozen=True, slots=True)
class Token:
    """The token (or web session's token) a stream was opened with: its revocation is
    announced on its account's own channel."""

    account_id: int
    token_id: int


def _sse(event: str, payload: object) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(payload) + b"\n\n"


def _for_watcher(meta: dict, watcher: Watcher, moderator: bool) -> bool:
    to = meta.get("to", ALL)
    named = watcher.account_id is not None and str(watcher.account_id) in meta.get(
        "askers", ())
    if to == MODERATORS:
        return moderator or named
    if to == OTHERS:
        return not (moderator or named)
    return to == ALL


async def press_conference_stream(*, uows: UnitsOfWork, broker: LocalFanout,
                                  watcher: Watcher, conference_id: int,
                                  token: Token | None = None) -> StreamingResponse:
    """The stream for `watcher`; raises NotFound (before anything is sent) for a conference
    they may not watch."""
    async with uows.read() as uow:
        watched = await watch_press_conference(uow, watcher=watcher,
                                               conference_id=conference_id)
    conference = watched.conference
    if state_now(conference, utcnow()) == ENDED:
        ended = {"id": str(conference.id), "ended_at": None}
        return StreamingResponse(iter([b":)\n\n", _sse(PressEvent.ENDED, ended)]),
                                 media_type="text/event-stream", headers=HEADERS)
    subscription = broker.subscription()
    await subscription.add(press_conference_channel(conference_id))
    if token is not None:
        await subscription.add(home_channel(token.account_id))
    return StreamingResponse(_events(uows, subscription, watcher, watched, token),
                             media_type="text/event-stream", headers=HEADERS)


async def _events(uows: UnitsOfWork, subscription: Subscription, watcher: Watcher,
                  watched: Watched, token: Token | None):
    conference = watched.conference
    channel = press_conference_channel(conference.id)
    try:
        yield b":)\n\n"
        while True:
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    arrived, raw = await subscription.queue.get()
            except TimeoutError:
                yield b":thump\n\n"
                continue
            message = orjson.loads(raw)
            meta = message.get("meta") or {}
            if arrived != channel:
                if (token is not None and message.get("event") == Event.SESSION_REVOKED
                        and meta.get("token_id") == token.token_id):
                    return
                continue
            if not _for_watcher(meta, watcher, watched.moderator):
                continue
            if conference.audience != PUBLIC and not watched.moderator:
                async with uows.read() as uow:
                    if not await may_watch(uow, watcher, conference, moderator=False):
                        continue
            yield _sse(message["event"], message.get("payload"))
            if message["event"] == PressEvent.ENDED:
                return
    finally:
        await subscription.close()
