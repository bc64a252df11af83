"""An SMS gateway adapter of our own for tests (the edge of the world): it takes the webhook of
docs/crisis-sms-gateway.md as an organisation's adapter would, and keeps what it was handed.

It checks every request's signature (401 for a bad or stale one, which it counts), keeps each
message by id (a repeated id is counted in `duplicates` and not texted again, as the contract
asks), and can be told to answer 503 for a while (`unavailable_for`) or to refuse numbers for
good (`refuse`). Runs in a thread on 127.0.0.1, so a server process under test reaches it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from support import wait_until

# How far a request's timestamp may be from our clock (the contract's five minutes).
TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class Text:
    id: str
    to: str
    text: str


class SmsSink:
    """What the gateway was handed: `texts` by id (each once), `duplicates` per id."""

    def __init__(self) -> None:
        self.secret = secrets.token_urlsafe(24)
        self.texts: dict[str, Text] = {}
        self.duplicates: Counter[str] = Counter()
        self.refused_ids: dict[str, str] = {}
        self.requests = 0
        self.bad_signatures = 0
        self._unavailable = 0
        self._refusals: dict[str, str] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/sms"

    def start(self) -> None:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def unavailable_for(self, requests: int) -> None:
        """Answer the next `requests` requests with 503, taking none of their messages."""
        with self._lock:
            self._unavailable = requests

    def refuse(self, number: str, error: str = "unknown subscriber") -> None:
        """Refuse every message to `number` (E.164) for good, with `error`."""
        with self._lock:
            self._refusals[number] = error

    def to(self, number: str) -> list[str]:
        with self._lock:
            return [text.text for text in self.texts.values() if text.to == number]

    def wait_for(self, count: int, *, timeout: float = 30) -> dict[str, Text]:
        """Once at least `count` different messages have arrived: all of them, by id."""
        if not wait_until(lambda: len(self.texts) >= count, timeout=timeout):
            raise AssertionError(f"{len(self.texts)} text messages, not {count}, within "
                                 f"{timeout} s")
        with self._lock:
            return dict(self.texts)

    def clear(self) -> None:
        with self._lock:
            self.texts.clear()
            self.duplicates.clear()
            self.refused_ids.clear()
            self._refusals.clear()
            self._unavailable = 0
            self.requests = self.bad_signatures = 0

    def _signed(self, timestamp: str, signature: str, body: bytes) -> bool:
        """The check an adapter makes (docs/crisis-sms-gateway.md)."""
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
            return False
        expected = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body,
                            hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"sha256={expected}", signature)

    def _take(self, timestamp: str, signature: str, body: bytes) -> tuple[int, dict]:
        with self._lock:
            self.requests += 1
            if not self._signed(timestamp, signature, body):
                self.bad_signatures += 1
                return 401, {"error": "bad signature"}
            if self._unavailable:
                self._unavailable -= 1
                return 503, {"error": "try again later"}
            refused = []
            for message in json.loads(body)["messages"]:
                text = Text(message["id"], message["to"], message["text"])
                if text.to in self._refusals:
                    self.refused_ids[text.id] = self._refusals[text.to]
                    refused.append({"id": text.id, "error": self._refusals[text.to]})
                elif text.id in self.texts:
                    self.duplicates[text.id] += 1
                else:
                    self.texts[text.id] = text
            return 200, {"refused": refused}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = sink._take(self.headers.get("X-Zwitscher-Timestamp", ""),
                                            self.headers.get("X-Zwitscher-Signature", ""),
                                            body)
                encoded = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(encoded)))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, *args) -> None:
                pass

        return Handler


@pytest.fixture(scope="module")
def sms_gateway() -> SmsSink:
    """A gateway adapter for the tests of one module: `.url` and `.secret` go into
    ZWITSCHER_SMS_GATEWAY_URL and ZWITSCHER_SMS_GATEWAY_SECRET."""
    sink = SmsSink()
    sink.start()
    yield sink
    sink.stop()
