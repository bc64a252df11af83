"""A crisis dashboard's live stream for the crisis desk's web page, as Server-Sent Events.

It carries only ticks: `tick` each time the crisis's counts changed (`Event.CRISIS_CHANGED` on
`crisis_channel(id)`: someone opened or answered it, a delivery batch was marked, it was
closed). The page then fetches its counts anew, rendered for its reader with every check a
page has, so the stream itself says nothing that needs checking again as it runs. A burst of
answers becomes a burst of ticks; the page's script fetches at most once a second. The
stream ends when the web session it was opened with is revoked.
"""

from __future__ import annotations

import asyncio

import orjson
from starlette.responses import StreamingResponse

from zwitscher.domain.channels import Event, crisis_channel, home_channel
from zwitscher.streaming.broker import LocalFanout, Subscription
from zwitscher.streaming.press_conferences import HEADERS, HEARTBEAT_SECONDS, Token

TICK = b"event: tick\ndata: {}\n\n"


async def crisis_ticks(*, broker: LocalFanout, crisis_id: int, token: Token) -> StreamingResponse:
    """The stream of one crisis; the caller has checked that its reader runs the desk."""
    subscription = broker.subscription()
    await subscription.add(crisis_channel(crisis_id))
    await subscription.add(home_channel(token.account_id))
    return StreamingResponse(_ticks(subscription, crisis_channel(crisis_id), token),
                             media_type="text/event-stream", headers=HEADERS)


async def _ticks(subscription: Subscription, channel: str, token: Token):
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
            if arrived == channel:
                if message.get("event") == Event.CRISIS_CHANGED:
                    yield TICK
            elif (message.get("event") == Event.SESSION_REVOKED
                  and (message.get("meta") or {}).get("token_id") == token.token_id):
                return
    finally:
        await subscription.close()
