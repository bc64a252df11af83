"""The streaming API's two transports: Server-Sent Events and the multiplexed WebSocket."""

from __future__ import annotations

import asyncio
import contextlib

import orjson
from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse

from zwitscher.api.deps import bearer_token, origin
from zwitscher.domain.errors import DomainError
from zwitscher.services.oauth import Viewer, authenticate
from zwitscher.streaming import sse
from zwitscher.streaming.session import SessionRevoked, StreamSession, stream_key

router = APIRouter()


async def _viewer_for(app, token: str | None) -> Viewer | None:
    if not token:
        return None
    async with app.state.uows.read() as uow:
        return await authenticate(uow, token)


@router.get("/api/v1/streaming/health")
async def health() -> PlainTextResponse:
    return PlainTextResponse("OK")


async def _open_session(app, viewer: Viewer | None, origin_url: str) -> StreamSession:
    session = StreamSession(app.state.uows, app.state.broker.subscription(), viewer, origin_url,
                            live=app.state.live_deliveries)
    await session.load_relationships()
    await session.load_filters()
    await session.watch_relationships()
    return session


def _sse(event: str, payload: str | None) -> bytes:
    # An event without payload (filters_changed) reads `data: undefined`, as from Mastodon.
    return f"event: {event}\ndata: {'undefined' if payload is None else payload}\n\n".encode()


async def _sse_stream(request: Request, name: str, *, tag_param: str = "tag"
                      ) -> StreamingResponse:
    viewer = await _viewer_for(request.app, bearer_token(request))
    return await sse_response(request, name, viewer, tag_param=tag_param)


async def sse_response(request: Request, name: str, viewer: Viewer | None, *,
                       tag_param: str = "tag") -> StreamingResponse:
    """A stream as Server-Sent Events for a viewer already known (by token or web session)."""
    key = stream_key(name, request.query_params.get(tag_param), viewer)
    session = await _open_session(request.app, viewer, origin(request))
    try:
        await session.subscribe(key)
    except DomainError:
        await session.close()
        raise

    async def events():
        try:
            yield sse.OPENING
            while True:
                batch = await session.next_events(sse.HEARTBEAT_SECONDS)
                if batch is None:
                    yield sse.HEARTBEAT
                    continue
                for _label, event, payload in batch:
                    yield _sse(event, payload)
        except SessionRevoked:
            return
        finally:
            await session.close()

    return sse.response(events())


@router.get("/api/v1/streaming/user")
async def stream_user(request: Request) -> StreamingResponse:
    return await _sse_stream(request, "user")


@router.get("/api/v1/streaming/user/notification")
async def stream_user_notification(request: Request) -> StreamingResponse:
    return await _sse_stream(request, "user:notification")


def _media(name: str, request: Request) -> str:
    only_media = request.query_params.get("only_media", "").lower() in ("true", "1")
    return f"{name}:media" if only_media else name


@router.get("/api/v1/streaming/public")
async def stream_public(request: Request) -> StreamingResponse:
    return await _sse_stream(request, _media("public", request))


@router.get("/api/v1/streaming/public/local")
async def stream_public_local(request: Request) -> StreamingResponse:
    return await _sse_stream(request, _media("public:local", request))


@router.get("/api/v1/streaming/public/remote")
async def stream_public_remote(request: Request) -> StreamingResponse:
    return await _sse_stream(request, "public:remote")


@router.get("/api/v1/streaming/hashtag")
async def stream_hashtag(request: Request) -> StreamingResponse:
    return await _sse_stream(request, "hashtag")


@router.get("/api/v1/streaming/group")
async def stream_group(request: Request) -> StreamingResponse:
    """Ours: posts addressed to a group (`?group=ID`), for its members."""
    return await _sse_stream(request, "group", tag_param="group")


@router.get("/api/v1/streaming/list")
async def stream_list(request: Request) -> StreamingResponse:
    """A list's posts (`?list=ID`), for the list's owner."""
    return await _sse_stream(request, "list", tag_param="list")


@router.get("/api/v1/streaming/direct")
async def stream_direct(request: Request) -> StreamingResponse:
    return await _sse_stream(request, "direct")


@router.get("/api/v1/streaming/hashtag/local")
async def stream_hashtag_local(request: Request) -> StreamingResponse:
    return await _sse_stream(request, "hashtag:local")


def _ws_token(websocket: WebSocket) -> str | None:
    header = websocket.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    protocol = websocket.headers.get("sec-websocket-protocol")
    return websocket.query_params.get("access_token") or protocol or None


@router.websocket("/api/v1/streaming")
@router.websocket("/api/v1/streaming/")
async def stream_websocket(websocket: WebSocket) -> None:
    app = websocket.app
    try:
        viewer = await _viewer_for(app, _ws_token(websocket))
    except DomainError as exc:
        # Mastodon answers the upgrade with 401; without the ASGI denial-response extension
        # the server can only refuse the handshake (a plain 403).
        if "websocket.http.response" in websocket.scope.get("extensions", {}):
            await websocket.send_denial_response(JSONResponse(
                {"error": exc.message}, status_code=exc.status_code))
        else:
            await websocket.close(code=4001, reason=exc.message)
        return
    protocol = websocket.headers.get("sec-websocket-protocol")
    await websocket.accept(subprotocol=protocol if protocol else None)
    host = websocket.headers.get("host", "")
    session = await _open_session(app, viewer, f"{'https' if websocket.url.scheme == 'wss' else 'http'}://{host}")
    initial = websocket.query_params.get("stream")
    send_lock = asyncio.Lock()

    async def send(message: dict) -> None:
        async with send_lock:
            await websocket.send_text(orjson.dumps(message).decode())

    async def handle(command: dict) -> None:
        kind = command.get("type")
        if kind not in ("subscribe", "unsubscribe"):
            await send({"error": "Unknown message type", "status": 400})
            return
        name = command.get("stream")
        tag = command.get("tag") or command.get("group") or command.get("list")
        if isinstance(name, list):  # the array form events are labelled with: ["hashtag", "x"]
            name, tag = (name[0] if name else None), (tag or (name[1] if len(name) > 1 else None))
        # Whatever a client sends must end in an error message, never in a dropped connection.
        name = name if isinstance(name, str) else None
        tag = tag if isinstance(tag, str) else None
        try:
            key = stream_key(name, tag, viewer)
            if kind == "subscribe":
                await session.subscribe(key)
            else:
                await session.unsubscribe(key)
        except DomainError as exc:
            await send({"error": exc.message, "status": exc.status_code, "stream": [name]})

    async def pump() -> None:
        try:
            while True:
                for label, event, payload in await session.next_events(sse.HEARTBEAT_SECONDS) or ():
                    message = {"stream": label, "event": event}
                    if payload is not None:  # filters_changed has none
                        message["payload"] = payload
                    await send(message)
        except SessionRevoked:
            await websocket.close(code=4001, reason="The access token was revoked")

    pump_task = asyncio.create_task(pump())
    try:
        if initial:
            await handle({"type": "subscribe", "stream": initial,
                          **{name: websocket.query_params.get(name)
                             for name in ("tag", "group", "list")}})
        while True:
            text = await websocket.receive_text()
            try:
                command = orjson.loads(text)
            except orjson.JSONDecodeError:
                await send({"error": "Invalid JSON", "status": 400})
                continue
            if isinstance(command, dict):
                await handle(command)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        pump_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump_task
        await session.close()



