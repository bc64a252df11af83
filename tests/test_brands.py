"""Brand accounts: @press is fed by several people, each post shows who wrote it, replies reach
that person, Mastodon apps post as the brand with a delegated token, and some authors' posts
wait for approval or for their time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon import Mastodon

from support import (
    BRANDS,
    UserFactory,
    fresh_instance,
    make_brand,
    wait_until,
)


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


@pytest.fixture
def press(admin, users):
    return make_brand(admin, users)


def post_as(person, brand: dict, text: str, **params) -> httpx.Response:
    return person.http.post(f"{BRANDS}/{brand['id']}/statuses", data={"status": text, **params})


def test_a_brand_post_shows_the_person_who_wrote_it_and_replies_reach_them(press, new_user):
    brand, jana, _ = press
    response = post_as(jana, brand, "Die Pressekonferenz beginnt um 11 Uhr.")
    assert response.status_code == 200, response.text
    status = response.json()
    assert status["account"]["id"] == brand["id"]
    assert status["zwitscher"]["posted_by"]["id"] == jana.id
    assert "Jana Stuker" in status["content"]  # the signature every app shows

    journalist = new_user()
    journalist.api.status_post("Wird sie übertragen?", in_reply_to_id=status["id"])
    mentions = wait_until(lambda: [n for n in jana.api.notifications(types=["mention"])
                                   if n["status"]["in_reply_to_id"] == status["id"]])
    assert mentions and mentions[0]["account"]["id"] == journalist.id


def test_a_mastodon_app_posts_as_the_brand_with_a_delegated_token(press, users, server):
    brand, jana, tom = press
    issued = jana.http.post(f"{BRANDS}/{brand['id']}/tokens")
    assert issued.status_code == 200, issued.text
    app = Mastodon(access_token=issued.json()["access_token"], api_base_url=server.base_url)
    assert app.account_verify_credentials()["id"] == brand["id"]
    status = app.status_post("Aus der App gesendet")
    assert status["account"]["id"] == brand["id"]
    assert status["zwitscher"]["posted_by"]["id"] == jana.id

    # Authors whose posts need approval get no token: an app cannot leave drafts.
    assert tom.http.post(f"{BRANDS}/{brand['id']}/tokens").status_code == 403

    admin = users.create(role="admin")
    admin.http.delete(f"{BRANDS}/{brand['id']}/authors/{jana.id}").raise_for_status()
    gone = httpx.get(f"{server.base_url}/api/v1/accounts/verify_credentials",
                     headers={"Authorization": f"Bearer {issued.json()['access_token']}"})
    assert gone.status_code == 401


def test_drafts_wait_for_another_author_and_are_published_or_rejected(press, admin):
    brand, jana, tom = press
    waiting = post_as(tom, brand, "Entwurf: Stellungnahme zum Unfall")
    assert waiting.status_code == 202, waiting.text
    draft = waiting.json()
    assert draft["state"] == "pending"
    brand_statuses = f"/api/v1/accounts/{brand['id']}/statuses"
    assert draft["params"]["text"] not in str(admin.http.get(brand_statuses).json())

    url = f"{BRANDS}/{brand['id']}/drafts/{draft['id']}"
    assert tom.http.post(f"{url}/approve").status_code == 403  # not your own
    approved = jana.http.post(f"{url}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "published"
    published = jana.http.get(f"/api/v1/statuses/{approved.json()['status_id']}").json()
    assert published["zwitscher"]["posted_by"]["id"] == tom.id
    assert jana.http.post(f"{url}/approve").status_code == 422  # decided already

    second = post_as(tom, brand, "Entwurf, der nicht erscheint").json()
    rejected = admin.http.post(f"{BRANDS}/{brand['id']}/drafts/{second['id']}/reject",
                               data={"note": "Bitte mit der Rechtsabteilung abstimmen"})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    pending = jana.http.get(f"{BRANDS}/{brand['id']}/drafts", params={"state": "pending"})
    assert second["id"] not in [d["id"] for d in pending.json()]


def test_a_scheduled_brand_post_is_queued_for_its_time(press):
    brand, jana, _ = press
    at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    queued = post_as(jana, brand, "Um 14 Uhr: die Zahlen", scheduled_at=at)
    assert queued.status_code == 202, queued.text
    assert queued.json()["state"] == "scheduled"
    drafts = jana.http.get(f"{BRANDS}/{brand['id']}/drafts", params={"state": "scheduled"})
    assert queued.json()["id"] in [d["id"] for d in drafts.json()]


def test_only_those_granted_post_as_a_brand_and_only_admins_grant(press, new_user, users):
    brand, jana, _ = press
    member, outsider = new_user(), users.create(role="communicator")
    assert post_as(member, brand, "Ich bin nicht die Pressestelle").status_code == 403
    assert post_as(outsider, brand, "Ich auch nicht").status_code == 403
    assert jana.http.post(f"{BRANDS}/{brand['id']}/authors",
                          data={"account_id": member.id}).status_code == 403
    assert post_as(jana, {"id": member.id}, "Kein Markenkonto").status_code == 404
    mine = [b["id"] for b in jana.http.get(BRANDS).json()]
    assert brand["id"] in mine and brand["id"] not in [b["id"] for b in outsider.http.get(
        BRANDS).json()]


def test_bad_brand_input_is_refused_and_changes_nothing(press, admin, new_user):
    brand, jana, _ = press
    before = jana.http.get(f"{BRANDS}/{brand['id']}/drafts").json()
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    for params in ({"status": ""}, {"status": "x", "scheduled_at": "tomorrow-ish"},
                   {"status": "x", "scheduled_at": soon},
                   {"status": "x", "scheduled_at": "2030-01-01T10:00:00"}):
        response = jana.http.post(f"{BRANDS}/{brand['id']}/statuses", data=params)
        assert response.status_code == 422, (params, response.text)
    assert jana.http.get(f"{BRANDS}/{brand['id']}/drafts").json() == before
    assert admin.http.post(BRANDS, data={"username": "has spaces"}).status_code == 422
    member = new_user()
    assert admin.http.post(f"{BRANDS}/{brand['id']}/authors",
                           data={"account_id": member.id}).status_code == 422  # not a speaker
    actions = [e["action"] for e in admin.http.get(
        "/api/zwitscher/v1/admin/audit_log",
        params={"target_type": "account", "target_id": brand["id"]}).json()]
    assert "brand.created" in actions and actions.count("brand.author_granted") == 2


@pytest.fixture(scope="module")
def quick_schedules(tmp_path_factory):
    """A server of its own that lets posts be scheduled a second ahead."""
    with fresh_instance(tmp_path_factory.mktemp("schedules"),
                        ZWITSCHER_SCHEDULE_MIN_LEAD_SECONDS="1") as server:
        yield UserFactory(server)


def test_the_job_system_publishes_a_scheduled_brand_post_at_its_time(quick_schedules):
    users = quick_schedules
    admin, jana = users.create(role="admin"), users.create(role="communicator")
    brand = admin.http.post(BRANDS, data={"username": "press"}).json()
    admin.http.post(f"{BRANDS}/{brand['id']}/authors",
                    data={"account_id": jana.id}).raise_for_status()
    at = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    queued = post_as(jana, brand, "Pünktlich veröffentlicht", scheduled_at=at).json()
    statuses = f"/api/v1/accounts/{brand['id']}/statuses"
    assert jana.http.get(statuses).json() == []
    published = wait_until(lambda: jana.http.get(statuses).json(), timeout=20)
    assert [s["zwitscher"]["posted_by"]["id"] for s in published] == [jana.id]
    done = jana.http.get(f"{BRANDS}/{brand['id']}/drafts").json()
    assert [(d["id"], d["state"]) for d in done] == [(queued["id"], "published")]
