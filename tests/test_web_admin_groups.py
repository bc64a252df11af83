"""The console's groups (without JavaScript): the tree, creating, renaming, moving and deleting
groups, members added many at once by pasting names, the CSV import after its dry run, the
export; every page and action refused (403, nothing changed) to whoever may not use it."""

from __future__ import annotations

import re
import secrets

import pytest

from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

GROUPS = "/web/admin/groups"
IMPORT = f"{GROUPS}/import"


def _slug(name: str) -> str:
    return f"{name}-{secrets.token_hex(3)}"


def _group(admin, name: str, parent: dict | None = None) -> dict:
    data = {"name": name, "slug": _slug(name.lower().replace(" ", "-"))}
    if parent:
        data["parent_id"] = parent["id"]
    response = admin.http.post("/api/zwitscher/v1/groups", data=data)
    assert response.status_code == 200, response.text
    return response.json()


def _add(admin, group: dict, *people, role: str = "member") -> None:
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
        "account_ids[]": [p.id for p in people], "role": role}).raise_for_status()


def _members(admin, group: dict) -> dict[str, str]:
    response = admin.http.get(f"/api/zwitscher/v1/groups/{group['id']}/members",
                              params={"limit": 200})
    return {entry["username"]: entry["group_role"] for entry in response.json()}


def _show(admin, group: dict) -> dict:
    return admin.http.get(f"/api/zwitscher/v1/groups/{group['id']}").json()


def _slugs(admin) -> set[str]:
    return {g["slug"] for g in admin.http.get("/api/zwitscher/v1/groups",
                                              params={"limit": 200}).json()}


def _post(web: WebClient, page: str, action: str, fields: dict, files=None):
    token = csrf_of(web.get(page))
    return web.http.post(action, data={"csrf": token, **fields}, files=files)


def _upload(web: WebClient, content: bytes, **options):
    return _post(web, IMPORT, IMPORT, options,
                 files={"file": ("people.csv", content, "text/csv")})


def _hidden(page, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page.text)
    assert match, f"no {name} on the page"
    return match.group(1)


def _apply_fields(page) -> dict:
    return {name: _hidden(page, name) for name in ("payload", "fingerprint", "seal", "sync",
                                                   "welcome")}


@pytest.fixture
def admin(new_user):
    return new_user(role="admin")


# The tree and the groups' own pages.

def test_admins_see_every_group_indented_and_managers_only_the_groups_below_theirs(
        server, admin, new_user):
    top = _group(admin, "Europe")
    child = _group(admin, "Sales Berlin", top)
    other = _group(admin, "Press office")
    manager, member = new_user(), new_user()
    _add(admin, top, manager, role="manager")
    _add(admin, child, member)
    page = signed_in(server, admin).get(GROUPS)
    assert page.status_code == 200
    # The child is listed inside its parent's item, with its member count.
    europe = page.text.index(f'href="{GROUPS}/{top["id"]}"')
    nested = page.text.index(f'href="{GROUPS}/{child["id"]}"')
    assert europe < nested and "<ul>" in page.text[europe:nested]
    assert "Press office" in page.text and "1 member" in page.text
    seen_by_manager = signed_in(server, manager).get(GROUPS)
    assert seen_by_manager.status_code == 200
    assert "Sales Berlin" in seen_by_manager.text and "Europe" in seen_by_manager.text
    assert f'{GROUPS}/{other["id"]}"' not in seen_by_manager.text
    assert "Import from a CSV file" not in seen_by_manager.text


def test_an_admin_creates_renames_moves_and_deletes_a_group_after_confirming(server, admin):
    web = signed_in(server, admin)
    parent = _group(admin, "Engineering")
    slug = _slug("platform")
    created = _post(web, GROUPS, GROUPS, {"name": "Platform", "slug": slug, "parent": ""})
    assert created.status_code == 200 and "The group was created." in created.text
    group_path = created.url.path
    group = {"id": group_path.rsplit("/", 1)[1]}
    assert _show(admin, group)["slug"] == slug
    renamed = _post(web, group_path, group_path, {
        "name": "Platform team", "description": "Runs the servers", "parent": parent["id"]})
    assert "Saved." in renamed.text
    shown = _show(admin, group)
    assert (shown["name"], shown["description"], shown["parent_id"]) == (
        "Platform team", "Runs the servers", parent["id"])
    confirm = web.get(f"{group_path}/delete")
    assert "Delete the group “Platform team”?" in confirm.text
    deleted = _post(web, f"{group_path}/delete", f"{group_path}/delete", {})
    assert deleted.url.path == GROUPS and "was deleted" in deleted.text
    assert admin.http.get(f"/api/zwitscher/v1/groups/{group['id']}").status_code == 404


def test_moving_a_group_below_itself_or_its_descendant_is_explained_and_changes_nothing(
        server, admin):
    web = signed_in(server, admin)
    top = _group(admin, "Region")
    below = _group(admin, "Office", top)
    path = f"{GROUPS}/{top['id']}"
    for target in (below["id"], top["id"]):
        refused = _post(web, path, path, {"name": "Renamed", "description": "",
                                          "parent": target})
        assert refused.status_code == 422
        assert "A group cannot be moved below itself" in refused.text
        assert 'value="Renamed"' in refused.text  # the form is kept
    shown = _show(admin, top)
    assert shown["name"] == "Region" and shown["parent_id"] is None
    # The list of places offers neither the group nor what is below it.
    page = web.get(path)
    place = page.text[page.text.index('id="parent"'):]
    place = place[:place.index("</select>")]
    assert below["id"] not in place and f'value="{top["id"]}"' not in place


def test_bad_group_fields_are_explained_in_german_and_nothing_is_created(server, admin):
    web = signed_in(server, admin)
    web.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    before = _slugs(admin)
    refused = _post(web, GROUPS, GROUPS, {"name": "Fine name", "slug": "Not A Slug!", "parent": ""})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert "Kleinbuchstaben" in refused.text
    assert _slugs(admin) == before
    web.submit("/web/home", "/web/language", {"language": "en", "back": "/web/home"})


def test_a_manager_creates_groups_below_theirs_but_not_at_the_top(server, admin, new_user):
    team = _group(admin, "Team")
    manager = new_user()
    _add(admin, team, manager, role="manager")
    web = signed_in(server, manager)
    slug = _slug("squad")
    created = _post(web, GROUPS, GROUPS, {"name": "Squad", "slug": slug, "parent": team["id"]})
    assert created.status_code == 200 and slug in _slugs(admin)
    top_slug = _slug("rogue")
    refused = _post(web, GROUPS, GROUPS, {"name": "Rogue", "slug": top_slug, "parent": ""})
    assert refused.status_code == 403 and "Nothing was changed." in refused.text
    assert top_slug not in _slugs(admin)


# Members.

def test_pasted_usernames_and_addresses_are_added_at_once_as_members_or_managers(
        server, admin, new_user):
    group = _group(admin, "Field staff")
    ana, ben, cleo, dan = (new_user() for _ in range(4))
    web = signed_in(server, admin)
    path = f"{GROUPS}/{group['id']}"
    pasted = f"@{ana.username}\n{ben.email.upper()}, {cleo.username};  \n"
    added = _post(web, path, f"{path}/members", {"names": pasted, "role": "member"})
    assert added.status_code == 200 and "The people were added." in added.text
    _post(web, path, f"{path}/members", {"names": dan.username, "role": "manager"})
    assert _members(admin, group) == {ana.username: "member", ben.username: "member",
                                      cleo.username: "member", dan.username: "manager"}
    page = web.get(path)
    assert f"@{dan.username}" in page.text
    assert page.text.index("Managers") < page.text.index(f"@{dan.username}") \
        < page.text.index(f"@{ana.username}")
    removed = _post(web, path, f"{path}/members/remove", {"account": ana.id})
    assert "Removed from the group." in removed.text
    assert ana.username not in _members(admin, group)


def test_unknown_pasted_names_are_listed_and_nobody_is_added(server, admin, new_user):
    group = _group(admin, "Warehouse")
    ana = new_user()
    web = signed_in(server, admin)
    path = f"{GROUPS}/{group['id']}"
    refused = _post(web, path, f"{path}/members", {
        "names": f"{ana.username}, nobody_here_1 ghost@example.invalid", "role": "member"})
    assert refused.status_code == 422
    assert "Nobody was added" in refused.text
    assert "nobody_here_1" in refused.text and "ghost@example.invalid" in refused.text
    assert ana.username in refused.text  # the pasted list is kept to fix it
    assert _members(admin, group) == {}
    empty = _post(web, path, f"{path}/members", {"names": " , ", "role": "member"})
    assert empty.status_code == 422 and _members(admin, group) == {}


# The CSV import.

def _csv(*rows: str) -> bytes:
    return ("username,email,display_name,role,groups,external_id\n"
            + "\n".join(rows) + "\n").encode()


def test_the_import_shows_its_plan_as_a_table_and_applies_exactly_that(server, admin):
    web = signed_in(server, admin)
    tag = secrets.token_hex(3)
    region, office = f"emea-{tag}", f"berlin-{tag}"
    content = _csv(f",,Europe {tag},,{region},",
                   f"ana_{tag},ana_{tag}@example.org,Ana Lima,,{region}/{office},",
                   f"ben_{tag},ben_{tag}@example.org,Ben Ott,,{region},")
    plan = _upload(web, content, welcome="")
    assert plan.status_code == 200
    assert "What the import will change" in plan.text
    for cell in ("New person", f"@ana_{tag}", "New group", region, office, "Added to a group"):
        assert cell in plan.text
    assert "Apply these 6 changes" in plan.text
    assert region not in _slugs(admin)  # a dry run changes nothing
    done = web.http.post(f"{IMPORT}/apply", data={"csrf": csrf_of(plan), **_apply_fields(plan)})
    assert done.status_code == 200 and "The import is done." in done.text
    assert "2 people created" in done.text and "2 groups created" in done.text
    assert {region, office} <= _slugs(admin)
    again = _upload(web, content)
    assert "there is nothing to change" in again.text and "Apply" not in again.text


def test_the_import_is_not_applied_when_the_directory_changed_after_the_dry_run(server, admin):
    web = signed_in(server, admin)
    tag = secrets.token_hex(3)
    plan = _upload(web, _csv(f"cara_{tag},cara_{tag}@example.org,Cara,,team-{tag},"))
    fields = _apply_fields(plan)
    _group(admin, "Someone was quicker", None)
    admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Team", "slug": f"team-{tag}"}).raise_for_status()
    changed = web.http.post(f"{IMPORT}/apply", data={"csrf": csrf_of(plan), **fields})
    assert changed.status_code == 409
    assert "The directory changed after the dry run" in changed.text
    assert "New group" not in changed.text  # the new plan, as it stands now
    assert admin.http.get("/api/v1/accounts/lookup",
                          params={"acct": f"cara_{tag}"}).status_code == 404
    for tampered in (dict(_apply_fields(changed), fingerprint="0" * 64),
                     dict(_apply_fields(changed), seal="ä" * 64),
                     dict(_apply_fields(changed), payload="bm90IHpsaWI=")):
        refused = web.http.post(f"{IMPORT}/apply", data={"csrf": csrf_of(changed), **tampered})
        assert refused.status_code == 422 and "could not be checked" in refused.text
    assert admin.http.get("/api/v1/accounts/lookup",
                          params={"acct": f"cara_{tag}"}).status_code == 404


LATIN_1 = "username,email,display_name\njürgen,j@example.org,Jürgen Groß\n"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "The file is empty"),
    (LATIN_1.encode("latin-1"), "The file is not UTF-8 text"),
    (LATIN_1.encode("utf-16"), "The file is UTF-16 text"),
    (LATIN_1.encode("utf-16-le"), "The file is UTF-16 text"),
    (b"username;email;display_name\nzoe;zoe@example.org;Zoe\n", "separated by semicolons"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "This is not a CSV file"),
    (b"Dear team,\nplease find attached\n", "This is not the directory CSV"),
    (b"username,email\n" + b"a,b\n" * 50_000, "The file has 50,000 rows; at most 10,000"),
])
def test_a_file_that_is_not_the_directory_csv_is_explained_and_nothing_is_imported(
        server, admin, content, message):
    web = signed_in(server, admin)
    before = _slugs(admin)
    refused = _upload(web, content)
    assert refused.status_code == 422
    assert message in refused.text and 'role="alert"' in refused.text
    assert "Apply" not in refused.text and 'type="file"' in refused.text
    assert _slugs(admin) == before


def test_rows_with_problems_are_listed_by_line_and_nothing_is_imported(server, admin):
    web = signed_in(server, admin)
    tag = secrets.token_hex(3)
    row = f"dup_{tag},dup_{tag}@example.org,Dup,,grp-{tag},"
    refused = _upload(web, _csv(row, f"ok_{tag},ok_{tag}@example.org,Ok,,grp-{tag},", row,
                                f"bad_{tag},not-an-address,Bad,,,"))
    assert refused.status_code == 422
    assert "Nothing was imported" in refused.text
    assert "is also on line 2" in refused.text and "Apply" not in refused.text
    assert re.search(r'<th scope="row">4</th>', refused.text)
    assert f"grp-{tag}" not in _slugs(admin)


def test_line_problems_are_worded_in_the_readers_language(server, admin):
    web = WebClient(server.base_url, language="de")
    web.sign_in(admin.username)
    web.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    tag = secrets.token_hex(3)
    row = f"twice_{tag},twice_{tag}@example.org,Twice,,,"
    refused = _upload(web, _csv(row, row, f"bad_{tag},bad_{tag}@example.org,Bad,emperor,,"))
    assert refused.status_code == 422
    assert f"@twice_{tag} steht auch in Zeile 2" in refused.text
    assert "Die Rolle muss eine von diesen sein: owner, admin" in refused.text
    web.submit("/web/home", "/web/language", {"language": "en", "back": "/web/home"})


def test_fifty_thousand_people_are_refused_whole_with_the_limit_named(server, admin):
    web = signed_in(server, admin)
    tag = secrets.token_hex(3)
    content = _csv(*(f"p{i}_{tag},p{i}_{tag}@example.org,Person {i},,big-{tag}," for i in
                     range(50_000)))
    refused = _upload(web, content)
    assert refused.status_code == 422 and "at most 10,000 are imported here" in refused.text
    assert "Apply" not in refused.text
    assert f"big-{tag}" not in _slugs(admin)


def test_the_export_downloads_the_directory_in_the_import_format(server, admin):
    group = _group(admin, "Exported")
    response = signed_in(server, admin).get(f"{GROUPS}/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0] == "username,email,display_name,role,groups,external_id"
    assert f",,Exported,,{group['slug']}," in lines
    assert f"{admin.username},{admin.email}" in response.text


# Who may do what.

@pytest.fixture
def setting(admin, new_user):
    """A group with a member, and its neighbour with its own manager."""
    group, neighbour = _group(admin, "Guarded"), _group(admin, "Neighbour")
    member = new_user()
    _add(admin, group, member)
    outsider = new_user()
    _add(admin, neighbour, outsider, role="manager")
    return group, member, outsider


def _attempts(group: dict, member) -> list[tuple[str, str, dict]]:
    path = f"{GROUPS}/{group['id']}"
    return [
        ("get", path, {}),
        ("get", f"{path}/delete", {}),
        ("post", path, {"name": "Taken over", "description": "", "parent": ""}),
        ("post", f"{path}/members", {"names": member.username, "role": "manager"}),
        ("post", f"{path}/members/remove", {"account": member.id}),
        ("post", f"{path}/delete", {}),
    ]


def _nothing_changed(admin, group: dict, member) -> None:
    shown = _show(admin, group)
    assert shown["name"] == "Guarded"
    assert _members(admin, group) == {member.username: "member"}


@pytest.mark.parametrize("role", ["member", "guest", "moderator", "communicator", "manager"])
def test_every_page_and_action_is_refused_to_who_may_not_use_it(server, admin, new_user,
                                                                 setting, role):
    group, member, outsider = setting
    person = outsider if role == "manager" else new_user(role=None if role == "member"
                                                         else role)
    web = signed_in(server, person)
    token = csrf_of(web.get("/web/settings"))
    attempts = _attempts(group, member) + [
        ("get", IMPORT, {}), ("get", f"{GROUPS}/export", {}),
        ("post", IMPORT, {}), ("post", f"{IMPORT}/apply", {"payload": "", "seal": ""})]
    if role != "manager":
        attempts += [("get", GROUPS, {}),
                     ("post", GROUPS, {"name": "Mine", "slug": _slug("mine"), "parent": ""})]
    before = _slugs(admin)
    for method, path, fields in attempts:
        if method == "get":
            response = web.get(path)
        else:
            response = web.http.post(path, data={"csrf": token, **fields},
                                     files={"file": ("a.csv", _csv("x,x@example.org,,,,"))}
                                     if path == IMPORT else None)
        assert response.status_code == 403, (method, path)
        assert "Nothing was changed." in response.text, (method, path)
        _nothing_changed(admin, group, member)
    assert _slugs(admin) == before


def test_forms_without_their_token_change_nothing(server, admin, setting):
    group, member, _ = setting
    web = signed_in(server, admin)
    csrf_of(web.get(GROUPS))
    attempts = _attempts(group, member)[2:] + [
        ("post", GROUPS, {"name": "Forged", "slug": _slug("forged"), "parent": ""})]
    before = _slugs(admin)
    for _, path, fields in attempts:
        for token in ({}, {"csrf": "0" * 64}):
            response = web.http.post(path, data={**token, **fields})
            assert response.status_code == 403, path
            _nothing_changed(admin, group, member)
    plan = _upload(web, _csv(f"forged_{secrets.token_hex(3)},f@example.org,,,,"))
    forged = web.http.post(f"{IMPORT}/apply", data=_apply_fields(plan))
    assert forged.status_code == 403
    assert _slugs(admin) == before


def test_unknown_and_malformed_group_ids_are_not_found_for_admins(server, admin):
    web = signed_in(server, admin)
    for raw in ("123456789", "abc", "-1", "9" * 30):
        assert web.get(f"{GROUPS}/{raw}").status_code == 404
