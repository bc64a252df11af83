"""SCIM held to RFC 7643/7644 as strict directories read them: the RFC's own PATCH examples
(section 3.5.2) and filter examples (section 3.4.2.2), `attributes`/`excludedAttributes`
(section 3.9), `POST /.search` (section 3.4.3), strict PATCH paths (`invalidPath`, nothing
changed), and a published schema that says exactly what the server does."""

from __future__ import annotations

import secrets

import httpx
import pytest

from support import scim_client

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


@pytest.fixture(scope="module")
def scim(server):
    with scim_client(server, "conformance") as client:
        yield client


@pytest.fixture(scope="module")
def user_schema(scim) -> dict:
    return scim.get(f"/Schemas/{USER}").json()


def patch(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def new_person(scim, **extra) -> dict:
    tag = secrets.token_hex(4)
    response = scim.post("/Users", json={
        "schemas": [USER], "userName": f"bjensen.{tag}@example.com", "externalId": f"ext-{tag}",
        "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen"},
        "displayName": "Babs Jensen",
        "emails": [{"value": f"bjensen.{tag}@example.com", "type": "work", "primary": True}],
        **extra})
    assert response.status_code == 201, response.text
    return response.json()


def new_group(scim, *members: dict, name: str | None = None) -> dict:
    response = scim.post("/Groups", json={
        "schemas": [GROUP], "displayName": name or f"Tour Guides {secrets.token_hex(4)}",
        "members": [{"value": m["id"]} for m in members]})
    assert response.status_code == 201, response.text
    return response.json()


def error(response: httpx.Response, status: int, scim_type: str | None = None) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == str(status)
    if scim_type:
        assert body.get("scimType") == scim_type, body
    return body["detail"]


def found_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [resource["id"] for resource in response.json()["Resources"]]


def test_rfc_filter_examples_are_answered_or_refused_as_unsupported(scim):
    babs = new_person(scim)
    user_name, email = babs["userName"], babs["emails"][0]["value"]
    answered = {
        f'userName eq "{user_name}"': [babs["id"]],
        f'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "{user_name.upper()}"':
            [babs["id"]],
        f'userName EQ "{user_name}" and externalId eq "{babs["externalId"]}"': [babs["id"]],
        f'emails[value eq "{email}"]': [babs["id"]],
        f'emails.value eq "{email}" and id eq "{babs["id"]}"': [babs["id"]],
        f'(userName eq "{user_name}")': [babs["id"]],
        f'userName eq "{user_name}" and userName eq "somebody-else"': [],
        'id eq "not-a-number"': [],
    }
    for query, expected in answered.items():
        assert found_ids(scim.get("/Users", params={"filter": query})) == expected, query
    # Section 3.4.2.2's other examples use operators or attributes we do not search by:
    # a clear 400 invalidFilter, never a wrong answer.
    for query in ['name.familyName co "O\'Malley"', 'userName sw "J"',
                  'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', "title pr",
                  'meta.lastModified gt "2011-05-13T04:42:34Z"',
                  'title pr and userType eq "Employee"', 'title pr or userType eq "Intern"',
                  'userType eq "Employee" and (emails co "example.com" or '
                  'emails.value co "example.org")',
                  'userType ne "Employee" and not (emails co "example.com" or '
                  'emails.value co "example.org")',
                  'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
                  'emails[type eq "work" and value co "@example.com"] or '
                  'ims[type eq "xmpp" and value co "@foo.com"]',
                  # malformed
                  'userName eq', 'userName eq bjensen', '(userName eq "x"', 'userName xx "x"',
                  'emails[value eq "x"', 'userName eq 1']:
        assert error(scim.get("/Users", params={"filter": query}), 400, "invalidFilter"), query

    # Entra ID checks a membership with a filter on the group's members.
    group = new_group(scim, babs)
    query = f'id eq "{group["id"]}" and members[value eq "{babs["id"]}"]'
    assert found_ids(scim.get("/Groups", params={"filter": query,
                                                 "excludedAttributes": "members"})) == [
        group["id"]]
    assert found_ids(scim.get("/Groups", params={
        "filter": f'id eq "{group["id"]}" and members[value eq "1"]'})) == []


def test_attributes_and_excluded_attributes_shape_every_response(scim):
    babs = new_person(scim)
    group = new_group(scim, babs)
    one = f"/Users/{babs['id']}"
    # Section 3.9's example: only the attribute asked for, besides schemas and id.
    assert scim.get(one, params={"attributes": "userName"}).json() == {
        "schemas": [USER], "id": babs["id"], "userName": babs["userName"]}
    assert scim.get(one, params={"attributes": f"{USER}:name.formatted,emails.value"}
                    ).json() == {"schemas": [USER], "id": babs["id"],
                                 "name": {"formatted": "Babs Jensen"},
                                 "emails": [{"value": babs["emails"][0]["value"]}]}
    left = scim.get(one, params={"excludedAttributes": "emails,groups,meta,name.formatted,id"})
    assert set(left.json()) == {"schemas", "id", "userName", "displayName", "externalId",
                                "active"}
    listed = scim.get("/Users", params={"filter": f'id eq "{babs["id"]}"',
                                        "excludedAttributes": "emails"}).json()["Resources"]
    assert "emails" not in listed[0] and listed[0]["groups"][0]["value"] == group["id"]
    assert scim.get("/Users", params={"filter": f'id eq "{babs["id"]}"',
                                      "attributes": "groups.display"}).json()["Resources"] == [
        {"schemas": [USER], "id": babs["id"], "groups": [{"display": group["displayName"]}]}]

    assert "members" not in scim.get(f"/Groups/{group['id']}",
                                     params={"excludedAttributes": "members"}).json()
    assert scim.get(f"/Groups/{group['id']}", params={"attributes": "displayName"}).json() == {
        "schemas": [GROUP], "id": group["id"], "displayName": group["displayName"]}
    # Any answer with a resource honours them, a PATCH's too.
    patched = scim.patch(one, params={"attributes": "displayName"}, json=patch(
        {"op": "replace", "path": "displayName", "value": "Barbara"}))
    assert patched.json() == {"schemas": [USER], "id": babs["id"], "displayName": "Barbara"}

    error(scim.get(one, params={"attributes": "userName", "excludedAttributes": "emails"}), 400)
    error(scim.get(one, params={"attributes": 'emails[type eq "work"]'}), 400)


def test_post_search_finds_users_groups_and_both(scim):
    tag = secrets.token_hex(4)
    babs = new_person(scim, displayName=f"Team {tag}")
    kim = new_person(scim)
    team = new_group(scim, babs, kim, name=f"Team {tag}")

    body = {"schemas": [SEARCH], "filter": f'userName eq "{babs["userName"]}"',
            "attributes": ["userName", "displayName"], "startIndex": 1, "count": 10,
            "sortBy": "userName", "sortOrder": "descending"}
    found = scim.post("/Users/.search", json=body)
    assert found.status_code == 200 and found.headers["content-type"].startswith(
        "application/scim+json")
    assert found.json()["Resources"] == [{"schemas": [USER], "id": babs["id"],
                                          "userName": babs["userName"],
                                          "displayName": f"Team {tag}"}]
    groups = scim.post("/Groups/.search", json={
        "schemas": [SEARCH], "filter": f'displayName eq "team {tag}"',
        "excludedAttributes": ["members"]}).json()
    assert groups["totalResults"] == 1 and "members" not in groups["Resources"][0]

    # The root searches both types: Users first, then Groups, paged as one list.
    both = {"schemas": [SEARCH], "filter": f'displayName eq "Team {tag}"'}
    everything = scim.post("/.search", json=both).json()
    assert everything["totalResults"] == 2
    assert [r["id"] for r in everything["Resources"]] == [babs["id"], team["id"]]
    second = scim.post("/.search", json={**both, "startIndex": 2, "count": 1}).json()
    assert second["totalResults"] == 2 and second["startIndex"] == 2
    assert [r["id"] for r in second["Resources"]] == [team["id"]]
    assert scim.post("/.search", json={**both, "count": 0}).json()["Resources"] == []
    # Groups have no userName; users have no members.
    assert found_ids(scim.post("/.search", json={
        "filter": f'userName eq "{babs["userName"]}"'})) == [babs["id"]]
    assert found_ids(scim.post("/.search", json={
        "filter": f'members[value eq "{kim["id"]}"]', "attributes": ["displayName"]})) == [
        team["id"]]

    error(scim.post("/Users/.search", json={"filter": 'userName co "b"'}), 400, "invalidFilter")
    error(scim.post("/.search", json={"filter": 'title eq "x"'}), 400, "invalidFilter")
    error(scim.post("/Groups/.search", json={"filter": 42}), 400, "invalidSyntax")
    error(scim.post("/Users/.search", json={"count": "many"}), 400, "invalidValue")


def test_the_published_schema_is_what_the_server_does(scim, user_schema):
    attributes = {a["name"]: a for a in user_schema["attributes"]}
    emails = {a["name"]: a for a in attributes["emails"]["subAttributes"]}
    assert attributes["emails"]["required"] and emails["value"]["required"]
    assert emails["type"]["mutability"] == emails["primary"]["mutability"] == "readOnly"
    assert attributes["active"]["required"] and attributes["userName"]["required"]
    group_schema = scim.get(f"/Schemas/{GROUP}").json()
    members = next(a for a in group_schema["attributes"] if a["name"] == "members")
    assert {a["name"]: a["mutability"] for a in members["subAttributes"]} == {
        "value": "immutable", "display": "readOnly", "$ref": "readOnly"}
    config = scim.get("/ServiceProviderConfig").json()
    assert config["patch"]["supported"] and config["filter"] == {"supported": True,
                                                                 "maxResults": 200}
    assert not any(config[f]["supported"] for f in ("bulk", "sort", "etag", "changePassword"))
    error(scim.get("/Schemas", params={"filter": 'id eq "x"'}), 403)

    # A client that sends exactly the required attributes creates a person.
    tag = secrets.token_hex(4)
    created = scim.post("/Users", json={"schemas": [USER], "userName": f"kim_{tag}",
                                        "active": True,
                                        "emails": [{"value": f"kim.{tag}@example.com"}]})
    assert created.status_code == 201, created.text
    # One without an e-mail value is told so, as emails.value is required.
    error(scim.post("/Users", json={"userName": f"lou_{tag}", "active": True, "emails": [
        {"value": f"lou.{tag}@example.com", "primary": True}, {"type": "home"}]}),
        400, "invalidValue")
    # Read-only sub-attributes are the server's: ignored when sent, refused when patched.
    home = new_person(scim, emails=[{"value": f"home.{tag}@example.com", "type": "home",
                                     "primary": False}])
    assert home["emails"] == [{"value": f"home.{tag}@example.com", "type": "work",
                               "primary": True}]
    error(scim.patch(f"/Users/{home['id']}", json=patch(
        {"op": "replace", "path": 'emails[type eq "work"].type', "value": "home"})),
        400, "mutability")
    group = new_group(scim, home)
    kim = created.json()["id"]
    kept = scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "add", "path": "members", "value": [{"value": kim, "display": "Someone"}]}))
    assert {m["value"]: m["display"] for m in kept.json()["members"]}[kim] == f"kim_{tag}"


def test_removing_an_attribute_leaves_it_absent_unless_the_schema_requires_it(scim,
                                                                            user_schema):
    babs = new_person(scim)
    for attribute in user_schema["attributes"]:
        name = attribute["name"]
        if attribute["mutability"] == "readOnly":
            error(scim.patch(f"/Users/{babs['id']}", json=patch(
                {"op": "remove", "path": name})), 400, "mutability")
            continue
        removed = scim.patch(f"/Users/{babs['id']}", json=patch({"op": "remove", "path": name}))
        if attribute["required"]:
            error(removed, 400, "mutability")
        else:
            assert removed.status_code == 200, removed.text
            assert name not in removed.json()
            assert name not in scim.get(f"/Users/{babs['id']}").json()
    # displayName and name are one value: removing one removed both.
    person = scim.get(f"/Users/{babs['id']}").json()
    assert {"displayName", "name", "externalId"}.isdisjoint(person)
    assert person["active"] is True and person["emails"] == babs["emails"]
    renamed = scim.patch(f"/Users/{babs['id']}", json=patch(
        {"op": "add", "path": "name.formatted", "value": "Barbara Jensen"})).json()
    assert renamed["displayName"] == "Barbara Jensen"


def test_rfc_patch_examples(scim):
    babs, kim, lou = new_person(scim), new_person(scim), new_person(scim)
    group = new_group(scim, lou)
    members = f"/Groups/{group['id']}"

    def member_ids(response: httpx.Response) -> set[str]:
        assert response.status_code == 200, response.text
        return {m["value"] for m in response.json().get("members", [])}

    # 3.5.2.1: add members.
    assert member_ids(scim.patch(members, json=patch({"op": "add", "path": "members", "value": [
        {"display": "Babs Jensen", "$ref": babs["meta"]["location"], "value": babs["id"]}]}))
    ) == {lou["id"], babs["id"]}
    # 3.5.2.1: add without a path; the one address we keep becomes the added one.
    added = scim.patch(f"/Users/{babs['id']}", json=patch({"op": "add", "value": {
        "emails": [{"value": f"babs.{babs['id']}@jensen.org", "type": "home"}],
        "nickname": "Babs"}})).json()
    assert added["emails"] == [{"value": f"babs.{babs['id']}@jensen.org", "type": "work",
                                "primary": True}]
    # 3.5.2.2: remove one member by a value filter, then all members.
    assert member_ids(scim.patch(members, json=patch(
        {"op": "remove", "path": f'members[value eq "{lou["id"]}"]'}))) == {babs["id"]}
    assert member_ids(scim.patch(members, json=patch({"op": "remove", "path": "members"}))) == set()
    # 3.5.2.2: remove, then add: the members replaced.
    assert member_ids(scim.patch(members, json=patch(
        {"op": "remove", "path": "members"},
        {"op": "add", "path": "members", "value": [{"value": kim["id"]}, {"value": lou["id"]}]}
    ))) == {kim["id"], lou["id"]}
    # 3.5.2.2: remove the work addresses at example.com: Kim's only address, which a person
    # cannot be without (mutability); a filter that matches nothing removes nothing.
    path = 'emails[type eq "work" and value ew "example.com"]'
    error(scim.patch(f"/Users/{kim['id']}", json=patch({"op": "remove", "path": path})),
          400, "mutability")
    assert scim.patch(f"/Users/{babs['id']}", json=patch({"op": "remove", "path": path})
                      ).json()["emails"] == added["emails"]
    # 3.5.2.3: replace all members; replace without a path (the primary address wins);
    # replace of attributes we do not keep (addresses) is accepted and changes nothing.
    assert member_ids(scim.patch(members, json=patch({"op": "replace", "path": "members",
                                                      "value": [{"value": babs["id"]}]}))) == {
        babs["id"]}
    replaced = scim.patch(f"/Users/{kim['id']}", json=patch(
        {"op": "replace", "value": {"emails": [
            {"value": f"kim.{kim['id']}@example.com", "type": "work", "primary": True},
            {"value": f"kim.{kim['id']}@jensen.org", "type": "home"}], "nickName": "Babs"}},
        {"op": "replace", "path": 'addresses[type eq "work"]', "value": {
            "type": "work", "streetAddress": "911 Universal City Plaza"}},
        {"op": "replace", "path": 'addresses[type eq "work"].streetAddress',
         "value": "1010 Broadway Ave"})).json()
    assert replaced["emails"][0]["value"] == f"kim.{kim['id']}@example.com"
    assert "addresses" not in replaced
    # Entra ID's form, and a filter that selects no address (noTarget, nothing changed).
    entra = scim.patch(f"/Users/{kim['id']}", json=patch(
        {"op": "Replace", "path": 'emails[type eq "work"].value',
         "value": f"kim2.{kim['id']}@example.com"})).json()
    assert entra["emails"][0]["value"] == f"kim2.{kim['id']}@example.com"
    error(scim.patch(f"/Users/{kim['id']}", json=patch(
        {"op": "replace", "path": 'emails[type eq "home"].value', "value": "x@example.com"})),
        400, "noTarget")
    assert scim.get(f"/Users/{kim['id']}").json()["emails"] == entra["emails"]


def test_malformed_patch_paths_are_refused_and_change_nothing(scim):
    babs = new_person(scim)
    group = new_group(scim, babs)
    one = f"/Users/{babs['id']}"
    for path in ['emails[type eq "work"', 'emails[type eq "work".value', "displayName]",
                 'emails[type eq "work"]]', "emails..value", 'emails[type eq work].value',
                 "display name", "", 'emails[type eq "work"].value.x', "name.formatted.x",
                 'emails[type xx "work"].value']:
        response = scim.patch(one, json=patch(
            {"op": "replace", "path": "displayName", "value": "Changed"},
            {"op": "replace", "path": path, "value": "changed@example.com"}))
        assert error(response, 400, "invalidPath"), path
    for path in ['displayName[value eq "x"]', "userName.first", 'active[value eq true]']:
        error(scim.patch(one, json=patch({"op": "replace", "path": path, "value": "x"})),
              400, "invalidPath")
    error(scim.patch(one, json=patch({"op": "replace", "value": {"displayName]": "x"}})),
          400, "invalidValue")
    after = scim.get(one).json()
    assert [after[a] for a in ("displayName", "emails", "userName")] == [
        babs[a] for a in ("displayName", "emails", "userName")]

    for path in ['members[value eq "1"', "members]", "description", 'displayName[value eq "x"]',
                 'members[value eq "1"].value.x']:
        error(scim.patch(f"/Groups/{group['id']}", json=patch(
            {"op": "remove", "path": path})), 400, "invalidPath")
    error(scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "remove", "path": 'members[display eq "babs"]'})), 400, "invalidFilter")
    error(scim.patch(f"/Groups/{group['id']}", json=patch(
        {"op": "remove", "path": "displayName"})), 400, "mutability")
    assert [m["value"] for m in scim.get(f"/Groups/{group['id']}").json()["members"]] == [
        babs["id"]]


def test_a_deleted_user_is_gone_for_the_directory_but_a_deactivated_one_is_not(scim):
    deactivated, deleted = new_person(scim), new_person(scim)
    scim.patch(f"/Users/{deactivated['id']}", json=patch(
        {"op": "replace", "path": "active", "value": False})).raise_for_status()
    assert found_ids(scim.get("/Users", params={
        "filter": f'userName eq "{deactivated["userName"]}"'})) == [deactivated["id"]]
    assert scim.delete(f"/Users/{deleted['id']}").status_code == 204
    error(scim.get(f"/Users/{deleted['id']}"), 404)
    assert found_ids(scim.get("/Users", params={
        "filter": f'userName eq "{deleted["userName"]}"'})) == []
    error(scim.delete(f"/Users/{deleted['id']}"), 404)
    error(scim.patch(f"/Users/{deleted['id']}", json=patch(
        {"op": "replace", "path": "active", "value": True})), 404)
