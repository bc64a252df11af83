"""The console's People part, without JavaScript: admins find people by text, role, group,
status and activity, approve sign-ups, change roles, deactivate and reactivate, send password
resets and require a second factor. Everyone else is refused and nothing changes."""

from __future__ import annotations

import secrets

import httpx
import pytest
from mail_support import link_in

from support import PASSWORD, fresh_instance
from web_support import WebClient, browser_at_own_address, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _act(web: WebClient, person_id: str, action: str, **fields) -> httpx.Response:
    return web.submit(f"/web/admin/people/{person_id}", f"/web/admin/people/{person_id}/{action}",
                      fields)


def _role_of(person) -> str:
    """The role the person's own credentials show (Mastodon's `role` of CredentialAccount)."""
    return person.http.get("/api/v1/accounts/verify_credentials").json()["role"]["id"]


def test_admins_find_people_by_text_role_group_and_status(server, new_user):
    admin = new_user(role="admin")
    tag = secrets.token_hex(3)
    press = new_user(f"press_{tag}", display_name="Petra Press", role="communicator")
    member = new_user(f"field_{tag}")
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": f"Field staff {tag}", "slug": f"field-{tag}"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                    data={"account_ids[]": [member.id]}).raise_for_status()
    web = signed_in(server, admin)
    everyone = web.get("/web/admin/people", params={"q": tag})
    assert everyone.status_code == 200
    assert f"@{press.username}" in everyone.text and f"@{member.username}" in everyone.text
    communicators = web.get("/web/admin/people", params={"q": tag, "role": "communicator"}).text
    assert f"@{press.username}" in communicators and f"@{member.username}" not in communicators
    in_group = web.get("/web/admin/people", params={"group": group["id"]}).text
    assert f"@{member.username}" in in_group and f"@{press.username}" not in in_group
    by_name = web.get("/web/admin/people", params={"q": "petra press"}).text
    assert f"@{press.username}" in by_name
    # Someone who just signed in through the web is active this week.
    signed_in(server, member)
    recent = web.get("/web/admin/people", params={"q": tag, "active": "week"}).text
    assert f"@{member.username}" in recent
    dormant = web.get("/web/admin/people", params={"q": tag, "active": "dormant"}).text
    assert f"@{member.username}" not in dormant
    # Filters nobody matches, and nonsense in the query, are no error.
    nobody = web.get("/web/admin/people", params={"q": tag, "status": "deactivated"})
    assert "Nobody matches these filters." in nobody.text
    odd = web.get("/web/admin/people", params={"role": "emperor", "group": "x", "page": "-3",
                                               "status": "<script>", "active": "never"})
    assert odd.status_code == 200 and "<script>" not in odd.text


def test_a_person_page_shows_groups_and_brand_grants(server, new_user):
    admin, person = new_user(role="admin"), new_user(role="communicator")
    tag = secrets.token_hex(3)
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": f"Press {tag}", "slug": f"press-{tag}"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
        "account_ids[]": [person.id], "role": "manager"}).raise_for_status()
    brand = admin.http.post("/api/zwitscher/v1/brands", data={
        "username": f"brand_{tag}", "display_name": f"Brand {tag}"}).json()
    admin.http.post(f"/api/zwitscher/v1/brands/{brand['id']}/authors", data={
        "account_id": person.id, "needs_approval": "true"}).raise_for_status()
    page = signed_in(server, admin).get(f"/web/admin/people/{person.id}")
    assert page.status_code == 200
    assert f"Press {tag}" in page.text and "(manager)" in page.text
    assert f"Brand {tag}" in page.text and "posts need approval" in page.text
    assert person.email in page.text


def test_admins_change_roles_and_deactivate_only_when_confirmed(server, new_user, mailbox):
    admin, person = new_user(role="admin"), new_user()
    web = signed_in(server, admin)
    changed = _act(web, person.id, "role", role="moderator")
    assert changed.status_code == 200 and "The role is changed." in changed.text
    assert _role_of(person) == "moderator"
    refused = _act(web, person.id, "role", role="emperor")
    assert refused.status_code == 422 and "Role must be one of" in refused.text
    assert _role_of(person) == "moderator"
    unconfirmed = _act(web, person.id, "active", active="0")
    assert unconfirmed.status_code == 422 and "Please confirm" in unconfirmed.text
    assert person.http.get("/api/v1/accounts/verify_credentials").status_code == 200
    gone = _act(web, person.id, "active", active="0", confirm="yes")
    assert "deactivated and signed out everywhere" in gone.text
    assert person.http.get("/api/v1/accounts/verify_credentials").status_code == 401
    assert WebClient(server.base_url).sign_in(person.username).status_code == 403
    back = _act(web, person.id, "active", active="1")
    assert "active again" in back.text
    assert WebClient(server.base_url).sign_in(person.username).url.path == "/web/home"
    sent = _act(web, person.id, "password-reset")
    assert "on its way" in sent.text
    assert "/web/password?token=" in link_in(mailbox.wait_for(person.email))


def test_nobody_changes_their_own_role_or_deactivates_themselves(server, new_user):
    admin = new_user(role="admin")
    web = signed_in(server, admin)
    own = _act(web, admin.id, "role", role="member")
    assert own.status_code == 403 and "You cannot change your own role" in own.text
    assert _role_of(admin) == "admin"
    myself = _act(web, admin.id, "active", active="0", confirm="yes")
    assert myself.status_code == 403 and "You cannot deactivate yourself" in myself.text


def test_a_required_second_factor_is_asked_for_at_the_next_page(server, new_user):
    admin, person = new_user(role="admin"), new_user()
    person_web = signed_in(server, person)
    required = _act(signed_in(server, admin), person.id, "second-factor", required="1")
    assert "A second factor is required" in required.text
    assert person_web.get("/web/home").url.path == "/web/settings/security"
    # An app can no longer sign them in with the password alone.
    client_id, client_secret = _app(server)
    token = httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "username": person.email, "password": PASSWORD,
        "client_id": client_id, "client_secret": client_secret, "scope": "read"})
    assert token.status_code == 400
    lifted = _act(signed_in(server, admin), person.id, "second-factor", required="0")
    assert "no longer required" in lifted.text
    assert person_web.get("/web/home").url.path == "/web/home"


def _app(server) -> tuple[str, str]:
    app = httpx.post(f"{server.base_url}/api/v1/apps", data={
        "client_name": "people-tests", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        "scopes": "read"}).json()
    return app["client_id"], app["client_secret"]


@pytest.mark.parametrize("role", ["member", "guest", "moderator", "communicator", "manager"])
def test_everyone_but_admins_is_refused_and_nothing_changes(server, new_user, role):
    admin, person = new_user(role="admin"), new_user()
    outsider = new_user(role=None if role == "manager" else role)
    if role == "manager":
        group = admin.http.post("/api/zwitscher/v1/groups", data={
            "name": "Managed", "slug": f"managed-{secrets.token_hex(3)}"}).json()
        admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
            "account_ids[]": [outsider.id, person.id], "role": "manager"}).raise_for_status()
    web = signed_in(server, outsider)
    for path in ("/web/admin/people", f"/web/admin/people/{person.id}"):
        assert web.get(path).status_code == 403, path
    token = csrf_of(web.get("/web/home"))
    for action, fields in [("approve", {}), ("role", {"role": "admin"}),
                           ("active", {"active": "0", "confirm": "yes"}),
                           ("password-reset", {}), ("second-factor", {"required": "1"})]:
        refused = web.http.post(f"/web/admin/people/{person.id}/{action}",
                                data={"csrf": token, **fields})
        assert refused.status_code == 403 and "Nothing was changed." in refused.text, action
    assert _role_of(person) == "member"
    assert person.http.get("/api/v1/accounts/verify_credentials").status_code == 200
    assert person.http.get("/web/home").url.path != "/web/settings/security"


def test_a_form_without_its_csrf_token_changes_nothing(server, new_user):
    admin, person = new_user(role="admin"), new_user()
    web = signed_in(server, admin)
    for token in ("", "0" * 64):
        refused = web.http.post(f"/web/admin/people/{person.id}/role",
                                data={"csrf": token, "role": "admin"})
        assert refused.status_code == 403 and "nothing was changed" in refused.text
    assert _role_of(person) == "member"


def test_unknown_people_and_actions_are_not_found(server, new_user):
    web = signed_in(server, new_user(role="admin"))
    assert web.get("/web/admin/people/nobody").status_code == 404
    assert web.get("/web/admin/people/123456789").status_code == 404
    token = csrf_of(web.get("/web/admin/people"))
    assert web.http.post("/web/admin/people/123456789/approve",
                         data={"csrf": token}).status_code == 404
    assert web.http.post("/web/admin/people/123456789/launch",
                         data={"csrf": token}).status_code == 404


@pytest.fixture(scope="module")
def approval(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("people-approval"),
                        ZWITSCHER_REGISTRATIONS="approval") as running:
        yield running


def test_an_admin_approves_a_waiting_sign_up_from_the_list(approval):
    from test_web_sign_up import confirmation_link, sign_up

    admin_name = f"admin_{secrets.token_hex(3)}"
    approval.cli("accounts", "create", admin_name, "--email", f"{admin_name}@example.org",
                 "--password", PASSWORD, "--role", "admin")
    newcomer = browser_at_own_address(approval.base_url)
    name, _ = sign_up(newcomer, reason="I write the staff newsletter")
    newcomer.get(confirmation_link(approval, f"{name}@example.org"))
    admin = WebClient(approval.base_url)
    admin.sign_in(admin_name)
    assert "1 sign-up to approve" in admin.get("/web/admin").text
    waiting = admin.get("/web/admin/people", params={"status": "pending"}).text
    assert f"@{name}" in waiting and "Waiting for approval" in waiting
    person_id = waiting.split(f"@{name}")[0].rsplit("/web/admin/people/", 1)[1].split('"')[0]
    page = admin.get(f"/web/admin/people/{person_id}").text
    assert "I write the staff newsletter" in page
    approved = _act(admin, person_id, "approve")
    assert "The sign-up is approved" in approved.text
    assert newcomer.sign_in(name).url.path == "/web/home"
    assert "Nothing is waiting for you." in admin.get("/web/admin").text
