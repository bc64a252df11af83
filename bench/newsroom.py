"""A press release to a newsroom's e-mail subscribers: how long until every open stream has it
and every e-mail is handed to the SMTP server? One command, both deployment modes, one table.

    .venv/bin/python bench/newsroom.py [--small] [--only sqlite|scale-out]

For each mode it starts the real server as an operator would (`zwitscher serve`, jobs in
process, on SQLite; `zwitscher serve --workers 2` and one `zwitscher worker` on PostgreSQL +
Redis), with its e-mail going to a local SMTP sink (aiosmtpd, in this process). It makes a
brand account, a communicator and a reader who follows the brand through the command line and
the API, stores 10,000 confirmed subscribers straight into the database (--small: 1,000),
opens streams (half the public stream, half the reader's user stream; 20, --small 10), then
the communicator publishes a public release (`POST /api/zwitscher/v1/press/releases`) and the
clock runs from that request: until each stream received the `update`, and until the sink
accepted the last of the e-mails. Not part of the test suite. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import secrets
import sys
import threading
import time
from datetime import UTC, datetime
from email.policy import default as default_policy
from pathlib import Path

import httpx
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).parent))

from zwitscher.db.schema import jobs, newsroom_subscribers
from zwitscher.domain.ids import new_id
from zwitscher.domain.jobs import MailNewsroomSubscribers
from zwitscher.services.secrets import digest
from zwitscher.settings import Settings

from harness import (
    MODES,
    SCOPES,
    App,
    api_client,
    async_api_client,
    create_account,
    engine_of,
    report,
    say,
    scratch,
    table,
)
from servers import Server, free_port, raise_nofile
from stats import ms, percentile


class Sink:
    """The SMTP server the instance hands its e-mail to: notes when each message arrived."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.arrivals: list[float] = []
        self.first: email.message.EmailMessage | None = None
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope) -> str:
        with self._lock:
            self.arrivals.append(time.perf_counter())
            if self.first is None:
                self.first = email.message_from_bytes(envelope.content, policy=default_policy)
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def __enter__(self) -> Sink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


class Instance:
    """The people and the brand, made as an operator and its communicators would."""

    def __init__(self, server: Server, env: dict[str, str]) -> None:
        self.base = server.base_url
        for name, role in (("owner", "owner"), ("jana", "communicator"), ("reader", "member")):
            create_account(env, name, role)
        app = App(self.base, SCOPES)
        self.tokens = {name: app.token(name) for name in ("owner", "jana", "reader")}
        owner = self.http("owner")
        self.brand = owner.post("/api/zwitscher/v1/brands", data={
            "username": "stadtwerke", "display_name": "Stadtwerke Nord"}).json()
        jana_id = self.http("jana").get("/api/v1/accounts/verify_credentials").json()["id"]
        owner.post(f"/api/zwitscher/v1/brands/{self.brand['id']}/authors",
                   data={"account_id": jana_id, "needs_approval": "false"}).raise_for_status()
        self.http("reader").post(
            f"/api/v1/accounts/{self.brand['id']}/follow").raise_for_status()

    def http(self, name: str) -> httpx.Client:
        return api_client(self.base, self.tokens[name])


async def add_subscribers(settings: Settings, brand_id: int, count: int) -> float:
    """Confirmed subscribers, stored as a confirmed request would be (for setup speed)."""
    started = time.perf_counter()
    engine = engine_of(settings)
    now = datetime.now(UTC)
    rows = [{"id": new_id(), "brand_id": brand_id, "email": f"journalist{i}@example.org",
             "language": "de" if i % 2 else "en", "token_digest": digest(secrets.token_hex(16)),
             "confirmed_at": now, "created_at": now} for i in range(count)]
    async with engine.begin() as conn:
        for start in range(0, count, 1000):
            await conn.execute(newsroom_subscribers.insert(), rows[start:start + 1000])
    await engine.dispose()
    return time.perf_counter() - started


async def watch(base: str, path: str, token: str, marker: bytes, opened: asyncio.Event,
                received: list[float], counter: list[int], total: int) -> None:
    async with httpx.AsyncClient(timeout=None) as client, client.stream(
            "GET", base + path, headers={"Authorization": f"Bearer {token}"}) as response:
        response.raise_for_status()
        counter[0] += 1
        if counter[0] == total:
            opened.set()
        seen = b""
        async for chunk in response.aiter_bytes():
            seen = (seen + chunk)[-8192:]
            if marker in seen and b"event: update" in seen:
                received.append(time.perf_counter())
                return


async def mailing_queued(engine: AsyncEngine) -> float:
    """When the last batch job of the mailing is done: every e-mail is queued then."""
    query = sa.select(sa.func.count()).where(jobs.c.kind == MailNewsroomSubscribers.KIND,
                                             jobs.c.state.in_(("queued", "running")))
    while True:
        async with engine.connect() as conn:
            if not (await conn.execute(query)).scalar():
                return time.perf_counter()
        await asyncio.sleep(0.05)


async def publish_and_measure(instance: Instance, sink: Sink, settings: Settings, *,
                              subscribers: int, streams: int, timeout: float) -> dict:
    headline = f"Record year for the tram network {secrets.token_hex(4)}"
    received: list[float] = []
    opened, counter = asyncio.Event(), [0]
    paths = ["/api/v1/streaming/public", "/api/v1/streaming/user"]
    tasks = [asyncio.create_task(watch(instance.base, paths[i % 2], instance.tokens["reader"],
                                       headline.encode(), opened, received, counter, streams))
             for i in range(streams)]
    await asyncio.wait_for(opened.wait(), 60)
    await asyncio.sleep(1)  # the streams have subscribed to their channels
    jana = async_api_client(instance.base, instance.tokens["jana"], timeout=60)
    started = time.perf_counter()
    response = await jana.post("/api/zwitscher/v1/press/releases", json={
        "brand_id": instance.brand["id"], "headline": headline, "public": True,
        "body": "Passenger numbers rose by 12 per cent.\n\nThe annual report follows in May."})
    answered = time.perf_counter()
    response.raise_for_status()
    await jana.aclose()
    engine = engine_of(settings)
    queued = asyncio.create_task(mailing_queued(engine))
    deadline = started + timeout
    while (len(received) < streams or sink.count() < subscribers) \
            and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    for task in [*tasks, queued]:
        task.cancel()
    await asyncio.gather(*tasks, queued, return_exceptions=True)
    await engine.dispose()
    arrivals = sorted(sink.arrivals)
    lags = [moment - started for moment in received]
    first = sink.first
    return {
        "subscribers": subscribers, "streams": streams,
        "post_ms": ms(answered - started),
        "streams_received": len(received),
        "stream_p50_ms": ms(percentile(lags, 50)), "stream_max_ms": ms(max(lags, default=None)),
        "mails_queued_s": round(queued.result() - started, 2) if not queued.cancelled()
        and queued.done() and not queued.exception() else None,
        "mails_handed": len(arrivals),
        "first_mail_s": round(arrivals[0] - started, 2) if arrivals else None,
        "last_mail_s": round(arrivals[-1] - started, 2) if arrivals else None,
        "mails_per_s": round(len(arrivals) / (arrivals[-1] - started), 1) if arrivals else None,
        "one_click_headers": bool(first and first["List-Unsubscribe"]
                                  and first["List-Unsubscribe-Post"]),
    }


def run_mode(mode: str, args: argparse.Namespace) -> dict:
    with scratch(mode, "newsroom") as run:
        with Sink() as sink:
            env, settings = run.env(ZWITSCHER_SMTP_URL=sink.url), run.settings
            say(f"{mode}: starting the server")
            with run.deployment(env) as (server, _worker):
                instance = Instance(server, env)
                say(f"{mode}: storing {args.subscribers:,} confirmed subscribers")
                stored = asyncio.run(add_subscribers(settings, int(instance.brand["id"]),
                                                     args.subscribers))
                say(f"{mode}: {args.streams} streams open; publishing the release")
                figures = asyncio.run(publish_and_measure(
                    instance, sink, settings, subscribers=args.subscribers, streams=args.streams,
                    timeout=args.timeout))
        return {"label": MODES[mode], "setup_subscribers_s": round(stored, 2), **figures}


ROWS = [("Subscribers (confirmed) / open streams", lambda m: f"{m['subscribers']:,} / "
         f"{m['streams']}"),
        ("POST /press/releases answered", lambda m: f"{m['post_ms']} ms"),
        ("Streams with the update", lambda m: f"{m['streams_received']} of {m['streams']}"),
        ("  time to it, p50 / max", lambda m: f"{m['stream_p50_ms']} / {m['stream_max_ms']} ms"),
        ("E-mails handed to the SMTP server", lambda m: f"{m['mails_handed']:,} of "
         f"{m['subscribers']:,}"),
        ("  all queued (batch jobs done) after", lambda m: f"{m['mails_queued_s']} s"),
        ("  first / last handed after the POST", lambda m: f"{m['first_mail_s']} / "
         f"{m['last_mail_s']} s"),
        ("  rate over the whole mailing", lambda m: f"{m['mails_per_s']} e-mails/s"),
        ("  List-Unsubscribe(-Post) headers", lambda m: "yes" if m["one_click_headers"]
         else "NO"),
        ("Setup: subscribers stored in", lambda m: f"{m['setup_subscribers_s']} s")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true",
                        help="1,000 subscribers and 10 streams instead of 10,000 and 20")
    parser.add_argument("--only", choices=list(MODES))
    parser.add_argument("--subscribers", type=int)
    parser.add_argument("--streams", type=int)
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds to wait for the streams and e-mails")
    args = parser.parse_args(argv)
    args.subscribers = args.subscribers or (1_000 if args.small else 10_000)
    args.streams = args.streams or (10 if args.small else 20)
    raise_nofile()
    results = {mode: run_mode(mode, args) for mode in MODES if args.only in (None, mode)}
    report(results, table(results, ROWS, label_width=40),
           "newsroom-small" if args.small else "newsroom")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
