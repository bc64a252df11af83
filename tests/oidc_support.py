"""Identity providers for the single sign-on tests, on loopback.

`MockProvider` is a real OpenID Connect provider (`oidc-provider-mock`: discovery, a sign-in
form, code exchange, signed ID tokens, end-session), with people whose claims a test sets.
`HostileProvider` answers like a provider whose ID tokens are forged or broken in the way a
test chooses: the edge of the world, where no real provider would cooperate.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from oidc_provider_mock import run_server_in_thread

CALLBACK_PATH = "/web/sign-in/sso/callback"


class MockProvider:
    def __init__(self) -> None:
        self._context = run_server_in_thread(require_client_registration=True,
                                             require_nonce=True)

    def __enter__(self) -> MockProvider:
        server = self._context.__enter__()
        self.url = f"http://localhost:{server.server_port}"
        return self

    def __exit__(self, *exc) -> None:
        self._context.__exit__(*exc)

    def register(self, zwitscher_port: int) -> tuple[str, str]:
        """A client for the Zwitscher server on this port: (client id, secret)."""
        response = httpx.post(f"{self.url}/oauth2/clients", json={
            "redirect_uris": [f"http://127.0.0.1:{zwitscher_port}{CALLBACK_PATH}"]})
        response.raise_for_status()
        return response.json()["client_id"], response.json()["client_secret"]

    def set_person(self, sub: str, **claims) -> None:
        httpx.put(f"{self.url}/users/{sub}", json=claims).raise_for_status()


def sign_in_at(provider: MockProvider, page: httpx.Response, sub: str,
               client: httpx.Client) -> httpx.Response:
    """On the provider's sign-in page `page`, sign in as `sub`; follows the way back."""
    assert page.url.host == "localhost", page.url
    return client.post(str(page.url), data={"sub": sub})


class HostileProvider:
    """Discovery, keys, an authorization endpoint that says yes at once, and a token endpoint
    whose ID token is made by `forge(nonce)`, which a test replaces."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1"}, private=True)
        self.published = KeySet([self.key])
        self.client_id = "zwitscher"
        self.client_secret = secrets.token_urlsafe(16)
        self.nonces: dict[str, str] = {}
        self.forge: Callable[[str], str] = self.honest
        self.key_fetches = 0

    def claims(self, nonce: str, **changes) -> dict:
        now = int(time.time())
        return {"iss": self.url, "sub": "hostile-person", "aud": self.client_id,
                "exp": now + 300, "iat": now, "nonce": nonce, "email": "someone@example.org",
                "email_verified": True, **changes}

    def sign(self, claims: dict, key=None, alg: str = "RS256") -> str:
        key = key or self.key
        return jwt.encode({"alg": alg, "kid": key.kid}, claims, key)

    def honest(self, nonce: str) -> str:
        return self.sign(self.claims(nonce))

    def __enter__(self) -> HostileProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self._json({"issuer": provider.url,
                                "authorization_endpoint": f"{provider.url}/authorize",
                                "token_endpoint": f"{provider.url}/token",
                                "jwks_uri": f"{provider.url}/jwks"})
                elif parts.path == "/jwks":
                    provider.key_fetches += 1
                    self._json(provider.published.as_dict(private=False))
                elif parts.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.nonces[code] = query["nonce"]
                    self.send_response(302)
                    self.send_header("Location", query["redirect_uri"] + "?" + urlencode(
                        {"code": code, "state": query["state"]}))
                    self.end_headers()
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                nonce = provider.nonces.pop(form.get("code", ""), None)
                if nonce is None:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                self._json({"access_token": "x", "token_type": "Bearer",
                            "id_token": provider.forge(nonce)})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
