"""A live event's streams, as Server-Sent Events: its page's (and the API's) timeline stream,
and its wall's.

Both listen on the event's channel, which carries every status with the event's hashtag
whoever may read it (`policies/audience.py`). So each new status is asked about before it goes
out: the page stream sends it if it is in the event's timeline *for its reader*, the wall
stream if it is on the *wall* (`db/repos/event_posts.py`); a deletion or a hidden post goes out
only for a status the stream showed (nobody learns the id of a post they were not meant to
see).

    page / API:  update (the status, as Mastodon's hashtag stream has it), status.update,
                 delete (its id), event.archived (then the stream ends)
    wall:        post ({"id", "html"}: new, or changed), remove ({"id"}: deleted or hidden),
                 ended (archived: the stream ends), gone (its secret link was renewed: the
                 wall reloads, and the old link answers 404)

A page stream ends when the token (or web session) it was opened with is revoked.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import orjson
import sqlalchemy as sa
from starlette.responses import StreamingResponse

from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.channels import Event, EventEvent, event_channel, home_channel
from zwitscher.services.see_event import Person, see_event
from zwitscher.streaming.broker import LocalFanout, Subscription

HEARTBEAT_SECONDS = 15
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
# The ids a stream remembers having sent (for deletions and hiding): more than a wall shows.
REMEMBERED = 500
# Renders a status as the wall shows it (None: no longer there).
WallRenderer = Callable[[int], Awaitable[str | None]]


@dataclass(frozen=True, slots=True)
class Token:
    """The token (or web session's token) a page stream was opened with: its revocation is
    announced on its account's own channel."""

    account_id: int
    token_id: int


def _sse(event: str, data: bytes) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + data + b"\n\n"


class _Sent:
    """The ids a stream sent, the newest kept."""

    def __init__(self, ids: list[int] | None = None) -> None:
        self.ids: OrderedDict[int, None] = OrderedDict.fromkeys(ids or [])

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


async def _messages(subscription: Subscription, channel: str, token: Token | None):
    """(event, payload, meta) of the event's channel, and None for a heartbeat; ends when the
    stream's token is revoked."""
    while True:
        try:
            async with asyncio.timeout(HEARTBEAT_SECONDS):
                arrived, raw = await subscription.queue.get()
        except TimeoutError:
            yield None
            continue
        message = orjson.loads(raw)
        meta = message.get("meta") or {}
        if arrived != channel:
            if (token is not None and message.get("event") == Event.SESSION_REVOKED
                    and meta.get("token_id") == token.token_id):
                return
            continue
        yield message.get("event"), message.get("payload"), meta


async def event_stream(*, uows: UnitsOfWork, broker: LocalFanout, person: Person,
                       event_id: int, token: Token | None = None) -> StreamingResponse:
    """The page's stream for `person`; raises NotFound (before anything is sent) for an
    event they may not see."""
    async with uows.read() as uow:
        event = (await see_event(uow, person=person, event_id=event_id)).event
    subscription = broker.subscription()
    await subscription.add(event_channel(event.id))
    if token is not None:
        await subscription.add(home_channel(token.account_id))
    return StreamingResponse(_page_events(uows, subscription, event, person, token),
                             media_type="text/event-stream", headers=HEADERS)


async def _page_events(uows: UnitsOfWork, subscription: Subscription, event: sa.Row,
                       person: Person, token: Token | None):
    sent = _Sent()
    try:
        yield b":)\n\n"
        if event.archived_at is not None:
            yield _sse(EventEvent.ARCHIVED, str(event.id).encode())
            return
        async for message in _messages(subscription, event_channel(event.id), token):
            if message is None:
                yield b":thump\n\n"
                continue
            name, payload, meta = message
            if name in (Event.UPDATE, Event.STATUS_UPDATE):
                status_id = int(meta.get("status_id") or 0)
                async with uows.read() as uow:
                    shown = await uow.event_posts.shows(event, status_id, person.account_id,
                                                        wall=False)
                if shown:
                    sent.add(status_id)
                    yield _sse(name, payload.encode())
            elif name == Event.DELETE and sent.take(int(payload)):
                yield _sse(name, payload.encode())
            elif name == EventEvent.ARCHIVED:
                yield _sse(name, payload.encode())
                return
    finally:
        await subscription.close()


async def wall_stream(*, uows: UnitsOfWork, broker: LocalFanout, event: sa.Row,
                      shown_ids: list[int], render: WallRenderer,
                      secret: bool) -> StreamingResponse:
    """The wall's stream of an event whose wall the viewer may open (its public address, or
    its secret link: checked by the caller). `shown_ids`: the posts the wall opened with."""
    subscription = broker.subscription()
    await subscription.add(event_channel(event.id))
    return StreamingResponse(_wall_events(uows, subscription, event, _Sent(shown_ids), render,
                                          secret),
                             media_type="text/event-stream", headers=HEADERS)


def _wall_post(status_id: int, html: str) -> bytes:
    return _sse("post", orjson.dumps({"id": str(status_id), "html": html}))


async def _wall_events(uows: UnitsOfWork, subscription: Subscription, event: sa.Row,
                       sent: _Sent, render: WallRenderer, secret: bool):
    try:
        yield b":)\n\n"
        if event.archived_at is not None:
            yield _sse("ended", b"{}")
            return
        async for message in _messages(subscription, event_channel(event.id), None):
            if message is None:
                yield b":thump\n\n"
                continue
            name, payload, meta = message
            if name in (Event.UPDATE, Event.STATUS_UPDATE):
                status_id = int(meta.get("status_id") or 0)
                if name == Event.STATUS_UPDATE and status_id not in sent.ids:
                    continue  # an edit of a post the wall does not show
                async with uows.read() as uow:
                    shown = await uow.event_posts.shows(event, status_id, None, wall=True)
                html = await render(status_id) if shown else None
                if html is not None:
                    sent.add(status_id)
                    yield _wall_post(status_id, html)
            elif name in (Event.DELETE, EventEvent.HIDDEN) and sent.take(int(payload)):
                yield _sse("remove", orjson.dumps({"id": payload}))
            elif name == EventEvent.ARCHIVED:
                yield _sse("ended", b"{}")
                return
            elif name == EventEvent.RENEWED and secret:
                yield _sse("gone", b"{}")
                return
    finally:
        await subscription.close()
