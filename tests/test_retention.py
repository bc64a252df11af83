"""Admins keep posts of a visibility for at most so many days; a recurring job deletes older
ones. The rules are checked alone; the console and the job on an instance of their own, whose
operator lets the job look every second. There is no way to backdate a post, so the test gives
a fraction of a day the console accepts (0.00003 days: under three seconds) and waits until
its posts are older than that."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.retention import RetentionPolicy, days_of_seconds, seconds_of_days

from support import UserFactory, fresh_instance, wait_until
from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

RETENTION = "/web/admin/instance/retention"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def test_days_are_kept_as_seconds_and_shown_as_days_again():
    assert seconds_of_days("30") == 30 * 86_400
    assert seconds_of_days(" 0,5 ") == 43_200
    assert seconds_of_days("") is None
    assert seconds_of_days("0.000001") == 1  # rounded, never down to nothing
    assert [days_of_seconds(s) for s in (30 * 86_400, 43_200, 1)] == ["30", "0.5", "0.000012"]
    policy = RetentionPolicy.from_days({"direct": "90", "public": "", "group": "0.5"})
    assert policy.stored_value() == {"direct": 90 * 86_400, "group": 43_200}
    assert RetentionPolicy.from_days(policy.days()) == policy


def test_a_status_is_past_the_policy_only_when_older_than_its_visibility_allows():
    policy = RetentionPolicy({"direct": 7 * 86_400, "internal": 86_400})
    assert policy.is_past(visibility="direct", created_at=NOW - timedelta(days=8), now=NOW)
    assert not policy.is_past(visibility="direct", created_at=NOW - timedelta(days=6), now=NOW)
    assert policy.is_past(visibility="internal", created_at=NOW - timedelta(hours=25), now=NOW)
    for kept in ("public", "unlisted", "private", "group"):
        assert not policy.is_past(visibility=kept, created_at=NOW - timedelta(days=9999),
                                  now=NOW)
    assert set(policy.cutoffs(NOW)) == {"direct", "internal"}


@pytest.mark.parametrize("days", ["abc", "0", "-3", "nan", "inf", "36501"])
def test_nonsense_days_are_refused(days):
    with pytest.raises(ValidationFailed):
        RetentionPolicy.from_days({"public": days})


def test_what_does_not_fit_the_rules_is_never_guessed():
    with pytest.raises(ValidationFailed):
        RetentionPolicy.from_days({"everyone": "3"})
    stored = RetentionPolicy.stored({"direct": 60, "public": "60", "secret": 60, "group": 0,
                                     "private": True})
    assert stored.stored_value() == {"direct": 60}
    assert RetentionPolicy.stored(None).stored_value() == {}


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("retention"),
                        ZWITSCHER_RETENTION_INTERVAL_SECONDS="1") as running:
        yield running


@pytest.fixture(scope="module")
def factory(instance):
    return UserFactory(instance)


def _fields(**days: str) -> dict[str, str]:
    return {name: days.get(name, "") for name in
            ("public", "unlisted", "private", "direct", "internal", "group")}


def _check(web: WebClient, **days: str) -> httpx.Response:
    """The first "Save": the page shows what the policy would delete."""
    return web.submit(RETENTION, RETENTION, _fields(**days))


def _confirm(web: WebClient, preview: httpx.Response, **days: str) -> httpx.Response:
    previewed = re.search(r'name="previewed" value="([^"]*)"', preview.text).group(1)
    return web.http.post(RETENTION, data={"csrf": csrf_of(preview), "previewed": previewed,
                                          **_fields(**days)})


def test_only_admins_set_a_policy_and_nonsense_changes_nothing(instance, factory):
    admin, member = factory.create(role="admin"), factory.create()
    web = signed_in(instance, admin)
    refused = _check(web, direct="soon")
    assert refused.status_code == 422 and "Give the days as a number" in refused.text
    outsider = signed_in(instance, member)
    token = csrf_of(outsider.get("/web/home"))
    answer = outsider.http.post(RETENTION, data={"csrf": token, "previewed": "direct:60",
                                                 **_fields(direct="0.0007")})
    assert answer.status_code == 403
    assert 'value="0.0007"' not in web.get(RETENTION).text


def test_posts_of_a_visibility_go_once_past_the_policy_and_others_stay(instance, factory):
    admin, ada, ben = factory.create(role="admin"), factory.create(), factory.create()
    ben.api.account_follow(ada.id)
    quiet = ada.api.status_post("Leise", visibility="unlisted")
    pinned = ada.api.status_post("Leise und angeheftet", visibility="unlisted")
    ada.api.status_pin(pinned.id)
    loud = ada.api.status_post("Laut", visibility="public")
    direct = ada.api.status_post(f"@{ben.username} Nur für dich", visibility="direct")
    web = signed_in(instance, admin)
    # Shown before anything is saved, and counting neither the pinned post nor the others.
    preview = wait_until(lambda: (page := _check(web, unlisted="0.00003")) and
                         "About 1 post would be deleted" in page.text and page, interval=0.5)
    assert preview, "the unlisted post never became old enough"
    assert ada.api.status(quiet.id)
    saved = _confirm(web, preview, unlisted="0.00003")
    assert saved.url.path == RETENTION and "Saved." in saved.text
    # Kept in whole seconds (2.592 s is 3 s), shown as days again.
    assert 'value="0.000035"' in saved.text

    def gone(status) -> bool:
        return ben.http.get(f"/api/v1/statuses/{status.id}").status_code == 404

    assert wait_until(lambda: gone(quiet))
    assert not any(gone(status) for status in (pinned, loud, direct))
    assert ada.http.get(f"/api/v1/accounts/{ada.id}").json()["statuses_count"] == 3
    audit = web.get("/web/admin/audit", params={"action": "retention.configured"}).text
    assert f"@{admin.username}" in audit
