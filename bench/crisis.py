"""A crisis broadcast to 10,000 recipients: how long until every open stream has it, and until
every channel has handed over every message? One command, both deployment modes, one table.

    .venv/bin/python bench/crisis.py [--small] [--only sqlite|scale-out] [--profile S]

For each mode it starts the real server as an operator would (`zwitscher serve`, jobs in
process, on SQLite; `zwitscher serve --workers 2` and one `zwitscher worker` on PostgreSQL +
Redis), with the edge of the world in this process (`crisis_sinks.py`): an SMTP server, a Web
Push service answering 201, and an SMS gateway adapter that checks the webhook's signature.
An owner and a communicator are made on the command line; P people (20, --small 10) sign up,
join a managed group, open their user stream and subscribe a device to Web Push (every alert
off: a crisis comes whatever they say); a contact list of 10,000 - P contacts (--small 1,000 - P)
with an e-mail address and a phone number is stored straight into the database. Then:

1. the communicator posts an ordinary group post: until each stream had its `update` (the
   floor of the stream path);
2. the communicator sends a crisis to the group and the list on every channel
   (`POST /api/zwitscher/v1/crises`): its answer, each stream's `notification`, and when the
   push service, the SMTP server and the gateway took each message; at the end the dashboard
   (`GET /api/zwitscher/v1/crises/:id`) must count what the sinks counted;
3. this process hands the same number of e-mails to the same SMTP server (aiosmtplib, 25 per
   connection, one connection after the other) and text messages to the same gateway (signed
   batches of 100, one request after the other): the floors of those channels.

Figures for the crisis stand beside their ratio to the floor. Meanwhile a trivial request
every 0.1 s notes how long anyone else waits for the server (against the same while idle), and
/proc how much CPU the server's processes used. Not part of the test suite. See
docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))


import profiling
from crisis_desk import Desk, add_contacts
from crisis_sinks import (
    MAIL_BATCH,
    SMS_BATCH,
    Arrivals,
    PushService,
    SmsGateway,
    SmtpSink,
    mail_floor,
    sms_floor,
    until,
)
from crisis_table import hottest, table
from harness import MODES, RESULTS, report, say, scratch
from load import TRIVIAL_PATH
from servers import raise_nofile
from stats import ms, percentile

CRISES = "/api/zwitscher/v1/crises"
DONE = ("sent", "failed", "skipped")


class Stream:
    """A person's user stream (SSE): when the first event of a kind carrying a marker came."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], float] = {}
        self.open = asyncio.Event()

    async def watch(self, base: str, token: str, markers: list[tuple[str, str]]) -> None:
        async with httpx.AsyncClient(timeout=None) as client, client.stream(
                "GET", f"{base}/api/v1/streaming/user",
                headers={"Authorization": f"Bearer {token}"}) as response:
            response.raise_for_status()
            self.open.set()
            buffer = b""
            async for chunk in response.aiter_bytes():
                buffer += chunk
                *events, buffer = buffer.split(b"\n\n")
                for event in events:
                    for kind, marker in markers:
                        if (kind, marker) not in self.seen \
                                and f"event: {kind}\n".encode() in event + b"\n" \
                                and marker.encode() in event:
                            self.seen[kind, marker] = time.perf_counter()

    @staticmethod
    def lags(streams: list[Stream], kind: str, marker: str, since: float) -> list[float]:
        return [s.seen[kind, marker] - since for s in streams if (kind, marker) in s.seen]


class Profile:
    """py-spy on the server's processes while the crisis is sent: from just before the POST,
    for `seconds`, each process's collapsed stacks in bench/results/crisis-<mode>-<label>.txt."""

    def __init__(self, mode: str, pids: dict[str, int], seconds: float) -> None:
        self.outputs = {label: (pid, RESULTS / f"crisis-{mode}-{label}.txt")
                        for label, pid in pids.items()}
        self.seconds = seconds

    async def start(self) -> list[asyncio.Task]:
        RESULTS.mkdir(exist_ok=True)
        tasks = [asyncio.create_task(asyncio.to_thread(profiling.record, pid, output,
                                                       duration=self.seconds))
                 for pid, output in self.outputs.values()]
        await asyncio.sleep(1)  # py-spy has attached
        return tasks

    async def summaries(self, tasks: list[asyncio.Task]) -> dict[str, dict]:
        await asyncio.gather(*tasks)
        return {label: profiling.summarise(output, top=60)
                for label, (_, output) in self.outputs.items()}


async def broadcast(desk: Desk, arrivals: Arrivals, *, list_id: int, contacts_count: int,
                    timeout: float, profile: Profile | None,
                    processes: dict[str, list[int]]) -> dict:
    tag = secrets.token_hex(4)
    floor_marker, crisis_marker = f"Shift change {tag}", f"Fire at hall 3 {tag}"
    markers = [("update", floor_marker), ("notification", crisis_marker)]
    streams = [Stream() for _ in desk.people]
    tasks = [asyncio.create_task(s.watch(desk.base, token, markers))
             for s, token in zip(streams, desk.people, strict=True)]
    await asyncio.wait_for(asyncio.gather(*(s.open.wait() for s in streams)), 60)
    idle = await probe(desk.base, asyncio.sleep(3))  # the streams subscribe meanwhile
    people = len(streams)
    jana = desk.ahttp("jana")

    started = time.perf_counter()
    (await jana.post("/api/v1/statuses", data={
        "status": f"{floor_marker}: the canteen opens at 11.", "visibility": "group",
        "group_ids[]": [desk.group_id]})).raise_for_status()
    await until(lambda: all(("update", floor_marker) in s.seen for s in streams),
                started + 60)
    floor_lags = Stream.lags(streams, "update", floor_marker, started)
    await asyncio.sleep(2)  # its notifications and jobs are done

    mails, texts = people + contacts_count, contacts_count
    spying = await profile.start() if profile else None
    cpu = {name: cpu_seconds(pids) for name, pids in processes.items()}
    cpu["benchmark"] = time.process_time()
    started = time.perf_counter()
    response = await jana.post(CRISES, json={
        "title": crisis_marker, "text": "Leave hall 3 by the north exit. Answer here: {link}",
        "group_ids": [desk.group_id], "contact_list_ids": [str(list_id)],
        "channels": ["stream", "push", "email", "sms"]})
    answered = time.perf_counter()
    response.raise_for_status()
    crisis_id = response.json()["id"]
    busy = await probe(desk.base, until(
        lambda: (all(("notification", crisis_marker) in s.seen for s in streams)
                 and arrivals.count("push") >= people
                 and arrivals.count("email:crisis") >= mails
                 and arrivals.count("sms:crisis") >= texts), started + timeout))
    cpu = {name: round(cpu_seconds(processes[name]) - used, 1) if name in processes
           else round(time.process_time() - used, 1) for name, used in cpu.items()}
    board = await settled_dashboard(jana, crisis_id, time.perf_counter() + 120)
    marked = time.perf_counter()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await jana.aclose()
    hot = await profile.summaries(spying) if profile else None
    lags = Stream.lags(streams, "notification", crisis_marker, started)
    return {"people": people, "contacts": contacts_count, "recipients": people + contacts_count,
            "post_ms": ms(answered - started),
            "floor_streams": len(floor_lags),
            "floor_p50_ms": ms(percentile(floor_lags, 50)),
            "floor_max_ms": ms(max(floor_lags, default=None)),
            "streams": len(lags), "stream_p50_ms": ms(percentile(lags, 50)),
            "stream_max_ms": ms(max(lags, default=None)),
            "push": handed(arrivals, "push", people, started),
            "email": handed(arrivals, "email:crisis", mails, started, MAIL_BATCH),
            "sms": handed(arrivals, "sms:crisis", texts, started, SMS_BATCH),
            "idle_probe": waits(idle), "busy_probe": waits(busy),
            "cpu_s": cpu, "dashboard": board, "dashboard_settled_s": round(marked - started, 2),
            "profile": hot}


async def probe(base: str, meanwhile) -> list[float]:
    """How long a trivial request (routing and middleware, no database) waits, one every
    0.1 s, until `meanwhile` is done: what everyone else gets from the server meanwhile."""
    task = asyncio.ensure_future(meanwhile)
    seconds = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        while not task.done():
            began = time.perf_counter()
            (await client.get(TRIVIAL_PATH)).raise_for_status()
            seconds.append(time.perf_counter() - began)
            await asyncio.sleep(0.1)
    return seconds


def cpu_seconds(pids: list[int]) -> float:
    """The user and system CPU time these processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            # The fields after the command's closing parenthesis; utime and stime are 14, 15.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def waits(seconds: list[float]) -> dict:
    return {"count": len(seconds), "p50_ms": ms(percentile(seconds, 50)),
            "p99_ms": ms(percentile(seconds, 99)), "max_ms": ms(max(seconds, default=None))}


def handed(arrivals: Arrivals, kind: str, expected: int, since: float,
           batch: int | None = None) -> dict:
    times = arrivals.times(kind)
    last = times[-1] - since if times else None
    figures = {"expected": expected, "handed": len(times),
               "repeats": arrivals.duplicates[kind],
               "first_s": round(times[0] - since, 2) if times else None,
               "last_s": round(last, 2) if last else None,
               "per_s": round(len(times) / last, 1) if last else None}
    if batch:
        # A channel's batches go one after the other, so the arrivals fall into runs of
        # `batch`: the time inside a run is the handing over, the gap between runs the rest
        # (marking the last batch, claiming and composing the next, the job system).
        runs = [times[start:start + batch] for start in range(0, len(times), batch)]
        figures["within_batch_ms"] = ms(percentile([r[-1] - r[0] for r in runs], 50))
        gaps = [after[0] - before[-1] for before, after in zip(runs, runs[1:], strict=False)]
        figures["between_batches_ms"] = ms(percentile(gaps, 50))
    return figures


async def settled_dashboard(http: httpx.AsyncClient, crisis_id: str, deadline: float) -> dict:
    """The dashboard once no delivery waits any more (or at the deadline)."""
    while True:
        response = await http.get(f"{CRISES}/{crisis_id}")
        response.raise_for_status()
        board = response.json()
        waiting = sum(count for states in board["deliveries"].values()
                      for state, count in states.items() if state not in DONE)
        if not waiting or time.perf_counter() > deadline:
            return {"total": board["total"], "deliveries": board["deliveries"],
                    "waiting": waiting}
        await asyncio.sleep(0.2)


def run_mode(mode: str, args: argparse.Namespace) -> dict:
    arrivals = Arrivals()
    with scratch(mode, "crisis") as run:
        with SmtpSink(arrivals) as sink, PushService(arrivals) as push, \
                SmsGateway(arrivals) as gateway:
            env = run.env(
                ZWITSCHER_SMTP_URL=sink.url, ZWITSCHER_SMS_GATEWAY_URL=gateway.url,
                ZWITSCHER_SMS_GATEWAY_SECRET=gateway.secret,
                ZWITSCHER_PUSH_ALLOW_HTTP="true",
                ZWITSCHER_SIGN_UP_LIMIT_PER_ADDRESS="1000000/minute",
                # Sign-ups in the setup; the crisis checks no password.
                ZWITSCHER_PASSWORD_HASH_PROFILE="cheapest")
            settings = run.settings
            say(f"{mode}: starting the server")
            with run.deployment(env) as (server, worker):
                say(f"{mode}: {args.people} people sign up, join the group, subscribe to push")
                desk = Desk(server, env, people=args.people, push=push)
                contacts_count = args.recipients - args.people
                say(f"{mode}: storing {contacts_count:,} contacts")
                list_id, stored = asyncio.run(add_contacts(settings, contacts_count))
                pids = {"worker": worker.pid} | {f"web-{n}": pid for n, pid in
                                                   enumerate(server.web_pids(), 1)} \
                    if worker else {"server": server.pid}
                profile = Profile(mode, pids, args.profile) if args.profile else None
                processes = {"web": server.pids(), "worker": worker.pids()} if worker \
                    else {"server": server.pids()}
                say(f"{mode}: {args.people} streams open; a group post, then the crisis")
                figures = asyncio.run(broadcast(desk, arrivals, list_id=list_id,
                                                contacts_count=contacts_count,
                                                timeout=args.timeout, profile=profile,
                                                processes=processes))
            say(f"{mode}: the floors: e-mail and text messages straight from this process")
            mail_s = asyncio.run(mail_floor(sink, arrivals, figures["email"]["expected"]))
            sms_s = asyncio.run(sms_floor(gateway, arrivals, figures["sms"]["expected"]))
            bad = gateway.bad_signatures
        return {"label": MODES[mode], "setup_contacts_s": round(stored, 2), **figures,
                "mail_floor_s": round(mail_s, 2), "sms_floor_s": round(sms_s, 2),
                "bad_signatures": bad}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true",
                        help="1,000 recipients and 10 people instead of 10,000 and 20")
    parser.add_argument("--only", choices=list(MODES))
    parser.add_argument("--recipients", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds to wait for every channel")
    parser.add_argument("--profile", type=float, metavar="S",
                        help="sample the server's processes with py-spy for S seconds from "
                             "just before the POST; collapsed stacks in "
                             "bench/results/crisis-<mode>-<process>.txt")
    args = parser.parse_args(argv)
    args.recipients = args.recipients or (1_000 if args.small else 10_000)
    args.people = args.people or (10 if args.small else 20)
    raise_nofile()
    results = {mode: run_mode(mode, args) for mode in MODES if args.only in (None, mode)}
    report(results, table(results) + "\n" + hottest(results),
           "crisis-small" if args.small else "crisis")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
