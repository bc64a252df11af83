"""The web interface's sign-in, sign-out, first-run setup, CSRF and security headers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from support import PASSWORD
from web_support import WebClient, csrf_of, fresh_instance


def test_pages_carry_a_strict_content_security_policy_and_no_framing(web):
    page = web.get("/web/sign-in")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in page.text and "style=" not in page.text


def test_signing_in_opens_a_session_in_an_http_only_lax_cookie(web, new_user):
    alice = new_user()
    page = web.submit("/web/sign-in", "/web/sign-in",
                      {"login": alice.username, "password": PASSWORD})
    assert page.status_code == 200 and str(page.url).endswith("/web/home")
    cookie = next(h for h in page.history[0].headers.get_list("set-cookie")
                  if h.startswith("zw_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert f"/@{alice.username}" in page.text


def test_wrong_password_is_refused_with_a_message(web, new_user):
    alice = new_user()
    page = web.sign_in(alice.email, "not the password")
    assert page.status_code == 401
    assert "password is wrong" in page.text
    assert web.get("/web/home").url.path == "/web/sign-in"


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(web, new_user):
    alice = new_user()
    refused = web.http.post("/web/sign-in", data={"login": alice.username,
                                                  "password": PASSWORD})
    assert refused.status_code == 403 and "nothing was changed" in refused.text
    assert "zw_session" not in web.http.cookies
    web.sign_in(alice.username)
    forged = web.http.post("/web/statuses", data={"text": "forged", "csrf": "0" * 64})
    assert forged.status_code == 403
    missing = web.http.post("/web/statuses", data={"text": "forged"})
    assert missing.status_code == 403
    assert alice.api.account_statuses(alice.id) == []


def test_signing_out_ends_the_session_for_good(web, new_user, server):
    alice = new_user()
    web.sign_in(alice.username)
    old_cookie = web.http.cookies["zw_session"]
    page = web.submit("/web/home", "/web/sign-out", {})
    assert page.url.path == "/web/sign-in"
    replay = httpx.get(f"{server.base_url}/web/home", cookies={"zw_session": old_cookie})
    assert replay.status_code == 303 and replay.headers["location"] == "/web/sign-in"


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in_again(web, new_user, server):
    alice = new_user()
    web.sign_in(alice.username)
    assert web.get("/web/home").url.path == "/web/home"
    token = server.cli("scim", "token", "--name", "web-tests").strip()
    off = httpx.patch(f"{server.base_url}/scim/v2/Users/{alice.id}", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"},
        json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert off.status_code == 200
    assert web.get("/web/home").url.path == "/web/sign-in"
    again = web.sign_in(alice.username)
    assert again.status_code == 403 and "disabled" in again.text


def test_a_changed_role_shows_at_the_open_browsers_next_page(web, new_user):
    admin, alice = new_user(role="admin"), new_user()
    web.sign_in(alice.username)
    assert 'href="/web/admin"' not in web.get("/web/home").text
    admin.http.put(f"/api/zwitscher/v1/admin/accounts/{alice.id}/role",
                   data={"role": "moderator"}).raise_for_status()
    assert 'href="/web/admin"' in web.get("/web/home").text
    admin.http.put(f"/api/zwitscher/v1/admin/accounts/{alice.id}/role",
                   data={"role": "member"}).raise_for_status()
    assert 'href="/web/admin"' not in web.get("/web/home").text


def test_the_first_visitor_of_a_new_instance_creates_its_owner_once(tmp_path):
    with fresh_instance(tmp_path) as instance:
        web = WebClient(instance.base_url)
        assert web.get("/web").url.path == "/web/setup"
        page = web.submit("/web/setup", "/web/setup", {
            "username": "boss", "email": "boss@example.org", "password": PASSWORD,
            "display_name": "The <b>Boss</b>"})
        assert page.url.path == "/web/home"
        assert "The &lt;b&gt;Boss&lt;/b&gt;" in web.get("/@boss").text
        # Once there is an account, the setup page is gone and its form creates nothing.
        stranger = WebClient(instance.base_url)
        assert stranger.get("/web/setup").url.path == "/web/sign-in"
        second = stranger.http.post("/web/setup", data={
            "csrf": csrf_of(stranger.get("/web/sign-in")),
            "username": "mallory", "email": "m@example.org", "password": PASSWORD})
        assert second.status_code == 403
        assert stranger.get("/@mallory").status_code == 404
        lookup = httpx.get(f"{instance.base_url}/api/v1/accounts/lookup",
                           params={"acct": "boss"})
        assert lookup.status_code == 200
        web.close()
        stranger.close()


def test_first_visitors_sending_the_setup_form_at_once_make_one_owner(tmp_path):
    with fresh_instance(tmp_path) as instance:
        visitors = [WebClient(instance.base_url) for _ in range(6)]
        tokens = [csrf_of(visitor.get("/web/setup")) for visitor in visitors]

        def send(n: int) -> int:
            return visitors[n].http.post("/web/setup", data={
                "csrf": tokens[n], "username": f"first{n}", "email": f"first{n}@example.org",
                "password": PASSWORD}).status_code

        with ThreadPoolExecutor(len(visitors)) as pool:
            answers = list(pool.map(send, range(len(visitors))))
        assert sorted(answers) == [200] + [403] * (len(visitors) - 1), answers
        made = [n for n in range(len(visitors)) if httpx.get(
            f"{instance.base_url}/api/v1/accounts/lookup",
            params={"acct": f"first{n}"}).status_code == 200]
        assert len(made) == 1
        for visitor in visitors:
            visitor.close()


def test_setup_with_bad_input_explains_and_creates_nothing(tmp_path):
    with fresh_instance(tmp_path) as instance:
        web = WebClient(instance.base_url)
        page = web.submit("/web/setup", "/web/setup", {
            "username": "no spaces <allowed>", "email": "x@example.org",
            "password": PASSWORD})
        assert 400 <= page.status_code < 500 and 'role="alert"' in page.text
        assert "&lt;allowed&gt;" in page.text and "<allowed>" not in page.text
        assert web.get("/web").url.path == "/web/setup"
        web.close()
