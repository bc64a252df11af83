"""The edge of the world for bench/crisis.py, run in the benchmark's process: the SMTP server
the instance hands its e-mail to, a Web Push service, and an SMS gateway adapter that checks the
webhook's signature as docs/crisis-sms-gateway.md asks. Each notes when every message arrived,
by its id's prefix (`crisis.…` from the server, `floor.…` from the benchmark's own baselines),
and counts an id that arrives a second time instead of noting it again.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import Counter, defaultdict
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiosmtplib
import httpx
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from servers import free_port

MAIL_BATCH = 25   # e-mails over one SMTP connection, as the server sends them
SMS_BATCH = 100   # text messages in one signed request (the contract's most)
# The contract's five minutes between the request's timestamp and the adapter's clock.
TOLERANCE_SECONDS = 300
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*<([A-Za-z]+)\.([^>]+)>", re.IGNORECASE | re.MULTILINE)


class Arrivals:
    """When each message arrived, per kind; shared by the sinks' threads and the measurement."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._times: dict[str, list[float]] = defaultdict(list)
        self._ids: dict[str, set[str]] = defaultdict(set)
        self.duplicates: Counter[str] = Counter()

    def note(self, kind: str, message_id: str) -> None:
        moment = time.perf_counter()
        with self._lock:
            if message_id in self._ids[kind]:
                self.duplicates[kind] += 1
                return
            self._ids[kind].add(message_id)
            self._times[kind].append(moment)

    def count(self, kind: str) -> int:
        with self._lock:
            return len(self._times[kind])

    def times(self, kind: str) -> list[float]:
        with self._lock:
            return sorted(self._times[kind])


class SmtpSink:
    """aiosmtpd on a free port; an e-mail's kind is its Message-ID's prefix (`<crisis.7@…>`)."""

    def __init__(self, arrivals: Arrivals) -> None:
        self.arrivals = arrivals
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope) -> str:
        headers = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = _MESSAGE_ID.search(headers)
        if found:
            self.arrivals.note("email:" + found[1].decode(), found[2].decode())
        else:
            self.arrivals.note("email:other", secrets.token_hex(8))
        return "250 OK"

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


class _HttpSink:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]

    def __enter__(self):
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class PushService(_HttpSink):
    """Answers every push with 201 and notes it by endpoint: one device each, so a second push
    to a device counts as a repeat (the bench's devices want no other notifications)."""

    def __init__(self, arrivals: Arrivals) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrivals.note("push", self.path)
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        super().__init__(Handler)

    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/push/{secrets.token_hex(8)}"


def device_keys() -> dict[str, str]:
    """A browser's subscription keys: a P-256 public key and an auth secret (base64url)."""
    public = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": _b64(public), "auth": _b64(secrets.token_bytes(16))}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class SmsGateway(_HttpSink):
    """The organisation's adapter: checks the signature (401 otherwise, counted), takes each
    message once by id, answers 200 with no refusals."""

    def __init__(self, arrivals: Arrivals) -> None:
        self.secret = secrets.token_urlsafe(32)
        self.bad_signatures = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if gateway.signed(self.headers.get("X-Zwitscher-Timestamp", ""),
                                  self.headers.get("X-Zwitscher-Signature", ""), body):
                    for message in json.loads(body)["messages"]:
                        kind, _, rest = message["id"].partition(".")
                        arrivals.note("sms:" + kind, rest)
                    status, answer = 200, b'{"refused": []}'
                else:
                    gateway.bad_signatures += 1
                    status, answer = 401, b'{"error": "bad signature"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        super().__init__(Handler)
        self.url = f"http://127.0.0.1:{self.port}/sms"

    def signed(self, timestamp: str, signature: str, body: bytes) -> bool:
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
            return False
        return hmac.compare_digest(signature, sign(self.secret, timestamp, body))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The webhook's signature header (docs/crisis-sms-gateway.md)."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                hashlib.sha256).hexdigest()


async def until(done, deadline: float) -> None:
    while not done() and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)


async def mail_floor(sink: SmtpSink, arrivals: Arrivals, count: int) -> float:
    """The same number of small e-mails, 25 over each connection, one connection at a time."""
    started = time.perf_counter()
    for start in range(0, count, MAIL_BATCH):
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=sink.port) as smtp:
            for n in range(start, min(start + MAIL_BATCH, count)):
                message = EmailMessage()
                message["From"] = "Zwitscher <zwitscher@example.org>"
                message["To"] = f"relative{n}@example.net"
                message["Subject"] = "Crisis alert: Fire at hall 3"
                message["Message-ID"] = f"<floor.{n}@example.org>"
                message.set_content("Leave hall 3 by the north exit. Answer here: "
                                    f"https://social.example.org/crisis/{n}.{'x' * 22}")
                await smtp.send_message(message)
    await until(lambda: arrivals.count("email:floor") >= count, time.perf_counter() + 60)
    return arrivals.times("email:floor")[-1] - started


async def sms_floor(gateway: SmsGateway, arrivals: Arrivals, count: int) -> float:
    """The same number of text messages in signed batches of 100, one request at a time."""
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as client:
        for start in range(0, count, SMS_BATCH):
            body = json.dumps({"messages": [
                {"id": f"floor.{n}", "to": f"+49176{5000000 + n:07d}",
                 "text": "Fire at hall 3\nLeave hall 3 by the north exit. Answer here: "
                         f"https://social.example.org/crisis/{n}.{'x' * 22}"}
                for n in range(start, min(start + SMS_BATCH, count))]},
                ensure_ascii=False).encode()
            timestamp = str(int(time.time()))
            (await client.post(gateway.url, content=body, headers={
                "Content-Type": "application/json", "X-Zwitscher-Timestamp": timestamp,
                "X-Zwitscher-Signature": sign(gateway.secret, timestamp, body)})
             ).raise_for_status()
    return arrivals.times("sms:floor")[-1] - started
