"""The console's reports, without JavaScript: moderators see the open (and resolved) reports,
a report with its reported posts and the reporter's words, resolve and reopen it, delete a
reported post after a confirmation, limit the account (or lift the limit); admins also suspend
the account. A group's moderators handle the reports about its members and meet no other.
Everyone else gets the 403 page and nothing changes."""

from __future__ import annotations

import secrets

import pytest

from web_support import csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")


@pytest.fixture(scope="module")
def staff(users):
    return users.create(role="moderator"), users.create(role="admin")


@pytest.fixture
def reported(new_user):
    """Someone reported a post of Max's, with a comment."""
    reporter, target = new_user(), new_user(display_name="Max Muster")
    status = target.api.status_post("Kauft <b>billige</b> Uhren!")
    response = reporter.http.post("/api/v1/reports", data={
        "account_id": target.id, "status_ids[]": status["id"], "category": "spam",
        "comment": "Werbung <script>alert(1)</script>"})
    assert response.status_code == 200, response.text
    return response.json(), status, reporter, target


def _admin_view(staff_member, report: dict) -> dict:
    return staff_member.http.get(f"/api/v1/admin/reports/{report['id']}").json()


def test_a_moderator_sees_the_queue_and_the_report_and_resolves_it(server, staff, reported):
    moderator, _ = staff
    report, status, reporter, target = reported
    web = signed_in(server, moderator)
    queue = web.get("/web/admin/reports")
    assert queue.status_code == 200
    assert f'href="/web/admin/reports/{report["id"]}"' in queue.text and "Max Muster" in queue.text
    assert "Spam" in queue.text

    page = web.get(f"/web/admin/reports/{report['id']}")
    assert page.status_code == 200
    assert "Report about Max Muster" in page.text and "Spam" in page.text
    assert "Werbung &lt;script&gt;alert(1)&lt;/script&gt;" in page.text  # the comment, as text
    assert f'id="status-{status["id"]}"' in page.text  # the reported post is shown
    assert "billige" in page.text and f"@{reporter.username}" in page.text
    assert "Only admins can suspend an account." in page.text
    assert f'/web/admin/reports/{report["id"]}/suspend"' not in page.text

    resolved = web.submit(page.url.path, f"/web/admin/reports/{report['id']}/resolve", {})
    assert "The report is resolved." in resolved.text
    assert _admin_view(moderator, report)["action_taken"] is True
    assert f'/web/admin/reports/{report["id"]}"' not in web.get("/web/admin/reports").text
    assert f'/web/admin/reports/{report["id"]}"' in web.get(
        "/web/admin/reports?resolved=true").text

    reopened = web.submit(page.url.path, f"/web/admin/reports/{report['id']}/reopen", {})
    assert "The report is open again." in reopened.text
    assert _admin_view(moderator, report)["action_taken"] is False


def test_a_moderator_deletes_a_reported_post_after_confirming(server, staff, reported):
    moderator, _ = staff
    report, status, _, target = reported
    web = signed_in(server, moderator)
    path = f"/web/admin/reports/{report['id']}/statuses/{status['id']}/delete"
    confirm = web.get(path)
    assert confirm.status_code == 200 and "Delete this post by Max Muster?" in confirm.text
    assert target.http.get(f"/api/v1/statuses/{status['id']}").status_code == 200
    deleted = web.submit(path, path, {})
    assert "The post was deleted." in deleted.text
    assert "The reported posts were deleted." in deleted.text
    assert target.http.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert _admin_view(moderator, report)["action_taken"] is False  # still to be resolved


def test_only_reported_posts_can_be_deleted_from_a_report(server, staff, reported):
    moderator, _ = staff
    report, _, _, target = reported
    other = target.api.status_post("Nicht gemeldet")
    web = signed_in(server, moderator)
    path = f"/web/admin/reports/{report['id']}/statuses/{other['id']}/delete"
    assert web.get(path).status_code == 404
    token = csrf_of(web.get(f"/web/admin/reports/{report['id']}"))
    assert web.http.post(path, data={"csrf": token}).status_code == 404
    assert target.http.get(f"/api/v1/statuses/{other['id']}").status_code == 200
    for bad in ("/web/admin/reports/999", "/web/admin/reports/x",
                f"/web/admin/reports/{report['id']}/statuses/x/delete"):
        assert web.get(bad).status_code == 404, bad
    assert web.http.post("/web/admin/reports/999/resolve",
                         data={"csrf": token}).status_code == 404


def test_an_admin_suspends_the_reported_account(server, staff, reported):
    moderator, admin = staff
    report, _, _, target = reported
    web = signed_in(server, admin)
    page = web.get(f"/web/admin/reports/{report['id']}")
    path = f"/web/admin/reports/{report['id']}/suspend"
    assert f'href="{path}"' in page.text
    assert "Suspend" in web.get(path).text
    assert _admin_view(admin, report)["target_account"]["disabled"] is False
    suspended = web.submit(path, path, {})
    assert "The account is suspended and the report resolved." in suspended.text
    seen = _admin_view(admin, report)
    assert seen["target_account"]["disabled"] is True and seen["action_taken"] is True
    assert target.http.get("/api/v1/accounts/verify_credentials").status_code == 401

    # A moderator is refused by the service, with its reason, and nothing changes.
    another = signed_in(server, moderator)
    token = csrf_of(another.get(f"/web/admin/reports/{report['id']}"))
    refused = another.http.post(path, data={"csrf": token})
    assert refused.status_code == 403 and "Only admins may deactivate people" in refused.text


def test_who_may_not_use_reports_gets_403_and_nothing_changes(server, staff, reported, users,
                                                               new_user):
    moderator, _ = staff
    report, status, reporter, target = reported
    base = f"/web/admin/reports/{report['id']}"
    for person in (new_user(), users.create(role="guest"), users.create(role="communicator"),
                   reporter):
        web = signed_in(server, person)
        token = csrf_of(web.get("/web/home"))
        for page in ("/web/admin/reports", base, f"{base}/suspend", f"{base}/limit",
                     f"{base}/statuses/{status['id']}/delete"):
            assert web.get(page).status_code == 403, page
        for action in (f"{base}/resolve", f"{base}/reopen", f"{base}/suspend", f"{base}/limit",
                       f"{base}/unlimit", f"{base}/statuses/{status['id']}/delete"):
            refused = web.http.post(action, data={"csrf": token})
            assert refused.status_code == 403 and "Nothing was changed." in refused.text
    seen = _admin_view(moderator, report)
    assert seen["action_taken"] is False and seen["target_account"]["disabled"] is False
    assert seen["target_account"]["silenced"] is False
    assert target.http.get(f"/api/v1/statuses/{status['id']}").status_code == 200


def test_report_forms_without_their_token_change_nothing(server, staff, reported):
    _, admin = staff
    report, status, _, target = reported
    web = signed_in(server, admin)
    base = f"/web/admin/reports/{report['id']}"
    for action in (f"{base}/resolve", f"{base}/suspend", f"{base}/limit", f"{base}/unlimit",
                   f"{base}/statuses/{status['id']}/delete"):
        for data in ({}, {"csrf": "0" * 64}):
            assert web.http.post(action, data=data).status_code == 403, action
    seen = _admin_view(admin, report)
    assert seen["action_taken"] is False and seen["target_account"]["disabled"] is False
    assert target.http.get(f"/api/v1/statuses/{status['id']}").status_code == 200


def test_a_moderator_limits_the_reported_account_and_can_lift_it(server, staff, reported):
    moderator, admin = staff
    report, _, _, target = reported
    web = signed_in(server, moderator)
    base = f"/web/admin/reports/{report['id']}"
    assert f'href="{base}/limit"' in web.get(base).text
    confirm = web.get(f"{base}/limit")
    assert "Limit Max Muster?" in confirm.text
    assert _admin_view(admin, report)["target_account"]["silenced"] is False
    limited = web.submit(f"{base}/limit", f"{base}/limit", {})
    assert "The account is limited and the report resolved." in limited.text
    seen = _admin_view(admin, report)
    assert seen["target_account"]["silenced"] is True and seen["action_taken"] is True
    assert target.http.get(f"/api/v1/accounts/{target.id}").json()["limited"] is True
    # Limited, not suspended: they still sign in and post.
    assert target.http.get("/api/v1/accounts/verify_credentials").status_code == 200

    lifted = web.submit(base, f"{base}/unlimit", {})
    assert "The limit is lifted." in lifted.text
    assert _admin_view(admin, report)["target_account"]["silenced"] is False


def test_moderators_and_admins_cannot_be_limited(server, staff, new_user):
    moderator, admin = staff
    reporter = new_user()
    report = reporter.http.post("/api/v1/reports", data={
        "account_id": admin.id, "comment": "Hat mich geärgert"}).json()
    web = signed_in(server, moderator)
    base = f"/web/admin/reports/{report['id']}"
    assert f'href="{base}/limit"' not in web.get(base).text
    token = csrf_of(web.get(base))
    refused = web.http.post(f"{base}/limit", data={"csrf": token})
    assert refused.status_code == 403 and "Moderators and admins cannot be limited" in refused.text
    assert _admin_view(admin, report)["target_account"]["silenced"] is False
    assert _admin_view(admin, report)["action_taken"] is False


# Per-group moderators.

@pytest.fixture
def region(users, staff, new_user):
    """A group "Region Nord" (with "Hamburg" below it) moderated by a member of it; a
    moderator of another group; reports about a Hamburg member and about an outsider."""
    _, admin = staff
    tag = secrets.token_hex(3)
    north = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Region Nord", "slug": f"nord-{tag}"}).json()
    hamburg = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Hamburg", "slug": f"hamburg-{tag}", "parent_id": north["id"]}).json()
    south = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Region Süd", "slug": f"sued-{tag}"}).json()
    keeper, other_keeper = new_user(display_name="Kim Keeper"), new_user()
    member, outsider, reporter = (new_user(display_name="Hanna Hamburg"),
                                  new_user(display_name="Otto Outsider"), new_user())
    for group, person, role in ((north, keeper, "moderator"), (hamburg, member, "member"),
                                (south, other_keeper, "moderator"), (south, outsider, "member")):
        admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
            "account_ids[]": [person.id], "role": role}).raise_for_status()

    def report_about(target) -> tuple[dict, dict]:
        status = target.api.status_post("Etwas Gemeldetes")
        response = reporter.http.post("/api/v1/reports", data={
            "account_id": target.id, "status_ids[]": status["id"], "comment": "Bitte prüfen"})
        assert response.status_code == 200, response.text
        return response.json(), status

    return {"keeper": keeper, "other_keeper": other_keeper, "member": member,
            "inside": report_about(member), "outside": report_about(outsider)}


def test_a_group_moderator_handles_the_reports_about_the_groups_members(server, staff, region):
    _, admin = staff
    (inside, status), (outside, _) = region["inside"], region["outside"]
    notices = region["keeper"].http.get("/api/v1/notifications",
                                        params={"types[]": "admin.report"}).json()
    assert [n["report"]["id"] for n in notices] == [inside["id"]]
    web = signed_in(server, region["keeper"])
    assert 'href="/web/admin"' in web.get("/web/home").text  # the console is offered
    queue = web.get("/web/admin/reports")
    assert queue.status_code == 200
    assert f'/web/admin/reports/{inside["id"]}"' in queue.text
    assert f'/web/admin/reports/{outside["id"]}"' not in queue.text
    base = f"/web/admin/reports/{inside['id']}"
    page = web.get(base)
    assert "Report about Hanna Hamburg" in page.text
    assert f"{base}/limit" not in page.text and f"{base}/suspend" not in page.text
    assert "Only the organisation&#39;s moderators can limit an account" in page.text

    delete = f"{base}/statuses/{status['id']}/delete"
    assert "The post was deleted." in web.submit(delete, delete, {}).text
    assert "The report is resolved." in web.submit(base, f"{base}/resolve", {}).text
    assert _admin_view(admin, inside)["action_taken"] is True

    # Limiting and suspending stay with the organisation's moderators and admins.
    token = csrf_of(web.get(base))
    for action in ("limit", "suspend"):
        assert web.http.post(f"{base}/{action}", data={"csrf": token}).status_code == 403
    seen = _admin_view(admin, inside)["target_account"]
    assert seen["silenced"] is False and seen["disabled"] is False


def test_a_group_moderator_meets_no_other_report(server, staff, region):
    _, admin = staff
    (inside, status), (outside, _) = region["inside"], region["outside"]
    for person in (region["keeper"], region["other_keeper"]):
        web = signed_in(server, person)
        token = csrf_of(web.get("/web/admin/reports"))
        report = outside if person is region["keeper"] else inside
        base = f"/web/admin/reports/{report['id']}"
        assert web.get(base).status_code == 404
        for action in ("resolve", "reopen", f"statuses/{status['id']}/delete"):
            assert web.http.post(f"{base}/{action}", data={"csrf": token}).status_code == 404
        assert f'/web/admin/reports/{report["id"]}"' not in web.get("/web/admin/reports").text
    assert _admin_view(admin, inside)["action_taken"] is False
    assert _admin_view(admin, outside)["action_taken"] is False
    # Nor one about themselves, though they belong to the group they moderate.
    keeper = region["keeper"]
    about_keeper = region["member"].http.post("/api/v1/reports", data={
        "account_id": keeper.id, "comment": "Moderiert zu streng"}).json()
    web = signed_in(server, keeper)
    assert web.get(f"/web/admin/reports/{about_keeper['id']}").status_code == 404
    assert about_keeper["id"] not in web.get("/web/admin/reports").text
    # Someone who moderates no group (a plain member) finds no console at all.
    assert signed_in(server, region["member"]).get("/web/admin/reports").status_code == 403


def test_group_managers_appoint_moderators_on_the_groups_page(server, staff, new_user):
    _, admin = staff
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Leitstelle", "slug": f"leitstelle-{secrets.token_hex(3)}"}).json()
    person = new_user(display_name="Mo Moderatorin")
    web = signed_in(server, admin)
    path = f"/web/admin/groups/{group['id']}"
    added = web.submit(path, f"{path}/members", {"names": person.username, "role": "moderator"})
    assert "The people were added." in added.text and "1 moderator" in added.text
    members = admin.http.get(f"/api/zwitscher/v1/groups/{group['id']}/members").json()
    assert [(m["id"], m["group_role"]) for m in members] == [(person.id, "moderator")]
    assert 'href="/web/admin"' in signed_in(server, person).get("/web/home").text
