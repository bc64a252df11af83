"""Helpers for the web interface's tests: a browser-like HTTP client and a fresh instance."""

from __future__ import annotations

import itertools
import re
import secrets

import httpx

from support import PASSWORD, fresh_instance  # noqa: F401 (the web tests' fresh instance)

CSRF_RE = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def csrf_of(page: httpx.Response) -> str:
    match = CSRF_RE.search(page.text)
    assert match, f"no CSRF token on {page.url}"
    return match.group(1)


class WebClient:
    """A browser without JavaScript: keeps cookies, follows redirects, sends forms with CSRF."""

    def __init__(self, base_url: str, *, language: str = "en") -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=True,
                                 headers={"Accept-Language": language})

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def submit(self, page_path: str, action: str, fields: dict[str, str]) -> httpx.Response:
        """Open the page holding the form, then send the form as a browser would."""
        token = csrf_of(self.get(page_path))
        return self.http.post(action, data={"csrf": token, **fields})

    def sign_in(self, login: str, password: str = PASSWORD) -> httpx.Response:
        return self.submit("/web/sign-in", "/web/sign-in",
                           {"login": login, "password": password})

    def close(self) -> None:
        self.http.close()


def signed_in(server, user) -> WebClient:
    """A browser without JavaScript on `server` (any instance), signed in as `user`."""
    web = WebClient(server.base_url)
    web.sign_in(user.username)
    return web


_addresses = itertools.count(1)


def browser_at_own_address(base_url: str) -> WebClient:
    """A browser at a network address of its own (the server believes X-Forwarded-For from
    loopback, as from a reverse proxy), so the per-address limits of one test are its own."""
    client = WebClient(base_url)
    number = next(_addresses)
    client.http.headers["X-Forwarded-For"] = (
        f"10.{number // 250}.{number % 250}.{secrets.randbelow(250)}")
    return client
