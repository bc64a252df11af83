"""The read side under load: a viewer's first page (nothing of theirs cached yet), the
other pages that present statuses, and whether pages served from the caches are the bytes a
server that renders every status anew serves."""

from __future__ import annotations

import asyncio
import time

import httpx

from load import HOME_PATH, run_wrk
from stats import summary_ms

# One host for both servers compared: entities carry absolute URLs built from it.
HOST = "zwitscher.bench"


async def first_pages(base_url: str, tokens: list[str], *, concurrency: int = 16) -> dict:
    """Every token's first home page, `concurrency` at a time: the cold path (the token, the
    feed's ids, the page statement; entities cached by whoever read them before)."""
    queue = list(tokens)
    latencies: list[float] = []
    failures = 0

    async def client() -> None:
        nonlocal failures
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            while queue:
                token = queue.pop()
                started = time.perf_counter()
                response = await http.get(HOME_PATH, headers={
                    "Authorization": f"Bearer {token}"})
                latencies.append(time.perf_counter() - started)
                failures += response.status_code != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"pages": len(latencies), "rps": round(len(latencies) / elapsed, 1),
            "failures": failures, **summary_ms(latencies)}


async def pages(base_url: str, tokens: list[str], path: str = HOME_PATH) -> list[bytes]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        found = []
        for token in tokens:
            response = await http.get(path, headers={"Authorization": f"Bearer {token}",
                                                     "Host": HOST})
            response.raise_for_status()
            found.append(response.content)
        return found


def compare(cached: list[bytes], rendered: list[bytes]) -> dict:
    same = sum(a == b for a, b in zip(cached, rendered, strict=True))
    return {"pages": len(cached), "identical": same,
            "bytes": sum(len(page) for page in cached)}


async def read_paths(base_url: str, token: str, author_id: int) -> dict[str, str]:
    """The other pages that present statuses, found through the API: an account's statuses,
    the local timeline, the thread of that account's newest status, notifications."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        newest = (await http.get(f"/api/v1/accounts/{author_id}/statuses", params={
            "limit": 1}, headers={"Authorization": f"Bearer {token}"})).json()
    return {"account_timeline": f"/api/v1/accounts/{author_id}/statuses?limit=20",
            "public_timeline": "/api/v1/timelines/public?local=true&limit=20",
            "thread_context": f"/api/v1/statuses/{newest[0]['id']}/context",
            "notifications": "/api/v1/notifications?limit=20"}


def endpoints(base_url: str, *, tokens_file, paths: dict[str, str], duration: float,
              floor_rps: float) -> dict:
    """Each path under the same load as the home timeline (warmed for 2 s first)."""
    measured = {}
    for name, path in paths.items():
        run_wrk(base_url, tokens_file=tokens_file, path=path, duration=2)
        result = run_wrk(base_url, tokens_file=tokens_file, path=path, duration=duration)
        measured[name] = result.as_dict() | {"path": path,
                                             "ratio_to_floor": round(result.rps / floor_rps, 3)}
    return measured

