"""Web Push: apps subscribe a token, and notifications arrive encrypted at their push service.

The push service here is a small HTTP server on 127.0.0.1 (the edge of the world). Like a
browser, each test holds the private key and auth secret of its subscription and decrypts
what arrives; the server under test never sees them.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import secrets
import socket

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from mastodon import Mastodon

from push_support import (
    HANG,
    Device,
    decrypt,
    pushes,
    subscribe,
)
from support import PASSWORD, wait_until


def vapid_key(server) -> str:
    return httpx.get(f"{server.base_url}/api/v2/instance").json()[
        "configuration"]["vapid"]["public_key"]


def test_mention_arrives_encrypted_with_the_mastodon_push_payload(push_people, push_service):
    alice, bob = push_people.create(display_name="Alice Example"), push_people.create()
    device = subscribe(bob, push_service, mention_events=True)
    alice.api.status_post(f"@{bob.username} lunch at noon?")
    received = pushes(push_service, device)
    assert len(received) == 1
    message = decrypt(bob, device, received[0])
    notification = bob.api.notifications(types=["mention"])[0]
    assert message["notification_type"] == "mention"
    assert message["notification_id"] == str(notification["id"])
    assert message["title"] == "You were mentioned by Alice Example"
    assert "lunch at noon?" in message["body"]
    assert message["access_token"] == bob.token
    assert message["preferred_locale"] == "en"
    assert message["icon"].startswith("http")
    # Signed with the instance's VAPID key, the one apps were told to expect.
    key = vapid_key(push_people.server).rstrip("=")
    assert f"p256ecdsa={key}" in received[0].headers["crypto-key"]
    assert received[0].headers["authorization"].startswith("WebPush ")


def test_standard_subscription_gets_rfc8291_aes128gcm_in_the_persons_language(
        push_people, push_service, push_server):
    alice = push_people.create(display_name="Alice Example")
    username = f"de_{secrets.token_hex(3)}"
    response = httpx.post(f"{push_server.base_url}/api/v1/accounts", headers={
        "Authorization": f"Bearer {push_people.app_token()}"}, data={
        "username": username, "email": f"{secrets.token_hex(4)}@example.org",
        "password": PASSWORD, "agreement": "true", "locale": "de"})
    token = response.json()["access_token"]
    push_people.confirm(username)
    bob = httpx.Client(base_url=push_server.base_url, headers={
        "Authorization": f"Bearer {token}"})
    bob_id = bob.get("/api/v1/accounts/verify_credentials").json()["id"]
    # A browser's PushManager: its own key pair and auth secret, URL-safe base64.
    receiver = ec.generate_private_key(ec.SECP256R1())
    point = receiver.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    auth = os.urandom(16)
    endpoint = push_service.endpoint()
    created = bob.post("/api/v1/push/subscription", json={
        "subscription": {"endpoint": endpoint, "standard": True, "keys": {
            "p256dh": base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
            "auth": base64.urlsafe_b64encode(auth).rstrip(b"=").decode()}},
        "data": {"alerts": {"follow": True}, "policy": "all"}})
    assert created.status_code == 200, created.text
    assert created.json()["standard"] is True
    assert created.json()["alerts"]["follow"] is True

    alice.api.account_follow(bob_id)
    received = wait_until(lambda: push_service.received(endpoint))
    assert received and received[0].headers["content-encoding"] == "aes128gcm"
    assert received[0].headers["authorization"].startswith("vapid t=")
    assert f"k={vapid_key(push_server).rstrip('=')}" in received[0].headers["authorization"]
    message = json.loads(http_ece.decrypt(received[0].body, private_key=receiver,
                                          auth_secret=auth, version="aes128gcm"))
    assert message["notification_type"] == "follow"
    assert message["title"] == "Alice Example folgt dir jetzt"
    assert message["preferred_locale"] == "de"


def test_subscription_is_read_changed_and_removed_through_mastodon_py(push_people, push_service,
                                                                      push_server):
    bob = push_people.create()
    subscribe(bob, push_service, mention_events=True, favourite_events=True)
    current = bob.api.push_subscription()
    assert current["alerts"]["mention"] is True and current["alerts"]["favourite"] is True
    assert current["alerts"]["follow"] is False
    assert current["server_key"] == vapid_key(push_server)
    assert current["server_key"] == bob.api.app_verify_credentials()["vapid_key"]

    changed = bob.api.push_subscription_update(follow_events=True, policy="followed")
    # As on Mastodon, the alerts given replace the earlier ones.
    assert changed["alerts"]["follow"] is True and changed["alerts"]["mention"] is False
    assert changed["policy"] == "followed"
    assert bob.api.push_subscription()["policy"] == "followed"

    bob.api.push_subscription_delete()
    assert bob.http.get("/api/v1/push/subscription").status_code == 404
    assert bob.http.put("/api/v1/push/subscription",
                        data={"data[alerts][mention]": "true"}).status_code == 404


def test_alert_switched_off_sends_nothing(push_people, push_service):
    alice, bob = push_people.create(), push_people.create()
    device = subscribe(bob, push_service, favourite_events=True, mention_events=False)
    alice.api.status_post(f"@{bob.username} you will not hear of this")
    # A push that must come, queued after the mention: once it is here, the mention's
    # would have been too.
    post = bob.api.status_post("favourite me")
    alice.api.status_favourite(post["id"])
    received = pushes(push_service, device)
    assert [decrypt(bob, device, r)["notification_type"] for r in received] == ["favourite"]


def test_policy_followed_pushes_only_notifications_from_people_followed(push_people, push_service):
    bob, friend, stranger = push_people.create(), push_people.create(display_name="Friend"), \
        push_people.create(display_name="Stranger")
    bob.api.account_follow(friend.id)
    device = subscribe(bob, push_service, mention_events=True, policy="followed")
    stranger.api.status_post(f"@{bob.username} hello from a stranger")
    friend.api.status_post(f"@{bob.username} hello from a friend")
    received = pushes(push_service, device)
    assert [decrypt(bob, device, r)["title"] for r in received] == [
        "You were mentioned by Friend"]


def test_endpoint_the_push_service_calls_gone_loses_its_subscription(push_people, push_service):
    alice, bob = push_people.create(), push_people.create()
    device = subscribe(bob, push_service, answers=(410,), mention_events=True)
    alice.api.status_post(f"@{bob.username} anyone there?")
    assert pushes(push_service, device)
    assert wait_until(lambda: bob.http.get("/api/v1/push/subscription").status_code == 404)


def test_a_push_service_that_never_answers_holds_up_no_one_else(push_people, push_service):
    alice, bob, carol = push_people.create(), push_people.create(), push_people.create()
    stuck = subscribe(bob, push_service, answers=(HANG,), mention_events=True)
    fine = subscribe(carol, push_service, mention_events=True)
    alice.api.status_post(f"@{bob.username} @{carol.username} both of you")
    assert pushes(push_service, stuck)
    assert pushes(push_service, fine)
    assert carol.api.notifications()[0]["type"] == "mention"
    # The stuck delivery is retried later; without the subscription the retry is done.
    bob.api.push_subscription_delete()


def test_a_push_service_failing_for_now_gets_the_push_again_later(push_people, push_service):
    alice, bob = push_people.create(), push_people.create()
    device = subscribe(bob, push_service, answers=(503, 201), mention_events=True)
    alice.api.status_post(f"@{bob.username} second time lucky")
    first, again = pushes(push_service, device, count=2)[:2]
    assert decrypt(bob, device, again)["body"] == decrypt(bob, device, first)["body"]
    assert "second time lucky" in decrypt(bob, device, again)["body"]
    assert bob.api.push_subscription()["endpoint"] == device.endpoint


def test_revoking_a_token_ends_its_subscription_but_not_the_other_devices(
        push_people, push_service, push_server):
    alice, bob = push_people.create(), push_people.create()
    phone = subscribe(bob, push_service, mention_events=True)
    tablet_token = httpx.post(f"{push_server.base_url}/oauth/token", data={
        "grant_type": "password", "username": bob.email, "password": PASSWORD,
        "client_id": push_people.client_id, "client_secret": push_people.client_secret,
        "scope": "read write push"}).json()["access_token"]
    tablet_api = Mastodon(access_token=tablet_token, api_base_url=push_server.base_url)
    private, public = tablet_api.push_subscription_generate_keys()
    tablet = Device(push_service.endpoint(), private, public)
    tablet_api.push_subscription_set(tablet.endpoint, public, mention_events=True)

    revoked = httpx.post(f"{push_server.base_url}/oauth/revoke", data={
        "client_id": push_people.client_id, "client_secret": push_people.client_secret,
        "token": bob.token})
    assert revoked.status_code == 200
    alice.api.status_post(f"@{bob.username} which device hears this?")
    assert pushes(push_service, tablet)
    assert push_service.received(phone.endpoint) == []


def test_pushes_only_for_posts_the_person_may_see(push_people, push_service):
    bob, carol, dave = push_people.create(), push_people.create(), push_people.create()
    bob.api.account_follow(carol.id, notify=True)
    device = subscribe(bob, push_service, status_events=True, mention_events=True)
    carol.api.status_post(f"@{dave.username} just between us", visibility="direct")
    carol.api.status_post("for everyone")
    received = pushes(push_service, device)
    assert [decrypt(bob, device, r)["body"] for r in received] == ["for everyone"]


ENDPOINTS_REFUSED = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "https://" + "a" * 10_000 + ".example",
    "ftp://push.example/x",
    "not a url",
    "https://user:pw@push.example/x",
    "https://push.example/with space",
    "",
]
P256 = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
GOOD_KEYS = {"p256dh": base64.urlsafe_b64encode(P256).decode(),
             "auth": base64.urlsafe_b64encode(os.urandom(16)).decode()}
KEYS_REFUSED = [
    GOOD_KEYS | {"p256dh": base64.b64encode(P256[:33]).decode()},
    GOOD_KEYS | {"p256dh": base64.b64encode(b"\x04" + bytes(64)).decode()},  # not on the curve
    GOOD_KEYS | {"p256dh": "not base64 at all!"},
    GOOD_KEYS | {"auth": base64.b64encode(os.urandom(15)).decode()},
    GOOD_KEYS | {"auth": "%%%%"},
    {"p256dh": GOOD_KEYS["p256dh"]},
]


def _create(user, endpoint: str, keys: dict, **extra) -> httpx.Response:
    return user.http.post("/api/v1/push/subscription", json={
        "subscription": {"endpoint": endpoint, "keys": keys},
        "data": {"alerts": {"mention": True}}} | extra)


def test_bad_endpoints_keys_and_policies_are_refused_and_change_nothing(push_people, push_service):
    bob = push_people.create()
    kept = subscribe(bob, push_service, mention_events=True)
    attempts = ([_create(bob, endpoint, GOOD_KEYS) for endpoint in ENDPOINTS_REFUSED]
                + [_create(bob, kept.endpoint, keys) for keys in KEYS_REFUSED]
                + [_create(bob, kept.endpoint, GOOD_KEYS, policy="sometimes"),
                   _create(bob, kept.endpoint, GOOD_KEYS, data="mention"),
                   bob.http.post("/api/v1/push/subscription", json={"subscription": "x"}),
                   bob.http.post("/api/v1/push/subscription", data={"data[alerts][x]": "1"}),
                   bob.http.put("/api/v1/push/subscription", json={"policy": "everyone"})])
    for response in attempts:
        assert response.status_code == 422, response.text
        assert "error" in response.json()
    assert bob.api.push_subscription()["endpoint"] == kept.endpoint
    assert bob.api.push_subscription()["policy"] == "all"


def test_a_token_without_the_push_scope_may_not_subscribe(push_people, push_server, push_service):
    bob = push_people.create()
    token = httpx.post(f"{push_server.base_url}/oauth/token", data={
        "grant_type": "password", "username": bob.email, "password": PASSWORD,
        "client_id": push_people.client_id, "client_secret": push_people.client_secret,
        "scope": "read write"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    response = httpx.post(f"{push_server.base_url}/api/v1/push/subscription", headers=headers,
                          json={"subscription": {"endpoint": push_service.endpoint(),
                                                 "keys": GOOD_KEYS}})
    assert response.status_code == 403
    assert httpx.get(f"{push_server.base_url}/api/v1/push/subscription",
                     headers=headers).status_code == 403
    assert httpx.get(f"{push_server.base_url}/api/v1/push/subscription").status_code == 401


def test_plain_http_endpoints_are_refused_unless_the_operator_allows_them(new_user):
    bob = new_user()
    response = _create(bob, "http://127.0.0.1:9/push", GOOD_KEYS)
    assert response.status_code == 422
    assert bob.http.get("/api/v1/push/subscription").status_code == 404


@pytest.mark.parametrize("endpoint", [
    "https://127.0.0.1/push", "https://localhost/push", "https://[::1]/push",
    "https://10.1.2.3/push", "https://192.168.0.1/push", "https://169.254.169.254/latest",
    "https://[::ffff:127.0.0.1]/push", "https://printer.local/push",
])
def test_endpoints_in_our_own_network_are_refused(new_user, endpoint):
    bob = new_user()
    response = _create(bob, endpoint, GOOD_KEYS)
    assert response.status_code == 422 and "public internet" in response.json()["error"]
    assert bob.http.get("/api/v1/push/subscription").status_code == 404


def test_a_name_pointing_into_our_own_network_is_never_contacted_and_the_subscription_ends(
        new_user, push_service):
    """The name is checked when sending: what it points to can change after subscribing."""
    own_name = socket.gethostname()
    try:
        addresses = {entry[4][0] for entry in socket.getaddrinfo(own_name, 443)}
    except OSError:
        pytest.skip("this machine's name does not resolve")
    if any(ipaddress.ip_address(address).is_global for address in addresses):
        pytest.skip("this machine's name resolves to a public address")
    alice, bob = new_user(), new_user()
    listening = push_service.endpoint()
    port_and_path = listening.split("127.0.0.1", 1)[1]
    assert _create(bob, f"https://{own_name}{port_and_path}", GOOD_KEYS).status_code == 200
    alice.api.status_post(f"@{bob.username} are you there?")
    assert wait_until(lambda: bob.http.get("/api/v1/push/subscription").status_code == 404)
    assert push_service.received(listening) == []
