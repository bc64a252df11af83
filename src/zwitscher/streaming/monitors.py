"""A monitor's live timeline, as Server-Sent Events: for the API (`GET /api/zwitscher/v1/
monitors/{id}/stream`, by token) and the monitor's web page (by session).

The monitor's channel (`monitor_channel(id)`) carries every post stored for the monitor, as
ids only (`services/match_monitors.py`). Each is asked about as it arrives: it goes out only
if it is in the monitor's timeline *for this reader* (visibility, and the reader still reads
the monitor), rendered by the caller's `render` (a Mastodon Status for the API, HTML for the
web page). A deletion goes out only for a post the stream showed, so nobody learns the id of
a post they were not meant to see.

    update          a new match (the rendered post)
    status.update   a matched post was edited and still matches
    delete          a post left the monitor (deleted, or an edit no longer matches): its id

The stream ends when the token (or web session) it was opened with is revoked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import StreamingResponse

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.channels import Event, home_channel, monitor_channel
from zwitscher.services.show_monitor import monitor_shows, show_monitor
from zwitscher.streaming.broker import LocalFanout
from zwitscher.streaming.events import HEADERS, Token, _messages, _Sent

# Renders a post for the stream's reader (None: nothing to show after all).
Render = Callable[[UnitOfWork, int], Awaitable[bytes | None]]


def _sse(event: str, data: bytes) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + data + b"\n\n"


async def monitor_stream(*, uows: UnitsOfWork, broker: LocalFanout, monitor_id: int,
                         token: Token, render: Render) -> StreamingResponse:
    """Raises NotFound (before anything is sent) for a monitor the reader may not read."""
    async with uows.read() as uow:
        await show_monitor(uow, account_id=token.account_id, monitor_id=monitor_id)
    subscription = broker.subscription()
    await subscription.add(monitor_channel(monitor_id))
    await subscription.add(home_channel(token.account_id))

    async def events():
        sent = _Sent()
        try:
            yield b":)\n\n"
            async for message in _messages(subscription, monitor_channel(monitor_id), token):
                if message is None:
                    yield b":thump\n\n"
                    continue
                name, payload, meta = message
                if name in (Event.UPDATE, Event.STATUS_UPDATE):
                    status_id = int(meta.get("status_id") or 0)
                    async with uows.read() as uow:
                        body = None
                        if await monitor_shows(uow, account_id=token.account_id,
                                               monitor_id=monitor_id, status_id=status_id):
                            body = await render(uow, status_id)
                    if body is not None:
                        sent.add(status_id)
                        yield _sse(name, body)
                elif name == Event.DELETE and sent.take(int(payload)):
                    yield _sse(name, payload.encode())
        finally:
            await subscription.close()

    return StreamingResponse(events(), media_type="text/event-stream", headers=HEADERS)
