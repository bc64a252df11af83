"""SCIM 2.0 provisioning as company directories do it: the requests are those of RFC 7644's
examples and of Entra ID and Okta (capitalised ops, string booleans, `members[value eq ...]`
paths), sent through the real server with a token from `zwitscher scim token`."""

from __future__ import annotations

import secrets

import httpx
import pytest

from streams import SseStream
from support import scim_client, wait_until
from web_support import WebClient, signed_in

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
AUDIT = "/api/zwitscher/v1/admin/audit_log"


@pytest.fixture(scope="module")
def scim(server):
    with scim_client(server, "tests") as client:
        yield client


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


def patch(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def create_user(scim, user_name: str, **extra) -> dict:
    response = scim.post("/Users", json={
        "schemas": [USER], "userName": user_name, "externalId": f"ext-{user_name}",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "emails": [{"value": user_name if "@" in user_name else f"{user_name}@example.com",
                    "type": "work", "primary": True}], **extra})
    assert response.status_code == 201, response.text
    return response.json()


def assert_scim_error(response: httpx.Response, status: int, scim_type: str | None = None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status) and body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type, body


def test_a_directory_creates_finds_changes_and_deactivates_a_person(scim, admin):
    user_name = f"Bjensen.{secrets.token_hex(3)}@Example.com"
    created = create_user(scim, user_name)
    assert created["schemas"] == [USER]
    assert created["userName"] == user_name
    assert created["active"] is True and created["displayName"] == "Barbara Jensen"
    assert created["emails"][0]["value"] == user_name
    assert created["meta"]["location"].endswith(f"/scim/v2/Users/{created['id']}")

    found = scim.get("/Users", params={"filter": f'userName eq "{user_name.upper()}"'})
    assert found.status_code == 200
    assert found.headers["content-type"].startswith("application/scim+json")
    assert found.json()["totalResults"] == 1
    assert found.json()["Resources"][0]["id"] == created["id"]
    by_external = scim.get("/Users", params={"filter": f'externalId eq "ext-{user_name}"'})
    assert [r["id"] for r in by_external.json()["Resources"]] == [created["id"]]
    nobody = scim.get("/Users", params={"filter": 'userName eq "nobody-at-all"'}).json()
    assert nobody["totalResults"] == 0 and nobody["Resources"] == []

    replaced = scim.put(f"/Users/{created['id']}", json={
        "schemas": [USER], "userName": user_name, "displayName": "Babs Jensen",
        "externalId": f"ext-{user_name}",
        "emails": [{"value": user_name, "primary": True}], "active": True})
    assert replaced.status_code == 200 and replaced.json()["displayName"] == "Babs Jensen"

    # Entra ID: a capitalised op and the boolean as a string.
    off = scim.patch(f"/Users/{created['id']}", json=patch(
        {"op": "Replace", "path": "active", "value": "False"}))
    assert off.status_code == 200 and off.json()["active"] is False
    # Okta: no path, the attributes in the value.
    on = scim.patch(f"/Users/{created['id']}", json=patch(
        {"op": "replace", "value": {"active": True, "displayName": "Barbara J."}}))
    assert on.json()["active"] is True and on.json()["displayName"] == "Barbara J."

    assert scim.delete(f"/Users/{created['id']}").status_code == 204
    assert_scim_error(scim.get(f"/Users/{created['id']}"), 404)

    entries = admin.http.get(AUDIT, params={"target_id": created["id"]}).json()
    actions = {entry["action"] for entry in entries}
    assert {"account.created", "account.updated", "account.deactivated",
            "account.reactivated", "account.directory_deleted"} <= actions
    assert {entry["actor"] for entry in entries} == {"directory (SCIM)"}


def test_deactivation_revokes_the_persons_tokens_and_ends_their_open_stream(scim, server,
                                                                           new_user):
    alice = new_user()
    stream = SseStream(server.base_url, "/api/v1/streaming/user", alice.token, {})
    try:
        # A directory takes over people who already have accounts: it finds them by name.
        found = scim.get("/Users", params={"filter": f'userName eq "{alice.username}"'}).json()
        assert found["totalResults"] == 1
        person = found["Resources"][0]
        assert person["id"] == alice.id
        response = scim.patch(f"/Users/{person['id']}", json=patch(
            {"op": "replace", "path": "active", "value": False}))
        assert response.status_code == 200
        assert wait_until(lambda: not stream.thread.is_alive(), 10)
    finally:
        stream.close()
    assert alice.http.get("/api/v1/accounts/verify_credentials").status_code == 401
    scim.patch(f"/Users/{alice.id}", json=patch({"op": "replace", "path": "active",
                                                 "value": True}))
    # Coming back does not bring old tokens back: the person signs in again.
    assert alice.http.get("/api/v1/accounts/verify_credentials").status_code == 401


def test_a_directory_builds_a_group_and_adds_and_removes_members(scim, admin):
    tag = secrets.token_hex(3)
    ana, ben, cem = (create_user(scim, f"{name}_{tag}") for name in ("ana", "ben", "cem"))
    created = scim.post("/Groups", json={
        "schemas": [GROUP], "displayName": f"Tour Guides {tag}", "externalId": f"g-{tag}",
        "members": [{"value": ana["id"]}]})
    assert created.status_code == 201, created.text
    group = created.json()
    assert [m["value"] for m in group["members"]] == [ana["id"]]

    found = scim.get("/Groups", params={"filter": f'displayName eq "Tour Guides {tag}"',
                                        "excludedAttributes": "members"}).json()
    assert found["totalResults"] == 1 and "members" not in found["Resources"][0]

    def members() -> set[str]:
        return {m["value"] for m in scim.get(f"/Groups/{group['id']}").json()["members"]}

    # RFC 7644 section 3.5.2.1: add members.
    scim.patch(f"/Groups/{group['id']}", json=patch({"op": "add", "path": "members", "value": [
        {"display": ben["userName"], "$ref": ben["meta"]["location"], "value": ben["id"]},
        {"value": cem["id"]}]})).raise_for_status()
    assert members() == {ana["id"], ben["id"], cem["id"]}
    # RFC 7644 section 3.5.2.2 (Okta does the same): remove one member by a value filter.
    scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "remove", "path": f'members[value eq "{ana["id"]}"]'})).raise_for_status()
    assert members() == {ben["id"], cem["id"]}
    # Entra ID: a capitalised op with the members to remove in the value.
    scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "Remove", "path": "members", "value": [{"value": cem["id"]}]})
    ).raise_for_status()
    assert members() == {ben["id"]}
    renamed = scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "replace", "value": {"id": group["id"], "displayName": f"Guides {tag}"}}))
    assert renamed.json()["displayName"] == f"Guides {tag}"

    assert [g["value"] for g in scim.get(f"/Users/{ben['id']}").json()["groups"]] == [
        group["id"]]
    ours = admin.http.get(f"/api/zwitscher/v1/groups/{group['id']}/members").json()
    assert [a["id"] for a in ours] == [ben["id"]]
    entries = admin.http.get(AUDIT, params={"target_id": group["id"]}).json()
    assert {"group.created", "group.members_added", "group.members_removed",
            "group.updated"} <= {entry["action"] for entry in entries}

    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert_scim_error(scim.get(f"/Groups/{group['id']}"), 404)


def test_malformed_scim_requests_get_scim_error_bodies_and_change_nothing(scim):
    tag = secrets.token_hex(3)
    person = create_user(scim, f"dora_{tag}")
    assert_scim_error(scim.post("/Users", content=b"{not json"), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", json={"schemas": [USER]}), 400, "invalidValue")
    assert_scim_error(scim.post("/Users", json={"userName": f"x_{tag}", "emails": "nope"}), 400)
    assert_scim_error(scim.post("/Users", json={
        "userName": f"dora_{tag}", "emails": [{"value": f"other_{tag}@example.com"}]}),
        409, "uniqueness")
    assert_scim_error(scim.get("/Users", params={"filter": 'userName co "dora"'}), 400,
                      "invalidFilter")
    assert_scim_error(scim.get("/Users", params={"filter": 'title eq "x"'}), 400,
                      "invalidFilter")
    assert_scim_error(scim.get("/Users", params={"filter": 'userName eq "a" or id eq "1"'}),
                      400, "invalidFilter")
    assert_scim_error(scim.get("/Users", params={"startIndex": "first"}), 400)
    assert_scim_error(scim.get("/Users/not-an-id"), 404)
    assert_scim_error(scim.get("/Users/123456789"), 404)
    assert_scim_error(scim.patch(f"/Users/{person['id']}", json=patch(
        {"op": "explode", "path": "active"})), 400, "invalidSyntax")
    assert_scim_error(scim.patch(f"/Users/{person['id']}", json={"schemas": [PATCH_OP]}), 400)
    assert_scim_error(scim.patch(f"/Users/{person['id']}", json=patch(
        {"op": "replace", "path": "active", "value": "maybe"})), 400, "invalidValue")
    assert_scim_error(scim.post("/Groups", json={"displayName": f"G {tag}",
                                                 "members": [{"value": "999999999"}]}), 400)
    assert_scim_error(scim.post("/Groups", json={"displayName": ""}), 400)
    assert_scim_error(scim.delete("/Users"), 405)
    assert scim.get(f"/Users/{person['id']}").json()["active"] is True
    assert scim.get("/Groups", params={"filter": f'displayName eq "G {tag}"'}).json()[
        "totalResults"] == 0


def test_only_directory_tokens_may_call_scim(server, scim, users, admin):
    base = f"{server.base_url}/scim/v2"
    assert_scim_error(httpx.get(f"{base}/Users"), 401)
    assert_scim_error(httpx.get(f"{base}/Users", headers={"Authorization": "Bearer nope"}), 401)
    # An admin's own token, and an app token with admin:write, are not directory tokens.
    assert_scim_error(admin.http.get(f"{base}/Users"), 403)
    assert_scim_error(httpx.get(f"{base}/Users", headers={
        "Authorization": f"Bearer {users.app_token()}"}), 403)
    # Discovery describes the protocol and is public, as RFC 7644 section 4 allows.
    config = httpx.get(f"{base}/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["filter"]["supported"] is True
    types = scim.get("/ResourceTypes").json()
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    assert scim.get(f"/Schemas/{USER}").json()["id"] == USER


def found_ids(scim, path: str = "/Users", **params) -> list[str]:
    response = scim.get(path, params=params)
    assert response.status_code == 200, response.text
    return [resource["id"] for resource in response.json()["Resources"]]


def test_a_deleted_person_is_in_no_group_list_search_or_new_membership(scim):
    tag = secrets.token_hex(3)
    ana, ben = create_user(scim, f"ana_{tag}"), create_user(scim, f"ben_{tag}")
    group = scim.post("/Groups", json={"displayName": f"Deleted {tag}", "members": [
        {"value": ana["id"]}, {"value": ben["id"]}]}).json()
    assert scim.delete(f"/Users/{ben['id']}").status_code == 204

    assert [m["value"] for m in scim.get(f"/Groups/{group['id']}").json()["members"]] == [
        ana["id"]]
    assert found_ids(scim, "/Groups", filter=f'members[value eq "{ben["id"]}"]') == []
    assert found_ids(scim, filter=f'id eq "{ben["id"]}"') == []
    for path, query in (("/Users/.search", f'userName eq "{ben["userName"]}"'),
                        ("/.search", f'externalId eq "{ben["externalId"]}"')):
        searched = scim.post(path, json={"filter": query}).json()
        assert searched["totalResults"] == 0 and searched["Resources"] == []
    # A member value naming nobody who exists is invalidValue (RFC 7644 section 3.5.2).
    assert_scim_error(scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "add", "path": "members", "value": [{"value": ben["id"]}]})), 400, "invalidValue")
    assert_scim_error(scim.post("/Groups", json={"displayName": f"Again {tag}",
                                                 "members": [{"value": ben["id"]}]}), 400)
    assert_scim_error(scim.put(f"/Users/{ben['id']}", json={
        "userName": ben["userName"], "emails": ben["emails"], "active": True}), 404)
    # Their names stay theirs: nobody else takes them while they may come back.
    assert_scim_error(scim.patch(f"/Users/{ana['id']}", json=patch(
        {"op": "replace", "path": "userName", "value": ben["userName"]})), 409, "uniqueness")


def test_creating_a_deleted_person_again_brings_back_their_account(server, scim, admin,
                                                                   new_user):
    alice = new_user()
    posted = alice.api.status_post(f"Still here {secrets.token_hex(3)}")
    assert scim.delete(f"/Users/{alice.id}").status_code == 204

    # Found by their e-mail address; the directory's name and attributes are as sent.
    user_name = f"Alice.{secrets.token_hex(3)}@Example.com"
    again = scim.post("/Users", json={
        "schemas": [USER], "userName": user_name, "displayName": "Alice Again",
        "externalId": f"ext-{user_name}", "emails": [{"value": alice.email}], "active": True})
    assert again.status_code == 201, again.text
    person = again.json()
    assert person["id"] == alice.id and again.headers["Location"].endswith(f"/Users/{alice.id}")
    assert (person["userName"], person["displayName"], person["active"]) == (
        user_name, "Alice Again", True)
    assert scim.get(f"/Users/{alice.id}").json() == person
    assert found_ids(scim, filter=f'userName eq "{user_name}"') == [alice.id]
    # The same account: their posts and password; old sessions stay signed out.
    statuses = admin.http.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert posted["id"] in [s["id"] for s in statuses]
    assert alice.http.get("/api/v1/accounts/verify_credentials").status_code == 401
    assert WebClient(server.base_url).sign_in(alice.username).url.path == "/web/home"
    # They are not deleted any more: creating them once more is a uniqueness conflict.
    assert_scim_error(scim.post("/Users", json={"userName": user_name,
                                                "emails": [{"value": alice.email}]}),
                      409, "uniqueness")
    actions = {e["action"] for e in admin.http.get(AUDIT, params={"target_id": alice.id}).json()}
    assert {"account.directory_deleted", "account.directory_restored",
            "account.reactivated"} <= actions


def test_a_deleted_person_comes_back_inactive_by_external_id_or_not_if_two_match(scim):
    tag = secrets.token_hex(3)
    cleo, dan, eve = (create_user(scim, f"{name}_{tag}") for name in ("cleo", "dan", "eve"))
    for person in (cleo, dan, eve):
        assert scim.delete(f"/Users/{person['id']}").status_code == 204
    back = scim.post("/Users", json={"userName": f"cleo.new_{tag}", "externalId":
                                     cleo["externalId"], "active": False,
                                     "emails": [{"value": f"cleo.new_{tag}@example.com"}]})
    assert back.status_code == 201, back.text
    assert back.json()["id"] == cleo["id"] and back.json()["active"] is False
    assert "displayName" not in back.json()
    assert found_ids(scim, filter=f'userName eq "cleo.new_{tag}"') == [cleo["id"]]
    # dan's userName with eve's address: two people, so neither comes back.
    assert_scim_error(scim.post("/Users", json={"userName": dan["userName"],
                                                "emails": eve["emails"]}), 409, "uniqueness")
    for person in (dan, eve):
        assert_scim_error(scim.get(f"/Users/{person['id']}"), 404)


def test_an_admin_reactivating_a_deleted_person_brings_them_back_for_the_directory(server,
                                                                                   scim, admin):
    tag = secrets.token_hex(3)
    fay = create_user(scim, f"fay_{tag}")
    assert scim.delete(f"/Users/{fay['id']}").status_code == 204
    web = signed_in(server, admin)
    page = f"/web/admin/people/{fay['id']}"
    assert "deleted by the directory" in web.get(page).text
    back = web.submit(page, f"{page}/active", {"active": "1"})
    assert "active again" in back.text and "deleted by the directory" not in back.text
    assert scim.get(f"/Users/{fay['id']}").json()["active"] is True
    # An admin's deactivation is not the directory's deletion: the directory still finds them.
    web.submit(page, f"{page}/active", {"active": "0", "confirm": "yes"}).raise_for_status()
    assert scim.get(f"/Users/{fay['id']}").json()["active"] is False
    assert found_ids(scim, filter=f'userName eq "{fay["userName"]}"') == [fay["id"]]
