"""Helpers for the web interface's tests: a browser-like HTTP client and a fresh instance."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator

import httpx

from support import (
    PASSWORD,
    ServerProcess,
    create_postgres_database,
    drop_postgres_database,
)

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


@contextlib.contextmanager
def fresh_instance(tmp_path) -> Iterator[ServerProcess]:  # noqa: ANN001
    """A new, empty instance of its own (first-run setup needs one without accounts)."""
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path), "ZWITSCHER_RATE_LIMIT": "1000000"}
    admin_url = os.environ.get("ZWITSCHER_TEST_DATABASE_URL")
    database_url = create_postgres_database(admin_url) if admin_url else None
    if database_url:
        env["ZWITSCHER_DATABASE_URL"] = database_url
        if redis_url := os.environ.get("ZWITSCHER_TEST_REDIS_URL"):
            env["ZWITSCHER_REDIS_URL"] = redis_url
    server = ServerProcess(env)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if database_url:
            drop_postgres_database(database_url)
