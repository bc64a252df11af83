"""Live streams in tests: server-sent events and the WebSocket, read on threads.

Every check waits (up to ten seconds) for an event to arrive and never asserts how fast it came.
To show that something did *not* arrive, a test posts a sentinel after it that the same stream
must show; the server delivers in order, so once the sentinel is there, the other would be too.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
from mastodon import StreamListener
from websockets.sync.client import connect as ws_connect

from support import wait_until

WAIT = 10.0


def post(user, text: str, **fields) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def about(status: dict):
    """Matches an event whose payload is `status`."""
    return lambda data: json.loads(data)["id"] == status["id"]


def follow(follower, target) -> None:
    follower.http.post(f"/api/v1/accounts/{target.id}/follow").raise_for_status()


class SseStream:
    """One server-sent events connection, read on a thread; events collect in `events`."""

    def __init__(self, base_url: str, path: str, token: str | None, params: dict, *,
                 wait: float = WAIT) -> None:
        self.wait = wait
        self.client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(WAIT, read=None))
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = self.client.build_request("GET", path, params=params, headers=headers)
        self.response = self.client.send(request, stream=True)
        assert self.response.status_code == 200, self.response.read()
        assert self.response.headers["content-type"].startswith("text/event-stream")
        self.events: list[tuple[str, str]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for line in self.response.iter_lines():
                if not line:
                    if "event" in fields:
                        self.events.append((fields["event"], fields.get("data", "")))
                    fields = {}
                elif not line.startswith(":"):
                    key, _, value = line.partition(": ")
                    fields[key] = f"{fields[key]}\n{value}" if key in fields else value
        except (httpx.HTTPError, OSError):
            pass  # closed by the test

    def wait_for(self, event: str, match=lambda data: True) -> str:
        found = wait_until(lambda: next((data for name, data in list(self.events)
                                         if name == event and match(data)), None), self.wait)
        assert found is not None, f"no {event!r} arrived; got {self.events!r}"
        return found

    def status_ids(self, event: str = "update") -> list[str]:
        return [json.loads(data)["id"] for name, data in list(self.events) if name == event]

    def close(self) -> None:
        stream = self.response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream else None
        if sock is not None:  # wake the reader thread, which is blocked in recv()
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.response.close()
        self.client.close()
        self.thread.join(timeout=5)


class WsClient:
    """A WebSocket connection to /api/v1/streaming with the messages it has received."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.messages: list[dict] = []

    def send(self, message: dict) -> None:
        self.connection.send(json.dumps(message))

    def wait_for(self, match) -> dict:
        deadline = time.monotonic() + WAIT
        while True:
            for message in self.messages:
                if match(message):
                    return message
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no matching message; got {self.messages!r}"
            try:
                self.messages.append(json.loads(self.connection.recv(timeout=remaining)))
            except TimeoutError:
                pass

    def barrier(self) -> None:
        """The server handles commands in order and answers a bad one, so after that answer
        every earlier subscribe or unsubscribe has taken effect (with no other answer due)."""
        errors = self.errors()
        self.send({"type": "subscribe", "stream": "no-such-stream"})
        self.wait_for(lambda _message: self.errors() > errors)

    def errors(self) -> int:
        return sum(1 for message in self.messages if "error" in message)

    def updates(self, stream: list[str]) -> list[str]:
        return [json.loads(m["payload"])["id"] for m in self.messages
                if m.get("event") == "update" and m.get("stream") == stream]


def open_sse(server, opened: list):
    def open_stream(path: str, user=None, **params) -> SseStream:
        stream = SseStream(server.base_url, path, user.token if user else None, params)
        opened.append(stream)
        return stream
    return open_stream


def open_websocket(server, opened: list):
    def open_socket(token: str | None = None, *, via: str = "header", **query) -> WsClient:
        url = server.base_url.replace("http", "ws", 1) + "/api/v1/streaming"
        headers, protocols = {}, None
        if token and via == "query":
            query["access_token"] = token
        elif token and via == "header":
            headers["Authorization"] = f"Bearer {token}"
        elif token:
            protocols = [token]
        if query:
            url += f"?{httpx.QueryParams(query)}"
        connection = ws_connect(url, additional_headers=headers, subprotocols=protocols,
                                open_timeout=WAIT)
        opened.append(connection)
        return WsClient(connection)
    return open_socket


class Listener(StreamListener):
    def __init__(self) -> None:
        self.updates: list = []
        self.filters_changed = 0

    def on_update(self, status) -> None:
        self.updates.append(status)

    def on_filters_changed(self) -> None:
        self.filters_changed += 1


def close_in_background(handle) -> None:
    # requests only notices the close at the next heartbeat: do not wait for it.
    threading.Thread(target=handle.close, daemon=True).start()
