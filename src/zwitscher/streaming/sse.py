"""The Server-Sent Events loop of the streams that hear one channel each: a live event's page
and wall (`events.py`), a monitor (`monitors.py`), a crisis desk (`crises.py`) and a press
conference (`press_conferences.py`).

The loop is the same for all of them and lives here: open with a comment, send a heartbeat
comment when nothing came for `HEARTBEAT_SECONDS` (so proxies keep the connection), end when
the token (or web session) the stream was opened with is revoked, and close the subscription
however the stream ends. What a message becomes is each stream's own `Answer`: a frame to send,
nothing, or a `Last` frame after which the stream ends. The Mastodon streaming API
(`endpoints.py`) reads its events from a `StreamSession` instead, but frames them alike.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.responses import StreamingResponse

from zwitscher.domain.channels import Event, home_channel
from zwitscher.streaming.broker import LocalFanout, Subscription

HEARTBEAT_SECONDS = 15
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
OPENING = b":)\n\n"
HEARTBEAT = b":thump\n\n"
# The ids a stream remembers having sent (for deletions and hiding): more than a wall shows.
REMEMBERED = 500


@dataclass(frozen=True, slots=True)
class Token:
    """The token (or web session's token) a stream was opened with: its revocation is
    announced on its account's own channel."""

    account_id: int
    token_id: int


@dataclass(frozen=True, slots=True)
class Message:
    """A message of the stream's channel, decoded."""

    event: str | None
    payload: Any
    meta: dict


@dataclass(frozen=True, slots=True)
class Last:
    """The frame after which a stream ends."""

    frame: bytes


# What a stream sends for a message of its channel: a frame, nothing (None), or its last frame.
Answer = Callable[[Message], Awaitable[bytes | Last | None]]


def frame(event: str, data: bytes) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + data + b"\n\n"


def response(frames: AsyncIterator[bytes] | Iterable[bytes]) -> StreamingResponse:
    return StreamingResponse(frames, media_type="text/event-stream", headers=HEADERS)


def ended(last: bytes) -> StreamingResponse:
    """The stream of something already over: its opening and `last`, without subscribing."""
    return response(iter([OPENING, last]))


async def channel_stream(*, broker: LocalFanout, channel: str, token: Token | None,
                         answer: Answer) -> StreamingResponse:
    """`channel`'s messages as `answer` renders them, until the token is revoked or `answer`
    sends its `Last` frame. Subscribes before returning, so nothing published after this
    call is missed."""
    subscription = broker.subscription()
    await subscription.add(channel)
    if token is not None:
        await subscription.add(home_channel(token.account_id))
    return response(_frames(subscription, channel, token, answer))


async def _frames(subscription: Subscription, channel: str, token: Token | None,
                  answer: Answer) -> AsyncIterator[bytes]:
    try:
        yield OPENING
        while True:
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    arrived, raw = await subscription.queue.get()
            except TimeoutError:
                yield HEARTBEAT
                continue
            decoded = orjson.loads(raw)
            message = Message(decoded.get("event"), decoded.get("payload"),
                              decoded.get("meta") or {})
            if arrived != channel:
                if _revokes(message, token):
                    return
                continue
            reply = await answer(message)
            if isinstance(reply, Last):
                yield reply.frame
                return
            if reply is not None:
                yield reply
    finally:
        await subscription.close()


def _revokes(message: Message, token: Token | None) -> bool:
    """Whether a message of the account's own channel revokes the stream's token."""
    return (token is not None and message.event == Event.SESSION_REVOKED
            and message.meta.get("token_id") == token.token_id)


class SentIds:
    """The ids of the posts a stream sent, the newest `REMEMBERED` kept: a deletion or hiding
    goes out only for one of them, so nobody learns the id of a post they were not shown."""

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self.ids: OrderedDict[int, None] = OrderedDict.fromkeys(ids)

    def __contains__(self, status_id: int) -> bool:
        return status_id in self.ids

    def add(self, status_id: int) -> None:
        self.ids[status_id] = None
        self.ids.move_to_end(status_id)
        while len(self.ids) > REMEMBERED:
            self.ids.popitem(last=False)

    def take(self, status_id: int) -> bool:
        """Whether the stream sent it (and forget it)."""
        if status_id not in self.ids:
            return False
        del self.ids[status_id]
        return True
