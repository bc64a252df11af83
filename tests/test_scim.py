"""SCIM 2.0 provisioning as company directories do it: the requests are those of RFC 7644's
examples and of Entra ID and Okta (capitalised ops, string booleans, `members[value eq ...]`
paths), sent through the real server with a token from `zwitscher scim token`."""

from __future__ import annotations

import secrets

import httpx
import pytest

from streams import SseStream
from support import wait_until

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
AUDIT = "/api/zwitscher/v1/admin/audit_log"


@pytest.fixture(scope="module")
def scim(server):
    token = server.cli("scim", "token", "--name", "tests").strip()
    with httpx.Client(base_url=f"{server.base_url}/scim/v2", timeout=30, headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/scim+json"}) as client:
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
    assert scim.get(f"/Users/{created['id']}").json()["active"] is False

    entries = admin.http.get(AUDIT, params={"target_id": created["id"]}).json()
    actions = {entry["action"] for entry in entries}
    assert {"account.created", "account.updated", "account.deactivated",
            "account.reactivated"} <= actions
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
