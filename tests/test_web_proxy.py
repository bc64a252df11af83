"""Behind a reverse proxy that terminates TLS: `Secure` cookies and `https://` URLs, but only
when the proxy is one of `ZWITSCHER_TRUSTED_PROXIES` (the default trusts 127.0.0.1)."""

from __future__ import annotations

import re

import httpx
import pytest

from support import PASSWORD
from web_support import csrf_of, fresh_instance

FROM_TLS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    """Each cookie the response sets, with its attributes as written."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def _set_up_through_the_proxy(base_url: str) -> httpx.Response:
    """The first-run form, which signs its owner in. httpx would not send a Secure cookie back
    over plain http, so the cookie goes by hand, as the proxy would pass it on."""
    page = httpx.get(f"{base_url}/web/setup", headers=FROM_TLS_PROXY)
    anonymous = re.search(r"zw_anon=([^;]+)", page.headers["set-cookie"]).group(1)
    return httpx.post(f"{base_url}/web/setup", headers={
        **FROM_TLS_PROXY, "Cookie": f"zw_anon={anonymous}"}, data={
        "csrf": csrf_of(page), "username": "alice", "email": "alice@example.org",
        "password": PASSWORD, "display_name": "Alice"})


@pytest.mark.parametrize(("trusted", "secure"), [(None, True), ("10.9.8.7", False)])
def test_session_cookie_is_secure_only_behind_a_trusted_tls_proxy(tmp_path, trusted, secure):
    settings = {} if trusted is None else {"ZWITSCHER_TRUSTED_PROXIES": trusted}
    with fresh_instance(tmp_path, **settings) as server:
        signed_in = _set_up_through_the_proxy(server.base_url)
        assert signed_in.status_code == 303
        session = _set_cookies(signed_in)["zw_session"]
        assert ("; secure" in session.lower()) is secure
        assert "httponly" in session.lower() and "samesite=lax" in session.lower()
        profile = httpx.get(f"{server.base_url}/@alice", headers=FROM_TLS_PROXY).text
        scheme = "https" if secure else "http"
        assert f'<meta property="og:url" content="{scheme}://127.0.0.1:{server.port}/@alice"' \
            in profile
        api = httpx.get(f"{server.base_url}/api/v1/accounts/lookup", params={"acct": "alice"},
                        headers=FROM_TLS_PROXY).json()
        assert api["url"] == f"{scheme}://127.0.0.1:{server.port}/@alice"


def test_without_a_proxy_plain_http_gets_no_secure_cookie(server):
    page = httpx.get(f"{server.base_url}/web/sign-in")
    assert "secure" not in _set_cookies(page)["zw_anon"].lower()
