"""Journalists are guests of press groups: an admin marks a group as a press group with a public
name; a communicator invites a journalist by e-mail, or a journalist asks on the public
accreditation page, confirms the address by the e-mailed link, and the press desk approves
(a guest account in the chosen groups, signed in through the e-mailed link) or rejects (the
reason e-mailed). Nobody else works the desk; bad input and floods store nothing."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest
from mail_support import html_of, link_in, text_of

from zwitscher.db.engine import Database
from zwitscher.db.uow import UnitsOfWork
from zwitscher.settings import Settings

from web_support import WebClient, browser_at_own_address, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

GROUPS = "/api/zwitscher/v1/groups"
PRESS_GROUPS = "/api/zwitscher/v1/press/groups"
ACCREDITATIONS = "/api/zwitscher/v1/press/accreditations"
INVITATIONS = "/api/zwitscher/v1/press/invitations"
AUDIT = "/api/zwitscher/v1/admin/audit_log"
PAGE = "/web/press/accreditation"
DESK = "/web/admin/press-accreditation"
NEW_PASSWORD = "a passphrase for the press"


@pytest.fixture(scope="module")
def desk(users):
    """An admin, a communicator, two press groups and a group that is none."""
    admin = users.create(role="admin", display_name="Ada Admin")
    clara = users.create(role="communicator", display_name="Clara Communicator")
    tag = secrets.token_hex(3)

    def group(name: str, press_name: str | None) -> dict:
        made = admin.http.post(GROUPS, data={"slug": f"{name.lower()}-{tag}", "name": name})
        assert made.status_code == 200, made.text
        if press_name:
            marked = admin.http.patch(f"{GROUPS}/{made.json()['id']}", data={
                "press": "true", "press_name": f"{press_name} {tag}"})
            assert marked.status_code == 200 and marked.json()["press"] is True, marked.text
        return {**made.json(), "public": f"{press_name} {tag}"}

    return {"admin": admin, "clara": clara, "national": group("Natpress", "National press"),
            "regional": group("Regpress", "Regional press"),
            "internal": group("Vorstand", None)}


def _address(kind: str = "journalist") -> str:
    return f"{kind}{secrets.token_hex(5)}@example.org"


def _anonymous(server) -> httpx.Client:
    """An API client without a token, at a network address of its own."""
    return httpx.Client(base_url=server.base_url, timeout=30, headers={
        "X-Forwarded-For": f"10.200.{secrets.randbelow(250)}.{secrets.randbelow(250)}"})


def _ask(server, email: str, groups: list[dict], **fields) -> httpx.Response:
    with _anonymous(server) as client:
        return client.post(ACCREDITATIONS, json={
            "name": "Nora Nachricht", "email": email, "outlet": "Tagesblatt",
            "position": "Editor", "work_url": "https://example.org/nora",
            "group_ids": [g["id"] for g in groups], **fields})


def _confirm(server, mailbox, email: str, *, count: int = 1) -> httpx.Response:
    link = link_in(mailbox.wait_for(email, count=count))
    assert link.startswith(f"{server.base_url}{PAGE}/confirm?token=")
    return WebClient(server.base_url).get(link)


def _listed(person, email: str, state: str = "pending") -> list[dict]:
    answer = person.http.get(ACCREDITATIONS, params={"state": state, "limit": 200})
    assert answer.status_code == 200, answer.text
    return [item for item in answer.json() if item["email"] == email]


def _members(admin, group: dict) -> set[str]:
    return {m["username"] for m in admin.http.get(
        f"{GROUPS}/{group['id']}/members", params={"limit": 200}).json()}


def _choose_password_and_sign_in(server, users, message, email: str) -> dict:
    """Follow the e-mailed link as the journalist; returns their account as the API shows it."""
    link = link_in(message)
    journalist = WebClient(server.base_url)
    choose = journalist.get(link)
    assert choose.status_code == 200
    journalist.http.post("/web/password", data={
        "csrf": csrf_of(choose), "token": link.split("token=")[1], "password": NEW_PASSWORD})
    assert journalist.sign_in(email, NEW_PASSWORD).url.path == "/web/home"
    token = httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "username": email, "password": NEW_PASSWORD,
        "client_id": users.client_id, "client_secret": users.client_secret,
        "scope": "read"}).json()["access_token"]
    return httpx.get(f"{server.base_url}/api/v1/accounts/verify_credentials",
                     headers={"Authorization": f"Bearer {token}"}).json()


def _stored(engine_env, email: str) -> int:
    """How many accreditations of `email` the database holds, in any state."""
    settings = Settings(data_dir=engine_env["ZWITSCHER_DATA_DIR"],
                        database_url=engine_env.get("ZWITSCHER_DATABASE_URL"))

    async def nothing(_messages) -> None:
        return None

    async def read() -> int:
        database = Database(settings)
        try:
            uows = UnitsOfWork(database, publisher=nothing, on_jobs_enqueued=lambda: None)
            async with uows.read() as uow:
                return sum([await uow.press_accreditations.of_address(email, state) is not None
                            for state in ("unconfirmed", "pending", "approved", "rejected")])
        finally:
            await database.dispose()

    return asyncio.run(read())


# Press groups.

def test_admins_mark_press_groups_whose_public_names_anyone_may_read(server, desk, new_user):
    admin, clara, national = desk["admin"], desk["clara"], desk["national"]
    with _anonymous(server) as client:
        listed = {g["id"]: g["name"] for g in client.get(PRESS_GROUPS).json()}
    assert listed[national["id"]] == national["public"]
    assert desk["internal"]["id"] not in listed and "Natpress" not in listed.values()
    # On the console's group page: the public description; a press group needs a name.
    web = signed_in(server, admin)
    path = f"/web/admin/groups/{desk['regional']['id']}"
    page = web.get(path)
    assert "This is a press group" in page.text
    refused = web.http.post(f"{path}/press", data={"csrf": csrf_of(page), "press": "on",
                                                    "press_name": " ", "press_description": ""})
    assert refused.status_code == 422 and "needs the name the public reads" in refused.text
    saved = web.http.post(f"{path}/press", data={
        "csrf": csrf_of(page), "press": "on", "press_name": desk["regional"]["public"],
        "press_description": "Zeitungen & Sender der Region"})
    assert saved.status_code == 200 and "Saved." in saved.text
    shown = admin.http.get(f"{GROUPS}/{desk['regional']['id']}").json()
    assert shown["press_description"] == "Zeitungen & Sender der Region"
    assert any(e["details"]["changes"] == {"press_description": "Zeitungen & Sender der Region"}
               for e in admin.http.get(AUDIT, params={"action": "group.press_changed"}).json())
    # Only admins: not a communicator, not the group's manager.
    manager = new_user()
    admin.http.post(f"{GROUPS}/{desk['internal']['id']}/members", data={
        "account_ids[]": [manager.id], "role": "manager"}).raise_for_status()
    for person in (clara, manager):
        answer = person.http.patch(f"{GROUPS}/{desk['internal']['id']}",
                                   data={"press": "true", "press_name": "Leak"})
        assert answer.status_code == 403, answer.text
    manager_web = signed_in(server, manager)
    internal_path = f"/web/admin/groups/{desk['internal']['id']}"
    internal = manager_web.get(internal_path)
    assert "This is a press group" not in internal.text
    assert manager_web.http.post(f"{internal_path}/press", data={
        "csrf": csrf_of(internal), "press": "on", "press_name": "Leak"}).status_code == 403
    assert admin.http.get(f"{GROUPS}/{desk['internal']['id']}").json()["press"] is False


# Invitations.

def test_a_communicator_invites_a_journalist_who_signs_in_as_a_guest_of_the_press_group(
        server, mailbox, users, desk):
    clara, national = desk["clara"], desk["national"]
    web = signed_in(server, clara)
    page = web.get(DESK)
    assert page.status_code == 200 and "Invite a journalist" in page.text
    assert 'href="/web/admin/press-accreditation"' in web.get("/web/admin").text
    email = _address("invited")
    sent = web.http.post(f"{DESK}/invite", data={
        "csrf": csrf_of(page), "name": "Ines Invited", "email": email, "outlet": "Fachblatt",
        "position": "", "group": national["id"]})
    assert sent.status_code == 200 and "Invited: the journalist has a guest account" in sent.text

    message = mailbox.wait_for(email)
    assert message["Subject"] == "Clara Communicator invites you to the press room of Zwitscher"
    assert "as a journalist of Fachblatt" in text_of(message)
    assert national["public"] in text_of(message) and "Natpress" not in text_of(message)
    me = _choose_password_and_sign_in(server, users, message, email)
    assert me["role"]["id"] == "guest" and me["display_name"] == "Ines Invited"
    assert me["username"] in _members(desk["admin"], national)
    invited = _listed(clara, email, "approved")
    assert invited[0]["source"] == "invitation" and invited[0]["account"]["id"] == me["id"]
    entry = desk["admin"].http.get(AUDIT, params={"action": "press.journalist_invited",
                                                  "actor_id": clara.id}).json()[0]
    assert entry["details"]["username"] == me["username"]


def test_inviting_an_address_that_has_an_account_adds_it_and_keeps_its_role(
        server, mailbox, desk, new_user):
    member = new_user(display_name="Mia Member")
    answer = desk["clara"].http.post(INVITATIONS, data={
        "name": "Mia", "email": member.email, "outlet": "Hauszeitung",
        "group_id": desk["regional"]["id"]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["new_account"] is False and answer.json()["account_id"] == member.id
    assert member.username in _members(desk["admin"], desk["regional"])
    role = member.http.get("/api/v1/accounts/verify_credentials").json()["role"]["id"]
    assert role == "member"
    message = mailbox.wait_for(member.email)
    assert "gave your account" in text_of(message) and desk["regional"]["public"] in text_of(
        message)
    # Not into a group that is no press group.
    refused = desk["clara"].http.post(INVITATIONS, data={
        "name": "X", "email": _address(), "outlet": "Y", "group_id": desk["internal"]["id"]})
    assert refused.status_code == 422 and "press groups only" in refused.json()["error"]


# Accreditation requests.

def test_a_request_reaches_the_desk_once_confirmed_and_approval_makes_a_guest(
        server, mailbox, users, desk, engine_env):
    clara, national, regional = desk["clara"], desk["national"], desk["regional"]
    visitor = browser_at_own_address(server.base_url)
    page = visitor.get(PAGE)
    assert page.status_code == 200
    assert national["public"] in page.text and "Vorstand" not in page.text
    email = _address()
    sent = visitor.http.post(PAGE, data={
        "csrf": csrf_of(page), "name": "Jonas Journalist", "email": email,
        "outlet": "Rundfunk Nord", "position": "Correspondent", "groups": [national["id"]],
        "work_url": "https://example.org/jonas", "note": "Ich berichte über die Region."})
    assert sent.status_code == 200 and f"we have sent a link to {email}" in sent.text
    assert _stored(engine_env, email) == 1 and _listed(clara, email) == []

    message = mailbox.wait_for(email)
    assert message["Subject"] == "Confirm your accreditation request to Zwitscher"
    confirmed = _confirm(server, mailbox, email)
    assert "your request is with the press office" in confirmed.text
    waiting = _listed(clara, email)
    assert [(g["id"], g["requested"]) for g in waiting[0]["groups"]] == [(national["id"], True)]
    desk_web = signed_in(server, clara)
    assert "accreditation request to decide" in desk_web.get("/web/admin").text
    queue = desk_web.get(DESK)
    assert "Jonas Journalist" in queue.text and "Ich berichte über die Region." in queue.text

    # Approved into both press groups: the journalist signs in through the e-mailed link.
    approved = desk_web.http.post(f"{DESK}/{waiting[0]['id']}/approve", data={
        "csrf": csrf_of(queue), "groups": [national["id"], regional["id"]]})
    assert approved.status_code == 200 and "Approved: the journalist" in approved.text
    welcome = mailbox.wait_for(email, count=2)
    assert welcome["Subject"] == "You are accredited for the press room of Zwitscher"
    me = _choose_password_and_sign_in(server, users, welcome, email)
    assert me["role"]["id"] == "guest" and me["display_name"] == "Jonas Journalist"
    for group in (national, regional):
        assert me["username"] in _members(desk["admin"], group)
    assert _listed(clara, email, "approved")[0]["account"]["username"] == me["username"]
    assert "decided on this request" in _confirm(server, mailbox, email).text
    assert desk["admin"].http.get(AUDIT, params={
        "action": "press.accreditation_approved", "target_id": waiting[0]["id"]}).json()


def test_a_rejection_emails_the_reason_and_makes_no_account(server, mailbox, desk):
    clara, email = desk["clara"], _address()
    answer = _ask(server, email, [desk["regional"]], locale="de")
    assert answer.status_code == 202 and answer.json()["email"] == email
    assert "Bestätige" in mailbox.wait_for(email)["Subject"]
    _confirm(server, mailbox, email)
    accreditation = _listed(clara, email)[0]
    reject = f"{ACCREDITATIONS}/{accreditation['id']}/reject"
    assert clara.http.post(reject, data={"reason": "  "}).status_code == 422
    reason = "Kein <b>Medium</b> erkennbar"
    rejected = clara.http.post(reject, data={"reason": reason})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    message = mailbox.wait_for(email, count=2)
    assert message["Subject"] == "Dein Akkreditierungsantrag bei Zwitscher"
    assert reason in text_of(message) and "Kein &lt;b&gt;Medium&lt;/b&gt;" in html_of(message)
    assert rejected.json()["account"] is None
    late = clara.http.post(f"{ACCREDITATIONS}/{accreditation['id']}/approve",
                           data={"group_ids[]": [desk["regional"]["id"]]})
    assert late.status_code == 422 and "decided already" in late.json()["error"]


def test_an_address_already_waiting_is_not_queued_twice(server, mailbox, desk):
    email = _address()
    assert _ask(server, email, [desk["national"]]).status_code == 202
    _confirm(server, mailbox, email)
    assert _ask(server, email, [desk["regional"]], outlet="Neues Blatt").status_code == 202
    assert "your request is with the press office" in _confirm(server, mailbox, email,
                                                                count=2).text
    waiting = _listed(desk["clara"], email)
    assert len(waiting) == 1 and waiting[0]["outlet"] == "Neues Blatt"
    assert {g["id"] for g in waiting[0]["groups"] if g["requested"]} == {
        desk["national"]["id"], desk["regional"]["id"]}


def test_a_link_that_names_no_request_is_refused(server):
    answer = WebClient(server.base_url).get(f"{PAGE}/confirm", params={"token": "nothing"})
    assert answer.status_code == 422 and "not valid any more" in answer.text


def test_hostile_html_in_a_request_is_shown_escaped_on_the_desk(server, mailbox, desk):
    email = _address()
    note = '<script>alert("note")</script><img src=x onerror=alert(1)>'
    assert _ask(server, email, [desk["national"]], note=note,
                name="<b>Eve</b>").status_code == 202
    _confirm(server, mailbox, email)
    page = signed_in(server, desk["clara"]).get(DESK).text
    assert "&lt;script&gt;alert(&#34;note&#34;)&lt;/script&gt;&lt;img" in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page
    assert '<script>alert("note")' not in page and "<img src=x" not in page
    assert "<b>Eve</b>" not in page


# Who works the desk.

@pytest.mark.parametrize("role", ["member", "guest", "moderator", "anonymous"])
def test_only_the_press_desk_sees_and_decides_requests(server, mailbox, users, desk, role):
    email = _address()
    assert _ask(server, email, [desk["national"]]).status_code == 202
    _confirm(server, mailbox, email)
    accreditation = _listed(desk["clara"], email)[0]
    base = f"{ACCREDITATIONS}/{accreditation['id']}"
    invited = _address("invited")
    if role == "anonymous":
        api, web, refused_api = _anonymous(server), WebClient(server.base_url), {401}
    else:
        person = users.create(role=None if role == "member" else role)
        api, web, refused_api = person.http, signed_in(server, person), {403}
    assert api.get(ACCREDITATIONS).status_code in refused_api
    for path, data in ((f"{base}/approve", {"group_ids[]": [desk["national"]["id"]]}),
                       (f"{base}/reject", {"reason": "nein"}),
                       (INVITATIONS, {"name": "I", "email": invited, "outlet": "O",
                                      "group_id": desk["national"]["id"]})):
        assert api.post(path, data=data).status_code in refused_api, path
    token = csrf_of(web.get(PAGE))
    page = web.get(DESK)
    assert page.status_code == 403 if role != "anonymous" else page.url.path == "/web/sign-in"
    for path, data in ((f"{DESK}/{accreditation['id']}/approve",
                        {"groups": desk["national"]["id"]}),
                       (f"{DESK}/{accreditation['id']}/reject", {"reason": "nein"}),
                       (f"{DESK}/invite", {"name": "I", "email": invited, "outlet": "O",
                                           "group": desk["national"]["id"]})):
        answer = web.http.post(path, data={"csrf": token, **data})
        assert answer.status_code == 403 or answer.url.path == "/web/sign-in", path
    assert _listed(desk["clara"], email)[0]["state"] == "pending"
    assert _listed(desk["clara"], invited, "approved") == [] and mailbox.to(invited) == []


# Bad input and floods.

@pytest.mark.parametrize("case", [
    "not a press group", "unknown group", "no group", "malformed e-mail", "name too long",
    "outlet too long", "note too long", "work link not a web address"])
def test_bad_requests_are_refused_and_nothing_is_stored(server, mailbox, desk, engine_env,
                                                        case):
    email = ("nora@@example.org\r\nBcc: x@example.net" if case == "malformed e-mail"
             else _address())
    fields = {
        "not a press group": {"group_ids": [desk["national"]["id"], desk["internal"]["id"]]},
        "unknown group": {"group_ids": ["99999999"]},
        "no group": {"group_ids": []},
        "malformed e-mail": {},
        "name too long": {"name": "N" * 101},
        "outlet too long": {"outlet": "O" * 201},
        "note too long": {"note": "n" * 2001},
        "work link not a web address": {"work_url": "javascript:alert(1)"}}[case]
    answer = _ask(server, email, [desk["national"]], **fields)
    assert answer.status_code == 422 and answer.json()["error"], answer.text
    assert _stored(engine_env, email) == 0 and mailbox.to(email) == []
    assert mailbox.to("x@example.net") == []


def test_the_web_form_explains_bad_input_and_keeps_what_was_typed(server, desk, engine_env):
    visitor = browser_at_own_address(server.base_url)
    page, email = visitor.get(PAGE), _address()
    answer = visitor.http.post(PAGE, data={
        "csrf": csrf_of(page), "name": "Nora", "email": email, "outlet": "",
        "groups": [desk["internal"]["id"]]})
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert "Outlet must be between 1 and 200 characters" in answer.text
    assert f'value="{email}"' in answer.text and _stored(engine_env, email) == 0
    german = browser_at_own_address(server.base_url)
    german.http.headers["Accept-Language"] = "de"
    page = german.get(PAGE)
    answer = german.http.post(PAGE, data={"csrf": csrf_of(page), "name": "Nora",
                                          "email": email, "outlet": "Blatt", "groups": []})
    assert answer.status_code == 422 and "Wähle mindestens eine Pressegruppe" in answer.text


def test_floods_are_held_back_per_network_address_and_per_e_mail_address(
        server, mailbox, desk, engine_env):
    with _anonymous(server) as client:
        def ask(email: str) -> httpx.Response:
            return client.post(ACCREDITATIONS, json={
                "name": "Flo", "email": email, "outlet": "Flut",
                "group_ids": [desk["national"]["id"]]})

        assert all(ask(_address("flood")).status_code == 202 for _ in range(10))
        over = _address("flood")
        assert ask(over).status_code == 429
    assert _stored(engine_env, over) == 0 and mailbox.to(over) == []
    # One address is sent at most three links an hour, from wherever it is asked.
    target = _address("target")
    answers = [_ask(server, target, [desk["national"]]).status_code for _ in range(4)]
    assert answers == [202, 202, 202, 429]
    assert _stored(engine_env, target) == 1
