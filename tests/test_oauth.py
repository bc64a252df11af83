"""OAuth as clients use it: apps, the three grants, the login page, revocation, scopes, sign-up
modes and rate limits, with the status codes Mastodon documents."""

import asyncio
import base64
import hashlib
import os
import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx
import launcher
import pytest

from support import PASSWORD, UNLIMITED, ServerProcess, wait_until

OOB = "urn:ietf:wg:oauth:2.0:oob"
CALLBACK = "https://client.example/callback"


def register_app(base_url: str, scopes: str = "read write follow push", **extra) -> dict:
    response = httpx.post(f"{base_url}/api/v1/apps", json={
        "client_name": "OAuth test client", "redirect_uris": [CALLBACK, OOB], "scopes": scopes,
        **extra})
    assert response.status_code == 200, response.text
    return response.json()


def token_request(base_url: str, app: dict, **fields) -> httpx.Response:
    return httpx.post(f"{base_url}/oauth/token", data={
        "client_id": app["client_id"], "client_secret": app["client_secret"], **fields})


def password_token(base_url: str, app: dict, user, scope: str) -> str:
    response = token_request(base_url, app, grant_type="password", username=user.email,
                             password=PASSWORD, scope=scope)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})


class FormReader(HTMLParser):
    """Reads the login form the way a browser submits it: every named input's value."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.action = None
        self.code = None
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        self._in_code = attrs.get("id") == "authorization-code"

    def handle_data(self, data):
        if self._in_code and data.strip():
            self.code = data.strip()


def read_page(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize(base_url: str, app: dict, user, *, redirect_uri: str = CALLBACK,
              decision: str = "approve", password: str = PASSWORD, **query) -> httpx.Response:
    """Open the login page, fill in the form and press a button; return the answer to that."""
    page = httpx.get(f"{base_url}/oauth/authorize", params={
        "response_type": "code", "client_id": app["client_id"], "redirect_uri": redirect_uri,
        "scope": "read write", **query})
    assert page.status_code == 200, page.text
    form = read_page(page.text)
    assert form.action == "/oauth/authorize"
    assert {"login", "password"} <= form.fields.keys()
    return httpx.post(f"{base_url}{form.action}", follow_redirects=False, data={
        **form.fields, "login": user.username, "password": password, "decision": decision})


def redirect_query(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


# --- apps -------------------------------------------------------------------------------------

def test_an_app_registers_with_json_or_form_and_gets_credentials(server):
    by_json = register_app(server.base_url, scopes="read write", website="https://client.example")
    assert by_json["name"] == "OAuth test client"
    assert by_json["redirect_uris"] == [CALLBACK, OOB]
    assert by_json["scopes"] == ["read", "write"]
    assert by_json["client_id"] and by_json["client_secret"]
    assert by_json["client_secret_expires_at"] == 0
    by_form = httpx.post(f"{server.base_url}/api/v1/apps", data={
        "client_name": "Form client", "redirect_uris": OOB, "scopes": "read"})
    assert by_form.status_code == 200
    assert by_form.json()["redirect_uris"] == [OOB]
    assert by_form.json()["client_id"] != by_json["client_id"]


@pytest.mark.parametrize("fields", [
    {"redirect_uris": OOB},
    {"client_name": "x", "redirect_uris": OOB, "scopes": "read launch_missiles"},
    {"client_name": "x", "redirect_uris": "not a uri"},
])
def test_an_app_with_missing_or_invalid_fields_is_refused_with_422(server, fields):
    response = httpx.post(f"{server.base_url}/api/v1/apps", json=fields)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed")


def test_apps_verify_credentials_accepts_any_token_of_the_app(server, new_user):
    app = register_app(server.base_url)
    app_token = token_request(server.base_url, app, grant_type="client_credentials",
                              scope="write").json()["access_token"]
    user_token = password_token(server.base_url, app, new_user(), "write:statuses")
    for token in (app_token, user_token):
        response = client(server.base_url, token).get("/api/v1/apps/verify_credentials")
        assert response.status_code == 200, response.text
        assert response.json()["name"] == "OAuth test client"
        assert "client_secret" not in response.json()
    invalid = client(server.base_url, "nonsense").get("/api/v1/apps/verify_credentials")
    assert invalid.status_code == 401
    assert invalid.json() == {"error": "The access token is invalid"}


def test_authorization_server_metadata_describes_the_endpoints_and_grants(server):
    meta = httpx.get(f"{server.base_url}/.well-known/oauth-authorization-server").json()
    assert meta["token_endpoint"] == f"{server.base_url}/oauth/token"
    assert meta["authorization_endpoint"] == f"{server.base_url}/oauth/authorize"
    assert meta["revocation_endpoint"] == f"{server.base_url}/oauth/revoke"
    assert {"password", "authorization_code", "client_credentials"} <= set(
        meta["grant_types_supported"])
    assert "S256" in meta["code_challenge_methods_supported"]
    assert {"read", "write:statuses", "profile"} <= set(meta["scopes_supported"])


# --- token grants -----------------------------------------------------------------------------

def test_password_grant_returns_a_bearer_token_with_its_scope(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    response = token_request(server.base_url, app, grant_type="password",
                             username=alice.email, password=PASSWORD, scope="read write")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    me = client(server.base_url, body["access_token"]).get("/api/v1/accounts/verify_credentials")
    assert me.json()["id"] == alice.id


def test_wrong_password_bad_client_scope_or_grant_type_are_refused(server, new_user):
    app, alice = register_app(server.base_url, scopes="read"), new_user()
    wrong_password = token_request(server.base_url, app, grant_type="password",
                                   username=alice.email, password="wrong", scope="read")
    assert (wrong_password.status_code, wrong_password.json()["error"]) == (400, "invalid_grant")
    wrong_secret = token_request(server.base_url, {**app, "client_secret": "guess"},
                                 grant_type="client_credentials")
    assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (401, "invalid_client")
    too_wide = token_request(server.base_url, app, grant_type="password",
                             username=alice.email, password=PASSWORD, scope="read write")
    assert (too_wide.status_code, too_wide.json()["error"]) == (400, "invalid_scope")
    odd_grant = token_request(server.base_url, app, grant_type="implicit")
    assert (odd_grant.status_code, odd_grant.json()["error"]) == (400, "unsupported_grant_type")


def test_client_credentials_token_cannot_act_as_a_person(server):
    app = register_app(server.base_url)
    response = token_request(server.base_url, app, grant_type="client_credentials",
                             scope="read write")
    assert response.json()["scope"] == "read write"
    api = client(server.base_url, response.json()["access_token"])
    me = api.get("/api/v1/accounts/verify_credentials")
    assert me.status_code == 422
    assert me.json() == {"error": "This method requires an authenticated user"}
    assert api.post("/api/v1/statuses", json={"status": "hi"}).status_code == 422


# --- the login page (authorization code) ------------------------------------------------------

def test_login_page_with_pkce_redirects_with_a_code_that_works_once(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    verifier, challenge = pkce_pair()
    query = redirect_query(authorize(server.base_url, app, alice, state="s-42",
                                     code_challenge=challenge, code_challenge_method="S256"))
    assert query["state"] == "s-42"

    def exchange():
        return token_request(server.base_url, app, grant_type="authorization_code",
                             code=query["code"], redirect_uri=CALLBACK, code_verifier=verifier)

    first = exchange()
    assert first.status_code == 200, first.text
    assert first.json()["scope"] == "read write"
    me = client(server.base_url, first.json()["access_token"]).get(
        "/api/v1/accounts/verify_credentials")
    assert me.json()["username"] == alice.username
    again = exchange()
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_a_code_exchanged_by_many_requests_at_once_yields_one_token(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    code = redirect_query(authorize(server.base_url, app, alice))["code"]
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: token_request(
            server.base_url, app, grant_type="authorization_code", code=code,
            redirect_uri=CALLBACK).status_code, range(16)))
    assert sorted(answers) == [200] + [400] * 15


def test_pkce_code_is_refused_without_the_right_verifier(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    verifier, challenge = pkce_pair()
    for wrong in (secrets.token_urlsafe(48), None, challenge):
        code = redirect_query(authorize(server.base_url, app, alice, code_challenge=challenge,
                                        code_challenge_method="S256"))["code"]
        fields = {"code_verifier": wrong} if wrong else {}
        response = token_request(server.base_url, app, grant_type="authorization_code",
                                 code=code, redirect_uri=CALLBACK, **fields)
        assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


def test_denying_sends_access_denied_back_to_the_app(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    query = redirect_query(authorize(server.base_url, app, alice, decision="deny", state="s1"))
    assert query["error"] == "access_denied" and query["state"] == "s1"
    assert "code" not in query


def test_out_of_band_login_shows_the_code_on_the_page(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    page = authorize(server.base_url, app, alice, redirect_uri=OOB)
    assert page.status_code == 200
    code = read_page(page.text).code
    assert code
    response = token_request(server.base_url, app, grant_type="authorization_code", code=code,
                             redirect_uri=OOB)
    assert response.status_code == 200, response.text


def test_login_page_refuses_a_wrong_password_and_a_foreign_redirect_uri(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    page = authorize(server.base_url, app, alice, password="not my password")
    assert page.status_code == 401 and "location" not in page.headers
    assert read_page(page.text).fields["login"] == alice.username  # the form, filled in again
    foreign = httpx.get(f"{server.base_url}/oauth/authorize", params={
        "response_type": "code", "client_id": app["client_id"],
        "redirect_uri": "https://evil.example/steal"})
    assert foreign.status_code == 400 and "<form" not in foreign.text


# --- revocation and expiry --------------------------------------------------------------------

def test_a_revoked_token_no_longer_works(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    token = password_token(server.base_url, app, alice, "read")
    revoke = httpx.post(f"{server.base_url}/oauth/revoke", data={
        "client_id": app["client_id"], "client_secret": app["client_secret"], "token": token})
    assert (revoke.status_code, revoke.json()) == (200, {})
    me = client(server.base_url, token).get("/api/v1/accounts/verify_credentials")
    assert me.status_code == 401
    unknown = httpx.post(f"{server.base_url}/oauth/revoke", data={
        "client_id": app["client_id"], "client_secret": app["client_secret"], "token": "zzz"})
    assert unknown.status_code == 200


def test_another_app_cannot_revoke_a_token(server, new_user):
    app, other, alice = register_app(server.base_url), register_app(server.base_url), new_user()
    token = password_token(server.base_url, app, alice, "read")
    for credentials in ({"client_id": other["client_id"],
                         "client_secret": other["client_secret"]},
                        {"client_id": app["client_id"], "client_secret": "guess"}):
        response = httpx.post(f"{server.base_url}/oauth/revoke",
                              data={**credentials, "token": token})
        assert (response.status_code, response.json()["error"]) == (403, "unauthorized_client")
    me = client(server.base_url, token).get("/api/v1/accounts/verify_credentials")
    assert me.status_code == 200


def expire_token(engine_env: dict[str, str], token: str, *, seconds_from_now: int) -> None:
    """Give a token an end (as tokens issued with a lifetime have), `seconds_from_now`."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    ends = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=seconds_from_now)
    if url := engine_env.get("ZWITSCHER_DATABASE_URL"):
        async def update() -> None:
            conn = await asyncpg.connect(url)
            try:
                done = await conn.execute("UPDATE oauth_tokens SET expires_at = $1 "
                                          "WHERE token_hash = $2", ends, token_hash)
            finally:
                await conn.close()
            assert done == "UPDATE 1"
        asyncio.run(update())
    else:
        path = Path(engine_env["ZWITSCHER_DATA_DIR"]) / "zwitscher.sqlite3"
        with sqlite3.connect(path) as conn:
            changed = conn.execute("UPDATE oauth_tokens SET expires_at = ? WHERE token_hash = ?",
                                   (ends.strftime("%Y-%m-%d %H:%M:%S.%f"), token_hash)).rowcount
        assert changed == 1


def test_an_expired_token_is_refused(server, engine_env, new_user):
    # The token gets its end before the server has seen it (and may cache it, with its
    # end): the server hears of the changes it makes, not of writes behind its back.
    app, alice = register_app(server.base_url), new_user()
    token = password_token(server.base_url, app, alice, "read")
    expire_token(engine_env, token, seconds_from_now=3)
    api = client(server.base_url, token)
    assert api.get("/api/v1/accounts/verify_credentials").status_code == 200
    assert wait_until(lambda: api.get(
        "/api/v1/accounts/verify_credentials").status_code == 401, timeout=20)
    me = api.get("/api/v1/accounts/verify_credentials")
    assert (me.status_code, me.json()) == (401, {"error": "The access token is invalid"})


# --- scopes -----------------------------------------------------------------------------------

def test_a_read_only_token_can_read_but_not_post(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    api = client(server.base_url, password_token(server.base_url, app, alice, "read"))
    assert api.get("/api/v1/timelines/home").status_code == 200
    response = api.post("/api/v1/statuses", json={"status": "should not appear"})
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert alice.http.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0


def test_a_write_statuses_token_can_post_but_not_read_home(server, new_user):
    app, alice = register_app(server.base_url), new_user()
    api = client(server.base_url, password_token(server.base_url, app, alice, "write:statuses"))
    assert api.post("/api/v1/statuses", json={"status": "granular"}).status_code == 200
    assert api.get("/api/v1/timelines/home").status_code == 403
    assert api.post(f"/api/v1/accounts/{new_user().id}/follow").status_code == 403


def test_the_follow_scope_allows_follow_block_and_mute_only(server, new_user):
    app, alice, bob = register_app(server.base_url), new_user(), new_user()
    api = client(server.base_url, password_token(server.base_url, app, alice, "follow"))
    for action in ("follow", "mute", "block"):
        response = api.post(f"/api/v1/accounts/{bob.id}/{action}")
        assert response.status_code == 200, (action, response.text)
    assert api.get("/api/v1/blocks").json()[0]["id"] == bob.id
    assert api.post("/api/v1/statuses", json={"status": "nope"}).status_code == 403
    assert api.get("/api/v1/timelines/home").status_code == 403


def test_the_profile_scope_only_reads_ones_own_account(server, new_user):
    app, alice = register_app(server.base_url, scopes="profile read"), new_user()
    api = client(server.base_url, password_token(server.base_url, app, alice, "profile"))
    assert api.get("/api/v1/accounts/verify_credentials").json()["id"] == alice.id
    assert api.get("/api/v1/timelines/home").status_code == 403
    assert api.get("/api/v1/notifications").status_code == 403


# --- registration modes and rate limits (servers of their own) --------------------------------

@pytest.fixture(scope="module")
def start_server(engine_env):
    started = []

    def start(**settings: str) -> ServerProcess:
        process = ServerProcess(engine_env | UNLIMITED | {f"ZWITSCHER_{k.upper()}": v
                                                          for k, v in settings.items()})
        process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()


def sign_up(base_url: str, users, username: str | None = None, **extra) -> httpx.Response:
    username = username or f"s{secrets.token_hex(5)}"
    return httpx.post(f"{base_url}/api/v1/accounts", headers={
        "Authorization": f"Bearer {users.app_token()}"}, data={
        "username": username, "email": f"{username}@example.org", "password": PASSWORD,
        "agreement": "true", "locale": "en", **extra})


def cli(engine_env: dict[str, str], *args: str) -> str:
    result = launcher.run(list(args), env={**os.environ, **engine_env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_closed_registrations_refuse_sign_up(start_server, users):
    closed = start_server(registrations="closed")
    response = sign_up(closed.base_url, users)
    assert response.status_code == 403
    assert "error" in response.json()
    assert httpx.get(f"{closed.base_url}/api/v1/instance").json()["registrations"] is False


def test_approval_mode_needs_a_reason_and_holds_the_account_until_approved(
        start_server, users, engine_env):
    approval = start_server(registrations="approval")
    no_reason = sign_up(approval.base_url, users)
    assert no_reason.status_code == 422
    assert "Reason" in no_reason.json()["error"]
    username = f"p{secrets.token_hex(5)}"
    response = sign_up(approval.base_url, users, username, reason="I work in the press office")
    assert response.status_code == 200, response.text
    api = client(approval.base_url, response.json()["access_token"])
    # First the address (Mastodon asks for it first), then the admin's approval.
    assert api.get("/api/v1/accounts/verify_credentials").json() == {
        "error": "Your login is missing a confirmed e-mail address"}
    users.confirm(username)
    pending = api.get("/api/v1/accounts/verify_credentials")
    assert pending.status_code == 403
    assert pending.json() == {"error": "Your login is currently pending approval"}
    assert api.post("/api/v1/statuses", json={"status": "too early"}).status_code == 403
    cli(engine_env, "accounts", "approve", username)
    assert api.get("/api/v1/accounts/verify_credentials").json()["username"] == username


def test_invite_mode_needs_a_valid_unused_invite(start_server, users, engine_env):
    invite_only = start_server(registrations="invite")
    assert sign_up(invite_only.base_url, users).status_code == 403
    assert sign_up(invite_only.base_url, users, invite_code="made-up").status_code == 403
    code = cli(engine_env, "invites", "create", "--max-uses", "1")
    username = f"i{secrets.token_hex(5)}"
    welcome = sign_up(invite_only.base_url, users, username, invite_code=code)
    assert welcome.status_code == 200, welcome.text
    users.confirm(username)
    assert client(invite_only.base_url, welcome.json()["access_token"]).get(
        "/api/v1/accounts/verify_credentials").status_code == 200
    assert sign_up(invite_only.base_url, users, invite_code=code).status_code == 403


def test_responses_carry_rate_limit_headers(new_user):
    response = new_user().http.get("/api/v1/timelines/home")
    assert int(response.headers["X-RateLimit-Limit"]) > 0
    assert int(response.headers["X-RateLimit-Remaining"]) < int(
        response.headers["X-RateLimit-Limit"])
    assert response.headers["X-RateLimit-Reset"].endswith("Z")


def test_sign_ups_from_one_network_address_are_limited(start_server, users):
    limited = start_server(sign_up_limit_per_address="2/hour")
    address = f"10.77.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    names = [f"l{secrets.token_hex(5)}" for _ in range(3)]
    answers = [httpx.post(f"{limited.base_url}/api/v1/accounts", headers={
        "Authorization": f"Bearer {users.app_token()}", "X-Forwarded-For": address}, data={
        "username": name, "email": f"{name}@example.org", "password": PASSWORD,
        "agreement": "true"}) for name in names]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Too many attempts" in answers[2].json()["error"]
    # The refused sign-up made nothing.
    assert httpx.get(f"{limited.base_url}/api/v1/accounts/lookup",
                     params={"acct": names[2]}).status_code == 404


def test_a_caller_over_the_rate_limit_gets_429(start_server, new_user):
    limited = start_server(rate_limit="5")
    api = client(limited.base_url, new_user().token)  # a fresh token: a window of its own
    answers = [api.get("/api/v1/timelines/home") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[4].headers["X-RateLimit-Remaining"] == "0"
    assert answers[5].json() == {"error": "Too many requests"}
    assert answers[5].headers["X-RateLimit-Limit"] == "5"
