"""Admins change the instance's title, description, rules and registration mode in the console,
on an instance of its own: apps, the sign-up page and the web app manifest follow at once, a
second process within seconds; bad input and other roles change nothing."""

from __future__ import annotations

import httpx
import pytest

from support import ServerProcess, UserFactory, fresh_instance, wait_until
from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

INSTANCE = "/web/admin/instance"
GOOD = {"title": "Stadtwerke Kassel", "description": "News from the utility.",
        "rules": "Be kind.\n\nNo customer data in posts.\n", "registrations": "closed"}


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("instance-settings")) as running:
        yield running


@pytest.fixture(scope="module")
def factory(instance):
    return UserFactory(instance)


def _save(web: WebClient, **fields: str) -> httpx.Response:
    return web.submit(INSTANCE, INSTANCE, {**GOOD, **fields})


def _about(instance) -> dict:
    about = httpx.get(f"{instance.base_url}/api/v2/instance").json()
    del about["usage"]  # people counted, which the test's own sign-ups change
    return about


def test_refusals_change_nothing(instance, factory):
    admin = factory.create(role="admin")
    web = signed_in(instance, admin)
    before = _about(instance)
    for fields, message in [({"title": ""}, "The title needs 1 to 100 characters"),
                            ({"title": "x" * 101}, "The title needs 1 to 100 characters"),
                            ({"rules": "r\n" * 31}, "At most 30 rules"),
                            ({"registrations": "everyone"}, "Choose who may sign up")]:
        refused = _save(web, **fields)
        assert refused.status_code == 422 and message in refused.text, fields
        assert 'role="alert"' in refused.text
    for role in ("moderator", "communicator", None):
        outsider = signed_in(instance, factory.create(role=role))
        token = csrf_of(outsider.get("/web/home"))
        answer = outsider.http.post(INSTANCE, data={"csrf": token, **GOOD})
        assert answer.status_code == 403 and "Nothing was changed." in answer.text
    assert web.http.post(INSTANCE, data={"csrf": "0" * 64, **GOOD}).status_code == 403
    assert _about(instance) == before


def test_an_admin_changes_what_apps_and_the_sign_up_page_see(instance, factory):
    admin = factory.create(role="admin")
    web = signed_in(instance, admin)
    saved = _save(web)
    assert saved.status_code == 200 and "Saved." in saved.text
    about = _about(instance)
    assert about["title"] == "Stadtwerke Kassel"
    assert about["description"] == "News from the utility."
    assert [rule["text"] for rule in about["rules"]] == ["Be kind.",
                                                         "No customer data in posts."]
    assert about["registrations"]["enabled"] is False
    rules = httpx.get(f"{instance.base_url}/api/v1/instance/rules").json()
    assert rules == [{"id": "1", "text": "Be kind.", "hint": ""},
                     {"id": "2", "text": "No customer data in posts.", "hint": ""}]
    manifest = httpx.get(f"{instance.base_url}/manifest.webmanifest").json()
    assert manifest["name"] == "Stadtwerke Kassel"
    sign_up = WebClient(instance.base_url).get("/web/sign-up")
    assert "does not take sign-ups" in sign_up.text
    log = web.get("/web/admin/audit", params={"action": "instance.configured"}).text
    assert f"@{admin.username}" in log
    # Open again, with approval: the sign-up asks why.
    _save(web, registrations="approval")
    asking = WebClient(instance.base_url).get("/web/sign-up").text
    assert "Why do you want to join?" in asking
    assert "<li>No customer data in posts.</li>" in asking
    _save(web, registrations="open")


def test_a_second_process_follows_within_seconds(instance, factory):
    admin = factory.create(role="admin")
    # A second web process on the same database (without its own job runner).
    second = ServerProcess({**instance.env, "ZWITSCHER_RUN_JOBS_IN_PROCESS": "false"})
    second.start()
    try:
        _save(signed_in(instance, admin), title="Zweiter Prozess", registrations="open")
        wait_until(lambda: httpx.get(f"{second.base_url}/api/v1/instance").json()["title"]
                   == "Zweiter Prozess", timeout=20)
    finally:
        second.stop()
