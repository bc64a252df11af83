"""Invitations by e-mail: an admin or a group manager invites someone from the web, the
invitation arrives over SMTP from them, its link leads to choosing a password, and the person
signs in, in the group. Who may invite whom into what is checked on the page and the API."""

from __future__ import annotations

import re
import secrets

import pytest
from mail_support import link_in, text_of

from web_support import WebClient, csrf_of

GROUPS = "/api/zwitscher/v1/groups"
INVITE = "/web/settings/invite"
AUDIT = "/api/zwitscher/v1/admin/audit_log"
NEW_PASSWORD = "my first passphrase"


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin", display_name="Ada Admin")


def create_group(admin, name: str) -> dict:
    response = admin.http.post(GROUPS, data={"slug": f"g-{secrets.token_hex(4)}", "name": name})
    assert response.status_code == 200, response.text
    return response.json()


def make_manager(admin, group: dict, person) -> None:
    admin.http.post(f"{GROUPS}/{group['id']}/members", data={
        "account_ids[]": [person.id], "role": "manager"}).raise_for_status()


def signed_in(server, person) -> WebClient:
    web = WebClient(server.base_url)
    assert web.sign_in(person.email).url.path == "/web/home"
    return web


def invite(web: WebClient, **fields):
    page = web.get(INVITE)
    return web.http.post(INVITE, data={"csrf": csrf_of(page), **fields})


def address() -> str:
    return f"invited{secrets.token_hex(5)}@example.org"


def test_a_manager_invites_into_the_group_and_the_person_signs_in_there(
        server, mailbox, admin, new_user):
    newsroom = create_group(admin, "Newsroom")
    other = create_group(admin, "Accounting")
    mira = new_user(display_name="Mira Manager")
    make_manager(admin, newsroom, mira)
    web = signed_in(server, mira)
    page = web.get(INVITE)
    # Her groups only, and no invitation without a group.
    assert "Invite people" in web.get("/web/settings").text
    assert "Newsroom" in page.text and "Accounting" not in page.text
    assert "No group" not in page.text
    email = address()
    sent = invite(web, email=email, display_name="Neo Newcomer", group=newsroom["id"])
    assert sent.status_code == 200 and f"Invitation sent to {email}" in sent.text
    username = re.search(rf"{re.escape(email)} \(@(\w+)\)", sent.text).group(1)

    message = mailbox.wait_for(email)
    assert message["Subject"] == "Mira Manager invites you to Zwitscher"
    assert message["To"].addresses[0].display_name == "Neo Newcomer"
    assert "the group Newsroom" in text_of(message)
    link = link_in(message)
    newcomer = WebClient(server.base_url)
    choose = newcomer.get(link)
    assert f"Welcome! Choose the password for your account @{username}" in choose.text
    done = newcomer.http.post("/web/password", data={
        "csrf": csrf_of(choose), "token": link.split("token=")[1], "password": NEW_PASSWORD})
    assert done.url.path == "/web/sign-in"
    assert newcomer.sign_in(email, NEW_PASSWORD).url.path == "/web/home"
    members = admin.http.get(f"{GROUPS}/{newsroom['id']}/members").json()
    assert username in {member["username"] for member in members}
    # Not into a group she does not manage, not without a group, not an address in use.
    refused = invite(web, email=address(), group=other["id"])
    assert refused.status_code == 403
    assert mira.http.post("/api/zwitscher/v1/invitations",
                          data={"email": address()}).status_code == 403
    taken = invite(web, email=email, group=newsroom["id"])
    assert taken.status_code == 422 and "has an account already" in taken.text
    # The audit log says who invited, and how they had signed in.
    entries = admin.http.get(AUDIT, params={"action": "account.invited",
                                            "actor_id": mira.id}).json()
    assert [(e["actor"], e["actor_signed_in_with"]) for e in entries] == [
        (f"@{mira.username}", "password")]


def test_an_admin_invites_without_a_group_and_names_stay_one_line(server, mailbox, admin):
    email = address()
    response = admin.http.post("/api/zwitscher/v1/invitations", data={
        "email": email, "display_name": "Eve\r\nBcc: thief@example.net"})
    assert response.status_code == 200, response.text
    message = mailbox.wait_for(email)
    assert message["Subject"] == "Ada Admin invites you to Zwitscher"
    assert message["Bcc"] is None and mailbox.to("thief@example.net") == []
    assert message["To"].addresses[0].display_name == "Eve Bcc: thief@example.net"
    assert link_in(message).startswith(f"{server.base_url}/web/password?token=")
    entry = admin.http.get(AUDIT, params={"action": "account.invited",
                                          "target_id": response.json()["id"]}).json()[0]
    assert entry["actor_signed_in_with"] == "app: zwitscher-tests"


def test_people_who_manage_no_group_cannot_invite(server, new_user):
    member = new_user()
    web = signed_in(server, member)
    assert "Invite people" not in web.get("/web/settings").text
    page = web.get(INVITE)
    assert "Ask an admin to make you a manager" in page.text and 'name="email"' not in page.text
    assert invite(web, email=address()).status_code == 403
    assert member.http.post("/api/zwitscher/v1/invitations",
                            data={"email": address()}).status_code == 403
