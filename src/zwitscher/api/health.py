"""`GET /health`: whether this process answers requests, for load balancers and monitors.

As Mastodon's: plain `OK`, no sign-in, no rate limit, and nothing asked of the database or
Redis, so a check costs next to nothing and a database outage does not make every process look
dead at once (which would take them all out of a load balancer together).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import PlainTextResponse

from zwitscher.api.operations import declare

router = APIRouter()
HEALTH_PATH = "/health"


@router.get(HEALTH_PATH)
@declare(returns=str, media_type="text/plain")
async def health() -> PlainTextResponse:
    return PlainTextResponse("OK")
