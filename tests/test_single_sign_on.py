"""Single sign-on with OpenID Connect against a real provider process on loopback
(`oidc-provider-mock`): people get in with their organisation's account, are matched to the
accounts a directory made for them only on an address the provider vouches for, get the roles
and groups their provider says, sign out there too; and where passwords are turned off, no
password works anywhere while Mastodon apps still sign in (through the provider)."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import itertools
import json
import re
from pathlib import Path

import httpx
import pytest
from mastodon import Mastodon
from oidc_support import MockProvider, sign_in_at
from playwright.sync_api import sync_playwright

from browser_support import launch
from support import PASSWORD, free_port, fresh_instance
from web_support import WebClient, csrf_of

pytestmark = pytest.mark.usefixtures("no_tracebacks")
_people = itertools.count(1)
OOB = "urn:ietf:wg:oauth:2.0:oob"


@pytest.fixture(scope="module")
def provider():
    with MockProvider() as running:
        yield running


def _instance(tmp_path_factory, provider, name: str, **settings: str):
    port = free_port()
    client_id, secret = provider.register(port)
    return fresh_instance(
        tmp_path_factory.mktemp(name), port=port, ZWITSCHER_OIDC_ISSUER=provider.url,
        ZWITSCHER_OIDC_CLIENT_ID=client_id, ZWITSCHER_OIDC_CLIENT_SECRET=secret,
        ZWITSCHER_OIDC_NAME="Example Login", **settings)


@pytest.fixture(scope="module")
def server(tmp_path_factory, provider):
    """Passwords and single sign-on side by side; the provider's `zw-admins` are admins."""
    with _instance(tmp_path_factory, provider, "sso",
                   ZWITSCHER_OIDC_ROLES=json.dumps({"admin": "zw-admins"})) as running:
        import_people(running, ",,Press,,press,grp-press\n,,Runners,,runners,\n")
        yield running


@pytest.fixture(scope="module")
def sso_only(tmp_path_factory, provider):
    with _instance(tmp_path_factory, provider, "sso-only", ZWITSCHER_OIDC_ONLY="true") as running:
        yield running


@pytest.fixture
def no_tracebacks(request):
    yield
    for name in ("server", "sso_only"):
        if name in request.fixturenames:
            assert "Traceback" not in request.getfixturevalue(name).log_text()


def person(provider, **claims) -> tuple[str, dict]:
    n = next(_people)
    sub = f"sub-{n}-{claims.pop('tag', 'x')}"
    claims = {"email": f"person{n}@example.org", "email_verified": True,
              "preferred_username": f"person{n}", "name": f"Person {n}", **claims}
    provider.set_person(sub, **claims)
    return sub, claims


def single_sign_on(web: WebClient, provider, sub: str, start: str = "/web/sign-in/sso"):
    """Press "Sign in with ...", sign in at the provider, follow the way back."""
    return sign_in_at(provider, web.get(start), sub, web.http)


def import_people(server, rows: str) -> None:
    """Import CSV rows (docs/directory.md) with the command line, as an operator would."""
    path = Path(server.env["ZWITSCHER_DATA_DIR"]) / f"import-{next(_people)}.csv"
    path.write_text("username,email,display_name,role,groups,external_id\n" + rows)
    server.cli("groups", "import", str(path))


def mail_subjects(server) -> list[str]:
    folder = Path(server.env["ZWITSCHER_DATA_DIR"]) / "mail"
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)["Subject"]
            for path in folder.glob("*.eml")]


def directory_row(server, username: str) -> dict:
    rows = csv.DictReader(io.StringIO(server.cli("groups", "export")))
    return next(row for row in rows if row["username"] == username)


def test_the_sign_in_page_offers_the_organisations_login_beside_passwords(server):
    page = WebClient(server.base_url).get("/web/sign-in")
    assert "Sign in with Example Login" in page.text
    assert 'name="password"' in page.text


def test_a_new_person_signs_in_with_the_organisations_account(server, provider):
    sub, claims = person(provider, groups=["/press", "zw-admins-not"], locale="de-DE")
    web = WebClient(server.base_url)
    home = single_sign_on(web, provider, sub)
    assert home.url.path == "/web/home", home.text
    assert home.url.host == "127.0.0.1"
    assert f"@{claims['preferred_username']}" in home.text
    row = directory_row(server, claims["preferred_username"])
    assert row["email"] == claims["email"] and row["display_name"] == claims["name"]
    assert row["groups"] == "press" and row["role"] == "member"
    # The provider's locale is the person's language.
    assert 'lang="de"' in home.text
    sessions = web.get("/web/settings/sessions")
    assert "mit Example Login" in sessions.text


def test_a_directory_person_is_linked_by_a_confirmed_address_then_by_subject(server, provider):
    import_people(server, "dora,dora@corp.example,Dora Directory,communicator,runners,E-77\n")
    sub, _ = person(provider, email="Dora@corp.example", preferred_username="dora.d")
    web = WebClient(server.base_url)
    assert single_sign_on(web, provider, sub).url.path == "/web/home"
    assert "@dora" in web.get("/web/settings/profile").text
    # Linked: the provider's `sub` finds her, whatever address it says later.
    provider.set_person(sub, email="dora.new@corp.example", email_verified=False)
    again = WebClient(server.base_url)
    assert single_sign_on(again, provider, sub).url.path == "/web/home"
    assert "@dora" in again.get("/web/settings/profile").text
    # A group without an external id is not the provider's: she stays in it.
    assert directory_row(server, "dora")["groups"] == "runners"
    # Nobody sends a set-password e-mail where people sign in with their organisation; she
    # hears of her second browser.
    assert mail_subjects(server) == ["A new sign-in to your account on Zwitscher"]


def test_an_unconfirmed_address_takes_over_nobody(server, provider):
    import_people(server, "erin,erin@corp.example,Erin,,,\n")
    sub, _ = person(provider, email="erin@corp.example", email_verified=False)
    web = WebClient(server.base_url)
    refused = single_sign_on(web, provider, sub)
    assert refused.status_code == 409
    assert "has not confirmed the address" in refused.text
    assert web.get("/web/home").url.path == "/web/sign-in"
    # Nor does the attempt leave a link behind: confirmed later, it links to erin.
    provider.set_person(sub, email="erin@corp.example", email_verified=True)
    assert single_sign_on(web, provider, sub).url.path == "/web/home"
    assert "@erin" in web.get("/web/settings/profile").text


def test_the_providers_groups_give_roles_and_groups_at_every_sign_in(server, provider):
    sub, claims = person(provider, groups=["zw-admins", "grp-press"])
    username = claims["preferred_username"]
    assert single_sign_on(WebClient(server.base_url), provider, sub).url.path == "/web/home"
    row = directory_row(server, username)
    assert (row["role"], row["groups"]) == ("admin", "press")

    provider.set_person(sub, **{**claims, "groups": []})
    assert single_sign_on(WebClient(server.base_url), provider, sub).url.path == "/web/home"
    row = directory_row(server, username)
    assert (row["role"], row["groups"]) == ("member", "")


def test_signing_out_ends_the_session_at_the_provider_too(server, provider):
    sub, _ = person(provider)
    web = WebClient(server.base_url)
    home = single_sign_on(web, provider, sub)
    out = web.http.post("/web/sign-out", data={"csrf": csrf_of(home)})
    assert out.url.host == "localhost" and out.url.path == "/oauth2/end_session"
    assert out.url.params["post_logout_redirect_uri"] == f"{server.base_url}/web/sign-in"
    assert out.url.params["id_token_hint"].count(".") == 2
    assert web.get("/web/home").url.path == "/web/sign-in"


def test_a_sign_in_cancelled_at_the_provider_signs_nobody_in(server, provider):
    web = WebClient(server.base_url)
    page = web.get("/web/sign-in/sso")
    cancelled = web.http.post(str(page.url), data={"action": "deny"})
    assert cancelled.status_code == 401
    assert "Single sign-on did not work" in cancelled.text
    assert web.get("/web/home").url.path == "/web/sign-in"


def test_with_passwords_turned_off_no_password_works_anywhere(sso_only, provider):
    sso_only.cli("accounts", "create", "fay", "--email", "fay@corp.example",
                 "--password", PASSWORD)
    web = WebClient(sso_only.base_url)
    page = web.get("/web/sign-in")
    assert "Sign in with Example Login" in page.text and 'name="password"' not in page.text
    refused = web.http.post("/web/sign-in", data={"csrf": csrf_of(page), "login": "fay",
                                                  "password": PASSWORD})
    assert refused.status_code == 403 and "Passwords are turned off" in refused.text
    forgot = web.submit("/web/password/forgot", "/web/password/forgot",
                        {"email": "fay@corp.example"})
    assert forgot.status_code == 403
    assert not mail_subjects(sso_only)

    client_id, client_secret = Mastodon.create_app("app", api_base_url=sso_only.base_url,
                                                   scopes=["read"])
    grant = httpx.post(f"{sso_only.base_url}/oauth/token", data={
        "grant_type": "password", "username": "fay", "password": PASSWORD,
        "client_id": client_id, "client_secret": client_secret, "scope": "read"})
    assert grant.status_code == 400
    assert grant.json()["error"] == "invalid_grant"
    assert "Passwords are turned off" in grant.json()["error_description"]


def test_a_mastodon_app_signs_in_through_the_provider(sso_only, provider):
    sub, _ = person(provider, email="gus@corp.example", preferred_username="gus")
    client_id, client_secret = Mastodon.create_app("Phone app", api_base_url=sso_only.base_url,
                                                   scopes=["read", "write"],
                                                   redirect_uris=OOB)
    app = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=sso_only.base_url)
    web = WebClient(sso_only.base_url)
    consent = single_sign_on(web, provider, sub,
                             start=app.auth_request_url(redirect_uris=OOB,
                                                        scopes=["read", "write"],
                                                        allow_http=True))
    assert consent.url.path == "/oauth/authorize", consent.url
    assert "Phone app" in consent.text and "You are signed in as @gus" in consent.text
    assert 'name="password"' not in consent.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             consent.text))
    shown = web.http.post("/oauth/authorize", data={**fields, "decision": "approve"})
    code = re.search(r'id="authorization-code" class="code">([^<]+)<', shown.text).group(1)
    app.log_in(code=code, redirect_uri=OOB, scopes=["read", "write"], allow_http=True)
    assert app.account_verify_credentials()["username"] == "gus"


def test_an_authorization_without_the_browsers_token_changes_nothing(sso_only, provider):
    sub, _ = person(provider)
    client_id, _ = Mastodon.create_app("Other app", api_base_url=sso_only.base_url,
                                       scopes=["read"], redirect_uris=OOB)
    web = WebClient(sso_only.base_url)
    single_sign_on(web, provider, sub)
    forged = web.http.post("/oauth/authorize", data={
        "client_id": client_id, "redirect_uri": OOB, "response_type": "code",
        "scope": "read", "decision": "approve"})
    assert forged.status_code == 403
    assert "authorization-code" not in forged.text


def test_a_person_signs_in_with_the_organisations_account_in_a_real_browser(server, provider):
    sub, claims = person(provider)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"{server.base_url}/web/sign-in")
        page.get_by_role("link", name="Sign in with Example Login").click()
        page.get_by_placeholder("sub").fill(sub)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{server.base_url}/web/home")
        assert f"@{claims['preferred_username']}" in page.content()
        browser.close()
