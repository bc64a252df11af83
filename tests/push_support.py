"""A Web Push service of our own for tests (the edge of the world), and subscribed devices.

A small HTTP server on 127.0.0.1 records what each endpoint is sent. Like a browser, each
device holds the private key and auth secret of its subscription and decrypts what arrives;
the server under test never sees them.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from support import UserFactory, fresh_instance, wait_until


@dataclass
class Received:
    headers: dict[str, str]  # by lower-case name
    body: bytes


HANG = 0


@dataclass
class PushService:
    """Records what each endpoint (a path) is sent, answering with a status of our choice."""

    port: int = 0
    inbox: dict[str, list[Received]] = field(default_factory=dict)
    # Per endpoint, the statuses to answer with in turn (the last one for good).
    answers: dict[str, list[int]] = field(default_factory=dict)
    # Endpoints answering HANG keep the request open until the tests end.
    released: threading.Event = field(default_factory=threading.Event)

    def endpoint(self, *answers: int) -> str:
        path = f"/push/{secrets.token_hex(8)}"
        self.inbox[path] = []
        self.answers[path] = list(answers or [201])
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, endpoint: str) -> list[Received]:
        return self.inbox[endpoint.split(str(self.port), 1)[1]]


@pytest.fixture(scope="module")
def push_service():
    service = PushService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.inbox.setdefault(self.path, []).append(Received(
                {name.lower(): value for name, value in self.headers.items()}, body))
            answers = service.answers.get(self.path, [404])
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            if answer == HANG:
                service.released.wait(60)
            self.send_response(answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield service
    service.released.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def push_server(tmp_path_factory):
    """A server that accepts http:// endpoints, as an operator sets it up for development.
    It has a database of its own: the session's other servers run jobs too, and one of them
    (which refuses such endpoints) would claim this one's push deliveries."""
    with fresh_instance(tmp_path_factory.mktemp("push-data"),
                        ZWITSCHER_PUSH_ALLOW_HTTP="true") as server:
        yield server


@pytest.fixture(scope="module")
def push_people(push_server):
    return UserFactory(push_server)


@dataclass
class Device:
    """A subscribed app: its endpoint and the keys only it holds."""

    endpoint: str
    private: dict
    public: dict


def subscribe(user, push_service, *, answers: tuple[int, ...] = (201,), **alerts) -> Device:
    """Subscribe through Mastodon.py, which uses the legacy `aesgcm` encoding."""
    private, public = user.api.push_subscription_generate_keys()
    endpoint = push_service.endpoint(*answers)
    user.api.push_subscription_set(endpoint, public, **alerts)
    return Device(endpoint, private, public)


def decrypt(user, device: Device, received: Received) -> dict:
    return user.api.push_subscription_decrypt_push(
        received.body, device.private, received.headers["encryption"],
        received.headers["crypto-key"])


def pushes(push_service, device: Device, count: int = 1) -> list[Received]:
    return wait_until(lambda: len(push_service.received(device.endpoint)) >= count
                      and push_service.received(device.endpoint)) or []
