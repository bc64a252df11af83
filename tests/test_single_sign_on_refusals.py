"""What single sign-on refuses: ID tokens that are forged, stale or meant for someone else, a
`state` that is forged, replayed or from another browser. Each refusal signs nobody in and
makes no account; the provider here answers as the test tells it (`HostileProvider`)."""

from __future__ import annotations

import time

import httpx
import pytest
from joserfc.jwk import KeySet, OctKey, RSAKey
from oidc_support import CALLBACK_PATH, HostileProvider

from support import free_port, fresh_instance
from web_support import WebClient

pytestmark = pytest.mark.usefixtures("quiet_log")


@pytest.fixture(scope="module")
def provider():
    with HostileProvider() as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory, provider):
    with fresh_instance(tmp_path_factory.mktemp("sso-refusals"), port=free_port(),
                        ZWITSCHER_OIDC_ISSUER=provider.url,
                        ZWITSCHER_OIDC_CLIENT_ID=provider.client_id,
                        ZWITSCHER_OIDC_CLIENT_SECRET=provider.client_secret) as running:
        yield running


@pytest.fixture
def quiet_log(server, provider):
    provider.forge = provider.honest
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def attempt(server) -> tuple[WebClient, httpx.Response]:
    """A browser presses "Sign in with ..." and the provider answers at once."""
    web = WebClient(server.base_url)
    return web, web.get("/web/sign-in/sso")


def nobody_signed_in(server, web: WebClient, username: str) -> bool:
    return (web.get("/web/home").url.path == "/web/sign-in"
            and httpx.get(f"{server.base_url}/api/v1/accounts/lookup",
                          params={"acct": username}).status_code == 404)


def test_an_honest_token_signs_in(server, provider):
    provider.forge = lambda nonce: provider.sign(provider.claims(
        nonce, sub="honest", email="honest@example.org"))
    _, home = attempt(server)
    assert home.url.path == "/web/home"
    assert "@honest" in home.text


def test_keys_the_provider_rotates_in_are_fetched(server, provider):
    # Before the forgeries below: a token naming a key we do not know has us fetch the keys
    # again at most every ten seconds, and one of them names such a key.
    provider.forge = lambda nonce: provider.sign(provider.claims(
        nonce, sub="before-rotation", email="before@example.org"))
    assert attempt(server)[1].url.path == "/web/home"
    new_key = RSAKey.generate_key(2048, parameters={"kid": "key-2"}, private=True)
    # Providers publish the next key beside the current one, then sign with it.
    provider.published = KeySet([provider.key, new_key])
    try:
        provider.forge = lambda nonce: provider.sign(provider.claims(
            nonce, sub="after-rotation", email="after@example.org"), key=new_key)
        _, home = attempt(server)
        assert home.url.path == "/web/home" and "@after" in home.text
    finally:
        provider.published = KeySet([provider.key])


FORGERIES = {
    "for another client": lambda p, n: p.sign(p.claims(n, aud="someone-else")),
    "from another issuer": lambda p, n: p.sign(p.claims(n, iss="https://evil.example")),
    "expired": lambda p, n: p.sign(p.claims(n, exp=int(time.time()) - 3600,
                                            iat=int(time.time()) - 7200)),
    "without a nonce": lambda p, n: p.sign({k: v for k, v in p.claims(n).items()
                                            if k != "nonce"}),
    "with another nonce": lambda p, n: p.sign(p.claims("a-nonce-of-another-sign-in")),
    "without a subject": lambda p, n: p.sign({k: v for k, v in p.claims(n).items()
                                              if k != "sub"}),
    "unsigned (alg none)": lambda p, n: _unsigned(p.claims(n)),
    "signed with the client secret (HS256)": lambda p, n: p.sign(
        p.claims(n), key=OctKey.import_key(p.client_secret.encode() * 2,
                                           parameters={"kid": "key-1"}), alg="HS256"),
    "signed by an unknown key": lambda p, n: p.sign(
        p.claims(n), key=RSAKey.generate_key(2048, parameters={"kid": "stranger"},
                                             private=True)),
    "signed by another key under the known key id": lambda p, n: p.sign(
        p.claims(n), key=RSAKey.generate_key(2048, parameters={"kid": "key-1"},
                                             private=True)),
    "not a token": lambda p, n: "not.a.token",
}


def _unsigned(claims: dict) -> str:
    import base64
    import json

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_bad_id_token_signs_nobody_in(server, provider, forgery):
    username = f"victim{abs(hash(forgery)) % 10**6}"
    forge = FORGERIES[forgery]
    provider.forge = lambda nonce: forge(provider, nonce)
    real_claims = provider.claims

    def with_victim(nonce, **changes):
        return real_claims(nonce, **{"sub": username, "email": f"{username}@example.org",
                                     **changes})

    provider.claims = with_victim
    try:
        web, answer = attempt(server)
    finally:
        provider.claims = real_claims
    assert answer.status_code == 401
    assert "Single sign-on did not work" in answer.text
    assert nobody_signed_in(server, web, username)


def callback_of(server) -> tuple[WebClient, str]:
    """A browser's way back from the provider, not yet followed."""
    web = WebClient(server.base_url)
    to_provider = web.http.get("/web/sign-in/sso", follow_redirects=False)
    back = httpx.get(to_provider.headers["location"], follow_redirects=False)
    return web, back.headers["location"]


def test_the_way_back_works_once(server, provider):
    web, callback = callback_of(server)
    assert web.get(callback).url.path == "/web/home"
    again = WebClient(server.base_url)
    again.http.cookies.update(web.http.cookies)
    again.http.cookies.delete("zw_session")
    replayed = again.get(callback)
    assert replayed.status_code == 401
    assert again.get("/web/home").url.path == "/web/sign-in"


def test_the_way_back_in_another_browser_signs_nobody_in(server, provider):
    """Someone sends their own sign-in's link back to a victim (login CSRF): the victim's
    browser did not start that sign-in, so it is not signed in as the sender."""
    _, callback = callback_of(server)
    victim = WebClient(server.base_url)
    victim.get("/web/sign-in")
    answer = victim.get(callback)
    assert answer.status_code == 401
    assert victim.get("/web/home").url.path == "/web/sign-in"


@pytest.mark.parametrize("query", [
    "state=forged&code=anything", "code=anything", "state=&code=", "error=access_denied",
    "state=" + "x" * 5000 + "&code=y", "state=%ff%fe&code=%0d%0a",
])
def test_a_forged_way_back_is_refused(server, query):
    web = WebClient(server.base_url)
    web.get("/web/sign-in")
    answer = web.get(f"{CALLBACK_PATH}?{query}")
    assert answer.status_code == 401
    assert "Single sign-on did not work" in answer.text
    assert web.get("/web/home").url.path == "/web/sign-in"


def test_a_provider_that_cannot_be_reached_is_explained(tmp_path):
    with fresh_instance(tmp_path, ZWITSCHER_OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",
                        ZWITSCHER_OIDC_CLIENT_ID="zwitscher") as server:
        web = WebClient(server.base_url)
        answer = web.get("/web/sign-in/sso")
        assert answer.status_code == 503
        assert "cannot be reached" in answer.text
        assert "Traceback" not in server.log_text()
