"""The web app manifest: phones and desktops offer to install Zwitscher like an app (its own
window and icon), which field staff open rather than a browser tab."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

router = APIRouter()
THEME_COLOUR = "#0b57d0"


@router.get("/manifest.webmanifest", include_in_schema=False)
async def manifest(request: Request) -> Response:
    title = request.app.state.settings.instance_title
    body = {
        "name": title, "short_name": title[:12], "id": "/web/home", "start_url": "/web/home",
        "scope": "/", "display": "standalone", "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "description": "Microblogging for organisations",
        "icons": [
            {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(orjson.dumps(body), media_type="application/manifest+json",
                    headers={"Cache-Control": "public, max-age=3600"})
