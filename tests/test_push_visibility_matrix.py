"""Who is pushed which status: the visibility matrix for Web Push.

A push is a notification carried to a device, so it follows the notification rules: only for
a status the person may read, never for one whose author blocks them. An author (a
communicator) posts one status per visibility, each mentioning `mentioned` and `blocked`; the
group status goes to group G. Every viewer subscribed a device for every kind of alert:
  author        wrote them (nobody is notified of their own posts)
  follower      a person of the organisation who follows the author with the bell
  stranger      a person of the organisation who follows nobody
  mentioned     mentioned in every status, follows nobody, in no group
  blocked       mentioned in every status, a member of G, followed the author with the bell,
                and was blocked by the author before the posts
  group_member  a member of G
  guest         an external person (guest) in G who follows the author with the bell
(Anonymous readers have no token, so no subscription: the push API answers them 401.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import httpx
import pytest

from push_support import (
    Device,
    PushService,
    decrypt,
    subscribe,
)
from support import User, matrix_table, wait_until

VISIBILITIES = ("public", "unlisted", "private", "direct", "internal", "group")
VIEWERS = ("author", "follower", "stranger", "mentioned", "blocked", "group_member", "guest")
GROUPS = "/api/zwitscher/v1/groups"
ALERTS = {f"{kind}_events": True for kind in ("follow", "favourite", "reblog", "mention",
                                              "poll", "follow_request", "status", "update")}



# Y: the viewer's device is pushed the status; .: it never is.
MATRIX = matrix_table(VIEWERS, """
#            author follower stranger mentioned blocked group_member guest
pushed public    .      Y        .        Y         .         .         Y
pushed unlisted  .      Y        .        Y         .         .         Y
pushed private   .      Y        .        Y         .         .         Y
pushed direct    .      .        .        Y         .         .         .
pushed internal  .      Y        .        Y         .         .         .
pushed group     .      .        .        .         .         Y         Y
""")


@dataclass
class Devices:
    service: PushService
    people: dict[str, User]
    devices: dict[str, Device]
    marker: str
    pushed: dict[str, set[str]] = field(default_factory=dict)

    def bodies(self, viewer: str) -> list[str]:
        person, device = self.people[viewer], self.devices[viewer]
        return [decrypt(person, device, received)["body"]
                for received in self.service.received(device.endpoint)]


def _post(user: User, text: str, **params) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def pushed(push_people, push_service, push_server) -> Devices:
    admin = push_people.create(role="admin")
    roles = {"author": "communicator", "guest": "guest"}
    persons = {name: push_people.create(role=roles.get(name)) for name in VIEWERS}
    author = persons["author"]
    group = admin.http.post(GROUPS, data={"slug": f"push-{secrets.token_hex(3)}",
                                          "name": "Push G"}).json()
    admin.http.post(f"{GROUPS}/{group['id']}/members", data={"account_ids[]": [
        persons[n].id for n in ("blocked", "group_member", "guest")]}).raise_for_status()
    for name in ("follower", "blocked", "guest"):
        persons[name].http.post(f"/api/v1/accounts/{author.id}/follow",
                                data={"notify": "true"}).raise_for_status()
    author.http.post(f"/api/v1/accounts/{persons['blocked'].id}/block").raise_for_status()
    anonymous = httpx.get(f"{push_server.base_url}/api/v1/push/subscription")
    assert anonymous.status_code == 401
    world = Devices(push_service, persons, {name: subscribe(person, push_service, **ALERTS)
                              for name, person in persons.items()},
                    marker=f"pm{secrets.token_hex(4)}")
    mentions = f"@{persons['mentioned'].username} @{persons['blocked'].username}"
    for v in VISIBILITIES:
        _post(author, f"{world.marker}{v} {mentions}", visibility=v,
              **({"group_ids[]": group["id"]} if v == "group" else {}))
    # Jobs run in order: once the sentinel (which mentions everyone) is pushed to a device,
    # whatever the statuses before it would push has arrived too.
    sentinel = f"{world.marker}sentinel"
    _post(persons["stranger"], f"{sentinel} " + " ".join(
        f"@{p.username}" for name, p in persons.items() if name != "stranger"))
    for viewer in VIEWERS:
        expected = {v for v in VISIBILITIES if MATRIX["pushed", v, viewer]}

        def arrived(viewer: str = viewer, expected: set[str] = expected) -> bool:
            bodies = " ".join(world.bodies(viewer))
            return (sentinel in bodies or viewer == "stranger") and all(
                f"{world.marker}{v} " in bodies for v in expected)

        # Generous: on a loaded machine the pushes of eight people take their time.
        wait_until(arrived, timeout=60)
        bodies = world.bodies(viewer)
        world.pushed[viewer] = {v for v in VISIBILITIES
                                if any(body.startswith(f"{world.marker}{v} ") for body in bodies)}
    return world


@pytest.mark.parametrize(("path", "visibility", "viewer"), list(MATRIX),
                         ids=["-".join(key) for key in MATRIX])
def test_each_device_is_pushed_exactly_the_statuses_its_person_may_read(pushed, path,
                                                                       visibility, viewer):
    expected = MATRIX[path, visibility, viewer]
    assert (visibility in pushed.pushed[viewer]) == expected, (
        f"{viewer} {'should' if expected else 'must not'} be pushed the {visibility} status")
