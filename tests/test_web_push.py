"""Web Push from the browser, server side, end to end: a signed-in browser subscribes through
`/web/push/subscription` (as web.js does after `PushManager.subscribe`), changes what it is
told of and turns it off with plain forms; a mention then arrives at the local push service
encrypted (RFC 8291 `aes128gcm`) for the browser's keys, which only the test holds, as a
service worker would find it. The server under test has no readable token for the session's
subscription, and none is in what is pushed.

Headless Chromium cannot subscribe at a real push service here (no network), so this HTTP
level is where delivery is proved; tests/test_web_browser_reach.py covers the page and the
service worker's registration.
"""

from __future__ import annotations

import base64
import json
import os

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from push_support import pushes, subscribe
from support import wait_until
from web_support import WebClient, csrf_of

PAGE = "/web/settings/notifications"

pytestmark = pytest.mark.usefixtures("quiet_server_log")


@pytest.fixture(scope="module")
def server(push_server):
    """This module's server is the push server (it allows http:// endpoints), so the shared
    `web`, `browser_of` and `quiet_server_log` fixtures work on it."""
    return push_server


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class BrowserKeys:
    """What a browser's PushManager makes: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.json = {"p256dh": _b64(point), "auth": _b64(self.auth)}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private,
                                           auth_secret=self.auth, version="aes128gcm"))


def _subscribe(web: WebClient, endpoint: str, keys: dict, *, alerts=("mention",),
               policy: str = "all", csrf: str | None = None) -> httpx.Response:
    token = csrf_of(web.get(PAGE)) if csrf is None else csrf
    return web.http.post("/web/push/subscription", json={
        "csrf": token, "subscription": {"endpoint": endpoint, "keys": keys},
        "alerts": list(alerts), "policy": policy})


def _is_on(web: WebClient) -> bool:
    page = web.get(PAGE).text
    assert ("Notifications are on for this browser." in page) != (
        "Notifications are off for this browser." in page)
    return "Notifications are on for this browser." in page


def test_a_browser_subscribes_and_a_mention_arrives_encrypted_for_its_keys(
        push_people, push_service, push_server, browser_of):
    alice = push_people.create(display_name="Alice Example")
    bob = push_people.create(display_name="Bob Example")
    web = browser_of(alice)
    page = web.get(PAGE)
    assert page.status_code == 200 and not _is_on(web)
    vapid = httpx.get(f"{push_server.base_url}/api/v2/instance").json()[
        "configuration"]["vapid"]["public_key"]
    assert f'data-server-key="{vapid}"' in page.text

    keys, endpoint = BrowserKeys(), push_service.endpoint()
    answer = _subscribe(web, endpoint, keys.json, alerts=("mention", "favourite"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["alerts"]["mention"] is True
    assert answer.json()["alerts"]["follow"] is False
    assert _is_on(web)
    assert "delivered through 127.0.0.1" in web.get(PAGE).text

    bob.api.status_post(f"@{alice.username} are you at the depot today?")
    received = wait_until(lambda: push_service.received(endpoint))
    assert len(received) == 1
    assert received[0].headers["content-encoding"] == "aes128gcm"
    assert received[0].headers["authorization"].startswith("vapid t=")
    message = keys.decrypt(received[0].body)
    assert message["title"] == "You were mentioned by Bob Example"
    assert "are you at the depot today?" in message["body"]
    assert message["notification_type"] == "mention"
    assert message["notification_id"] == str(alice.api.notifications(types=["mention"])[0]["id"])
    # The service worker reads this: no token of the session is in it.
    assert "access_token" not in message


def test_what_is_pushed_is_changed_with_a_plain_form(push_people, push_service, browser_of):
    alice, bob = push_people.create(), push_people.create(display_name="Bob Example")
    web = browser_of(alice)
    keys, endpoint = BrowserKeys(), push_service.endpoint()
    assert _subscribe(web, endpoint, keys.json, alerts=("mention",)).status_code == 200

    token = csrf_of(web.get(PAGE))
    saved = web.http.post("/web/push/alerts", data={"csrf": token, "alert": ["follow"],
                                                    "policy": "all"})
    assert saved.url.path == PAGE and "Your choices are saved." in saved.text
    assert 'value="follow" checked' in saved.text
    assert 'value="mention" checked' not in saved.text

    bob.api.status_post(f"@{alice.username} not pushed any more")
    bob.api.account_follow(alice.id)
    received = wait_until(lambda: push_service.received(endpoint))
    assert received
    assert [keys.decrypt(r.body)["title"] for r in received] == [
        "Bob Example is now following you"]


def test_turning_off_ends_this_browsers_subscription_and_no_other(
        push_people, push_service, browser_of):
    alice, bob = push_people.create(), push_people.create()
    phone, laptop = browser_of(alice), browser_of(alice)
    phone_keys, laptop_keys = BrowserKeys(), BrowserKeys()
    phone_endpoint, laptop_endpoint = push_service.endpoint(), push_service.endpoint()
    assert _subscribe(phone, phone_endpoint, phone_keys.json).status_code == 200
    assert _subscribe(laptop, laptop_endpoint, laptop_keys.json).status_code == 200
    app = subscribe(alice, push_service, mention_events=True)

    page = phone.submit(PAGE, "/web/push/subscription/delete", {})
    assert page.url.path == PAGE and page.url.query == b"done=off"
    assert not _is_on(phone) and _is_on(laptop)
    assert alice.api.push_subscription()["endpoint"] == app.endpoint

    bob.api.status_post(f"@{alice.username} who hears this?")
    assert pushes(push_service, app)
    assert wait_until(lambda: push_service.received(laptop_endpoint))
    assert "who hears this?" in laptop_keys.decrypt(
        push_service.received(laptop_endpoint)[0].body)["body"]
    assert push_service.received(phone_endpoint) == []


def test_signing_out_ends_the_browsers_subscription(push_people, push_service, browser_of):
    alice, bob = push_people.create(), push_people.create()
    web = browser_of(alice)
    keys, endpoint = BrowserKeys(), push_service.endpoint()
    assert _subscribe(web, endpoint, keys.json).status_code == 200
    app = subscribe(alice, push_service, mention_events=True)
    web.submit("/web/home", "/web/sign-out", {})

    bob.api.status_post(f"@{alice.username} still there?")
    assert pushes(push_service, app)
    assert push_service.received(endpoint) == []


def test_forms_without_their_token_change_nothing(push_people, push_service, browser_of):
    alice = push_people.create()
    web = browser_of(alice)
    keys, endpoint = BrowserKeys(), push_service.endpoint()
    for token in ("", "0" * 64):
        refused = _subscribe(web, endpoint, keys.json, csrf=token)
        assert refused.status_code == 403
        assert "nothing was changed" in refused.json()["detail"]
    assert not _is_on(web)

    assert _subscribe(web, endpoint, keys.json, alerts=("mention",)).status_code == 200
    changed = web.http.post("/web/push/alerts", data={"alert": "follow", "policy": "all"})
    assert changed.status_code == 403
    assert 'value="mention" checked' in web.get(PAGE).text
    removed = web.http.post("/web/push/subscription/delete", data={"csrf": "0" * 64})
    assert removed.status_code == 403
    assert _is_on(web)


@pytest.mark.parametrize(("endpoint", "problem"), [
    ("not a url", "Endpoint is not a valid URL"),
    ("ftp://127.0.0.1/push", "Endpoint must be an https:// URL"),
    ("", "Endpoint is not a valid URL"),
    ("http://127.0.0.1/" + "x" * 2100, "Endpoint is not a valid URL"),
    ("http://[::1/push", "Endpoint is not a valid URL")])
def test_a_malformed_endpoint_is_refused_and_nothing_is_stored(push_people, browser_of, endpoint,
                                                              problem):
    web = browser_of(push_people.create())
    answer = _subscribe(web, endpoint, BrowserKeys().json)
    assert answer.status_code == 422
    assert answer.json()["detail"] == problem
    assert not _is_on(web)


def test_bad_keys_policies_and_bodies_are_refused_and_keep_the_subscription(
        push_people, push_service, browser_of):
    web = browser_of(push_people.create())
    keys, endpoint = BrowserKeys(), push_service.endpoint()
    assert _subscribe(web, endpoint, keys.json).status_code == 200
    other = push_service.endpoint()
    not_on_the_curve = _b64(b"\x04" + b"\x01" * 64)
    for bad_keys in ({"p256dh": "abc", "auth": keys.json["auth"]},
                     {"p256dh": not_on_the_curve, "auth": keys.json["auth"]},
                     {"p256dh": keys.json["p256dh"], "auth": _b64(b"short")},
                     {"p256dh": keys.json["p256dh"]}, {}):
        answer = _subscribe(web, other, bad_keys)
        assert answer.status_code == 422, bad_keys
        assert answer.json()["detail"]
    assert _subscribe(web, other, keys.json, policy="sometimes").status_code == 422
    token = csrf_of(web.get(PAGE))
    for body in (b"not json", b"[1, 2]", json.dumps({"csrf": token}).encode()):
        answer = web.http.post("/web/push/subscription", content=body,
                               headers={"Content-Type": "application/json"})
        assert 400 <= answer.status_code < 500, body
    # The browser's first subscription is still the one pushes go to.
    assert f'data-endpoint="{endpoint}"' in web.get(PAGE).text
    bad_policy = web.http.post("/web/push/alerts", data={"csrf": token, "alert": "mention",
                                                         "policy": "<b>never</b>"})
    assert bad_policy.status_code == 422 and "<b>never</b>" not in bad_policy.text


def test_changing_alerts_before_turning_on_says_so(push_people, browser_of):
    web = browser_of(push_people.create())
    token = csrf_of(web.get(PAGE))
    answer = web.http.post("/web/push/alerts", data={"csrf": token, "alert": "mention",
                                                     "policy": "all"})
    assert answer.status_code == 409
    assert "Turn them on first." in answer.text
    assert not _is_on(web)


def test_only_moderators_are_offered_sign_ups_and_reports(push_people, push_service, browser_of):
    person = browser_of(push_people.create())
    assert "New reports (moderation)" not in person.get(PAGE).text
    answer = _subscribe(person, push_service.endpoint(), BrowserKeys().json,
                        alerts=("mention", "admin.report"))
    assert answer.json()["alerts"]["admin.report"] is False
    admin = browser_of(push_people.create(role="admin"))
    assert "New reports (moderation)" in admin.get(PAGE).text


def test_signed_out_browsers_are_refused(web):
    assert web.get(PAGE).url.path == "/web/sign-in"
    answer = web.http.post("/web/push/subscription", json={"csrf": "x"})
    assert answer.status_code == 401


def test_the_service_worker_is_served_at_the_root(push_server):
    answer = httpx.get(f"{push_server.base_url}/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert "showNotification" in answer.text and "notificationclick" in answer.text
    assert "/web/notifications" in answer.text


def test_the_page_is_in_the_settings_navigation_in_german(push_people, browser_of):
    german = browser_of(push_people.create())
    page = german.submit("/web/settings", "/web/language",
                         {"language": "de", "back": "/web/settings"}).text
    assert 'href="/web/settings/notifications"' in page
    notifications = german.get(PAGE).text
    assert "Benachrichtigungen auf diesem Gerät einschalten" in notifications
