"""Two-factor authentication: turning it on with an authenticator app, signing in with a code
or a recovery code, no code accepted twice, apps that cannot use a password for such an
account, roles that must have it, the operator's way out for a lost phone, and limits on
guessing passwords and codes."""

from __future__ import annotations

import re
import time

import httpx
import pyotp
import pytest
from mastodon import Mastodon

from support import PASSWORD, fresh_instance
from web_support import WebClient, browser_at_own_address, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")
OOB = "urn:ietf:wg:oauth:2.0:oob"


def browser(server) -> WebClient:
    # The limits per address are per test.
    return browser_at_own_address(server.base_url)


def code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def turn_on(web: WebClient, password: str = PASSWORD) -> tuple[str, list[str]]:
    """Turn two factors on from the settings page as a person would; (secret, codes)."""
    page = web.get("/web/settings/security")
    assert 'src="data:image/svg+xml' in page.text
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page.text).group(1)
    done = web.http.post("/web/settings/security", data={
        "csrf": csrf_of(page), "action": "enable", "secret": secret, "code": code(secret),
        "password": password})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", done.text)
    return secret, codes


def sign_in_with_code(web: WebClient, login: str, one_time: str) -> httpx.Response:
    asked = web.sign_in(login)
    assert asked.url.path == "/web/sign-in/code", asked.url
    return web.submit("/web/sign-in/code", "/web/sign-in/code", {"code": one_time})


def password_grant(server, users, login: str) -> httpx.Response:
    return httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "username": login, "password": PASSWORD,
        "client_id": users.client_id, "client_secret": users.client_secret, "scope": "read"})


def test_a_person_turns_it_on_and_signs_in_with_a_code(server, new_user):
    alice = new_user()
    web = browser(server)
    web.sign_in(alice.email)
    wrong = web.get("/web/settings/security")
    refused = web.http.post("/web/settings/security", data={
        "csrf": csrf_of(wrong), "action": "enable", "code": "000000", "password": PASSWORD,
        "secret": re.search(r'name="secret" value="([A-Z2-7]+)"', wrong.text).group(1)})
    assert refused.status_code == 422 and "The code is wrong" in refused.text
    secret, codes = turn_on(web)
    assert len(codes) == 10 and len(set(codes)) == 10

    other = browser(server)
    # The password alone is not enough any more: nothing is open before the code.
    other.sign_in(alice.email)
    assert other.get("/web/home").url.path == "/web/sign-in"
    home = other.submit("/web/sign-in/code", "/web/sign-in/code", {"code": code(secret, 1)})
    assert home.url.path == "/web/home"
    assert "with a password and a code" in other.get("/web/settings/sessions").text


def test_no_code_works_twice(server, new_user):
    bob = new_user()
    web = browser(server)
    web.sign_in(bob.email)
    secret, codes = turn_on(web)
    # The code that turned it on, and a code already used, are spent.
    assert sign_in_with_code(browser(server), bob.email, code(secret)).status_code == 422
    once = code(secret, 1)
    assert sign_in_with_code(browser(server), bob.email, once).url.path == "/web/home"
    replayed = sign_in_with_code(browser(server), bob.email, once)
    assert replayed.status_code == 422
    assert "wrong or was used already" in replayed.text

    recovery = codes[3].upper().replace("-", " ")
    assert sign_in_with_code(browser(server), bob.email, recovery).url.path == "/web/home"
    assert sign_in_with_code(browser(server), bob.email, codes[3]).status_code == 422
    page = web.get("/web/settings/security")
    assert "9 recovery codes are left" in page.text


def test_wrong_codes_end_the_sign_in(server, new_user):
    carol = new_user()
    web = browser(server)
    web.sign_in(carol.email)
    secret, _ = turn_on(web)
    guesser = browser(server)
    guesser.sign_in(carol.email)
    for guess in range(5):
        answer = guesser.submit("/web/sign-in/code", "/web/sign-in/code",
                                {"code": f"{guess:06d}"})
        assert answer.status_code == 422
    expired = guesser.submit("/web/sign-in/code", "/web/sign-in/code",
                             {"code": code(secret, 1)})
    assert expired.status_code == 401 and "enter your password again" in expired.text
    assert guesser.get("/web/home").url.path == "/web/sign-in"


def test_apps_cannot_use_the_password_alone_and_sign_in_through_the_browser(server, users,
                                                                           new_user):
    dan = new_user()
    web = browser(server)
    web.sign_in(dan.email)
    secret, _ = turn_on(web)
    grant = password_grant(server, users, dan.email)
    assert grant.status_code == 400 and grant.json()["error"] == "invalid_grant"
    assert "second factor" in grant.json()["error_description"]

    client_id, client_secret = Mastodon.create_app("Phone app", api_base_url=server.base_url,
                                                   scopes=["read"], redirect_uris=OOB)
    app = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=server.base_url)
    phone = browser(server)
    form = phone.get(app.auth_request_url(redirect_uris=OOB, scopes=["read"],
                                          allow_http=True))
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             form.text))
    asked = phone.http.post("/oauth/authorize", data={
        **fields, "login": dan.email, "password": PASSWORD, "decision": "approve"})
    assert asked.url.path == "/web/sign-in/code"
    consent = phone.submit("/web/sign-in/code", "/web/sign-in/code", {"code": code(secret, 1)})
    assert consent.url.path == "/oauth/authorize" and f"@{dan.username}" in consent.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             consent.text))
    shown = phone.http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    one_time = re.search(r'id="authorization-code" class="code">([^<]+)<', shown.text).group(1)
    app.log_in(code=one_time, redirect_uri=OOB, scopes=["read"], allow_http=True)
    assert app.account_verify_credentials()["username"] == dan.username


def test_turning_it_off_needs_the_password(server, users, new_user):
    erin = new_user()
    web = browser(server)
    web.sign_in(erin.email)
    turn_on(web)
    page = web.get("/web/settings/security")
    kept = web.http.post("/web/settings/security", data={
        "csrf": csrf_of(page), "action": "disable", "password": "not the password"})
    assert kept.status_code == 422 and "Two-factor authentication is on" in kept.text
    off = web.http.post("/web/settings/security", data={
        "csrf": csrf_of(page), "action": "disable", "password": PASSWORD})
    assert "Two-factor authentication is off" in off.text
    assert browser(server).sign_in(erin.email).url.path == "/web/home"
    assert password_grant(server, users, erin.email).status_code == 200


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """Admins must have a second factor; five password tries per login an hour."""
    with fresh_instance(tmp_path_factory.mktemp("strict"),
                        ZWITSCHER_REQUIRE_SECOND_FACTOR="owner,admin",
                        ZWITSCHER_SIGN_IN_LIMIT_PER_LOGIN="5/hour") as instance:
        instance.cli("accounts", "create", "boss", "--email", "boss@example.org",
                     "--password", PASSWORD, "--role", "owner")
        instance.cli("accounts", "create", "ida", "--email", "ida@example.org",
                     "--password", PASSWORD, "--role", "admin")
        for member in ("max", "nina"):
            instance.cli("accounts", "create", member, "--email", f"{member}@example.org",
                         "--password", PASSWORD, "--role", "member")
        yield instance
        assert "Traceback" not in instance.log_text()


def test_a_role_that_requires_it_turns_it_on_first(strict):
    web = WebClient(strict.base_url)
    first = web.sign_in("ida")
    assert first.url.path == "/web/settings/security"
    assert "Your role requires two-factor authentication" in first.text
    assert web.get("/web/home").url.path == "/web/settings/security"
    client_id, client_secret = Mastodon.create_app("app", api_base_url=strict.base_url,
                                                   scopes=["read"])
    grant = httpx.post(f"{strict.base_url}/oauth/token", data={
        "grant_type": "password", "username": "ida", "password": PASSWORD,
        "client_id": client_id, "client_secret": client_secret, "scope": "read"})
    assert grant.status_code == 400
    turn_on(web)
    assert web.get("/web/home").url.path == "/web/home"
    # Members are not asked.
    assert WebClient(strict.base_url).sign_in("max").url.path == "/web/home"


def test_the_operator_turns_it_off_for_a_lost_phone(strict):
    web = WebClient(strict.base_url)
    web.sign_in("boss")
    turn_on(web)
    strict.cli("accounts", "disable-two-factor", "boss")
    again = WebClient(strict.base_url).sign_in("boss")
    # Owners must have one: the password signs in, then the settings ask for a new one.
    assert again.url.path == "/web/settings/security"
    assert 'name="secret"' in again.text


def test_guessing_passwords_is_slowed_down(strict):
    web = WebClient(strict.base_url)
    for _ in range(5):
        assert web.sign_in("nina", "wrong guess").status_code == 401
    blocked = web.sign_in("nina", PASSWORD)
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text
    # Someone guessing at nina's password blocks nobody else.
    assert WebClient(strict.base_url).sign_in("max").url.path == "/web/home"
