"""The console's reports, without JavaScript: moderators see the open (and resolved) reports,
a report with its reported posts and the reporter's words, resolve and reopen it, delete a
reported post after a confirmation; admins also suspend the account. Everyone else gets the
403 page and nothing changes."""

from __future__ import annotations

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
        for page in ("/web/admin/reports", base, f"{base}/suspend",
                     f"{base}/statuses/{status['id']}/delete"):
            assert web.get(page).status_code == 403, page
        for action in (f"{base}/resolve", f"{base}/reopen", f"{base}/suspend",
                       f"{base}/statuses/{status['id']}/delete"):
            refused = web.http.post(action, data={"csrf": token})
            assert refused.status_code == 403 and "Nothing was changed." in refused.text
    seen = _admin_view(moderator, report)
    assert seen["action_taken"] is False and seen["target_account"]["disabled"] is False
    assert target.http.get(f"/api/v1/statuses/{status['id']}").status_code == 200


def test_report_forms_without_their_token_change_nothing(server, staff, reported):
    _, admin = staff
    report, status, _, target = reported
    web = signed_in(server, admin)
    base = f"/web/admin/reports/{report['id']}"
    for action in (f"{base}/resolve", f"{base}/suspend", f"{base}/statuses/{status['id']}/delete"):
        for data in ({}, {"csrf": "0" * 64}):
            assert web.http.post(action, data=data).status_code == 403, action
    seen = _admin_view(admin, report)
    assert seen["action_taken"] is False and seen["target_account"]["disabled"] is False
    assert target.http.get(f"/api/v1/statuses/{status['id']}").status_code == 200
