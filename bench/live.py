"""Live delivery: thousands of open streams (half SSE, half WebSocket) of one account's
followers; the account posts; when did each connection receive the `update`?

The clients are bare asyncio protocols that note the time bytes arrive and look for the event
marker, so the measuring side adds microseconds, not the cost of a full client per
connection (2,000 of those would measure the bench, not the server, on two cores).
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
from dataclasses import dataclass, field

import httpx

from stats import ms, summary_ms

SSE_MARKER = b"event: update"
WS_MARKER = b'"event":"update"'


@dataclass
class _Connection(asyncio.Protocol):
    host: str
    port: int
    token: str
    ready: asyncio.Future = field(default=None)
    transport: asyncio.Transport | None = None
    head: bytearray = field(default_factory=bytearray)
    open: bool = False
    armed_at: float | None = None
    received_at: float | None = None
    seen: bytearray = field(default_factory=bytearray)
    closed: bool = False

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        transport.write(self.request())

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        if not self.open:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            status_line = bytes(self.head[:self.head.find(b"\r\n")])
            rest = bytes(self.head[end + 4:])
            self.head.clear()
            if not self.accepted(status_line):
                if not self.ready.done():
                    self.ready.set_exception(ConnectionError(status_line.decode(errors="replace")))
                return
            self.open = True
            if not self.ready.done():
                self.ready.set_result(True)
            data = rest
            if not data:
                return
        self.body(data, now)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(str(exc or "closed")))

    def arm(self) -> None:
        self.armed_at = time.perf_counter()
        self.received_at = None
        self.seen.clear()

    def note(self, chunk: bytes, now: float, marker: bytes) -> None:
        if self.armed_at is None:
            return
        self.seen += chunk
        if self.received_at is None and marker in self.seen[-(len(chunk) + 64):]:
            self.received_at = now

    def request(self) -> bytes:
        raise NotImplementedError

    def accepted(self, status_line: bytes) -> bool:
        raise NotImplementedError

    def body(self, data: bytes, now: float) -> None:
        raise NotImplementedError


class SSEConnection(_Connection):
    def request(self) -> bytes:
        return (f"GET /api/v1/streaming/user HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
                ).encode()

    def accepted(self, status_line: bytes) -> bool:
        return b" 200 " in status_line

    def body(self, data: bytes, now: float) -> None:
        self.note(data, now, SSE_MARKER)


class WebSocketConnection(_Connection):
    """A minimal RFC 6455 client: reads frames, answers pings, never sends data."""

    frames: bytearray

    def request(self) -> bytes:
        self.frames = bytearray()
        key = base64.b64encode(os.urandom(16)).decode()
        return (f"GET /api/v1/streaming?stream=user&access_token={self.token} HTTP/1.1\r\n"
                f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()

    def accepted(self, status_line: bytes) -> bool:
        return b" 101 " in status_line

    def body(self, data: bytes, now: float) -> None:
        self.frames += data
        while True:
            frame = self._next_frame()
            if frame is None:
                return
            opcode, payload = frame
            if opcode == 0x9:  # ping: pong with the same payload (client frames are masked)
                self._send(0xA, payload)
            elif opcode == 0x8:
                self.transport.close()
            elif opcode in (0x1, 0x0):
                self.note(payload, now, WS_MARKER)

    def _next_frame(self) -> tuple[int, bytes] | None:
        buf = self.frames
        if len(buf) < 2:
            return None
        opcode, length, offset = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if length == 126:
            if len(buf) < 4:
                return None
            length, offset = struct.unpack(">H", buf[2:4])[0], 4
        elif length == 127:
            if len(buf) < 10:
                return None
            length, offset = struct.unpack(">Q", buf[2:10])[0], 10
        if len(buf) < offset + length:
            return None
        payload = bytes(buf[offset:offset + length])
        del buf[:offset + length]
        return opcode, payload

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        head = bytes([0x80 | opcode, 0x80 | len(payload)])  # control frames are < 126 bytes
        self.transport.write(head + mask + masked)


async def open_streams(host: str, port: int, tokens: list[str], *,
                       parallel: int = 32) -> list[_Connection]:
    """Open one stream per token, alternating SSE and WebSocket, `parallel` at a time."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(parallel)
    connections: list[_Connection] = []

    async def one(n: int, token: str) -> None:
        kind = SSEConnection if n % 2 == 0 else WebSocketConnection
        async with gate:
            conn = kind(host, port, token, ready=loop.create_future())
            await loop.create_connection(lambda: conn, host, port)
            await asyncio.wait_for(conn.ready, 60)
            connections.append(conn)

    await asyncio.gather(*(one(n, t) for n, t in enumerate(tokens)))
    return connections


def close_streams(connections: list[_Connection]) -> None:
    for conn in connections:
        if conn.transport is not None:
            conn.transport.close()


async def deliver(base_url: str, connections: list[_Connection], *, author_token: str,
                  timeout: float = 30) -> dict:
    """One post by the author; per connection, the time from the POST's response until the
    `update` arrived (0 when it arrived before the response did)."""
    for conn in connections:
        conn.arm()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        sent = time.perf_counter()
        response = await client.post("/api/v1/statuses", data={"status": "Live delivery probe"},
                                     headers={"Authorization": f"Bearer {author_token}"})
        responded = time.perf_counter()
        response.raise_for_status()
        status_id = response.json()["id"].encode()
    deadline = responded + timeout
    while time.perf_counter() < deadline:
        if all(c.received_at is not None or c.closed for c in connections):
            break
        await asyncio.sleep(0.01)
    after_response = [max(0.0, c.received_at - responded) for c in connections
                      if c.received_at is not None]
    after_request = [c.received_at - sent for c in connections if c.received_at is not None]
    wrong = sum(1 for c in connections if c.received_at is not None and status_id not in c.seen)
    return {**summary_ms(after_response),
            "since_request": summary_ms(after_request),
            "post_ms": ms(responded - sent),
            "connections": len(connections),
            "missing": sum(1 for c in connections if c.received_at is None),
            "other_update": wrong,
            "closed": sum(1 for c in connections if c.closed)}
