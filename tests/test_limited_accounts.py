"""A limited account (Mastodon's "limited", once "silenced"), as each viewer finds its posts.

A moderator limits the author from the console; the author then posts one public status with
a hashtag followed by `tag_follower`, a word only this run uses and a mention of `mentioned`.
  author         the limited account
  follower       follows the author (with post notifications, the bell)
  stranger       follows nobody
  mentioned      is mentioned, does not follow the author
  tag_follower   follows the hashtag, not the author
  anonymous      no token at all
Mastodon's rules: followers read a limited account as before; everyone else no longer meets
it by chance (public and hashtag timelines, trends, search, suggestions, the directory, a
followed hashtag), but each post stays readable where it is linked, and what the account sends
to people who do not follow it waits as a notification request.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx
import pytest

from streams import about
from support import User, matrix_table, wait_until
from web_support import signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

VIEWERS = ("author", "follower", "stranger", "mentioned", "tag_follower", "anonymous")

# Y: the viewer finds the limited author's status on that path; .: it is not there.
#   status    GET /api/v1/statuses/:id          account   the author's statuses
#   public    the public timeline               tag       the hashtag's timeline
#   home      the home timeline                 search    a statuses search for its word
#   trends    trending statuses                 notified  one of the viewer's notifications
#                                                         (the author's: the favourite)
FOUND = matrix_table(VIEWERS, """
#                 author follower stranger mentioned tag_follower anonymous
status    post      Y      Y        Y        Y          Y           Y
account   post      Y      Y        Y        Y          Y           Y
public    post      Y      Y        .        .          .           .
tag       post      Y      Y        .        .          .           .
home      post      Y      Y        .        .          .           .
search    post      Y      Y        .        .          .           .
trends    post      Y      Y        .        .          .           .
notified  post      Y      Y        .        .          .           .
""")


@dataclass
class World:
    people: dict[str, User]
    anonymous: httpx.Client
    admin_web: object
    tag: str
    word: str
    post: dict

    def client(self, viewer: str) -> httpx.Client:
        return self.anonymous if viewer == "anonymous" else self.people[viewer].http


def _ids(response: httpx.Response) -> set[str]:
    if response.status_code == 401:
        return set()
    assert response.status_code == 200, response.text
    return {s["id"] for s in response.json()}


def _limit(admin_web, account_id: str, limited: bool) -> httpx.Response:
    page = f"/web/admin/people/{account_id}"
    return admin_web.submit(page, f"{page}/limit", {"limited": "1" if limited else "0"})


def _reads(world: World, viewer: str) -> dict[str, bool]:
    client, post = world.client(viewer), world.post
    found = {}
    found["status"] = client.get(f"/api/v1/statuses/{post['id']}").status_code == 200
    author_id = world.people["author"].id
    found["account"] = post["id"] in _ids(client.get(f"/api/v1/accounts/{author_id}/statuses"))
    found["public"] = post["id"] in _ids(client.get("/api/v1/timelines/public"))
    found["tag"] = post["id"] in _ids(client.get(f"/api/v1/timelines/tag/{world.tag}"))
    found["home"] = post["id"] in _ids(client.get("/api/v1/timelines/home"))
    search = client.get("/api/v2/search", params={"q": world.word, "type": "statuses"})
    found["search"] = search.status_code == 200 and post["id"] in {
        s["id"] for s in search.json()["statuses"]}
    found["trends"] = post["id"] in _ids(client.get("/api/v1/trends/statuses",
                                                    params={"limit": "40"}))
    notifications = client.get("/api/v1/notifications")
    found["notified"] = notifications.status_code == 200 and post["id"] in {
        n["status"]["id"] for n in notifications.json() if n.get("status")}
    return found


@pytest.fixture(scope="module")
def world(users, server) -> World:
    people = {name: users.create() for name in VIEWERS if name != "anonymous"}
    author = people["author"]
    tag, word = f"lim{secrets.token_hex(4)}", f"zw{secrets.token_hex(5)}"
    people["follower"].http.post(f"/api/v1/accounts/{author.id}/follow",
                                 data={"notify": "true"}).raise_for_status()
    people["tag_follower"].http.post(f"/api/v1/tags/{tag}/follow").raise_for_status()
    admin_web = signed_in(server, users.create(role="admin"))
    limited = _limit(admin_web, author.id, True)
    assert "The account is limited: its posts reach only its followers." in limited.text
    response = author.http.post("/api/v1/statuses", data={
        "status": f"@{people['mentioned'].username} #{tag} {word} Lagebericht",
        "visibility": "public"})
    assert response.status_code == 200, response.text
    post = response.json()
    # Someone favourites it, so that it would trend.
    people["follower"].http.post(f"/api/v1/statuses/{post['id']}/favourite").raise_for_status()
    assert wait_until(lambda: post["id"] in _ids(
        people["follower"].http.get("/api/v1/timelines/home"))), "fan-out never ran"
    # A later tagged post by someone not limited: once it reached the tag follower's home,
    # the limited post's fan-out (earlier, jobs run in order) is done too.
    sentinel = users.create().http.post("/api/v1/statuses", data={
        "status": f"#{tag} Alles ruhig", "visibility": "public"}).json()
    assert wait_until(lambda: sentinel["id"] in _ids(
        people["tag_follower"].http.get("/api/v1/timelines/home"))), "tag fan-out never ran"
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        yield World(people, anonymous, admin_web, tag, word, post)
    admin_web.close()


@pytest.fixture(scope="module")
def reads(world) -> dict[str, dict[str, bool]]:
    return {viewer: _reads(world, viewer) for viewer in VIEWERS}


@pytest.mark.parametrize(("path", "subject", "viewer"), list(FOUND),
                         ids=["-".join(key) for key in FOUND])
def test_each_viewer_finds_the_limited_authors_post_only_where_mastodon_shows_it(
        reads, path, subject, viewer):
    expected = FOUND[path, subject, viewer]
    assert reads[viewer][path] == expected, (
        f"{viewer} {'should' if expected else 'must not'} find the limited post on {path}")


def test_clients_are_told_the_account_is_limited(world):
    author_id = world.people["author"].id
    entity = world.client("stranger").get(f"/api/v1/accounts/{author_id}").json()
    assert entity["limited"] is True
    other = world.client("stranger").get(f"/api/v1/accounts/{world.people['follower'].id}")
    assert "limited" not in other.json()


def test_a_mention_from_the_limited_account_waits_as_a_notification_request(world):
    mentioned, author = world.people["mentioned"], world.people["author"]
    requests = mentioned.http.get("/api/v1/notifications/requests").json()
    assert [r["account"]["id"] for r in requests] == [author.id]
    held = mentioned.http.get("/api/v1/notifications",
                              params={"include_filtered": "true"}).json()
    assert [n["type"] for n in held if n["account"]["id"] == author.id] == ["mention"]


def test_the_limited_account_leaves_suggestions_and_the_directory(world):
    author_id = world.people["author"].id
    stranger = world.client("stranger")
    directory = stranger.get("/api/v1/directory", params={"limit": "80", "order": "new"})
    assert author_id not in {a["id"] for a in directory.json()}
    suggested = stranger.get("/api/v2/suggestions", params={"limit": "80"}).json()
    assert author_id not in {s["account"]["id"] for s in suggested}
    # The profile stays reachable, with the moderators' word on it.
    profile = httpx.get(f"{world.anonymous.base_url}/@{world.people['author'].username}")
    assert "The moderators limited this account" in profile.text


def test_the_public_stream_never_carries_the_limited_accounts_posts(world, sse, new_user):
    stream = sse("/api/v1/streaming/public", world.people["stranger"])
    author_post = world.people["author"].api.status_post(f"#{world.tag} noch eine Meldung")
    sentinel = new_user().api.status_post("Alles ruhig hier")
    stream.wait_for("update", about(sentinel))  # posted after the limited one
    assert author_post["id"] not in stream.status_ids()


def test_lifting_the_limit_brings_the_posts_back(world):
    stranger = world.client("stranger")
    lifted = _limit(world.admin_web, world.people["author"].id, False)
    assert "The limit is lifted." in lifted.text
    assert world.post["id"] in _ids(stranger.get(f"/api/v1/timelines/tag/{world.tag}"))
    assert "limited" not in stranger.get(
        f"/api/v1/accounts/{world.people['author'].id}").json()
    audit = world.admin_web.get("/web/admin/audit", params={"action": "account.unlimited"})
    assert "account.unlimited" in audit.text
    _limit(world.admin_web, world.people["author"].id, True)  # as the other tests expect
