"""Directory import and export: an admin loads thousands of people and their groups from a CSV,
sees beforehand exactly what will change, and can run the same file again safely."""

from __future__ import annotations

import secrets

import httpx
import pytest

from support import PASSWORD

IMPORT = "/api/zwitscher/v1/admin/directory/import"
EXPORT = "/api/zwitscher/v1/admin/directory/export"
AUDIT = "/api/zwitscher/v1/admin/audit_log"
HEADER = "username,email,display_name,role,groups,external_id\n"


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


def upload(user, csv_text: str, **options) -> httpx.Response:
    return user.http.post(IMPORT, params={k: str(v).lower() for k, v in options.items()},
                          content=csv_text.encode(), headers={"content-type": "text/csv"})


def imported(user, csv_text: str, **options) -> dict:
    response = upload(user, csv_text, **options)
    assert response.status_code == 200, response.text
    return response.json()


def changes(report: dict) -> dict:
    return {key: value for key, value in report.items() if key not in ("dry_run", "errors")}


def lookup(user, username: str) -> int:
    return user.http.get("/api/v1/accounts/lookup", params={"acct": username}).status_code


def test_5000_people_into_200_groups_the_dry_run_reports_what_the_import_then_does(admin):
    tag = secrets.token_hex(3)
    regions = [f"region{r}-{tag}" for r in range(20)]
    branches = [f"{regions[b % 20]}/branch{b}-{tag}" for b in range(180)]
    lines = [HEADER]
    for n in range(5000):
        lines.append(f"p{n}_{tag},p{n}_{tag}@example.org,Person {n},member,"
                     f"{branches[n % 180]};{regions[n % 20]},ext-{tag}-{n}\n")
    csv_text = "".join(lines)

    dry = imported(admin, csv_text, dry_run=True)
    assert dry["dry_run"] is True and dry["errors"] == []
    assert len(dry["accounts_created"]) == 5000
    assert len(dry["groups_created"]) == 200
    assert len(dry["memberships_added"]) == 10000
    assert lookup(admin, f"p0_{tag}") == 404  # a dry run changes nothing

    # Welcome e-mails to imported people: tests/test_password_links.py.
    real = imported(admin, csv_text, welcome=False)
    assert real["dry_run"] is False
    assert changes(real) == changes(dry)
    assert lookup(admin, f"p4999_{tag}") == 200

    again = imported(admin, csv_text)
    assert all(value == [] for value in changes(again).values())

    groups = admin.http.get("/api/zwitscher/v1/groups", params={"q": f"region7-{tag}"})
    region = next(g for g in groups.json() if g["slug"] == f"region7-{tag}")
    members = admin.http.get(f"/api/zwitscher/v1/groups/{region['id']}/members",
                             params={"limit": 40})
    assert len(members.json()) == 40


def test_a_file_with_malformed_rows_is_reported_by_line_and_nothing_is_imported(admin):
    tag = secrets.token_hex(3)
    csv_text = (HEADER
                + f"good_{tag},good_{tag}@example.org,Good,member,team-{tag},\n"
                + f"bad_{tag},not-an-email,Bad,member,,\n"
                + f"chief_{tag},chief_{tag}@example.org,Chief,emperor,,\n"
                + f"short_{tag},short_{tag}@example.org\n"
                + f"paths_{tag},paths_{tag}@example.org,,member,Not A Slug,\n"
                + f"good_{tag},again_{tag}@example.org,,,,\n")
    response = upload(admin, csv_text)
    assert response.status_code == 422, response.text
    body = response.json()
    assert "nothing was imported" in body["error"]
    assert {error["line"] for error in body["errors"]} == {3, 4, 5, 6, 7}
    assert any("Email" in e["message"] for e in body["errors"] if e["line"] == 3)
    assert any("Role" in e["message"] for e in body["errors"] if e["line"] == 4)
    assert lookup(admin, f"good_{tag}") == 404
    assert f"team-{tag}" not in admin.http.get(EXPORT).text


def test_export_round_trips_through_import_and_keeps_names_parents_and_ids(admin, server,
                                                                           tmp_path):
    tag = secrets.token_hex(3)
    csv_text = (HEADER
                + f",,Sales Europe,,sales-{tag},grp-{tag}\n"
                + f",,Sales Berlin,,sales-{tag}/berlin-{tag},\n"
                + f"ana_{tag},ana_{tag}@example.org,Ana,communicator,sales-{tag}/berlin-{tag},"
                  f"e-{tag}\n")
    report = imported(admin, csv_text)
    assert report["groups_created"] == sorted([f"sales-{tag}", f"berlin-{tag}"])

    exported = admin.http.get(EXPORT)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert f",,Sales Berlin,,sales-{tag}/berlin-{tag},\n" in exported.text
    assert (f"ana_{tag},ana_{tag}@example.org,Ana,communicator,sales-{tag}/berlin-{tag},"
            f"e-{tag}\n") in exported.text
    again = imported(admin, exported.text, dry_run=True)
    assert all(value == [] for value in changes(again).values())

    # The command line writes and reads the same format.
    path = tmp_path / "directory.csv"
    server.cli("groups", "export", str(path))
    assert f"sales-{tag}/berlin-{tag}" in path.read_text()
    output = server.cli("groups", "import", str(path), "--dry-run")
    assert '"accounts_created": []' in output and '"groups_updated": []' in output


def test_sync_memberships_takes_people_out_of_groups_the_file_no_longer_lists(admin):
    tag = secrets.token_hex(3)
    imported(admin, HEADER + f"kim_{tag},kim_{tag}@example.org,,,a-{tag};b-{tag},\n")
    kept = imported(admin, HEADER + f"kim_{tag},kim_{tag}@example.org,,,a-{tag},\n")
    assert kept["memberships_removed"] == []
    synced = imported(admin, HEADER + f"kim_{tag},kim_{tag}@example.org,,,a-{tag},\n",
                      sync_memberships=True)
    assert synced["memberships_removed"] == [[f"b-{tag}", f"kim_{tag}"]]
    removed = admin.http.get(AUDIT, params={"action": "group.members_removed"}).json()
    assert any(entry["details"].get("source") == "directory import" for entry in removed)


def test_imported_people_cannot_sign_in_with_any_password_until_they_get_one(admin, users,
                                                                             server):
    tag = secrets.token_hex(3)
    imported(admin, HEADER + f"lea_{tag},lea_{tag}@example.org,Lea,,,\n")
    for password in (PASSWORD, "!provisioned-by-directory", ""):
        response = httpx.post(f"{server.base_url}/oauth/token", data={
            "grant_type": "password", "username": f"lea_{tag}@example.org",
            "password": password, "client_id": users.client_id,
            "client_secret": users.client_secret, "scope": "read"})
        assert response.status_code == 400, response.text
    created = admin.http.get(AUDIT, params={"action": "account.created"}).json()
    assert any(entry["details"].get("username") == f"lea_{tag}" for entry in created)


def test_only_admins_import_and_export_and_other_uploads_are_refused(admin, new_user):
    member = new_user()
    assert upload(member, HEADER).status_code == 403
    assert member.http.get(EXPORT).status_code == 403
    wrong_type = admin.http.post(IMPORT, json={"username": "x"})
    assert wrong_type.status_code == 415 and "error" in wrong_type.json()
    no_header = upload(admin, "alice,alice@example.org\n")
    assert no_header.status_code == 422
    assert no_header.json()["errors"][0]["line"] == 1
    multipart = admin.http.post(IMPORT, files={"file": ("d.csv", HEADER.encode(), "text/csv")},
                                data={"dry_run": "true"})
    assert multipart.status_code == 200 and multipart.json()["dry_run"] is True
