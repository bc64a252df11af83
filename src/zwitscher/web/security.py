"""Security of the HTML pages: response headers and CSRF tokens.

Every HTML response carries a strict Content-Security-Policy (no inline script or style: the
pages load `/static/web.js` and `/static/web.css`), refuses framing and sniffing, and keeps the
path out of the Referer sent to other sites.

CSRF: every form carries a token derived from the browser's cookie secret (its session, or an
anonymous cookie before sign-in), so another site can neither read nor forge it; a POST without
the right token is refused before anything is changed.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zwitscher.services.secrets import digest

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'")
HTML_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class HtmlSecurityHeaders:
    """Adds the headers above to every `text/html` response, whoever rendered it, unless it
    brought a Content-Security-Policy of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                # A page that states its own policy keeps it (a story's embed, which other
                # sites frame; its exports): its headers are its own, all of them.
                own_policy = any(k.lower() == b"content-security-policy" for k, _ in headers)
                if content_type.startswith(b"text/html") and not own_policy:
                    message["headers"] = headers + HTML_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(cookie_secret: str) -> str:
    return digest(f"csrf:{cookie_secret}")


def csrf_matches(cookie_secret: str | None, submitted: str | None) -> bool:
    if not cookie_secret or not submitted:
        return False
    return hmac.compare_digest(csrf_token(cookie_secret), submitted)
