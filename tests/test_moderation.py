"""Moderation a person notices: timed mutes that run out, domain blocks, reports reaching the
moderators, and moderators handling them through Mastodon's admin API."""

from __future__ import annotations

import httpx
import pytest
from mastodon import MastodonAPIError

from streams import SseStream, about
from support import wait_until

MUTE_SECONDS = 5


def post(user, text: str, **fields) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def notifications(user, **params) -> list[dict]:
    response = user.http.get("/api/v1/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def home_ids(user) -> list[str]:
    return [s["id"] for s in user.http.get("/api/v1/timelines/home").json()]


def relationship(user, other) -> dict:
    return user.http.get("/api/v1/accounts/relationships", params={"id[]": other.id}).json()[0]


@pytest.fixture
def stream(server):
    opened: list[SseStream] = []

    def open_stream(path: str, user) -> SseStream:
        opened.append(SseStream(server.base_url, path, user.token, {}))
        return opened[-1]

    yield open_stream
    for one in opened:
        one.close()


# Mutes.

def test_a_timed_mute_shows_its_expiry_hides_the_account_and_then_runs_out(new_user, stream):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.http.post(f"/api/v1/accounts/{bob.id}/follow").raise_for_status()
    public = stream("/api/v1/streaming/public", alice)
    assert alice.api.account_mute(bob.id, duration=MUTE_SECONDS)["muting"] is True
    (muted,) = alice.api.mutes()
    assert muted["id"] == bob.id and muted["mute_expires_at"] is not None

    during = post(bob, f"@{alice.username} while muted")
    sentinel = post(carol, "sentinel")
    public.wait_for("update", about(sentinel))
    assert [m["id"] for m in alice.api.mutes()] == [bob.id], "the mute ran out too early"
    assert during["id"] not in public.status_ids()
    assert during["id"] not in home_ids(alice)
    assert notifications(alice) == []

    assert wait_until(lambda: relationship(alice, bob)["muting"] is False, timeout=30)
    assert alice.api.mutes() == []
    # What bob posted meanwhile comes back into her home, and he is heard again everywhere.
    assert wait_until(lambda: during["id"] in home_ids(alice), timeout=30)
    after = post(bob, f"@{alice.username} after the mute")
    public.wait_for("update", about(after))
    assert [n["status"]["id"] for n in notifications(alice)] == [after["id"]]


def test_a_mute_keeping_notifications_and_one_without_end(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_mute(bob.id, notifications=False)
    mention = post(bob, f"@{alice.username} you still hear me")
    assert [n["status"]["id"] for n in notifications(alice)] == [mention["id"]]
    (muted,) = alice.api.mutes()
    assert muted["mute_expires_at"] is None
    assert relationship(alice, bob)["muting_notifications"] is False


@pytest.mark.parametrize("duration", ["-1", "abc", str(10**12), "1e999"])
def test_bad_mute_durations_are_refused_and_mute_nothing(new_user, duration):
    alice, bob = new_user(), new_user()
    response = alice.http.post(f"/api/v1/accounts/{bob.id}/mute", data={"duration": duration})
    assert response.status_code == 422 and "error" in response.json()
    assert alice.api.mutes() == []


# Domain blocks.

def test_domain_blocks_are_stored_listed_and_lifted(new_user):
    alice, bob = new_user(), new_user()
    alice.api.domain_block("Spam.Example.")
    alice.api.domain_block("spam.example")
    alice.api.domain_block("bücher.example")
    assert alice.api.domain_blocks() == ["xn--bcher-kva.example", "spam.example"]
    # Local accounts have no domain: nobody here is hidden by it.
    assert relationship(alice, bob)["domain_blocking"] is False
    mention = post(bob, f"@{alice.username} still here")
    assert [n["status"]["id"] for n in notifications(alice)] == [mention["id"]]
    alice.api.domain_unblock("spam.example")
    assert alice.api.domain_blocks() == ["xn--bcher-kva.example"]
    assert new_user().api.domain_blocks() == []


@pytest.mark.parametrize("domain", ["https://spam.example", "spam.example/path", "spam example",
                                    "spam.example:443", "a" * 254, "", "x@spam.example",
                                    "-bad-.example", "127.0.0.1:8000"])
def test_malformed_domains_are_refused_and_block_nothing(new_user, domain):
    alice = new_user()
    response = alice.http.post("/api/v1/domain_blocks", data={"domain": domain})
    assert response.status_code == 422 and "error" in response.json()
    assert alice.api.domain_blocks() == []


def test_our_own_domain_cannot_be_blocked(new_user, server):
    alice = new_user()
    response = alice.http.post("/api/v1/domain_blocks", data={"domain": "127.0.0.1"})
    assert response.status_code == 422
    assert alice.api.domain_blocks() == []


# Reports.

@pytest.fixture(scope="module")
def staff(users):
    """A moderator and an admin (both get reports), created once for this module's tests."""
    return users.create(role="moderator"), users.create(role="admin")


def report_notifications(user) -> list[dict]:
    return notifications(user, **{"types[]": "admin.report"})


def test_a_report_reaches_moderators_and_admins_but_not_members(new_user, staff):
    moderator, admin = staff
    reporter, target, bystander = new_user(), new_user(), new_user()
    offending = post(target, "Kauft billige Uhren!")
    report = reporter.api.report(target.id, status_ids=[offending["id"]], comment="Spam",
                                 category="spam")
    assert report["target_account"]["id"] == target.id
    assert report["status_ids"] == [offending["id"]] and report["category"] == "spam"
    assert report["action_taken"] is False
    for person in (moderator, admin):
        found = [n for n in report_notifications(person) if n["report"]["id"] == report["id"]]
        assert len(found) == 1
        assert found[0]["account"]["id"] == reporter.id
        assert found[0]["report"]["target_account"]["id"] == target.id
    for person in (reporter, target, bystander):
        assert report_notifications(person) == []


def test_moderators_hear_of_reports_even_from_people_they_muted(new_user, staff):
    moderator, _ = staff
    reporter, target = new_user(), new_user()
    moderator.api.account_mute(reporter.id)
    report = reporter.api.report(target.id, comment="Belästigung")
    assert report["id"] in [n["report"]["id"] for n in report_notifications(moderator)]


def test_a_moderator_who_is_demoted_no_longer_sees_report_notifications(users, new_user,
                                                                         server):
    moderator = users.create(role="moderator")
    report = new_user().api.report(new_user().id, comment="Beleidigung")
    assert [n["report"]["id"] for n in report_notifications(moderator)] == [report["id"]]
    server.cli("accounts", "role", moderator.username, "member")
    assert report_notifications(moderator) == []


def test_reporting_a_followers_only_post_one_may_see(new_user, staff):
    moderator, _ = staff
    reporter, target = new_user(), new_user()
    reporter.http.post(f"/api/v1/accounts/{target.id}/follow").raise_for_status()
    private = post(target, "nur für Follower", visibility="private")
    report = reporter.api.report(target.id, status_ids=[private["id"]])
    assert report["category"] == "other"
    seen = moderator.api.admin_report(report["id"])
    assert [s["id"] for s in seen["statuses"]] == [private["id"]]


def _admin_reports_about(moderator, target) -> list[dict]:
    return moderator.http.get("/api/v1/admin/reports",
                              params={"target_account_id": target.id}).json()


def test_bad_reports_are_refused_and_file_nothing(new_user, staff):
    moderator, _ = staff
    reporter, target, other = new_user(), new_user(), new_user()
    hidden = post(target, "nur für Follower", visibility="private")
    elsewhere = post(other, "von jemand anderem")
    bad = [
        ({"account_id": target.id, "status_ids[]": hidden["id"]}, 422),
        ({"account_id": target.id, "status_ids[]": elsewhere["id"]}, 422),
        ({"account_id": target.id, "status_ids[]": "not-an-id"}, 422),
        ({"account_id": target.id, "comment": "x" * 1001}, 422),
        ({"account_id": target.id, "category": "boring"}, 422),
        ({"account_id": target.id, "rule_ids[]": "1"}, 422),
        ({"account_id": reporter.id}, 422),
        ({"account_id": "99999999999"}, 404),
        ({}, 422),
    ]
    for form, status in bad:
        response = reporter.http.post("/api/v1/reports", data=form)
        assert response.status_code == status, (form, response.text)
        assert "error" in response.json()
    assert _admin_reports_about(moderator, target) == []
    assert not [n for n in report_notifications(moderator)
                if n["report"]["target_account"]["id"] == target.id]


def test_moderators_list_assign_resolve_and_reopen_reports(new_user, staff, users):
    moderator, admin = staff
    reporter, target = new_user(), new_user()
    report = reporter.api.report(target.id, comment="Hetze", category="violation")
    listed = moderator.api.admin_reports(target_account_id=target.id)
    assert [r["id"] for r in listed] == [report["id"]]
    assert listed[0]["account"]["account"]["id"] == reporter.id
    assert listed[0]["target_account"]["email"].endswith("@example.org")
    by_reporter = moderator.http.get("/api/v1/admin/reports",
                                     params={"account_id": reporter.id}).json()
    assert [r["id"] for r in by_reporter] == [report["id"]]

    assigned = moderator.api.admin_report_assign(report["id"])
    assert assigned["assigned_account"]["id"] == moderator.id
    assert moderator.api.admin_report_unassign(report["id"])["assigned_account"] is None
    resolved = admin.api.admin_report_resolve(report["id"])
    assert resolved["action_taken"] is True
    assert resolved["action_taken_by_account"]["id"] == admin.id
    assert moderator.api.admin_reports(target_account_id=target.id) == []
    assert [r["id"] for r in moderator.api.admin_reports(
        resolved=True, target_account_id=target.id)] == [report["id"]]
    reopened = moderator.api.admin_report_reopen(report["id"])
    assert reopened["action_taken"] is False and reopened["action_taken_at"] is None

    audit = admin.http.get("/api/zwitscher/v1/admin/audit_log",
                           params={"target_type": "report", "target_id": report["id"]}).json()
    assert [entry["action"] for entry in audit] == [
        "report.reopened", "report.resolved", "report.unassigned", "report.assigned"]


def test_members_cannot_read_or_handle_reports(new_user, staff):
    moderator, _ = staff
    member, target = new_user(), new_user()
    report = new_user().api.report(target.id, comment="Spam")
    for method, path in [("GET", "/api/v1/admin/reports"),
                         ("GET", f"/api/v1/admin/reports/{report['id']}"),
                         ("POST", f"/api/v1/admin/reports/{report['id']}/resolve"),
                         ("POST", f"/api/v1/admin/reports/{report['id']}/assign_to_self")]:
        response = member.http.request(method, path)
        assert response.status_code == 403, (path, response.text)
        assert "error" in response.json()
    with pytest.raises(MastodonAPIError):
        member.api.admin_reports()
    seen = moderator.api.admin_report(report["id"])
    assert seen["action_taken"] is False and seen["assigned_account"] is None


def test_admin_reports_need_a_token_and_answer_unknown_ids_with_404(server, staff):
    moderator, _ = staff
    assert httpx.get(f"{server.base_url}/api/v1/admin/reports").status_code == 401
    for path in ["/api/v1/admin/reports/99999999999", "/api/v1/admin/reports/abc",
                 "/api/v1/admin/reports/99999999999/resolve"]:
        response = moderator.http.request("POST" if path.endswith("resolve") else "GET", path)
        assert response.status_code == 404, path
    bad = moderator.http.get("/api/v1/admin/reports", params={"account_id": "x"})
    assert bad.status_code == 422


def test_moderators_change_a_reports_category_and_bad_changes_change_nothing(new_user, staff):
    moderator, admin = staff
    report = new_user().api.report(new_user().id, comment="Werbung", category="other")
    path = f"/api/v1/admin/reports/{report['id']}"
    changed = moderator.http.put(path, data={"category": "spam"})
    assert changed.status_code == 200 and changed.json()["category"] == "spam"
    assert moderator.http.put(path, data={}).json()["category"] == "spam"
    for bad in [{"category": "nonsense"}, {"category": "violation", "rule_ids[]": "1"},
                {"category": "x" * 10_000}]:
        refused = moderator.http.put(path, data=bad)
        assert refused.status_code == 422 and refused.json()["error"]
    member = new_user()
    assert member.http.put(path, data={"category": "legal"}).status_code == 403
    assert admin.api.admin_report(report["id"])["category"] == "spam"
    audit = admin.http.get("/api/zwitscher/v1/admin/audit_log",
                           params={"target_type": "report", "target_id": report["id"]}).json()
    assert [entry["action"] for entry in audit] == ["report.recategorised"] * 2
