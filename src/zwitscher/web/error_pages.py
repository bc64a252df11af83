"""Errors on the web interface's paths answer with a page in the person's language.

The API keeps Mastodon's JSON error bodies; a browser on `/web…`, `/@…`, `/tags/…`,
`/newsroom/…` or `/wall/…` gets the layout with a heading that says what happened and a way
back. A service's `DomainError` is explained in the page's language: its `text` is a msgid of
the web catalog and its variables are filled in after translation (`i18n.explain`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zwitscher import i18n
from zwitscher.domain.errors import DomainError
from zwitscher.services.secrets import new_secret
from zwitscher.web.browser import ANONYMOUS_COOKIE, Browser, browser, guess_language
from zwitscher.web.security import HTML_HEADERS

WEB_PREFIXES = ("/web/", "/@", "/tags/", "/newsroom/", "/wall/")


def is_web_path(path: str) -> bool:
    return path == "/web" or path.startswith(WEB_PREFIXES)


async def error_page(request: Request, status_code: int, *, reason: str | None = None,
                     exc: DomainError | None = None) -> Response:
    """The error page for a web path; `reason` or `exc` adds what was wrong, if anyone knows."""
    try:
        person = await browser(request)
    except Exception:  # the database may be why we are here: show the page anyway
        person = _without_database(request)
    if exc is not None:
        reason = i18n.explain(exc, person.language)
    return person.render("error_page.html", status_code=status_code, status_code_shown=status_code,
                         reason=reason)


async def crash_page(request: Request) -> Response:
    """The 500 page. It is sent from outside the middleware stack, so it brings its own
    security headers, and it never touches the database, which may be what failed."""
    response = _without_database(request).render("error_page.html", status_code=500,
                                                  status_code_shown=500, reason=None)
    for name, value in HTML_HEADERS:
        response.headers[name.decode()] = value.decode()
    return response


def _without_database(request: Request) -> Browser:
    secret = request.cookies.get(ANONYMOUS_COOKIE, "")[:100]
    cookies = {}
    if len(secret) < 32:
        secret = cookies[ANONYMOUS_COOKIE] = new_secret()
    return Browser(request, None, None, None, guess_language(request, None), secret, cookies)


class WebErrorPages:
    """The middlewares in front of the routes (body size, NUL bytes, rate limit) answer with
    the API's JSON before any route runs; on a web path this sends the error page instead,
    keeping the status and the rate-limit headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_page(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if message["status"] >= 400 and content_type.startswith(b"application/json"):
                    replaced = True
                    page = _without_database(Request(scope)).render(
                        "error_page.html", status_code=message["status"],
                        status_code_shown=message["status"], reason=None)
                    page.raw_headers += [(k, v) for k, v in headers
                                         if k.lower().startswith(b"x-ratelimit")]
                    await send({"type": "http.response.start", "status": page.status_code,
                                "headers": page.raw_headers})
                    await send({"type": "http.response.body", "body": page.body})
                    return
            elif replaced:
                return  # the JSON body of the answer replaced above
            await send(message)

        await self.app(scope, receive, send_page)
